"""Real SPARQL clients against a running ``gutkg serve``: SPARQLWrapper and rdflib's SPARQLStore in
every result format they speak, and curl as a newcomer would use it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest

from tests.endpoint import start_endpoint

PREFIXES = "PREFIX gkv: <https://w3id.org/gutkg/vocab#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
SELECT = PREFIXES + "SELECT ?c ?label WHERE { ?c a gkv:Intervention ; skos:prefLabel ?label } ORDER BY ?label"
ASK = PREFIXES + "ASK { ?c a gkv:Intervention }"
CONSTRUCT = PREFIXES + "CONSTRUCT { ?c skos:prefLabel ?label } WHERE { ?c a gkv:Intervention ; skos:prefLabel ?label }"
LABELS = ["gluten-free diet", "probiotics"]
GFD = "https://w3id.org/gutkg/concept/gfd"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_endpoint(tmp_path_factory.mktemp("clients"), "--workers", "2")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def endpoint(server):
    return server.url + "sparql"


# ------------------------------------------------------------------ SPARQLWrapper


def wrapper(endpoint: str, query: str, fmt: str, method: str):
    from SPARQLWrapper import POST, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method == "POST":
        sw.setMethod(POST)
    return sw.query()


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select(endpoint, fmt, method):
    response = wrapper(endpoint, SELECT, fmt, method)
    converted = response.convert()
    if fmt == "json":
        labels = [b["label"]["value"] for b in converted["results"]["bindings"]]
    elif fmt == "xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        labels = [lit.firstChild.data for lit in converted.getElementsByTagName("literal")]
        assert converted.documentElement.namespaceURI == ns.strip("{}")
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(converted.decode())))
        labels = [r["label"] for r in rows]
    else:
        lines = converted.decode().splitlines()
        assert lines[0] == "?c\t?label"
        labels = [line.split("\t")[1].split('"')[1] for line in lines[1:]]
    assert labels == LABELS


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_sparqlwrapper_ask(endpoint, fmt):
    converted = wrapper(endpoint, ASK, fmt, "GET").convert()
    if fmt == "json":
        assert converted["boolean"] is True
    else:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["turtle", "n3", "xml", "json-ld"])
def test_sparqlwrapper_construct(endpoint, fmt, method):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import SKOS

    converted = wrapper(endpoint, CONSTRUCT, fmt, method).convert()
    if isinstance(converted, Graph):
        graph = converted
    else:
        text = converted.decode() if isinstance(converted, bytes) else converted
        graph = Graph().parse(
            data=text if isinstance(text, str) else json.dumps(text),
            format={"turtle": "turtle", "n3": "turtle", "json-ld": "json-ld"}[fmt],
        )
    assert len(graph) == 2
    assert (URIRef(GFD), SKOS.prefLabel, Literal("gluten-free diet", lang="en")) in graph


# ------------------------------------------------------------------ rdflib SPARQLStore


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_rdflib_sparqlstore_select_and_ask(endpoint, fmt):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(endpoint, returnFormat=fmt))
    rows = list(graph.query(SELECT))
    assert [str(r.label) for r in rows] == LABELS
    assert [str(r.c).rsplit("/", 1)[1] for r in rows] == ["gfd", "probiotics"]
    if fmt in {"json", "xml"}:
        assert graph.query(ASK).askAnswer is True


def test_rdflib_sparqlstore_construct(endpoint):
    """rdflib asks for RDF/XML for graph results (its only RDF result format)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import SKOS
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    built = Graph(store=SPARQLStore(endpoint, returnFormat="xml")).query(CONSTRUCT).graph
    assert built is not None and len(built) == 2
    assert (URIRef(GFD), SKOS.prefLabel, Literal("gluten-free diet", lang="en")) in built


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_rdflib_sparqlstore_triples(endpoint, fmt):
    """Graph.triples() on a SPARQLStore: rdflib writes the SELECT itself."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(endpoint, returnFormat=fmt))
    kinds = list(graph.triples((URIRef(GFD), RDF.type, None)))
    assert kinds and all(str(o).endswith("#Intervention") for _, _, o in kinds)


def test_rdflib_sparqlupdatestore_is_refused(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(endpoint, endpoint)
    with pytest.raises(Exception, match="403"):
        store.update("INSERT DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }")
    assert len(list(store.triples((None, None, None)))) > 0  # and nothing was lost


def test_large_replies_arrive_whole_again_and_again(server):
    """Regression: uvloop makes the worker pipe non-blocking, and a reply larger than the pipe
    buffer (64 kB) was then read half-way and taken for a crashed worker."""
    before = server.health()
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    for i in range(4):
        status, headers, body = server.get(f"{query} # {i}", accept="application/sparql-results+xml", format="xml")
        assert status == 200, body[:200]
        assert len(body) > 65536 and "x-gutkg-truncated" not in headers
    after = server.health()
    assert after["crashes"] == before["crashes"] and after["restarts"] == before["restarts"]


# ------------------------------------------------------------------ curl


def test_curl_with_accept_csv_gets_csv(endpoint):
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    out = subprocess.run(
        ["curl", "-s", "-H", "Accept: text/csv", "--data-urlencode", f"query={SELECT}", endpoint],
        capture_output=True,
        check=True,
        timeout=60,
    )
    rows = list(csv.reader(io.StringIO(out.stdout.decode())))
    assert rows[0] == ["c", "label"]
    assert [r[1] for r in rows[1:]] == LABELS
