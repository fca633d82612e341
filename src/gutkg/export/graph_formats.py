"""Standard interchange files of the graph (or a selection) for other tools.

One function per format, each ``to_<format>(graph, ...) -> bytes``, and a registry
(:data:`GRAPH_FORMATS`) that ``gutkg export graph --format`` and file suffixes pick from:

========  =========================================  ===========================================
format    for                                        how attributes travel
========  =========================================  ===========================================
graphml   yEd, Cytoscape, networkx, igraph           flattened: lists joined with "; ",
gexf      Gephi                                      evidence as a JSON string; Gephi colours
cyjs      Cytoscape (desktop and cytoscape.js)       nested JSON, nothing lost
csv       spreadsheets                               one row per claim, flattened
mermaid   Mermaid-based slides and Markdown          label, sign, status, strength, citations
dot       Graphviz                                   figure styling + flattened data attributes
turtle,   RDF tools (Protégé, triplestores)          the selected resources' own triples, taken
ntriples,                                            from the store (:mod:`gutkg.export.rdf`)
jsonld
========  =========================================  ===========================================

Citations are kept everywhere: short citations, reference keys and DOIs on every claim.

>>> flatten_value(["human", "mouse"])
'human; mouse'
>>> sorted(GRAPH_FORMATS)[:4]
['csv', 'cyjs', 'dagitty', 'dot']
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError, InputError
from gutkg.export.fields import dois_of, flatten_value, references_of

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.store import Store

#: Edge attributes that are summaries kept as they are (scalars) or joined (lists).
_EDGE_FIELDS = (
    "claim",
    "iri",
    "sign",
    "sign_label",
    "status",
    "strength",
    "strength_label",
    "systems",
    "directions",
    "designs",
    "citations",
    "opposed",
    "hypotheses",
    "mechanism",
)


def flat_node(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """A concept's attributes as scalars."""
    data = graph.nodes[node]
    out: dict[str, Any] = {
        "label": flatten_value(str(data.get("label") or node)),
        "category": str(data.get("category", "unknown")),
        "iri": flatten_value(str(data.get("iri", ""))),
    }
    for key in ("definition", "synonyms", "broader", "mappings"):
        if key in data:
            out[key] = flatten_value(data[key])
    return out


