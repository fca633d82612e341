"""explain on the founding-question fixture (exact), the fork fixture, and the bundled graph."""

from __future__ import annotations

import pytest

from gutkg.analysis.explain import explain
from gutkg.analysis.filters import EvidenceFilter, parse_filter
from tests.conftest import data

AB = ("dysbiosis", "autoimmune_disease")


@pytest.fixture(scope="module")
def founding():
    from gutkg.netcache import load_network

    return load_network([data("analysis_founding.ttl")])


@pytest.fixture(scope="module")
def answer(founding):
    return explain(founding, *AB, compare=[parse_filter("human")])


def claims(hops):
    return sorted(h.claim for h in hops)


def test_direct_claims_each_way_include_no_effect_and_narrower(answer):
    assert claims(answer.direct_ab) == [
        "dysbiosis__increases__autoimmune_disease",
        "dysbiosis__no_effect__celiac_disease",
    ]
    assert claims(answer.direct_ba) == ["autoimmune_disease__increases__dysbiosis"]
    narrower = next(h for h in answer.direct_ab if h.effect == "celiac_disease")
    assert "celiac disease" in narrower.note and narrower.sign == 0


def test_mediated_chains_each_way(answer):
    assert [c.nodes for c in answer.chains_ab] == [
        ["dysbiosis", "increased_intestinal_permeability", "celiac_disease"],  # moderate
        ["dysbiosis", "increased_intestinal_permeability", "autoimmune_disease"],
    ]  # weak
    assert [c.nodes for c in answer.chains_ba] == [["autoimmune_disease", "mucosal_inflammation", "dysbiosis"]]


def test_common_causes_diet_first_then_permeability_which_sits_on_a_loop(answer):
    # permeability is upstream of both, but dysbiosis also raises it: a mediator on a feedback loop,
    # listed after the shared causes proper and left out of the shared-cause rival
    assert [c.node for c in answer.common_causes] == ["western_diet", "increased_intestinal_permeability"]
    diet, perm = answer.common_causes
    assert diet.exogenous and perm.downstream_of == ["a", "b"]
    assert answer.counts["shared_causes"] == 1
    assert perm.to_a.nodes[-1] == "dysbiosis" and perm.to_b.nodes[-1] == "celiac_disease"
    assert diet.through == ["increased_intestinal_permeability"]
    assert "antibiotics" not in answer.common_cause_ids  # reaches dysbiosis only


def test_loops_containing_both_start_at_a(answer):
    assert len(answer.loops) == 4 and answer.counts["loops"] == 4
    assert all(lp.kind == "reinforcing" and lp.nodes[0] == "dysbiosis" for lp in answer.loops)
    assert all("autoimmune_disease" in lp.nodes for lp in answer.loops)
    assert answer.loops[0].nodes == ["dysbiosis", "autoimmune_disease"]


def test_without_narrower_concepts(founding):
    e = explain(founding, *AB, include_narrower=False)
    assert claims(e.direct_ab) == ["dysbiosis__increases__autoimmune_disease"]
    assert [c.nodes[-1] for c in e.chains_ab] == ["autoimmune_disease"]
    assert e.b_set == ["autoimmune_disease"]


def test_human_evidence_comparison_names_what_drops(answer):
    (cmp,) = answer.comparisons
    assert cmp.filter == "species/model: human"
    assert sorted(d.hop.claim for d in cmp.dropped_links) == [
        "dysbiosis__increases__autoimmune_disease",
        "dysbiosis__increases__increased_intestinal_permeability",
        "mucosal_inflammation__increases__dysbiosis",
        "western_diet__increases__dysbiosis",
    ]
    why = {d.hop.claim: d.why for d in cmp.dropped_links}
    assert "mouse, moderate, Roe 2019" in why["dysbiosis__increases__autoimmune_disease"]
    direct = {v.item: v.survives for v in cmp.verdicts if v.section.startswith("direct")}
    assert direct == {
        "dysbiosis → autoimmune disease (increases, contested)": False,
        "dysbiosis → celiac disease (no effect, supported)": True,
        "autoimmune disease → dysbiosis (increases, supported)": True,
    }
    assert not any(v.survives for v in cmp.section("loops containing both"))
    assert not any(v.survives for v in cmp.section("common causes"))


def test_text_has_every_section_citations_summary_and_comparison(answer):
    text = answer.text(details=True)
    for heading in (
        "1. Direct claims dysbiosis → autoimmune disease",
        "2. Direct claims autoimmune disease → dysbiosis",
        "3. Mediated chains dysbiosis → … → autoimmune disease",
        "4. Mediated chains autoimmune disease → … → dysbiosis",
        "5. Common causes",
        "6. Feedback loops containing both",
        "Summary",
        "Compared with evidence filter: species/model: human",
        "Links that drop (4)",
    ):
        assert heading in text
    assert "Roe 2019" in text and "Doe et al. 2020" in text and "Poe & Doe 2018" in text
    assert "celiac disease [⊂ autoimmune disease]" in text
    assert "OPPOSES the claim" in text
    assert any("Common causes: 2 concepts" in s for s in answer.summary)
    assert "doi:10." in text or "PMID:" in text, "every citation can be followed up"


def test_json_is_plain_data(answer):
    import json

    d = json.loads(json.dumps(answer.as_dict()))
    assert d["counts"]["loops"] == 4 and d["comparisons"][0]["dropped_links"]


def test_fork_common_cause_and_upstream_through_it():
    from gutkg.netcache import load_network

    e = explain(load_network([data("analysis_fork.ttl")]), "exposure", "outcome")
    assert [c.node for c in e.common_causes] == ["confounder", "upstream"]
    assert e.common_causes[1].through == ["confounder"]
    assert [c.nodes for c in e.chains_ab] == [] and claims(e.direct_ab) == ["exposure__increases__outcome"]


def test_narrower_concept_against_its_umbrella(founding):
    e = explain(founding, "celiac_disease", "autoimmune_disease")
    assert "celiac_disease" not in e.b_set
    assert any("narrower than autoimmune disease" in n for n in e.notes)


def test_filter_that_leaves_nothing(founding):
    e = explain(founding, *AB, flt=EvidenceFilter(species=("rat",)))
    assert not (e.direct_ab or e.chains_ab or e.common_causes or e.loops)
    assert any("leaves no claim" in n for n in e.notes)
    assert "no claim and no chain" in e.summary[0]


def test_founding_question_on_the_bundled_graph(bundled_network):
    """Robust properties only: the curated graph grows."""
    e = explain(bundled_network, *AB, compare=[parse_filter("human")])
    assert e.direct_ab or e.direct_ba
    assert e.chains_ab and e.chains_ba and e.common_causes and e.loops
    cited = [h for h in e.direct_ab + e.direct_ba if h.citations]
    assert cited
    assert "increased_intestinal_permeability" in e.common_cause_ids
    (cmp,) = e.comparisons
    assert cmp.dropped_links and all(d.why for d in cmp.dropped_links)
    text = e.text(details=True)
    assert "Links that drop" in text and "5. Common causes" in text
    assert "stage of" not in " ".join(e.labels.get(c, c) for c in e.common_cause_ids)
    stages = set(bundled_network.graph["stages"])
    assert not stages & set(e.common_cause_ids), "a stage is never a common cause"
    assert not any(bundled_network.nodes[c]["category"] == "measurement" for c in e.common_cause_ids)


def test_spent_budget_gives_a_well_formed_truncated_explanation(founding):
    e = explain(founding, *AB, budget=0)
    assert e.truncated and "time budget" in e.reason
    assert "TRUNCATED" in e.text() and e.as_dict()["truncated"] is True
