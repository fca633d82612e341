"""gutkg.export.selection: focus, paths, loops, questions, hypotheses and evidence filters."""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gutkg.analysis.filters import EvidenceFilter
from gutkg.errors import GutKGError, UnknownConceptError
from gutkg.export.selection import (
    loops_through,
    neighbourhood,
    resolve_concept,
    select,
    simple_paths,
)
from tests.conftest import data


@pytest.fixture(scope="module")
def small():
    from gutkg.loading import load
    from gutkg.network import to_network

    return to_network(load([data("html_small.ttl")]))


def test_no_options_selects_everything(small):
    sel = select(small)
    assert sel.graph.number_of_nodes() == 9
    assert sel.graph.number_of_edges() == 9
    assert sel.highlights == [] and sel.notes == [] and not sel.truncated
    assert sel.highlighted() is sel.graph


def test_focus_keeps_the_neighbourhood_either_way(small):
    sel = select(small, focus="zonulin", depth=1)
    assert sorted(sel.graph) == ["gliadin", "intestinal_permeability", "zonulin"]
    assert sel.focus == "zonulin"
    assert sel.notes == ["within 1 step of zonulin"]
    deeper = select(small, focus="zonulin", depth=2)
    assert {"dysbiosis", "butyrate", "autoimmune_disease"} <= set(deeper.graph)
    assert "larazotide" not in deeper.graph


def test_focus_by_synonym_and_any_case(small):
    assert select(small, focus="Pre-HP2").focus == "zonulin"
    assert resolve_concept(small, "LEAKY GUT") == "intestinal_permeability"
    assert resolve_concept(small, "gkc:celiac_disease") == "celiac_disease"


def test_unknown_concept_suggests_the_closest(small):
    with pytest.raises(UnknownConceptError, match="Did you mean: 'zonulin'"):
        select(small, focus="zonulinn")


def test_path_highlights_every_step_and_survives_the_focus(small):
    sel = select(small, focus="gliadin", depth=0, path=("gliadin", "autoimmune disease"))
    assert [h.kind for h in sel.highlights] == ["path", "path"]
    first = sel.highlights[0]
    assert first.nodes == ["gliadin", "zonulin", "intestinal_permeability", "autoimmune_disease"]
    assert first.label == "path gliadin → zonulin → intestinal permeability → autoimmune disease"
    assert ("zonulin", "intestinal_permeability", "zonulin__increases__intestinal_permeability") in first.edges
    # depth 0 keeps only the focus, but the highlighted path is added back
    assert set(first.nodes) <= set(sel.graph)
    lit = sel.highlighted()
    assert lit.number_of_edges() == len({e for h in sel.highlights for e in h.edges})
    assert "larazotide" not in lit


def test_no_path_is_a_note_not_an_error(small):
    sel = select(small, path=("larazotide", "gliadin"))
    assert sel.highlights == []
    assert sel.notes == ["no path from larazotide acetate to gliadin within 5 claims"]


def test_path_needs_two_concepts(small):
    with pytest.raises(GutKGError, match="two concepts"):
        select(small, path=("gliadin",))


def test_loops_are_found_once_and_through_the_focus(small):
    sel = select(small, loops=True)
    walks = [h.nodes for h in sel.highlights]
    # each loop once, from its alphabetically first concept, shortest first
    assert walks == [
        ["autoimmune_disease", "dysbiosis"],
        ["dysbiosis", "intestinal_permeability"],
        ["autoimmune_disease", "dysbiosis", "intestinal_permeability"],
    ]
    through = select(small, loops=True, focus="intestinal permeability", loop_length=2)
    assert [h.nodes for h in through.highlights] == [["intestinal_permeability", "dysbiosis"]]
    assert through.highlights[0].label == "loop intestinal permeability → dysbiosis → intestinal permeability"


def test_limit_truncates_and_says_so(small):
    sel = select(small, loops=True, limit=1)
    assert sel.truncated and len(sel.highlights) == 1
    assert any("truncated" in n for n in sel.notes)


