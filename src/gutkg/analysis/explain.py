"""Every way two concepts could be associated, with the evidence for each step.

``explain(graph, a, b)`` answers questions such as the founding one: *does dysbiosis cause autoimmune
disease, does autoimmune disease cause dysbiosis, or does increased permeability drive both?* An
association between A and B can come from:

1. **direct claims** A → B or B → A (every claim, including tested-no-effect and refuted ones);
2. **mediated chains** A → … → B or B → … → A (causal claims only, intermediate concepts other
   than A and B);
3. **common causes**: concepts C with a causal chain to A that avoids B *and* a chain to B that
   avoids A (the confounding route, "C drives both");
4. **feedback loops** containing both A and B (a vicious or balancing circle).

Narrower concepts and stages. Claims about a narrower concept (``celiac disease`` has
``skos:broader`` ``autoimmune disease``) are evidence about the umbrella, so by default
(``include_narrower=True``) A and B stand for themselves *and* every concept below them, and for the
preclinical stages of any of them (``islet autoimmunity`` is a ``gkv:stageOf`` type 1 diabetes): a
stage is part of its disease's course, never a cause, mediator or confounder of it. Each such claim
or chain is labelled with the concept it is really about. Pass ``include_narrower=False`` to use the
named concepts only. When one concept lies below the other, the overlap is left out and a note says so.

Tests and biomarkers (measurement concepts) are never offered as common causes. Associations
between the two sides (undirected, RO:0002610) are listed apart: they show that A and B go
together, not which way. :mod:`gutkg.analysis.verdict` grades each rival route and finds the claims
the answer hangs on.

With ``compare=[filter, ...]`` the same analysis runs again under each evidence filter (for example
human evidence only) and :mod:`gutkg.analysis.compare` reports what survives and which links drop.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from gutkg.analysis.compare import compare_explanations
from gutkg.analysis.core import (
    CAUSAL_RULE,
    CAUSAL_RULE_WITH_REFUTED,
    Budget,
    Chain,
    Hop,
    SearchState,
    TopChains,
    backward_distances,
    causal_claims,
    causal_view,
    distinct,
    filter_note,
    filtered,
    hop,
    label,
    narrower,
    stages,
)
from gutkg.analysis.explanation import CommonCause, Explanation
from gutkg.analysis.loops import Loop, bounded_cycles
from gutkg.analysis.paths import ranked_chains
from gutkg.analysis.summary import summarise
from gutkg.analysis.verdict import verdict
from gutkg.scales import STATUS_RANK

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter


def concept_sets(
    graph: nx.MultiDiGraph, a: str, b: str, include_narrower: bool
) -> tuple[list[str], list[str], list[str], dict[str, str]]:
    """A and B with (optionally) their narrower concepts and stages, disjoint; notes on any overlap;
    and how each extra member belongs (``⊂ umbrella`` or ``stage of disease``)."""
    a_set, b_set = {a}, {b}
    notes = []
    members: dict[str, str] = {}
    if include_narrower:
        na, nb = set(narrower(graph, a)), set(narrower(graph, b))
        for inner, outer, n_outer, n_inner in ((b, a, na, nb), (a, b, nb, na)):
            if inner in n_outer:
                n_outer -= {inner} | n_inner
                notes.append(
                    f"{label(graph, inner)} is narrower than {label(graph, outer)}: claims "
                    f"about it (or below it) count only for {label(graph, inner)} here"
                )
        shared = na & nb
        if shared:
            na -= shared
            nb -= shared
            notes.append("left out, as narrower than both: " + ", ".join(label(graph, n) for n in sorted(shared)))
        for n in na:
            members[n] = f"⊂ {label(graph, a)}"
        for n in nb:
            members[n] = f"⊂ {label(graph, b)}"
        sa, sb = stages(graph, {a} | na), stages(graph, {b} | nb)
        for stage_map, own, other in ((sa, na, {b} | nb), (sb, nb, {a} | na)):
            for stage, disease in stage_map.items():
                if stage in other or stage in (a, b):
                    continue
                own.add(stage)
                members[stage] = f"stage of {label(graph, disease)}"
        a_set |= na
        b_set |= nb
        extra = sorted(na | nb)
        if extra:
            notes.append(
                "narrower concepts and stages included (marked): "
                + ", ".join(label(graph, n) for n in extra)
                + "; --no-include-narrower leaves them out"
            )
    return (sorted(a_set, key=lambda n: (n != a, n)), sorted(b_set, key=lambda n: (n != b, n)), notes, members)


def associations_between(graph: nx.MultiDiGraph, a_set: list[str], b_set: list[str]) -> list[dict[str, Any]]:
    """The associations (undirected) with one concept on each side, best evidenced first."""
    sa, sb = set(a_set), set(b_set)
    out = [
        x
        for x in graph.graph.get("associations", [])
        if (x["a"] in sa and x["b"] in sb) or (x["a"] in sb and x["b"] in sa)
    ]
    return sorted(out, key=lambda x: (-len(x["evidence"]), x["id"]))


def _direct(graph: nx.MultiDiGraph, sources: list[str], targets: list[str], umbrella: dict[str, str]) -> list[Hop]:
    out = []
    for u in sources:
        for v in targets:
            for key in graph.get_edge_data(u, v) or {}:
                h = hop(graph, u, v, key)
                about = [label(graph, n) for n in (u, v) if n in umbrella]
                if about:
                    h.note = "about " + " and ".join(about) + " (narrower)"
                out.append(h)
    return sorted(out, key=lambda h: (-h.strength, -STATUS_RANK.get(h.status, 0), h.sign == 0, h.claim))


def _loops_with_both(
    work: nx.MultiDiGraph,
    view: nx.DiGraph,
    a_set: list[str],
    b_set: list[str],
    loop_length: int,
    limit: int,
    include_refuted: bool,
    clock: Budget,
    state: SearchState,
) -> tuple[list[Loop], int, int]:
    small, other = (a_set, set(b_set)) if len(a_set) <= len(b_set) else (b_set, set(a_set))
    cycles: dict[tuple[str, ...], list[str]] = {}  # canonical rotation -> cycle
    inner = SearchState()
    for n in small:
        for cycle in bounded_cycles(view, loop_length, through=n, budget=clock, state=inner):
            if other & set(cycle):
                names = [str(c) for c in cycle]
                cycles.setdefault(tuple(names), names)
        if inner.truncated:
            state.truncated, state.reason = True, inner.reason
            break

    def keys_of(u: str, v: str) -> list[str]:
        return causal_claims(work, u, v, include_refuted=include_refuted)

    starts = set(a_set)
    top = TopChains(work, limit)
    for c in cycles.values():
        i = next(i for i, n in enumerate(c) if n in starts)  # begin at A, as the reader asked
        c = c[i:] + c[:i]
        top.add(c, list(pairwise([*c, c[0]])), keys_of)
    return top.chains(Loop), top.seen, top.evidenced


def downstream(view: nx.DiGraph, sources: list[str], level: int = 0) -> set[str]:
    """Every concept a causal chain (of any length) of claims graded at least ``level`` reaches
    from one of ``sources``."""
    seen: set[str] = set()
    todo = [s for s in sources if s in view]
    while todo:
        for v, d in view.succ[todo.pop()].items():
            if d.get("strength", 0) >= level and v not in seen:
                seen.add(v)
                todo.append(v)
    return seen


def common_cause_ids(view: nx.DiGraph, a_set: list[str], b_set: list[str], max_length: int) -> list[str]:
    """Concepts with a chain (at most ``max_length`` claims) to A avoiding B, and to B avoiding A."""
    sa, sb = set(a_set), set(b_set)

    def reach(targets: set[str], avoid: set[str]) -> set[str]:
        found: set[str] = set()
        for t in targets & set(view):  # a narrower concept without causal claims is not in the view
            found |= set(backward_distances(view.predecessors, t, max_length, allowed=lambda u: u not in avoid))
        return found

    both = reach(sa, sb) & reach(sb, sa)
    return sorted(n for n in both - sa - sb if view.nodes[n].get("category") != "measurement")


def explain(
    graph: nx.MultiDiGraph,
    a: str,
    b: str,
    *,
    max_length: int = 4,
    loop_length: int = 6,
    limit: int = 10,
    include_narrower: bool = True,
    budget: float | None = 20.0,
    flt: EvidenceFilter | None = None,
    compare: list[EvidenceFilter] | None = None,
    include_refuted: bool = False,
    grade: bool = True,
) -> Explanation:
    """Explain the association of concept ids ``a`` and ``b`` (see the module docstring).

    ``limit`` caps each list (chains each way, common causes, loops); counts of everything found
    are in ``counts`` (exact unless ``truncated``). ``budget`` (seconds) bounds the whole analysis.
    With ``grade`` (the default) the result carries a :class:`~gutkg.analysis.verdict.Verdict`: each
    rival role graded on all evidence and on primary human evidence, the answer, the keystone claims.

    Notes
    -----
    Chains and loops are searched with the bounded searches of :mod:`gutkg.analysis.paths` and
    :mod:`gutkg.analysis.loops`; common causes by two backward breadth-first searches (O(V + E)),
    then one best chain each way per common cause.
    """
    distinct(graph, a, b)
    work = filtered(graph, flt)
    view = causal_view(work, include_refuted=include_refuted)
    clock, state = Budget(budget), SearchState()
    a_set, b_set, notes, members = concept_sets(graph, a, b, include_narrower)
    umbrella = {n: a for n in a_set if n != a} | {n: b for n in b_set if n != b}
    avoid = set(a_set) | set(b_set)

    def chains(src: list[str], dst: list[str]) -> tuple[list[Chain], int]:
        return ranked_chains(
            work,
            view,
            src,
            dst,
            max_length=max_length,
            limit=limit,
            avoid=avoid,
            min_length=2,
            include_refuted=include_refuted,
            clock=clock,
            state=state,
        )

    chains_ab, n_ab = chains(a_set, b_set)
    chains_ba, n_ba = chains(b_set, a_set)
    cc_ids = common_cause_ids(view, a_set, b_set, max_length)
    causes = []
    for c in cc_ids:
        if clock.expired():
            state.truncated, state.reason = True, "time budget spent"
            break
        to_a, _ = ranked_chains(
            work,
            view,
            [c],
            a_set,
            max_length=max_length,
            limit=1,
            avoid=set(b_set),
            include_refuted=include_refuted,
            clock=clock,
            state=state,
        )
        to_b, _ = ranked_chains(
            work,
            view,
            [c],
            b_set,
            max_length=max_length,
            limit=1,
            avoid=set(a_set),
            include_refuted=include_refuted,
            clock=clock,
            state=state,
        )
        if to_a and to_b:
            causes.append(CommonCause(node=c, label=label(graph, c), to_a=to_a[0], to_b=to_b[0]))
    shared = set(cc_ids)
    below: dict[int, tuple[set[str], set[str]]] = {}
    for cause in causes:
        on = {n for ch in (cause.to_a, cause.to_b) for n in ch.nodes[1:-1]}
        cause.through = sorted(on & shared)
        # Downstream by claims at least as strong as its own routes: a weaker (or hypothesised)
        # claim A -> C is a caveat on the shared cause C, not a better-supported rival reading.
        level = max(cause.weakest, 0)
        if level not in below:
            below[level] = (downstream(view, a_set, level), downstream(view, b_set, level))
        cause.downstream_of = [side for side, seen in zip("ab", below[level], strict=True) if cause.node in seen]
    causes.sort(key=CommonCause.rank_key)
    loops, n_loops, loops_evidenced = _loops_with_both(
        work, view, a_set, b_set, loop_length, limit, include_refuted, clock, state
    )
    result = Explanation(
        a=a,
        b=b,
        a_label=label(graph, a),
        b_label=label(graph, b),
        a_set=a_set,
        b_set=b_set,
        include_narrower=include_narrower,
        max_length=max_length,
        loop_length=loop_length,
        direct_ab=_direct(work, a_set, b_set, umbrella),
        direct_ba=_direct(work, b_set, a_set, umbrella),
        chains_ab=chains_ab,
        chains_ba=chains_ba,
        common_causes=causes[:limit],
        loops=loops,
        counts={
            "chains_ab": n_ab,
            "chains_ba": n_ba,
            "common_causes": len(causes),
            "shared_causes": sum(c.exogenous for c in causes),
            "loops": n_loops,
            "loops_evidenced": loops_evidenced,
        },
        common_cause_ids=cc_ids,
        labels={
            n: label(graph, n)
            for n in [
                *cc_ids,
                *a_set,
                *b_set,
                *(x for y in graph.graph.get("associations", []) for x in (y["a"], y["b"])),
            ]
        },
        truncated=state.truncated,
        reason=state.reason,
        filter=flt.describe() if flt else "no filter",
        filter_note=filter_note(graph, work, flt),
        causal_rule=CAUSAL_RULE_WITH_REFUTED if include_refuted else CAUSAL_RULE,
        notes=notes,
        members=members,
        associations=associations_between(work, a_set, b_set),
    )
    if state.truncated and state.reason == "time budget spent":
        result.reason = (
            f"time budget of {budget:g} s spent: the lists hold what was found so "
            "far; raise --budget or lower --max-length / --loop-length"
        )
    if flt is not None and not flt.is_empty and work.number_of_edges() == 0:
        result.notes.append(f"the filter ({flt.describe()}) leaves no claim at all")
    result.summary = summarise(result)
    if grade:
        from gutkg.analysis.filters import EvidenceFilter

        human = explain(
            graph,
            a,
            b,
            max_length=max_length,
            loop_length=loop_length,
            limit=1,
            include_narrower=include_narrower,
            budget=budget,
            flt=_merge(flt, EvidenceFilter(species=("human",))),
            include_refuted=include_refuted,
            grade=False,
        )
        result.verdict = verdict(work, result, human, include_refuted=include_refuted, budget=budget)
        result.truncated = result.truncated or result.verdict.truncated
    for other in compare or []:
        merged = _merge(flt, other)
        again = explain(
            graph,
            a,
            b,
            max_length=max_length,
            loop_length=loop_length,
            limit=limit,
            include_narrower=include_narrower,
            budget=budget,
            flt=merged,
            include_refuted=include_refuted,
            grade=False,
        )
        result.comparisons.append(compare_explanations(work, result, again, merged))
    return result


def _merge(base: EvidenceFilter | None, extra: EvidenceFilter) -> EvidenceFilter:
    """``extra`` applied on top of ``base`` (a comparison never loosens the main filter)."""
    from gutkg.analysis.filters import EvidenceFilter

    if base is None or base.is_empty:
        return extra
    ranks = [r for r in (base.min_rank, extra.min_rank) if r]
    return EvidenceFilter(
        species=extra.species or base.species,
        min_strength=max(ranks) if ranks else None,
        status=extra.status or base.status,
        design=extra.design or base.design,
        exclude_contested=base.exclude_contested or extra.exclude_contested,
    )
