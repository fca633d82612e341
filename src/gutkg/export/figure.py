"""Slide-ready figures of a selection: Graphviz lays the graph out, we frame it for a projector.

Graphviz (``dot``) places concepts and claims so that nothing overlaps and causes read left to right
(or top to bottom, whichever fits the slide better). The drawing is then framed at the requested
pixel size with a title, a legend of the encodings (the palette of :mod:`gutkg.export.style`, the
same as the browser page) and the short citations as numbered footnotes, which the edges carry
as ``[n]`` marks. PNG and PDF are rendered from that one SVG by CairoSVG, so the three agree.

Legibility is checked, not hoped for: every label must be at least :data:`MIN_LABEL_PX` pixels tall
when the figure fills a 1920×1080 screen. A selection too large for that is adapted before it is
refused (:func:`fit_figure`): a larger canvas, legible at its own size, when no size was asked
for; then pruning (the best loops or paths only, or only the better-evidenced claims), said in the
subtitle; and only then a refusal naming the options that narrow it. Long labels end in "…".

>>> parse_size("1920x1080")
(1920, 1080)
>>> parse_size("0x0")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
gutkg.errors.InputError: bad --size '0x0': ...
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError, InputError
from gutkg.export import style

if TYPE_CHECKING:
    import networkx as nx

#: Output formats, by file suffix.
FORMATS = ("svg", "png", "pdf")
#: Smallest label height, in pixels, when the figure fills a 1920×1080 screen.
MIN_LABEL_PX = 14.0
#: Font sizes in Graphviz layout units (points) for concept labels and footnote marks.
NODE_FONT = 20.0
EDGE_FONT = 15.0
#: Longest concept label drawn, title and subtitle, and footnote (characters; longer ones end in "…").
MAX_LABEL, MAX_TITLE, MAX_SUBTITLE, MAX_FOOTNOTE = 80, 140, 320, 160
#: The frame is designed at 1920×1080 and scaled to the requested size.
BASE_W, BASE_H = 1920, 1080
_SIZE = re.compile(r"^\s*(\d{1,5})\s*[x×X,]\s*(\d{1,5})\s*$")


@dataclass
class Figure:
    """A rendered figure and what went into it."""

    svg: str
    width: int
    height: int
    title: str
    rankdir: str
    label_px: float
    footnotes: list[str] = field(default_factory=list)
    concepts: int = 0
    claims: int = 0
    #: The Graphviz source of the drawing (a PPTX deck lays its map out again as native shapes).
    dot: str = ""
    #: How :func:`fit_figure` adapted the figure to fit (a larger canvas, what was pruned).
    adapted: list[str] = field(default_factory=list)
    #: The (name, colour) groups its claims are coloured by, if any (a deck's rivals).
    groups: list[tuple[str, str]] = field(default_factory=list)

    def render(self, fmt: str) -> bytes:
        """The figure as ``svg``, ``png`` or ``pdf`` bytes."""
        fmt = check_format(fmt)
        if fmt == "svg":
            return self.svg.encode("utf-8")
        try:
            import cairosvg
        except (ImportError, OSError) as exc:  # OSError: the cairo library itself is missing
            raise GutKGError(
                f"cannot render {fmt.upper()}: CairoSVG is unavailable ({exc}). "
                "Install it with: pip install cairosvg (it needs the cairo library, "
                "which Graphviz installs), or export SVG."
            ) from None
        data = self.svg.encode("utf-8")
        with _interrupt_after():
            if fmt == "png":
                return bytes(cairosvg.svg2png(bytestring=data, output_width=self.width, output_height=self.height))
            return bytes(cairosvg.svg2pdf(bytestring=data))

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "width": self.width,
            "height": self.height,
            "rankdir": self.rankdir,
            "label_px": round(self.label_px, 1),
            "concepts": self.concepts,
            "claims": self.claims,
            "footnotes": self.footnotes,
            "adapted": self.adapted,
        }


@contextmanager
def _interrupt_after() -> Iterator[None]:
    """Hold Ctrl-C back until the block ends, then raise :class:`KeyboardInterrupt`.

    Cairo writes PNG and PDF bytes through a Python callback; an interrupt inside it is printed as
    an ignored exception with a traceback and turns into an unrelated cairo write error. Deferred,
    it stops the export cleanly (nothing is written) as soon as the encoder returns.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:  # ignored or handled
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def parse_size(text: str | tuple[int, int]) -> tuple[int, int]:
    """``"1920x1080"`` -> (1920, 1080); sizes outside 320..10000 pixels are refused."""
    if isinstance(text, tuple):
        width, height = text
    else:
        match = _SIZE.match(str(text))
        if not match:
            raise InputError(f"bad --size {text!r}: write WIDTHxHEIGHT in pixels, e.g. 1920x1080")
        width, height = int(match[1]), int(match[2])
    if not (320 <= width <= 10000 and 180 <= height <= 10000):
        raise InputError(
            f"bad --size '{width}x{height}': width must be 320-10000 and height 180-10000 pixels, e.g. 1920x1080"
        )
    return width, height


