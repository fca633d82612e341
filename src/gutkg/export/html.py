"""One self-contained, offline HTML page to search, filter and read the evidence.

Why not pyvis's page: its default and "remote" modes load vis-network from a CDN and every mode
loads bootstrap from one, so a file opened without network is blank; it leaves the layout to
in-browser physics (minutes to settle at 1,000 nodes); and ``Network.add_edge`` checks every
existing edge for duplicates (quadratic: 8.4 s for 24k edges). So this module owns the page:

- vis-network's JavaScript is read from the installed pyvis package and inlined; pyvis is used
  for nothing else (not its ``Network``, not its templates, not its notebook mode);
- the vis-network data is built directly as JSON (one pass over nodes and claims), with positions
  precomputed by :mod:`gutkg.export.layout`, physics off;
- all graph text travels as JSON inside ``<script type="application/json">`` with ``<``, ``>``
  and ``&`` escaped, and the page renders it with ``textContent`` only; a Content-Security-Policy
  allows just the page's own two scripts (by hash), no network connections and no remote images;
- the page's behaviour lives in ``templates/explorer.js`` (search, filters, cards, highlights,
  permalinks in the URL fragment), its look in ``templates/explorer.css``.

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
STATUSES = ("established", "supported", "hypothesised", "contested", "refuted")
STRENGTHS = ("none", "minimal", "weak", "moderate", "strong")
#: Above this many concepts or claims the page hides edges while dragging and zooming.
BIG_NODES, BIG_EDGES = 1000, 4000

_TEMPLATES = resources.files("gutkg.export") / "templates"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                 "\u2029": "\\u2029"}


def to_html(graph: nx.MultiDiGraph, *, title: str | None = None, layout: str = "auto",
            seed: int = 0, selection: Selection | None = None, **select_opts: Any) -> str:
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

    ``path`` is positional-only, so ``path=(A, B)`` still reaches the selection.
    """
    out = Path(path)
    try:
        out.write_text(to_html(graph, **opts), encoding="utf-8")
    except OSError as exc:
        raise GutKGError(f"cannot write {out}: {exc.strerror}; choose another path with -o") from None
    return out


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
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
                'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
                'title="gutkg explorer"></iframe>')

    def save(self, path: str | Path, /) -> Path:
        out = Path(path)
        out.write_text(self.html, encoding="utf-8")
        return out


def explore(graph: nx.MultiDiGraph, **opts: Any) -> Explorer:
    """An inline explorer for a notebook cell: ``explore(load_network(), focus="zonulin")``."""
    return Explorer(graph, **opts)


