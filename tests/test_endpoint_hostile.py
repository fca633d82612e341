"""Hostile input against a real ``gutkg serve``: each is refused with the right status and a
message that says why, and the server keeps serving everyone else.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.endpoint import start_endpoint

PROBE = "ASK { gkc:probiotics a gkv:Intervention }"
#: Four copies of every triple joined freely: ~10^11 combinations on the fixture, far past 2 s.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_endpoint(
        tmp_path_factory.mktemp("hostile"),
        "--timeout",
        "2",
        "--max-query-bytes",
        "20000",
        "--workers",
        "2",
        "--max-answer-mb",
        "1",
    )
    yield running
    running.stop()


def still_serving(server) -> None:
    status, _, body = server.post_direct(PROBE)
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize(
    ("how", "query"),
    [
        ("query", "INSERT DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }"),
        ("query", "DELETE WHERE { ?s ?p ?o }"),
        ("query", "LOAD <http://example.org/data.ttl>"),
        ("query", "CLEAR ALL"),
        ("form-update", "INSERT DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }"),
        ("direct-update", "DROP ALL"),
        ("get-update", "CLEAR ALL"),
    ],
)
def test_updates_are_refused_403(server, how, query):
    if how == "query":
        status, _, body = server.post_direct(query)
    elif how == "form-update":
        status, _, body = server.request(
            "POST",
            "/sparql",
            urllib.parse.urlencode({"update": query}),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
    elif how == "direct-update":
        status, _, body = server.request("POST", "/sparql", query, {"Content-Type": "application/sparql-update"})
    else:
        status, _, body = server.request("GET", "/sparql?" + urllib.parse.urlencode({"update": query}))
    assert status == 403
    assert b"read-only" in body
    still_serving(server)
    # nothing was written: the claims are all still there
    _, _, count = server.get("SELECT (COUNT(*) AS ?n) WHERE { ?c a gkv:CausalClaim }", accept="text/csv")
    assert count.split() == [b"n", b"12"]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX ex: <http://e.org/> SELECT * WHERE { ?x ex:p ?y . service ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_403(server, query):
    status, _, body = server.get(query)
    assert status == 403
    assert b"SERVICE" in body and b"never calls other endpoints" in body


def test_workers_have_no_network_even_if_the_guard_were_bypassed(server, tmp_path):
    """The second fence: a worker's network namespace reaches nothing, not even loopback.

    A real SPARQL endpoint listens on 127.0.0.1; a process that fences itself in the way a worker
    does then runs a SERVICE query at it straight through pyoxigraph (no guard): it must fail,
    while the same query from an unfenced process reaches the listener.
    """
    import subprocess
    import sys

    info = server.health()
    if "namespace" not in info["sandbox"]:
        pytest.skip(f"network namespaces are not available here: {info['sandbox']}")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    script = (
        "import sys, pyoxigraph\n"
        "from gutkg.sparql.worker import isolate_network\n"
        "if sys.argv[1] == 'fenced': print(isolate_network())\n"
        "try:\n"
        f"    q = 'SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}'\n"
        "    list(pyoxigraph.Store().query(q))\n"
        "    print('REACHED')\n"
        "except OSError as exc:\n"
        "    print('FAILED', exc)\n"
    )
    accepted: list[bool] = []

    def accept() -> None:
        listener.settimeout(20)
        try:
            conn, _ = listener.accept()
            accepted.append(True)
            conn.close()  # no answer: the client sees a failure, but it did get through
        except OSError:
            pass

    try:
        fenced = subprocess.run([sys.executable, "-c", script, "fenced"], capture_output=True, text=True, timeout=60)
        assert "namespace" in fenced.stdout and "FAILED" in fenced.stdout, fenced.stdout + fenced.stderr
        assert "unreachable" in fenced.stdout.lower() or "refused" in fenced.stdout.lower()
        assert not accepted
        thread = threading.Thread(target=accept)
        thread.start()
        subprocess.run([sys.executable, "-c", script, "open"], capture_output=True, text=True, timeout=60)
        thread.join()
        assert accepted == [True], "control: without the fence the SERVICE call reaches the listener"
    finally:
        listener.close()


def test_ten_megabyte_query_is_413_and_not_read(server):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (10 * 1024 * 1024)
    status, _, body = _post_big(server, big.encode())
    assert status == 413
    assert b"at most 20,000 bytes" in body
    still_serving(server)


def test_query_over_the_cap_in_a_get_is_413(server):
    status, _, body = server.get("ASK {} #" + "y" * 25_000)
    assert status == 413 and b"--max-query-bytes" in body
    still_serving(server)


def _post_big(server, payload: bytes):
    """POST a huge body the way a client does; the server may answer before reading it all."""
    sock = socket.create_connection((server.host, server.port), timeout=60)
    head = (
        f"POST /sparql HTTP/1.1\r\nHost: {server.host}\r\nContent-Type: application/sparql-query\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    ).encode()
    try:
        sock.sendall(head)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(payload)  # the server may refuse early and close: read its answer below
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    finally:
        sock.close()
    head_text, _, body = data.partition(b"\r\n\r\n")
    status = int(head_text.split()[1]) if head_text else 0
    return status, head_text, body


def test_runaway_query_is_killed_and_others_are_served_meanwhile(server):
    before = server.health()
    old_pids = set(before["worker_pids"])
    outcome: dict[str, object] = {}

    def run_away() -> None:
        outcome["response"] = server.get(RUNAWAY)

    thread = threading.Thread(target=run_away)
    thread.start()
    for _ in range(400):  # wait until the runaway has reached a worker
        if server.health()["queries"] > before["queries"]:
            break
        time.sleep(0.01)
    served_while_running = 0
    for _ in range(5):
        still_serving(server)
        if thread.is_alive():
            served_while_running += 1
    thread.join(timeout=60)
    assert not thread.is_alive()
    status, _, body = outcome["response"]  # type: ignore[misc]
    assert status == 503
    assert b"stopped after the time limit of 2 s" in body
    assert served_while_running >= 1, "the other worker should answer while the runaway runs"
    after = server.health()
    assert after["timeouts"] == before["timeouts"] + 1
    assert after["alive_workers"] == 2
    killed = old_pids - set(after["worker_pids"])
    assert len(killed) == 1, "exactly the runaway's worker is replaced"
    pid = killed.pop()
    assert _gone_or_zombie(pid), f"worker {pid} still running after its 503"
    still_serving(server)


def _gone_or_zombie(pid: int) -> bool:
    for _ in range(100):
        stat = Path(f"/proc/{pid}/stat")
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in {"Z", "X"}:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=SELECT%ZZ*%20WHERE%7B%7D",
        "/sparql?query=ASK%7B%7",
        "/sparql?query=ASK%20%7B%7D&x=%",
        "/sparql?query=%E2%28%A1",  # percent-decodes to bytes that are not UTF-8
    ],
)
def test_malformed_percent_encoding_is_400(server, path):
    status, _, body = server.request("GET", path)
    assert status == 400
    assert b"percent-encoding" in body or b"not UTF-8" in body
    still_serving(server)


def test_malformed_form_body_is_400(server):
    status, _, body = server.request(
        "POST", "/sparql", b"query=ASK%7B%7D%G1", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 400 and b"percent-encoding" in body


def test_non_utf8_direct_body_is_400(server):
    status, _, body = server.request(
        "POST", "/sparql", "ASK { ?s ?p 'é' }".encode("latin-1"), {"Content-Type": "application/sparql-query"}
    )
    assert status == 400 and b"not UTF-8" in body


@pytest.mark.parametrize(
    ("ctype", "expected"),
    [
        ("text/plain", 415),
        (None, 415),
        ("application/json", 415),
        ("application/sparql-query; charset=UTF-16", 415),
        ("multipart/form-data; boundary=x", 415),
    ],
)
def test_wrong_content_types(server, ctype, expected):
    headers = {"Content-Type": ctype} if ctype else {}
    status, _, body = server.request("POST", "/sparql", "ASK {}", headers)
    assert status == expected
    assert b"application/sparql-query" in body or b"UTF-8" in body


def test_other_methods_are_405_with_allow(server):
    status, headers, body = server.request("PUT", "/sparql", "ASK {}", {"Content-Type": "application/sparql-query"})
    assert status == 405 and "POST" in headers["allow"]
    assert b"read-only" in body


def test_two_queries_at_once_is_400(server):
    status, _, body = server.request("GET", "/sparql?query=ASK%7B%7D&query=SELECT%20*%7B%7D")
    assert status == 400 and b"exactly one" in body


def test_missing_query_is_400(server):
    status, _, body = server.request("GET", "/sparql")
    assert status == 400 and b"no query" in body


def test_server_still_healthy_after_all_of_it(server):
    info = server.health()
    assert info["alive_workers"] == 2
    still_serving(server)


def test_memory_runaway_is_stopped_by_the_worker_cap(tmp_path):
    """ORDER BY over a three-way cartesian product must hold ~10^8 rows: the worker's address
    space cap stops it (503 saying so) long before the machine's memory is at risk."""
    running = start_endpoint(
        tmp_path, "--timeout", "60", "--worker-memory-mb", "1200", "--workers", "2", "--cache-mb", "0"
    )
    try:
        before = running.health()
        status, _, body = running.get("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i ?f")
        assert status == 503
        assert b"more memory than a query may use" in body
        after = running.health()
        assert after["crashes"] == before["crashes"] + 1 and after["timeouts"] == before["timeouts"]
        still_serving(running)
        assert running.health()["alive_workers"] == 2
    finally:
        running.stop()


