"""Data tests for the curated graph (bioregistry style): each failure says the command that fixes it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

REFERENCE = ROOT / "reference"
SHARED = ROOT.parent / "shared" / "reference"
P = """
PREFIX gkv: <https://w3id.org/gutkg/vocab#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def table(name: str, folder: Path = REFERENCE) -> list[dict[str, str]]:
    path = folder / name
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("name", ["bibliography.tsv", "identifiers.tsv"])
def test_reference_copy_holds_every_shared_row_unchanged(name):
    """The project's reference/ copy carries every row of ../shared/reference/, byte for byte."""
    if not (SHARED / name).is_file():
        pytest.skip(f"{SHARED / name} is not beside this checkout; the project's copy is used as is")
    ours = (REFERENCE / name).read_text(encoding="utf-8").splitlines()
    theirs = (SHARED / name).read_text(encoding="utf-8").splitlines()
    assert ours[0] == theirs[0], f"reference/{name} has another header than the shared table"
    missing = sorted(set(theirs) - set(ours))
    assert not missing, (
        f"{len(missing)} rows of ../shared/reference/{name} are missing or changed in "
        f"reference/{name} (fix: cp ../shared/reference/{name} reference/):\n"
        + "\n".join(m[:120] for m in missing[:10])
    )


def verified_iris() -> set[str]:
    from gutkg.mappings import iri_of

    out = set()
    for row in table("identifiers.tsv"):
        if row["verified"] == "yes" and row["curie"]:
            iri = iri_of(row["curie"])
            if iri:
                out.add(iri)
    return out


def test_bundled_graph_is_valid():
    from gutkg.validate import validate

    report = validate()
    assert report.conforms, "the bundled graph is invalid; see `gutkg validate`:\n" + report.text()


def test_every_asserted_claim_has_cited_evidence(bundled_network):
    """Supported, established and contested claims cite supporting evidence; refuted ones opposing."""
    bad = []
    for _u, _v, key, d in bundled_network.edges(keys=True, data=True):
        need = {"supported": "supports", "established": "supports", "contested": "supports", "refuted": "opposes"}.get(
            d["status"]
        )
        if need and not any(e["stance"] == need and e["source"] for e in d["evidence"]):
            bad.append(f"{key} ({d['status']}: needs a cited item that {need[:-1]}s it)")
    assert not bad, (
        "claims without the cited evidence their status needs (or set gkv:status "
        "gkv:Hypothesised): " + ", ".join(sorted(bad))
    )


def test_every_citation_is_a_verified_reference(bundled_store):
    known = {r["doi"].lower() for r in table("bibliography.tsv") if r["verified"] in {"yes", "partial"} and r["doi"]}
    known_pmid = {r["pmid"] for r in table("bibliography.tsv") if r["verified"] in {"yes", "partial"} and r["pmid"]}
    rows = bundled_store.query(
        P
        + """SELECT DISTINCT ?r ?doi ?pmid ?by WHERE {
        ?e a gkv:Evidence ; dcterms:source ?r .
        OPTIONAL { ?r bibo:doi ?doi } OPTIONAL { ?r bibo:pmid ?pmid } OPTIONAL { ?r gkv:verifiedBy ?by }
    }"""
    ).dicts()
    assert rows, "no evidence cites anything"
    for row in rows:
        in_table = (row["doi"] and str(row["doi"]).lower() in known) or (row["pmid"] and str(row["pmid"]) in known_pmid)
        checked_by_us = row["by"] and not str(row["by"]).startswith("reference/")
        assert in_table or checked_by_us, (
            f"{row['r']} is cited but is neither a verified row of bibliography.tsv nor a reference "
            "with gkv:verifiedBy saying which public record confirmed it (graph/references-extra.ttl)"
        )


def test_every_mapping_is_a_verified_identifier(bundled_store):
    allowed = verified_iris()
    rows = bundled_store.query(
        P
        + """SELECT ?c ?m WHERE {
        ?c a ?cat . ?cat rdfs:subClassOf gkv:Concept . ?c skos:exactMatch|skos:closeMatch ?m }"""
    ).rows
    assert rows, "no concept carries a mapping"
    bad = sorted(f"{c.value} -> {m.value}" for c, m in rows if m.value not in allowed)
    assert not bad, "mappings not in verified rows of identifiers.tsv (remove them):\n" + "\n".join(bad)


