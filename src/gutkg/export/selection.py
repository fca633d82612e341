"""Which part of the graph an export shows, and what it highlights.

Every visual export (the HTML explorer, figures, slides) answers the same request: "this
neighbourhood, with this path lit up, keeping only human evidence". :func:`select` turns such a
request into a :class:`Selection`: a sub-``MultiDiGraph`` of :func:`gutkg.network.to_network`'s
graph (same attributes) plus a list of :class:`Highlight` s (paths, loops, a hypothesis).

Order of operations, chosen so that a highlight is never cut off by the neighbourhood:

1. evidence filters (:func:`gutkg.analysis.filters.apply_filter`) drop evidence and claims;
2. ``question`` keeps only the claims of that question's rival hypotheses;
3. paths (``path=(A, B)``, shortest first) and loops (``loops=True``, ranked as ``gutkg loops``
   ranks them: :func:`ranked_loops`) are searched in what is left;
4. ``focus`` keeps the concepts within ``depth`` steps of the focus (either direction), and then
   the nodes and claims of every highlight are added back.

Searches are bounded (length cap, result limit, time budget) and report ``truncated`` rather than
running long. Loops come from :func:`gutkg.analysis.loops.find_loops` (causal claims only, ranked
as ``gutkg loops`` ranks them: strongest weakest link, then shortest), so a figure shows the loops
the analysis puts first.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_edge("a", "b", key="a__increases__b", status="supported", sign=1)
'a__increases__b'
>>> g.add_edge("b", "a", key="b__increases__a", status="supported", sign=1)
'b__increases__a'
>>> g.add_edge("b", "c", key="b__increases__c", status="supported", sign=1)
'b__increases__c'
>>> s = select(g, path=("a", "c"), loops=True)
>>> [h.label for h in s.highlights]
['path a → b → c', 'loop a → b → a']
>>> sorted(s.highlighted().nodes)
['a', 'b', 'c']
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError, UnknownConceptError

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter

EdgeKey = tuple[str, str, str]


@dataclass
class Highlight:
    """Something to light up: a path, a loop, or a hypothesis.

    ``nodes`` are concept ids in order (for a path or loop, the walk; a loop does not repeat its
    first node), ``edges`` are ``(cause, effect, claim id)`` triples: every parallel claim of
    each step, so a step supported by two claims shows both.
    """

    kind: str  # "path" | "loop" | "hypothesis"
    label: str
    nodes: list[str]
    edges: list[EdgeKey]
    id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "id": self.id,
            "nodes": list(self.nodes),
            "edges": [list(e) for e in self.edges],
        }


@dataclass
class Selection:
    """A sub-graph to show and what to highlight in it (see the module docstring)."""

    graph: nx.MultiDiGraph
    highlights: list[Highlight] = field(default_factory=list)
    focus: str | None = None
    notes: list[str] = field(default_factory=list)
    truncated: bool = False
    #: The evidence filter applied (so an analysis of the whole graph can use the same one).
    evidence: EvidenceFilter | None = None

    def highlighted(self) -> nx.MultiDiGraph:
        """Only the highlighted nodes and claims (the whole selection when nothing is highlighted).

        Figures and slides use this to draw just the path or loop asked for.
        """
        if not self.highlights:
            return self.graph
        nodes = {n for h in self.highlights for n in h.nodes}
        edges = {e for h in self.highlights for e in h.edges}
        if self.focus is not None:
            nodes.add(self.focus)
        out = self.graph.__class__()
        out.graph.update(self.graph.graph)
        out.add_nodes_from((n, self.graph.nodes[n]) for n in self.graph if n in nodes)
        out.add_edges_from((u, v, k, d) for u, v, k, d in self.graph.edges(keys=True, data=True) if (u, v, k) in edges)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.graph.number_of_nodes(),
            "claims": self.graph.number_of_edges(),
            "focus": self.focus,
            "notes": list(self.notes),
            "truncated": self.truncated,
            "highlights": [h.as_dict() for h in self.highlights],
        }


def select(
    graph: nx.MultiDiGraph,
    *,
    evidence: EvidenceFilter | None = None,
    focus: str | None = None,
    depth: int = 1,
    path: Sequence[str] | None = None,
    loops: bool = False,
    question: str | None = None,
    hypothesis: str | None = None,
    max_length: int = 5,
    loop_length: int = 4,
    limit: int = 50,
    time_budget: float = 2.0,
) -> Selection:
    """Select and highlight part of ``graph`` (a :func:`gutkg.network.to_network` graph).

    ``focus``: a concept (id, label or synonym) and ``depth`` steps around it. ``path``: (A, B),
    highlight causal paths A → … → B of at most ``max_length`` claims. ``loops``: highlight
    feedback loops of at most ``loop_length`` claims (through ``focus`` when it is given).
    ``question``: keep only the claims of its hypotheses (id or label). ``hypothesis``: highlight
    its claims. ``limit`` caps the number of paths and loops; ``time_budget`` (seconds) caps each
    search; either sets ``truncated``. Raises :class:`~gutkg.errors.UnknownConceptError` for a
    name that matches no concept and :class:`~gutkg.errors.GutKGError` for an unknown question
    or hypothesis.
    """
    from gutkg.analysis.filters import apply_filter

    if depth < 0 or max_length < 1 or loop_length < 1 or limit < 1:
        raise GutKGError("depth must be >= 0, and max_length, loop_length and limit >= 1")
    sel = Selection(graph, evidence=evidence)
    work = apply_filter(graph, evidence) if evidence is not None and not evidence.is_empty else graph
    if evidence is not None and not evidence.is_empty:
        sel.notes.append(evidence.describe())
    if question is not None:
        qid = resolve_question(graph, question)
        claims = {
            c
            for h in graph.graph.get("hypotheses", {}).values()
            if h.get("question") == qid
            for c in h.get("claims", [])
        }
        work = restrict_to_claims(work, claims)
        sel.notes.append("question: " + graph.graph["questions"][qid].get("label", qid))
    focus_id = resolve_concept(graph, focus) if focus is not None else None
    if path is not None:
        if len(path) != 2:
            raise GutKGError("path takes two concepts: --path CAUSE EFFECT")
        a, b = (resolve_concept(graph, name) for name in path)
        found, cut = simple_paths(work, a, b, max_length=max_length, limit=limit, time_budget=time_budget)
        sel.truncated |= cut
        sel.highlights += [_walk("path", work, p) for p in found]
        if not found:
            sel.notes.append(f"no path from {_label(graph, a)} to {_label(graph, b)} within {max_length} claims")
    if loops:
        ranked, cut, total = ranked_loops(work, focus_id, max_length=loop_length, limit=limit, time_budget=time_budget)
        sel.truncated |= cut
        sel.highlights += ranked
        if total > len(ranked):
            sel.notes.append(
                f"the best {len(ranked)} of {total} loops (strongest weakest link, "
                "then shortest, as gutkg loops ranks them)"
            )
        if not ranked:
            where = f" through {_label(graph, focus_id)}" if focus_id else ""
            sel.notes.append(f"no feedback loop{where} within {loop_length} claims")
    if hypothesis is not None:
        hid = resolve_hypothesis(graph, hypothesis)
        h = graph.graph["hypotheses"][hid]
        claims = set(h.get("claims", []))
        edges = sorted(e for e in work.edges(keys=True) if e[2] in claims)
        nodes = sorted({n for e in edges for n in e[:2]})
        sel.highlights.append(Highlight("hypothesis", "hypothesis: " + h.get("label", hid), nodes, edges, id=hid))
    if focus_id is not None:
        sel.focus = focus_id
        keep = neighbourhood(work, focus_id, depth)
        keep |= {n for h in sel.highlights for n in h.nodes}
        lit = {e for h in sel.highlights for e in h.edges}
        sub = work.__class__()
        sub.graph.update(work.graph)
        sub.add_nodes_from((n, work.nodes[n]) for n in work if n in keep)
        sub.add_edges_from(
            (u, v, k, d)
            for u, v, k, d in work.edges(keys=True, data=True)
            if (u in keep and v in keep) or (u, v, k) in lit
        )
        work = sub
        sel.notes.append(f"within {depth} step{'s' if depth != 1 else ''} of {_label(graph, focus_id)}")
    if sel.truncated:
        sel.notes.append(f"search truncated (limit {limit} or {time_budget:g} s budget)")
    sel.graph = work
    return sel


def resolve_concept(graph: nx.MultiDiGraph, name: str) -> str:
    """The node of ``graph`` that ``name`` denotes: id, ``gkc:`` CURIE, label or synonym.

    Matching ignores case, hyphens and extra spaces (:func:`gutkg.concepts.normalise`); an unknown
    or ambiguous name raises :class:`UnknownConceptError` with the closest labels.
    """
    import difflib

    from gutkg.concepts import normalise

    if name in graph:
        return name
    key = normalise(name.removeprefix("gkc:"))
    hits: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        label = str(data.get("label", node))
        labels[normalise(label)] = label
        for alias in (node, label, *data.get("synonyms", ())):
            hits.setdefault(normalise(str(alias)), set()).add(node)
    found = hits.get(key, set())
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise UnknownConceptError(name, sorted(_label(graph, n) for n in found), ambiguous=True)
    close = difflib.get_close_matches(key, list(labels), n=5, cutoff=0.6)
    close += [k for k in labels if key and key in k and k not in close][: 5 - len(close)]
    raise UnknownConceptError(name, [labels[k] for k in close])


def resolve_question(graph: nx.MultiDiGraph, name: str) -> str:
    """A question id from its id or label (case-insensitive substring of the label is enough)."""
    return _resolve_named(graph.graph.get("questions", {}), name, "question")


def resolve_hypothesis(graph: nx.MultiDiGraph, name: str) -> str:
    """A hypothesis id from its id or label (case-insensitive substring of the label is enough)."""
    return _resolve_named(graph.graph.get("hypotheses", {}), name, "hypothesis")


def _resolve_named(items: dict[str, dict[str, Any]], name: str, kind: str) -> str:
    from gutkg.concepts import normalise

    if name in items:
        return name
    key = normalise(name)
    exact = [i for i, d in items.items() if normalise(str(d.get("label", ""))) == key]
    partial = exact or [i for i, d in items.items() if key in normalise(str(d.get("label", i)))]
    if len(partial) == 1:
        return partial[0]
    known = "; ".join(f"{i} ({d.get('label', i)})" for i, d in items.items()) or "none"
    if partial:
        raise GutKGError(f"{kind} {name!r} is ambiguous: it matches " + ", ".join(partial) + ". Use the id.")
    raise GutKGError(f"unknown {kind} {name!r}. Known: {known}")


def restrict_to_claims(graph: nx.MultiDiGraph, claims: Iterable[str]) -> nx.MultiDiGraph:
    """The claims (edge keys) listed and the concepts they join (graph attributes kept)."""
    wanted = set(claims)
    out = graph.__class__()
    out.graph.update(graph.graph)
    edges = [(u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if k in wanted]
    nodes = {n for u, v, _, _ in edges for n in (u, v)}
    out.add_nodes_from((n, graph.nodes[n]) for n in graph if n in nodes)
    out.add_edges_from(edges)
    return out


def neighbourhood(graph: nx.MultiDiGraph, centre: str, depth: int) -> set[str]:
    """Concepts within ``depth`` claims of ``centre``, following claims either way.

    >>> import networkx as nx
    >>> sorted(neighbourhood(nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d")]), "a", 2))
    ['a', 'b', 'c']
    """
    seen = {centre}
    frontier = [centre]
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for m in (*graph.successors(n), *graph.predecessors(n)):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    return seen


def simple_paths(
    graph: nx.MultiDiGraph, source: str, target: str, *, max_length: int = 5, limit: int = 50, time_budget: float = 2.0
) -> tuple[list[list[str]], bool]:
    """Causal paths ``source`` → … → ``target`` (node lists, shortest first) and a truncated flag.

    Uses ``networkx.shortest_simple_paths`` (Yen's algorithm) on the collapsed digraph (parallel
    claims are one step), so a cut-off list keeps the shortest paths; it stops at paths longer
    than ``max_length`` claims, after ``limit`` paths or after ``time_budget`` seconds.

    >>> import networkx as nx
    >>> simple_paths(nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "c")]), "a", "c")
    ([['a', 'c'], ['a', 'b', 'c']], False)
    """
    import networkx as nx

    if source not in graph or target not in graph or source == target:
        return [], False
    found: list[list[str]] = []
    truncated = False
    deadline = time.monotonic() + time_budget
    try:
        for p in nx.shortest_simple_paths(nx.DiGraph(graph), source, target):
            if len(p) - 1 > max_length:
                break
            if len(found) >= limit or time.monotonic() > deadline:
                truncated = True
                break
            found.append(list(p))
    except nx.NetworkXNoPath:
        pass
    found.sort(key=lambda p: (len(p), p))
    return found, truncated


def loops_through(
    graph: nx.MultiDiGraph, node: str | None = None, *, max_length: int = 4, limit: int = 50, time_budget: float = 2.0
) -> tuple[list[list[str]], bool]:
    """Feedback loops of at most ``max_length`` claims (through ``node`` if given), and a flag.

    Each loop is listed once, rotated to start at ``node`` (or at its smallest node), shortest
    first. Self-loops count. Only nodes in the same strongly connected component can share a
    loop, so the search runs per component with a bounded depth-first search.

    >>> import networkx as nx
    >>> loops_through(nx.MultiDiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "a")]))
    ([['a', 'b'], ['a', 'b', 'c']], False)
    """
    import networkx as nx

    digraph = nx.DiGraph(graph)
    deadline = time.monotonic() + time_budget
    found: list[list[str]] = []
    truncated = False
    comps = [
        c for c in nx.strongly_connected_components(digraph) if len(c) > 1 or any(digraph.has_edge(n, n) for n in c)
    ]
    order = {n: i for i, n in enumerate(sorted(digraph, key=str))}
    for comp in sorted(comps, key=lambda c: min(order[n] for n in c)):
        if node is not None and node not in comp:
            continue
        starts = [node] if node is not None else sorted(comp, key=order.__getitem__)
        for start in starts:
            # without a given node, a loop is found from its smallest node only (no duplicates)
            allowed = comp if node is not None else {n for n in comp if order[n] >= order[start]}
            for cycle in _cycles_from(digraph, start, allowed, max_length):
                if len(found) >= limit or time.monotonic() > deadline:
                    truncated = True
                    break
                found.append(cycle)
            if truncated:
                break
        if truncated:
            break
    found.sort(key=lambda c: (len(c), [order[n] for n in c]))
    return found, truncated


def ranked_loops(
    graph: nx.MultiDiGraph, node: str | None = None, *, max_length: int = 4, limit: int = 50, time_budget: float = 2.0
) -> tuple[list[Highlight], bool, int]:
    """The best ``limit`` feedback loops (through ``node``), ranked as ``gutkg loops`` ranks them.

    Uses :func:`gutkg.analysis.loops.find_loops` (strongest weakest link, then shortest, then best
    status), so a figure or deck shows the loops the analysis puts first, not the first ones found.
    Readings of the same walk through different parallel claims become one highlight with all
    their claims. Returns the highlights (each rotated to start at ``node``), whether the search
    was cut short, and how many loops (per-claim readings) exist in all.
    """
    from gutkg.analysis.loops import find_loops

    result = find_loops(graph, through=node, max_length=max_length, limit=3 * limit, budget=time_budget, evidence=False)
    walks: dict[tuple[str, ...], list[EdgeKey]] = {}
    for lp in result.loops:
        order = list(lp.nodes)
        if node is not None and node in order:
            i = order.index(node)
            order = order[i:] + order[:i]
        edges = walks.setdefault(tuple(order), [])
        edges += [(h.cause, h.effect, h.claim) for h in lp.hops if (h.cause, h.effect, h.claim) not in edges]
    shown = list(walks.items())[:limit]
    out = []
    for walk, edges in shown:
        h = _walk("loop", graph, list(walk))
        h.edges = edges
        out.append(h)
    return out, result.truncated or result.loops_found > len(out), result.loops_found


def _cycles_from(digraph: nx.DiGraph, start: str, allowed: set[str], max_length: int) -> Iterator[list[str]]:
    """Simple cycles start → … → start of at most ``max_length`` edges, within ``allowed``."""
    path = [start]
    on_path = {start}
    stack = [iter(sorted(digraph.successors(start), key=str))]
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if nxt == start:
            yield list(path)
        elif nxt in allowed and nxt not in on_path and len(path) < max_length:
            path.append(nxt)
            on_path.add(nxt)
            stack.append(iter(sorted(digraph.successors(nxt), key=str)))


def _walk(kind: str, graph: nx.MultiDiGraph, nodes: list[str]) -> Highlight:
    steps = list(pairwise(nodes))
    if kind == "loop":
        steps.append((nodes[-1], nodes[0]))
    edges = [(u, v, k) for u, v in steps for k in sorted(graph[u][v])]
    walk = [*nodes, nodes[0]] if kind == "loop" else nodes
    label = f"{kind} " + " → ".join(_label(graph, n) for n in walk)
    return Highlight(kind, label, list(nodes), edges)


def _label(graph: nx.MultiDiGraph, node: str | None) -> str:
    if node is None:
        return ""
    return str(graph.nodes[node].get("label", node)) if node in graph else node