def test_guard_tokenizer_is_linear_on_a_long_run_of_names():
    """Regression (issue 15.1): `ASK { } ` + "a." * 49,000 (98 kB) froze the server for 99 s: the
    tokenizer tried a prefixed name at every position and rescanned the run each time. Now each run is
    consumed once. A 2 MB version must finish far inside a generous limit (the old tokenizer would need
    hours); the limit only guards against a hang, it measures nothing."""
    import subprocess
    import sys

    code = "from gutkg.sparql.guard import check_query\nq = 'ASK { } ' + 'a.' * 1_000_000\nprint(check_query(q).form)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ask"


def doubling_query(levels: int) -> str:
    """A short query whose one answer is 64 x 2**levels characters: nested CONCATs, each doubling."""
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(levels))
    seed = '"' + "x" * 64 + '"'
    return f"SELECT ?v{levels} WHERE {{ BIND({seed} AS ?v0) {binds} }}"


def test_answer_over_the_byte_cap_is_refused_with_a_message(server):
    """Issue 15.3: a ~700-byte query answered with 335 MB. Over --max-answer-mb the answer is refused,
    the message says why and how to change it, and the worker survives."""
    query = doubling_query(15)  # one value of 2 MiB: over the 1 MiB cap of this server
    assert len(query) < 1000
    pids = server.health()["worker_pids"]
    status, _, body = server.get(query)
    assert status == 503, body[:200]
    assert b"--max-answer-mb" in body and b"1 MiB" in body and len(body) < 1000
    assert server.health()["worker_pids"] == pids, "refused by the worker, not by killing it"
    status, _, body = server.get(doubling_query(12))  # 256 kB: under the cap, served in full
    assert status == 200 and len(json.loads(body)["results"]["bindings"][0]["v12"]["value"]) == 64 << 12
    still_serving(server)


