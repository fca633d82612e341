"""gutkg import: CSV concepts and claims, all rows or nothing, on a copy of a small graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, data
from tests.curating import CLAIM_HEADER, snapshot


def write_csv(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_concepts_and_claims_together(graph, run_cli):
    from gutkg.loading import load
    from gutkg.network import to_network
    from gutkg.validate import validate

    result = run_cli(
        "import",
        "--graph",
        str(graph),
        str(data("curate_concepts.csv")),
        str(data("curate_claims.csv")),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["written"]
    actions = [(c["action"], c["id"]) for c in out["changes"]]
    assert actions == [
        ("add concept", "gkc:epsilon"),
        ("add concept", "gkc:zeta"),
        ("add concept", "gkc:eta_cell"),
        ("add claim", "gkcl:alpha__increases__epsilon"),
        ("add claim to hypothesis", "gkh:a_via_b"),
        ("add claim", "gkcl:beta__decreases__zeta"),
        ("add claim", "gkcl:eta_cell__increases__epsilon"),
    ]
    assert sorted(out["files"]) == [
        "graph/claims/cells.ttl",
        "graph/claims/curated.ttl",
        "graph/concepts/cell.ttl",
        "graph/concepts/disease.ttl",
        "graph/hypotheses.ttl",
    ]
    assert validate([graph]).conforms
    net = to_network(load([graph]))
    edge = net.edges["alpha", "epsilon", "alpha__increases__epsilon"]
    assert edge["status"] == "contested"
    assert sorted(e["id"] for e in edge["evidence"]) == ["alpha__increases__epsilon.e1", "alpha__increases__epsilon.e2"]
    assert edge["opposed"] is True
    assert {e["description"] for e in edge["evidence"]} == {
        "A trial found more epsilon.",
        "A prospective cohort found none, n=400.",
    }
    assert "gkc:epsilon" in (graph / "concepts" / "disease.ttl").read_text()
    assert "skos:broader gkc:zeta" in (graph / "concepts" / "disease.ttl").read_text()


def test_a_bad_row_means_nothing_is_written(graph, run_cli, tmp_path):
    before = snapshot(graph)
    bad = write_csv(
        tmp_path,
        "bad.csv",
        CLAIM_HEADER + "alpha,delta,increases,supported,ok,,,testref2020,ECO:0000180,,human,in-vivo,"
        "interventional,weak,,,fine row\n"
        + "alpah,delta,decreases,supported,typo,,,testref2020,ECO:0000180,,human,in-vivo,"
        "interventional,weak,,,\n"
        + "beta,delta,increases,supported,no evidence,,,,,,,,,,,,\n"
        + "gamma,delta,increases,supported,bad,,,testref2020,ECO:0000180,,martian,in-vivo,"
        "interventional,weak,,,\n",
    )
    result = run_cli("import", "--graph", str(graph), bad)
    assert result.exit_code == 1
    assert "3 problem(s)" in result.output and "nothing was written" in result.output
    assert "bad.csv, line 3: unknown concept 'alpah'" in result.output
    assert "bad.csv, line 4:" in result.output and "Provenance is not optional" in result.output
    assert "bad.csv, line 5:" in result.output and "'martian'" in result.output
    assert snapshot(graph) == before


def test_dry_run_lists_the_changes_and_writes_nothing(graph, run_cli):
    before = snapshot(graph)
    result = run_cli("import", "--graph", str(graph), "--dry-run", str(data("curate_concepts.csv")))
    assert result.exit_code == 0, result.output
    assert "add concept gkc:epsilon (epsilon)  -> graph/concepts/disease.ttl" in result.output
    assert "dry run: valid; nothing written" in result.output
    assert snapshot(graph) == before


def test_rows_restating_an_existing_claim(graph, run_cli, tmp_path):
    row = (
        "A,beta,increases,supported,,,,testref2021,ECO:0000179,OBI:0003696,mouse,in-vivo,"
        "interventional,weak,,,Mice too.\n"
    )
    path = write_csv(tmp_path, "again.csv", CLAIM_HEADER + row)
    refused = run_cli("import", "--graph", str(graph), path)
    assert refused.exit_code == 1
    assert "gkcl:alpha__increases__beta" in refused.output
    assert "--add-evidence-to-existing" in refused.output
    added = run_cli("import", "--graph", str(graph), path, "--add-evidence-to-existing")
    assert added.exit_code == 0, added.output
    assert "add evidence gkev:alpha__increases__beta.e2" in added.output


def test_rows_of_one_claim_must_agree(graph, run_cli, tmp_path):
    ev = ",,,testref2020,ECO:0000180,,human,in-vivo,interventional,weak,,,\n"
    path = write_csv(
        tmp_path,
        "clash.csv",
        CLAIM_HEADER + "alpha,delta,increases,supported,m" + ev + "alpha,delta,increases,refuted," + ev,
    )
    result = run_cli("import", "--graph", str(graph), path)
    assert result.exit_code == 1
    assert "line 3: status 'refuted' contradicts 'supported' given on line 2" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cause,effect,sign,status,mechanism,evidence\n", "unknown column(s) evidence"),
        ("cause,effect,status,mechanism\n", "missing column(s) sign"),
        ("name,definition\n", "cannot tell concepts from claims"),
        (CLAIM_HEADER + "# only a comment\n", "no rows to import"),
        ("", "is empty"),
    ],
)
def test_unreadable_tables_are_input_errors(graph, run_cli, tmp_path, text, message):
    result = run_cli("import", "--graph", str(graph), write_csv(tmp_path, "t.csv", text))
    assert result.exit_code == 2
    assert message in result.output


def test_tsv_with_a_byte_order_mark_and_any_case_headers(graph, run_cli, tmp_path):
    path = tmp_path / "concepts.tsv"
    path.write_bytes(
        "\ufeffLabel\tCategory\tDefinition\tExact Match\nepsilon\tdisease\tA test.\tMONDO:0005130\n".encode("utf-8")
    )
    result = run_cli("import", "--graph", str(graph), str(path))
    assert result.exit_code == 0, result.output
    assert "obo:MONDO_0005130" in (graph / "concepts" / "disease.ttl").read_text()


def test_unverified_mapping_in_a_row_is_refused(graph, run_cli, tmp_path):
    path = write_csv(tmp_path, "c.csv", "label,category,definition,exact_match\nepsilon,disease,A test.,MESH:D064806\n")
    result = run_cli("import", "--graph", str(graph), path)
    assert result.exit_code == 1
    assert "c.csv, line 2:" in result.output and "marked 'partial'" in result.output


@pytest.mark.parametrize("kind", ["concepts", "claims"])
def test_template_is_shipped_in_the_repo_and_the_package(run_cli, kind, tmp_path):
    from gutkg.curation.csvimport import COLUMNS, read_table

    printed = run_cli("import", "--template", kind)
    assert printed.exit_code == 0
    repo = (ROOT / "templates" / f"{kind}_template.csv").read_text(encoding="utf-8")
    assert printed.output == repo
    path = tmp_path / f"{kind}.csv"
    path.write_text(repo)
    layout, rows = read_table(path)
    assert layout == kind and rows == []  # only comments below the header
    assert repo.splitlines()[0].split(",") == list(COLUMNS[kind])
    examples = [
        line[1:]
        for line in repo.splitlines()[1:]
        if line.startswith("#") and "," in line[:40] and not line.startswith("# ")
    ]
    assert examples, "the template shows at least one example row"


def test_template_examples_are_valid_rows_for_the_bundled_graph(bundled_store, tmp_path):
    """The commented example rows, uncommented, parse, use known values, and name concepts of graph/.

    (Robust to the graph growing: whether the example claim already exists is not asserted.)
    """
    from gutkg.concepts import ConceptIndex
    from gutkg.curation.claim import EvidenceSpec
    from gutkg.curation.csvimport import EVIDENCE_COLUMNS, read_table
    from gutkg.curation.values import iri_for

    index = ConceptIndex.from_store(bundled_store)
    seen = {}
    for kind in ("concepts", "claims"):
        lines = (ROOT / "templates" / f"{kind}_template.csv").read_text().splitlines()
        rows = [lines[0]] + [line[1:] for line in lines[1:] if line.startswith("#") and not line.startswith("# ")]
        layout, parsed = read_table(Path(write_csv(tmp_path, f"{kind}.csv", "\n".join(rows) + "\n")))
        assert layout == kind and parsed
        seen[kind] = parsed
    for row in seen["concepts"]:
        iri_for("category", row.get("category"))
    for row in seen["claims"]:
        assert index.resolve(row.get("cause")) and index.resolve(row.get("effect"))
        iri_for("sign", row.get("sign"))
        iri_for("status", row.get("status"))
        fields = {key: row.get(col) for col, key in EVIDENCE_COLUMNS.items()}
        if any(fields.values()):
            e = EvidenceSpec.from_fields(fields)
            for kind, value in [
                ("model", e.model),
                ("direction", e.direction),
                ("strength", e.strength),
                ("stance", e.stance),
            ]:
                iri_for(kind, value)
            assert e.source in {r.rsplit("/", 1)[-1] for r in _reference_iris(bundled_store)}


def _reference_iris(store) -> list[str]:  # type: ignore[no-untyped-def]
    from gutkg.references import references

    return [r.iri for r in references(store).values()]


def test_help_documents_every_column(run_cli):
    from gutkg.curation import csvimport
    from gutkg.curation.csvimport import COLUMNS

    help_text = run_cli("import", "--help").output
    for columns in COLUMNS.values():
        for column in columns:
            assert column in help_text, f"gutkg import --help does not document {column}"
            assert f"\n{column} " in csvimport.__doc__, f"the csvimport docstring misses {column}"