def page_data(sel: Selection, positions: dict[Any, tuple[float, float]], *,
              title: str | None = None) -> dict[str, Any]:
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
        item: dict[str, Any] = {"id": str(node), "label": str(d.get("label", node)),
                                "category": category, "x": x, "y": y}
        _put(item, "definition", d.get("definition"))
        _put(item, "synonyms", [str(s) for s in d.get("synonyms", ())])
        _put(item, "broader", [str(b) for b in d.get("broader", ()) if b in graph])
        _put(item, "mappings", [{"curie": str(m.get("curie", "")), "iri": str(m.get("iri", "")),
                                 "match": str(m.get("match", ""))} for m in d.get("mappings", ())])
        nodes.append(item)
    rank: dict[tuple[Any, Any], int] = {}
    refs: dict[str, dict[str, str]] = {}
    edges: list[dict[str, Any]] = []
    systems: set[str] = set()
    for u, v, k, d in graph.edges(keys=True, data=True):
        item = {"id": ids[u, v, k], "from": str(u), "to": str(v),
                "sign": int(d.get("sign", 1)), "status": str(d.get("status", "supported")),
                "strength": int(d.get("strength", 0)), "grade": str(d.get("strength_label", "none"))}
        if graph.number_of_edges(u, v) + graph.number_of_edges(v, u) > 1 and u != v:
            rank[u, v] = rank.get((u, v), 0) + 1
            item["curve"] = round(0.18 * rank[u, v], 2)
        _put(item, "mechanism", d.get("mechanism"))
        _put(item, "hypotheses", [str(h) for h in d.get("hypotheses", ())])
        _put(item, "opposed", bool(d.get("opposed")))
        evidence = [_evidence(e, refs) for e in d.get("evidence", ())]
        systems.update(s.strip() for ev in evidence for s in ev.get("system", "unspecified").split(","))
        _put(item, "ev", evidence)
        edges.append(item)
    claim_ids = {k: ids[u, v, k] for u, v, k in graph.edges(keys=True)}
    hypotheses = [{"id": str(h), "label": str(d.get("label", h)),
                   "definition": str(d.get("definition", "")), "question": str(d.get("question", "")),
                   "claims": sorted({claim_ids[c] for c in d.get("claims", ()) if c in claim_ids})}
                  for h, d in graph.graph.get("hypotheses", {}).items()]
    questions = [{"id": str(q), "label": str(d.get("label", q)),
                  "definition": str(d.get("definition", "")),
                  "hypotheses": [str(h) for h in d.get("hypotheses", ())]}
                 for q, d in graph.graph.get("questions", {}).items()]
    highlights = [{"kind": h.kind, "label": h.label, "id": h.id, "nodes": [str(n) for n in h.nodes],
                   "edges": [ids[e] for e in h.edges if e in ids]} for h in sel.highlights]
    return {
        "title": title or "gutkg explorer", "version": __version__,
        "categories": [{"id": c, "label": lab, "color": col} for c, (lab, col) in CATEGORIES.items()],
        "statuses": list(STATUSES), "strengths": list(STRENGTHS), "systems": sorted(systems),
        "big": graph.number_of_nodes() > BIG_NODES or graph.number_of_edges() > BIG_EDGES,
        "nodes": nodes, "edges": edges, "refs": refs, "questions": questions,
        "hypotheses": hypotheses,
        "highlights": highlights, "focus": None if sel.focus is None else str(sel.focus),
        "notes": list(sel.notes), "truncated": sel.truncated,
    }


def render(data: dict[str, Any]) -> str:
    """Fill the template: CSS, data JSON, vis-network and the app script, plus a hashed CSP."""
    scripts = [vis_network_js(), _asset("explorer.js")]
    csp = ("default-src 'none'; script-src " + " ".join(_hash(s) for s in scripts)
           + "; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
           "connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'")
    parts = {"TITLE": html.escape(str(data.get("title", ""))), "CSP": csp,
             "CSS": _asset("explorer.css"), "DATA": json_for_script(data),
             "VIS": scripts[0], "APP": scripts[1]}
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
    """vis-network's standalone build, read from the installed pyvis (newest bundled version)."""
    lib = resources.files("pyvis") / "templates" / "lib"
    try:
        versions = sorted((d for d in lib.iterdir() if d.name.startswith("vis-")),
                          key=lambda d: [int(p) for p in re.findall(r"\d+", d.name)])
    except (FileNotFoundError, NotADirectoryError):
        versions = []
    for folder in reversed(versions):
        js = folder / "vis-network.min.js"
        if js.is_file():
            text = js.read_text(encoding="utf-8")
            # inlined in <script>: keep "</script" and "<!--" from ending or confusing the element
            return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")
    raise GutKGError("vis-network.min.js not found in the installed pyvis package; "
                     "reinstall it: pip install --force-reinstall 'pyvis>=0.3.2'")


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
    for key, src in (("type", "type_label"), ("design", "design_label"), ("model", "model"),
                     ("direction", "direction"), ("description", "description"),
                     ("system", "system")):
        _put(item, key, str(e.get(src) or ""))
    _put(item, "species", ", ".join(str(s) for s in e.get("species", ())))
    _put(item, "zonulin", bool(e.get("zonulin_assay")))
    return item


def _edge_ids(graph: nx.MultiDiGraph) -> dict[tuple[Any, Any, Any], str]:
    """Claim id per edge: the edge key, or ``cause|effect|key`` if keys repeat (e.g. ints)."""
    keys = [str(k) for _, _, k in graph.edges(keys=True)]
    unique = len(set(keys)) == len(keys)
    return {(u, v, k): str(k) if unique else f"{u}|{v}|{k}" for u, v, k in graph.edges(keys=True)}