def test_a_client_that_stops_reading_is_cut_off_and_its_worker_kept(tmp_path):
    """The answer is streamed from the worker to the client with back-pressure (the server holds a
    chunk, not the answer); a client that stops reading has the time limit to take it, then its
    connection is dropped and the worker goes back to work (not killed)."""
    running = start_endpoint(tmp_path, "--timeout", "3", "--workers", "2", "--cache-mb", "0", "--max-answer-mb", "64")
    sock = None
    try:
        before = running.health()
        sock = socket.create_connection((running.host, running.port), timeout=120)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        path = "/sparql?" + urllib.parse.urlencode({"query": doubling_query(18)})  # 16 MiB
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n".encode())
        head = sock.recv(1024)
        assert head.startswith(b"HTTP/1.1 200"), head[:200]
        # ... and never read again
        after = _wait(lambda: (h := running.health())["stalled"] >= 1 and h, "the stalled client to be cut")
        assert after["worker_pids"] == before["worker_pids"], "the worker was not killed"
        assert after["timeouts"] == before["timeouts"] and after["restarts"] == before["restarts"]
        still_serving(running)
    finally:
        if sock is not None:
            sock.close()
        running.stop()


def _wait(condition, what: str, limit: float = 120.0):
    """Poll until ``condition`` gives a true value (the limit only stops a hang)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_invalid_dataset_iri_is_400(server, param):
    status, _, body = server.get("SELECT * WHERE { ?s ?p ?o } LIMIT 1", **{param: "not an iri"})
    assert status == 400, body
    assert param.encode() in body and b"not an iri" in body


def test_unknown_function_is_400(server):
    status, _, body = server.get(
        "PREFIX fn: <http://www.w3.org/2005/xpath-functions#> "
        'SELECT ?x WHERE { BIND(fn:unparsed-text("/etc/passwd") AS ?x) }'
    )
    assert status == 400, body
    assert b"unparsed-text" in body and b"not supported" in body


def test_unparsable_q_in_accept_counts_as_one(server):
    status, _, body = server.get(PROBE, accept="*/*;q=abc")
    assert status == 200, body
    assert json.loads(body)["boolean"] is True


def test_get_too_long_for_a_request_line_says_use_post(server):
    """uvicorn's parser refuses request targets over 64 kB with a bare 400; say what to do."""
    status, _, body = server.request("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK {} #" + "z" * 70_000}))
    assert status == 414, body
    assert b"POST" in body and b"application/sparql-query" in body
    still_serving(server)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
        "SELECT * WHERE { BIND(" + "CONCAT(" * 1000 + "'a'" + ",'b')" * 1000 + " AS ?x) }",
    ],
)
def test_deep_nesting_is_refused_before_the_parser(server, query):
    """Issue 15.5: nesting a few thousand levels deep overflowed the parser's stack and killed the
    worker (the reply blamed memory). The guard refuses it first, with a clear 400."""
    before = server.health()
    status, _, body = server.post_direct(query)
    assert status == 400, body[:300]
    assert b"nested" in body and b"levels" in body
    after = server.health()
    assert after["crashes"] == before["crashes"] and after["worker_pids"] == before["worker_pids"]
    still_serving(server)


