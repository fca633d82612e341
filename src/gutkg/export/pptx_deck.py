"""The lecture deck as PowerPoint (python-pptx): the same planned slides and notes as the HTML deck.

Every slide has a real title placeholder (so PowerPoint's outline, accessibility checker and
LibreOffice see slide titles) and speaker notes. Text is set at fixed sizes, never below
:data:`MIN_PT` (18 pt), in boxes that do not rely on auto-fit (LibreOffice and PowerPoint
disagree on it): the plan keeps each slide short enough for that. The map is drawn with native
shapes (rounded boxes and connectors with arrowheads, laid out by Graphviz), so it stays vector,
editable and searchable; when it cannot keep 18 pt labels on the slide it is left out, and the
notes of the slide before say so. 16:9, light or dark background.
"""

from __future__ import annotations

import io
import shlex
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError, InputError
from gutkg.export.deck import Slide, plan

if TYPE_CHECKING:
    from gutkg.export.figure import Figure
    from gutkg.export.story import Story

_COLOURS = {
    "light": {
        "bg": "FFFFFF",
        "fg": "111827",
        "muted": "4B5563",
        "accent": "C2410C",
        "card": "F3F4F6",
        "head": "374151",
        "row": "F9FAFB",
        "row2": "E5E7EB",
        "cell": "111827",
    },
    "dark": {
        "bg": "15191F",
        "fg": "F3F4F6",
        "muted": "9CA3AF",
        "accent": "FB923C",
        "card": "222831",
        "head": "4B5563",
        "row": "222831",
        "row2": "2D333B",
        "cell": "F3F4F6",
    },
}
FONT = "DejaVu Sans"
#: The smallest type on any slide, in points.
MIN_PT = 18.0
W, H = 13.333, 7.5
Part = tuple[str, float, str, bool, bool]  # text, size pt, colour, bold, italic


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
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    colours = _COLOURS[theme]
    for slide in slides:
        _render(prs, slide, colours)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    from_string: Callable[[str], Any] = RGBColor.from_string  # python-pptx leaves it unannotated
    return from_string(hex_colour.lstrip("#").upper())


def _text(frame: Any, parts: Sequence[Part], *, first: bool = True, space: float = 6) -> None:
    """Append paragraphs (text, size pt, colour, bold, italic) to a text frame."""
    from pptx.util import Pt

    for i, (text, size, colour, bold, italic) in enumerate(parts):
        para = frame.paragraphs[0] if first and i == 0 else frame.add_paragraph()
        para.space_after = Pt(space)
        run = para.add_run()
        run.text = text
        run.font.size = Pt(max(size, MIN_PT))
        run.font.bold = bold
        run.font.italic = italic
        run.font.name = FONT
        run.font.color.rgb = _rgb(colour)


def _box(slide: Any, left: float, top: float, width: float, height: float, *, fill: str | None = None) -> Any:
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


