"""Real triplestores for the tests: Oxigraph server and Virtuoso, on loopback, in private folders.

Each server is started at most once per test session, on first use, bound to 127.0.0.1 on a free
port with its data in a fresh temporary folder, and stopped (folder removed) at the end of the
session -- also if pytest dies, through the parent-death signal. A test that needs a server whose
binary is not installed is skipped with the reason (how to install it); nothing is mocked.

Virtuoso gets a private ``virtuoso.ini`` (copied from the Debian package, every path and port
rewritten) and its default ``dba`` password is changed at first start, as on a real deployment.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

VIRTUOSO_INI = [Path("/etc/virtuoso-opensource-7/virtuoso.ini"), Path("/usr/share/virtuoso-opensource-7/virtuoso.ini")]


class Unavailable(Exception):
    """The server's binary is missing: the reason says how to install it."""


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    folder: Path
    port: int
    query_url: str
    update_url: str
    gsp_url: str
    user: str | None = None
    password: str | None = None
    log: Path | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)

    def auth(self) -> dict[str, str | None]:
        return {"user": self.user, "password": self.password}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _wait_http(url: str, proc: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url} within {seconds:.0f} s:\n" + log.read_text()[-2000:])


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).is_file():
        raise Unavailable("the oxigraph server binary is not installed (pip install oxigraph)")
    return found


def start_oxigraph(folder: Path | None = None, port: int | None = None) -> Server:
    """``oxigraph serve`` on 127.0.0.1:PORT with its data in ``folder`` (default: a fresh one)."""
    binary = oxigraph_binary()
    folder = folder or Path(tempfile.mkdtemp(prefix="gutkg-oxigraph-"))
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = folder / "server.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=out,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
    base = f"http://127.0.0.1:{port}"
    server = Server("oxigraph-server", proc, folder, port, f"{base}/query", f"{base}/update", f"{base}/store", log=log)
    try:
        _wait_http(f"{base}/query?query=ASK%7B%7D", proc, log, 30)
    except BaseException:
        server.stop()
        raise
    return server


def virtuoso_binaries() -> tuple[str, str, Path]:
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    ini = next((p for p in VIRTUOSO_INI if p.is_file()), None)
    if not (server and isql and ini):
        raise Unavailable(
            "Virtuoso is not installed (Debian: apt-get install virtuoso-opensource, "
            "or run scripts/setup-system.sh as root)"
        )
    return server, isql, ini


def virtuoso_ini(template: str, folder: Path, sql_port: int, http_port: int) -> str:
    """The packaged virtuoso.ini with every file in ``folder`` and both ports on 127.0.0.1."""
    text = re.sub(r"/var/lib/virtuoso-opensource-7/db", str(folder), template)
    text = re.sub(r"/var/lib/virtuoso-opensource-7/vsp", str(folder / "vsp"), text)
    section = ""
    out = []
    for line in text.splitlines():
        head = re.match(r"\s*\[(\w[\w ]*)\]", line)
        if head:
            section = head[1]
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith(";") else ""
        if key == "ServerPort" and section == "Parameters":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif key == "ServerPort" and section == "HTTPServer":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif key == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}"
        elif key == "DefaultHost" and section == "URIQA":
            line = f"DefaultHost = 127.0.0.1:{http_port}"
        out.append(line)
    return "\n".join(out) + "\n"


def start_virtuoso() -> Server:
    """Virtuoso on two free loopback ports, private folder, ``dba`` password changed."""
    binary, isql, template = virtuoso_binaries()
    folder = Path(tempfile.mkdtemp(prefix="gutkg-virtuoso-"))
    (folder / "vsp").mkdir()
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(template.read_text(), folder, sql_port, http_port))
    log = folder / "console.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=out,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
    base = f"http://127.0.0.1:{http_port}"
    password = "gutkg-" + secrets.token_hex(8)
    server = Server(
        "virtuoso",
        proc,
        folder,
        http_port,
        f"{base}/sparql-auth",
        f"{base}/sparql-auth",
        f"{base}/sparql-graph-crud-auth",
        "dba",
        password,
        log=log,
        extra={"public_query_url": f"{base}/sparql", "sql_port": sql_port},
    )
    try:
        _wait_http(f"{base}/sparql?query=ASK%7B%7D", proc, log, 180)
        done = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec=user_set_password('dba', '{password}');"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "Error" in done.stdout + done.stderr:
            raise RuntimeError(f"could not change the dba password: {done.stdout}{done.stderr}")
    except BaseException:
        server.stop()
        raise
    return server


_STARTERS = {"oxigraph-server": start_oxigraph, "virtuoso": start_virtuoso}
_RUNNING: dict[str, Server | str] = {}


def server(name: str) -> Server:
    """The session's ``name`` server, started on first use; skips the test if it is unavailable."""
    if name not in _RUNNING:
        try:
            _RUNNING[name] = _STARTERS[name]()
        except Unavailable as exc:
            _RUNNING[name] = str(exc)
    running = _RUNNING[name]
    if isinstance(running, str):
        pytest.skip(running)
    if not running.alive():
        raise RuntimeError(f"{name} died: see {running.log}")
    return running


def stop_all() -> None:
    for running in list(_RUNNING.values()):
        if isinstance(running, Server):
            with contextlib.suppress(Exception):
                running.stop()
    _RUNNING.clear()


atexit.register(stop_all)


def remote_store(name: str, graph: str | None = None):  # type: ignore[no-untyped-def]
    """A :class:`RemoteStore` on the ``name`` server, in a fresh named graph (test isolation)."""
    from gutkg.store.remote import RemoteStore

    running = server(name)
    return RemoteStore(
        running.query_url,
        update_url=running.update_url,
        gsp_url=running.gsp_url,
        graph=graph or f"urn:gutkg:test:{uuid.uuid4()}",
        **running.auth(),
    )


def store_spec(name: str, graph: str | None) -> tuple[str, dict[str, str]]:
    """The ``--store`` spec and the environment (credentials) that read ``graph`` on ``name``."""
    from urllib.parse import urlencode

    running = server(name)
    spec = "sparql+" + running.query_url
    if graph:
        spec += "?" + urlencode({"default-graph-uri": graph})
    env = {}
    if running.user:
        env = {"GUTKG_SPARQL_USER": running.user, "GUTKG_SPARQL_PASSWORD": running.password or ""}
    return spec, env


def environ_with(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}


class BasicAuthProxy:
    """A real HTTP server on loopback that demands Basic auth, then forwards to ``target``.

    Oxigraph server has no authentication of its own; deployments put a proxy with Basic auth in
    front of it, which is what this is (the requests really cross two HTTP hops).
    """

    def __init__(self, target: str, user: str, password: str) -> None:
        import base64
        import http.server
        import threading

        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="gutkg-test"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() in {"content-type", "accept"}}
                req = urllib.request.Request(target + self.path, data=body, headers=headers, method=self.command)
                try:
                    with urllib.request.urlopen(req, timeout=60) as resp:
                        status, rheaders, data = resp.status, resp.headers, resp.read()
                except urllib.error.HTTPError as exc:
                    status, rheaders, data = exc.code, exc.headers, exc.read()
                self.send_response(status)
                for key in ("Content-Type",):
                    if rheaders.get(key):
                        self.send_header(key, rheaders[key])
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _forward

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
