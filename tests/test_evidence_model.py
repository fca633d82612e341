"""Evidence model 2.0: a claim coded against the curation standard fails `gutkg validate` (exit 1)
with the rule and the fix, and the curation commands refuse it the same way.

Each bad case is the valid fixture tests/data/grading.ttl plus a few lines that break one rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import data
from tests.curating import ADD_REFUSALS, add_claim_args, snapshot

PREFIXES = "\n".join(line for line in data("grading.ttl").read_text().splitlines() if line.startswith("@prefix"))

CROSS_SECTIONAL_ONLY = """
gkcl:marker__increases__cohort_disease a gkv:CausalClaim ;
    gkv:cause gkc:marker ; gkv:sign gkv:Increases ; gkv:effect gkc:cohort_disease ;
    gkv:status gkv:Supported ; gkv:mechanism "Test."@en ;
    obo:RO_0002558 gkev:marker__increases__cohort_disease.e1 .
gkev:marker__increases__cohort_disease.e1 a gkv:Evidence ; dcterms:source gkref:xs2001 ;
    gkv:stance gkv:Supports ; gkv:evidenceType obo:ECO_0000180 ; gkv:species obo:NCBITaxon_9606 ;
    gkv:model gkv:InVivo ; gkv:directionEvidence gkv:CrossSectional ; gkv:strength gkv:Weak ;
    dcterms:description "Cases had more marker than controls."@en .
"""

REVIEW_WITH_SPECIES = """
gkev:review_idea__increases__review_outcome.e2 a gkv:Evidence ; dcterms:source gkref:review2018 ;
    gkv:stance gkv:Supports ; gkv:evidenceType obo:ECO_0000304 ; gkv:species obo:NCBITaxon_9606 ;
    gkv:model gkv:Synthesis ; gkv:directionEvidence gkv:Unspecified ; gkv:strength gkv:Weak ;
    dcterms:description "A review says so."@en .
gkcl:review_idea__increases__review_outcome obo:RO_0002558 gkev:review_idea__increases__review_outcome.e2 .
"""

CLAIM_ON_OWN_STAGE = """
gkcl:illness_stage__increases__illness a gkv:CausalClaim ;
    gkv:cause gkc:illness_stage ; gkv:sign gkv:Increases ; gkv:effect gkc:illness ;
    gkv:status gkv:Hypothesised ; gkv:mechanism "Test."@en .
"""

CLAIM_ON_OWN_BROADER = """
gkc:sub_illness a gkv:Disease ; skos:prefLabel "sub illness"@en ; skos:definition "A kind of illness."@en ;
    skos:broader gkc:illness .
gkcl:sub_illness__increases__illness a gkv:CausalClaim ;
    gkv:cause gkc:sub_illness ; gkv:sign gkv:Increases ; gkv:effect gkc:illness ;
    gkv:status gkv:Hypothesised ; gkv:mechanism "Test."@en .
"""

MEASUREMENT_AS_EFFECT = """
gkcl:leak__increases__sugar_test a gkv:CausalClaim ;
    gkv:cause gkc:leak ; gkv:sign gkv:Increases ; gkv:effect gkc:sugar_test ;
    gkv:status gkv:Hypothesised ; gkv:mechanism "Test."@en .
"""

ABOVE_CEILING = """
gkev:marker__trial_outcome.e4 a gkv:Evidence ; dcterms:source gkref:xs2001 ;
    gkv:stance gkv:Supports ; gkv:evidenceType obo:ECO_0000180 ; gkv:species obo:NCBITaxon_9606 ;
    gkv:model gkv:InVivo ; gkv:directionEvidence gkv:CrossSectional ; gkv:strength gkv:Strong ;
    dcterms:description "A big cross-sectional study."@en .
