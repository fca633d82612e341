"""The visual encodings every picture of the graph shares: figure, slides and the browser page.

One palette, so a teacher's figure and a student's browser show the same colour for the same thing.
Concept *category* sets the node fill; claim *sign* sets the edge colour and arrowhead (→ increases,
⊣ decreases, ○ tested no effect: colour-blind readers still get the sign); claim *status* sets the
line style; the strongest *supporting* evidence sets the line width.

>>> node_fill("disease")
'#b07aa1'
>>> edge_style({"sign": -1, "status": "hypothesised", "strength": 0})["arrowhead"]
'tee'
>>> THEMES["dark"].background
'#15191f'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gutkg.scales import GRADE_NAMES, STATUSES

#: Node fill by concept category: the browser explorer's Tableau 10 colours (distinguishable in
#: print; a test keeps this in step with :data:`gutkg.export.html.CATEGORIES`).
CATEGORY_COLOURS: dict[str, str] = {
    "anatomy": "#9c755f",
    "cell": "#76b7b2",
    "molecule": "#4e79a7",
    "microbial": "#59a14f",
    "immune": "#e15759",
    "state": "#f28e2b",
    "disease": "#b07aa1",
    "exposure": "#edc948",
    "intervention": "#ff9da7",
    "measurement": "#bab0ac",
    "unknown": "#d9d9d9",
}

#: Readable names of the categories, for legends.
CATEGORY_NAMES: dict[str, str] = {
    "anatomy": "anatomical structure",
    "cell": "cell type",
    "molecule": "molecular component",
    "microbial": "microbial entity or state",
    "immune": "immune or inflammatory process",
    "state": "physiological state",
    "disease": "disease",
    "exposure": "exposure",
    "intervention": "intervention",
    "measurement": "measurement method or biomarker",
    "unknown": "uncategorised",
}

#: Edge colour by sign (+1 increases, -1 decreases, 0 tested no effect), per theme; the light
#: colours are the browser explorer's.
SIGN_COLOURS: dict[str, dict[int, str]] = {
    "light": {1: "#2f7d4a", -1: "#c0392b", 0: "#8c8c8c"},
    "dark": {1: "#5fbf7f", -1: "#f0705f", 0: "#a8a8a8"},
}
SIGN_NAMES = {1: "increases", -1: "decreases", 0: "tested, no effect"}
#: Graphviz arrowheads by sign: the usual causal-diagram notation.
SIGN_ARROWHEADS = {1: "normal", -1: "tee", 0: "odot"}

#: Line style by claim status (Graphviz style names; SVG dash arrays for legends and the browser).
STATUS_STYLES: dict[str, str] = {
    "established": "solid",
    "supported": "solid",
    "hypothesised": "dashed",
    "contested": "dotted",
    "refuted": "dotted",
}
STATUS_DASHES: dict[str, str] = {"solid": "", "dashed": "10,6", "dotted": "2,5"}
#: Statuses in legend order: the line styles together (solid, dashed, dotted), from the one value set.
STATUS_ORDER = tuple(sorted(STATUSES, key=list(STATUS_STYLES).index))

#: Line width (points) by the claim's grade (its edge ``strength``: 0 = none .. 4 = high), as in the
#: browser explorer (1 + level).
STRENGTH_WIDTHS = {level: 1.0 + level for level in GRADE_NAMES}
#: A claim's grade by level, as legends name it (:data:`gutkg.scales.GRADE_NAMES`; level 0 drawn as
#: "no evidence": only hypothesised or non-counted evidence).
STRENGTH_NAMES = {**GRADE_NAMES, 0: "no evidence"}

FONT_FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class Theme:
    """Colours of the page around the graph."""

    name: str
    background: str
    text: str
    muted: str
    node_text: str
    node_border: str
    panel: str


THEMES: dict[str, Theme] = {
    "light": Theme("light", "#ffffff", "#111827", "#4b5563", "#111827", "#374151", "#f3f4f6"),
    "dark": Theme("dark", "#15191f", "#f3f4f6", "#9ca3af", "#111827", "#e5e7eb", "#222831"),
}


def node_fill(category: str) -> str:
    """Fill colour of a concept of ``category`` (unknown categories are pale grey)."""
    return CATEGORY_COLOURS.get(category, CATEGORY_COLOURS["unknown"])


def text_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (WCAG relative luminance).

    >>> text_on("#1f2937"), text_on("#edc948")
    ('#ffffff', '#111111')
    """

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(fill.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "#ffffff" if 1.05 / (lum + 0.05) > (lum + 0.05) / 0.05 else "#111111"


def edge_style(edge: dict[str, Any], theme: str = "light") -> dict[str, Any]:
    """Colour, arrowhead, line style and width of a claim (a network edge's attributes)."""
    sign = int(edge.get("sign", 0))
    status = str(edge.get("status", "supported"))
    strength = int(edge.get("strength", 0))
    colour = SIGN_COLOURS.get(theme, SIGN_COLOURS["light"]).get(sign, "#6b7280")
    return {
        "color": colour,
        "arrowhead": SIGN_ARROWHEADS.get(sign, "normal"),
        "style": STATUS_STYLES.get(status, "solid"),
        "penwidth": STRENGTH_WIDTHS.get(strength, 1.2),
        "faded": status == "refuted",
    }


def palette() -> dict[str, Any]:
    """Every encoding as plain JSON (for pages that draw the graph in the browser)."""
    return {
        "categories": CATEGORY_COLOURS,
        "category_names": CATEGORY_NAMES,
        "signs": {t: {str(k): v for k, v in c.items()} for t, c in SIGN_COLOURS.items()},
        "sign_names": {str(k): v for k, v in SIGN_NAMES.items()},
        "statuses": STATUS_STYLES,
        "dashes": STATUS_DASHES,
        "strength_widths": {str(k): v for k, v in STRENGTH_WIDTHS.items()},
        "themes": {k: vars(t) for k, t in THEMES.items()},
    }


#: One colour per rival answer (or loop, or path) on a deck's map and slides: the Okabe-Ito
#: colour-blind-safe palette, darkened where needed for contrast on white.
RIVAL_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#b8860b", "#56b4e9")
