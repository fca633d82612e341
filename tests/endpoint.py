"""A real ``gutkg serve`` for the endpoint tests: :func:`start_endpoint` starts the command in a child
process on a free port of 127.0.0.1 and :class:`Running` talks to it with the standard library's HTTP
client, so every byte on the wire is what a client would send.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import data

FIXTURE = data("sparql_questions.ttl")
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Running:
    """A running ``gutkg serve``: its base URL, process and log."""

    url: str
    proc: subprocess.Popen
    log: Path

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.url).hostname or "127.0.0.1"

    @property
    def port(self) -> int:
        return urllib.parse.urlsplit(self.url).port or 80

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ):
        """(status, headers as a lower-cased dict, body bytes)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            payload = body.encode() if isinstance(body, str) else body
            conn.request(method, path, body=payload, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def get(self, query: str, accept: str | None = None, **params: str):
        qs = urllib.parse.urlencode({"query": query, **params})
        return self.request("GET", f"/sparql?{qs}", headers={"Accept": accept} if accept else {})

    def post_form(self, query: str, accept: str | None = None):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if accept:
            headers["Accept"] = accept
        return self.request("POST", "/sparql", urllib.parse.urlencode({"query": query}), headers)

    def post_direct(self, query: str, accept: str | None = None):
        headers = {"Content-Type": "application/sparql-query"}
        if accept:
            headers["Accept"] = accept
        return self.request("POST", "/sparql", query, headers)

    def health(self) -> dict:
        status, _, body = self.request("GET", "/health")
        assert status == 200
        return json.loads(body)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def start_endpoint(tmp: Path, *args: str, graph: list[Path] | None = None) -> Running:
    """Start ``gutkg serve --port 0`` (a free port) and wait until it answers."""
    cmd = [
        sys.executable,
        "-c",
        "from gutkg.cli import main; main()",
        "serve",
        "--port",
        "0",
        "--format",
        "json",
        *args,
    ]
    for path in graph if graph is not None else [FIXTURE]:
        cmd += ["--graph", str(path)]
    log = tmp / "serve.log"
    env = {**os.environ, "GUTKG_CACHE": str(tmp / "cache"), "PYTHONUNBUFFERED": "1"}
    env.pop("GUTKG_STORE", None)
    with log.open("wb") as err:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=ROOT, env=env)
    assert proc.stdout is not None
    text = ""
    while True:  # the announcement is one JSON object (indented over several lines)
        line = proc.stdout.readline().decode()
        if not line:
            proc.wait(timeout=30)
            raise AssertionError(f"gutkg serve exited ({proc.returncode}): {log.read_text()}")
        text += line
        try:
            info = json.loads(text)
            break
        except json.JSONDecodeError:
            continue
    running = Running(info["url"], proc, log)
    for _ in range(200):
        try:
            if running.request("GET", "/health", timeout=5)[0] == 200:
                return running
        except OSError:
            time.sleep(0.05)
    running.stop()
    raise AssertionError("gutkg serve did not answer /health")
