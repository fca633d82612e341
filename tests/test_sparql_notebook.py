"""notebooks/02_sparql_analyst.ipynb runs top to bottom against the bundled graph."""

from __future__ import annotations

import re

from tests import notebooks

NOTEBOOK = "02_sparql_analyst.ipynb"


def test_notebook_outputs_are_stripped():
    assert notebooks.outputs_are_stripped(NOTEBOOK)


def test_sparql_analyst_notebook_executes():
    nb, text = notebooks.execute(NOTEBOOK)

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
    tables = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "execute_result" and "text/html" in o.get("data", {})
    ]
    assert len(tables) >= 5, "the results show as pandas tables"
