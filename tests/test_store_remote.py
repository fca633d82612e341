"""The remote SPARQL store and `gutkg push` against real servers (Oxigraph server, Virtuoso).

Servers are started once per session by tests/servers.py on loopback ports; each test writes into
its own named graph (or, for the default-graph tests, its own private server).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from gutkg.errors import InputError, ParseError, QueryError, StoreError
from gutkg.store import new_store
from gutkg.store.ntriples import ntriples_chunks
from gutkg.store.remote import RemoteStore
from tests.conftest import data
from tests.servers import remote_store, server, start_oxigraph, store_spec

REMOTE = ["oxigraph-server", "virtuoso"]
EX = "http://example.org/"


def _normalised_network(store) -> str:
    from gutkg.network import to_network

    g = to_network(store)
    assert g.number_of_edges() > 0
    nodes = {n: d for n, d in g.nodes(data=True)}
    edges = sorted(((str((u, v, k)), d) for u, v, k, d in g.edges(keys=True, data=True)))
    return json.dumps([nodes, edges, g.graph], sort_keys=True, default=str)


@pytest.fixture(scope="module", params=REMOTE)
def pushed(request, bundled_store):
    """The bundled graph pushed with `gutkg push` into a named graph; yields (name, spec, env)."""
    from click.testing import CliRunner

    from gutkg.cli import main

    name = request.param
    running = server(name)
    graph = f"urn:gutkg:bundled:{uuid.uuid4()}"
    args = ["push", "--to", running.gsp_url, "--named-graph", graph, "--format", "json"]
    spec, env = store_spec(name, graph)
    result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["sent"] == report["landed"] == len(bundled_store) > 0
    return name, spec, env


def _cli_json(args: list[str], env: dict[str, str] | None = None) -> object:
    from click.testing import CliRunner

    from gutkg.cli import main

    result = CliRunner().invoke(main, [*args, "--format", "json"], env=env or {}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_pushed_graph_gives_the_same_answers_as_the_embedded_store(pushed):
    _name, spec, env = pushed
    for args in (["info"], ["show", "zonulin"], ["search", "permeab"]):
        local = _cli_json(args)
        remote = _cli_json([*args, "--store", spec], env)
        assert local, args
        if args == ["info"]:
            assert isinstance(local, dict) and isinstance(remote, dict)
            assert (local.pop("backend"), remote.pop("backend")) == ("memory", "sparql")
        assert remote == local, args


def test_explain_over_the_wire_matches_memory(pushed, bundled_store):
    from click.testing import CliRunner

    from gutkg.cli import main

    _name, spec, env = pushed
    if "explain" in main.commands:
        args = ["explain", "dysbiosis", "autoimmune disease", "--format", "json"]
        local = CliRunner().invoke(main, args, catch_exceptions=False)
        remote = CliRunner().invoke(main, [*args, "--store", spec], env=env, catch_exceptions=False)
        assert local.exit_code == remote.exit_code == 0, remote.output
        assert json.loads(local.output)
        assert json.loads(remote.output) == json.loads(local.output)
    # the projection every analysis consumes is identical, attribute for attribute
    remote_store_ = RemoteStore.from_spec(
        spec, user=env.get("GUTKG_SPARQL_USER"), password=env.get("GUTKG_SPARQL_PASSWORD")
    )
    assert _normalised_network(remote_store_) == _normalised_network(bundled_store)


def test_remote_spec_refuses_local_files():
    from gutkg.loading import load

    with pytest.raises(InputError, match="gutkg push"):
        load([data("valid_small.ttl")], store="sparql+http://127.0.0.1:9/query")


@pytest.mark.parametrize("name", REMOTE)
def test_push_twice_and_by_update_never_duplicates(name, tmp_path):
    """Blank nodes are where duplication would show: a retry must replace, not add."""
    from gutkg.push import push

    src = new_store("memory")
    src.load(data("scale_bnodes.ttl").read_text(), source="scale_bnodes.ttl")
    target = remote_store(name)
    auth = {"user": target.http.user, "password": target.http.password}
    first = push(src, target.gsp_url, graph=target.graph, query_url=target.query_url, **auth)
    again = push(src, target.gsp_url, graph=target.graph, query_url=target.query_url, **auth)
    assert first.sent == len(src) > 0
    assert first.landed == again.landed == len(src)
    for _ in range(2):
        report = push(src, target.update_url, update=True, graph=target.graph, query_url=target.query_url, **auth)
        assert report.landed == len(src)
    blank = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?s)) }"
    assert target.query(blank).rows[0][0].python() == 4  # 8 if anything were duplicated


def test_default_graph_push_and_spec_on_oxigraph_server(tmp_path):
    """The issue's example: push to /store, then read with --store sparql+http://.../query."""
    own = start_oxigraph(tmp_path / "ox")
    try:
        small = [data("valid_small.ttl")]
        report = _cli_json(["push", "--graph", str(small[0]), "--to", own.gsp_url])
        assert isinstance(report, dict) and report["graph"] is None
        assert report["store"] == f"sparql+{own.query_url}"
        info = _cli_json(["info", "--store", report["store"]])
        assert isinstance(info, dict) and info["claims"] == 2
    finally:
        own.stop()


