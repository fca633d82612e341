"""Adjustment sets and confounders for an exposure and an outcome, on a graph with feedback loops.

The backdoor criterion (Pearl) needs a DAG; the gut-barrier graph has feedback loops. The graph is
made acyclic by **time-unrolling** (:mod:`gutkg.analysis.unroll`), which never deletes a causal chain:
every concept becomes one variable per time step, a claim acts from one step to the next, every
concept persists; the exposure is set at step 1, the outcome read K steps later, and adjustment sets
are drawn from baseline values (step 0). networkx's d-separation functions (``find_minimal_d_separator``,
``is_d_separator``) then give the sets, and each set is checked.

The question answered is stated in every result: the **short-run effect** of the exposure, set after a
baseline, on the outcome K steps later. When exposure and outcome share a feedback loop, the
**equilibrium** effect is not identified by adjusting for any covariates; the result says so. When the
ancestral graph has no loop, nothing is unrolled and the graph itself is the DAG.

All minimal sets are listed (the enumeration forbids, in turn, each member of the sets found, which
reaches every minimal separator); when a cap stops it, the result says "N of at least M" and carries
``truncated``. Concepts declared unmeasured (``unmeasured=``) are never in a set; when no set is left,
the result says the effect is not identifiable by covariate adjustment.

References
----------
Pearl J (2009) Causality, 2nd ed., ch. 3 (backdoor criterion). van der Zander B, Liśkiewicz M,
Textor J (2019) Separators and adjustment sets in causal graphs. Artif Intell 270:1-40.
Hernán MA, Robins JM (2020) Causal Inference: What If, ch. 19-21.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gutkg.analysis.core import (
    CAUSAL_RULE,
    CAUSAL_RULE_WITH_REFUTED,
    Displayable,
    causal_view,
    distinct,
    filter_note,
    filtered,
    label,
)
from gutkg.analysis.identify import Identification

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter
    from gutkg.analysis.unroll import Unrolled

METHOD = (
    "time-unrolling: every concept becomes one variable per step, a claim acts on the next "
    "step, every concept persists; the exposure is set at step 1 and the outcome read at the last "
    "step; adjustment sets use baseline values (step 0). No claim is cut, so no causal chain is lost"
)


@dataclass(repr=False)
class AdjustResult(Displayable):
    """Adjustment sets, roles and the question the sets answer."""

    exposure: str
    outcome: str
    exposure_label: str
    outcome_label: str
    method: str
    question: str
    unrolled: bool
    steps: int
    effect_possible: bool
    identifiable: bool
    equilibrium_identifiable: bool
    adjustment_sets: list[list[str]]
    sets_found: int
    confounders: list[str]
    mediators: list[str]
    descendants: list[str]
    unmeasured: list[str]
    labels: dict[str, str]
    dagitty: str = ""
    identification: Identification | None = None
    loop_claims: list[tuple[str, str]] = field(default_factory=list)
    comparisons: list[SetComparison] = field(default_factory=list)
    truncated: bool = False
    filter: str = "no filter"
    filter_note: str = ""
    causal_rule: str = CAUSAL_RULE
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "exposure": self.exposure,
            "outcome": self.outcome,
            "exposure_label": self.exposure_label,
            "outcome_label": self.outcome_label,
            "method": self.method,
            "question": self.question,
            "unrolled": self.unrolled,
            "steps": self.steps,
            "causal_path_exists": self.effect_possible,
            "identifiable_by_adjustment": self.identifiable,
            "equilibrium_effect_identifiable": self.equilibrium_identifiable,
            "minimal_adjustment_sets": self.adjustment_sets,
            "sets_shown": len(self.adjustment_sets),
            "sets_found": self.sets_found,
            "confounders": self.confounders,
            "mediators": self.mediators,
            "descendants_of_exposure": self.descendants,
            "unmeasured": self.unmeasured,
            "identification": self.identification.as_dict() if self.identification else None,
            "unrolled_claims": [list(c) for c in self.loop_claims],
            "evidence_comparisons": [c.as_dict() for c in self.comparisons],
            "dagitty": self.dagitty,
            "truncated": self.truncated,
            "filter": self.filter,
            "filter_note": self.filter_note,
            "causal_rule": self.causal_rule,
            "notes": self.notes,
        }

    def text(self) -> str:
        from gutkg.analysis.text import section, status_lines, wrap

        def names(ids: list[str]) -> str:
            return ", ".join(self.labels.get(i, i) for i in ids) or "∅ (nothing)"

        out = [f"Adjustment for the effect of {self.exposure_label} on {self.outcome_label} (backdoor criterion)"]
        out += status_lines(self.filter, self.filter_note, self.causal_rule, self.truncated, "", [])
        out.append(wrap(f"question answered: {self.question}", "  "))
        out.append(section("How the graph was made acyclic"))
        out.append(wrap(self.method, "  "))
        if self.unmeasured:
            out.append(wrap("unmeasured (never adjusted for): " + names(self.unmeasured), "  "))
        total = (
            f"{len(self.adjustment_sets)}"
            if not self.truncated
            else f"{len(self.adjustment_sets)} of at least {self.sets_found}"
        )
        out.append(section("Minimal sufficient adjustment sets (baseline values)", total))
        if not self.effect_possible:
            out.append(
                wrap(
                    f"no causal chain from {self.exposure_label} to {self.outcome_label}: under this "
                    "graph the effect is nil; the sets below still block every backdoor path.",
                    "  ",
                )
            )
        for i, z in enumerate(self.adjustment_sets, 1):
            out.append(
                wrap(f"{i}. {{ {names(z)} }}" if z else f"{i}. ∅: no adjustment needed (no open backdoor path)", "  ")
            )
        if not self.identifiable:
            out.append(
                wrap(
                    "none: no set of measured concepts blocks every backdoor path, so the effect "
                    "is not identifiable by covariate adjustment under this graph"
                    + (" (the unmeasured concepts are needed)" if self.unmeasured else ""),
                    "  ",
                )
            )
        if self.identification is not None:
            idf = self.identification
            out.append(section("Identification", "identifiable" if idf.identifiable else "not identifiable"))
            out.append(wrap(f"by: {idf.method}; {idf.reason}", "  "))
            if idf.estimand:
                shown = (
                    idf.estimand
                    if len(idf.estimand) <= 600
                    else idf.estimand[:600] + f" … ({len(idf.estimand)} characters; in full with --format json)"
                )
                out.append(wrap(f"P({self.outcome_label} | do({self.exposure_label})) = {shown}", "  "))
        if self.loop_claims:
            shown_claims = [f"{self.labels.get(a, a)} → {self.labels.get(b, b)}" for a, b in self.loop_claims]
            out.append(section("Claims on feedback loops, unrolled (none cut)", len(shown_claims)))
            out.append(wrap("; ".join(shown_claims[:40]) + (" …" if len(shown_claims) > 40 else ""), "  "))
        for c in self.comparisons:
            out.append(section(f"Under {c.filter_note or c.filter}"))
            out.extend(wrap(line, "  ") for line in c.lines(names))
        out.append(section("Roles"))
        out.append(
            wrap(
                "confounders (causes of the exposure with a chain to the outcome avoiding it): "
                + names(self.confounders),
                "  ",
            )
        )
        out.append(wrap("mediators (on causal chains exposure → outcome): " + names(self.mediators), "  "))
        out.append(
            wrap(
                "consequences of the exposure (do not adjust for their later values): " + names(self.descendants), "  "
            )
        )
        out.extend(wrap(n, "  note: ") for n in self.notes)
        out.append(
            wrap("The exact DAG used: gutkg adjust EXPOSURE OUTCOME --format dagitty (paste into dagitty.net).", "  ")
        )
        return "\n".join(out)


def minimal_sets(
    bd: nx.DiGraph, e: str, o: str, restricted: set[str], max_sets: int = 100, max_tries: int = 2000
) -> tuple[list[frozenset[str]], bool]:
    """Distinct minimal backdoor sets, and whether the enumeration was cut short.

    networkx's minimal separator, then alternatives found by forbidding, in turn, each member of the
    sets already found (breadth first): every minimal separator is reached, unless ``max_sets`` or
    ``max_tries`` stops the search (then the second value is True).
    """
    import networkx as nx

    found: list[frozenset[str]] = []
    queue: list[frozenset[str]] = [frozenset()]
    tried: set[frozenset[str]] = set()
    while queue:
        if len(found) >= max_sets or len(tried) >= max_tries:
            return sorted(found, key=lambda z: (len(z), sorted(z))), True
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
    return sorted(found, key=lambda z: (len(z), sorted(z))), False


@dataclass
class Analysed:
    """The DAG an adjustment answer uses: the unrolling, its backdoor graph and the allowed covariates."""

    unrolled: Unrolled
    backdoor: nx.DiGraph
    descendants: set[str]
    restricted: set[str]
    hidden: set[str]
    view: nx.DiGraph


def analysed(
    graph: nx.MultiDiGraph,
    exposure: str,
    outcome: str,
    *,
    flt: EvidenceFilter | None = None,
    include_refuted: bool = False,
    unmeasured: list[str] | None = None,
    max_length: int = 6,
) -> Analysed:
    """The analysed DAG of :func:`adjust` (the time-unrolling of the causal graph under ``flt``)."""
    import networkx as nx

    from gutkg.analysis.unroll import concept_of, unroll

    work = filtered(graph, flt)
    view = causal_view(work, include_refuted=include_refuted)
    hidden = set(unmeasured or []) | {n for n, d in work.nodes(data=True) if d.get("rarely_measured")}
    u = unroll(view, exposure, outcome, max_length)
    desc = nx.descendants(u.dag, u.exposure)
    bd = u.dag.copy()
    bd.remove_edges_from(list(u.dag.out_edges(u.exposure)))
    restricted = {v for v in u.baseline if concept_of(v) not in hidden} - desc - {u.exposure, u.outcome}
    return Analysed(u, bd, desc, restricted, hidden, view)


def adjust(
    graph: nx.MultiDiGraph,
    exposure: str,
    outcome: str,
    *,
    flt: EvidenceFilter | None = None,
    include_refuted: bool = False,
    unmeasured: list[str] | None = None,
    max_length: int = 6,
    max_sets: int = 100,
    compare: list[EvidenceFilter] | None = None,
) -> AdjustResult:
    """Minimal adjustment sets for the effect of ``exposure`` on ``outcome`` (concept ids).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("c", "x"), ("c", "y"), ("x", "y")]:
    ...     _ = g.add_edge(u, v, key=u + v, sign=1, status="supported", strength=2)
    >>> adjust(g, "x", "y").adjustment_sets
    [['c']]

    Notes
    -----
    Each set is checked with ``networkx.is_d_separator`` on the backdoor graph (the DAG without the
    exposure's outgoing edges) and contains only baseline values, never a descendant of the exposure.
    ``unmeasured`` concepts (and those marked rarely measured in the graph) are never in a set; the
    effect is then identified by the backdoor criterion, the front-door criterion or the ID
    algorithm, or reported as not identifiable with the reason (:mod:`gutkg.analysis.identify`).
    ``compare`` reruns the analysis under each further evidence filter and says which sets survive.
    """
    import networkx as nx

    from gutkg.analysis.identify import identify
    from gutkg.analysis.unroll import concept_of

    distinct(graph, exposure, outcome)
    an = analysed(
        graph, exposure, outcome, flt=flt, include_refuted=include_refuted, unmeasured=unmeasured, max_length=max_length
    )
    u, bd, desc, restricted, hidden, view = (
        an.unrolled,
        an.backdoor,
        an.descendants,
        an.restricted,
        an.hidden,
        an.view,
    )
    work = filtered(graph, flt)
    dag, e, o = u.dag, u.exposure, u.outcome
    sets, truncated = minimal_sets(bd, e, o, restricted, max_sets=max_sets)
    for z in sets:
        assert nx.is_d_separator(bd, {e}, {o}, set(z)) and not (z & desc)
    readable = [sorted({concept_of(v) for v in z}) for z in sets]
    # roles on the original causal graph: nothing is cut, so every chain is there
    consequences = nx.descendants(view, exposure) - {outcome, exposure}
    mediators = consequences & nx.ancestors(view, outcome)
    without_e = view.subgraph(set(view) - {exposure})
    confounders = (nx.ancestors(view, exposure) & nx.ancestors(without_e, outcome)) - {outcome}
    in_loop = exposure in nx.descendants(view, outcome) and outcome in nx.descendants(view, exposure)
    ancestral = view.subgraph({concept_of(v) for v in dag})
    loop_claims = (
        sorted(
            (a, b)
            for comp in nx.strongly_connected_components(ancestral)
            if len(comp) > 1
            for a, b in ancestral.subgraph(comp).edges
        )
        if u.unrolled
        else []
    )
    ids = (
        {concept_of(v) for z in sets for v in z}
        | confounders
        | consequences
        | hidden
        | {n for c in loop_claims for n in c}
    )
    labels = {n: label(graph, n) for n in ids | {exposure, outcome} if n in graph}
    steps = f"{u.steps - 1} step" + ("s" if u.steps - 1 != 1 else "")
    question = (
        f"the short-run effect of setting {label(graph, exposure)} (after a baseline) on "
        f"{label(graph, outcome)} {steps} later, given baseline values"
        if u.unrolled
        else f"the effect of {label(graph, exposure)} on {label(graph, outcome)} (the graph has no "
        "feedback loop between them)"
    )
    latent = {v for v in dag if concept_of(v) in hidden}
    names = {v: labels.get(concept_of(v), concept_of(v)) for v in dag}
    ident = identify(dag, e, o, latent, sorted(sets[0]) if sets else None, names)
    result = AdjustResult(
        exposure=exposure,
        outcome=outcome,
        exposure_label=label(graph, exposure),
        outcome_label=label(graph, outcome),
        method=METHOD if u.unrolled else u.describe(),
        question=question,
        unrolled=u.unrolled,
        steps=u.steps,
        effect_possible=outcome in nx.descendants(view, exposure),
        identifiable=bool(sets),
        equilibrium_identifiable=not in_loop,
        adjustment_sets=readable,
        sets_found=len(sets),
        confounders=sorted(confounders),
        mediators=sorted(mediators),
        descendants=sorted(consequences),
        unmeasured=sorted(hidden & set(view)),
        labels=labels,
        dagitty=to_dagitty(dag, e, o, latent),
        identification=ident,
        loop_claims=loop_claims,
        truncated=truncated,
        filter=flt.describe() if flt else "no filter",
        filter_note=filter_note(graph, work, flt),
        causal_rule=CAUSAL_RULE_WITH_REFUTED if include_refuted else CAUSAL_RULE,
    )
    if in_loop:
        result.notes.append(
            f"{result.exposure_label} and {result.outcome_label} lie on a common feedback loop: the "
            "equilibrium effect (after the loop has settled) is not identifiable by adjusting for any "
            "covariates; the sets answer the short-run question above"
        )
    if u.unrolled:
        result.notes.append(
            f"the sets hold baseline values (step 0), including the exposure's own earlier "
            f"value where it appears; chains longer than {max_length} claims are not "
            "represented (raise --max-length)"
        )
        if ident.method in ("front-door", "ID algorithm"):
            result.notes.append(
                "the identification assumes every measured concept is observed at every "
                "step of the unrolled graph (repeated measurements)"
            )
    if truncated:
        result.notes.append(f"stopped after {len(sets)} sets (cap {max_sets}); there may be more")
    if not sets and hidden:
        needed = [
            h
            for h in sorted(hidden & set(view))
            if nx.find_minimal_d_separator(
                bd, {e}, {o}, restricted=restricted | {v for v in u.baseline if concept_of(v) == h}
            )
            is not None
        ]
        if needed:
            result.notes.append(
                "not identifiable by adjustment because these unmeasured concepts confound "
                "the exposure and the outcome (measuring any one would give a set): "
                + ", ".join(label(graph, h) for h in needed)
            )
    overlap = confounders & mediators
    if overlap:
        result.notes.append(
            "on a loop, a concept can be a confounder (its baseline value) and a mediator "
            "(its later value) at once: " + ", ".join(sorted(label(graph, n) for n in overlap))
        )
    for other in compare or []:
        from gutkg.analysis.explain import _merge

        merged = _merge(flt, other)
        again = adjust(
            graph,
            exposure,
            outcome,
            flt=merged,
            include_refuted=include_refuted,
            unmeasured=unmeasured,
            max_length=max_length,
            max_sets=max_sets,
        )
        there = analysed(
            graph,
            exposure,
            outcome,
            flt=merged,
            include_refuted=include_refuted,
            unmeasured=unmeasured,
            max_length=max_length,
        )
        result.comparisons.append(compare_sets(result, again, there, merged))
    return result


@dataclass
class SetComparison:
    """The adjustment sets under a stricter evidence filter, set by set."""

    filter: str
    filter_note: str
    still_minimal: list[list[str]]
    still_sufficient: list[list[str]]
    no_longer_sufficient: list[list[str]]
    new_sets: list[list[str]]
    identifiable: bool
    effect_possible: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "filter": self.filter,
            "filter_note": self.filter_note,
            "still_minimal": self.still_minimal,
            "still_sufficient_not_minimal": self.still_sufficient,
            "no_longer_sufficient": self.no_longer_sufficient,
            "new_minimal_sets": self.new_sets,
            "identifiable_by_adjustment": self.identifiable,
            "causal_path_exists": self.effect_possible,
        }

    def lines(self, names: Any) -> list[str]:
        out = [
            f"{len(self.still_minimal)} set(s) still minimal, {len(self.still_sufficient)} still "
            f"sufficient but no longer minimal, {len(self.no_longer_sufficient)} no longer sufficient, "
            f"{len(self.new_sets)} new minimal set(s)"
        ]
        if not self.effect_possible:
            out.append("no causal chain from the exposure to the outcome survives this filter")
        for title, group in (
            ("still minimal", self.still_minimal),
            ("no longer sufficient", self.no_longer_sufficient),
            ("new", self.new_sets),
        ):
            out.extend(f"{title}: {{ {names(z)} }}" for z in group[:10])
        return out


def compare_sets(base: AdjustResult, again: AdjustResult, there: Analysed, flt: EvidenceFilter) -> SetComparison:
    """Which of ``base``'s sets survive under ``flt`` (``again`` and ``there`` are the filtered run).

    A set survives as *minimal* when the filtered run lists it; as *sufficient* when its baseline
    values (those still in the filtered analysed DAG) still block every backdoor path there.
    """
    import networkx as nx

    from gutkg.analysis.unroll import concept_of

    minimal = {tuple(z) for z in again.adjustment_sets}
    still, enough, gone = [], [], []
    u = there.unrolled
    for z in base.adjustment_sets:
        if tuple(z) in minimal:
            still.append(z)
            continue
        vs = {v for v in u.baseline if concept_of(v) in z} & there.restricted
        if nx.is_d_separator(there.backdoor, {u.exposure}, {u.outcome}, vs):
            enough.append(z)
        else:
            gone.append(z)
    old = {tuple(z) for z in base.adjustment_sets}
    return SetComparison(
        filter=flt.describe(),
        filter_note=again.filter_note,
        still_minimal=still,
        still_sufficient=enough,
        no_longer_sufficient=gone,
        new_sets=[z for z in again.adjustment_sets if tuple(z) not in old],
        identifiable=again.identifiable,
        effect_possible=again.effect_possible,
    )


def to_dagitty(dag: nx.DiGraph, exposure: str, outcome: str, latent: set[str] | None = None) -> str:
    """The DAG in DAGitty syntax (paste into dagitty.net), with exposure, outcome and latent marks.

    >>> import networkx as nx
    >>> print(to_dagitty(nx.DiGraph([("c", "x"), ("c", "y"), ("x", "y")]), "x", "y"))
    dag {
    "c"
    "x" [exposure]
    "y" [outcome]
    "c" -> "x"
    "c" -> "y"
    "x" -> "y"
    }
    """
    latent = latent or set()

    def q(n: str) -> str:
        return '"' + str(n).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["dag {"]
    for n in sorted(dag.nodes):
        tag = "exposure" if n == exposure else "outcome" if n == outcome else "latent" if n in latent else ""
        lines.append(q(n) + (f" [{tag}]" if tag else ""))
    lines += [f"{q(u)} -> {q(v)}" for u, v in sorted(dag.edges)]
    lines.append("}")
    return "\n".join(lines)
