"""The Python API the CLI is thin over: gutkg.load() and its results, and python -m gutkg."""

from __future__ import annotations

import re
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


def every_result(kg):
    return [
        kg.explain("microbes", "illness"),
        kg.paths("illness", "microbes"),
        kg.loops(through="microbes"),
        kg.rivals("microbes"),
        kg.adjust("microbes", "illness"),
        kg.rank(),
        kg.show("microbes"),
        kg.show("gkcl:trial_drug__decreases__trial_outcome"),
        kg.show("Treat 2016"),
        kg.query("SELECT ?c ?l WHERE { ?c skos:prefLabel ?l }", dataframe=False),
    ]


def test_every_result_has_a_short_repr_text_dict_and_a_card(kg):
    for result in every_result(kg):
        name = type(result).__name__
        assert len(repr(result)) < 300 and repr(result).startswith(f"<{name}"), repr(result)
        assert str(result) == result.text() and result.text().strip(), name
        assert result.to_dict(), name
        card = result._repr_html_()
        assert card.startswith("<div class='gutkg-card'") and len(card) < 60_000, name
    e = kg.explain("microbes", "illness")
    assert "illness → microbes" in e._repr_html_() and e.to_dict()["verdict"]["leaders"] == ["reverse"]


def test_cards_are_readable_tables_not_dumps(kg):
    paths = kg.paths("illness", "microbes")
    card = paths._repr_html_()
    assert "<table" in card and "illness ─(+)→ microbes" in card and "Treat et al. 2016" in card
    reference = kg.show("Treat 2016")._repr_html_()
    assert '<a href="https://doi.org/10.0000/treat2016">doi:10.0000/treat2016</a>' in reference


def test_bundled_graph_cards_stay_compact():
    """Displaying a result once dumped a 226,627-character repr into the notebook."""
    big = gutkg.load()
    loops = big.loops(through="increased intestinal permeability")
    assert len(loops.text()) > 20_000  # a long answer…
    assert len(repr(loops)) < 300 and len(loops._repr_html_()) < 20_000  # …shown as a compact card
    assert "<strong>Feedback loops through increased intestinal permeability</strong>" in loops._repr_html_()


def test_hostile_text_is_escaped_in_every_card():
    hostile = gutkg.load(data("html_xss.ttl"))
    cards = [
        hostile.show("plain & simple"),
        hostile.show("gkcl:evil__increases__plain"),
        hostile.show("gkref:hostile2020"),
        hostile.paths("gkc:evil", "plain & simple"),
        hostile.query("SELECT ?l WHERE { ?c skos:prefLabel ?l }", dataframe=False),
    ]
    for result in cards:
        card = result._repr_html_()
        tags = set(re.findall(r"<([a-zA-Z]+)", card))
        assert tags <= {
            "div",
            "strong",
            "span",
            "p",
            "table",
            "tr",
            "th",
            "td",
            "a",
            "ul",
            "li",
            "details",
            "summary",
            "pre",
            "br",
        }, (type(result).__name__, tags)
        assert not re.search(r"<[^>]*\son\w+=", card) and 'href="javascript' not in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in cards[3]._repr_html_()


def test_results_import_no_renderer():
    """Renderers import results, never the reverse (gutkg.display is the only meeting point)."""
    import ast
    from pathlib import Path

    src = Path(gutkg.__file__).parent
    for module in [
        *sorted((src / "analysis").glob("*.py")),
        src / "cards.py",
        src / "display.py",
        *sorted((src / "store").glob("*.py")),
    ]:
        imported = {
            node.module
            for node in ast.walk(ast.parse(module.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert "gutkg.html_cards" not in imported, module


def test_show_and_query(kg):
    card = kg.show("gkcl:trial_drug__decreases__trial_outcome")
    assert "grade: high" in card.text() and card.to_dict()["kind"] == "causal claim"
    assert "trial drug" in kg.show("trial drug").text()
    frame = kg.query("SELECT ?c WHERE { ?c a gkv:CausalClaim }", dataframe=True)
    assert len(frame) == kg.network.number_of_edges()
    rows = kg.query("measurement-methods", state="gkc:leak", dataframe=False).dicts()
    assert [r["methodLabel"] for r in rows] == ["sugar test"]


def test_query_gives_a_dataframe_when_pandas_is_there_in_the_query_order(kg):
    pytest.importorskip("pandas")
    frame = kg.query("SELECT * WHERE { ?claim a gkv:CausalClaim ; gkv:effect ?effect ; gkv:cause ?cause }")
    assert type(frame).__name__ == "DataFrame" and len(frame) == 11
    assert list(frame.columns) == ["claim", "effect", "cause"]
    assert kg.query("ASK { ?c a gkv:CausalClaim }").boolean is True


def test_show_refuses_unknown_claims_and_ambiguous_references(kg):
    from gutkg.errors import GutKGError

    with pytest.raises(GutKGError, match="no claim, association or measurement relation 'gkcl:nope'"):
        kg.show("gkcl:nope")
    concepts, references = kg.search("Treat")
    assert [r.citation for r in references] == ["Treat et al. 2016", "Treat et al. 2022"] and concepts == []
    with pytest.raises(GutKGError, match=r"'Treat' matches 2 references: Treat et al. 2016 \(gkref:treat2016\)"):
        kg.show("Treat")
    assert [c.label for c in kg.search("microbes")[0]][:1] == ["microbes"]


def test_python_dash_m_gutkg():
    out = subprocess.run([sys.executable, "-m", "gutkg", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "explain" in out.stdout


def test_show_resolves_references_and_search_finds_them(run_cli):
    graph = ("--graph", str(data("grading.ttl")))
    by_citation = run_cli("show", "Treat 2016", *graph)
    assert by_citation.exit_code == 0, by_citation.output
    assert "doi:10.0000/treat2016" in by_citation.output
    assert (
        "  - supports: illness increases microbes [causal claim, supported; treatment response]\n"
        "      gkcl:illness__increases__microbes\n"
    ) in by_citation.output
    assert run_cli("show", "10.0000/treat2016", *graph).output == by_citation.output
    assert run_cli("show", "gkref:treat2016", *graph).output == by_citation.output
    found = run_cli("search", "Treat", *graph)
    assert found.exit_code == 0 and "reference  Treat et al. 2016" in found.output
    missing = run_cli("show", "Nobody 1999", *graph)
    assert missing.exit_code != 0 and "unknown concept" in missing.output
