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

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter

METHOD = ("time-unrolling: every concept becomes one variable per step, a claim acts on the next "
          "step, every concept persists; the exposure is set at step 1 and the outcome read at the last "
          "step; adjustment sets use baseline values (step 0). No claim is cut, so no causal chain is lost")


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
    truncated: bool = False
    filter: str = "no filter"
    filter_note: str = ""
    causal_rule: str = CAUSAL_RULE
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"exposure": self.exposure, "outcome": self.outcome,
                "exposure_label": self.exposure_label, "outcome_label": self.outcome_label,
                "method": self.method, "question": self.question, "unrolled": self.unrolled,
                "steps": self.steps, "causal_path_exists": self.effect_possible,
                "identifiable_by_adjustment": self.identifiable,
                "equilibrium_effect_identifiable": self.equilibrium_identifiable,
                "minimal_adjustment_sets": self.adjustment_sets,
                "sets_shown": len(self.adjustment_sets), "sets_found": self.sets_found,
                "confounders": self.confounders, "mediators": self.mediators,
                "descendants_of_exposure": self.descendants, "unmeasured": self.unmeasured,
                "dagitty": self.dagitty, "truncated": self.truncated, "filter": self.filter,
                "filter_note": self.filter_note, "causal_rule": self.causal_rule, "notes": self.notes}

    def text(self) -> str:
        from gutkg.analysis.text import section, status_lines, wrap

        def names(ids: list[str]) -> str:
            return ", ".join(self.labels.get(i, i) for i in ids) or "∅ (nothing)"

        out = [f"Adjustment for the effect of {self.exposure_label} on {self.outcome_label} "
               "(backdoor criterion)"]
        out += status_lines(self.filter, self.filter_note, self.causal_rule, self.truncated, "", [])
        out.append(wrap(f"question answered: {self.question}", "  "))
        out.append(section("How the graph was made acyclic"))
        out.append(wrap(self.method, "  "))
        if self.unmeasured:
            out.append(wrap("unmeasured (never adjusted for): " + names(self.unmeasured), "  "))
        total = f"{len(self.adjustment_sets)}" if not self.truncated else \
            f"{len(self.adjustment_sets)} of at least {self.sets_found}"
        out.append(section("Minimal sufficient adjustment sets (baseline values)", total))
        if not self.effect_possible:
            out.append(wrap(f"no causal chain from {self.exposure_label} to {self.outcome_label}: under this "
                            "graph the effect is nil; the sets below still block every backdoor path.", "  "))
        for i, z in enumerate(self.adjustment_sets, 1):
            out.append(wrap(f"{i}. {{ {names(z)} }}" if z else
                            f"{i}. ∅: no adjustment needed (no open backdoor path)", "  "))
        if not self.identifiable:
            out.append(wrap("none: no set of measured concepts blocks every backdoor path, so the effect "
                            "is not identifiable by covariate adjustment under this graph"
                            + (" (the unmeasured concepts are needed)" if self.unmeasured else ""), "  "))
        out.append(section("Roles"))
        out.append(wrap("confounders (causes of the exposure with a chain to the outcome avoiding it): "
                        + names(self.confounders), "  "))
        out.append(wrap("mediators (on causal chains exposure → outcome): " + names(self.mediators), "  "))
        out.append(wrap("consequences of the exposure (do not adjust for their later values): "
                        + names(self.descendants), "  "))
        out.extend(wrap(n, "  note: ") for n in self.notes)
        out.append(wrap("The exact DAG used: gutkg adjust EXPOSURE OUTCOME --format dagitty (paste into "
                        "dagitty.net).", "  "))
        return "\n".join(out)


def minimal_sets(bd: nx.DiGraph, e: str, o: str, restricted: set[str],
                 max_sets: int = 100, max_tries: int = 2000) -> tuple[list[frozenset[str]], bool]:
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