def test_worker_death_is_logged_with_pid_signal_and_query_hash(tmp_path):
    """A worker that dies (here: SIGSEGV while it runs a query) is logged with its pid, the signal
    and a hash of the query (not the text, which may be huge or private), and the reply says the
    worker crashed rather than blaming memory."""
    import hashlib
    import os
    import signal

    running = start_endpoint(tmp_path, "--timeout", "600", "--workers", "2", "--cache-mb", "0")
    try:
        before = running.health()
        outcome: dict[str, object] = {}
        query = RUNAWAY + " # crash"
        thread = threading.Thread(target=lambda: outcome.setdefault("r", running.get(query)))
        thread.start()
        _wait(lambda: running.health()["queries"] > before["queries"], "the query to start")
        for pid in before["worker_pids"]:  # the busy one is among them
            os.kill(pid, signal.SIGSEGV)
        thread.join(timeout=120)
        status, _, body = outcome["r"]  # type: ignore[misc]
        assert status == 503 and b"SIGSEGV" in body and b"memory" not in body, body
        digest = hashlib.sha256(query.encode()).hexdigest()[:16]
        log = _wait(lambda: digest in running.log.read_text() and running.log.read_text(), "the death to be logged")
        line = next(x for x in log.splitlines() if digest in x)
        assert "SIGSEGV" in line and any(str(pid) in line for pid in before["worker_pids"]), line

        # every worker was killed, the idle one too: a probe may reach that one before the pool has
        # seen it die (a 503 naming the crash); the pool then replaces it, and the server serves again
        def probe_answers() -> bool:
            status, _, body = running.post_direct(PROBE)
            assert status in (200, 503), (status, body)
            return status == 200 and json.loads(body)["boolean"] is True

        _wait(probe_answers, "the server to serve again after its workers died")
    finally:
        running.stop()
