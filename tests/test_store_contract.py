"""One contract, every backend: the same store tests on each store (oaklib compliance style).

Backends are listed in BACKENDS (embedded) and REMOTE_BACKENDS (real servers that tests/servers.py
starts on loopback ports: Oxigraph server and Virtuoso; each remote test gets a fresh named graph).
Every comparison first asserts a non-empty result, so an empty store cannot pass.
"""

from __future__ import annotations

import pytest

from gutkg.errors import ParseError
from gutkg.store import Store, Term, new_store
from tests.conftest import data

BACKENDS = ["memory", "oxigraph"]
REMOTE_BACKENDS = ["oxigraph-server", "virtuoso"]
ALL_BACKENDS = BACKENDS + REMOTE_BACKENDS
EX = "http://example.org/"
NT = (
    f"<{EX}a> <{EX}p> <{EX}b> .\n"
    f"<{EX}b> <{EX}p> <{EX}c> .\n"
    f'<{EX}a> <{EX}label> "Alpha"@en .\n'
    f'<{EX}a> <{EX}n> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    f'<{EX}c> <{EX}label> "say \\"hi\\"\\nthere" .\n'
)


def make_store(backend: str) -> Store:
    if backend in REMOTE_BACKENDS:
        from tests.servers import remote_store

        return remote_store(backend)
    return new_store(backend)


@pytest.fixture(params=ALL_BACKENDS)
def store(request) -> Store:
    s = make_store(request.param)
    s.load(NT, fmt="ntriples", source="contract.nt")
    return s


def test_len_counts_triples(store):
    assert len(store) == 5


def test_select_returns_neutral_terms(store):
    result = store.query(f"SELECT ?o WHERE {{ <{EX}a> <{EX}p> ?o }}")
    assert result.kind == "select"
    assert result.vars == ["o"]
    assert result.rows == [(Term.iri(f"{EX}b"),)]


def test_literals_keep_language_datatype_and_escapes(store):
    rows = store.query(f"SELECT ?l ?n WHERE {{ <{EX}a> <{EX}label> ?l ; <{EX}n> ?n }}").rows
    assert rows, "expected one row"
    label, number = rows[0]
    assert (label.value, label.lang) == ("Alpha", "en")
    assert number.python() == 3
    text = store.query(f"SELECT ?l WHERE {{ <{EX}c> <{EX}label> ?l }}").rows[0][0]
    assert text.value == 'say "hi"\nthere'


def test_bindings_are_values_not_text(store):
    q = f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }}"
    rows = store.query(q, {"s": Term.iri(f"{EX}b")}).rows
    assert rows == [(Term.iri(f"{EX}c"),)]
    # a hostile "IRI" is just a value that matches nothing, never query text
    assert store.query(q, {"s": Term.literal("x> } ; DROP ALL ; #")}).rows == []


def test_ask_and_construct(store):
    assert store.query(f"ASK {{ <{EX}a> <{EX}p> <{EX}b> }}").boolean is True
    assert store.query(f"ASK {{ <{EX}b> <{EX}p> <{EX}a> }}").boolean is False
    graph = store.query(f"CONSTRUCT {{ ?o <{EX}q> ?s }} WHERE {{ ?s <{EX}p> ?o }}")
    assert graph.kind == "graph"
    assert sorted(t[0].value for t in graph.triples) == [f"{EX}b", f"{EX}c"]


def test_update_and_dump_roundtrip(store):
    store.update(f"INSERT DATA {{ <{EX}d> <{EX}p> <{EX}a> }}")
    assert len(store) == 6
    copy = make_store("memory")
    copy.load(store.dump("ntriples"), fmt="ntriples")
    assert len(copy) == 6


def test_syntax_error_has_position(store):
    with pytest.raises(ParseError) as err:
        store.query("SELECT ?x WHERE {\n  ?x ?y \n}")
    assert err.value.line is not None
    assert "SPARQL syntax error" in str(err.value)


@pytest.mark.parametrize("backend", ALL_BACKENDS)
def test_malformed_turtle_names_file_and_line(backend):
    bad = '@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\nex:a ex:p "open .\n'
    with pytest.raises(ParseError) as err:
        make_store(backend).load(bad, source="broken.ttl")
    assert "broken.ttl" in str(err.value)
    assert err.value.line == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_bundled_fixture_loads_the_same_everywhere(backend):
    from gutkg.loading import load

    loaded = load([data("valid_small.ttl")], store=backend)
    q = "SELECT ?c WHERE { ?c a <https://w3id.org/gutkg/vocab#CausalClaim> } ORDER BY ?c"
    rows = loaded.query(q).rows
    assert len(rows) == 2
    reference = load([data("valid_small.ttl")], store="memory").query(q).rows
    assert rows == reference
    # plain edges are materialised on load
    ro = "<http://purl.obolibrary.org/obo/RO_0002304>"
    assert loaded.query(
        f"ASK {{ <https://w3id.org/gutkg/concept/alpha> {ro} <https://w3id.org/gutkg/concept/beta> }}"
    ).boolean


@pytest.mark.parametrize("backend", REMOTE_BACKENDS)
def test_pushed_fixture_answers_the_same_remotely(backend):
    from gutkg.loading import load
    from gutkg.push import push
    from tests.servers import remote_store

    target = remote_store(backend)
    push(
        load([data("valid_small.ttl")], store="memory"),
        target.gsp_url,
        graph=target.graph,
        query_url=target.query_url,
        user=target.http.user,
        password=target.http.password,
    )
    q = "SELECT ?c WHERE { ?c a <https://w3id.org/gutkg/vocab#CausalClaim> } ORDER BY ?c"
    rows = target.query(q).rows
    assert len(rows) == 2
    assert rows == load([data("valid_small.ttl")], store="memory").query(q).rows
    ro = "<http://purl.obolibrary.org/obo/RO_0002304>"
    assert target.query(
        f"ASK {{ <https://w3id.org/gutkg/concept/alpha> {ro} <https://w3id.org/gutkg/concept/beta> }}"
    ).boolean