def _bar(page: Any, colour: str) -> None:
    """The rival's colour as a bar down the left edge."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    bar = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.22), Inches(H))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(colour)
    bar.line.fill.background()


def _render(prs: Any, slide: Slide, c: dict[str, str]) -> None:
    """Add ``slide`` to ``prs``: the map as native shapes, every other kind drawn by its own function."""
    if slide.kind == "map":
        _render_map(prs, slide, c)
        return
    page = prs.slides.add_slide(prs.slide_layouts[0 if slide.kind == "title" else 5])
    _background(page, c)
    draw = _DRAW.get(slide.kind)
    if draw is not None:
        draw(page, slide, slide.data, c)
    page.notes_slide.notes_text_frame.text = slide.notes


def _render_map(prs: Any, slide: Slide, c: dict[str, str]) -> None:
    layout = map_layout(slide.data["figure"])
    if _map_scale(layout) is None:
        if len(prs.slides):
            notes = prs.slides[-1].notes_slide.notes_text_frame
            notes.text += (
                "\nThe map is left out of this PowerPoint deck: its labels would fall "
                "under 18 pt (the HTML deck and gutkg export figure show it)."
            )
        return
    page = prs.slides.add_slide(prs.slide_layouts[5])
    _background(page, c)
    _title(page, slide.title, 28, c["fg"], width=2.6)
    _native_map(page, slide.data["figure"], layout, c)
    page.notes_slide.notes_text_frame.text = slide.notes


def _colour(d: dict[str, Any], c: dict[str, str]) -> str:
    return str(d.get("colour") or "").lstrip("#") or c["accent"]


def _draw_title(page: Any, slide: Slide, d: dict[str, Any], c: dict[str, str]) -> None:
    from pptx.util import Inches

    title = page.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.6), Inches(1.6), Inches(12.1), Inches(2.6)
    title.text_frame.clear()
    title.text_frame.word_wrap = True
    _text(title.text_frame, [(slide.title, 40, c["fg"], True, False)])
    sub = page.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(0.6), Inches(4.4), Inches(12.1), Inches(2.6)
    sub.text_frame.clear()
    _text(
        sub.text_frame,
        [(d.get("subtitle") or "", 22, c["muted"], False, False), (d["footer"], 18, c["muted"], False, False)],
    )


def _draw_question(page: Any, slide: Slide, d: dict[str, Any], c: dict[str, str]) -> None:
    _title(page, slide.title, 30, c["fg"])
    parts: list[Part] = [(str(d["question"]), 30, c["fg"], True, False)]
    if d.get("context"):
        parts.append((str(d["context"]), 20, c["muted"], False, False))
    high = sum(_lines(t, 12.1, size) * size * 1.25 / 72 + 0.14 for t, size, *_ in parts) + 0.1
    _text(_box(page, 0.6, 1.3, 12.1, high), parts, space=10)
    frame = _box(page, 0.6, 1.3 + high + 0.1, 12.1, max(H - 1.5 - high, 1.0))
    for i, (label, col, _) in enumerate(d["tracks"]):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _runs(para, [("■ ", 22, col.lstrip("#") or c["accent"], True), (label, 22, c["fg"], True)])


def _draw_rival(page: Any, slide: Slide, d: dict[str, Any], c: dict[str, str]) -> None:
    _bar(page, _colour(d, c))
    _title(page, slide.title, 30, _colour(d, c))
    _text(_box(page, 0.7, 1.5, 12.0, 3.2), [(d["definition"], 28, c["fg"], False, False)])
    _text(_box(page, 0.7, 4.8, 12.0, 2.4), [(f, 22, c["muted"], False, False) for f in d["facts"]])


def _draw_step(page: Any, slide: Slide, d: dict[str, Any], c: dict[str, str]) -> None:
    _bar(page, _colour(d, c))
    _title(page, slide.title, 26, _colour(d, c))
    sizes = {
        "head": (44, c["fg"], True, False),
        "facts": (30, c["fg"], False, False),
        "design": (28, c["muted"], False, False),
        "cite": (28, c["fg"], False, True),
    }
    _text(_box(page, 0.7, 1.5, 12.0, 5.7), [(t, *sizes[r]) for r, t in d["lines"]], space=14)


def _draw_table(page: Any, slide: Slide, d: dict[str, Any], c: dict[str, str]) -> None:
    _title(page, slide.title, 30, c["fg"])
    top = 1.3
    if slide.kind == "human":
        high = _lines(d["answer"], 12.1, 20) * 20 * 1.25 / 72 + 0.2
        _text(_box(page, 0.6, top, 12.1, high), [(d["answer"], 20, c["fg"], False, False)])
        top += high + 0.1
        header, rows, widths = ["rival route", "grade", "best human route"], d["rows"], [3.2, 1.4, 7.5]
    else:
        header, rows = d["header"], d["rows"]
        widths = [3.3, 4.6, 2.1, 2.1] if slide.kind == "verdict" else [5.6, 1.6, 2.6, 2.3]
    bottom = _table(page, header, rows, widths, top, c, d.get("colours", []))
    if d.get("answer") and slide.kind != "human":
        _text(
            _box(page, 0.6, bottom + 0.15, 12.1, max(H - bottom - 0.3, 0.6)), [(d["answer"], 20, c["fg"], False, False)]
        )


def _draw_keystones(page: Any, slide: Slide, d: dict[str, Any], c: dict[str, str]) -> None:
    _title(page, slide.title, 30, c["fg"])
    parts: list[Part] = []
    for claim, cite, change in d["items"]:
        parts += [
            (claim, 24, c["fg"], True, False),
            (cite, 20, c["muted"], False, True),
            (f"if wrong: {change}", 20, c["muted"], False, False),
        ]
    _text(_box(page, 0.6, 1.3, 12.1, 5.9), parts)


def _draw_settle(page: Any, slide: Slide, d: dict[str, Any], c: dict[str, str]) -> None:
    _title(page, slide.title, 30, c["fg"])
    _text(_box(page, 0.6, 1.3, 12.1, 5.9), [(f"• {x}", 20, c["fg"], False, False) for x in d["items"]], space=12)


def _draw_references(page: Any, slide: Slide, d: dict[str, Any], c: dict[str, str]) -> None:
    _title(page, slide.title, 30, c["fg"])
    parts: list[Part] = [
        (f"{r['citation']}: {r['text']} {r['id']}".strip(), 18, c["fg"], False, False) for r in d["refs"]
    ] or [("No claim in this deck cites a reference yet.", 20, c["muted"], False, True)]
    _text(_box(page, 0.6, 1.3, 12.1, 5.9), parts, space=10)


#: Slide kind -> the function drawing it on a PowerPoint page.
_DRAW: dict[str, Callable[[Any, Slide, dict[str, Any], dict[str, str]], None]] = {
    "title": _draw_title,
    "question": _draw_question,
    "rival": _draw_rival,
    "step": _draw_step,
    "verdict": _draw_table,
    "summary": _draw_table,
    "human": _draw_table,
    "keystones": _draw_keystones,
    "settle": _draw_settle,
    "references": _draw_references,
}


def _background(page: Any, c: dict[str, str]) -> None:
    page.background.fill.solid()
    page.background.fill.fore_color.rgb = _rgb(c["bg"])


def _title(page: Any, text: str, size: float, colour: str, width: float = 12.1) -> None:
    from pptx.util import Inches

    title = page.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.6), Inches(0.3), Inches(width), Inches(0.95)
    title.text_frame.clear()
    title.text_frame.word_wrap = True
    _text(title.text_frame, [(text, size, colour.lstrip("#"), True, False)])


def _runs(para: Any, runs: Sequence[tuple[str, float, str, bool]]) -> None:
    from pptx.util import Pt

    for text, size, colour, bold in runs:
        run = para.add_run()
        run.text = text
        run.font.size = Pt(max(size, MIN_PT))
        run.font.bold = bold
        run.font.name = FONT
        run.font.color.rgb = _rgb(colour)


def _table(
    page: Any,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    top: float,
    c: dict[str, str],
    colours: list[str],
) -> float:
    """A table at 18-20 pt; returns the estimated bottom (inches)."""
    from pptx.util import Inches

    size = 20 if len(rows) <= 3 else 18
    heights = [
        max(_lines(cell, w, size) for cell, w in zip(row, widths, strict=False)) * size * 1.3 / 72 + 0.2
        for row in [header, *rows]
    ]
    shape = page.shapes.add_table(
        len(rows) + 1, len(header), Inches(0.6), Inches(top), Inches(sum(widths)), Inches(sum(heights))
    )
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for i, h in enumerate(heights):
        table.rows[i].height = Inches(h)
    for j, head in enumerate(header):
        cell = table.cell(0, j)
        cell.text_frame.clear()
        _text(cell.text_frame, [(head, size, "FFFFFF", True, False)])
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(c["head"])
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text_frame.clear()
            mark = colours[i - 1].lstrip("#") if j == 0 and i - 1 < len(colours) and colours[i - 1] else ""
            if mark:
                _runs(cell.text_frame.paragraphs[0], [("■ ", size, mark, True), (value, size, c["cell"], True)])
            else:
                _text(cell.text_frame, [(value, size, c["cell"], j == 0, False)])
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(c["row"] if i % 2 else c["row2"])
    return top + sum(heights)


def _lines(text: str, width: float, size: float) -> int:
    import math

    per_line = max((width - 0.2) * 72 / (size * 0.6), 4)
    return max(math.ceil(len(text) / per_line), 1)


# --- the map as native shapes ----------------------------------------------------------------

#: The map's area on its slide (inches): left, top, width, height; the legend sits beside the title.
MAP_AREA = (0.3, 1.3, 12.7, 6.1)


Layout = tuple[float, float, list[dict[str, Any]], list[dict[str, Any]]]


def map_layout(figure: Figure) -> Layout:
    """Graphviz's layout of the figure's drawing (``dot -Tplain``): width, height (inches), nodes
    (name, x, y, w, h, label lines, fill, font colour) and edges (tail, head, points, colour, style,
    arrowhead). y grows downwards, as on a slide."""
    from gutkg.export.figure import NODE_FONT, run_dot

    best: Layout | None = None
    for spacing in _SPACINGS:  # the figure's own spacing first, tighter only when it must
        for rankdir in ("LR", "TB"):
            source = figure.dot.replace(f"rankdir={figure.rankdir},", f"rankdir={rankdir},", 1)
            source = source.replace(_SPACINGS[0], spacing, 1)
            layout = _plain(run_dot(source, "plain").decode("utf-8"), figure.dot)
            if best is None or _fit(layout) > _fit(best):
                best = layout
        if best is not None and NODE_FONT * _fit(best) >= MIN_PT - 1e-6:
            break
    assert best is not None
    return best


#: Graphviz spacings tried for the map, the figure's own first.
_SPACINGS = ("nodesep=0.35, ranksep=0.55", "nodesep=0.2, ranksep=0.35", "nodesep=0.12, ranksep=0.25")


def _plain(text: str, dot: str) -> Layout:
    """Parse ``dot -Tplain`` output (colours and arrowheads read back from ``dot``)."""
    fills, heads = _dot_attrs(dot)
    width = height = 0.0
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for line in text.splitlines():
        parts = shlex.split(line)
        if not parts:
            continue
        if parts[0] == "graph":
            width, height = float(parts[2]), float(parts[3])
        elif parts[0] == "node":
            name = parts[1]
            x, y, w, h = map(float, parts[2:6])
            nodes.append(
                {
                    "name": name,
                    "x": x,
                    "y": height - y,
                    "w": w,
                    "h": h,
                    "lines": parts[6].split("\\n"),
                    **fills.get(name, {}),
                }
            )
        elif parts[0] == "edge":
            n = int(parts[3])
            pts = [(float(parts[4 + 2 * i]), height - float(parts[5 + 2 * i])) for i in range(n)]
            rest = parts[4 + 2 * n :]
            queue = heads.get((parts[1], parts[2]), [])
            edges.append(
                {
                    "tail": parts[1],
                    "head": parts[2],
                    "points": pts,
                    "style": rest[-2],
                    "colour": rest[-1],
                    "arrowhead": queue.pop(0) if queue else "normal",
                }
            )
    return width, height, nodes, edges


def _dot_attrs(dot: str) -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], list[str]]]:
    """Fill and font colour of each node and the arrowheads of each pair's claims (in order), read
    back from the DOT source the figure was drawn from (``-Tplain`` does not carry them)."""
    import re

    def unquote(text: str) -> str:
        return text.replace('\\"', '"').replace("\\\\", "\\")

    nodes = {}
    for m in re.finditer(
        r'^\s*"((?:[^"\\]|\\.)*)" \[id=.*?fillcolor="(#[0-9a-fA-F]{6})", '
        r'fontcolor="(#[0-9a-fA-F]{6})"\];$',
        dot,
        re.M,
    ):
        nodes[unquote(m[1])] = {"fill": m[2], "font": m[3]}
    heads: dict[tuple[str, str], list[str]] = {}
    for m in re.finditer(r'^\s*"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)" \[.*?arrowhead=(\w+)', dot, re.M):
        heads.setdefault((unquote(m[1]), unquote(m[2])), []).append(m[3])
    return nodes, heads


def _map_scale(layout: Layout) -> float | None:
    """The scale that fits the layout in :data:`MAP_AREA`, or None when labels would fall under 18 pt."""
    from gutkg.export.figure import NODE_FONT

    scale = _fit(layout)
    return scale if NODE_FONT * scale >= MIN_PT - 1e-6 else None


def _fit(layout: Layout) -> float:
    gw, gh, _, _ = layout
    return min(MAP_AREA[2] / gw, MAP_AREA[3] / gh, 1.0) if gw and gh else 1.0


#: DrawingML line ends for the sign arrowheads (it has no bar: a diamond stands for "decreases").
_LINE_ENDS = {"normal": "triangle", "tee": "diamond", "odot": "oval"}


def _native_map(page: Any, figure: Figure, layout: Layout, c: dict[str, str]) -> None:
    """Draw the map as native shapes, with a legend of the groups (rivals) and arrowheads."""
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    from gutkg.export.figure import NODE_FONT

    gw, gh, nodes, edges = layout
    scale = _map_scale(layout) or 1.0
    left, top, aw, ah = MAP_AREA
    ox, oy = left + (aw - gw * scale) / 2, top + (ah - gh * scale) / 2

    def at(x: float, y: float) -> tuple[Any, Any]:
        return Inches(ox + x * scale), Inches(oy + y * scale)

    for e in edges:
        (x1, y1), (x2, y2) = e["points"][0], e["points"][-1]
        line = page.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, *at(x1, y1), *at(x2, y2))
        line.line.color.rgb = _rgb(e["colour"])
        line.line.width = Pt(3)
        if e["style"] in {"dashed", "dotted"}:
            line.line.dash_style = MSO_LINE_DASH_STYLE.DASH if e["style"] == "dashed" else MSO_LINE_DASH_STYLE.ROUND_DOT
        _line_end(line, _LINE_ENDS.get(e["arrowhead"], "triangle"))
    for n in nodes:
        x, y = at(n["x"] - n["w"] / 2, n["y"] - n["h"] / 2)
        box = page.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x, y, Inches(n["w"] * scale), Inches(n["h"] * scale))
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(n.get("fill", "#d9d9d9"))
        box.line.color.rgb = _rgb("#374151")
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.margin_left = frame.margin_right = Emu(0)
        frame.margin_top = frame.margin_bottom = Emu(0)
        for i, text in enumerate(n["lines"]):  # Graphviz's own line breaks, one paragraph each
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.alignment = PP_ALIGN.CENTER
            _runs(para, [(text, NODE_FONT * scale, n.get("font", "#111111"), False)])
    from gutkg.export.figure import clip

    frame = _box(page, 3.3, 0.25, 9.9, 1.0)
    groups = _groups(figure)
    if groups:
        _runs(
            frame.paragraphs[0],
            [
                part
                for name, col in groups
                for part in (
                    (" ━ ", 18, col.lstrip("#"), True),
                    (clip(name, 64 // len(groups) - 3), 18, c["fg"], False),
                )
            ],
        )
    _runs(
        frame.add_paragraph() if groups else frame.paragraphs[0],
        [
            (" ▶ ", 18, c["fg"], True),
            ("increases", 18, c["muted"], False),
            (" ◆ ", 18, c["fg"], True),
            ("decreases", 18, c["muted"], False),
            (" ┅ ", 18, c["fg"], True),
            ("hypothesised", 18, c["muted"], False),
        ],
    )


def _groups(figure: Figure) -> list[tuple[str, str]]:
    return list(figure.groups)


def _line_end(connector: Any, kind: str) -> None:
    """A line end (arrowhead) at the connector's end: python-pptx has no API for it, so set the
    DrawingML ``a:tailEnd`` element."""
    from pptx.oxml.ns import qn

    ln = connector.line._get_or_add_ln()
    for old in ln.findall(qn("a:tailEnd")):
        ln.remove(old)
    ln.append(ln.makeelement(qn("a:tailEnd"), {"type": kind, "w": "med", "len": "med"}))