def check_format(fmt: str) -> str:
    """A known figure format (case-insensitive), else :class:`InputError`."""
    name = fmt.lower().lstrip(".")
    if name not in FORMATS:
        raise InputError(
            f"unknown figure format {fmt!r}: use one of {', '.join(FORMATS)} (the -o file's suffix picks it)"
        )
    return name


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """The figure format for ``path``: ``fmt`` if given, else the file suffix."""
    if fmt:
        return check_format(fmt)
    suffix = Path(path).suffix
    if not suffix:
        raise InputError(f"cannot tell the figure format of {path}: end the file name with .svg, .png or .pdf")
    return check_format(suffix)


def dot_binary() -> str:
    """The Graphviz ``dot`` program ($GUTKG_DOT or on PATH), or a :class:`GutKGError` saying how to get it."""
    found = os.environ.get("GUTKG_DOT") or shutil.which("dot")
    if not found:
        raise GutKGError(
            "Graphviz 'dot' was not found. Install Graphviz (Debian/Ubuntu: "
            "apt-get install graphviz; macOS: brew install graphviz) or set GUTKG_DOT."
        )
    return found


def run_dot(source: str, fmt: str = "svg") -> bytes:
    """Run Graphviz ``dot -T<fmt>`` on ``source``; a layout failure is a :class:`GutKGError`."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv: the dot binary, the source on stdin
            [dot_binary(), f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GutKGError("Graphviz took more than 2 minutes: narrow the selection") from None
    if done.returncode != 0:
        raise GutKGError("Graphviz failed: " + done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


def dot_quote(text: str) -> str:
    """A DOT double-quoted string; backslashes are doubled so Graphviz's ``\\N``-style escapes stay text.

    >>> dot_quote('a "b" \\\\N')
    '"a \\\\"b\\\\" \\\\\\\\N"'
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def dot_lines(lines: list[str]) -> str:
    """A DOT label of centred ``lines``.

    >>> dot_lines(["a", "b"])
    '"a\\\\nb"'
    """
    return "\\n".join(dot_quote(line)[1:-1] for line in lines).join('""')


def clip(text: str, most: int) -> str:
    """``text`` cut to at most ``most`` characters, at a space when one is near, with an ellipsis.

    Graph text is data: a 10,000-character label must not push everything else off a figure.

    >>> clip("increased intestinal permeability", 20)
    'increased intestinal…'
    >>> clip("short", 20)
    'short'
    """
    text = " ".join(str(text).split())
    if len(text) <= most:
        return text
    cut = text[:most]
    space = cut.rfind(" ")
    if space >= most * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:·-") + "…"


def wrap_label(text: str, width: int = 20, most: int | None = MAX_LABEL) -> list[str]:
    """Lines of a concept label, broken at spaces only (so joining them with spaces restores it);
    a label longer than ``most`` (:data:`MAX_LABEL`) characters is clipped with an ellipsis first
    (``most=None``: never, for interchange files), and a word longer than two lines is broken.

    >>> wrap_label("increased intestinal permeability")
    ['increased intestinal', 'permeability']
    >>> [len(line) for line in wrap_label("x" * 10_000)]
    [40, 40, 1]
    """
    text = clip(text, most) if most is not None else text
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]
    if any(len(line) > 2 * width for line in lines):
        lines = textwrap.wrap(text, 2 * width, break_long_words=True) or [text]
    return lines


def footnote_numbers(graph: nx.MultiDiGraph) -> tuple[dict[str, int], list[str]]:
    """Number the references cited by the claims of ``graph`` in citation order.

    Returns {reference key: number} and the footnote lines ("Doe et al. 2019, Test J").
    """
    refs = graph.graph.get("references", {})
    keys: dict[str, str] = {}
    for _, _, data in graph.edges(data=True):
        for item in data.get("evidence", []):
            if item.get("source"):
                keys[item["source"]] = item.get("citation") or item["source"]
    ordered = sorted(keys, key=lambda k: (keys[k].casefold(), k))
    numbers = {k: i + 1 for i, k in enumerate(ordered)}
    notes = []
    for key in ordered:
        journal = refs.get(key, {}).get("journal", "")
        notes.append(clip(keys[key] + (f", {journal}" if journal else ""), MAX_FOOTNOTE))
    return numbers, notes


