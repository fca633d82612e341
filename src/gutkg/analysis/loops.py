"""Feedback loops ("what keeps this going"): bounded cycle search, labelled and ranked.

A loop is a causal cycle. It is *reinforcing* when the product of its signs is + (more of any member
ends up producing more of it: a vicious or virtuous circle) and *balancing* when it is − (the loop
damps itself).

Why not ``networkx.simple_cycles(G, length_bound=k)``? It is correct but slow on our shape of graph
(seconds at 1k concepts / 5k claims, minutes at 10k / 50k: see ``scripts/bench_analysis.py``).
:func:`bounded_cycles` finds exactly the same cycles (a property test checks it on random graphs)
with a plain depth-first search that is bounded by construction:

1. only edges inside a strongly connected component can lie on a cycle (Tarjan), so the search
   never leaves a component;
2. as in Johnson's algorithm, each cycle is reported once, from its smallest node ``s``: the search
   from ``s`` walks only nodes greater than ``s``;
3. before searching from ``s``, a backward breadth-first search gives every node's distance back to
   ``s`` (within the length bound); a partial path is extended to ``w`` only if it can still close
   within the bound. Dead ends are never entered, which is where ``simple_cycles`` spends its time.

A time budget and a result limit stop the search; the result then carries ``truncated`` and a reason.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from gutkg.analysis.core import (
    CAUSAL_RULE,
    CAUSAL_RULE_WITH_REFUTED,
    Budget,
    Chain,
    Outcome,
    SearchState,
    TopChains,
    causal_claims,
    causal_view,
    filter_note,
    filtered,
)

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter


@dataclass
class Loop(Chain):
    """A feedback loop: ``nodes`` in order (the first is not repeated), one claim per hop."""

    @property
    def kind(self) -> str:
        return "reinforcing" if self.sign > 0 else "balancing"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **super().as_dict()}


@dataclass(repr=False)
class LoopResult(Outcome):
    """Loops found, best first, and whether the search was cut short (and why)."""

    loops: list[Loop]
    through: str | None
    max_length: int
    cycles_found: int
    loops_found: int
    #: Loops whose every claim carries counted evidence; the rest need a hypothesised claim to close.
    loops_evidenced: int = 0

    @property
    def evidenced(self) -> list[Loop]:
        return [lp for lp in self.loops if lp.evidenced]

    @property
    def speculative(self) -> list[Loop]:
        return [lp for lp in self.loops if not lp.evidenced]

    def as_dict(self) -> dict[str, Any]:
        return {
            "through": self.through,
            "max_length": self.max_length,
            "cycles_found": self.cycles_found,
            "loops_found": self.loops_found,
            "loops_evidenced": self.loops_evidenced,
            "loops_hypothesised": self.loops_found - self.loops_evidenced,
            "shown": len(self.loops),
            **self.outcome_dict(),
            "loops": [lp.as_dict() for lp in self.loops],
        }

    def text(self) -> str:
        from gutkg.display import text

        return text(self)


def _ordered(nodes: Any) -> list[Hashable]:
    try:
        return sorted(nodes)
    except TypeError:
        return sorted(nodes, key=repr)


def _index(graph: nx.DiGraph) -> tuple[list[Hashable], list[list[int]], list[list[int]]]:
    """Nodes in order, and successor/predecessor lists keeping only edges inside an SCC."""
    import networkx as nx

    nodes = _ordered(graph.nodes)
    pos = {n: i for i, n in enumerate(nodes)}
    comp = [0] * len(nodes)
    for c, members in enumerate(nx.strongly_connected_components(graph)):
        for n in members:
            comp[pos[n]] = c
    succ: list[list[int]] = [[] for _ in nodes]
    pred: list[list[int]] = [[] for _ in nodes]
    for u, v in graph.edges():
        i, j = pos[u], pos[v]
        if comp[i] == comp[j]:
            succ[i].append(j)
            pred[j].append(i)
    return nodes, succ, pred


def _closing(pred: list[list[int]], s: int, bound: int, floor: int) -> dict[int, int]:
    """Distance from each node > ``floor`` back to ``s`` (at most ``bound - 1``)."""
    dist = {s: 0}
    frontier = [s]
    for d in range(1, bound):
        nxt = []
        for v in frontier:
            for u in pred[v]:
                if u > floor and u not in dist:
                    dist[u] = d
                    nxt.append(u)
        if not nxt:
            break
        frontier = nxt
    return dist


def _cycles_from(
    s: int, succ: list[list[int]], dist: dict[int, int], bound: int, budget: Budget, state: SearchState
) -> Iterator[list[int]]:
    """Every cycle through ``s`` whose other nodes are keys of ``dist`` (an iterative DFS)."""
    path = [s]
    on_path = {s}
    stack = [iter(succ[s])]
    while stack:
        if budget.tick():
            state.truncated, state.reason = True, "time budget spent"
            return
        for w in stack[-1]:
            if w == s:
                yield list(path)
                continue
            dw = dist.get(w)
            if dw is None or w in on_path or len(path) + dw > bound:
                continue
            path.append(w)
            on_path.add(w)
            stack.append(iter(succ[w]))
            break
        else:
            stack.pop()
            on_path.discard(path.pop())


def bounded_cycles(
    graph: nx.DiGraph,
    length_bound: int,
    *,
    through: Hashable | None = None,
    budget: Budget | None = None,
    state: SearchState | None = None,
) -> Iterator[list[Hashable]]:
    """Simple cycles of ``graph`` with at most ``length_bound`` edges, each exactly once.

    Each cycle starts at its smallest node (sorted order). With ``through``, only the cycles
    containing that node (then rotated the same way). Self-loops are cycles of length 1.

    >>> import networkx as nx
    >>> g = nx.DiGraph([(1, 2), (2, 1), (2, 3), (3, 1), (3, 3)])
    >>> sorted(bounded_cycles(g, 3))
    [[1, 2], [1, 2, 3], [3]]
    >>> sorted(bounded_cycles(g, 2, through=3))
    [[3]]

    Notes
    -----
    Same output as ``networkx.simple_cycles(graph, length_bound)`` (as sets of rotations). Time
    is O(V + E) for the components, plus, per start node, the paths of length below the bound that
    can still close: dead ends are pruned by the backward distances. Memory O(V + E).
    """
    budget = budget or Budget(None)
    state = state or SearchState()
    if length_bound < 1:
        return
    nodes, succ, pred = _index(graph)
    if through is not None:
        if through not in graph:
            return
        x = nodes.index(through)
        dist = _closing(pred, x, length_bound, -1)
        for cycle in _cycles_from(x, succ, dist, length_bound, budget, state):
            i = cycle.index(min(cycle))
            yield [nodes[j] for j in cycle[i:] + cycle[:i]]
        return
    for s in range(len(nodes)):
        if not pred[s]:
            continue
        if budget.tick(64):
            state.truncated, state.reason = True, "time budget spent"
            return
        dist = _closing(pred, s, length_bound, s)
        if len(dist) == 1 and s not in succ[s]:
            continue
        for cycle in _cycles_from(s, succ, dist, length_bound, budget, state):
            yield [nodes[j] for j in cycle]
        if state.truncated:
            return


def find_loops(
    graph: nx.MultiDiGraph,
    *,
    through: str | None = None,
    max_length: int = 4,
    limit: int = 50,
    budget: float | None = 10.0,
    flt: EvidenceFilter | None = None,
    include_refuted: bool = False,
    scan: int | None = None,
    evidence: bool = True,
) -> LoopResult:
    """Feedback loops of ``graph``, best first (strongest weakest link, then shorter).

    ``through`` keeps only loops through that concept id. Loops are reported per claim (where two
    claims join the same pair, each reading is its own loop, so each loop has one sign). Up to
    ``scan`` loops (default ``max(20 * limit, 200_000)``) are ranked and the best ``limit`` kept;
    the search stops early when ``budget`` seconds are spent, and says so.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", key="a+b", sign=1, status="supported", strength=3)
    'a+b'
    >>> g.add_edge("b", "a", key="b-a", sign=-1, status="supported", strength=2)
    'b-a'
    >>> r = find_loops(g)
    >>> [(lp.kind, lp.nodes) for lp in r.loops]
    [('balancing', ['a', 'b'])]
    """
    scan = scan if scan is not None else max(20 * limit, 200_000)
    work = filtered(graph, flt)
    view = causal_view(work, include_refuted=include_refuted)
    clock = Budget(budget)
    state = SearchState()

    def keys_of(u: str, v: str) -> list[str]:
        return causal_claims(work, u, v, include_refuted=include_refuted)

    top = TopChains(work, limit)
    cycles = 0
    for cycle in bounded_cycles(view, max_length, through=through, budget=clock, state=state):
        cycles += 1
        names = [str(n) for n in cycle]
        top.add(names, list(pairwise([*names, names[0]])), keys_of, scan)
        if top.seen >= scan:
            state.truncated = True
            state.reason = f"stopped after {top.seen} loops (scan limit): narrow with --through or lower --max-length"
            break
    found = top.chains(Loop, evidence=evidence)
    result = LoopResult(
        loops=found,
        through=through,
        max_length=max_length,
        cycles_found=cycles,
        loops_found=top.seen,
        loops_evidenced=top.evidenced,
        truncated=state.truncated,
        reason=state.reason,
        filter=flt.describe() if flt else "no filter",
        filter_note=filter_note(graph, work, flt),
        causal_rule=CAUSAL_RULE_WITH_REFUTED if include_refuted else CAUSAL_RULE,
    )
    if state.truncated and state.reason == "time budget spent":
        result.reason = (
            f"time budget of {budget:g} s spent after {cycles} cycles: these are the "
            "loops found so far; raise --budget or lower --max-length"
        )
    if not top.seen and not state.truncated:
        where = f" through {through!r}" if through else ""
        result.notes.append(
            f"no feedback loop{where} of at most {max_length} claims"
            + (f" ({result.filter_note})" if result.filter_note else "")
        )
    elif top.seen > limit:
        result.notes.append(f"showing the best {limit} of {top.seen} loops")
    return result
