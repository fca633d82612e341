"""The lecture deck as PowerPoint (python-pptx): same slides and notes as the HTML deck.

Every slide has a real title placeholder (so PowerPoint's outline, accessibility checker and
LibreOffice see slide titles) and speaker notes. Text is set in boxes that do not rely on
auto-fit (LibreOffice and PowerPoint disagree on it): sizes are chosen from how much each slide
holds. 16:9, light or dark background.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError, InputError
from gutkg.export.slides import SUMMARY_HEADER, ClaimCard, Slide, plan

if TYPE_CHECKING:
    from gutkg.export.story import Story

_COLOURS = {
    "light": {"bg": "FFFFFF", "fg": "111827", "muted": "6B7280", "accent": "C2410C",
              "card": "F3F4F6", "new": "FFF7ED"},
    "dark": {"bg": "15191F", "fg": "F3F4F6", "muted": "9CA3AF", "accent": "FB923C",
             "card": "222831", "new": "3B2A1D"},
}
FONT = "DejaVu Sans"


def to_pptx(story: Story, *, theme: str = "light", subtitle: str = "", with_map: bool = True) -> bytes:
    """The deck as ``.pptx`` bytes."""
    return pptx_deck(plan(story, subtitle=subtitle, with_map=with_map, theme=theme), theme=theme)


def pptx_deck(slides: list[Slide], *, theme: str = "light") -> bytes:
    """Planned ``slides`` as ``.pptx`` bytes."""
    try:
        from pptx import Presentation
        from pptx.util import Inches
    except ImportError:
        raise GutKGError("PPTX export needs python-pptx: pip install python-pptx") from None
    if theme not in _COLOURS:
        raise InputError(f"unknown theme {theme!r}: use one of {', '.join(_COLOURS)}")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    colours = _COLOURS[theme]
    for slide in slides:
        _render(prs, slide, colours)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour)


def _text(frame: Any, parts: Sequence[tuple[str, float, str, bool, bool]], *, first: bool = True) -> None:
    """Append paragraphs (text, size pt, colour, bold, italic) to a text frame."""
    from pptx.util import Pt

    for i, (text, size, colour, bold, italic) in enumerate(parts):
        para = frame.paragraphs[0] if first and i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.italic = italic
        run.font.name = FONT
        run.font.color.rgb = _rgb(colour)


def _box(slide: Any, left: float, top: float, width: float, height: float, *,
         fill: str | None = None) -> Any:
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = Pt(6)
    frame.margin_top = frame.margin_bottom = Pt(4)
    if fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fill)
    return frame


def _render(prs: Any, slide: Slide, c: dict[str, str]) -> None:
    from pptx.util import Inches, Pt

    if slide.kind == "map":
        page = prs.slides.add_slide(prs.slide_layouts[6])
        png = slide.data["figure"].render("png")
        page.shapes.add_picture(io.BytesIO(png), 0, 0, width=prs.slide_width,
                                height=prs.slide_height)
        page.notes_slide.notes_text_frame.text = slide.notes
        return
    layout = prs.slide_layouts[0 if slide.kind == "title" else 5]
    page = prs.slides.add_slide(layout)
    page.background.fill.solid()
    page.background.fill.fore_color.rgb = _rgb(c["bg"])
    title = page.shapes.title
    title.left, title.top, title.width = Inches(0.5), Inches(0.3), Inches(12.3)
    title.height = Inches(2.2 if slide.kind == "title" else 0.9)
    if slide.kind == "title":
        title.top = Inches(2.0)
    title.text_frame.clear()
    title.text_frame.word_wrap = True
    _text(title.text_frame, [(slide.title, 36 if slide.kind == "title" else 30, c["fg"], True, False)])
    d = slide.data
    if slide.kind == "title":
        sub = page.placeholders[1]
        sub.left, sub.top, sub.width, sub.height = Inches(0.5), Inches(4.4), Inches(12.3), Inches(2.0)
        sub.text_frame.clear()
        _text(sub.text_frame, [(d.get("subtitle") or "", 20, c["muted"], False, False),
                               (d["footer"], 16, c["muted"], False, False)])
    elif slide.kind == "question":
        frame = _box(page, 0.5, 1.3, 12.3, 5.9)

        def question_parts(f: float) -> list[tuple[str, float, str, bool, bool]]:
            parts = [(str(d["question"]), 28 * f, c["fg"], True, False)]
            if d.get("context"):
                parts.append((str(d["context"]), 18 * f, c["muted"], False, False))
            parts.append((str(d["kind"]).capitalize() + ":", 20 * f, c["accent"], True, False))
            parts += [(f"• {label}: {definition} ({n} claims)", 18 * f, c["fg"], False, False)
                      for label, definition, n in d["tracks"]]
            return parts

        fit = next((f for f in (1.0, 0.9, 0.8, 0.7, 0.6) if _height(question_parts(f), 12.3) <= 5.9), 0.6)
        _text(frame, question_parts(fit))
    elif slide.kind == "step":
        columns = d["columns"]
        gap = 0.15
        width = (12.3 - gap * (len(columns) - 1)) / max(len(columns), 1)
        small = len(columns) > 3
        heads = [[(col["label"], 16 if small else 18, c["accent"], True, False)] for col in columns]
        head_h = max(_height(h, width) for h in heads)
        start = 1.25 + head_h
        scale = next((f for f in (1.0, 0.9, 0.8, 0.7, 0.6) if all(
            start + _column_height(col, width, c, f if not small else f * 0.85) <= 7.35
            for col in columns)), 0.6)
        if small:
            scale *= 0.85
        for i, col in enumerate(columns):
            left = 0.5 + i * (width + gap)
            _text(_box(page, left, 1.2, width, head_h), heads[i])
            top = start
            if col["hidden"]:
                _text(_box(page, left, top, width, 0.35),
                      [(f"… {col['hidden']} earlier claims", 13, c["muted"], False, True)])
                top += 0.4
            for card in col["earlier"]:
                top = _card(page, card, left, top, width, c, new=False, scale=scale)
            if col["new"]:
                _card(page, col["new"], left, top, width, c, new=True, scale=scale)
            else:
                note = ("no claim survives the filters" if col["total"] == 0
                        else f"complete ({col['total']} claims)")
                _text(_box(page, left, top, width, 0.5), [(note, 14, c["muted"], False, True)])
    elif slide.kind == "summary":
        rows = d["rows"]
        shape = page.shapes.add_table(len(rows) + 1, len(SUMMARY_HEADER), Inches(0.5), Inches(1.3),
                                      Inches(12.3), Inches(0.5 * (len(rows) + 1)))
        table = shape.table
        widths = [2.0, 0.8, 1.6, 1.1, 1.2, 1.1, 2.6, 1.9]
        for j, w in enumerate(widths):
            table.columns[j].width = Inches(w)
        size = 14 if len(rows) <= 4 else 11
        for j, head in enumerate(SUMMARY_HEADER):
            cell = table.cell(0, j)
            cell.text_frame.clear()
            _text(cell.text_frame, [(head, size, "FFFFFF", True, False)])
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb("374151")
        for i, row in enumerate(rows, 1):
            for j, value in enumerate(row):
                cell = table.cell(i, j)
                cell.text_frame.clear()
                _text(cell.text_frame, [(value, size, "111827", j == 0, False)])
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb("F9FAFB" if i % 2 else "E5E7EB")
    elif slide.kind == "references":
        frame = _box(page, 0.5, 1.3, 12.3, 5.9)
        parts = [(f"{r['citation']}: {r['text']} {r['id']}".strip(), 15, c["fg"], False, False)
                 for r in d["refs"]] or [("No claim in this deck cites a reference yet.", 16,
                                          c["muted"], False, True)]
        _text(frame, parts)
        for para in frame.paragraphs:
            para.space_after = Pt(8)
    page.notes_slide.notes_text_frame.text = slide.notes


def _height(parts: Sequence[tuple[str, float, str, bool, bool]], width: float) -> float:
    """Inches a text box needs for ``parts`` at ``width`` inches (a safe estimate: PowerPoint does
    not grow boxes on open, so an underestimate would let a card run into the next)."""
    import math

    lines = 0.0
    for text, size, *_ in parts:
        per_line = max((width - 0.25) * 72 / (size * 0.62), 8)
        lines += math.ceil(len(text) / per_line) * size * 1.25 / 72
    return lines + 0.15


def _card_parts(card: ClaimCard, c: dict[str, str], new: bool,
                scale: float) -> list[tuple[str, float, str, bool, bool]]:
    colour = c["fg"] if new else c["muted"]
    parts = [(card.headline, (18 if new else 14) * scale, colour, True, False),
             (card.facts, 13 * scale, colour, False, False),
             (card.citations, 13 * scale, colour, False, True)]
    if card.opposing:
        parts.append((f"opposed by {card.opposing}", 13 * scale, c["accent"], False, False))
    return parts


def _column_height(col: dict[str, Any], width: float, c: dict[str, str], scale: float) -> float:
    """Inches a step slide's column needs at ``scale``."""
    cards = [(card, False) for card in col["earlier"]] + ([(col["new"], True)] if col["new"] else [])
    return (0.4 if col["hidden"] else 0.0) + sum(
        _height(_card_parts(card, c, new, scale), width) + 0.1 for card, new in cards)


def _card(page: Any, card: ClaimCard, left: float, top: float, width: float, c: dict[str, str], *,
          new: bool, scale: float) -> float:
    """Draw a claim card; returns the top of the next one."""
    parts = _card_parts(card, c, new, scale)
    height = _height(parts, width)
    frame = _box(page, left, top, width, height, fill=c["new"] if new else c["card"])
    _text(frame, parts)
    return top + height + 0.1