def edge_marks(data: dict[str, Any], numbers: dict[str, int]) -> str:
    """The ``[1,3]`` footnote mark of a claim ('' when it cites nothing)."""
    cited = sorted({numbers[e["source"]] for e in data.get("evidence", []) if e.get("source") in numbers})
    return "[" + ",".join(map(str, cited)) + "]" if cited else ""


def figure_dot(
    graph: nx.MultiDiGraph,
    *,
    theme: str = "light",
    rankdir: str = "LR",
    numbers: dict[str, int] | None = None,
    colours: dict[str, str] | None = None,
) -> str:
    """Graphviz source for the figure's drawing (no title or legend: the frame adds those).

    ``colours`` (claim id -> colour) overrides the sign colour of those claims, e.g. one colour per
    rival answer on a deck's map; the arrowhead still shows the sign.
    """
    th = style.THEMES[theme]
    numbers = numbers if numbers is not None else footnote_numbers(graph)[0]
    font = style.FONT_FAMILY
    lines = [
        "digraph gutkg {",
        f"  graph [rankdir={rankdir}, bgcolor=transparent, pad=0.1, nodesep=0.35, ranksep=0.55,"
        f' splines=true, overlap=false, fontname="{font}"];',
        f'  node [shape=box, style="rounded,filled", fontname="{font}", fontsize={NODE_FONT:g},'
        f' fontcolor="{th.node_text}", color="{th.node_border}", penwidth=1.4, margin="0.18,0.08"];',
        f'  edge [fontname="{font}", fontsize={EDGE_FONT:g}, fontcolor="{th.text}", arrowsize=1.1];',
    ]
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        label = dot_lines(wrap_label(str(data.get("label") or node)))
        fill = style.node_fill(str(data.get("category", "unknown")))
        lines.append(
            f"  {dot_quote(str(node))} [id={dot_quote('node-' + str(node))}, "
            f'label={label}, fillcolor="{fill}", fontcolor="{style.text_on(fill)}"];'
        )
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        look = style.edge_style(data, theme)
        mark = edge_marks(data, numbers)
        colour = (colours or {}).get(str(key), look["color"])
        attrs = [
            f"id={dot_quote('claim-' + str(key))}",
            f'color="{colour}"',
            f"arrowhead={look['arrowhead']}",
            f"style={look['style']}",
            f"penwidth={look['penwidth']:g}",
        ]
        if mark:
            attrs.append(f"label={dot_quote(mark)}")
        lines.append(f"  {dot_quote(str(u))} -> {dot_quote(str(v))} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


_VIEWBOX = re.compile(r'viewBox="([\d.\-]+) ([\d.\-]+) ([\d.\-]+) ([\d.\-]+)"')


def _layout(source: str, cache: dict[str, str] | None = None) -> tuple[str, float, float]:
    """Graphviz's SVG drawing of DOT ``source``: (inner markup, width, height) in layout units.

    ``cache`` (DOT source -> SVG) lets :func:`fit_figure` try several canvases with one layout.
    """
    if cache is not None and source in cache:
        svg = cache[source]
    else:
        svg = run_dot(source).decode("utf-8")
        if cache is not None:
            cache[source] = svg
    box = _VIEWBOX.search(svg)
    start = svg.find('<g id="graph0"')
    end = svg.rfind("</svg>")
    if not box or start < 0 or end < 0:
        raise GutKGError("Graphviz returned an SVG gutkg cannot read; check your Graphviz version")
    return svg[start:end], float(box[3]), float(box[4])


def _text_width(text: str, size: float) -> float:
    """A safe estimate of the rendered width of ``text`` in DejaVu Sans at ``size``."""
    return len(text) * size * 0.6


def _wrap_px(text: str, size: float, width: float) -> list[str]:
    chars = max(int(width / (size * 0.6)), 10)
    return textwrap.wrap(text, chars, break_long_words=True) or [""]


def _pack(entries: list[str], size: float, width: float, sep: str = "  ·  ") -> list[str]:
    """Entries packed into lines of at most ``width`` px, an entry broken only when it alone is too long.

    >>> _pack(["[1] aaaa", "[2] bbbb", "[3] cccc"], 10, 200)
    ['[1] aaaa  ·  [2] bbbb', '[3] cccc']
    """
    chars = max(int(width / (size * 0.6)), 10)
    lines: list[str] = []
    for entry in entries:
        if lines and len(lines[-1]) + len(sep) + len(entry) <= chars:
            lines[-1] += sep + entry
        else:
            lines += textwrap.wrap(entry, chars) or [entry]
    return lines


def _t(x: float, y: float, text: str, size: float, fill: str, *, bold: bool = False, anchor: str = "start") -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text xml:space="preserve" x="{x:.1f}" y="{y:.1f}" font-family="{style.FONT_FAMILY}"'
        f' font-size="{size:.1f}"{weight} fill="{fill}" text-anchor="{anchor}">{escape(text, quote=False)}</text>'
    )


