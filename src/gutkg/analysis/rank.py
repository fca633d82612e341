"""Which concepts matter most: upstream drivers and bottlenecks of the causal graph.

*Upstream drivers* are ranked by **evidence-weighted reach**: every concept downstream of X counts
``(s + 1) / 5`` where ``s`` (0-4) is the strength of the best chain from X to it (a chain is as
strong as its weakest claim), so a concept reached only through hypotheses counts 0.2 and one reached
through strong evidence all the way counts 1. Plain reach (the number of descendants) and the number
of ancestors (how far upstream X sits) are shown beside it.

*Bottlenecks* are ranked by **betweenness centrality** (Brandes 2001) on the causal graph: the share
of shortest causal chains between other concepts that pass through X, unweighted, normalised to 0-1.
Above 2,000 concepts it is estimated from 500 sampled sources (seeded, so reproducible), and says so.

Cost: reach is five breadth-first searches per concept, O(V (V + E)); the time budget stops it on
very large graphs and the result says so (truncated). Betweenness is O(V E), sampled above 2,000.

References
----------
Brandes U (2001) A faster algorithm for betweenness centrality. J Math Sociol 25(2):163-177.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from gutkg.analysis.core import (
    CAUSAL_RULE,
    CAUSAL_RULE_WITH_REFUTED,
    Budget,
    Outcome,
    causal_view,
    filter_note,
    filtered,
    label,
)

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter

DRIVER_MEASURE = ("evidence-weighted reach: each downstream concept counts (s + 1) / 5, s = strength "
                  "(0-4) of the best chain reaching it")
BOTTLENECK_MEASURE = "betweenness centrality on the causal graph (unweighted, normalised 0-1)"
SAMPLE_ABOVE = 2000


@dataclass
class Ranked:
    node: str
    label: str
    category: str
    score: float
    reach: int
    ancestors: int
    causes: int
    effects: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(repr=False)
class RankResult(Outcome):
    drivers: list[Ranked]
    bottlenecks: list[Ranked]
    driver_measure: str = DRIVER_MEASURE
    bottleneck_measure: str = BOTTLENECK_MEASURE

    def as_dict(self) -> dict[str, Any]:
        return {"driver_measure": self.driver_measure, "bottleneck_measure": self.bottleneck_measure,
                **self.outcome_dict(), "drivers": [r.as_dict() for r in self.drivers],
                "bottlenecks": [r.as_dict() for r in self.bottlenecks]}

    def text(self) -> str:
        from gutkg.analysis.text import section, status_lines, wrap

        out = ["Concepts ranked as upstream drivers and as bottlenecks"]
        out += status_lines(self.filter, self.filter_note, self.causal_rule, self.truncated,
                            self.reason, self.notes)
        for title, measure, rows, fmt in (
                ("Upstream drivers", self.driver_measure, self.drivers, "{:8.1f}"),
                ("Bottlenecks", self.bottleneck_measure, self.bottlenecks, "{:8.3f}")):
            out.append(section(title, len(rows)))
            out.append(wrap("measure: " + measure, "  "))
            out.append(f"  {'':4}{'score':>8}  {'reach':>5} {'anc.':>5} {'in':>4} {'out':>4}  concept")
            for i, r in enumerate(rows, 1):
                out.append(f"  {i:>3}. {fmt.format(r.score)}  {r.reach:>5} {r.ancestors:>5} "
                           f"{r.causes:>4} {r.effects:>4}  {r.label} ({r.category})")
            if not rows:
                out.append("  none: no causal claim")
        out.append("  reach: concepts downstream; anc.: concepts upstream; in/out: causal claims")
        return "\n".join(out)


def widest_reach(view: nx.DiGraph, source: str) -> dict[str, int]:
    """For each concept downstream of ``source``, the strength of the best chain reaching it.

    Five breadth-first passes (strength 4 down to 0) instead of a max-min Dijkstra: strengths are
    small integers, so the first pass that reaches a node gives its widest chain. O(5 (V + E)).
    """
    best: dict[str, int] = {}
    for level in (4, 3, 2, 1, 0):
        seen = {source}
        todo = [source]
        while todo:
            u = todo.pop()
            for v, d in view.succ[u].items():
                if v not in seen and d.get("strength", 0) >= level:
                    seen.add(v)
                    todo.append(v)
                    best.setdefault(v, level)
    best.pop(source, None)
    return best


def rank(graph: nx.MultiDiGraph, *, limit: int = 20, category: str | None = None,
         flt: EvidenceFilter | None = None, include_refuted: bool = False,
         budget: float | None = 30.0) -> RankResult:
    """Concepts ranked as upstream drivers and as bottlenecks (see the module docstring).

    ``category`` keeps only concepts of that category in the lists (the measures still use the
    whole graph).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("a", "b"), ("b", "c")]:
    ...     _ = g.add_edge(u, v, key=u + v, sign=1, status="supported", strength=4)
    >>> r = rank(g)
    >>> [(x.node, x.score) for x in r.drivers], [x.node for x in r.bottlenecks]
    ([('a', 2.0), ('b', 1.0)], ['b'])
    """
    import networkx as nx

    work = filtered(graph, flt)
    view = causal_view(work, include_refuted=include_refuted)
    clock = Budget(budget)
    result = RankResult(drivers=[], bottlenecks=[], filter=flt.describe() if flt else "no filter",
                        filter_note=filter_note(graph, work, flt),
                        causal_rule=CAUSAL_RULE_WITH_REFUTED if include_refuted else CAUSAL_RULE)
    active = [n for n in view if view.degree(n)]
    if not active:
        result.notes.append("no causal claim" + (f" ({result.filter_note})" if result.filter_note
                                                 else "") + ": nothing to rank")
        return result
    known = sorted({str(d.get("category", "")) for _, d in graph.nodes(data=True)} - {""})
    if category is not None and category not in known:
        from gutkg.errors import GutKGError

        raise GutKGError(f"unknown category {category!r}: use one of " + ", ".join(known))
    keep = [n for n in active if category is None or view.nodes[n].get("category") == category]
    if category is not None and not keep:
        result.notes.append(f"no concept of category {category!r} takes part in a causal claim")
    ancestors_of: dict[str, int] = {}
    for n in keep:
        ancestors_of[n] = len(nx.ancestors(view, n))

    def row(n: str, score: float, reach: int) -> Ranked:
        return Ranked(node=n, label=label(graph, n), category=str(view.nodes[n].get("category", "")),
                      score=round(score, 4), reach=reach, ancestors=ancestors_of[n],
                      causes=view.in_degree(n), effects=view.out_degree(n))

    drivers: list[Ranked] = []
    for n in keep:
        if clock.expired():
            result.truncated, result.reason = True, (
                f"time budget spent after {len(drivers)} of {len(keep)} concepts: drivers are "
                "ranked among those")
            break
        best = widest_reach(view, n)
        drivers.append(row(n, sum((s + 1) / 5 for s in best.values()), len(best)))
    drivers.sort(key=lambda r: (-r.score, -r.reach, r.label))
    result.drivers = [r for r in drivers if r.reach][:limit]
    sub = view.subgraph(active)
    k = None if len(sub) <= SAMPLE_ABOVE else 500
    if k is not None:
        result.bottleneck_measure += f"; estimated from {k} sampled sources"
    between = nx.betweenness_centrality(sub, k=k, seed=0, normalized=True)
    reach = {n: len(nx.descendants(view, n)) for n in keep} if len(keep) <= SAMPLE_ABOVE else \
        {r.node: r.reach for r in drivers}
    ranked = sorted((n for n in keep if between.get(n, 0) > 0),
                    key=lambda n: (-between[n], label(graph, n)))
    result.bottlenecks = [row(n, between[n], reach.get(n, 0)) for n in ranked[:limit]]
    return result
