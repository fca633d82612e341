"""notebooks/01_founding_question.ipynb runs top to bottom against the bundled graph."""

from __future__ import annotations

from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "01_founding_question.ipynb"


def test_notebook_outputs_are_stripped():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_founding_question_notebook_executes():
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs if o.get("output_type") == "stream")
    assert "common causes; permeability among them: True" in text
    assert "species/model: human" in text and "drops:" in text
    assert "Minimal sufficient adjustment sets" in text