def _legend(
    graph: nx.MultiDiGraph,
    theme: str,
    x: float,
    y: float,
    width: float,
    u: float,
    *,
    marks: bool = True,
    groups: list[tuple[str, str]] | None = None,
    row_px: float = 30,
) -> tuple[list[str], float]:
    """SVG of the legend panel at (x, y), only for the encodings the figure uses; returns its height.

    ``groups`` ((name, colour) pairs) adds a "colour" section, for claims coloured by group
    (rivals); the sign rows are then drawn in the text colour, since colour no longer means sign.
    """
    th = style.THEMES[theme]
    size, row = 18 * u, row_px * u
    out: list[str] = []
    cy = y + 34 * u
    out.append(_t(x + 16 * u, cy, "Legend", 22 * u, th.text, bold=True))
    cy += 14 * u
    categories = [
        c for c in style.CATEGORY_COLOURS if any(d.get("category", "unknown") == c for _, d in graph.nodes(data=True))
    ]
    edges = [d for _, _, d in graph.edges(data=True)]
    signs = [s for s in (1, -1, 0) if any(int(d.get("sign", 0)) == s for d in edges)]
    statuses = [s for s in style.STATUS_ORDER if any(d.get("status") == s for d in edges)]
    strengths = sorted({int(d.get("strength", 0)) for d in edges})

    def header(text: str) -> None:
        nonlocal cy
        cy += row
        out.append(_t(x + 16 * u, cy, text, size, th.muted, bold=True))

    if groups:
        header("colour: rival answer")
        chars = max(int((width - 78 * u) / (size * 0.6)), 8)
        for name, colour in groups:
            cy += row
            out.append(
                f'<line x1="{x + 16 * u:.1f}" y1="{cy - 6 * u:.1f}" x2="{x + 54 * u:.1f}" '
                f'y2="{cy - 6 * u:.1f}" stroke="{colour}" stroke-width="{5 * u:.1f}"/>'
            )
            out.append(_t(x + 62 * u, cy, clip(name, chars), size, th.text))
    header("concept category")
    for cat in categories:
        cy += row
        out.append(
            f'<rect x="{x + 16 * u:.1f}" y="{cy - 17 * u:.1f}" width="{34 * u:.1f}" '
            f'height="{22 * u:.1f}" rx="{5 * u:.1f}" fill="{style.node_fill(cat)}" '
            f'stroke="{th.node_border}" stroke-width="{1.2 * u:.1f}"/>'
        )
        out.append(_t(x + 62 * u, cy, style.CATEGORY_NAMES.get(cat, cat), size, th.text))
    if signs:
        header("claim: cause → effect")
        for sign in signs:
            cy += row
            colour = th.text if groups else style.SIGN_COLOURS[theme][sign]
            x0, x1, ym = x + 16 * u, x + 42 * u, cy - 6 * u
            out.append(
                f'<line x1="{x0:.1f}" y1="{ym:.1f}" x2="{x1:.1f}" y2="{ym:.1f}" '
                f'stroke="{colour}" stroke-width="{3 * u:.1f}"/>'
            )
            out.append(_arrowhead(style.SIGN_ARROWHEADS[sign], x1, ym, colour, u))
            out.append(_t(x + 62 * u, cy, style.SIGN_NAMES[sign], size, th.text))
    if statuses:
        header("line: claim status")
        for status in statuses:
            cy += row
            dash = style.STATUS_DASHES[style.STATUS_STYLES[status]]
            dash_attr = (
                (' stroke-dasharray="' + ",".join(f"{float(d) * u:.1f}" for d in dash.split(",")) + '"') if dash else ""
            )
            out.append(
                f'<line x1="{x + 16 * u:.1f}" y1="{cy - 6 * u:.1f}" x2="{x + 54 * u:.1f}" '
                f'y2="{cy - 6 * u:.1f}" stroke="{th.text}" stroke-width="{2.4 * u:.1f}"'
                f"{dash_attr}/>"
            )
            out.append(_t(x + 62 * u, cy, status, size, th.text))
    if strengths:
        header("width: strongest evidence")
        for rank in strengths:
            cy += row
            out.append(
                f'<line x1="{x + 16 * u:.1f}" y1="{cy - 6 * u:.1f}" x2="{x + 54 * u:.1f}" '
                f'y2="{cy - 6 * u:.1f}" stroke="{th.text}" '
                f'stroke-width="{style.STRENGTH_WIDTHS[rank] * u:.1f}"/>'
            )
            out.append(_t(x + 62 * u, cy, style.STRENGTH_NAMES[rank], size, th.text))
    if marks:
        cy += row * 0.8
        out.append(_t(x + 16 * u, cy, "[n]: footnoted reference", size, th.muted))
    height = cy - y + 18 * u
    panel = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" rx="{10 * u:.1f}" fill="{th.panel}"/>'
    )
    return [panel, *out], height


