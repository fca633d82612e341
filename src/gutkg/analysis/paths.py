"""Causal chains ("how could A lead to B"), ranked by their weakest link, then by length.

A chain is only as good as its weakest claim, so chains are ranked by the lowest evidence strength on
them (strong > moderate > weak > minimal > no evidence), then by length (fewer steps first), then by
their weakest status. The net sign of a chain is the product of its claims' signs: + means more A
leads to more B.

Every chain within the length cap is counted, so totals are exact and do not depend on ``limit``
(only the best ``limit`` are built with their evidence); a scan limit or the time budget stops the
search early, and the result then says "at least N" and carries ``truncated``. A depth-first search
extends a partial chain only through concepts that can still reach the target within the length cap
(backward distances), so dead ends are never entered.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
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
    backward_distances,
    causal_claims,
    causal_view,
    distinct,
    filter_note,
    filtered,
    label,
)

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter


def simple_paths(
    view: nx.DiGraph,
    sources: Iterable[Hashable],
    targets: Iterable[Hashable],
    max_length: int,
    *,
    avoid: Iterable[Hashable] = (),
    min_strength: int = 0,
    min_length: int = 1,
    budget: Budget | None = None,
    state: SearchState | None = None,
) -> Iterator[list[Hashable]]:
    """Simple paths from any source to any target with ``min_length``..``max_length`` edges.

    A path stops at the first target it meets and never passes through ``avoid`` or another
    source. Only edges whose ``strength`` attribute is at least ``min_strength`` are walked.

    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")], strength=1)
    >>> sorted(simple_paths(g, ["a"], ["c"], 3))
    [['a', 'b', 'c'], ['a', 'c']]
    >>> sorted(simple_paths(g, ["a"], ["c"], 3, min_length=2))
    [['a', 'b', 'c']]
    """
    budget = budget or Budget(None)
    state = state or SearchState()
    sources, targets, avoided = list(sources), set(targets), set(avoid)
    blocked = avoided | set(sources)

    def ok(u: Hashable, v: Hashable) -> bool:
        return bool(view.edges[u, v].get("strength", 0) >= min_strength)

    dist: dict[Hashable, int] = {}
    for t in targets:
        if t not in view:
            continue
        near = backward_distances(
            lambda v: (u for u in view.pred[v] if ok(u, v)),
            t,
            max_length,
            allowed=lambda u: u not in targets and (u not in avoided or u in sources),
        )
        for n, d in near.items():
            if d < dist.get(n, max_length + 1):
                dist[n] = d
    for s in sources:
        if s not in view or s not in dist:
            continue
        path = [s]
        on_path = {s}
        stack = [iter(view.succ[s])]
        while stack:
            if budget.tick():
                state.truncated, state.reason = True, "time budget spent"
                return
            for w in stack[-1]:
                if not ok(path[-1], w):
                    continue
                if w in targets:
                    if len(path) >= min_length:
                        yield [*path, w]
                    continue
                dw = dist.get(w)
                if dw is None or w in on_path or w in blocked or len(path) + dw > max_length:
                    continue
                path.append(w)
                on_path.add(w)
                stack.append(iter(view.succ[w]))
                break
            else:
                stack.pop()
                on_path.discard(path.pop())


@dataclass(repr=False)
class PathResult(Outcome):
    """Chains from ``source`` to ``target``, best first."""

    source: str
    target: str
    source_label: str
    target_label: str
    paths: list[Chain]
    max_length: int
    found: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "source_label": self.source_label,
            "target_label": self.target_label,
            "max_length": self.max_length,
            "found": self.found,
            "shown": len(self.paths),
            **self.outcome_dict(),
            "paths": [p.as_dict() for p in self.paths],
        }

    def text(self) -> str:
        from gutkg.display import text

        return text(self)


def ranked_chains(
    work: nx.MultiDiGraph,
    view: nx.DiGraph,
    sources: list[str],
    targets: list[str],
    *,
    max_length: int,
    limit: int,
    avoid: Iterable[str] = (),
    min_length: int = 1,
    include_refuted: bool = False,
    clock: Budget,
    state: SearchState,
    scan: int = 200_000,
) -> tuple[list[Chain], int]:
    """The best ``limit`` per-claim chains from ``sources`` to ``targets``, and how many exist.

    The count is exact unless the search stops at ``scan`` chains or on the clock (then
    ``state.truncated`` is set and the count is a lower bound).
    """
    top = TopChains(work, limit, dedupe=True)

    def keys_of(u: str, v: str) -> list[str]:
        return causal_claims(work, u, v, include_refuted=include_refuted)

    for nodes in simple_paths(
        view, sources, targets, max_length, avoid=avoid, min_length=min_length, budget=clock, state=state
    ):
        names = [str(n) for n in nodes]
        top.add(names, list(pairwise(names)), keys_of, scan)
        if top.seen >= scan:
            state.truncated = True
            state.reason = f"stopped after {top.seen} chains (scan limit)"
            break
    return top.chains(), top.seen


def find_paths(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_length: int = 5,
    limit: int = 20,
    budget: float | None = 10.0,
    flt: EvidenceFilter | None = None,
    include_refuted: bool = False,
) -> PathResult:
    """Causal chains from concept id ``source`` to ``target``, best first (see module docstring).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for u, v, s, k in [("a", "b", 1, 3), ("b", "c", -1, 2), ("a", "c", 1, 1)]:
    ...     _ = g.add_edge(u, v, key=f"{u}{v}", sign=s, status="supported", strength=k)
    >>> r = find_paths(g, "a", "c")
    >>> [(p.nodes, p.sign, p.weakest) for p in r.paths]
    [(['a', 'b', 'c'], -1, 2), (['a', 'c'], 1, 1)]
    """
    distinct(graph, source, target)
    work = filtered(graph, flt)
    view = causal_view(work, include_refuted=include_refuted)
    clock, state = Budget(budget), SearchState()
    paths, seen = ranked_chains(
        work,
        view,
        [source],
        [target],
        max_length=max_length,
        limit=limit,
        include_refuted=include_refuted,
        clock=clock,
        state=state,
    )
    result = PathResult(
        source=source,
        target=target,
        source_label=label(graph, source),
        target_label=label(graph, target),
        paths=paths,
        max_length=max_length,
        found=seen,
        truncated=state.truncated,
        reason=state.reason,
        filter=flt.describe() if flt else "no filter",
        filter_note=filter_note(graph, work, flt),
        causal_rule=CAUSAL_RULE_WITH_REFUTED if include_refuted else CAUSAL_RULE,
    )
    if state.truncated and state.reason == "time budget spent":
        result.reason = (
            f"time budget of {budget:g} s spent: these are the chains found so far; "
            "raise --budget or lower --max-length"
        )
    if not paths and not state.truncated:
        result.notes.append(no_path_reason(graph, work, view, source, target, max_length, flt, include_refuted))
    elif seen > len(paths):
        total = f"at least {seen}" if state.truncated else f"{seen}"
        result.notes.append(f"showing the best {len(paths)} of {total} chains")
    return result


def no_path_reason(
    graph: nx.MultiDiGraph,
    work: nx.MultiDiGraph,
    view: nx.DiGraph,
    source: str,
    target: str,
    max_length: int,
    flt: EvidenceFilter | None,
    include_refuted: bool,
) -> str:
    """Why there is no chain, and what to try: a longer cap, no filter, or nothing at all."""
    import networkx as nx

    a, b = label(graph, source), label(graph, target)
    if flt is not None and not flt.is_empty and work.number_of_edges() == 0:
        return f"the filter ({flt.describe()}) leaves no claim at all"
    if nx.has_path(view, source, target):
        n = nx.shortest_path_length(view, source, target)
        return (
            f"no causal chain from {a} to {b} of at most {max_length} claims; the shortest has "
            f"{n}: try --max-length {n}"
        )
    if flt is not None and not flt.is_empty:
        full = causal_view(graph, include_refuted=include_refuted)
        if nx.has_path(full, source, target):
            return f"no causal chain from {a} to {b} survives the filter ({flt.describe()}); without it there is one"
    return f"no causal chain from {a} to {b} in the graph: {b} is not downstream of {a}"
