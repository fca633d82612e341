"""notebooks/03_teaching.ipynb (for teachers) runs top to bottom against the bundled graph: result
cards, a figure and a lecture deck built from Python."""

from __future__ import annotations

import re

from tests import notebooks

NOTEBOOK = "03_teaching.ipynb"


def test_notebook_outputs_are_stripped():
    assert notebooks.outputs_are_stripped(NOTEBOOK)


def test_teaching_notebook_executes_and_draws():
    nb, text = notebooks.execute(NOTEBOOK)
    assert "<gutkg.KnowledgeGraph: " in text and "In one sentence: " in text
    assert "Tajik et al. 2020 — 10.1038/s41467-020-15831-7" in text
    figure = re.search(r"figure: Feedback loops through increased intestinal permeability: (\d+) claims", text)
    assert figure and int(figure.group(1)) > 0, text
    deck = re.search(r"deck: '.+', (\d+) slides", text)
    assert deck and int(deck.group(1)) >= 3, text
    cards = notebooks.displayed(nb, "text/html")
    kinds = [m.group(1) for card in cards for m in [re.search(r"</strong><span[^>]*> · ([a-z ]+)</span>", card)] if m]
    assert kinds[:5] == ["explain", "concept", "reference", "loops", "explain"], kinds
    assert all(len(card) < 30_000 for card in cards)
    assert any("<table" in card and "<th" in card and ">disease<" in card for card in cards)  # the query's frame
    svg = notebooks.displayed(nb, "image/svg+xml")
    assert len(svg) == 1 and "<svg" in svg[0] and "increased intestinal permeability" in svg[0]