gkas:marker__trial_outcome obo:RO_0002558 gkev:marker__trial_outcome.e4 .
"""

CASES = {
    "cross_sectional_only": (
        CROSS_SECTIONAL_ONLY,
        [
            "a directed claim carries evidence whose design cannot show direction",
            "claim status does not follow from its evidence",
            "move the item to an association",
        ],
    ),
    "review_with_species": (REVIEW_WITH_SPECIES, ["A review (gkv:model gkv:Synthesis) carries no gkv:species"]),
    "claim_on_own_stage": (CLAIM_ON_OWN_STAGE, ["causal claim between a concept and its own broader concept or stage"]),
    "claim_on_own_broader": (
        CLAIM_ON_OWN_BROADER,
        ["causal claim between a concept and its own broader concept or stage"],
    ),
    "measurement_as_effect": (
        MEASUREMENT_AS_EFFECT,
        ["A test or biomarker is not an effect", "Record it as a gkv:Measurement"],
    ),
    "above_ceiling": (
        ABOVE_CEILING,
        ["evidence strength above what its design allows", "cross-sectional evidence is at most weak (here strong)"],
    ),
}


def bad_graph(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "bad.ttl"
    path.write_text(data("grading.ttl").read_text() + "\n" + PREFIXES + "\n" + extra, encoding="utf-8")
    return path


def test_the_fixture_itself_is_valid(run_cli):
    result = run_cli("validate", str(data("grading.ttl")))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_refuses_what_the_standard_forbids(case, tmp_path, run_cli):
    extra, messages = CASES[case]
    result = run_cli("validate", str(bad_graph(tmp_path, extra)))
    assert result.exit_code == 1, result.output
    for message in messages:
        assert message in result.output, result.output
    report = json.loads(run_cli("validate", str(bad_graph(tmp_path, extra)), "--format", "json").output)
    assert not report["conforms"]
    assert all(p["fix"] or p["message"] for p in report["problems"])


@pytest.mark.parametrize("case", sorted(ADD_REFUSALS))
def test_add_claim_refuses_what_the_standard_forbids(case, graph, run_cli):
    status, evidence, message = ADD_REFUSALS[case]
    before = snapshot(graph)
    result = run_cli(*add_claim_args(graph, status=status, evidence=evidence, mechanism="Test."))
    assert result.exit_code != 0
    assert message in result.output
    assert snapshot(graph) == before, "a refused write must leave every file as it was"


def test_a_review_is_added_without_a_species(graph, run_cli):
    """A review item is synthesis, not human data: the curation commands take it with no species
    (they used to demand one, which SHACL then forbade, so no review could be added at all)."""
    result = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "alpha",
        "--effect",
        "gamma",
        "--sign",
        "increases",
        "--status",
        "hypothesised",
        "--mechanism",
        "Test.",
        "--evidence",
        "source=testref2021,type=ECO:0000304,model=synthesis,"
        "direction=unspecified,strength=weak,description=A review says so.",
    )
    assert result.exit_code == 0, result.output
    written = (graph / "claims" / "curated.ttl").read_text()
    item = written[written.index("gkev:alpha__increases__gamma.e1 a gkv:Evidence") :]
    item = item[: item.index(" .\n")]
    assert "gkv:Synthesis" in item and "gkv:species" not in item


def test_curation_help_lists_the_design_value_set(run_cli):
    """The designs a curator is told to use are exactly the ones the curation commands accept."""
    from rdflib import URIRef

    from gutkg.cli.curate import add_claim, import_
    from gutkg.curation.values import iri_for
    from gutkg.scales import DESIGNS
    from gutkg.vocab import DIRECTIONS

    evidence_help = next(p for p in add_claim.params if p.name == "evidence").help or ""
    import_help = " ".join((import_.help or "").split())
    assert "direction=the study design" in " ".join(run_cli("add", "claim", "--help").output.split())
    for design in DESIGNS:
        assert design.name in evidence_help, design.name
        assert design.name in import_help, design.name
        assert DIRECTIONS[URIRef(iri_for("direction", design.name))] == design.name
    assert "genetic" not in import_help  # a word the old help listed and the commands refused
    from gutkg.cli.curate import add_concept
    from gutkg.scales import CATEGORIES
    from gutkg.vocab import CATEGORIES as CATEGORY_IRIS

    category_help = next(p for p in add_concept.params if p.name == "category").help or ""
    assert list(CATEGORY_IRIS.values()) == list(CATEGORIES)
    for category in CATEGORIES:
        assert category in category_help and category in import_help, category


def test_human_filter_keeps_primary_human_data_only():
    from gutkg.analysis.filters import EvidenceFilter, apply_filter
    from gutkg.netcache import load_network

    net = load_network([str(data("grading.ttl"))])
    kept = apply_filter(net, EvidenceFilter(species=("human",)))
    items = [e for _, _, d in kept.edges(data=True) for e in d["evidence"]]
    assert items, "the fixture has human evidence"
    assert all(e["primary"] and "human" in e["species"] and e["model"] != "in vitro" for e in items)
    assert not kept.has_edge("review_idea", "review_outcome"), "a review-only claim is not human data"
    assert not kept.has_edge("microbes", "illness"), "a mouse transfer is not human data"


def test_explain_keeps_stages_and_tests_out_of_common_causes():
    from gutkg.analysis.explain import explain
    from gutkg.netcache import load_network

    net = load_network([str(data("grading.ttl"))])
    e = explain(net, "microbes", "illness")
    assert "illness_stage" in e.b_set and e.members["illness_stage"] == "stage of illness"
    assert "illness_stage" not in e.common_cause_ids
    assert "sugar_test" not in e.common_cause_ids
    assert e.common_cause_ids == ["genes"]
