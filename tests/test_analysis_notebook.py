"""notebooks/01_founding_question.ipynb runs top to bottom against the bundled graph."""

from __future__ import annotations

from tests import notebooks

NOTEBOOK = "01_founding_question.ipynb"


def test_notebook_outputs_are_stripped():
    assert notebooks.outputs_are_stripped(NOTEBOOK)


def test_founding_question_notebook_executes():
    _nb, text = notebooks.execute(NOTEBOOK)
    assert "primary human evidence only" in text and "On primary human evidence only" in text
    assert "on all evidence" in text and "on human evidence" in text
    assert "common causes; permeability among them: True" in text
    assert "species/model: human" in text and "drops:" in text
    assert "Minimal sufficient adjustment sets" in text
