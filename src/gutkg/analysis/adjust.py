"""Adjustment sets and confounders for an exposure and an outcome, DAGitty-style, on a cyclic graph.

The backdoor criterion (Pearl) needs a DAG; the gut-barrier graph has feedback loops. This module
makes the graph acyclic in a documented, reported way, then uses networkx's d-separation functions
(``find_minimal_d_separator``, ``is_d_separator``) on the result.

Acyclification ("feedback cut, then clusters")
----------------------------------------------
1. Keep the ancestors of the exposure and of the outcome (all that d-separation needs).
2. The concepts in a loop with the exposure are both its causes and its consequences. Each is placed
   *before* the exposure if it reaches the exposure in fewer claims than the exposure reaches it,
   otherwise *after* it; the outcome is always after. Claims pointing from a concept after the
   exposure back into the exposure or into a concept before it are the *feedback* claims; they are
   cut. The question answered is then: the effect of a change in the exposure before its feedback
   acts. Every cut claim is listed in the output.
3. Loops that remain (not through the exposure) are merged into clusters, giving a cluster DAG
   (Anand et al. 2023): adjusting for a cluster means adjusting for all of its members.

When the outcome is itself in a loop with the exposure, in longitudinal data its earlier value also
confounds; the result says so. Time-unrolling the loop is the fuller answer; it needs time-indexed
data the graph does not hold.

References
----------
Pearl J (2009) Causality, 2nd ed., ch. 3 (backdoor criterion). van der Zander B, Liśkiewicz M,
Textor J (2019) Separators and adjustment sets in causal graphs. Artif Intell 270:1-40.
Anand TV, Ribeiro AH, Tian J, Bareinboim E (2023) Causal effect identification in cluster DAGs.
AAAI 37(10):12172-12179.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gutkg.analysis.core import (
    CAUSAL_RULE,
    CAUSAL_RULE_WITH_REFUTED,
    Hop,
    causal_claims,
    causal_view,
    distinct,
    filter_note,
    filtered,
    hop,
    label,
)

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter

METHOD = ("feedback cut, then clusters: concepts in a loop with the exposure are placed before it "
          "(they reach it in fewer claims than it reaches them) or after it (the outcome always "
          "after); claims from after the exposure back into it or into a concept before it are cut; "
          "remaining loops are merged into clusters (adjusting for a cluster = adjusting for all of "
          "its members)")


@dataclass
class Acyclic:
    """The DAG used for adjustment, and what was done to obtain it."""

    dag: nx.DiGraph
    members: dict[str, list[str]]
    where: dict[str, str]
    cut: list[tuple[str, str]]
    before: list[str]
    after: list[str]


@dataclass
class AdjustResult:
    exposure: str
    outcome: str
    exposure_label: str
    outcome_label: str
    method: str
    cut: list[Hop]
    clusters: list[list[str]]
    effect_possible: bool
    adjustment_sets: list[list[str]]
    parents_set: list[str] | None
    confounders: list[str]
    mediators: list[str]
    descendants: list[str]
    labels: dict[str, str]
    truncated: bool = False
    filter: str = "no filter"
    filter_note: str = ""
    causal_rule: str = CAUSAL_RULE
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"exposure": self.exposure, "outcome": self.outcome,
                "exposure_label": self.exposure_label, "outcome_label": self.outcome_label,
                "acyclification": self.method, "cut_claims": [h.as_dict() for h in self.cut],
                "clusters": self.clusters, "causal_path_exists": self.effect_possible,
                "minimal_adjustment_sets": self.adjustment_sets,
                "parents_of_exposure_set": self.parents_set, "confounders": self.confounders,
                "mediators": self.mediators, "descendants_of_exposure": self.descendants,
                "truncated": self.truncated, "filter": self.filter, "filter_note": self.filter_note,
                "causal_rule": self.causal_rule, "notes": self.notes}

    def text(self) -> str:
        def names(ids: list[str]) -> str:
            return ", ".join(self.labels.get(i, i) for i in ids) or "∅ (nothing)"

        from gutkg.analysis.text import hop_line, section, status_lines, wrap

        out = [f"Adjustment for the effect of {self.exposure_label} on {self.outcome_label} "
               "(backdoor criterion)"]
        out += status_lines(self.filter, self.filter_note, self.causal_rule, self.truncated, "", [])
        out.append(section("Acyclification"))
        out.append(wrap(self.method, "  "))
        out.append(f"  feedback claims cut ({len(self.cut)}):" if self.cut
                   else "  no feedback claim through the exposure: nothing cut")
        out.extend(hop_line(h, "    ✂ ") for h in self.cut)
        for c in self.clusters:
            out.append(wrap("cluster: " + names(c), "  "))
        out.append(section("Minimal sufficient adjustment sets", len(self.adjustment_sets)))
        if not self.effect_possible:
            out.append(wrap(f"no causal chain from {self.exposure_label} to {self.outcome_label} "
                            "in the acyclic graph: under this graph the total effect is nil; the "
                            "sets below still block every backdoor path.", "  "))
        for i, s in enumerate(self.adjustment_sets, 1):
            out.append(wrap(f"{i}. {{ {names(s)} }}" if s else
                            f"{i}. ∅: no adjustment needed (no open backdoor path)", "  "))
        if not self.adjustment_sets:
            out.append("  none: no set of measured concepts blocks every backdoor path")
        if self.parents_set is not None:
            out.append(wrap("also valid: all direct causes of the exposure { "
                            + names(self.parents_set) + " }", "  "))
        out.append(section("Roles"))
        out.append(wrap("confounders (common causes, chains to the outcome avoiding the exposure): "
                        + names(self.confounders), "  "))
        out.append(wrap("mediators (on causal chains exposure → outcome): "
                        + names(self.mediators), "  "))
        out.append(wrap("do not adjust for (descendants of the exposure: mediators, colliders' "
                        "descendants, consequences): " + names(self.descendants), "  "))
        out.extend(wrap(n, "  note: ") for n in self.notes)
        return "\n".join(out)


def acyclify(view: nx.DiGraph, exposure: str, outcome: str) -> Acyclic:
    """The cluster DAG of the module docstring, with the claims cut and the clusters made."""
    import networkx as nx

    keep = nx.ancestors(view, exposure) | nx.ancestors(view, outcome) | {exposure, outcome}
    g = nx.DiGraph(view.subgraph(keep).edges())
    g.add_nodes_from(keep)
    loop = next(c for c in nx.strongly_connected_components(g) if exposure in c)
    inner = g.subgraph(loop)
    d_out = nx.single_source_shortest_path_length(inner, exposure)
    d_in = nx.single_source_shortest_path_length(inner.reverse(copy=False), exposure)
    before = {n for n in loop - {exposure, outcome} if d_in[n] < d_out[n]}
    after = loop - {exposure} - before
    cut = sorted((u, v) for u, v in g.edges if u in after and (v in before or v == exposure))
    g.remove_edges_from(cut)
    members: dict[str, list[str]] = {}
    where: dict[str, str] = {}
    for comp in nx.strongly_connected_components(g):
        ids = sorted(comp)
        name = ids[0] if len(ids) == 1 else "{" + " | ".join(ids) + "}"
        members[name] = ids
        for n in ids:
            where[n] = name
    dag = nx.DiGraph()
    dag.add_nodes_from(members)
    dag.add_edges_from((where[u], where[v]) for u, v in g.edges if where[u] != where[v])
    return Acyclic(dag=dag, members=members, where=where, cut=cut, before=sorted(before),
                   after=sorted(after))


def minimal_sets(bd: nx.DiGraph, e: str, o: str, restricted: set[str],
                 max_sets: int = 8, max_tries: int = 200) -> list[frozenset[str]]:
    """Distinct minimal backdoor sets: networkx's minimal separator, then alternatives found by
    forbidding members of the sets already found (each result is inclusion-minimal)."""
    import networkx as nx

    found: list[frozenset[str]] = []
    queue: list[frozenset[str]] = [frozenset()]
    tried: set[frozenset[str]] = set()
    while queue and len(found) < max_sets and len(tried) < max_tries:
        forbidden = queue.pop(0)
        if forbidden in tried:
            continue
        tried.add(forbidden)
        z = nx.find_minimal_d_separator(bd, {e}, {o}, restricted=restricted - forbidden)
        if z is None:
            continue
        z = frozenset(z)
        if z not in found:
            found.append(z)
        queue.extend(forbidden | {n} for n in sorted(z))
    return sorted(found, key=lambda s: (len(s), sorted(s)))


def adjust(graph: nx.MultiDiGraph, exposure: str, outcome: str, *,
           flt: EvidenceFilter | None = None, include_refuted: bool = False,
           max_sets: int = 8) -> AdjustResult:
    """Minimal adjustment sets for the effect of ``exposure`` on ``outcome`` (concept ids).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("c", "x"), ("c", "y"), ("x", "y")]:
    ...     _ = g.add_edge(u, v, key=u + v, sign=1, status="supported", strength=2)
    >>> adjust(g, "x", "y").adjustment_sets
    [['c']]

    Notes
    -----
    The sets are checked with ``networkx.is_d_separator`` on the backdoor graph (the DAG without the
    exposure's outgoing edges) and contain no descendant of the exposure.
    """
    import networkx as nx

    distinct(graph, exposure, outcome)
    work = filtered(graph, flt)
    view = causal_view(work, include_refuted=include_refuted)
    acy = acyclify(view, exposure, outcome)
    dag, where, members = acy.dag, acy.where, acy.members
    e, o = where[exposure], where[outcome]
    desc = nx.descendants(dag, e)
    bd = dag.copy()
    bd.remove_edges_from(list(dag.out_edges(e)))
    restricted = set(dag) - desc - {e, o}
    sets = minimal_sets(bd, e, o, restricted, max_sets=max_sets)
    for z in sets:
        assert nx.is_d_separator(bd, {e}, {o}, set(z)) and not (z & desc)

    def expand(nodes: Any) -> list[str]:
        return sorted({m for n in nodes for m in members[n]})

    parents = set(dag.predecessors(e))
    parents_set = None
    if o not in parents and nx.is_d_separator(bd, {e}, {o}, parents) and \
            frozenset(parents) not in sets:
        parents_set = expand(parents)
    without_e = dag.subgraph(set(dag) - {e})
    confounders = nx.ancestors(dag, e) & nx.ancestors(without_e, o)
    cut = [hop(work, u, v, k) for u, v in acy.cut
           for k in causal_claims(work, u, v, include_refuted=include_refuted)]
    clusters = [ids for ids in members.values() if len(ids) > 1]
    after_cut = nx.DiGraph(view)
    after_cut.remove_edges_from(acy.cut)
    consequences = nx.descendants(after_cut, exposure) - {outcome}  # beyond the ancestral set too
    mediators = consequences & nx.ancestors(after_cut, outcome)  # on chains, clusters opened up
    ids = {n for s in sets for n in s} | confounders | desc | parents | {e, o}
    labels = {m: label(graph, m) for n in ids for m in members[n]}
    labels |= {n: label(graph, n) for n in consequences | mediators}
    result = AdjustResult(
        exposure=exposure, outcome=outcome, exposure_label=label(graph, exposure),
        outcome_label=label(graph, outcome), method=METHOD, cut=cut, clusters=clusters,
        effect_possible=o in desc, adjustment_sets=[expand(s) for s in sets],
        parents_set=parents_set, confounders=expand(confounders), mediators=sorted(mediators),
        descendants=sorted(consequences), labels=labels,
        filter=flt.describe() if flt else "no filter", filter_note=filter_note(graph, work, flt),
        causal_rule=CAUSAL_RULE_WITH_REFUTED if include_refuted else CAUSAL_RULE)
    if outcome in acy.after:
        result.notes.append(
            f"{result.outcome_label} feeds back on {result.exposure_label} (they share a loop): "
            f"in longitudinal data the earlier value of {result.outcome_label} also confounds; "
            "adjust for it at baseline as well")
    if len(members[o]) > 1:
        result.notes.append(
            f"{result.outcome_label} shares loops with {len(members[o]) - 1} other concept(s) "
            "downstream of the exposure; they form one cluster, and confounding of any member "
            "counts as confounding of the outcome (conservative)")
    if not sets:
        result.notes.append("no adjustment set exists: the outcome is a direct cause of the "
                            "exposure in the acyclic graph")
    if any(len(members[n]) > 1 for s in sets for n in s):
        result.notes.append("a set containing a cluster means adjusting for every member of it")
    return result