def test_push_of_a_literal_over_16_mib_is_refused_with_a_message(tmp_path):
    """A server's parser refuses a token over 16 MiB: push says so in one message (no traceback), with
    what the target graph now holds, and nothing half-loaded stays there."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(data("curate_graph"), tmp_path / "graph")
    state = tmp_path / "graph" / "concepts" / "state.ttl"
    text = state.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if "skos:definition" in line)
    state.write_text(
        text.replace(old, old.split('"')[0] + '"' + "x" * (16 * 1024 * 1024 + 1) + '"@en ;'), encoding="utf-8"
    )
    own = start_oxigraph(tmp_path / "ox")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "gutkg", "push", "--graph", str(tmp_path / "graph"), "--to", own.gsp_url],
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
        assert "maximal size of 16777216" in result.stderr or "16 MiB" in result.stderr, result.stderr
        assert "holds 0 triples" in result.stderr or "state.ttl" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        remote = new_store(f"sparql+{own.query_url}")
        count = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].python()
        assert count == 0
    finally:
        own.stop()


def test_server_dying_mid_push_says_what_landed_and_retry_is_clean(tmp_path):
    from gutkg.push import push

    folder = tmp_path / "ox"
    own = start_oxigraph(folder)
    src = new_store("memory")
    src.load("".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(3000)), fmt="ntriples")

    def kill_after_two_chunks(confirmed: int) -> None:
        if confirmed >= 1000 and own.alive():
            own.proc.kill()
            own.proc.wait()

    try:
        with pytest.raises(StoreError) as err:
            push(src, own.update_url, update=True, on_progress=kill_after_two_chunks)
        message = str(err.value)
        assert "confirmed 1,000 of 3,000 triples" in message
        assert "could not be asked" in message
        assert "re-running the same command" in message
        own = start_oxigraph(folder, port=own.port)  # back up, with what it had kept
        report = push(src, own.update_url, update=True)
        assert report.landed == report.sent == 3000
    finally:
        own.stop()


def test_wrong_url_and_refused_password_are_clear():
    running = server("virtuoso")
    with pytest.raises(StoreError, match="refused the user name or password"):
        len(RemoteStore(running.query_url, user="dba", password="not-the-password"))
    with pytest.raises(StoreError, match="asks for a user name and password"):
        len(RemoteStore(running.query_url))
    with pytest.raises(StoreError, match="HTTP 404"):
        len(new_store(f"sparql+http://127.0.0.1:{running.port}/no-such-endpoint"))
    with pytest.raises(StoreError, match="write a SPARQL endpoint as sparql"):
        new_store(running.query_url)


def test_anonymous_write_to_virtuoso_is_refused_with_the_fix():
    running = server("virtuoso")
    anonymous = RemoteStore(str(running.extra["public_query_url"]), graph="urn:gutkg:anon")
    with pytest.raises(StoreError, match="refused the write"):
        anonymous.update(f"INSERT DATA {{ <{EX}a> <{EX}p> <{EX}b> }}")


@pytest.fixture(scope="module")
def virtuoso_big(tmp_path_factory) -> RemoteStore:
    """12,345 triples in one named graph: more than Virtuoso's 10,000-row cap."""
    target = remote_store("virtuoso")
    path = tmp_path_factory.mktemp("big") / "big.nt"
    path.write_text("".join(f"<{EX}s{i}> <{EX}p> <{EX}o{i % 97}> .\n" for i in range(12345)))
    target.send(path, replace=True)
    return target


