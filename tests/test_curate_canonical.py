"""Data test: every Turtle file of the bundled graph/ is in canonical form.

NOTE: this checks the curated content, which curators are writing while the code is built.
It passes once their files are canonicalised (the lead runs ``gutkg format`` at integration).
If it fails, the message names the files and the command that fixes them.
"""

from __future__ import annotations

import json
import shutil


def test_bundled_graph_files_are_canonical(run_cli):
    result = run_cli("format", "--check", "--format", "json")

    changed = json.loads(result.output)["changed"]
    assert not changed, (
        "not in canonical form: "
        + ", ".join(changed)
        + "\nfix: gutkg format   (then review and commit the rewritten files)"
    )
    assert result.exit_code == 0


def test_format_check_names_the_fix(run_cli, tmp_path):
    """The failure output of gutkg format --check tells the user what to run."""
    from tests.conftest import data

    graph = tmp_path / "graph"
    shutil.copytree(data("curate_graph"), graph)
    target = graph / "concepts" / "state.ttl"
    target.write_text(target.read_text().replace(" ;\n    skos:definition", " ;\n        skos:definition"))
    result = run_cli("format", "--check", str(graph))
    assert result.exit_code == 1
    assert "not canonical:" in result.output and "fix: gutkg format" in result.output
    assert run_cli("format", str(graph)).exit_code == 0
    assert run_cli("format", "--check", str(graph)).exit_code == 0
