"""rivals (contradiction fixture), adjust (fork, collider, loops), rank (chain fixture)."""

from __future__ import annotations

import pytest

from gutkg.analysis.adjust import adjust
from gutkg.analysis.filters import EvidenceFilter
from gutkg.analysis.rank import rank
from gutkg.analysis.rivals import resolve_question, rivals
from gutkg.errors import GutKGError
from tests.conftest import data


def net(*names: str):
    from gutkg.netcache import load_network

    return load_network([data(f"analysis_{n}.ttl") for n in names])


@pytest.fixture(scope="module")
def contradiction():
    return net("contradiction")


def test_rivals_side_by_side_counts(contradiction):
    (q,) = rivals(contradiction).questions
    assert q.id == "does_a_raise_b"
    by_id = {r.id: r for r in q.rivals}
    up, down, back = by_id["a_raises_b"], by_id["a_lowers_b"], by_id["b_raises_a"]
    assert (len(up.claims), up.items, up.supporting, up.opposing) == (1, 2, 2, 0)
    assert up.by_system == {"human": 2} and up.strongest == 3
    assert up.by_direction == {"experimental intervention": 1, "prospective cohort": 1}
    assert (down.supporting, down.opposing, down.by_system) == (1, 1, {"mouse": 1})
    assert down.by_status == {"contested": 1}
    assert back.by_strength == {"moderate": 1, "none": 1} and back.weakest == 0


def test_rivals_under_a_filter_report_missing_claims(contradiction):
    (q,) = rivals(contradiction, flt=EvidenceFilter(species=("human",))).questions
    down = next(r for r in q.rivals if r.id == "a_lowers_b")
    assert down.claims == [] and down.missing == ["a__decreases__b"]


def test_contradictions_of_every_kind(contradiction):
    found = {(c.kind, c.a, c.b): sorted(h.claim for h in c.claims) for c in rivals(contradiction).contradictions}
    assert found == {
        ("opposite signs", "a", "b"): ["a__decreases__b", "a__increases__b"],
        ("both directions", "a", "b"): ["a__decreases__b", "a__increases__b", "b__increases__a"],
        ("opposing evidence", "a", "b"): ["a__decreases__b"],
    }


def test_effect_versus_no_effect_contradiction():
    import networkx as nx

    from gutkg.analysis.rivals import contradictions

    g = nx.MultiDiGraph()
    g.add_node("x", label="x")
    g.add_node("y", label="y")
    g.add_edge("x", "y", key="up", sign=1, status="supported", evidence=[], strength=2)
    g.add_edge("x", "y", key="none", sign=0, status="supported", evidence=[], strength=2)
    (c,) = contradictions(g)
    assert c.kind == "effect vs no effect" and sorted(h.claim for h in c.claims) == ["none", "up"]


def test_question_resolution():
    g = net("contradiction", "founding")
    assert resolve_question(g, "founding") == "founding"
    assert resolve_question(g, "DYSBIOSIS") == "founding"
    assert resolve_question(g, "raise b") == "does_a_raise_b"
    with pytest.raises(GutKGError, match="matches 2 questions"):
        resolve_question(g, "a")
    with pytest.raises(GutKGError, match="no question matches 'zonulin'"):
        resolve_question(g, "zonulin")
    text = rivals(g, "dysbiosis").text(details=True)
    assert "barrier failure drives both" in text and "Contradictions kept in the graph" in text


def test_adjust_fork_needs_the_confounder_only():
    r = adjust(net("fork"), "exposure", "outcome")
    assert r.adjustment_sets == [["confounder"]]
    assert r.confounders == ["confounder", "upstream"] and not r.unrolled and r.effect_possible


def test_adjust_collider_needs_nothing_and_warns_against_the_collider():
    r = adjust(net("collider"), "exposure", "outcome")
    assert r.adjustment_sets == [[]]
    assert "collider" in r.descendants and r.confounders == []
    assert "no adjustment needed" in r.text()


def test_adjust_on_a_loop_unrolls_and_says_which_effect_it_answers():
    r = adjust(net("founding"), "dysbiosis", "autoimmune_disease")
    assert r.unrolled and r.effect_possible and not r.equilibrium_identifiable
    assert "increased_intestinal_permeability" in r.mediators
    # baseline values: antibiotics keep acting on later dysbiosis, which feeds the outcome, so on the
    # unrolled graph they confound the short-run effect too
    assert r.adjustment_sets == [
        ["antibiotics", "autoimmune_disease", "dysbiosis", "mucosal_inflammation", "western_diet"]
    ]
    assert "short-run effect" in r.question
    assert any("equilibrium effect" in n and "not identifiable" in n for n in r.notes)
    assert "time-unrolling" in r.text()


