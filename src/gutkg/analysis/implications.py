"""Testable implications: the conditional independences the causal graph implies.

A user with data can test the graph: every pair of concepts with no claim between them is independent
given some set of other concepts, if the graph is right. As DAGitty's default
(``impliedConditionalIndependencies``, type "missing edge"), each non-adjacent pair of measured
variables is listed with *every* minimal set that separates it (d-separation); the *basis set*
(each variable independent of its non-descendants given its parents, the local Markov property) is
available when the graph has no loop and nothing unmeasured.

Feedback loops. Data taken at equilibrium from a system with loops obey σ-separation, not
d-separation. σ-separation in a graph equals d-separation in its *acyclification*: the concepts of one
strongly connected component (a loop) are all joined by shared unmeasured causes (a latent parent per
component, never conditioned on), and every cause of a member becomes a cause of every member. The
implications are computed on that DAG, so no independence is claimed between concepts of one loop.

References
----------
Forré P, Mooij JM (2017) Markov properties for graphical models with cycles and latent variables.
arXiv:1710.08775 (σ-separation, acyclification).

Notes
-----
All minimal separators of a pair are enumerated (:func:`gutkg.analysis.adjust.minimal_sets`, which
reaches every minimal separator); ``max_total`` caps the listing and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gutkg.analysis.core import CAUSAL_RULE, CAUSAL_RULE_WITH_REFUTED, Outcome, causal_view, filter_note, filtered

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter

LOOP = "loop:"  # prefix of the latent variable that stands for a loop's shared dynamics


def acyclify(view: nx.DiGraph) -> tuple[nx.DiGraph, set[str]]:
    """The acyclification of ``view`` (module docstring) and its latent variables.

    >>> import networkx as nx
    >>> dag, latent = acyclify(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "b")]))
    >>> sorted(dag.edges), sorted(latent)
    ([('a', 'b'), ('a', 'c'), ('loop:b', 'b'), ('loop:b', 'c')], ['loop:b'])
    """
    import networkx as nx

    comp_of: dict[str, frozenset[str]] = {}
    for comp in nx.strongly_connected_components(view):
        for n in comp:
            comp_of[n] = frozenset(comp)
    dag = nx.DiGraph()
    dag.add_nodes_from(view)
    latent = set()
    for comp in set(comp_of.values()):
        if len(comp) > 1:
            h = LOOP + min(comp)
            latent.add(h)
            dag.add_edges_from((h, n) for n in comp)
    for u, v in view.edges:
        if comp_of[u] != comp_of[v]:
            dag.add_edges_from((u, w) for w in comp_of[v])
    return dag, latent


def adjacent(dag: nx.DiGraph, latent: set[str], a: str, b: str) -> bool:
    """Joined by a claim, or members of one loop (a shared latent parent)."""
    if dag.has_edge(a, b) or dag.has_edge(b, a):
        return True
    return any(h in latent and dag.has_edge(h, b) for h in dag.pred[a])


def minimal_implications(
    dag: nx.DiGraph, latent: set[str], *, max_total: int = 1000, max_per_pair: int = 50, involving: str | None = None
) -> tuple[list[tuple[str, str, list[list[str]]]], bool]:
    """Each non-adjacent measured pair with all its minimal separators; and whether the cap stopped it.

    >>> import networkx as nx
    >>> minimal_implications(nx.DiGraph([("a", "b"), ("b", "c")]), set())
    ([('a', 'c', [['b']])], False)
    """
    from gutkg.analysis.adjust import minimal_sets

    observed = sorted(set(dag) - latent)
    out: list[tuple[str, str, list[list[str]]]] = []
    total = 0
    for i, a in enumerate(observed):
        for b in observed[i + 1 :]:
            if (involving is not None and involving not in (a, b)) or adjacent(dag, latent, a, b):
                continue
            sets, _ = minimal_sets(dag, a, b, set(observed) - {a, b}, max_sets=max_per_pair)
            if sets:
                out.append((a, b, [sorted(z) for z in sets]))
                total += len(sets)
                if total >= max_total:
                    return out, True
    return out, False


def basis_implications(dag: nx.DiGraph) -> list[tuple[str, list[str], list[str]]]:
    """The local Markov basis: each variable ⊥ its non-descendants (not parents) | its parents.

    >>> import networkx as nx
    >>> basis_implications(nx.DiGraph([("a", "b"), ("b", "c")]))
    [('c', ['a'], ['b'])]
    """
    import networkx as nx

    out = []
    for v in sorted(dag):
        parents = set(dag.pred[v])
        others = set(dag) - nx.descendants(dag, v) - {v} - parents
        if others:
            out.append((v, sorted(others), sorted(parents)))
    return out


@dataclass(repr=False)
class ImplicationsResult(Outcome):
    """The conditional independences a causal graph implies, for testing it against data."""

    kind: str = "missing-edge"
    method: str = ""
    independences: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    loops: int = 0
    dagitty: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "method": self.method,
            **self.outcome_dict(),
            "independences": self.independences,
            "loops": self.loops,
            "dagitty": self.dagitty,
        }

    def text(self) -> str:
        from gutkg.analysis.text import section, status_lines, wrap

        def names(ids: list[str]) -> str:
            return ", ".join(self.labels.get(i, i) for i in ids)

        out = ["Testable implications: conditional independences the causal graph implies"]
        out += status_lines(self.filter, self.filter_note, self.causal_rule, self.truncated, self.reason, self.notes)
        out.append(wrap(self.method, "  "))
        out.append(section("Independences", len(self.independences)))
        for i, row in enumerate(self.independences, 1):
            given = " | " + names(row["given"]) if row["given"] else ""
            out.append(wrap(f"{i}. {names([row['x']])} ⊥ {names(row['y'])}{given}", "  "))
        if not self.independences:
            out.append("  none: every pair of measured concepts is joined by a claim or a loop")
        return "\n".join(out)


def implications(
    graph: nx.MultiDiGraph,
    *,
    kind: str = "missing-edge",
    flt: EvidenceFilter | None = None,
    include_refuted: bool = False,
    unmeasured: list[str] | None = None,
    involving: str | None = None,
    max_total: int = 1000,
) -> ImplicationsResult:
    """The testable implications of the causal graph under ``flt`` (see the module docstring).

    ``kind`` is ``missing-edge`` (each non-adjacent pair with its minimal separating sets) or
    ``basis`` (the local Markov basis; needs a graph without loops or unmeasured concepts).
    ``involving`` keeps the independences that name this concept.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("a", "b"), ("b", "c")]:
    ...     _ = g.add_edge(u, v, key=u + v, sign=1, status="supported", strength=2)
    >>> [(r["x"], r["y"], r["given"]) for r in implications(g).independences]
    [('a', ['c'], ['b'])]
    """
    from gutkg.analysis.adjust import to_dagitty
    from gutkg.analysis.core import label
    from gutkg.errors import GutKGError

    if kind not in ("missing-edge", "basis"):
        raise GutKGError(f"unknown type of implications {kind!r}: use missing-edge or basis")
    work = filtered(graph, flt)
    view = causal_view(work, include_refuted=include_refuted)
    view = view.subgraph([n for n in view if view.degree(n)]).copy()
    hidden = (set(unmeasured or []) | {n for n, d in work.nodes(data=True) if d.get("rarely_measured")}) & set(view)
    dag, loop_latent = acyclify(view)
    latent = loop_latent | hidden
    result = ImplicationsResult(
        filter=flt.describe() if flt else "no filter",
        filter_note=filter_note(graph, work, flt),
        causal_rule=CAUSAL_RULE_WITH_REFUTED if include_refuted else CAUSAL_RULE,
        kind=kind,
        loops=len(loop_latent),
    )
    result.labels = {n: label(graph, n) for n in view}
    result.labels.update(
        {h: "shared dynamics of the loop through " + label(graph, h[len(LOOP) :]) for h in loop_latent}
    )
    result.dagitty = to_dagitty(dag, "", "", latent)
    if loop_latent:
        result.method = (
            f"σ-separation: the {len(loop_latent)} strongly connected component(s) (feedback "
            "loops) are acyclified (a latent shared cause per loop, every cause of a member a "
            "cause of every member), then d-separation; holds for data at equilibrium"
        )
    else:
        result.method = "d-separation on the causal graph (it has no feedback loop)"
    if hidden:
        result.notes.append(
            "unmeasured (never conditioned on, no implication about them): "
            + ", ".join(sorted(result.labels[h] for h in hidden))
        )
    if kind == "basis":
        if latent:
            raise GutKGError(
                "the basis set needs a graph without feedback loops or unmeasured concepts: "
                "use --type missing-edge, or narrow the graph with an evidence filter"
            )
        result.independences = [
            {"x": v, "y": ys, "given": zs}
            for v, ys, zs in basis_implications(dag)
            if involving is None or involving == v or involving in ys
        ]
        return result
    rows, capped = minimal_implications(dag, latent, max_total=max_total, involving=involving)
    result.independences = [{"x": a, "y": [b], "given": z} for a, b, sets in rows for z in sets]
    if capped:
        result.truncated, result.reason = True, f"stopped after {max_total} independences (--limit)"
    return result


__all__ = ["ImplicationsResult", "acyclify", "basis_implications", "implications", "minimal_implications"]