def _arrowhead(kind: str, x: float, y: float, colour: str, u: float) -> str:
    if kind == "tee":
        return (
            f'<line x1="{x:.1f}" y1="{y - 9 * u:.1f}" x2="{x:.1f}" y2="{y + 9 * u:.1f}" '
            f'stroke="{colour}" stroke-width="{3.5 * u:.1f}"/>'
        )
    if kind == "odot":
        return (
            f'<circle cx="{x + 5 * u:.1f}" cy="{y:.1f}" r="{5 * u:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="{2.5 * u:.1f}"/>'
        )
    return (
        f'<polygon points="{x:.1f},{y - 7 * u:.1f} {x + 12 * u:.1f},{y:.1f} {x:.1f},{y + 7 * u:.1f}" fill="{colour}"/>'
    )


class TooDense(GutKGError):
    """A selection that would not stay legible at the figure's size; ``label_px`` is what it got."""

    def __init__(self, message: str, label_px: float) -> None:
        super().__init__(message)
        self.label_px = label_px


def build_figure(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    subtitle: str = "",
    theme: str = "light",
    size: str | tuple[int, int] = (BASE_W, BASE_H),
    marks: bool = True,
    colours: dict[str, str] | None = None,
    groups: list[tuple[str, str]] | None = None,
    judge_at: tuple[int, int] = (BASE_W, BASE_H),
    cache: dict[str, str] | None = None,
) -> Figure:
    """Lay out ``graph`` (a selection) and frame it: title, legend, footnotes, at ``size`` pixels.

    ``marks=False`` draws no ``[n]`` marks and no footnotes (for a deck's map, whose step slides
    carry the citations): the smallest label is then a concept's, so denser maps stay legible.
    ``colours`` and ``groups`` colour claims by group (see :func:`figure_dot` and the legend).
    Legibility is judged with the figure filling a ``judge_at`` screen (1920×1080 by default;
    :func:`fit_figure` judges an enlarged canvas at its own size). This function does not adapt:
    :func:`fit_figure` does.

    Raises :class:`GutKGError` for an empty selection, an unknown theme or no room left for the
    drawing, and :class:`TooDense` for a selection too large to stay legible (labels under
    :data:`MIN_LABEL_PX` px).
    """
    if theme not in style.THEMES:
        raise InputError(f"unknown theme {theme!r}: use one of {', '.join(style.THEMES)}")
    width, height = parse_size(size)
    if graph.number_of_nodes() == 0:
        raise GutKGError(
            "the selection is empty: nothing to draw. Check the concept names and "
            "loosen the evidence filters (gutkg search TEXT lists concepts)."
        )
    th = style.THEMES[theme]
    u = max(width / BASE_W, height / BASE_H)  # frame unit: 1 px at 1920×1080
    screen = min(judge_at[0] / width, judge_at[1] / height)  # how much the figure grows on that screen
    margin = 36 * u
    numbers, notes = footnote_numbers(graph) if marks else ({}, [])
    title, subtitle = clip(title, MAX_TITLE), clip(subtitle, MAX_SUBTITLE)

    head: list[str] = []
    cy = margin
    for line in _wrap_px(title, 40 * u, width - 2 * margin):
        cy += 46 * u
        head.append(_t(margin, cy, line, 40 * u, th.text, bold=True))
    if subtitle:
        for line in _wrap_px(subtitle, 21 * u, width - 2 * margin):
            cy += 30 * u
            head.append(_t(margin, cy, line, 21 * u, th.muted))
    top = cy + 20 * u

    foot: list[str] = []
    note_size = 16 * u
    if notes:
        note_lines = _pack([f"[{i + 1}] {n}" for i, n in enumerate(notes)], note_size, width - 2 * margin)
        fy = height - margin - (len(note_lines) - 1) * 22 * u
        bottom = fy - 28 * u
        foot.append(
            f'<line x1="{margin:.1f}" y1="{fy - 24 * u:.1f}" x2="{width - margin:.1f}" '
            f'y2="{fy - 24 * u:.1f}" stroke="{th.muted}" stroke-width="{u:.1f}"/>'
        )
        for i, line in enumerate(note_lines):
            foot.append(_t(margin, fy + i * 22 * u, line, note_size, th.muted))
    else:
        bottom = height - margin

    legend_w = 390 * u
    legend, legend_h = _legend(graph, theme, width - margin - legend_w, top, legend_w, u, marks=marks, groups=groups)
    if top + legend_h > bottom:  # a tall legend above long footnotes: tighter rows
        legend, _ = _legend(
            graph, theme, width - margin - legend_w, top, legend_w, u, marks=marks, groups=groups, row_px=24
        )
    area_w = width - 3 * margin - legend_w
    area_h = bottom - top
    if area_h < 100 * u or area_w < 200 * u:
        taken = (
            ", ".join(
                part
                for part, n in (
                    ("the title and subtitle", top > height / 3),
                    (f"{len(notes)} footnoted references", len(notes)),
                )
                if n
            )
            or "the title, legend and margins"
        )
        raise TooDense(
            f"the figure at {width}x{height} has no room left for the graph: "
            f"{taken} take the page. Use a larger --size, a shorter --title"
            + (", or --no-marks (no footnotes)" if notes else "")
            + ".",
            0.0,
        )

    best: tuple[float, str, str, float, float, str] | None = None
    for rankdir in ("LR", "TB"):
        source = figure_dot(graph, theme=theme, rankdir=rankdir, numbers=numbers, colours=colours)
        inner, gw, gh = _layout(source, cache)
        scale = min(area_w / gw, area_h / gh, 2.0 * u)
        if best is None or scale > best[0] * 1.05:
            best = (scale, rankdir, inner, gw, gh, source)
    assert best is not None
    scale, rankdir, inner, gw, gh, source = best
    smallest = EDGE_FONT if numbers and graph.number_of_edges() else NODE_FONT
    label_px = smallest * scale * screen
    if label_px < MIN_LABEL_PX - 1e-6:
        raise TooDense(
            f"{graph.number_of_nodes()} concepts and {graph.number_of_edges()} claims would need "
            f"labels of {label_px:.1f} px at {judge_at[0]}x{judge_at[1]} (at least {MIN_LABEL_PX:g})",
            label_px,
        )
    ox = margin + (area_w - gw * scale) / 2
    oy = top + (area_h - gh * scale) / 2

    svg = "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
            f"<title>{escape(title, quote=False)}</title>",
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="{th.background}"/>',
            '<g id="header">',
            *head,
            "</g>",
            f'<g id="drawing" transform="translate({ox:.2f},{oy:.2f}) scale({scale:.4f})">',
            inner,
            "</g>",
            '<g id="legend">',
            *legend,
            "</g>",
            '<g id="footnotes">',
            *foot,
            "</g>",
            "</svg>",
            "",
        ]
    )
    return Figure(
        svg=svg,
        width=width,
        height=height,
        title=title,
        rankdir=rankdir,
        label_px=label_px,
        footnotes=notes,
        concepts=graph.number_of_nodes(),
        claims=graph.number_of_edges(),
        dot=source,
        groups=list(groups or []),
    )


