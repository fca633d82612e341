"""The answer first: role grades, the verdict, keystone claims, exact counts, the first screen."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gutkg.analysis.explain import explain
from gutkg.analysis.verdict import ROLES, _Levels
from tests.conftest import data


@pytest.fixture(scope="module")
def mini():
    from gutkg.netcache import load_network

    return load_network([str(data("grading.ttl"))])


def test_the_reverse_rival_leads_on_a_treatment_response(mini):
    v = explain(mini, "microbes", "illness").verdict
    rows = {r.role: r for r in v.rows}
    assert v.leaders == ["reverse"]
    assert (rows["reverse"].label, rows["reverse"].human_label) == ("moderate", "moderate")
    assert rows["reverse"].kinds == ["treatment response"]
    assert (rows["forward"].label, rows["forward"].human_label) == ("low", "no route")
    assert rows["shared cause"].label == "none"
    assert v.answer[0] == "The evidence favours illness → microbes (moderate: treatment response)."
    assert v.human_answer.startswith("On primary human evidence only: illness → microbes leads (moderate")


def test_the_keystone_claim_is_the_one_whose_removal_flips_the_verdict(mini):
    v = explain(mini, "microbes", "illness").verdict
    top = v.keystones[0]
    assert top.claims == ["illness__increases__microbes"]
    assert top.flips and "then microbes → illness leads" in top.change
    assert top.citations == ["Treat et al. 2016, doi:10.0000/treat2016"]


def _without(graph, claim):
    out = graph.copy()
    for u, v, k in list(out.edges(keys=True)):
        if k == claim:
            out.remove_edge(u, v, k)
    return out


def test_removing_the_keystone_changes_the_verdict_and_removing_others_does_not(mini):
    base = explain(mini, "microbes", "illness").verdict
    keystones = {c for k in base.keystones for c in k.claims}
    for _, _, claim in mini.edges(keys=True):
        after = explain(_without(mini, claim), "microbes", "illness").verdict
        if claim in keystones:
            assert after.leaders != base.leaders or [r.level for r in after.rows] != [r.level for r in base.rows]
        else:
            assert after.leaders == base.leaders, claim
            lead = base.leaders[0]
            assert {r.role: r.level for r in after.rows}[lead] == {r.role: r.level for r in base.rows}[lead], claim


def _levels_agree(graph, a, b):
    e = explain(graph, a, b, limit=1)
    fast = _Levels(graph, e.a_set, e.b_set, e.max_length, e.loop_length, False).levels()
    assert fast == {r.role: r.level for r in e.verdict.rows}


def test_fast_role_levels_agree_with_the_ranked_searches(mini, bundled_network):
    _levels_agree(mini, "microbes", "illness")
    _levels_agree(mini, "trial_drug", "trial_outcome")
    for a, b in [
        ("dysbiosis", "autoimmune_disease"),
        ("increased_intestinal_permeability", "immune_mediated_inflammatory_disease"),
        ("increased_intestinal_permeability", "masld"),
    ]:
        _levels_agree(bundled_network, a, b)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_fast_levels_agree_on_random_graphs(draw):
    n = draw.draw(st.integers(4, 8))
    nodes = [f"n{i}" for i in range(n)]
    edges = draw.draw(
        st.lists(
            st.tuples(st.sampled_from(nodes), st.sampled_from(nodes), st.integers(0, 4), st.sampled_from([1, -1])),
            max_size=16,
        )
    )
    g = _graded([(u, v, level, sign) for u, v, level, sign in edges if u != v], nodes)
    _levels_agree(g, "n0", "n1")


def test_counts_do_not_depend_on_limit(bundled_network):
    from gutkg.analysis.paths import find_paths

    a, b = "western_diet", "type_1_diabetes"
    if a not in bundled_network or b not in bundled_network:
        pytest.skip("concepts renamed")
    few, many = (find_paths(bundled_network, a, b, limit=n, budget=None) for n in (1, 50))
    assert few.found == many.found and not few.truncated
    e1, e10 = (explain(bundled_network, "dysbiosis", "autoimmune_disease", limit=n, budget=None) for n in (1, 10))
    for key in ("chains_ab", "chains_ba", "common_causes", "loops", "loops_evidenced"):
        assert e1.counts[key] == e10.counts[key], key


def test_first_screen_fits_one_screen(run_cli):
    result = run_cli("explain", "dysbiosis", "autoimmune disease")
    assert result.exit_code == 0, result.output
    lines = result.output.rstrip("\n").splitlines()
    assert len(lines) <= 40, result.output
    text = result.output
    for must in (
        "all evidence",
        "primary human evidence only",
        "The evidence",
        "On primary human evidence",
        "Best routes",
        "--details",
    ):
        assert must in text, must
    assert "(try --compare-evidence human)" not in text


def test_first_screen_with_compare_evidence_says_what_survives(run_cli):
    result = run_cli("explain", "dysbiosis", "autoimmune disease", "--compare-evidence", "human")
    assert result.exit_code == 0
    assert "Compared with species/model: human" in result.output
    assert len(result.output.rstrip("\n").splitlines()) <= 40


def test_details_and_json_carry_the_same_verdict(run_cli):
    import json

    details = run_cli("explain", "dysbiosis", "autoimmune disease", "--details").output
    assert "1. Direct claims" in details and "Verdict" in details
    out = json.loads(run_cli("explain", "dysbiosis", "autoimmune disease", "--format", "json").output)
    assert [r["role"] for r in out["verdict"]["rows"]] == list(ROLES)
    assert out["verdict"]["answer"] and out["verdict"]["human_answer"]


def test_rivals_are_ranked_by_grade_not_counts(mini):
    from gutkg.analysis.rivals import rivals

    r = rivals(mini, "microbes")
    q = r.questions[0]
    assert [rv.id for rv in q.rivals] == ["illness_alters_microbes", "microbes_cause", "genes_drive_both"]
    assert [rv.grade_label for rv in q.rivals] == ["moderate", "low", "none"]
    text = r.text()
    assert len(text.splitlines()) <= 30
    assert "never by how many claims" in text


def _graded(edges, nodes=None):
    """A graph of claims ``(cause, effect, grade[, sign])`` (grade 0 = hypothesised; sign +1 unless
    given), ids c0, c1, ..., over ``nodes`` (default n0..n5)."""
    import networkx as nx

    from gutkg.network import summarise

    g = nx.MultiDiGraph(broader={}, stages={}, associations=[])
    g.add_nodes_from(nodes or (f"n{i}" for i in range(6)), category="state")
    for i, (u, v, level, *rest) in enumerate(edges):
        sign = rest[0] if rest else 1
        evidence = (
            []
            if level == 0
            else [
                {
                    "stance": "supports",
                    "model": "in vivo",
                    "direction": "controlled human intervention",
                    "species": ["human"],
                    "strength": level,
                    "source": f"r{i}",
                    "citation": f"R {i}",
                    "system": "human",
                    "design_label": "",
                    "zonulin_assay": False,
                }
            ]
        )
        g.add_edge(u, v, key=f"c{i}", sign=sign, status="supported" if level else "hypothesised", evidence=evidence)
        summarise(g.edges[u, v, f"c{i}"])
    return g


def test_a_weaker_claim_back_onto_a_shared_cause_is_a_caveat_not_a_disqualification():
    # n2 -> n0 and n2 -> n1 are graded; n0 -> n2 only hypothesised (found by the property test
    # below on a CI run: removing that hypothesised claim used to create the shared-cause verdict).
    g = _graded([("n0", "n2", 0), ("n2", "n0", 1), ("n2", "n1", 1)])
    e = explain(g, "n0", "n1", budget=None)
    assert e.verdict.leaders == ["shared cause"]
    assert [c.node for c in e.common_causes if c.exogenous] == ["n2"]
    # As firmly graded as its routes, the same claim puts n2 on a loop with n0: not a shared cause.
    firm = explain(_graded([("n0", "n2", 1), ("n2", "n0", 1), ("n2", "n1", 1)]), "n0", "n1", budget=None)
    assert firm.verdict.leaders == ["forward"]
    assert [c.downstream_of for c in firm.common_causes] == [["a"]]


def test_a_claim_that_keeps_a_shared_cause_downstream_is_a_keystone():
    # The forward route is the direct claim c0; removing c1 (n0 -> n2) frees n2 as a shared cause
    # that ties with it, so c1 is a keystone although it is on no best route.
    g = _graded([("n0", "n1", 1), ("n0", "n2", 1), ("n2", "n0", 1), ("n2", "n1", 1)])
    base = explain(g, "n0", "n1", budget=None).verdict
    assert base.leaders == ["forward"]
    assert "c1" in {c for k in base.keystones for c in k.claims}
    assert explain(_without(g, "c1"), "n0", "n1", budget=None).verdict.leaders == ["forward", "shared cause"]


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_removing_a_claim_that_is_not_a_keystone_leaves_the_verdict(draw):
    nodes = [f"n{i}" for i in range(6)]
    edges = draw.draw(
        st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes), st.integers(0, 4)), min_size=2, max_size=12)
    )
    g = _graded([(u, v, level) for u, v, level in edges if u != v])
    base = explain(g, "n0", "n1", budget=None).verdict
    keystones = {c for k in base.keystones for c in k.claims}
    lead = {r.role: r.level for r in base.rows}
    for _u, _v, claim in list(g.edges(keys=True)):
        if claim in keystones:
            continue
        after = explain(_without(g, claim), "n0", "n1", budget=None).verdict
        assert after.leaders == base.leaders, claim
        if base.leaders:
            assert {r.role: r.level for r in after.rows}[base.leaders[0]] == lead[base.leaders[0]], claim
