"""Citations can be followed up from the command line: ``show`` resolves references (key, "Author
Year", DOI, PMID) and claim ids, ``search`` finds references by author, and text cards show DOIs.

Before, ``gutkg show "Tajik 2020"``, ``gutkg search Fasano`` and ``gutkg show gkcl:…`` all failed, and
no DOI appeared in text output. These run on the bundled graph (the reference rows are curated data:
tajik2020 and its DOI are in graph/, verified against the reference tables by tests/test_data.py).
"""

from __future__ import annotations

import json
import re

import pytest

TAJIK_DOI = "10.1038/s41467-020-15831-7"


@pytest.fixture(scope="module")
def tajik(bundled_store):
    from gutkg.cards import lookup

    return lookup(bundled_store, "Tajik 2020")


def test_author_year_gives_the_reference_card_with_every_citing_claim(tajik, bundled_store):
    data = tajik.to_dict()
    assert data["reference"]["key"] == "tajik2020" and data["reference"]["doi"] == TAJIK_DOI
    cited = data["cited_by"]
    assert cited and all(c["stance"] in {"supports", "opposes", "no effect"} for c in cited), cited
    # every citing statement is a statement whose own card cites the paper back
    from gutkg.cards import lookup

    claim = next(c for c in cited if c["kind"] == "causal claim")
    back = lookup(bundled_store, claim["statement"]).to_dict()
    assert any(e["citation"] == "Tajik et al. 2020" and e["doi"] == TAJIK_DOI for e in back["evidence"])


@pytest.mark.parametrize(
    "name",
    ["tajik2020", "gkref:tajik2020", TAJIK_DOI, f"https://doi.org/{TAJIK_DOI}", f"doi:{TAJIK_DOI}", "tajik 2020"],
)
def test_key_doi_and_citation_name_the_same_reference(run_cli, name):
    out = run_cli("show", name)
    assert out.exit_code == 0, out.output
    assert out.output.startswith("Tajik et al. 2020: Targeting zonulin")
    assert f"doi:{TAJIK_DOI}" in out.output and "cited by " in out.output


def test_pmid_names_its_reference(run_cli, bundled_store):
    from gutkg.references import references

    ref = next(r for r in references(bundled_store).values() if r.pmid)
    for spelled in (ref.pmid, f"PMID:{ref.pmid}", f"pmid:{ref.pmid}"):
        out = run_cli("show", spelled, "--format", "json")
        assert out.exit_code == 0, out.output
        assert json.loads(out.output)["reference"]["key"] == ref.key


def test_search_finds_references_by_author(run_cli):
    out = run_cli("search", "Fasano")
    assert out.exit_code == 0
    lines = [line for line in out.output.splitlines() if line.startswith("reference  ")]
    assert any("Fasano 2012: Leaky gut and autoimmune diseases" in line for line in lines), out.output
    assert all(re.search(r"(doi:|PMID:)\S+$", line) for line in lines), lines
    data = json.loads(run_cli("search", "Fasano", "--format", "json").output)
    found = next(d for d in data if d.get("reference") == "fasano2012_crai")
    assert found["citation"] == "Fasano 2012" and found["doi"]


def test_an_author_with_several_papers_is_listed_not_guessed(run_cli):
    out = run_cli("show", "Fasano")
    assert out.exit_code != 0 and "Traceback" not in out.output
    assert "'Fasano' matches" in out.output and "Fasano 2012 (gkref:fasano2012_crai)" in out.output
    assert "Name one by its key (gkref:…), DOI or PMID" in out.output


def test_claim_ids_resolve_and_unknown_ones_say_where_ids_are(run_cli):
    out = run_cli("show", "gkcl:increased_intestinal_permeability__increases__crohns_disease")
    assert out.exit_code == 0, out.output
    assert out.output.startswith("increased intestinal permeability ─(+)→ Crohn's disease  [causal claim")
    assert "grade: " in out.output and "doi:" in out.output
    missing = run_cli("show", "gkcl:nothing__increases__nowhere")
    assert missing.exit_code != 0 and "no claim, association or measurement relation" in missing.output


def test_concept_text_card_lists_each_reference_with_its_doi(run_cli):
    out = run_cli("show", "zonulin")
    assert out.exit_code == 0
    refs = out.output.split("\nreferences (")[1].splitlines()[1:]
    assert refs and f"  Tajik et al. 2020  doi:{TAJIK_DOI}" in refs
    assert all(re.search(r"  (doi:|PMID:)\S+$", line) for line in refs), refs
    cited = set(re.findall(r"\]  (.+)$", out.output, re.M))
    names = {c for line in cited for c in line.split("; ") if c != "no citation"}
    assert names <= {line.split("  ")[1] for line in refs}  # every citation beside a claim is listed
