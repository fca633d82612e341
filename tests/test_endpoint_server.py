"""``gutkg serve`` as a real server on 127.0.0.1: protocol, content negotiation, caps, pages.

The server is started by :func:`tests.endpoint.start_endpoint` (shared with the other endpoint test
modules) and spoken to over real HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.endpoint import FIXTURE, ROOT, start_endpoint


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The fixture graph served with small caps: 2 s time limit, 5 rows, 20 kB queries."""
    running = start_endpoint(
        tmp_path_factory.mktemp("serve"),
        "--timeout",
        "2",
        "--max-rows",
        "5",
        "--max-query-bytes",
        "20000",
        "--workers",
        "2",
    )
    yield running
    running.stop()


SELECT_INTERVENTIONS = "SELECT ?c ?label WHERE { ?c a gkv:Intervention ; skos:prefLabel ?label } ORDER BY ?label"


# ------------------------------------------------------------------ the protocol


def test_default_is_sparql_json_and_binds_loopback(server):
    assert server.host == "127.0.0.1"
    status, headers, body = server.get(SELECT_INTERVENTIONS)
    assert status == 200
    assert headers["content-type"].startswith("application/sparql-results+json")
    doc = json.loads(body)
    assert [b["label"]["value"] for b in doc["results"]["bindings"]] == ["gluten-free diet", "probiotics"]
    assert "truncated" not in doc


@pytest.mark.parametrize(
    ("accept", "ctype", "marker"),
    [
        ("text/csv", "text/csv", b"c,label\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", b"?c\t?label\n"),
        ("application/sparql-results+xml", "application/sparql-results+xml", b'<variable name="label"/>'),
        ("text/plain", "text/plain", b"2 rows"),
        ("text/html, application/xhtml+xml, */*;q=0.8", "application/sparql-results+json", b'"head"'),
    ],
)
def test_accept_header_negotiates_the_format(server, accept, ctype, marker):
    status, headers, body = server.get(SELECT_INTERVENTIONS, accept=accept)
    assert status == 200
    assert headers["content-type"].startswith(ctype)
    assert marker in body
    assert b"probiotics" in body


def test_format_parameter_wins_over_accept(server):
    status, headers, body = server.get(SELECT_INTERVENTIONS, accept="application/sparql-results+json", format="csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body.splitlines()[0] == b"c,label"


@pytest.mark.parametrize("send", ["post_form", "post_direct"])
def test_post_form_and_direct(server, send):
    status, _headers, body = getattr(server, send)("ASK { gkc:probiotics a gkv:Intervention }")
    assert status == 200
    assert json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "ctype", "check"),
    [
        ("text/turtle", "text/turtle", lambda b: b"gkc:probiotics" in b),
        ("application/n-triples", "application/n-triples", lambda b: b"<https://w3id.org/gutkg/concept/gfd>" in b),
        ("application/ld+json", "application/ld+json", lambda b: len(json.loads(b)) == 2),
        ("application/rdf+xml", "application/rdf+xml", lambda b: b"rdf:RDF" in b),
        (None, "text/turtle", lambda b: b"@prefix" in b),
    ],
)
def test_construct_negotiates_rdf_formats(server, accept, ctype, check):
    from gutkg.store.oxigraph import parse_triples

    query = "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a gkv:Intervention ; skos:prefLabel ?l }"
    status, headers, body = server.post_direct(query, accept=accept)
    assert status == 200, body
    assert headers["content-type"].startswith(ctype)
    assert check(body)
    fmt = {
        "text/turtle": "turtle",
        "application/n-triples": "ntriples",
        "application/ld+json": "jsonld",
        "application/rdf+xml": "rdfxml",
    }[ctype]
    assert len(parse_triples(body, fmt=fmt)) == 2


def test_unacceptable_format_is_406(server):
    status, _, body = server.post_direct("CONSTRUCT WHERE { ?s ?p ?o }", accept="text/csv")
    assert status == 406
    assert b"text/turtle" in body


def test_row_cap_is_stated_not_silent(server):
    status, headers, body = server.get("SELECT ?s WHERE { ?s a gkv:CausalClaim }")
    assert status == 200
    doc = json.loads(body)
    assert len(doc["results"]["bindings"]) == 5
    assert doc["truncated"] is True and "5 rows" in doc["note"]
    assert headers["x-gutkg-truncated"] == "true"
    assert "--max-rows" in headers["x-gutkg-note"]
    csv_status, csv_headers, csv_body = server.get("SELECT ?s WHERE { ?s a gkv:CausalClaim }", accept="text/csv")
    assert csv_status == 200 and csv_headers["x-gutkg-truncated"] == "true"
    assert len(csv_body.splitlines()) == 6