def test_question_keeps_only_its_claims(small):
    sel = select(small, question="the reverse")
    assert sorted(k for _, _, k in sel.graph.edges(keys=True)) == [
        "autoimmune_disease__increases__dysbiosis",
        "dysbiosis__increases__autoimmune_disease",
        "dysbiosis__increases__intestinal_permeability",
        "intestinal_permeability__increases__autoimmune_disease",
        "intestinal_permeability__increases__dysbiosis",
    ]
    assert sorted(sel.graph) == ["autoimmune_disease", "dysbiosis", "intestinal_permeability"]


def test_unknown_question_lists_the_known_ones(small):
    with pytest.raises(GutKGError, match="gut_autoimmunity"):
        select(small, question="nothing like it")


def test_hypothesis_is_highlighted(small):
    sel = select(small, hypothesis="barrier failure")
    assert len(sel.highlights) == 1
    h = sel.highlights[0]
    assert h.kind == "hypothesis" and h.id == "barrier_common_cause"
    assert sorted(e[2] for e in h.edges) == [
        "intestinal_permeability__increases__autoimmune_disease",
        "intestinal_permeability__increases__dysbiosis",
    ]


def test_evidence_filter_runs_first(small):
    sel = select(small, evidence=EvidenceFilter(species=("mouse",)), loops=True)
    keys = sorted(k for _, _, k in sel.graph.edges(keys=True))
    assert keys == ["dysbiosis__increases__autoimmune_disease", "dysbiosis__increases__intestinal_permeability"]
    assert sel.notes[0] == "species/model: mouse"
    assert sel.highlights == []  # the loops need human or hypothesised claims


def test_as_dict_is_plain_data(small):
    d = select(small, path=("gliadin", "zonulin")).as_dict()
    assert d["nodes"] == 9 and d["claims"] == 9
    assert d["highlights"][0]["edges"] == [["gliadin", "zonulin", "gliadin__increases__zonulin"]]


def test_neighbourhood_depth_zero_is_the_centre():
    assert neighbourhood(nx.MultiDiGraph([("a", "b")]), "a", 0) == {"a"}


def test_self_loop_is_a_loop():
    g = nx.MultiDiGraph([("a", "a"), ("a", "b")])
    assert loops_through(g) == ([["a"]], False)


digraphs = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=25).map(
    lambda edges: nx.MultiDiGraph([(str(u), str(v)) for u, v in edges])
)


@settings(max_examples=60, deadline=None)
@given(digraphs, st.integers(1, 4))
def test_loops_match_networkx_simple_cycles(g, bound):
    """Every loop is a cycle of the graph, none is repeated, and none is missed."""
    found, truncated = loops_through(g, max_length=bound, limit=10_000)
    assert not truncated
    for cycle in found:
        assert len(cycle) <= bound and len(set(cycle)) == len(cycle)
        assert all(g.has_edge(u, v) for u, v in zip(cycle, cycle[1:] + cycle[:1], strict=True))

    def canonical(c: list[str]) -> tuple[str, ...]:
        i = c.index(min(c))
        return tuple(c[i:] + c[:i])

    ours = [canonical(c) for c in found]
    assert len(ours) == len(set(ours))
    expected = {canonical(list(c)) for c in nx.simple_cycles(nx.DiGraph(g), length_bound=bound)}
    assert set(ours) == expected


@settings(max_examples=60, deadline=None)
@given(digraphs, st.integers(0, 7), st.integers(0, 7))
def test_paths_are_simple_directed_paths(g, a, b):
    source, target = str(a), str(b)
    found, _ = simple_paths(g, source, target, max_length=4, limit=10_000)
    for p in found:
        assert p[0] == source and p[-1] == target and len(set(p)) == len(p) <= 5
        assert all(g.has_edge(u, v) for u, v in pairwise(p))
    if source in g and target in g and source != target:
        reachable = nx.has_path(g, source, target) and nx.shortest_path_length(g, source, target) <= 4
        assert bool(found) == reachable