def adjust(graph: nx.MultiDiGraph, exposure: str, outcome: str, *,
           flt: EvidenceFilter | None = None, include_refuted: bool = False,
           unmeasured: list[str] | None = None, max_length: int = 6, max_sets: int = 100) -> AdjustResult:
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
    ``unmeasured`` concepts (and those marked rarely measured in the graph) are never in a set.
    """
    import networkx as nx

    from gutkg.analysis.unroll import concept_of, unroll

    distinct(graph, exposure, outcome)
    work = filtered(graph, flt)
    view = causal_view(work, include_refuted=include_refuted)
    hidden = set(unmeasured or []) | {n for n, d in work.nodes(data=True) if d.get("rarely_measured")}
    u = unroll(view, exposure, outcome, max_length)
    dag, e, o = u.dag, u.exposure, u.outcome
    desc = nx.descendants(dag, e)
    bd = dag.copy()
    bd.remove_edges_from(list(dag.out_edges(e)))
    restricted = {v for v in u.baseline if concept_of(v) not in hidden} - desc - {e, o}
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
    ids = {concept_of(v) for z in sets for v in z} | confounders | consequences | hidden
    labels = {n: label(graph, n) for n in ids | {exposure, outcome}}
    steps = f"{u.steps - 1} step" + ("s" if u.steps - 1 != 1 else "")
    question = (f"the short-run effect of setting {label(graph, exposure)} (after a baseline) on "
                f"{label(graph, outcome)} {steps} later, given baseline values" if u.unrolled else
                f"the effect of {label(graph, exposure)} on {label(graph, outcome)} (the graph has no "
                "feedback loop between them)")
    result = AdjustResult(
        exposure=exposure, outcome=outcome, exposure_label=label(graph, exposure),
        outcome_label=label(graph, outcome), method=METHOD if u.unrolled else u.describe(),
        question=question, unrolled=u.unrolled, steps=u.steps,
        effect_possible=outcome in nx.descendants(view, exposure), identifiable=bool(sets),
        equilibrium_identifiable=not in_loop, adjustment_sets=readable, sets_found=len(sets),
        confounders=sorted(confounders), mediators=sorted(mediators), descendants=sorted(consequences),
        unmeasured=sorted(hidden & set(view)), labels=labels, dagitty=to_dagitty(dag, e, o, {
            v for v in dag if concept_of(v) in hidden}), truncated=truncated,
        filter=flt.describe() if flt else "no filter", filter_note=filter_note(graph, work, flt),
        causal_rule=CAUSAL_RULE_WITH_REFUTED if include_refuted else CAUSAL_RULE)
    if in_loop:
        result.notes.append(
            f"{result.exposure_label} and {result.outcome_label} lie on a common feedback loop: the "
            "equilibrium effect (after the loop has settled) is not identifiable by adjusting for any "
            "covariates; the sets answer the short-run question above")
    if u.unrolled:
        result.notes.append(f"the sets hold baseline values (step 0), including the exposure's own earlier "
                            f"value where it appears; chains longer than {max_length} claims are not "
                            "represented (raise --max-length)")
    if truncated:
        result.notes.append(f"stopped after {len(sets)} sets (cap {max_sets}); there may be more")
    if not sets and hidden:
        needed = [h for h in sorted(hidden & set(view))
                  if nx.find_minimal_d_separator(
                      bd, {e}, {o}, restricted=restricted | {v for v in u.baseline if concept_of(v) == h}) is not None]
        if needed:
            result.notes.append("not identifiable by adjustment because these unmeasured concepts confound "
                                "the exposure and the outcome (measuring any one would give a set): "
                                + ", ".join(label(graph, h) for h in needed))
        result.notes.append("front-door and general identification (the ID algorithm) are not run here: "
                            "without a valid covariate set the effect is reported as not identifiable by "
                            "adjustment")
    overlap = confounders & mediators
    if overlap:
        result.notes.append("on a loop, a concept can be a confounder (its baseline value) and a mediator "
                            "(its later value) at once: " + ", ".join(sorted(label(graph, n) for n in overlap)))
    return result


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