#: Larger canvases :func:`fit_figure` tries when no --size was given (judged at their own size).
CANVASES = ((2560, 1440), (3840, 2160))


def fit_figure(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    subtitle: str = "",
    theme: str = "light",
    size: str | tuple[int, int] | None = None,
    marks: bool = True,
    keep: tuple[str, ...] = (),
    tracks: list[list[tuple[str, str, str]]] | None = None,
    track_kind: str = "loops",
    colours: dict[str, str] | None = None,
    groups: list[tuple[str, str]] | None = None,
    grow: bool = True,
) -> Figure:
    """A legible figure of ``graph``, adapting before refusing.

    1. as asked (at ``size``, legible on a 1920×1080 screen);
    2. when ``size`` is None and ``grow``: a larger canvas (:data:`CANVASES`), legible at its own
       size (to zoom in on or print), and said so in ``Figure.adapted``;
    3. pruning: with ``tracks`` (the ranked loops or paths drawn, best first), only the best few;
       otherwise by evidence, keeping the claims graded at least very low, low, moderate, then
       high (:mod:`gutkg.grading`) and the concepts they join; around ``keep`` concepts (a focus),
       their own claims stay and only what still connects to them. The subtitle says what was
       left out;
    4. a :class:`TooDense` error naming the options that narrow the selection.
    """
    requested = parse_size(size) if size is not None else (BASE_W, BASE_H)
    canvases = [requested]
    if size is None and grow:
        canvases += [c for c in CANVASES if c[0] > requested[0]]
    cache: dict[str, str] = {}
    opts: dict[str, Any] = {"theme": theme, "marks": marks, "colours": colours, "groups": groups, "cache": cache}

    def draw(g: nx.MultiDiGraph, canvas: tuple[int, int], extra: str = "", hint: str = "") -> Figure:
        judge = (BASE_W, BASE_H) if canvas == requested else canvas
        sub = " · ".join(x for x in (subtitle, extra) if x)
        fig = build_figure(g, title=title, subtitle=sub, size=canvas, judge_at=judge, **opts)
        if canvas != requested:
            fig.adapted.append(
                f"enlarged to {canvas[0]}x{canvas[1]} so that labels stay at least "
                f"{MIN_LABEL_PX:g} px at full size (zoom in or print it; --size "
                f"{canvas[0]}x{canvas[1]} asks for this canvas)"
            )
        if extra:
            fig.adapted.append(f"{extra} ({hint})")
        return fig

    first: TooDense | None = None
    for canvas in canvases:
        try:
            return draw(graph, canvas)
        except TooDense as exc:
            first = first or exc
    assert first is not None
    for pruned, note, hint in _prunings(graph, keep, tracks, track_kind):
        for canvas in canvases:
            try:
                return draw(pruned, canvas, note, hint)
            except TooDense:
                continue
    where = f"{canvases[-1][0]}x{canvases[-1][1]}"
    raise TooDense(
        f"the selection is too large for a legible figure: {first}; it does not fit even at "
        f"{where}"
        + (f" with only the best {track_kind[:-1]}" if tracks else " with only the claims of strong evidence")
        + ". Narrow it: --depth 1, a shorter --path, --species human, one --loop or --hypothesis"
        + (", or --no-marks (no [n] citation marks)." if marks else "."),
        first.label_px,
    )


