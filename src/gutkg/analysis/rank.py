"""Which concepts matter most: sign-aware drivers of disease, protective factors and bottlenecks.

*Drivers* and *protective factors* are ranked by **sign-aware, evidence-weighted reach to disease**.
For a concept X and each disease D downstream of it, the best chain X → … → D is the one whose
weakest claim weighs most (then the shortest); its net sign (the product of the claims' signs) says
whether X raises or lowers D. A claim weighs ``(s + 1) / 5`` for its evidence strength ``s`` (0-4),
times a status factor: established and supported 1, **contested 0.5, hypothesised 0.25**; a chain
weighs as its weakest claim. X's driver score is the sum of the weights of its chains that raise a
disease; its protective score the sum for those that lower one. So an intervention that lowers
permeability, which raises disease, is protective, not a driver. When the graph has no concept of
category ``disease``, every concept downstream counts instead (and the measure says so).

Measurement concepts (tests and biomarkers) are never counted in reach and never ranked. Scores within
5% of the one ranked above (or 0.05 apart) are reported as ties: they share a rank, marked ``=``.

*Bottlenecks* are ranked by **betweenness centrality** (Brandes 2001) on the causal graph without
measurement concepts: the share of shortest causal chains between other concepts that pass through X,
unweighted, normalised to 0-1. Above 2,000 concepts it is estimated from 500 sampled sources (seeded).

Cost: one best-chain search per concept, O(V (E log V)); the time budget stops it on very large
graphs and the result says so (truncated). Betweenness is O(V E), sampled above 2,000.

References
----------
Brandes U (2001) A faster algorithm for betweenness centrality. J Math Sociol 25(2):163-177.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from gutkg.analysis.core import (
    CAUSAL_RULE,
    CAUSAL_RULE_WITH_REFUTED,
    Budget,
    Outcome,
    causal_view,
    filter_note,
    filtered,
    is_measurement,
    label,
)

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter

STATUS_FACTOR = {"established": 1.0, "supported": 1.0, "contested": 0.5, "hypothesised": 0.25, "refuted": 0.0}
RULE = (
    "a claim weighs (s + 1) / 5 for evidence strength s (0-4), times 1 if established or supported, "
    "0.5 if contested, 0.25 if hypothesised; a chain weighs as its weakest claim; measurement "
    "concepts are excluded; scores within 5% (or 0.05) of the one above are ties (=)"
)
DRIVER_MEASURE = "sign-aware reach to disease: the weights of the best chains by which X raises a disease"
PROTECTIVE_MEASURE = "sign-aware reach to disease: the weights of the best chains by which X lowers a disease"
BOTTLENECK_MEASURE = (
    "betweenness centrality on the causal graph without measurement concepts (unweighted, normalised 0-1)"
)
SAMPLE_ABOVE = 2000
TIE_RELATIVE, TIE_ABSOLUTE = 0.05, 0.05


@dataclass
class Ranked:
    """One ranked concept: its score, how many concepts its chains reach, its causal ancestors, direct
    causes and effects, its rank (``tie`` when shared) and the diseases its score counts, best first."""

    node: str
    label: str
    category: str
    score: float
    reach: int
    ancestors: int
    causes: int
    effects: int
    rank: int = 0
    tie: bool = False
    targets: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(repr=False)
class RankResult(Outcome):
    """The result of :func:`rank`: drivers, protective factors and bottlenecks, each with the measure
    that ranked it and the weighting rule."""

    drivers: list[Ranked]
    bottlenecks: list[Ranked]
    protective: list[Ranked] = field(default_factory=list)
    driver_measure: str = DRIVER_MEASURE
    protective_measure: str = PROTECTIVE_MEASURE
    bottleneck_measure: str = BOTTLENECK_MEASURE
    rule: str = RULE

    def as_dict(self) -> dict[str, Any]:
        return {
            "driver_measure": self.driver_measure,
            "protective_measure": self.protective_measure,
            "bottleneck_measure": self.bottleneck_measure,
            "rule": self.rule,
            **self.outcome_dict(),
            "drivers": [r.as_dict() for r in self.drivers],
            "protective": [r.as_dict() for r in self.protective],
            "bottlenecks": [r.as_dict() for r in self.bottlenecks],
        }

    def text(self) -> str:
        from gutkg.analysis.text import section, status_lines, wrap

        out = ["Concepts ranked as drivers of disease, protective factors and bottlenecks"]
        out += status_lines(self.filter, self.filter_note, self.causal_rule, self.truncated, self.reason, self.notes)
        out.append(wrap("rule: " + self.rule, "  "))
        for title, measure, rows, fmt in (
            ("Drivers (raise disease)", self.driver_measure, self.drivers, "{:8.2f}"),
            ("Protective (lower disease)", self.protective_measure, self.protective, "{:8.2f}"),
            ("Bottlenecks", self.bottleneck_measure, self.bottlenecks, "{:8.3f}"),
        ):
            out.append(section(title, len(rows)))
            out.append(wrap("measure: " + measure, "  "))
            out.append(f"  {'':4}{'score':>8}  {'reach':>5} {'anc.':>5} {'in':>4} {'out':>4}  concept")
            for r in rows:
                mark = "=" if r.tie else "."
                out.append(
                    f"  {r.rank:>3}{mark} {fmt.format(r.score)}  {r.reach:>5} {r.ancestors:>5} "
                    f"{r.causes:>4} {r.effects:>4}  {r.label} ({r.category})"
                )
            if not rows:
                out.append("  none")
        out.append(
            "  reach: concepts downstream (no measurements); anc.: upstream; in/out: causal claims; "
            "= : tied with the one above"
        )
        return "\n".join(out)


def claim_weight(strength: int, status: str) -> float:
    """The weight of a claim in reach (module docstring).

    >>> claim_weight(4, "supported"), claim_weight(4, "hypothesised"), claim_weight(0, "contested")
    (1.0, 0.25, 0.1)
    """
    return round((strength + 1) / 5 * STATUS_FACTOR.get(status, 0.0), 6)


def best_chains(view: nx.DiGraph, source: str, skip: set[str]) -> dict[str, tuple[float, int, int]]:
    """For each concept downstream of ``source`` (not through ``skip``): the weight, length and net
    sign of its best chain (heaviest weakest claim, then fewest claims). A widest-path Dijkstra."""
    import heapq

    best: dict[str, tuple[float, int, int]] = {source: (float("inf"), 0, 1)}
    heap: list[tuple[float, int, str, int]] = [(-float("inf"), 0, source, 1)]
    done: set[str] = set()
    while heap:
        neg, length, u, sign = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, d in view.succ[u].items():
            if v in skip or v in done:
                continue
            w = min(-neg, d["weight"])
            cand = (w, length + 1, sign * d["sign"])
            old = best.get(v)
            if old is None or (w, -cand[1]) > (old[0], -old[1]):
                best[v] = cand
                heapq.heappush(heap, (-w, length + 1, v, cand[2]))
    best.pop(source)
    return {v: b for v, b in best.items() if b[0] > 0}


def mark_ties(rows: list[Ranked], absolute: float = TIE_ABSOLUTE) -> list[Ranked]:
    """Give each row its rank; a score within 5% (or ``absolute``) of the previous one shares its rank."""
    for i, r in enumerate(rows):
        prev = rows[i - 1] if i else None
        if prev is not None and (prev.score - r.score <= absolute or prev.score - r.score <= TIE_RELATIVE * prev.score):
            r.rank, r.tie = prev.rank, True
        else:
            r.rank = i + 1
    return rows


def rank(
    graph: nx.MultiDiGraph,
    *,
    limit: int = 20,
    category: str | None = None,
    flt: EvidenceFilter | None = None,
    include_refuted: bool = False,
    budget: float | None = 30.0,
) -> RankResult:
    """Concepts ranked as drivers of disease, protective factors and bottlenecks (module docstring).

    ``category`` keeps only concepts of that category in the lists (the measures still use the
    whole graph).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for u, v, s in [("a", "b", 1), ("b", "c", -1), ("c", "d", 1)]:
    ...     _ = g.add_edge(u, v, key=u + v, sign=s, status="supported", strength=4)
    >>> g.nodes["d"]["category"] = "disease"
    >>> r = rank(g)
    >>> [(x.node, x.score) for x in r.drivers], [(x.node, x.score) for x in r.protective]
    ([('c', 1.0)], [('a', 1.0), ('b', 1.0)])
    >>> [(x.rank, x.tie) for x in r.protective]
    [(1, False), (1, True)]
    """
    import networkx as nx

    work = filtered(graph, flt)
    view = causal_view(work, include_refuted=include_refuted)
    clock = Budget(budget)
    result = RankResult(
        drivers=[],
        bottlenecks=[],
        filter=flt.describe() if flt else "no filter",
        filter_note=filter_note(graph, work, flt),
        causal_rule=CAUSAL_RULE_WITH_REFUTED if include_refuted else CAUSAL_RULE,
    )
    measuring = {n for n in view if is_measurement(graph, n)}
    active = [n for n in view if view.degree(n) and n not in measuring]
    if not active:
        result.notes.append(
            "no causal claim" + (f" ({result.filter_note})" if result.filter_note else "") + ": nothing to rank"
        )
        return result
    known = sorted({str(d.get("category", "")) for _, d in graph.nodes(data=True)} - {""})
    if category is not None and category not in known:
        from gutkg.errors import GutKGError

        raise GutKGError(f"unknown category {category!r}: use one of " + ", ".join(known))
    keep = [n for n in active if category is None or view.nodes[n].get("category") == category]
    if category is not None and not keep:
        result.notes.append(f"no concept of category {category!r} takes part in a causal claim")
    # claim weights on the collapsed view: the best claim of each pair, and its sign
    for u, v, d in view.edges(data=True):
        claims = [work.edges[u, v, k] for k in d["claims"]]
        top = max(claims, key=lambda c: claim_weight(c.get("strength", 0), c.get("status", "")))
        d["weight"] = claim_weight(top.get("strength", 0), top.get("status", ""))
        d["sign"] = top.get("sign", 1)
    diseases = {n for n in active if view.nodes[n].get("category") == "disease"}
    targets = diseases or set(active)
    if not diseases:
        result.driver_measure = result.driver_measure.replace(
            "to disease", "to every concept (no disease in the graph)"
        )
        result.protective_measure = result.protective_measure.replace(
            "to disease", "to every concept (no disease in the graph)"
        )
    ancestors_of = {n: len(nx.ancestors(view, n) - measuring) for n in keep}

    def row(n: str, score: float, reach: int, hits: list[str] | None = None) -> Ranked:
        return Ranked(
            node=n,
            label=label(graph, n),
            category=str(view.nodes[n].get("category", "")),
            score=round(score, 4),
            reach=reach,
            ancestors=ancestors_of[n],
            causes=view.in_degree(n),
            effects=view.out_degree(n),
            targets=hits or [],
        )

    up: list[Ranked] = []
    down: list[Ranked] = []
    reach: dict[str, int] = {}
    for i, n in enumerate(keep):
        if clock.expired():
            result.truncated, result.reason = (
                True,
                (f"time budget spent after {i} of {len(keep)} concepts: they are ranked among those"),
            )
            break
        best = best_chains(view, n, measuring)
        reach[n] = len(best)
        raised = {t: w for t, (w, _, s) in best.items() if t in targets and s > 0}
        lowered = {t: w for t, (w, _, s) in best.items() if t in targets and s < 0}
        if raised:
            up.append(row(n, sum(raised.values()), len(best), sorted(raised, key=lambda t: -raised[t])))
        if lowered:
            down.append(row(n, sum(lowered.values()), len(best), sorted(lowered, key=lambda t: -lowered[t])))
    for rows in (up, down):
        rows.sort(key=lambda r: (-r.score, -r.reach, r.label))
    result.drivers = mark_ties(up[:limit])
    result.protective = mark_ties(down[:limit])
    sub = view.subgraph(active)
    k = None if len(sub) <= SAMPLE_ABOVE else 500
    if k is not None:
        result.bottleneck_measure += f"; estimated from {k} sampled sources"
    between = nx.betweenness_centrality(sub, k=k, seed=0, normalized=True)
    ranked = sorted((n for n in keep if between.get(n, 0) > 0), key=lambda n: (-between[n], label(graph, n)))
    # betweenness lies in 0-1: ties within 5% of the score above only
    result.bottlenecks = mark_ties([row(n, between[n], reach.get(n, 0)) for n in ranked[:limit]], absolute=0.0)
    return result
