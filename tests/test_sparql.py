"""gutkg query / gutkg queries, the result writers, parameter binding and the query guard.

Result writers are checked by reading their output back with independent parsers (rdflib's
SPARQL result parsers, the csv module, pyoxigraph's RDF parser), not by comparing to our own text.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from gutkg.errors import ParseError, QueryError
from gutkg.sparql.guard import QueryRefused, QueryTooLarge, check_query, keywords
from gutkg.sparql.params import bind, parse_value
from gutkg.sparql.questions import get
from gutkg.sparql.results import FORMATS, write
from gutkg.sparql.runner import prepare, run
from gutkg.store import QueryResult, Term
from tests.conftest import data

XSD = "http://www.w3.org/2001/XMLSchema#"
FIXTURE = str(data("sparql_questions.ttl"))
TRICKY = QueryResult(
    "select",
    vars=["s", "label", "n", "missing"],
    rows=[
        (
            Term.iri("http://e.org/a"),
            Term.literal('say "hi",\tthen\nleave', lang="en"),
            Term.literal("3", XSD + "integer"),
            None,
        ),
        (Term.bnode("b0"), Term.literal("<b> & ü"), Term.literal("2.50", XSD + "decimal"), None),
    ],
)


@pytest.fixture(scope="module")
def store():
    from gutkg.loading import load

    return load([data("sparql_questions.ttl")], store="oxigraph")


# ------------------------------------------------------------------ result writers


def _rdflib_rows(body: bytes, fmt: str) -> list[dict[str, object]]:
    from rdflib.query import Result

    parsed = Result.parse(io.BytesIO(body), format=fmt)
    return [{str(k): v for k, v in row.asdict().items()} for row in parsed]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_json_and_xml_results_read_back_with_rdflib(fmt):
    from rdflib import BNode, Literal, URIRef

    rows = _rdflib_rows(write(TRICKY, fmt), fmt)
    assert len(rows) == 2
    first, second = rows
    assert first["s"] == URIRef("http://e.org/a")
    assert first["label"] == Literal('say "hi",\tthen\nleave', lang="en")
    assert first["n"] == Literal("3", datatype=URIRef(XSD + "integer"))
    assert "missing" not in first
    assert isinstance(second["s"], BNode)
    assert second["label"] == Literal("<b> & ü")


def test_tsv_reads_back_with_rdflib():
    from rdflib import Literal, URIRef

    rows = _rdflib_rows(write(TRICKY, "tsv"), "tsv")
    assert len(rows) == 2
    assert rows[0]["s"] == URIRef("http://e.org/a")
    assert rows[0]["label"] == Literal('say "hi",\tthen\nleave', lang="en")
    assert rows[1]["n"] == Literal("2.50", datatype=URIRef(XSD + "decimal"))


def test_csv_is_rfc4180_with_lexical_forms():
    table = list(csv.reader(io.StringIO(write(TRICKY, "csv").decode())))
    assert table[0] == ["s", "label", "n", "missing"]
    assert table[1] == ["http://e.org/a", 'say "hi",\tthen\nleave', "3", ""]
    assert table[2][0] == "_:b0"


def test_ask_in_every_tabular_format():
    result = QueryResult("ask", boolean=True)
    assert json.loads(write(result, "json")) == {"head": {}, "boolean": True}
    assert b"<boolean>true</boolean>" in write(result, "xml")
    assert write(result, "csv").decode().split() == ["_askResult", "true"]
    assert write(result, "table") == b"true\n"


def test_truncation_is_stated_in_the_payload():
    cut = QueryResult("select", vars=["x"], rows=[(Term.literal("1"),)], truncated=True, note="result cut at 1 rows")
    doc = json.loads(write(cut, "json"))
    assert doc["truncated"] is True and "cut at 1" in doc["note"]
    assert b"truncated: result cut at 1 rows" in write(cut, "xml")
    assert write(cut, "table").decode().rstrip().endswith("truncated: result cut at 1 rows")
    assert len(_rdflib_rows(write(cut, "xml"), "xml")) == 1  # the comment does not break readers


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_graph_formats_parse_back(fmt):
    from gutkg.store.oxigraph import parse_triples

    a = Term.iri("https://w3id.org/gutkg/concept/a")
    triples = [
        (a, Term.iri("http://www.w3.org/2004/02/skos/core#prefLabel"), Term.literal('A "x"', lang="en")),
        (a, Term.iri("http://e.org/n"), Term.literal("5", XSD + "integer")),
    ]
    body = write(QueryResult("graph", triples=triples), fmt)
    assert sorted(parse_triples(body, fmt=fmt)) == sorted(triples)


def test_a_graph_result_refuses_a_table_format():
    with pytest.raises(QueryError, match="CONSTRUCT/DESCRIBE result cannot be written as csv"):
        write(QueryResult("graph"), "csv")
    with pytest.raises(QueryError, match="SELECT/ASK result cannot be written as turtle"):
        write(QueryResult("select"), "turtle")
    assert set(FORMATS) >= {"json", "xml", "csv", "tsv", "table", "turtle", "ntriples", "jsonld"}


# ------------------------------------------------------------------ parameters


def test_param_values_become_terms():
    assert parse_value("<http://e.org/x>") == Term.iri("http://e.org/x")
    assert parse_value("http://e.org/x") == Term.iri("http://e.org/x")
    assert parse_value("gkref:lee2018") == Term.iri("https://w3id.org/gutkg/ref/lee2018")
    assert parse_value("MONDO:0005130").value.endswith("MONDO_0005130")
    assert parse_value('"a \\"b\\""@en') == Term.literal('a "b"', lang="en")
    assert parse_value('"7"^^xsd:integer') == Term.literal("7", XSD + "integer")
    assert parse_value("2.5") == Term.literal("2.5", XSD + "decimal")
    assert parse_value("leaky gut") == Term.literal("leaky gut")


def test_hostile_param_value_stays_a_value(store):
    """A value that looks like SPARQL is bound as a string, never pasted into the query."""
    hostile = 'x")) } } DROP ALL ; SELECT * { ?s ?p ?o } #'
    result = run(store, "concept-search", [f"text={hostile}"])
    assert result.rows == []
    assert len(run(store, "concept-search", ["text=leaky"]).rows) == 1


def test_param_checks_against_the_question(store):
    q = get("upstream-causes")
    with pytest.raises(QueryError, match=r"has no parameter 'concpt'.*concept"):
        bind(["concpt=x"], q, store)
    with pytest.raises(QueryError, match="needs --param concept="):
        bind([], q, store)
    with pytest.raises(QueryError, match="must be an IRI or a CURIE"):
        bind(["hypothesis=barrier"], get("hypothesis-claims"), store)
    with pytest.raises(QueryError, match="write NAME=VALUE"):
        bind(["no equals sign"], q, store)
    assert bind(["concept=Leaky Gut"], q, store) == {"concept": Term.iri("https://w3id.org/gutkg/concept/permeability")}


def test_unknown_concept_lists_close_names(store):
    from gutkg.errors import UnknownConceptError

    with pytest.raises(UnknownConceptError, match="zonulin"):
        run(store, "upstream-causes", ["concept=zonulinn"])


def test_prepare_reads_files_names_and_inline_text(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK {}", encoding="utf-8")
    assert prepare(f"@{path}").text == "ASK {}"
    assert prepare("feedback-loops").question is not None
    assert prepare("ASK { ?s ?p ?o }").question is None
    with pytest.raises(QueryError, match="Did you mean: feedback-loops"):
        prepare("feedback-loop")
    with pytest.raises(Exception, match="no such query file"):
        prepare(f"@{tmp_path / 'missing.rq'}")


def test_syntax_error_names_line_column_and_text(store):
    with pytest.raises(ParseError) as info:
        run(store, "SELECT ?x WHERE {\n  ?x a gkv:Disease ;\n  FILTER(?x = ) }")
    err = info.value
    assert err.line == 3 and err.column
    assert "FILTER(?x = )" in str(err) and "^" in str(err)


def test_syntax_error_with_bound_parameters_points_into_the_users_text(store):
    """Bound parameters are spliced into the query as a VALUES block; a syntax error must still be
    reported at its line and column in the text the user wrote (found by parsing that text alone,
    never by running it unbound on the data)."""
    with pytest.raises(ParseError) as info:
        run(store, "SELECT ?x WHERE { ?x ?p ?concept .\n  FILTER(?x = ) }", ["concept=gkc:zonulin"])
    err = info.value
    assert err.line == 2 and err.column
    assert "FILTER(?x = )" in str(err)


def test_a_bound_query_runs_once_on_the_data():
    """The bound query is the only one that touches the data: the unbound text used to be run first
    (for error positions), and a path query with its parameters unbound took 34 s of a 35 s
    `gutkg query common-causes`."""
    from gutkg.loading import load

    store = load([data("sparql_questions.ttl")], store="oxigraph")
    calls: list[str] = []
    real = store.ox

    class Counting:
        def __getattr__(self, name):
            return getattr(real, name)

        def query(self, text, **kwargs):
            calls.append(text)
            return real.query(text, **kwargs)

    store.ox = Counting()
    result = run(store, "common-causes", ["a=gkc:zonulin", "b=gkc:zonulin"])
    assert result.kind == "select"
    assert len(calls) == 1 and "VALUES" in calls[0]


# ------------------------------------------------------------------ the CLI


def test_cli_query_table_with_a_bundled_question(run_cli):
    result = run_cli("query", "upstream-causes", "--param", "concept=leaky gut", "--graph", FIXTURE)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["cause", "causeLabel", "direct"]
    assert "gkc:dysbiosis" in lines[2]
    assert lines[-1] == "6 rows"


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("csv", lambda out: out.splitlines()[0] == "concept,label,category"),
        ("tsv", lambda out: out.splitlines()[0] == "?concept\t?label\t?category"),
        ("json", lambda out: json.loads(out)["head"]["vars"] == ["concept", "label", "category"]),
        ("xml", lambda out: '<variable name="concept"/>' in out),
    ],
)
def test_cli_query_result_formats(run_cli, fmt, check):
    result = run_cli("query", "unmapped-concepts", "--graph", FIXTURE, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "gluten" in result.output
    assert check(result.output)


def test_cli_construct_in_rdf_formats(run_cli):
    query = "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a gkv:Intervention ; skos:prefLabel ?l }"
    result = run_cli("query", query, "--graph", FIXTURE, "--format", "ntriples")
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 2
    turtle = run_cli("query", query, "--graph", FIXTURE)
    assert "gkc:probiotics" in turtle.output and "@prefix gkc:" in turtle.output
    assert json.loads(run_cli("query", query, "--graph", FIXTURE, "--format", "jsonld").output)


def test_cli_syntax_error_is_a_clean_message(run_cli):
    from click.testing import CliRunner

    from gutkg.cli import main

    result = CliRunner().invoke(main, ["query", "SELECT ?x WHERE { ?x ?p }", "--graph", FIXTURE])
    assert result.exit_code == 2
    assert "line 1, column" in result.output and "SELECT ?x WHERE { ?x ?p }" in result.output
    assert "Traceback" not in result.output


def test_cli_query_from_file_with_limit(run_cli, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("SELECT ?c WHERE { ?c a gkv:CausalClaim } ORDER BY ?c", encoding="utf-8")
    result = run_cli("query", f"@{path}", "--graph", FIXTURE, "--limit", "2", "--format", "csv")
    assert result.exit_code == 0
    assert result.output.splitlines()[1:3] == ["https://w3id.org/gutkg/claim/c1", "https://w3id.org/gutkg/claim/c10"]
    assert "note: result cut at 2 rows" in result.output


def test_cli_queries_lists_and_shows(run_cli):
    listing = run_cli("queries")
    assert listing.exit_code == 0
    assert "upstream-causes" in listing.output and "concept=..." in listing.output
    from gutkg.sparql.questions import catalog

    for question in catalog().values():  # listed by title, the words the query UI shows too
        assert question.title and question.title in listing.output, question.name
    shown = json.loads(run_cli("queries", "common-causes", "--format", "json").output)
    assert [p["name"] for p in shown["params"]] == ["a", "b"]
    assert "SELECT" in shown["query"]
    everything = json.loads(run_cli("queries", "--format", "json").output)
    assert len(everything) >= 12


# ------------------------------------------------------------------ the guard


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }",
        "PREFIX ex: <http://e.org/> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "drop graph <http://e.org/g>",
        "WITH <http://e.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ex:a\\'b ?o . SERVICE <http://evil.example/> { ?x ?y ?z } } # '",
    ],
)
def test_guard_refuses_updates_and_federation(query):
    with pytest.raises(QueryRefused):
        check_query(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service ?load WHERE { ?service <http://e.org/load> 'SERVICE' }",
        'ASK { ?s ?p """LOAD <x>\nSERVICE <y> {}""" }',
        "SELECT * WHERE { ?s <http://e.org/service> ?o } # SERVICE <http://e.org/>",
        "PREFIX service: <http://e.org/> SELECT * WHERE { ?s service:drop ?o }",
        "SELECT * WHERE { ?s ?p 'x'@service }",
    ],
)
def test_guard_lets_lookalikes_through(query):
    assert check_query(query).form == "select" or query.startswith("ASK")


def test_guard_size_cap_and_forms():
    with pytest.raises(QueryTooLarge, match="at most 1,000"):
        check_query("ASK {} #" + "x" * 2000, max_bytes=1000)
    assert check_query("CONSTRUCT WHERE { ?s ?p ?o }").form == "graph"
    assert check_query("PREFIX a: <http://e.org/> BASE <http://e.org/> ASK {}").form == "ask"
    assert keywords("SELECT ?x { ?x a <http://e.org/INSERT> }") == ["SELECT", "A"]


# ------------------------------------------------------------------ vendored query UI


def test_vendored_query_ui_is_complete_and_matches_the_pinned_build():
    """The built YASGUI files ship in the package (pip install works offline) and are the
    version pinned in assets/yasgui/package-lock.json (rebuild: bash scripts/build_assets.sh)."""
    from gutkg.sparql.endpoint import check_static, static_dir
    from tests.conftest import ROOT

    assert check_static() == [], "missing UI files: run bash scripts/build_assets.sh"
    folder = static_dir()
    assert len(folder.joinpath("yasgui.min.js").read_bytes()) > 500_000
    lock = json.loads((ROOT / "assets" / "yasgui" / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/@zazuko/yasgui"]["version"]
    licences = folder.joinpath("THIRD_PARTY_LICENSES.md").read_text()
    assert f"| @zazuko/yasgui | {pinned} | MIT |" in licences
    page = folder.joinpath("index.html").read_text()
    assert "http://" not in page.replace("http://HOST:PORT", "") and "https://" not in page
    ui = folder.joinpath("gutkg-ui.js").read_text()
    assert 'autocompleters: ["prefixes", "variables"]' in ui  # LOV look-ups (outside calls) off


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_construct_with_a_bound_parameter(backend):
    """Regression: on Oxigraph the VALUES block went into the CONSTRUCT template (a syntax error)."""
    from gutkg.loading import load

    st = load([data("sparql_questions.ttl")], store=backend)
    query = "CONSTRUCT # the template\n{ ?s skos:prefLabel ?o } WHERE { ?s skos:prefLabel ?o }"
    result = run(st, query, ["s=gkc:probiotics"])
    assert result.kind == "graph"
    assert [t[2].value for t in result.triples] == ["probiotics"]
