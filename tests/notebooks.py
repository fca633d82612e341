"""Run the analyst notebooks as a reader would: top to bottom, against the bundled graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"


def read(name: str) -> Any:
    import nbformat

    return nbformat.read(NOTEBOOKS / name, as_version=4)


def outputs_are_stripped(name: str) -> bool:
    """Committed notebooks carry no outputs or execution counts (clean diffs)."""
    code = [c for c in read(name).cells if c.cell_type == "code"]
    return bool(code) and all(not c.outputs and c.execution_count is None for c in code)


def execute(name: str) -> tuple[Any, str]:
    """Execute the notebook in a python3 kernel from the repository root; (notebook, printed text)."""
    from nbclient import NotebookClient

    nb = read(name)
    NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(Path(ROOT))}}).execute()
    text = "\n".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "stream"
    )
    return nb, text


def displayed(nb: Any, mime: str) -> list[str]:
    """Every rich output of type ``mime`` (``text/html``, ``image/svg+xml``...), in order: what a
    reader sees of results displayed as the last expression of a cell or with ``display()``."""
    return [
        o["data"][mime]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") in ("execute_result", "display_data") and mime in o.get("data", {})
    ]
