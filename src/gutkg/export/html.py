"""One self-contained, offline HTML page to search, filter and read the evidence.

Why not pyvis's page: its default and "remote" modes load vis-network from a CDN and every mode
loads bootstrap from one, so a file opened without network is blank; it leaves the layout to
in-browser physics (minutes to settle at 1,000 nodes); and ``Network.add_edge`` checks every
existing edge for duplicates (quadratic: 8.4 s for 24k edges). So this module owns the page:

- vis-network's JavaScript is vendored (``export/vendor/vis-network.min.js``, pinned from the npm
  registry by ``assets/vis-network/package-lock.json``, built by ``scripts/build_assets.sh``) and
  inlined; pyvis is not needed for the page. For notebook users who know pyvis,
  :func:`to_pyvis` returns a configured ``pyvis.network.Network`` (the ``notebook`` extra);
- the vis-network data is built directly as JSON (one pass over nodes and claims), with positions
  precomputed by :mod:`gutkg.export.layout`, physics off;
- all graph text travels as JSON inside ``<script type="application/json">`` with ``<``, ``>``
  and ``&`` escaped, and the page renders it with ``textContent`` only; a Content-Security-Policy
  allows just the page's own two scripts (by hash), no network connections and no remote images;
- the page's behaviour lives in ``templates/explorer.js`` (search, filters, cards, highlights,
  permalinks in the URL fragment), its look in ``templates/explorer.css``.

The first view: when the export has a graded question (one naming an exposure and an outcome;
the founding one, dysbiosis and autoimmune disease, on the bundled graph) and no focus or
highlight, the page opens on it: its rivals side by side, one colour each, with the verdict of
``gutkg explain`` on all evidence and on primary human evidence, laid out (at export) to fit a
1366x768 screen at 12 px labels. "Whole graph" is one click away. Concepts without a shown claim
are hidden by default; labels are thinned by zoom and degree so none overlap; a claim's status
is its line style (text on hover and on the selected claim); the card lies over the graph, so
opening it never moves the camera.

``to_html(graph)`` is the contract ``gutkg serve`` uses for ``/explore``. In a notebook,
``explore(graph)`` returns an :class:`Explorer` whose ``_repr_html_`` is an ``<iframe srcdoc>``:
the page runs in its own document, so it renders where pyvis's notebook mode shows a blank cell.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", label="<b>a</b>", category="disease")
>>> page = to_html(g)
>>> "<b>a</b>" in page, "\\\\u003cb\\\\u003ea\\\\u003c/b\\\\u003e" in page
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError
from gutkg.export.style import STATUS_ORDER
from gutkg.scales import GRADE_NAMES, STRENGTH_NAMES

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.export.selection import Selection

SUFFIXES = (".html", ".htm")

#: Category short name -> (label, colour). Colours: Tableau 10, distinguishable in print.
CATEGORIES: dict[str, tuple[str, str]] = {
    "anatomy": ("anatomical structure", "#9c755f"),
    "cell": ("cell type", "#76b7b2"),
    "molecule": ("molecular component", "#4e79a7"),
    "microbial": ("microbial entity or state", "#59a14f"),
    "immune": ("immune or inflammatory process", "#e15759"),
    "state": ("physiological state", "#f28e2b"),
    "disease": ("disease", "#b07aa1"),
    "exposure": ("exposure", "#edc948"),
    "intervention": ("intervention", "#ff9da7"),
    "measurement": ("measurement method or biomarker", "#bab0ac"),
    "unknown": ("uncategorised", "#d9d9d9"),
}
#: Statuses in legend order; an evidence item's strength by rank (0: none); a claim's grade by level
#: (its edge ``strength``, what the minimum filter compares): all from the one value set.
STATUSES = STATUS_ORDER
STRENGTHS = ("none", *(STRENGTH_NAMES[rank] for rank in sorted(STRENGTH_NAMES)))
GRADES = tuple(GRADE_NAMES[level] for level in sorted(GRADE_NAMES))
#: Above this many concepts or claims the page hides edges while dragging and zooming.
BIG_NODES, BIG_EDGES = 1000, 4000
#: A question's own layout fits this box (pixels at zoom 1): the graph area of a 1366x768 screen
#: at the scale where labels are 12 px.
QUESTION_BOX = (1040.0, 720.0)

_TEMPLATES = resources.files("gutkg.export") / "templates"
_VENDOR = resources.files("gutkg.export") / "vendor"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def to_html(
    graph: nx.MultiDiGraph,
    *,
    title: str | None = None,
    layout: str = "auto",
    seed: int = 0,
    selection: Selection | None = None,
    **select_opts: Any,
) -> str:
    """The explorer page for ``graph`` (a :func:`gutkg.network.to_network` MultiDiGraph).

    Keyword options are those of :func:`gutkg.export.selection.select` (``focus``, ``depth``,
    ``path``, ``loops``, ``question``, ``hypothesis``, ``evidence``...), or pass a ready
    ``selection``. ``layout``: ``auto``, ``spring``, ``sfdp`` or ``circle``.
    """
    from gutkg.export.layout import layout as compute_layout
    from gutkg.export.selection import select

    sel = selection if selection is not None else select(graph, **select_opts)
    sizes = {n: (len(str(d.get("label", n))) * 7.2 + 24, 44.0) for n, d in sel.graph.nodes(data=True)}
    positions = compute_layout(sel.graph, method=layout, seed=seed, sizes=sizes)
    return render(page_data(sel, positions, title=title))


def write_html(graph: nx.MultiDiGraph, path: str | Path, /, **opts: Any) -> Path:
    """Write :func:`to_html` to ``path`` (UTF-8) and return the path.

    ``path`` is positional-only, so ``path=(A, B)`` still reaches the selection. The page is
    written atomically (:func:`gutkg.atomic.write_atomic`): a full disk or an interrupted
    export never leaves a truncated page, nor replaces a good one.
    """
    from gutkg.atomic import check_writable, write_atomic

    check_writable(path)  # before the work, so a bad path fails fast
    return write_atomic(path, to_html(graph, **opts))


class Explorer:
    """The explorer for a notebook: displays inline (``_repr_html_``) and can ``save(path)``.

    The page goes into an ``<iframe srcdoc>`` so it runs as its own document (its scripts run
    even where a notebook front end does not execute scripts in output HTML, which is why pyvis's
    notebook mode can show a blank cell).
    """

    def __init__(self, graph: nx.MultiDiGraph, *, height: int = 640, **opts: Any) -> None:
        self.height = height
        self.html = to_html(graph, **opts)

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            'title="gutkg explorer"></iframe>'
        )

    def save(self, path: str | Path, /) -> Path:
        """Write the page to ``path`` (atomically) and return the path."""
        from gutkg.atomic import write_atomic

        return write_atomic(path, self.html)


def explore(graph: nx.MultiDiGraph, **opts: Any) -> Explorer:
    """An inline explorer for a notebook cell: ``explore(load_network(), focus="zonulin")``."""
    return Explorer(graph, **opts)


#: Line style of a claim by status (vis-network ``dashes``): the status is never an edge label.
DASHES: dict[str, list[int] | bool] = {"hypothesised": [8, 6], "contested": [2, 4], "refuted": [2, 4, 8, 4]}
SIGN_COLOURS = {1: "#2f7d4a", -1: "#c0392b", 0: "#8c8c8c"}
SIGN_ARROWS = {1: "arrow", -1: "bar", 0: "circle"}


def to_pyvis(
    selection: Selection | nx.MultiDiGraph,
    *,
    height: str = "640px",
    layout: str = "auto",
    seed: int = 0,
    notebook: bool = True,
) -> Any:
    """A configured ``pyvis.network.Network`` of ``selection`` (or a whole network) for notebooks.

    Concepts are coloured by category at positions computed in Python (physics off, so it does not
    drift); claims are coloured by sign (arrow, bar or circle head), dashed or dotted by status,
    as wide as their grade, with the claim's text as a tooltip. Needs pyvis (the ``notebook``
    extra). For more than a few hundred concepts, :func:`explore` (the explorer page) is faster.
    In a notebook::

        net = to_pyvis(select(load_network(), focus="zonulin"))
        net.show("zonulin.html")
    """
    from gutkg.extras import require

    require("notebook", "pyvis", needed_for="to_pyvis (the explorer page, explore(), needs nothing extra)")
    from pyvis.network import Network

    from gutkg.export.layout import layout as compute_layout
    from gutkg.export.selection import Selection

    graph = selection.graph if isinstance(selection, Selection) else selection
    sizes = {n: (len(str(d.get("label", n))) * 7.2 + 24, 44.0) for n, d in graph.nodes(data=True)}
    positions = compute_layout(graph, method=layout, seed=seed, sizes=sizes)
    net = Network(height=height, width="100%", directed=True, notebook=notebook, cdn_resources="in_line")
    for node, d in graph.nodes(data=True):
        category = d.get("category") if d.get("category") in CATEGORIES else "unknown"
        name, colour = CATEGORIES[category]
        x, y = positions.get(node, (0.0, 0.0))
        net.add_node(
            str(node),
            label=str(d.get("label", node)),
            color=colour,
            x=x,
            y=y,
            title=f"{d.get('label', node)}\n{name}",
            shape="dot",
            size=12,
            physics=False,
        )
    for u, v, _, d in graph.edges(keys=True, data=True):
        sign, status = int(d.get("sign", 1)), str(d.get("status", "supported"))
        net.add_edge(
            str(u),
            str(v),
            color=SIGN_COLOURS.get(sign, "#8c8c8c"),
            width=1 + int(d.get("strength", 0)),
            dashes=DASHES.get(status, False),
            arrows={"to": {"enabled": True, "type": SIGN_ARROWS.get(sign, "arrow")}},
            title=(
                f"{graph.nodes[u].get('label', u)} → {graph.nodes[v].get('label', v)}\n"
                f"{d.get('sign_label', '')}, {status}, grade {d.get('strength_label', 'none')}"
            ),
        )
    net.toggle_physics(False)
    return net


def page_data(sel: Selection, positions: dict[Any, tuple[float, float]], *, title: str | None = None) -> dict[str, Any]:
    """The JSON the page reads: nodes with positions, claims with evidence, hypotheses, highlights.

    Empty fields are left out to keep 5,000-node pages small; the page supplies defaults.
    """
    from gutkg import __version__

    graph = sel.graph
    ids = _edge_ids(graph)
    nodes = []
    for node, d in graph.nodes(data=True):
        x, y = positions.get(node, (0.0, 0.0))
        category = d.get("category") if d.get("category") in CATEGORIES else "unknown"
        item: dict[str, Any] = {
            "id": str(node),
            "label": str(d.get("label", node)),
            "category": category,
            "x": x,
            "y": y,
        }
        _put(item, "definition", d.get("definition"))
        _put(item, "synonyms", [str(s) for s in d.get("synonyms", ())])
        _put(item, "broader", [str(b) for b in d.get("broader", ()) if b in graph])
        _put(
            item,
            "mappings",
            [
                {"curie": str(m.get("curie", "")), "iri": str(m.get("iri", "")), "match": str(m.get("match", ""))}
                for m in d.get("mappings", ())
            ],
        )
        nodes.append(item)
    rank: dict[tuple[Any, Any], int] = {}
    refs: dict[str, dict[str, str]] = {}
    edges: list[dict[str, Any]] = []
    systems: set[str] = set()
    designs: set[str] = set()
    for u, v, k, d in graph.edges(keys=True, data=True):
        item = {
            "id": ids[u, v, k],
            "from": str(u),
            "to": str(v),
            "sign": int(d.get("sign", 1)),
            "status": str(d.get("status", "supported")),
            "strength": int(d.get("strength", 0)),
            "grade": str(d.get("strength_label", "none")),
        }
        if graph.number_of_edges(u, v) + graph.number_of_edges(v, u) > 1 and u != v:
            rank[u, v] = rank.get((u, v), 0) + 1
            item["curve"] = round(0.18 * rank[u, v], 2)
        _put(item, "mechanism", d.get("mechanism"))
        _put(item, "hypotheses", [str(h) for h in d.get("hypotheses", ())])
        _put(item, "opposed", bool(d.get("opposed")))
        evidence = [_evidence(e, refs) for e in d.get("evidence", ())]
        systems.update(s.strip() for ev in evidence for s in ev.get("system", "unspecified").split(","))
        _put(item, "ev", evidence)
        designs.update(ev["design"] for ev in evidence if ev.get("design"))
        edges.append(item)
    claim_ids = {k: ids[u, v, k] for u, v, k in graph.edges(keys=True)}
    hypotheses = [
        {
            "id": str(h),
            "label": str(d.get("label", h)),
            "definition": str(d.get("definition", "")),
            "question": str(d.get("question", "")),
            "role": str(d.get("role", "")),
            "claims": sorted({claim_ids[c] for c in d.get("claims", ()) if c in claim_ids}),
        }
        for h, d in graph.graph.get("hypotheses", {}).items()
    ]
    questions: list[dict[str, Any]] = [
        {
            "id": str(q),
            "label": str(d.get("label", q)),
            "definition": str(d.get("definition", "")),
            "hypotheses": [str(h) for h in d.get("hypotheses", ())],
        }
        for q, d in graph.graph.get("questions", {}).items()
    ]
    size = {h["id"]: len(h["claims"]) for h in hypotheses}
    for q in questions:
        q["claims"] = sum(size.get(h, 0) for h in q["hypotheses"])
        d = graph.graph["questions"][q["id"]]
        if q["claims"] and d.get("exposure") in graph and d.get("outcome") in graph:
            q["ends"] = [str(d["exposure"]), str(d["outcome"])]
            _put(q, "verdict", _verdict(graph, str(d["exposure"]), str(d["outcome"])))
        if q["claims"]:
            q["pos"] = _question_layout(
                graph, [c for h in q["hypotheses"] for c in graph.graph["hypotheses"].get(h, {}).get("claims", ())]
            )
    highlights = [
        {
            "kind": h.kind,
            "label": h.label,
            "id": h.id,
            "nodes": [str(n) for n in h.nodes],
            "edges": [ids[e] for e in h.edges if e in ids],
        }
        for h in sel.highlights
    ]
    return {
        "title": title or "gutkg explorer",
        "version": __version__,
        "categories": [{"id": c, "label": lab, "color": col} for c, (lab, col) in CATEGORIES.items()],
        "statuses": list(STATUSES),
        "strengths": list(STRENGTHS),
        "grades": list(GRADES),
        "systems": sorted(systems),
        "designs": sorted(designs),
        "opening": None if sel.highlights or sel.focus is not None else _opening(questions),
        "big": graph.number_of_nodes() > BIG_NODES or graph.number_of_edges() > BIG_EDGES,
        "nodes": nodes,
        "edges": edges,
        "refs": refs,
        "questions": questions,
        "hypotheses": hypotheses,
        "highlights": highlights,
        "focus": None if sel.focus is None else str(sel.focus),
        "notes": list(sel.notes),
        "truncated": sel.truncated,
    }


def render(data: dict[str, Any]) -> str:
    """Fill the template: CSS, data JSON, vis-network and the app script, plus a hashed CSP."""
    scripts = [vis_network_js(), _asset("explorer.js")]
    csp = (
        "default-src 'none'; script-src "
        + " ".join(_hash(s) for s in scripts)
        + "; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    )
    parts = {
        "TITLE": html.escape(str(data.get("title", ""))),
        "CSP": csp,
        "CSS": _asset("explorer.css"),
        "DATA": json_for_script(data),
        "VIS": scripts[0],
        "APP": scripts[1],
    }
    # one pass, so text inside the data can never be taken for a later placeholder
    return re.sub(r"@@([A-Z]+)@@", lambda m: parts[m.group(1)], _asset("explorer.html"))


def json_for_script(data: object) -> str:
    r"""JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives.

    >>> json_for_script({"label": "</script><b>&"})
    '{"label": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":") if _big(data) else None)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone build, vendored in ``export/vendor/`` (see :data:`VIS_NETWORK`).

    Pinned from the npm registry by ``assets/vis-network/package-lock.json`` and copied by
    ``scripts/build_assets.sh``; made safe to inline in a ``<script>`` element.
    """
    try:
        text = (_VENDOR / "vis-network.min.js").read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        raise GutKGError(
            "gutkg/export/vendor/vis-network.min.js is missing from this install; "
            "reinstall gutkg, or in a checkout run: bash scripts/build_assets.sh"
        ) from None
    # inlined in <script>: keep "</script" and "<!--" from ending or confusing the element
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


@lru_cache(maxsize=8)
def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _big(data: object) -> bool:
    return isinstance(data, dict) and bool(data.get("big"))


def _put(item: dict[str, Any], key: str, value: Any) -> None:
    if value:
        item[key] = value


def _evidence(e: dict[str, Any], refs: dict[str, dict[str, str]]) -> dict[str, Any]:
    """An evidence item for the page; its reference goes once into ``refs`` (by key)."""
    item: dict[str, Any] = {"strength": int(e.get("strength", 0))}
    if e.get("stance", "supports") != "supports":
        item["stance"] = str(e["stance"])
    cite = {k: str(e.get(k) or "") for k in ("citation", "doi", "pmid", "url")}
    if e.get("source"):
        item["source"] = key = str(e["source"])
        refs.setdefault(key, {k: v for k, v in cite.items() if v})
    else:
        item.update({k: v for k, v in cite.items() if v})
    for key, src in (
        ("type", "type_label"),
        ("design", "design_label"),
        ("model", "model"),
        ("direction", "direction"),
        ("description", "description"),
        ("system", "system"),
    ):
        _put(item, key, str(e.get(src) or ""))
    _put(item, "species", ", ".join(str(s) for s in e.get("species", ())))
    _put(item, "synthesis", not e.get("primary", True))
    _put(item, "zonulin", bool(e.get("zonulin_assay")))
    return item


def _opening(questions: list[dict[str, Any]]) -> str | None:
    """The question the page opens on: the graded one with the most claims (the founding question
    on the bundled graph: dysbiosis and autoimmune disease, four rivals), else any with claims."""
    ranked = sorted(
        (q for q in questions if q["claims"]),
        key=lambda q: (not q.get("verdict"), -len(q["hypotheses"]), -q["claims"], q["id"]),
    )
    return ranked[0]["id"] if ranked else None


def _verdict(graph: nx.MultiDiGraph, a: str, b: str) -> dict[str, Any] | None:
    """The verdict of ``gutkg explain a b`` (each rival role on all evidence and on primary human
    evidence), compact for the page; None if the analysis refuses (e.g. a and b coincide)."""
    from gutkg.analysis.explain import explain

    try:
        result = explain(graph, a, b, limit=1, budget=10.0)
    except (GutKGError, ValueError, KeyError):
        return None
    v = result.verdict
    if v is None:
        return None
    return {
        "a": v.a_label,
        "b": v.b_label,
        "answer": list(v.answer),
        "human": v.human_answer,
        "leaders": list(v.leaders),
        "rows": [
            {
                "role": r.role,
                "title": r.title,
                "level": r.level,
                "label": r.label,
                "human_level": r.human_level,
                "human_label": r.human_label,
            }
            for r in v.rows
        ],
    }


def _question_layout(graph: nx.MultiDiGraph, claims: list[str]) -> dict[str, list[float]]:
    """Positions for a question's own concepts (its rivals' claims only), labels kept apart."""
    from gutkg.export.layout import layout as compute_layout

    wanted = set(claims)
    sub = graph.edge_subgraph([(u, v, k) for u, v, k in graph.edges(keys=True) if k in wanted])
    if sub.number_of_nodes() > 400:
        return {}
    sizes = {n: (len(str(graph.nodes[n].get("label", n))) * 7.2 + 40, 56.0) for n in sub}
    pos = compute_layout(sub, method="auto", seed=0, sizes=sizes)
    # shrink (never stretch) into QUESTION_BOX, so a 1366x768 screen shows it all at legible
    # labels; the page's label thinning keeps the labels that would then collide apart
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    k = min(1.0, QUESTION_BOX[0] / max(max(xs) - min(xs), 1.0), QUESTION_BOX[1] / max(max(ys) - min(ys), 1.0))
    return {str(n): [round((x - cx) * k, 1), round((y - cy) * k, 1)] for n, (x, y) in pos.items()}


def _edge_ids(graph: nx.MultiDiGraph) -> dict[tuple[Any, Any, Any], str]:
    """Claim id per edge: the edge key, or ``cause|effect|key`` if keys repeat (e.g. ints)."""
    keys = [str(k) for _, _, k in graph.edges(keys=True)]
    unique = len(set(keys)) == len(keys)
    return {(u, v, k): str(k) if unique else f"{u}|{v}|{k}" for u, v, k in graph.edges(keys=True)}
