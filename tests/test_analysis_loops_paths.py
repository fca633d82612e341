"""Loops and paths on the tiny named fixtures: exact answers, bad input, budgets."""

from __future__ import annotations

import pytest

from gutkg.analysis.filters import EvidenceFilter
from gutkg.analysis.loops import find_loops
from gutkg.analysis.paths import find_paths
from gutkg.errors import GutKGError
from tests.conftest import data


@pytest.fixture(scope="module")
def loops_net():
    from gutkg.netcache import load_network

    return load_network([data("analysis_loops.ttl")])


@pytest.fixture(scope="module")
def chain_net():
    from gutkg.netcache import load_network

    return load_network([data("analysis_chain.ttl")])


def test_reinforcing_and_balancing_loops_are_labelled_and_ranked(loops_net):
    r = find_loops(loops_net)
    assert [(lp.kind, lp.nodes) for lp in r.loops] == [
        ("balancing", ["s", "t"]),  # weakest link weak
        ("reinforcing", ["p", "q", "r"]),  # weakest link: a hypothesis (no evidence)
    ]
    assert [h.claim for h in r.loops[1].hops] == ["p__increases__q", "q__increases__r", "r__increases__p"]
    assert not r.truncated and r.cycles_found == 2 and r.loops_found == 2


@pytest.mark.parametrize(
    ("through", "expected"), [("p", [["p", "q", "r"]]), ("r", [["p", "q", "r"]]), ("t", [["s", "t"]])]
)
def test_loops_through_a_concept(loops_net, through, expected):
    assert [lp.nodes for lp in find_loops(loops_net, through=through).loops] == expected


def test_length_cap_limit_and_filter(loops_net):
    assert [lp.nodes for lp in find_loops(loops_net, max_length=2).loops] == [["s", "t"]]
    limited = find_loops(loops_net, limit=1)
    assert len(limited.loops) == 1 and limited.notes == ["showing the best 1 of 2 loops"]
    human = find_loops(loops_net, flt=EvidenceFilter(species=("human",)))
    assert human.loops == [] and "no feedback loop" in human.notes[0]
    assert "keeps 3 of 6 claims" in human.notes[0]


def test_spent_budget_returns_a_well_formed_truncated_result(loops_net):
    r = find_loops(loops_net, budget=0)
    assert r.truncated and "time budget" in r.reason
    assert r.as_dict()["truncated"] is True and r.as_dict()["loops"] == []
    assert "TRUNCATED" in r.text()


def test_chain_sign_is_the_product_and_ignores_no_effect_and_refuted(chain_net):
    r = find_paths(chain_net, "alpha", "delta")
    assert len(r.paths) == 1
    p = r.paths[0]
    assert p.nodes == ["alpha", "beta", "gamma", "delta"]
    assert [h.sign for h in p.hops] == [1, -1, 1] and p.sign == -1
    assert p.weakest == 2 and p.weakest_status == "supported"
    assert p.hops[0].citations == ["Doe et al. 2020"]
    assert "refuted" in r.causal_rule


def test_refuted_claims_traversed_on_request_and_ranked_by_weakest_then_length(chain_net):
    r = find_paths(chain_net, "alpha", "delta", include_refuted=True)
    # a refuted claim has no counted support (grade none), so its shorter chain ranks second
    assert [p.nodes for p in r.paths] == [["alpha", "beta", "gamma", "delta"], ["alpha", "beta", "delta"]]
    assert r.paths[1].weakest_status == "refuted" and r.paths[1].weakest == 0


def test_no_path_says_why(chain_net):
    back = find_paths(chain_net, "delta", "alpha")
    assert back.paths == [] and "not downstream" in back.notes[0]
    short = find_paths(chain_net, "alpha", "delta", max_length=2)
    assert short.paths == [] and "--max-length 3" in short.notes[0]
    rat = find_paths(chain_net, "alpha", "delta", flt=EvidenceFilter(species=("rat",)))
    assert rat.paths == [] and "leaves no claim" in rat.notes[0]
    mouse = find_paths(chain_net, "alpha", "delta", flt=EvidenceFilter(species=("mouse",)))
    assert mouse.paths == [] and "survives the filter" in mouse.notes[0]


def test_same_concept_twice_is_refused(chain_net):
    with pytest.raises(GutKGError, match="two different concepts"):
        find_paths(chain_net, "alpha", "alpha")


def test_text_names_every_hop_with_status_strength_species_and_citation(chain_net):
    text = find_paths(chain_net, "alpha", "delta").text()
    assert "alpha ─(+)→ beta ─(−)→ gamma ─(+)→ delta" in text
    assert "[supported, grade moderate; human; Doe et al. 2020]" in text
    assert "[supported, grade low; mouse; Roe 2019]" in text


def test_spent_budget_for_paths(chain_net):
    r = find_paths(chain_net, "alpha", "delta", budget=0)
    assert r.truncated and r.paths == [] and "time budget" in r.reason
