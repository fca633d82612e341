"""Evidence filter options: one decorator for analysis and export, values checked with suggestions.

Before, ``--species humans``, ``mice``, ``NCBITaxon:9606`` and ``--design "in vivo"`` silently kept
0 claims and exited 0; ``export html --min-strength Strong`` was refused while ``loops`` took it.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import data

GRAPH = ("--graph", str(data("grading.ttl")))
ANALYSIS = ("paths", "illness", "microbes")


@pytest.mark.parametrize(("value", "suggestion"), [("humans", "'human'"), ("mice", "'mouse'"), ("zebrafish", "")])
@pytest.mark.parametrize("command", [ANALYSIS, ("export", "html", "-o", "{out}")])
def test_unknown_species_is_refused_with_the_closest_name(run_cli, tmp_path, command, value, suggestion):
    out = tmp_path / "page.html"
    args = [a.replace("{out}", str(out)) for a in command]
    result = run_cli(*args, "--species", value, *GRAPH)
    assert result.exit_code != 0
    assert f"unknown species or model {value!r}" in result.output
    assert ("Did you mean " + suggestion) in result.output if suggestion else "Did you mean" not in result.output
    assert "Use one of: human, mouse, rat, in vitro" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_ncbitaxon_curie_means_the_species(run_cli):
    by_curie = run_cli(*ANALYSIS, "--species", "NCBITaxon:9606", "--format", "json", *GRAPH)
    by_name = run_cli(*ANALYSIS, "--species", "human", "--format", "json", *GRAPH)
    assert by_curie.exit_code == 0, by_curie.output
    answer = json.loads(by_curie.output)
    assert answer["paths"] and answer == json.loads(by_name.output)
    assert answer["filter"] == "species/model: human"


def test_a_model_system_given_as_design_is_refused_with_the_valid_list(run_cli):
    result = run_cli(*ANALYSIS, "--design", "in vivo", *GRAPH)
    assert result.exit_code != 0
    assert "'in vivo' is a model system, not a design: filter it with --species" in result.output
    assert "Use one of: community transfer, controlled human intervention" in result.output


@pytest.mark.parametrize("command", [("loops",), ("export", "html", "-o", "{out}")])
def test_strength_and_status_are_case_insensitive_everywhere(run_cli, tmp_path, command):
    args = [a.replace("{out}", str(tmp_path / "page.html")) for a in command]
    result = run_cli(*args, "--min-strength", "Strong", "--status", "Supported", *GRAPH)
    assert result.exit_code == 0, result.output
    assert "strength >= strong" in result.output and "status: supported" in result.output


def test_export_keeps_what_the_filter_keeps(run_cli, tmp_path):
    result = run_cli(
        "export", "html", "-o", str(tmp_path / "h.html"), "--species", "NCBITaxon:10090", "--format", "json", *GRAPH
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["claims"] >= 1 and "species/model: mouse" in json.dumps(report)