def test_mapping_coverage_is_at_least_80_percent(bundled_store):
    """Of our concepts that a verified identifier row names, at least 80 % carry a mapping."""
    from gutkg.concepts import ConceptIndex

    index = ConceptIndex.from_store(bundled_store)
    skip = ("relation:", "predicate:", "evidence:", "study design:")
    named = set()
    for row in table("identifiers.tsv"):
        if row["verified"] != "yes" or row["concept"].startswith(skip) or row["ontology"] == "NCBITaxon":
            continue
        name = re.sub(r"\s*\(.*?\)\s*", " ", row["concept"]).strip()
        concept = index.resolve(name, strict=False) or index.resolve(row["concept"], strict=False)
        if concept:
            named.add(concept.id)
    assert len(named) >= 20, f"only {len(named)} concepts match identifier rows"
    mapped = {c.id for c in index if c.exact or c.close}
    missing = sorted(named - mapped)
    share = 1 - len(missing) / len(named)
    assert share >= 0.8, f"mapping coverage {share:.0%}; add verified mappings to: {missing}"


def test_content_targets(bundled_store, bundled_network):
    """120+ concepts; 250+ statements (claims, associations, measurements: issue 11 turned many
    former claims into associations and measurements); 5+ questions with 2+ rivals; 20 %+ dissent."""
    from gutkg.info import summary

    s = summary(bundled_store)
    assert s["concepts"] >= 120, s["concepts"]
    statements = s["claims"] + len(bundled_network.graph["associations"]) + len(bundled_network.graph["measurements"])
    assert statements >= 250, statements
    assert s["dissent_share"] >= 0.20, s["dissent_share"]
    rivals = bundled_store.query(
        P
        + """SELECT ?q (COUNT(DISTINCT ?h) AS ?n) WHERE {
        ?h a gkv:Hypothesis ; gkv:answers ?q } GROUP BY ?q"""
    ).dicts()
    assert sum(1 for r in rivals if int(r["n"]) >= 2) >= 5, rivals


def test_founding_question_has_its_four_rivals(bundled_network):
    questions = bundled_network.graph["questions"]
    assert "dysbiosis_autoimmunity" in questions, sorted(questions)
    assert len(questions["dysbiosis_autoimmunity"]["hypotheses"]) >= 4


def test_zonulin_assay_evidence_is_flagged_and_weak(bundled_network):
    flagged = [e for _u, _v, d in bundled_network.edges(data=True) for e in d["evidence"] if e["zonulin_assay"]]
    assert flagged, "no evidence is marked as resting on serum-zonulin ELISA data"
    assert all(e["strength"] <= 2 for e in flagged), "zonulin-ELISA evidence must be at most weak"


def test_references_file_is_generated_from_the_shared_table():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_bibliography.py"), "--check"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + " (fix: python scripts/import_bibliography.py)"


# -- evidence model 2.0 (issue 11) and the direction-of-causation evidence base (issue 12) ---------


def _all_items(network):
    items = [e for _u, _v, d in network.edges(data=True) for e in d["evidence"]]
    items += [e for a in network.graph["associations"] for e in a["evidence"]]
    return items + [e for m in network.graph["measurements"] for e in m["evidence"]]


def test_directed_claims_carry_only_direction_showing_primary_evidence_or_reviews(bundled_network):
    from gutkg.scales import DIRECTIONAL, SYNTHESIS

    bad = sorted(
        f"{k}: {e['id']} ({e['direction']})"
        for _u, _v, k, d in bundled_network.edges(keys=True, data=True)
        for e in d["evidence"]
        if e["model"] != SYNTHESIS and e["direction"] not in DIRECTIONAL
    )
    assert not bad, (
        "cross-sectional, familial, prognostic or twin items on a directed claim: move each "
        "to an association (gkv:Association) of the two concepts:\n" + "\n".join(bad)
    )


def test_statuses_follow_the_rule_and_strengths_their_ceilings(bundled_network):
    from gutkg.grading import allowed_statuses, ceiling_problem

    bad = [
        f"{k}: {d['status']} (allowed {sorted(allowed_statuses(d['evidence']))})"
        for _u, _v, k, d in bundled_network.edges(keys=True, data=True)
        if d["status"] not in allowed_statuses(d["evidence"])
    ]
    bad += [f"{e['id']}: {ceiling_problem(e)}" for e in _all_items(bundled_network) if ceiling_problem(e)]
    assert not bad, "fix with gutkg validate's messages:\n" + "\n".join(sorted(bad))


