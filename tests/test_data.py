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
    assert not missing, (f"{len(missing)} rows of ../shared/reference/{name} are missing or changed in "
                         f"reference/{name} (fix: cp ../shared/reference/{name} reference/):\n"
                         + "\n".join(m[:120] for m in missing[:10]))


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


def test_every_asserted_claim_has_cited_supporting_evidence(bundled_store):
    rows = bundled_store.query(P + """SELECT ?claim WHERE {
        ?claim a gkv:CausalClaim ; gkv:status ?s . FILTER (?s != gkv:Hypothesised)
        FILTER NOT EXISTS { ?claim obo:RO_0002558 ?e . ?e gkv:stance gkv:Supports ; dcterms:source ?r .
                            ?r a bibo:AcademicArticle }
    }""").rows
    bad = sorted(r[0].value for r in rows)
    assert not bad, ("claims that are not hypothesised need a supporting evidence item citing a "
                     "reference (or status gkv:Hypothesised): " + ", ".join(bad))


def test_every_citation_is_a_verified_reference(bundled_store):
    known = {r["doi"].lower() for r in table("bibliography.tsv")
             if r["verified"] in {"yes", "partial"} and r["doi"]}
    known_pmid = {r["pmid"] for r in table("bibliography.tsv")
                  if r["verified"] in {"yes", "partial"} and r["pmid"]}
    rows = bundled_store.query(P + """SELECT DISTINCT ?r ?doi ?pmid ?by WHERE {
        ?e a gkv:Evidence ; dcterms:source ?r .
        OPTIONAL { ?r bibo:doi ?doi } OPTIONAL { ?r bibo:pmid ?pmid } OPTIONAL { ?r gkv:verifiedBy ?by }
    }""").dicts()
    assert rows, "no evidence cites anything"
    for row in rows:
        in_table = (row["doi"] and str(row["doi"]).lower() in known) or (row["pmid"] and str(row["pmid"]) in known_pmid)
        checked_by_us = row["by"] and not str(row["by"]).startswith("reference/")
        assert in_table or checked_by_us, (
            f"{row['r']} is cited but is neither a verified row of bibliography.tsv nor a reference "
            "with gkv:verifiedBy saying which public record confirmed it (graph/references-extra.ttl)")


def test_every_mapping_is_a_verified_identifier(bundled_store):
    allowed = verified_iris()
    rows = bundled_store.query(P + """SELECT ?c ?m WHERE {
        ?c a ?cat . ?cat rdfs:subClassOf gkv:Concept . ?c skos:exactMatch|skos:closeMatch ?m }""").rows
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


def test_content_targets(bundled_store):
    """Issue 3: 120+ concepts, 250+ claims, 5+ questions with 2+ rivals, 15 %+ dissent."""
    from gutkg.info import summary

    s = summary(bundled_store)
    assert s["concepts"] >= 120, s["concepts"]
    assert s["claims"] >= 250, s["claims"]
    assert s["dissent_share"] >= 0.15, s["dissent_share"]
    rivals = bundled_store.query(P + """SELECT ?q (COUNT(DISTINCT ?h) AS ?n) WHERE {
        ?h a gkv:Hypothesis ; gkv:answers ?q } GROUP BY ?q""").dicts()
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

    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_bibliography.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + " (fix: python scripts/import_bibliography.py)"
