"""The Python API the CLI is thin over: gutkg.load() and its results, and python -m gutkg."""

from __future__ import annotations

import subprocess
import sys

import pytest

import gutkg
from gutkg.errors import UnknownConceptError
from tests.conftest import data


@pytest.fixture(scope="module")
def kg():
    return gutkg.load(data("grading.ttl"))


def test_load_and_explain_by_name(kg):
    e = kg.explain("microbes", "illness")
    assert e.verdict.leaders == ["reverse"]
    human = kg.explain("microbes", "illness", evidence="human")
    assert human.filter == "species/model: human"
    assert "microbes" in repr(kg) or "KnowledgeGraph" in repr(kg)


def test_names_resolve_as_on_the_command_line(kg):
    assert kg.id("Illness") == "illness" and kg.id("gkc:illness") == "illness"
    with pytest.raises(UnknownConceptError, match="illnes"):
        kg.explain("microbes", "illnes")


def test_results_show_a_short_repr_and_an_escaped_card(kg):
    e = kg.explain("microbes", "illness")
    assert len(repr(e)) < 300 and repr(e).startswith("<Explanation: ")
    html = e._repr_html_()
    assert html.startswith("<pre") and "illness → microbes" in html and "<script" not in html
    assert e.to_dict()["verdict"]["leaders"] == ["reverse"]
    for result in (kg.paths("microbes", "illness"), kg.loops(through="microbes"), kg.rivals("microbes"),
                   kg.adjust("microbes", "illness")):
        assert len(repr(result)) < 300 and result.text() and result.to_dict()


def test_show_and_query(kg):
    card = kg.show("gkcl:trial_drug__decreases__trial_outcome")
    assert "grade: high" in card.text() and card.to_dict()["kind"] == "causal claim"
    assert "trial drug" in kg.show("trial drug").text()
    frame = kg.query("SELECT ?c WHERE { ?c a gkv:CausalClaim }", dataframe=True)
    assert len(frame) == kg.network.number_of_edges()
    rows = kg.query("measurement-methods", state="gkc:leak").dicts()
    assert [r["methodLabel"] for r in rows] == ["sugar test"]


def test_python_dash_m_gutkg():
    out = subprocess.run([sys.executable, "-m", "gutkg", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "explain" in out.stdout


def test_show_resolves_references_and_search_finds_them(run_cli):
    graph = ("--graph", str(data("grading.ttl")))
    by_citation = run_cli("show", "Treat 2016", *graph)
    assert by_citation.exit_code == 0, by_citation.output
    assert "doi:10.0000/treat2016" in by_citation.output
    assert "supports: illness increases microbes [causal claim, supported; treatment response]" in by_citation.output
    assert run_cli("show", "10.0000/treat2016", *graph).output == by_citation.output
    assert run_cli("show", "gkref:treat2016", *graph).output == by_citation.output
    found = run_cli("search", "Treat", *graph)
    assert found.exit_code == 0 and "reference  Treat et al. 2016" in found.output
    missing = run_cli("show", "Nobody 1999", *graph)
    assert missing.exit_code != 0 and "unknown concept" in missing.output