def test_cors_on_results_and_preflight(server):
    _, headers, _ = server.get("ASK {}")
    assert headers["access-control-allow-origin"] == "*"
    status, headers, _ = server.request(
        "OPTIONS",
        "/sparql",
        headers={
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204
    assert "POST" in headers["access-control-allow-methods"]
    assert "content-type" in headers["access-control-allow-headers"].lower()


def test_syntax_error_is_400_with_line_and_column(server):
    status, _, body = server.post_direct("SELECT ?x WHERE {\n  ?x ?p \n}")
    assert status == 400
    text = body.decode()
    assert "line 3, column" in text and "SPARQL syntax error" in text


def test_dataset_parameters_select_named_graphs(tmp_path_factory):
    """default-graph-uri / named-graph-uri choose graphs the server holds (nothing is fetched)."""
    folder = tmp_path_factory.mktemp("quads")
    quads = folder / "two-graphs.nq"
    quads.write_text(
        '<http://e.org/a> <http://e.org/p> "in g1" <http://e.org/g1> .\n'
        '<http://e.org/b> <http://e.org/p> "in g2" <http://e.org/g2> .\n',
        encoding="utf-8",
    )
    running = start_endpoint(folder, "--workers", "2", graph=[quads])
    try:
        q = "SELECT ?o WHERE { ?s <http://e.org/p> ?o }"
        _, _, body = running.get(q, **{"default-graph-uri": "http://e.org/g2"})
        assert [b["o"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["in g2"]
        _, _, body = running.get(q)
        assert json.loads(body)["results"]["bindings"] == []  # the default graph holds neither
        q2 = "SELECT ?g WHERE { GRAPH ?g { ?s <http://e.org/p> ?o } }"
        _, _, body = running.get(q2, **{"named-graph-uri": "http://e.org/g1"})
        assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["http://e.org/g1"]
    finally:
        running.stop()


# ------------------------------------------------------------------ pages


def test_browser_visiting_sparql_is_sent_to_the_ui(server):
    status, headers, _ = server.request("GET", "/sparql", headers={"Accept": "text/html"})
    assert status == 303 and headers["location"] == "/"


def test_ui_page_and_its_files_are_served_locally(server):
    from gutkg.sparql.endpoint import STATIC_FILES, check_static

    assert check_static() == [], "run scripts/build_assets.sh"
    status, headers, body = server.request("GET", "/")
    assert status == 200 and b"static/yasgui.min.js" in body
    assert "default-src 'self'" in headers["content-security-policy"]
    for name in STATIC_FILES:
        status, _, content = server.request("GET", f"/static/{name}")
        assert status == 200 and content, name
    assert b"https://" not in server.request("GET", "/")[2]


def test_bundled_questions_are_listed_for_the_ui(server):
    status, _, body = server.request("GET", "/queries")
    names = [q["name"] for q in json.loads(body)]
    assert status == 200 and len(names) >= 12 and "upstream-causes" in names
    status, _, body = server.request("GET", "/queries/upstream-causes")
    doc = json.loads(body)
    assert "VALUES (?concept)" in doc["ui_query"]
    status, _, _ = server.get(doc["ui_query"])
    assert status == 200
    assert server.request("GET", "/queries/no-such-question")[0] == 404


def test_explore_page_or_a_clear_404(server):
    status, headers, body = server.request("GET", "/explore", timeout=120)
    try:
        from gutkg.export.html import to_html  # noqa: F401
    except ImportError:
        assert status == 404 and b"explorer page is not available" in body
    else:
        assert status == 200 and headers["content-type"].startswith("text/html")
        assert b"probiotics" in body


def test_health_reports_workers_and_sandbox(server):
    info = server.health()
    assert info["alive_workers"] == 2 and len(info["worker_pids"]) == 2
    assert info["triples"] > 0
    assert info["max_rows"] == 5
    assert info["sandbox"]


def test_repeated_query_is_answered_from_the_cache(server):
    query = "SELECT ?c WHERE { ?c a gkv:Disease } ORDER BY ?c # cache test"
    first = server.get(query)
    second = server.get(query)
    assert first[0] == second[0] == 200
    assert first[1]["x-gutkg-cache"] == "miss" and second[1]["x-gutkg-cache"] == "hit"
    assert first[1]["server-timing"].startswith("query;dur=") and "wait;dur=" in first[1]["server-timing"]
    assert "server-timing" not in second[1]
    assert first[2] == second[2] and b"celiac" in second[2]
    assert server.get(query, accept="text/csv")[1]["x-gutkg-cache"] == "miss"  # the format is part of the key


def test_ctrl_c_stops_the_server_and_its_workers(tmp_path):
    running = start_endpoint(tmp_path, "--workers", "2")
    pids = running.health()["worker_pids"]
    assert len(pids) == 2
    running.stop()  # SIGINT, as Ctrl+C sends
    assert running.proc.returncode == 0
    for pid in pids:
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.05)
        assert not Path(f"/proc/{pid}").exists(), f"worker {pid} outlived the server"


def test_host_open_to_the_network_is_warned_about(tmp_path):
    """``--host 0.0.0.0`` opens the endpoint to the network: the command says so on stderr. (The
    port is held on loopback first, so the server never actually listens beyond this machine.)"""
    import socket

    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    env = {**os.environ, "GUTKG_CACHE": str(tmp_path / "cache")}

    def serve(host: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-c",
                "from gutkg.cli import main; main()",
                "serve",
                "--host",
                host,
                "--port",
                str(port),
                "--graph",
                str(FIXTURE),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
            env=env,
        )

    try:
        done, loopback = serve("0.0.0.0"), serve("127.0.0.1")
    finally:
        holder.close()
    assert done.returncode != 0 and "cannot listen" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    warning = next(line for line in done.stderr.splitlines() if "0.0.0.0" in line and "network" in line)
    assert "read-only" in warning and "127.0.0.1" in warning
    assert loopback.returncode != 0 and "cannot listen" in loopback.stderr
    assert "network" not in loopback.stderr.lower(), loopback.stderr