def _prunings(
    graph: nx.MultiDiGraph, keep: tuple[str, ...], tracks: list[list[tuple[str, str, str]]] | None, track_kind: str
) -> list[tuple[nx.MultiDiGraph, str, str]]:
    """Smaller and smaller versions of ``graph``, each with the note that says what was left out
    (for the subtitle: no command-line advice on a slide) and the option that selects it."""
    out: list[tuple[nx.MultiDiGraph, str, str]] = []
    total = graph.number_of_edges()
    if tracks and len(tracks) > 1:
        for n in range(len(tracks) - 1, 0, -1):
            wanted = {e for t in tracks[:n] for e in t}
            sub = _keep_claims(graph, wanted, keep)
            out.append((sub, f"the best {n} of {len(tracks)} {track_kind} drawn", f"--limit {n} draws just these"))
        return out
    if tracks:
        return out
    from gutkg.scales import GRADE_NAMES

    previous = total
    centre = [n for n in keep if n in graph]
    own = {(u, v, k) for u, v, k in graph.edges(keys=True) if u in centre or v in centre}
    names = " and ".join(str(graph.nodes[n].get("label", n)) for n in centre)
    hint = (
        "pruned by each claim's grade: to choose what is drawn, narrow the selection "
        "(--depth, --species, --min-strength, --status)"
    )
    for level in sorted(GRADE_NAMES)[1:]:  # a claim's edge "strength" is its grade level
        wanted = {(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if int(d.get("strength", 0)) >= level}
        if centre:  # around a focus: its own claims stay, and only what still connects to it
            wanted = _connected(wanted | own, centre)
        if not wanted or len(wanted) >= previous:
            continue
        previous = len(wanted)
        name = GRADE_NAMES[level]
        if centre:
            out.append(
                (
                    _keep_claims(graph, wanted, keep),
                    f"only the {len(wanted)} of {total} claims graded {name} or higher that "
                    f"connect to {clip(names, 60)}, and its own, drawn",
                    hint,
                )
            )
        else:
            out.append(
                (
                    _keep_claims(graph, wanted, keep),
                    f"only the {len(wanted)} of {total} claims graded {name} or higher drawn",
                    hint,
                )
            )
    return out


def _connected(claims: set[tuple[str, str, str]], centre: list[str]) -> set[tuple[str, str, str]]:
    """The ``claims`` reachable from the ``centre`` concepts, following claims either way."""
    touching: dict[str, list[tuple[str, str, str]]] = {}
    for e in claims:
        touching.setdefault(e[0], []).append(e)
        touching.setdefault(e[1], []).append(e)
    seen, frontier, found = set(centre), list(centre), set()
    while frontier:
        node = frontier.pop()
        for e in touching.get(node, []):
            found.add(e)
            for n in e[:2]:
                if n not in seen:
                    seen.add(n)
                    frontier.append(n)
    return found


def _keep_claims(graph: nx.MultiDiGraph, claims: set[tuple[str, str, str]], keep: tuple[str, ...]) -> nx.MultiDiGraph:
    """The claims listed, the concepts they join and the ``keep`` concepts (graph attributes kept)."""
    nodes = {n for u, v, _ in claims for n in (u, v)} | {n for n in keep if n in graph}
    out = graph.__class__()
    out.graph.update(graph.graph)
    out.add_nodes_from((n, graph.nodes[n]) for n in graph if n in nodes)
    out.add_edges_from((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if (u, v, k) in claims)
    return out


def write_figure(
    graph: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str,
    subtitle: str = "",
    theme: str = "light",
    size: str | tuple[int, int] | None = None,
    fmt: str | None = None,
    marks: bool = True,
    **fit: Any,
) -> Figure:
    """Render the figure (:func:`fit_figure`: it adapts before refusing) and write it to ``path``
    atomically (format from ``fmt`` or the suffix). ``fit`` passes ``keep``, ``tracks`` and
    ``track_kind`` on to :func:`fit_figure`."""
    from gutkg.atomic import check_writable, write_atomic

    kind = format_of(path, fmt)
    if size is not None:
        parse_size(size)
    check_writable(path)
    figure = fit_figure(graph, title=title, subtitle=subtitle, theme=theme, size=size, marks=marks, **fit)
    write_atomic(path, figure.render(kind))
    return figure


# Registry entry points (gutkg.export.EXPORTERS): ``to_<fmt>`` / ``write_<fmt>`` per figure format.


def to_svg(graph: nx.MultiDiGraph, *, title: str = "gutkg", **opts: Any) -> bytes:
    """The figure of ``graph`` as SVG bytes (``opts`` go to :func:`fit_figure`)."""
    return fit_figure(graph, title=title, **opts).render("svg")


def to_png(graph: nx.MultiDiGraph, *, title: str = "gutkg", **opts: Any) -> bytes:
    """The figure of ``graph`` as PNG bytes (``opts`` go to :func:`fit_figure`)."""
    return fit_figure(graph, title=title, **opts).render("png")


def to_pdf(graph: nx.MultiDiGraph, *, title: str = "gutkg", **opts: Any) -> bytes:
    """The figure of ``graph`` as PDF bytes (``opts`` go to :func:`fit_figure`)."""
    return fit_figure(graph, title=title, **opts).render("pdf")


def write_svg(graph: nx.MultiDiGraph, path: str | Path, /, *, title: str = "gutkg", **opts: Any) -> Path:
    """Write the figure of ``graph`` to ``path`` as SVG (:func:`write_figure`) and return the path."""
    write_figure(graph, path, title=title, fmt="svg", **opts)
    return Path(path)


def write_png(graph: nx.MultiDiGraph, path: str | Path, /, *, title: str = "gutkg", **opts: Any) -> Path:
    """Write the figure of ``graph`` to ``path`` as PNG (:func:`write_figure`) and return the path."""
    write_figure(graph, path, title=title, fmt="png", **opts)
    return Path(path)


def write_pdf(graph: nx.MultiDiGraph, path: str | Path, /, *, title: str = "gutkg", **opts: Any) -> Path:
    """Write the figure of ``graph`` to ``path`` as PDF (:func:`write_figure`) and return the path."""
    write_figure(graph, path, title=title, fmt="pdf", **opts)
    return Path(path)