def test_virtuoso_row_cap_is_paged_or_refused(virtuoso_big):
    rows = virtuoso_big.query("SELECT ?s WHERE { ?s ?p ?o }").rows
    assert len(rows) == 12345 == len({r[0] for r in rows})
    assert virtuoso_big.row_cap == 10000
    assert len(virtuoso_big.dump().splitlines()) == 12345
    assert len(virtuoso_big.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10000").rows) == 10000
    cut = virtuoso_big.query("SELECT ?s WHERE { ?s ?p ?o }", limit=50)
    assert len(cut.rows) == 50 and cut.truncated
    with pytest.raises(QueryError, match="first 10,000 rows"):
        virtuoso_big.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
    with pytest.raises(QueryError, match="row cap"):
        virtuoso_big.query("CONSTRUCT WHERE { ?s ?p ?o }")


def test_virtuoso_partial_results_on_timeout_are_refused(virtuoso_big):
    running = server("virtuoso")
    slow = RemoteStore(running.query_url, graph=virtuoso_big.graph, server_timeout=300, **running.auth())
    # Virtuoso either runs the query and stops it at the limit with partial results (S1TAT) or,
    # when its cost estimate already exceeds the limit (more likely on a loaded machine), refuses
    # it up front (42000). Both are time-limit refusals; neither may return rows.
    with pytest.raises(QueryError, match="time limit"):
        slow.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }")


VIRTUOSO_ESTIMATE_REFUSAL = (
    b"Virtuoso 42000 Error The estimated execution time 1503 (sec) exceeds "
    b"the limit of 400 (sec).\n\nSPARQL query:\nSELECT ..."
)


def test_virtuoso_estimated_time_refusal_is_a_timeout_not_a_store_error():
    """Virtuoso's up-front refusal, replayed by a real loopback server, is a time-out QueryError."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(500)
            self.send_header("Server", "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu")
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(VIRTUOSO_ESTIMATE_REFUSAL)))
            self.end_headers()
            self.wfile.write(VIRTUOSO_ESTIMATE_REFUSAL)

        do_GET = do_POST

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        store = RemoteStore(f"http://127.0.0.1:{httpd.server_address[1]}/sparql")
        with pytest.raises(
            QueryError,
            match=r"estimated execution time exceeds the server's time "
            r"limit.*MaxQueryCostEstimationTime",
        ):
            store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }")
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_updates_are_never_run_as_queries():
    target = remote_store("oxigraph-server")
    with pytest.raises(QueryError, match="not a query"):
        target.query(f"INSERT DATA {{ <{EX}a> <{EX}p> <{EX}b> }}")
    assert len(target) == 0


def test_syntax_error_in_update_names_the_server_message():
    target = remote_store("virtuoso")
    with pytest.raises(ParseError, match="rejected the update"):
        target.update("INSERT DATA { <a:b> <a:c> }")


def test_chunks_keep_blank_nodes_together(tmp_path: Path):
    lines = [f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(7)]
    lines[2:2] = [
        "_:a <http://e.org/p> _:b .\n",
        '_:b <http://e.org/p> "x _:c" .\n',
        "<http://e.org/z> <http://e.org/p> _:a .\n",
    ]
    path = tmp_path / "x.nt"
    path.write_text("".join(lines))
    chunks = list(ntriples_chunks(path, 3))
    assert sum(len(c) for c in chunks) == len(lines)
    holding = [c for c in chunks if any("_:a" in line or "_:b" in line for line in c)]
    assert len(holding) == 1 and len(holding[0]) >= 3


def test_progress_bar_draws_counts_and_rate_only_when_enabled():
    import io

    from gutkg.progress import Progress

    shown, hidden = io.StringIO(), io.StringIO()
    with Progress(2000, "pushing", stream=shown, enabled=True) as bar:
        bar._last = -1.0  # draw on the next advance
        bar.advance(1000)
    with Progress(2000, "pushing", stream=hidden) as quiet:
        quiet.advance(1000)
    text = shown.getvalue()
    assert "pushing" in text and "1.0k/2.0k triples" in text and "/s" in text
    assert hidden.getvalue() == ""


def test_basic_auth_through_a_proxy_in_front_of_oxigraph():
    from tests.servers import BasicAuthProxy

    running = server("oxigraph-server")
    proxy = BasicAuthProxy(f"http://127.0.0.1:{running.port}", "reader", "s3cret")
    try:
        spec = f"sparql+{proxy.url}/query?default-graph-uri=urn:gutkg:basic:{uuid.uuid4()}"
        store = new_store(spec, user="reader", password="s3cret")
        store.load(f'<{EX}a> <{EX}p> _:x .\n_:x <{EX}p> "y" .\n', fmt="ntriples")
        store.update(f"INSERT DATA {{ <{EX}b> <{EX}p> <{EX}a> }}")
        assert len(store) == 3
        assert store.http.challenge and store.http.challenge[0] == "basic"
        with pytest.raises(StoreError, match="refused the user name or password for 'reader'"):
            len(new_store(spec, user="reader", password="wrong"))
        with pytest.raises(StoreError, match="asks for a user name and password"):
            len(new_store(spec))
    finally:
        proxy.stop()