def flat_edge(data: dict[str, Any]) -> dict[str, Any]:
    """A claim's attributes as scalars; the evidence list survives as a JSON string."""
    out = {k: flatten_value(data[k]) for k in _EDGE_FIELDS if k in data}
    out["references"] = "; ".join(references_of(data))
    out["dois"] = "; ".join(dois_of(data))
    out["evidence_count"] = len(data.get("evidence", []))
    out["evidence"] = flatten_value(data.get("evidence", []))
    return out


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose every attribute is a scalar (GraphML and GEXF need that)."""
    import networkx as nx

    out = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        out.add_node(node, **flat_node(graph, node))
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        out.add_edge(u, v, key=key, **flat_edge(data))
    return out


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    """GraphML (networkx's writer; edge ids are claim ids)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(graph), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 for Gephi, with node colours from the shared palette."""
    import networkx as nx

    from gutkg.export import style

    flat = flat_graph(graph)
    for _, _, key, data in flat.edges(keys=True, data=True):
        data["id"] = key  # GEXF edge id = claim id (Gephi shows it)
    for node, data in flat.nodes(data=True):
        colour = style.node_fill(data["category"]).lstrip("#")
        data["viz"] = {
            "color": {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:6], 16), "a": 1.0}
        }
        flat.nodes[node].update(data)
    buffer = io.BytesIO()
    nx.write_gexf(flat, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    return buffer.getvalue()


def to_cyjs(graph: nx.MultiDiGraph, *, title: str = "") -> bytes:
    """Cytoscape JSON (``elements.nodes`` / ``elements.edges``, as Cytoscape desktop writes it)."""
    from gutkg.export import style

    nodes = []
    for node in sorted(graph.nodes):
        data = {"id": str(node), **{k: v for k, v in graph.nodes[node].items()}}
        data["label"] = str(data.get("label") or node)
        data["color"] = style.node_fill(str(data.get("category", "unknown")))
        nodes.append({"data": data})
    edges = []
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        look = style.edge_style(data)
        edges.append(
            {
                "data": {
                    "id": str(key),
                    "source": str(u),
                    "target": str(v),
                    **data,
                    "references": references_of(data),
                    "dois": dois_of(data),
                    "color": look["color"],
                    "line_style": look["style"],
                    "width": look["penwidth"],
                }
            }
        )
    doc = {
        "format_version": "1.0",
        "generated_by": "gutkg",
        "target_cytoscapejs_version": "~3.0",
        "data": {"name": title or "gutkg", "shared_name": title or "gutkg"},
        "elements": {"nodes": nodes, "edges": edges},
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")


#: CSV columns, in order.
CSV_COLUMNS = (
    "claim",
    "cause",
    "cause_label",
    "cause_category",
    "sign",
    "effect",
    "effect_label",
    "effect_category",
    "status",
    "strength",
    "systems",
    "directions",
    "designs",
    "citations",
    "references",
    "dois",
    "opposed",
    "hypotheses",
    "mechanism",
    "evidence_count",
    "claim_iri",
)


def to_csv(graph: nx.MultiDiGraph) -> bytes:
    """One row per claim (concepts without a claim get a row of their own with no claim)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    touched: set[str] = set()
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        touched.update((u, v))
        nu, nv, flat = graph.nodes[u], graph.nodes[v], flat_edge(data)
        writer.writerow(
            [
                key,
                u,
                nu.get("label", u),
                nu.get("category", ""),
                data.get("sign_label", ""),
                v,
                nv.get("label", v),
                nv.get("category", ""),
                flat.get("status", ""),
                flat.get("strength_label", ""),
                flat.get("systems", ""),
                flat.get("directions", ""),
                flat.get("designs", ""),
                flat.get("citations", ""),
                flat["references"],
                flat["dois"],
                flat.get("opposed", ""),
                flat.get("hypotheses", ""),
                flat.get("mechanism", ""),
                flat["evidence_count"],
                flat.get("iri", ""),
            ]
        )
    for node in sorted(set(graph.nodes) - touched):
        data = graph.nodes[node]
        writer.writerow(["", node, data.get("label", node), data.get("category", "")] + [""] * (len(CSV_COLUMNS) - 4))
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class GraphFormat:
    """An interchange format: its writer, file suffix and whether it needs the RDF store."""

    name: str
    suffix: str
    writer: Callable[..., bytes]
    needs_store: bool = False
    description: str = ""


def _rdf(fmt: str) -> Callable[..., bytes]:
    def write(graph: nx.MultiDiGraph, *, store: Store | None = None) -> bytes:
        from gutkg.export.rdf import to_rdf

        if store is None:
            raise GutKGError(f"exporting {fmt} needs the store the selection came from")
        return to_rdf(graph, store, fmt)

    write.__name__ = f"to_{fmt}"
    return write


def _diagram(fmt: str) -> Callable[..., bytes]:
    def write(graph: nx.MultiDiGraph, *, title: str = "") -> bytes:
        from gutkg.export import diagrams

        result: bytes = getattr(diagrams, f"to_{fmt}")(graph, title=title)
        return result

    write.__name__ = f"to_{fmt}"
    return write


def to_dagitty(graph: nx.MultiDiGraph) -> bytes:
    """The causal claims of ``graph`` in DAGitty syntax (nodes by concept id; the label is not
    part of DAGitty's syntax). Loops are kept: DAGitty shows them and refuses to adjust on them,
    which is why ``gutkg adjust --format dagitty`` exports the unrolled DAG it used instead."""
    import networkx as nx

    from gutkg.analysis.adjust import to_dagitty as render
    from gutkg.analysis.core import causal_view

    view = causal_view(graph)
    dag = nx.DiGraph(view.edges())
    dag.add_nodes_from(view.nodes)
    return (render(dag, "", "") + "\n").encode("utf-8")


#: Every interchange format, by the name ``--format`` takes.
GRAPH_FORMATS: dict[str, GraphFormat] = {
    f.name: f
    for f in (
        GraphFormat("graphml", ".graphml", to_graphml, description="GraphML (yEd, Cytoscape, networkx)"),
        GraphFormat("gexf", ".gexf", to_gexf, description="GEXF 1.2 (Gephi)"),
        GraphFormat("cyjs", ".cyjs", to_cyjs, description="Cytoscape JSON"),
        GraphFormat("jsonld", ".jsonld", _rdf("jsonld"), True, "JSON-LD (RDF)"),
        GraphFormat("turtle", ".ttl", _rdf("turtle"), True, "Turtle (RDF)"),
        GraphFormat("ntriples", ".nt", _rdf("ntriples"), True, "N-Triples (RDF)"),
        GraphFormat("csv", ".csv", to_csv, description="CSV, one row per claim"),
        GraphFormat("mermaid", ".mmd", _diagram("mermaid"), description="Mermaid flowchart"),
        GraphFormat("dot", ".dot", _diagram("dot"), description="Graphviz DOT"),
        GraphFormat("dagitty", ".dagitty", to_dagitty, description="DAGitty model (causal claims)"),
    )
}
_SUFFIXES = {f.suffix: f.name for f in GRAPH_FORMATS.values()} | {
    ".json": "cyjs",
    ".mermaid": "mermaid",
    ".gv": "dot",
    ".n3": "turtle",
    ".json-ld": "jsonld",
}


def graph_format(name: str | None, path: str | Path | None = None) -> GraphFormat:
    """The format called ``name`` (or implied by ``path``'s suffix), else :class:`InputError`."""
    if not name and path is not None:
        name = _SUFFIXES.get(Path(path).suffix.lower())
        if name is None:
            raise InputError(
                f"cannot tell the format of {path} from its suffix: give --format ({', '.join(GRAPH_FORMATS)})"
            )
    key = (name or "").lower()
    if key not in GRAPH_FORMATS:
        raise InputError(f"unknown format {name!r}: use one of {', '.join(GRAPH_FORMATS)}")
    return GRAPH_FORMATS[key]


def export_graph(graph: nx.MultiDiGraph, fmt: str, *, store: Store | None = None, title: str = "") -> bytes:
    """``graph`` in format ``fmt`` (a name from :data:`GRAPH_FORMATS`)."""
    spec = graph_format(fmt)
    if graph.number_of_nodes() == 0:
        raise GutKGError(
            "the selection is empty: nothing to export. Check the concept names and "
            "loosen the evidence filters (gutkg search TEXT lists concepts)."
        )
    return _call(spec.writer, graph, store=store, title=title)


def _call(writer: Callable[..., bytes], graph: nx.MultiDiGraph, **options: Any) -> bytes:
    """``writer(graph, **options)`` with only the options it declares: a format without a title or a
    store leaves them out by its signature, never by swallowing unknown keywords (a mistyped option
    to a writer is a TypeError)."""
    import inspect

    accepted = inspect.signature(writer).parameters
    return writer(graph, **{k: v for k, v in options.items() if k in accepted})


def write_graph(
    graph: nx.MultiDiGraph, path: str | Path, fmt: str | None = None, *, store: Store | None = None, title: str = ""
) -> GraphFormat:
    """Export ``graph`` to ``path`` atomically (format from ``fmt`` or the suffix)."""
    from gutkg.atomic import check_writable, write_atomic

    spec = graph_format(fmt, path)
    check_writable(path)
    write_atomic(path, export_graph(graph, spec.name, store=store, title=title))
    return spec


# Registry entry points (gutkg.export.EXPORTERS): ``to_<name>`` / ``write_<name>`` per format.


def to_jsonld(graph: nx.MultiDiGraph, *, store: Store | None = None) -> bytes:
    """The selection ``graph`` as JSON-LD, read from ``store`` (required: the one it was made from)."""
    return GRAPH_FORMATS["jsonld"].writer(graph, store=store)


def to_turtle(graph: nx.MultiDiGraph, *, store: Store | None = None) -> bytes:
    """The selection ``graph`` as Turtle, read from ``store`` (required: the one it was made from)."""
    return GRAPH_FORMATS["turtle"].writer(graph, store=store)


def to_ntriples(graph: nx.MultiDiGraph, *, store: Store | None = None) -> bytes:
    """The selection ``graph`` as N-Triples, read from ``store`` (required: the one it was made from)."""
    return GRAPH_FORMATS["ntriples"].writer(graph, store=store)


def to_mermaid(graph: nx.MultiDiGraph, *, title: str = "") -> bytes:
    """``graph`` as a Mermaid flowchart (:func:`gutkg.export.diagrams.to_mermaid`)."""
    return GRAPH_FORMATS["mermaid"].writer(graph, title=title)


def to_dot(graph: nx.MultiDiGraph, *, title: str = "") -> bytes:
    """``graph`` as Graphviz DOT (:func:`gutkg.export.diagrams.to_dot`)."""
    return GRAPH_FORMATS["dot"].writer(graph, title=title)


def _writer(name: str) -> Callable[..., Path]:
    def write(graph: nx.MultiDiGraph, path: str | Path, /, *, store: Store | None = None, title: str = "") -> Path:
        write_graph(graph, path, name, store=store, title=title)
        return Path(path)

    write.__name__ = write.__qualname__ = f"write_{name}"
    write.__doc__ = f"Write ``graph`` as {GRAPH_FORMATS[name].description} to ``path`` (atomically)."
    return write


write_graphml = _writer("graphml")
write_gexf = _writer("gexf")
write_cyjs = _writer("cyjs")
write_jsonld = _writer("jsonld")
write_turtle = _writer("turtle")
write_ntriples = _writer("ntriples")
write_csv = _writer("csv")
write_mermaid = _writer("mermaid")
write_dot = _writer("dot")
