"""gutkg add concept / add claim: round trips through the CLI on a copy of a small graph.

Every test works on a copy of tests/data/curate_graph/ in tmp_path (never on graph/). The fixture
graph: concepts alpha (synonym "A"), beta, gamma (broader delta), delta; claims alpha increases
beta (supported, one evidence item) and beta increases gamma (hypothesised); hypothesis a_via_b.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.curating import EVIDENCE, add_claim_args, snapshot


def report(folder: Path):  # type: ignore[no-untyped-def]
    from gutkg.validate import validate

    return validate([folder])


# -- add concept -----------------------------------------------------------------------------


def test_add_concept_writes_canonical_valid_turtle(graph, run_cli):
    from gutkg.concepts import ConceptIndex
    from gutkg.curation.files import canonicalise_files
    from gutkg.loading import load

    result = run_cli(
        "add",
        "concept",
        "--graph",
        str(graph),
        "--label",
        "epsilon",
        "--category",
        "disease",
        "--definition",
        "A test disease.",
        "--synonym",
        "E",
        "--broader",
        "delta",
        "--exact-match",
        "MONDO:0005130",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["written"] and out["files"] == ["graph/concepts/disease.ttl"]
    assert out["changes"][0] == {
        "action": "add concept",
        "id": "gkc:epsilon",
        "file": "graph/concepts/disease.ttl",
        "detail": "epsilon",
    }
    assert canonicalise_files([graph], check=True) == []
    assert report(graph).conforms
    concept = ConceptIndex.from_store(load([graph])).resolve("E")
    assert concept is not None and concept.id == "epsilon"
    assert concept.broader == ["delta"]
    assert concept.exact == ["http://purl.obolibrary.org/obo/MONDO_0005130"]


def test_add_concept_to_a_new_category_file(graph, run_cli):
    result = run_cli(
        "add",
        "concept",
        "--graph",
        str(graph),
        "--id",
        "zeta_cell",
        "--label",
        "zeta cell",
        "--category",
        "cell",
        "--definition",
        "A test cell.",
    )
    assert result.exit_code == 0, result.output
    text = (graph / "concepts" / "cell.ttl").read_text()
    assert text.startswith("# gutkg concepts: cell (CellType).")
    assert "gkc:zeta_cell a gkv:CellType" in text


def test_add_concept_to_an_empty_graph_folder(tmp_path, run_cli):
    empty = tmp_path / "fresh"
    empty.mkdir()
    result = run_cli(
        "add",
        "concept",
        "--graph",
        str(empty),
        "--label",
        "epsilon",
        "--category",
        "disease",
        "--definition",
        "A first concept.",
    )
    assert result.exit_code == 0, result.output
    assert "gkc:epsilon a gkv:Disease" in (empty / "concepts" / "disease.ttl").read_text()


def test_new_claim_needs_a_mechanism(graph, run_cli):
    result = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "alpha",
        "--effect",
        "delta",
        "--sign",
        "increases",
        "--status",
        "supported",
        "--evidence",
        EVIDENCE,
        "--add-evidence-to-existing",
    )
    assert result.exit_code == 1
    assert "a new claim needs a mechanism note" in result.output


def test_html_in_a_label_is_stored_as_text(graph, run_cli):
    from gutkg.concepts import ConceptIndex
    from gutkg.loading import load

    label = '<script>alert("x")</script> & <b>bold</b>'
    result = run_cli(
        "add",
        "concept",
        "--graph",
        str(graph),
        "--id",
        "html_test",
        "--label",
        label,
        "--category",
        "state",
        "--definition",
        'Says "<i>hi</i>".',
    )
    assert result.exit_code == 0, result.output
    concept = ConceptIndex.from_store(load([graph])).concepts["html_test"]
    assert concept.label == label
    assert concept.definition == 'Says "<i>hi</i>".'
    shown = run_cli("show", "html_test", "--graph", str(graph), "--format", "json")
    assert json.loads(shown.output)["label"] == label


@pytest.mark.parametrize("name", ["beta", "A", "Alpha"])
def test_concept_name_clash_is_refused(graph, run_cli, name):
    before = snapshot(graph)
    result = run_cli(
        "add",
        "concept",
        "--graph",
        str(graph),
        "--id",
        "other",
        "--label",
        "other",
        "--synonym",
        name,
        "--category",
        "state",
        "--definition",
        "Clashes.",
    )
    assert result.exit_code == 1
    assert "already names gkc:" in result.output
    assert snapshot(graph) == before


def test_existing_concept_id_is_refused(graph, run_cli):
    result = run_cli(
        "add",
        "concept",
        "--graph",
        str(graph),
        "--id",
        "beta",
        "--label",
        "new beta",
        "--category",
        "state",
        "--definition",
        "x",
    )
    assert result.exit_code == 1
    assert "gkc:beta already exists" in result.output


@pytest.mark.parametrize(
    ("curie", "why"),
    [
        ("MESH:D064806", "marked 'partial'"),  # dysbiosis: a partial row
        ("MONDO:0005131", "not in identifiers.tsv"),
        ("RO:0002304", "not something a concept can match"),
    ],
)
def test_unverified_mapping_is_refused(graph, run_cli, curie, why):
    before = snapshot(graph)
    result = run_cli(
        "add",
        "concept",
        "--graph",
        str(graph),
        "--label",
        "epsilon",
        "--category",
        "disease",
        "--definition",
        "x",
        "--close-match",
        curie,
    )
    assert result.exit_code == 1
    assert why in result.output
    assert snapshot(graph) == before


def test_mappings_refused_without_the_identifier_table(graph, run_cli, monkeypatch, tmp_path):
    monkeypatch.setenv("GUTKG_IDENTIFIERS", str(tmp_path / "absent.tsv"))
    result = run_cli(
        "add",
        "concept",
        "--graph",
        str(graph),
        "--label",
        "epsilon",
        "--category",
        "disease",
        "--definition",
        "x",
        "--exact-match",
        "MONDO:0005130",
    )
    assert result.exit_code == 1
    assert "absent.tsv is missing" in result.output
    ok = run_cli(
        "add", "concept", "--graph", str(graph), "--label", "epsilon", "--category", "disease", "--definition", "x"
    )
    assert ok.exit_code == 0, ok.output


def test_unknown_reference_and_broader_are_reported_together(graph, run_cli):
    result = run_cli(
        "add",
        "concept",
        "--graph",
        str(graph),
        "--label",
        "epsilon",
        "--category",
        "disease",
        "--definition",
        "x",
        "--broader",
        "deltta",
        "--definition-source",
        "testref2022",
    )
    assert result.exit_code == 1
    assert "unknown concept 'deltta'" in result.output and "'delta'" in result.output
    assert "unknown reference 'testref2022'" in result.output


# -- add claim -------------------------------------------------------------------------------


def test_add_claim_with_evidence_and_hypothesis(graph, run_cli):
    from gutkg.loading import load
    from gutkg.network import to_network

    result = run_cli(*add_claim_args(graph, "--hypothesis", "A acts through B", "--diff"))
    assert result.exit_code == 0, result.output
    claims = (graph / "claims" / "curated.ttl").read_text()
    assert "gkcl:alpha__increases__gamma a gkv:CausalClaim" in claims
    assert "gkev:alpha__increases__gamma.e1 a gkv:Evidence" in claims
    assert "gkcl:alpha__increases__gamma" in (graph / "hypotheses.ttl").read_text()
    assert "+gkcl:alpha__increases__gamma a gkv:CausalClaim" in result.output  # the diff
    assert report(graph).conforms
    net = to_network(load([graph]))
    edge = net.edges["alpha", "gamma", "alpha__increases__gamma"]
    assert edge["sign"] == 1 and edge["status"] == "supported"
    assert [e["system"] for e in edge["evidence"]] == ["mouse"]
    assert edge["hypotheses"] == ["a_via_b"]


def test_duplicate_claim_is_refused_with_the_existing_id(graph, run_cli):
    before = snapshot(graph)
    result = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "A",
        "--effect",
        "beta",
        "--sign",
        "increases",
        "--status",
        "supported",
        "--mechanism",
        "Again.",
        "--evidence",
        EVIDENCE,
    )
    assert result.exit_code == 1
    assert "gkcl:alpha__increases__beta" in result.output
    assert "--add-evidence-to-existing" in result.output
    assert snapshot(graph) == before


def test_evidence_is_appended_to_the_existing_claim(graph, run_cli):
    result = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "A",
        "--effect",
        "beta",
        "--sign",
        "increases",
        "--status",
        "contested",
        "--add-evidence-to-existing",
        "--evidence",
        EVIDENCE + ",stance=opposes",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["changes"] == [
        {
            "action": "add evidence",
            "id": "gkev:alpha__increases__beta.e2",
            "file": "graph/claims/barrier.ttl",
            "detail": "to existing claim gkcl:alpha__increases__beta",
        }
    ]
    assert any("changes its status from 'supported' to 'contested'" in n for n in out["notes"])
    text = (graph / "claims" / "barrier.ttl").read_text()
    assert "gkev:alpha__increases__beta.e1, gkev:alpha__increases__beta.e2" in text
    assert "gkv:Opposes" in text
    assert not (graph / "claims" / "curated.ttl").exists()
    assert report(graph).conforms
    again = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "A",
        "--effect",
        "beta",
        "--sign",
        "increases",
        "--status",
        "contested",
        "--add-evidence-to-existing",
        "--evidence",
        EVIDENCE + ",stance=opposes",
    )
    assert again.exit_code == 1
    assert "gkev:alpha__increases__beta.e2 already records this evidence" in again.output


def test_unknown_concept_lists_close_matches(graph, run_cli):
    result = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "alpah",
        "--effect",
        "beta",
        "--sign",
        "increases",
        "--status",
        "hypothesised",
        "--mechanism",
        "x",
    )
    assert result.exit_code == 1
    assert "unknown concept 'alpah'" in result.output and "'alpha'" in result.output


def test_claim_without_evidence_must_be_hypothesised(graph, run_cli):
    from gutkg.curation import ClaimSpec, Draft, add_claim
    from gutkg.errors import ValidationError

    before = snapshot(graph)
    result = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "gamma",
        "--effect",
        "alpha",
        "--sign",
        "decreases",
        "--status",
        "supported",
        "--mechanism",
        "x",
        "--no-interactive",
    )
    assert result.exit_code == 1
    assert "Provenance is not optional" in result.output
    assert snapshot(graph) == before
    with pytest.raises(ValidationError, match="hypothesised"):  # the library enforces it too
        add_claim(Draft(graph), ClaimSpec("gamma", "alpha", "decreases", "supported", "x"))
    ok = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "gamma",
        "--effect",
        "alpha",
        "--sign",
        "decreases",
        "--status",
        "hypothesised",
        "--mechanism",
        "Feedback?",
    )
    assert ok.exit_code == 0, ok.output
    assert "hypothesised, no evidence" in ok.output
    assert report(graph).conforms


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        (EVIDENCE.replace("strength=weak", "strength=high"), "unknown strength 'high'"),
        (EVIDENCE.replace("ECO:0000179", "ECO:9999999"), "evidence type 'ECO:9999999' is not verified"),
        (EVIDENCE.replace("OBI:0003696", "ECO:0000180"), "must be a OBI id"),
        (EVIDENCE.replace("testref2021", "nosuchref"), "unknown reference 'nosuchref'"),
        (EVIDENCE + ",zonulin=yes", None),
        (EVIDENCE.replace("strength=weak", "strength=moderate") + ",zonulin=yes", "at most weak"),
        ("source=testref2021,type=ECO:0000179", "lacks species, model, direction, strength"),
        ("source=testref2021;type=ECO:0000179", "separate its fields with commas"),
        ("source=testref2021,kind=ECO:0000179", "unknown key 'kind'"),
        ("source=testref2021,type=ECO:0000179,description=n=12, p=0.05", "unknown key 'p'"),
    ],
)
def test_invalid_evidence_is_refused(graph, run_cli, evidence, message):
    before = snapshot(graph)
    result = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "alpha",
        "--effect",
        "delta",
        "--sign",
        "increases",
        "--status",
        "supported",
        "--mechanism",
        "x",
        "--evidence",
        evidence,
    )
    if message is None:
        assert result.exit_code == 0, result.output
        assert "gkv:restsOnZonulinAssay true" in (graph / "claims" / "curated.ttl").read_text()
        return
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert snapshot(graph) == before


def test_claim_cannot_be_its_own_cause(graph, run_cli):
    result = run_cli(
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "A",
        "--effect",
        "alpha",
        "--sign",
        "increases",
        "--status",
        "hypothesised",
        "--mechanism",
        "x",
    )
    assert result.exit_code == 1 and "its own cause" in result.output


def test_unknown_hypothesis_is_refused(graph, run_cli):
    result = run_cli(*add_claim_args(graph, "--hypothesis", "a_via_c"))
    assert result.exit_code == 1
    assert "unknown hypothesis 'a_via_c'" in result.output and "gkh:a_via_b" in result.output


def test_shacl_violation_in_a_change_is_refused_with_the_grouped_report(graph):
    """Validation runs on the whole new graph: a raw change breaking a shape is refused."""
    from gutkg.curation import Draft
    from gutkg.curation.draft import Change
    from gutkg.errors import ValidationError
    from gutkg.store import Term
    from gutkg.vocab import CLAIM, GKV, RDF

    before = snapshot(graph)
    draft = Draft(graph)
    claim = Term.iri(str(CLAIM["broken"]))
    draft.add(
        graph / "claims" / "curated.ttl",
        [(claim, Term.iri(str(RDF.type)), Term.iri(str(GKV.CausalClaim)))],
        Change("add claim", "gkcl:broken", "graph/claims/curated.ttl"),
    )
    with pytest.raises(ValidationError) as info:
        draft.commit()
    text = str(info.value)
    assert "refused" in text and "Nothing was written" in text
    assert "A claim needs exactly one gkv:cause" in text
    assert "graph/claims/curated.ttl: gkcl:broken" in text  # placed in the file it would go to
    assert snapshot(graph) == before


def test_violations_already_in_the_graph_do_not_block_an_unrelated_change(graph, run_cli):
    broken = graph / "claims" / "barrier.ttl"
    broken.write_text(broken.read_text().replace("    gkv:status gkv:Supported ;\n", ""))
    assert not report(graph).conforms
    result = run_cli(
        "add", "concept", "--graph", str(graph), "--label", "epsilon", "--category", "disease", "--definition", "x"
    )
    assert result.exit_code == 0, result.output
    assert "already had 1 violation(s) unrelated to this change" in result.output


def test_dry_run_writes_nothing_and_shows_the_diff(graph, run_cli):
    before = snapshot(graph)
    result = run_cli(*add_claim_args(graph, "--dry-run", "--format", "json"))
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["dry_run"] and not out["written"]
    assert out["files"] == ["graph/claims/curated.ttl"]
    assert "+gkcl:alpha__increases__gamma a gkv:CausalClaim ;" in out["diff"]
    assert snapshot(graph) == before


def test_file_changed_on_disk_meanwhile_is_not_overwritten(graph):
    from gutkg.curation import ConceptSpec, Draft, add_concept
    from gutkg.errors import StoreError

    draft = Draft(graph)
    add_concept(draft, ConceptSpec("epsilon", "disease", "x"))
    target = graph / "concepts" / "disease.ttl"
    target.write_text(target.read_text() + "\n# edited by someone else\n")
    edited = snapshot(graph)
    with pytest.raises(StoreError, match="changed on disk"):
        draft.commit()
    assert snapshot(graph) == edited


# -- prompting -------------------------------------------------------------------------------


def test_missing_options_without_a_terminal_name_them(graph, run_cli):
    result = run_cli("add", "claim", "--graph", str(graph), "--cause", "alpha")
    assert result.exit_code == 2
    assert "missing option(s) --effect, --sign, --status, --mechanism" in result.output


def test_missing_options_are_prompted_for_in_a_terminal(graph, run_cli):
    answers = "\n".join(["alpha", "delta", "decreases", "supported", "Alpha soothes delta.", EVIDENCE, ""]) + "\n"
    result = run_cli("add", "claim", "--graph", str(graph), "--interactive", input=answers)
    assert result.exit_code == 0, result.output
    assert "Cause:" in result.output and "Evidence 1" in result.output
    assert "gkev:alpha__decreases__delta.e1" in (graph / "claims" / "curated.ttl").read_text()
    concept = run_cli(
        "add", "concept", "--graph", str(graph), "--interactive", input="epsilon\ndisease\nA prompted disease.\n"
    )
    assert concept.exit_code == 0, concept.output
    assert "gkc:epsilon" in (graph / "concepts" / "disease.ttl").read_text()


@pytest.mark.parametrize(
    "args",
    [
        ["add", "concept", "--label", "x"],
        ["add", "claim", "--cause", "alpha"],
        ["import", "--template", "claims"],
    ],
)
def test_every_curation_command_takes_format_json(run_cli, args):
    result = run_cli(*args, "--help")
    assert result.exit_code == 0
    assert "--format [text|json]" in result.output
