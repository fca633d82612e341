"""notebooks/02_sparql_analyst.ipynb runs top to bottom against the bundled graph."""

from __future__ import annotations

import re

from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "02_sparql_analyst.ipynb"


def test_notebook_outputs_are_stripped():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_sparql_analyst_notebook_executes():
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs if o.get("output_type") == "stream")

    def number(label: str) -> int:
        match = re.search(re.escape(label) + r": (\d+)", text)
        assert match, f"missing line {label!r} in:\n{text}"
        return int(match[1])

    count = re.search(r"^(\d+) bundled questions", text, re.M)
    assert count and int(count[1]) >= 12
    assert number("upstream causes of increased intestinal permeability") > number("(direct") > 0
    assert number("claims with evidence on both sides or contested") > 0
    assert number("direct causes of celiac disease") > 0
    assert number("two-concept reinforcing loops as RDF") > 0
    assert number("from the endpoint") > 0
    assert re.search(r"share of evidence items from human studies: \d+%", text)
    tables = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.get("output_type") == "execute_result" and "text/html" in o.get("data", {})]
    assert len(tables) >= 5, "the results show as pandas tables"
