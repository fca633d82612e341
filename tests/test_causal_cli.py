"""The causal-inference commands end to end (in-process CLI): adjust with unmeasured concepts and
--compare-evidence, implications, instruments, JSON and bad input."""

from __future__ import annotations

import json

from tests.conftest import data

FOUNDING = ("--graph", str(data("analysis_founding.ttl")))


def test_adjust_with_unmeasured_concepts_says_whether_the_effect_is_identifiable_and_why(run_cli):
    args = (
        "adjust",
        "dysbiosis",
        "autoimmune disease",
        *FOUNDING,
        "--unmeasured",
        "antibiotics",
        "--unmeasured",
        "western diet",
    )
    text = run_cli(*args).output
    assert "Identification (not identifiable)" in text and "hedge" in text
    assert "unmeasured antibiotics, western diet confound the exposure" in text
    ident = json.loads(run_cli(*args, "--format", "json").output)["identification"]
    assert ident["identifiable"] is False and ident["method"] == "none" and ident["hedge"]
    plain = json.loads(run_cli("adjust", "dysbiosis", "autoimmune disease", *FOUNDING, "--format", "json").output)
    assert plain["identification"]["method"] == "backdoor" and plain["identification"]["identifiable"]
    assert len(plain["unrolled_claims"]) == 7  # every claim of the ancestral graph's loops, none cut


def test_adjust_compare_evidence_says_which_sets_survive(run_cli):
    r = run_cli(
        "adjust", "dysbiosis", "autoimmune disease", *FOUNDING, "--compare-evidence", "human", "--format", "json"
    )
    [cmp] = json.loads(r.output)["evidence_comparisons"]
    assert cmp["filter"] == "species/model: human"
    total = len(cmp["still_minimal"]) + len(cmp["still_sufficient_not_minimal"]) + len(cmp["no_longer_sufficient"])
    assert total == 1  # the one unfiltered set, judged
    assert (
        "Under species/model: human"
        in run_cli("adjust", "dysbiosis", "autoimmune disease", *FOUNDING, "--compare-evidence", "human").output
    )


def test_implications_lists_independences_and_refuses_the_basis_set_on_loops(run_cli):
    r = run_cli("implications", *FOUNDING, "--format", "json")
    rows = json.loads(r.output)["independences"]
    assert {"x": "antibiotics", "y": ["western_diet"], "given": []} in rows
    assert {"x": "celiac_disease", "y": ["dysbiosis"], "given": ["increased_intestinal_permeability"]} in rows
    only = json.loads(run_cli("implications", *FOUNDING, "--involving", "antibiotics", "--format", "json").output)
    assert only["independences"] and all("antibiotics" in (i["x"], *i["y"]) for i in only["independences"])
    bad = run_cli("implications", *FOUNDING, "--type", "basis")
    assert bad.exit_code != 0 and "use --type missing-edge" in bad.output
    assert run_cli("implications", *FOUNDING, "--format", "dagitty").output.startswith("dag {")


def test_instruments_command(run_cli):
    r = json.loads(run_cli("instruments", "antibiotics", "dysbiosis", *FOUNDING, "--format", "json").output)
    assert r["exposure"] == "antibiotics@1" and r["instruments"]
    assert all({"instrument", "given"} <= set(i) for i in r["instruments"])
    bad = run_cli("instruments", "antibiotics", "no such concept", *FOUNDING)
    assert bad.exit_code != 0 and "Traceback" not in bad.output


def test_the_issue_question_on_the_bundled_graph_says_whether_and_why(run_cli):
    """Done-when of issue 14: the answer names the criterion, or the hedge and its unmeasured cause."""
    r = run_cli(
        "adjust", "dysbiosis", "autoimmune disease", "--unmeasured", "genetic susceptibility", "--format", "json"
    )
    d = json.loads(r.output)
    ident = d["identification"]
    assert d["unmeasured"] == ["genetic_susceptibility"] and ident["reason"]
    assert ident["method"] in ("backdoor", "front-door", "ID algorithm", "none")
    assert ident["identifiable"] == (ident["method"] != "none")
    if not ident["identifiable"]:
        assert "genetic susceptibility" in ident["reason"] and ident["hedge"]