def test_reviews_carry_no_species_and_tests_are_never_causes_or_effects(bundled_network):
    from gutkg.scales import SYNTHESIS

    reviews = [e["id"] for e in _all_items(bundled_network) if e["model"] == SYNTHESIS and e["species"]]
    assert not reviews, f"reviews are not human or mouse data: remove gkv:species from {reviews}"
    tests = [
        k
        for u, v, k in bundled_network.edges(keys=True)
        if "measurement" in (bundled_network.nodes[u]["category"], bundled_network.nodes[v]["category"])
    ]
    assert not tests, f"record these as gkv:Measurement relations, not causal claims: {tests}"


def test_no_claim_between_a_concept_and_its_own_broader_concept_or_stage(bundled_network):
    above: dict[str, set[str]] = {}
    for n, d in bundled_network.nodes(data=True):
        seen, todo = set(), list(d.get("broader", [])) + list(d.get("stage_of", []))
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo += bundled_network.nodes[x].get("broader", []) + bundled_network.nodes[x].get("stage_of", [])
        above[n] = seen
    bad = [k for u, v, k in bundled_network.edges(keys=True) if v in above[u] or u in above[v]]
    assert not bad, f"a kind or a stage of B is not a cause of B; remove: {bad}"


def test_stages_of_the_founding_question(bundled_network):
    stages = bundled_network.graph["stages"]
    assert stages["islet_autoimmunity"] == ["type_1_diabetes"]
    assert stages["preclinical_rheumatoid_arthritis"] == ["rheumatoid_arthritis"]
    assert stages["autoimmunity"] == ["autoimmune_disease"]
    imid = "immune_mediated_inflammatory_disease"
    assert imid in bundled_network.nodes["autoimmune_disease"]["broader"]
    assert imid in bundled_network.nodes["inflammatory_bowel_disease"]["broader"]


def test_every_test_reads_something_with_cited_validity_evidence(bundled_network):
    methods = {n for n, d in bundled_network.nodes(data=True) if d["category"] == "measurement"}
    read = {m["method"] for m in bundled_network.graph["measurements"] if m["evidence"]}
    # a test whose validity no verified study shows keeps no relation rather than a made-up one
    assert len(methods & read) >= 0.85 * len(methods), (
        f"give these tests a gkv:Measurement with cited validity evidence: {sorted(methods - read)}"
    )
    lm = next(
        m
        for m in bundled_network.graph["measurements"]
        if m["id"] == "lactulose_mannitol_test__reads__increased_intestinal_permeability"
    )
    assert len(lm["caveats"]) >= 3, lm["caveats"]
    zonulin = [m for m in bundled_network.graph["measurements"] if m["method"] == "serum_zonulin_assay"]
    assert any(m["validity"] == "disputed" for m in zonulin)


def test_a_balancing_loop_through_permeability_carries_evidence_on_every_claim(bundled_network):
    from gutkg.analysis.loops import find_loops

    r = find_loops(bundled_network, through="increased_intestinal_permeability", limit=500)
    balancing = [lp for lp in r.evidenced if lp.kind == "balancing"]
    assert balancing, "no balancing loop with cited evidence on every claim through permeability"
    assert all(h.citations for lp in balancing for h in lp.hops)


def test_direction_of_causation_evidence_base(bundled_network):
    """Issue 12 targets: the new references cited, 70+ references, 40+ direction-informative human
    items, 3+ primary items on every rival of the founding question."""
    cited = {e["source"] for e in _all_items(bundled_network) if e["source"]}
    new = [r["key"] for r in table("bibliography.tsv")[40:]]
    assert len(new) == 25
    assert sum(k in cited for k in new) >= 22, sorted(set(new) - cited)
    assert len(cited) >= 70, len(cited)
    informative = {
        "controlled human intervention",
        "prospective cohort",
        "mendelian randomisation",
        "treatment response",
        "discordant twins",
    }
    human = [
        e
        for e in _all_items(bundled_network)
        if e["primary"] and "human" in e["species"] and e["model"] != "in vitro" and e["direction"] in informative
    ]
    assert len(human) >= 40, len(human)
    q = bundled_network.graph["questions"]["dysbiosis_autoimmunity"]
    claims = {k: d for _u, _v, k, d in bundled_network.edges(keys=True, data=True)}
    for hid in q["hypotheses"]:
        items = [
            e
            for c in bundled_network.graph["hypotheses"][hid]["claims"]
            if c in claims
            for e in claims[c]["evidence"]
            if e["primary"]
        ]
        assert len(items) >= 3, f"{hid} has {len(items)} primary evidence items"
