"""The W3C SPARQL 1.1 Protocol test suite, replayed against a real ``gutkg serve``.

The manifest (tests/peer/w3c-sparql11-protocol/manifest.ttl, copied from the W3C rdf-tests
repository with its licence) describes each test as HTTP requests (method, path, headers, body and
its character encoding) and the expected response (status class, result format, ASK answer). This
driver reads it with rdflib, loads every ``ut:graphData`` file into the named graph its label
gives, sends each request byte for byte to the server on 127.0.0.1 and checks the response.

Tests whose updates must *succeed* are skipped with the reason (the endpoint is read-only by
design); the ``bad_update_*`` tests, which expect a 4xx, run like the others.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.endpoint import start_endpoint

SUITE = Path(__file__).parent / "peer" / "w3c-sparql11-protocol"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

#: Tests whose requests must be executed as updates: a read-only endpoint cannot pass them.
READ_ONLY_REASON = "needs SPARQL Update to succeed; gutkg serve is read-only by design and answers updates with 403"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    fmt: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[Request]
    graphs: dict[str, Path] = field(default_factory=dict)

    @property
    def needs_update(self) -> bool:
        return self.name.startswith("update_")


def load_manifest() -> list[ProtocolTest]:
    from rdflib import Graph, URIRef
    from rdflib.collection import Collection

    g = Graph()
    path = SUITE / "manifest.ttl"
    g.parse(path, format="turtle", publicID=path.as_uri())
    u = URIRef

    def one(node, prop):  # type: ignore[no-untyped-def]
        return g.value(node, u(prop))

    manifest = next(g.subjects(u(MF + "entries"), None))
    tests = []
    for entry in Collection(g, one(manifest, MF + "entries")):
        name = str(entry).rsplit("#", 1)[1]
        graphs = {
            str(one(gd, RDFS + "label")): Path(str(one(gd, UT + "graph")).removeprefix("file://"))
            for gd in g.objects(entry, u(UT + "graphData"))
        }
        requests = []
        for req in Collection(g, one(one(entry, MF + "action"), HT + "requests")):
            headers = {}
            if one(req, HT + "headers") is not None:
                for h in Collection(g, one(req, HT + "headers")):
                    headers[str(one(h, HT + "fieldName"))] = str(one(h, HT + "fieldValue"))
            body_node = one(req, HT + "body")
            body = None
            if body_node is not None:
                encoding = str(one(body_node, CNT + "characterEncoding") or "UTF-8")
                body = str(one(body_node, CNT + "chars")).encode(encoding.lower())
            resp = one(req, HT + "resp")
            statuses = {str(s).removeprefix(HTS) for s in g.objects(resp, u(MF + "expectedStatus"))}
            fmt = one(resp, MF + "expectedFormat")
            boolean = one(resp, MF + "expectedBoolean")
            requests.append(
                Request(
                    str(one(req, HT + "methodName")),
                    str(one(req, HT + "absolutePath")),
                    headers,
                    body,
                    statuses,
                    str(fmt) if fmt is not None else None,
                    boolean.toPython() if boolean is not None else None,
                )
            )
        tests.append(ProtocolTest(name, str(one(entry, MF + "name")), requests, graphs))
    return tests


TESTS = load_manifest()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server holding every data file of the suite in the named graph the manifest gives it."""
    folder = tmp_path_factory.mktemp("w3c-protocol")
    graphs: dict[str, Path] = {}
    for test in TESTS:
        graphs.update(test.graphs)
    lines = []
    for label, path in sorted(graphs.items()):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(line.rstrip().removesuffix(".").rstrip() + f" <{label}> .")
    quads = folder / "protocol-data.nq"
    quads.write_text("\n".join(lines) + "\n", encoding="utf-8")
    running = start_endpoint(folder, "--workers", "2", graph=[quads])
    yield running
    running.stop()


def check_format(expected: str, content_type: str, body: bytes, boolean: bool | None) -> None:
    media = content_type.split(";")[0].strip()
    if expected == "boolean":
        assert media in {"application/sparql-results+json", "application/sparql-results+xml"}, media
        if media.endswith("json"):
            value = json.loads(body)["boolean"]
        else:
            node = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
            assert node is not None
            value = node.text == "true"
        if boolean is not None:
            assert value is boolean
    elif expected == "tabular":
        assert media in {
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        }, media
        assert body
    elif expected == "RDF":
        from gutkg.store.oxigraph import parse_triples

        fmt = {"application/rdf+xml": "rdfxml", "text/turtle": "turtle", "application/n-triples": "ntriples"}.get(media)
        assert fmt, f"{media} is not RDF/XML, Turtle or N-Triples"
        parse_triples(body, fmt=fmt)
    else:
        raise AssertionError(f"unknown expected format {expected!r}")


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(server, test):
    if test.needs_update:
        pytest.skip(READ_ONLY_REASON)
    assert test.requests, "a protocol test has at least one request"
    for req in test.requests:
        path = "/sparql/" + req.path.removeprefix("/sparql/")
        status, headers, body = server.request(req.method, path, req.body, req.headers)
        assert f"{status // 100}xx" in req.statuses, (
            f"{test.name}: {req.method} {req.path} gave {status}, expected {sorted(req.statuses)}: {body[:300]!r}"
        )
        if req.fmt and status < 300:
            check_format(req.fmt, headers.get("content-type", ""), body, req.boolean)


def test_manifest_was_read_completely():
    assert len(TESTS) == 34
    assert sum(t.needs_update for t in TESTS) == 7
    assert all(t.requests and all(r.statuses for r in t.requests) for t in TESTS)
