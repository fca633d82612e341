"""The analysis commands end to end (in-process CLI): output, JSON, and bad input."""

from __future__ import annotations

import json

import pytest

from tests.conftest import data

FOUNDING = ("--graph", str(data("analysis_founding.ttl")))
LOOPS = ("--graph", str(data("analysis_loops.ttl")))


@pytest.mark.parametrize("command", ["paths", "loops", "rivals", "explain", "adjust", "rank"])
def test_help_lists_the_evidence_filter_options(run_cli, command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    for option in ("--species", "--min-strength", "--status", "--design", "--exclude-contested", "--format"):
        assert option in result.output


def test_explain_text_with_comparison(run_cli):
    r = run_cli(
        "explain", "microbial dysbiosis", "Autoimmune Disease", *FOUNDING, "--compare-evidence", "human", "--details"
    )
    assert r.exit_code == 0, r.output
    for text in (
        "1. Direct claims dysbiosis → autoimmune disease",
        "5. Common causes",
        "6. Feedback loops containing both",
        "Summary",
        "Links that drop (4)",
        "Roe 2019",
    ):
        assert text in r.output


def test_explain_json_and_no_narrower(run_cli):
    r = run_cli(
        "explain", "dysbiosis", "gkc:autoimmune_disease", *FOUNDING, "--format", "json", "--no-include-narrower"
    )
    d = json.loads(r.output)
    assert d["b_set"] == ["autoimmune_disease"] and d["include_narrower"] is False
    assert [h["claim"] for h in d["direct_ab"]] == ["dysbiosis__increases__autoimmune_disease"]


def test_paths_with_filters(run_cli):
    r = run_cli("paths", "leaky gut", "dysbiosis", *FOUNDING, "--format", "json")
    d = json.loads(r.output)
    assert d["paths"] and d["paths"][0]["nodes"][0] == "increased_intestinal_permeability"
    r = run_cli("paths", "leaky gut", "autoimmune disease", *FOUNDING, "--species", "mouse")
    assert r.exit_code == 0 and "survives the filter" in r.output
    r = run_cli("paths", "leaky gut", "dysbiosis", *FOUNDING, "--status", "refuted")
    assert "leaves no claim" in r.output


def test_loops_through_and_budget(run_cli):
    r = run_cli("loops", "--through", "t", *LOOPS)
    assert r.exit_code == 0 and "balancing" in r.output and "s ─(+)→ t ─(−)→ s" in r.output
    r = run_cli("loops", *LOOPS, "--budget", "0", "--format", "json")
    assert json.loads(r.output)["truncated"] is True


def test_rivals_adjust_rank(run_cli):
    r = run_cli("rivals", "dysbiosis", *FOUNDING)
    assert r.exit_code == 0 and "barrier failure drives both" in r.output
    r = run_cli("adjust", "dysbiosis", "autoimmune disease", *FOUNDING, "--format", "json")
    assert json.loads(r.output)["minimal_adjustment_sets"] == [
        ["antibiotics", "autoimmune_disease", "dysbiosis", "mucosal_inflammation", "western_diet"]
    ]
    dag = run_cli("adjust", "dysbiosis", "autoimmune disease", *FOUNDING, "--format", "dagitty").output
    assert dag.startswith("dag {") and '"dysbiosis@1" [exposure]' in dag
    r = run_cli("rank", *FOUNDING, "--category", "exposure")
    assert r.exit_code == 0 and "antibiotics" in r.output and "betweenness" in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("explain", "dysbiosis", "autoimune disease"), "Did you mean: 'autoimmune disease'"),
        (("explain", "dysbiosis", "dysbiosis"), "two different concepts"),
        (("paths", "nothing at all", "dysbiosis"), "unknown concept"),
        (("rivals", "zonulin"), "no question matches"),
        (
            ("explain", "dysbiosis", "autoimmune disease", "--compare-evidence", "bogus"),
            "cannot read evidence filter term",
        ),
        (("rank", "--category", "nonsense"), "unknown category"),
    ],
)
def test_bad_input_is_a_clean_message(run_cli, args, message):
    r = run_cli(*args, *FOUNDING)
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output


def test_ambiguous_question(run_cli):
    r = run_cli(
        "rivals", "a", "--graph", str(data("analysis_founding.ttl")), "--graph", str(data("analysis_contradiction.ttl"))
    )
    assert r.exit_code == 1 and "matches 2 questions" in r.output
