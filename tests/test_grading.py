"""The status rule and the per-claim grade (gutkg.grading), on items and on a fixture graph whose
grade order is known (tests/data/grading.ttl)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gutkg.grading import allowed_statuses, ceiling_problem, counts, grade, item_score
from gutkg.scales import DESIGNS, DIRECTIONAL, SYNTHESIS
from tests.conftest import data


def item(**kw):
    base = {
        "stance": "supports",
        "model": "in vivo",
        "direction": "prospective cohort",
        "species": ["human"],
        "strength": 3,
        "source": "a2020",
        "citation": "A 2020",
        "zonulin_assay": False,
    }
    return {**base, **kw}


def test_one_randomised_trial_outranks_three_cross_sectional_studies():
    trial = grade([item(direction="controlled human intervention", strength=4)])
    cross = grade([item(direction="cross-sectional", strength=2, source=f"x{i}") for i in range(3)])
    assert (trial.level, trial.label) == (4, "high")
    assert (cross.level, cross.label) == (0, "none")
    assert "3 items whose design shows no direction not counted" in cross.reasons


def test_conflicting_primary_evidence_says_conflicting_and_drops_a_level():
    g = grade([item(), item(stance="opposes", direction="mendelian randomisation", source="b2019")])
    assert g.conflicting
    assert g.label == "low (conflicting)"
    assert (g.support, g.against, g.level) == (3, 3, 2)
    assert any(r.startswith("best evidence against: mendelian randomisation") for r in g.reasons)


def test_much_weaker_opposition_is_shown_but_not_conflicting():
    g = grade(
        [
            item(direction="controlled human intervention", strength=4),
            item(stance="opposes", model="in vitro", direction="experimental intervention", strength=2, source="c"),
        ]
    )
    assert not g.conflicting and g.level == 4 and g.against == 1


def test_a_review_only_claim_has_no_grade():
    review = item(model=SYNTHESIS, direction="unspecified", species=[], strength=2)
    g = grade([review])
    assert (g.level, g.label) == (0, "none")
    assert "1 review statement not counted (synthesis)" in g.reasons
    assert allowed_statuses([review]) == {"hypothesised"}


@pytest.mark.parametrize(
    ("kw", "score", "why"),
    [
        ({"species": ["mouse"], "direction": "experimental intervention"}, 2, "animal evidence"),
        ({"model": "in vitro", "direction": "experimental intervention"}, 1, "cultured cells"),
        ({"model": "ex vivo", "direction": "experimental intervention"}, 2, "human tissue ex vivo"),
        ({"zonulin_assay": True, "strength": 2}, 1, "serum zonulin ELISA"),
    ],
)
def test_indirect_and_disputed_evidence_is_downgraded(kw, score, why):
    s, reasons = item_score(item(**kw))
    assert s == score
    assert any(why in r for r in reasons)


@pytest.mark.parametrize(
    ("items", "allowed"),
    [
        ([], {"hypothesised"}),
        ([item(direction="cross-sectional", strength=2)], {"hypothesised"}),
        ([item()], {"supported"}),
        ([item(), item(source="b")], {"supported", "established"}),
        ([item(species=["mouse"]), item(species=["mouse"], source="b")], {"supported"}),
        ([item(), item(stance="opposes", source="b")], {"contested"}),
        ([item(stance="opposes")], {"refuted", "hypothesised"}),
    ],
)
def test_status_rule(items, allowed):
    assert allowed_statuses(items) == allowed


def test_ceilings_follow_the_design_table():
    assert ceiling_problem(item(direction="cross-sectional", strength=3))
    assert not ceiling_problem(item(direction="controlled human intervention", strength=4))
    assert ceiling_problem(item(direction="prospective cohort", strength=4))
    assert ceiling_problem(item(model=SYNTHESIS, direction="unspecified", strength=3))
    assert ceiling_problem(item(zonulin_assay=True, strength=3))


designs = st.sampled_from([d.name for d in DESIGNS])
items = st.builds(
    item,
    stance=st.sampled_from(["supports", "opposes"]),
    direction=designs,
    model=st.sampled_from(["in vivo", "ex vivo", "in vitro", SYNTHESIS]),
    species=st.sampled_from([["human"], ["mouse"], ["rat"], []]),
    strength=st.integers(1, 4),
    source=st.sampled_from(["a", "b", "c"]),
    zonulin_assay=st.booleans(),
)


@given(st.lists(items, max_size=6))
def test_grade_properties(evidence):
    g = grade(evidence)
    counted = [i for i in evidence if counts(i)]
    assert 0 <= g.level <= 4
    assert g.support == max((item_score(i)[0] for i in counted if i["stance"] == "supports"), default=0)
    assert g.human <= g.support
    # only counted items move the grade: adding any uncounted item changes nothing
    extra = item(direction="cross-sectional", strength=2, source="zz")
    assert grade([*evidence, extra]).level == g.level
    # a supported claim always has a positive grade, a hypothesised one never
    allowed = allowed_statuses(evidence)
    if "supported" in allowed:
        assert g.level >= 1
    if allowed <= {"hypothesised"}:
        assert g.level == 0
    assert all(i["direction"] in DIRECTIONAL for i in counted)


def test_grade_order_on_the_fixture_graph():
    from gutkg.netcache import load_network

    net = load_network([str(data("grading.ttl"))])
    grade_of = {k: d["strength_label"] for _, _, k, d in net.edges(keys=True, data=True)}
    assert grade_of["trial_drug__decreases__trial_outcome"] == "high"
    assert grade_of["marker__increases__trial_outcome"] == "none"
    assert grade_of["cohort_exposure__increases__cohort_disease"] == "low (conflicting)"
    assert grade_of["review_idea__increases__review_outcome"] == "none"
    assert grade_of["microbes__increases__illness"] == "low"
    assert grade_of["illness__increases__microbes"] == "moderate"
    edge = net.edges["trial_drug", "trial_outcome", "trial_drug__decreases__trial_outcome"]
    assert edge["grading"]["kinds"] == ["controlled human intervention"]
    assert [a["id"] for a in net.graph["associations"]] == ["marker__trial_outcome"]
    assert net.graph["measurements"][0]["validity"] == "limited"


def test_show_a_claim_lists_why_it_has_its_grade(run_cli):
    import json

    graph = ("--graph", str(data("grading.ttl")))
    out = run_cli("show", "gkcl:trial_drug__decreases__trial_outcome", *graph).output
    assert "grade: high" in out
    assert "best evidence for: controlled human intervention in human (Trial et al. 2020), high" in out
    assert "doi:10.0000/trial2020" in out
    card = json.loads(run_cli("show", "cohort_exposure__increases__cohort_disease", *graph, "--format", "json").output)
    assert card["grade"]["conflicting"] is True and card["status"] == "contested"
    assoc = run_cli("show", "gkas:marker__trial_outcome", *graph).output
    assert "association (direction not shown)" in assoc and "not counted" in assoc
    test = run_cli("show", "gkm:sugar_test__reads__leak", *graph).output
    assert "validity limited" in test and "caveat: Test caveat." in test
