"""Text diagrams of a selection: Mermaid flowcharts and Graphviz DOT, styled like the figures.

Both carry the shared encodings (:mod:`gutkg.export.style`): fill by category; arrowhead by sign
(Mermaid ``-->`` increases, ``--x`` decreases, ``--o`` no effect; dotted for hypothesised, contested
and refuted claims, thick for strong evidence), and label each claim with its short citations.
Graph text is data: every label is escaped for the target syntax (Mermaid entity codes; DOT
quoted strings with backslashes doubled).

>>> mermaid_text('IL-1β <"x"> & y; 50%')
'IL-1β #60;#quot;x#quot;#62; #38; y#59; 50#37;'
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from gutkg.export import style
from gutkg.export.fields import dois_of, flatten_value, references_of
from gutkg.export.figure import dot_lines, dot_quote, wrap_label

if TYPE_CHECKING:
    import networkx as nx

#: ASCII characters kept as they are in Mermaid text; everything else ASCII becomes ``#NN;``.
_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 \-_.,:/'+?!=]")


def mermaid_text(text: str) -> str:
    """``text`` safe inside a quoted Mermaid label (ASCII punctuation as ``#code;`` entities)."""
    out = []
    for ch in text.replace("\n", " "):
        if ord(ch) > 127 or _MERMAID_SAFE.fullmatch(ch):
            out.append(ch)
        elif ch == '"':
            out.append("#quot;")
        else:
            out.append(f"#{ord(ch)};")
    return "".join(out)


def _mermaid_arrow(data: dict[str, Any]) -> str:
    head = {1: ">", -1: "x", 0: "o"}.get(int(data.get("sign", 0)), ">")
    if style.STATUS_STYLES.get(str(data.get("status")), "solid") != "solid":
        return "-.-" + head if head != ">" else "-.->"
    if int(data.get("strength", 0)) >= 4:
        return "==" + head
    return "--" + head


def to_mermaid(graph: nx.MultiDiGraph, *, title: str = "", direction: str = "LR") -> bytes:
    """A Mermaid ``flowchart`` of ``graph``; references listed as ``%%`` comments at the end."""
    ids = {node: f"c{i}" for i, node in enumerate(sorted(graph.nodes))}
    lines = []
    if title:
        lines += ["---", f"title: {json.dumps(title.replace(chr(10), ' '), ensure_ascii=False)}", "---"]
    lines.append(f"flowchart {direction}")
    for node in sorted(graph.nodes):
        label = str(graph.nodes[node].get("label") or node)
        lines.append(f'  {ids[node]}["{mermaid_text(label)}"]')
    link_styles = []
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])
    for index, (u, v, _key, data) in enumerate(edges):
        cites = "; ".join(data.get("citations", []))
        label = f'|"{mermaid_text(cites)}"|' if cites else ""
        lines.append(f"  {ids[u]} {_mermaid_arrow(data)}{label} {ids[v]}")
        look = style.edge_style(data)
        link_styles.append(f"  linkStyle {index} stroke:{look['color']},stroke-width:{look['penwidth']:g}px")
    categories: dict[str, list[str]] = {}
    for node in sorted(graph.nodes):
        categories.setdefault(str(graph.nodes[node].get("category", "unknown")), []).append(ids[node])
    theme = style.THEMES["light"]
    for cat, members in sorted(categories.items()):
        lines.append(
            f"  classDef cat_{cat} fill:{style.node_fill(cat)},stroke:{theme.node_border},color:{theme.node_text}"
        )
        lines.append(f"  class {','.join(members)} cat_{cat}")
    lines += link_styles
    refs = graph.graph.get("references", {})
    cited = sorted({k for _, _, d in graph.edges(data=True) for k in references_of(d)})
    for key in cited:
        ref = refs.get(key, {})
        lines.append(
            f"%% {key}: {ref.get('citation', key)}. {ref.get('title', '')} {ref.get('url', '')}".rstrip().replace(
                "\n", " "
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_dot(graph: nx.MultiDiGraph, *, title: str = "", theme: str = "light") -> bytes:
    """Graphviz DOT with the figure's styling, citations as edge labels, and the data as attributes.

    Graphviz keeps attributes it does not draw (``category``, ``iri``, ``claim``, ``status``,
    ``citations``, ``references``, ``dois`` ...), so other tools reading the file get the data too.
    """
    th = style.THEMES[theme]
    font = style.FONT_FAMILY
    lines = [
        "digraph gutkg {",
        f'  graph [rankdir=LR, bgcolor="{th.background}", fontname="{font}", fontsize=24, '
        f'fontcolor="{th.text}", labelloc=t, nodesep=0.35, ranksep=0.6'
        + (f", label={dot_quote(title)}" if title else "")
        + "];",
        f'  node [shape=box, style="rounded,filled", fontname="{font}", fontsize=16, '
        f'fontcolor="{th.node_text}", color="{th.node_border}"];',
        f'  edge [fontname="{font}", fontsize=12, fontcolor="{th.text}"];',
    ]
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        label = dot_lines(wrap_label(str(data.get("label") or node), most=None))  # data: never clipped
        cat = str(data.get("category", "unknown"))
        lines.append(
            f'  {dot_quote(str(node))} [label={label}, fillcolor="{style.node_fill(cat)}", '
            f"category={dot_quote(cat)}, iri={dot_quote(str(data.get('iri', '')))}];"
        )
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        look = style.edge_style(data, theme)
        attrs = [
            f'color="{look["color"]}"',
            f"arrowhead={look['arrowhead']}",
            f"style={look['style']}",
            f"penwidth={look['penwidth']:g}",
            f"claim={dot_quote(str(key))}",
        ]
        if data.get("citations"):
            attrs.append(f"label={dot_lines(list(data['citations']))}")
        for name in ("sign_label", "status", "strength_label", "citations", "systems", "mechanism"):
            if name in data:
                attrs.append(f"{name}={dot_quote(str(flatten_value(data[name])))}")
        attrs.append(f"references={dot_quote('; '.join(references_of(data)))}")
        attrs.append(f"dois={dot_quote('; '.join(dois_of(data)))}")
        lines.append(f"  {dot_quote(str(u))} -> {dot_quote(str(v))} [{', '.join(attrs)}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")