def test_adjust_keeps_the_exposures_own_chain_through_a_feedback_loop():
    """The minimal case of issue 14: X→n1, n1→n2, n2→X, n2→Y. Cutting 'feedback' used to delete
    X→n1→n2→Y and recommend adjusting for the mediator n2."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for u, v in [("X", "n1"), ("n1", "n2"), ("n2", "X"), ("n2", "Y")]:
        g.add_edge(u, v, key=f"{u}_{v}", sign=1, status="supported", strength=2)
    r = adjust(g, "X", "Y")
    assert r.effect_possible and r.mediators == ["n1", "n2"]
    assert r.adjustment_sets == [["X", "n2"]]  # baseline X and baseline n2: never a later mediator
    assert r.equilibrium_identifiable  # Y does not feed back on X
    assert "dag {" in r.dagitty and '"X@1" [exposure]' in r.dagitty and '"Y@7" [outcome]' in r.dagitty


def test_adjust_lists_every_minimal_set_or_says_it_stopped():
    """Four independent backdoor paths, each blockable at either of two nodes: 2**4 = 16 minimal sets."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for i in range(4):
        for u, v in [(f"a{i}", "X"), (f"a{i}", f"b{i}"), (f"b{i}", "Y")]:
            g.add_edge(u, v, key=f"{u}_{v}", sign=1, status="supported", strength=2)
    g.add_edge("X", "Y", key="X_Y", sign=1, status="supported", strength=2)
    full = adjust(g, "X", "Y")
    assert len(full.adjustment_sets) == 16 and not full.truncated and full.sets_found == 16
    capped = adjust(g, "X", "Y", max_sets=5)
    assert capped.truncated and len(capped.adjustment_sets) == 5
    assert "5 of at least 5" in capped.text()


def test_unmeasured_confounder_makes_the_effect_unidentifiable_and_says_why():
    import networkx as nx

    g = nx.MultiDiGraph()
    for u, v in [("genes", "X"), ("genes", "Y"), ("X", "Y")]:
        g.add_edge(u, v, key=f"{u}_{v}", sign=1, status="supported", strength=2)
    for n in g:
        g.nodes[n]["label"] = n
    assert adjust(g, "X", "Y").adjustment_sets == [["genes"]]
    r = adjust(g, "X", "Y", unmeasured=["genes"])
    assert r.adjustment_sets == [] and not r.identifiable and r.unmeasured == ["genes"]
    assert any("measuring any one would give a set): genes" in n for n in r.notes)
    g.nodes["genes"]["rarely_measured"] = True
    assert adjust(g, "X", "Y").identifiable is False


def test_rank_is_sign_aware_and_reports_ties_on_a_chain():
    """alpha ─(+)→ beta ─(−)→ gamma ─(+)→ delta (a disease): alpha and beta lower delta, gamma raises it."""
    r = rank(net("chain"))
    assert [d.node for d in r.drivers] == ["gamma"]
    assert [p.node for p in r.protective] == ["alpha", "beta"]
    assert [(p.rank, p.tie) for p in r.protective] == [(1, False), (1, True)]  # equal weakest links
    assert r.drivers[0].targets == ["delta"] and r.protective[0].reach == 3
    assert [(b.node, b.rank, b.tie) for b in r.bottlenecks] == [("beta", 1, False), ("gamma", 1, True)]
    assert "betweenness" in r.bottleneck_measure and "hypothesised" in r.rule
    only = rank(net("chain"), category="state")
    assert {d.node for d in only.drivers + only.protective} == {"beta", "gamma"}
    with pytest.raises(GutKGError, match="unknown category"):
        rank(net("chain"), category="nonsense")
    empty = rank(net("chain"), flt=EvidenceFilter(species=("rat",)))
    assert empty.drivers == [] and "nothing to rank" in empty.notes[0]


def test_rank_discounts_contested_and_hypothesised_claims_and_skips_measurements():
    import networkx as nx

    g = nx.MultiDiGraph()
    for u, v, status in [
        ("a", "d", "supported"),
        ("b", "d", "contested"),
        ("c", "d", "hypothesised"),
        ("a", "test", "supported"),
        ("test", "d", "supported"),
    ]:
        g.add_edge(u, v, key=f"{u}_{v}", sign=1, status=status, strength=4)
    g.nodes["d"]["category"] = "disease"
    g.nodes["test"]["category"] = "measurement"
    r = rank(g)
    assert [(x.node, x.score) for x in r.drivers] == [("a", 1.0), ("b", 0.5), ("c", 0.25)]
    assert all(x.node != "test" for x in r.drivers) and r.drivers[0].reach == 1  # not via the test
