"""Identification of a causal effect when some concepts are unmeasured: backdoor, front-door, ID.

Given a DAG (the one :func:`gutkg.analysis.adjust.adjust` analyses: the graph itself, or its
time-unrolling when it has feedback loops) and the set of unmeasured variables, the effect
``P(y | do(x))`` is identifiable when it can be written in terms of the observed distribution alone.
Three criteria are tried, in order, and the first that succeeds gives the estimand:

1. **backdoor**: a set Z of measured baseline variables blocks every backdoor path; then
   ``P(y | do(x)) = Σ_z P(y | x, z) P(z)``;
2. **front-door**: a set M of measured variables intercepts every causal chain from x to y, no
   backdoor path from x to M is open, and x blocks every backdoor path from M to y; then
   ``P(y | do(x)) = Σ_m P(m | x) Σ_x' P(y | m, x') P(x')``;
3. **the ID algorithm** (Shpitser and Pearl): complete for this problem, so when it fails the effect is
   not identifiable from the observed distribution under this graph by any method; the failure names
   a *hedge*, two sets of variables that make two models agree on every observed probability and
   disagree on the effect.

The ID algorithm works on the latent projection of the DAG: measured variables, an arrow a → b when
a chain of unmeasured variables leads from a to b, and a bidirected arc a ↔ b when an unmeasured
variable reaches both through unmeasured variables only. Its estimand is a symbolic expression
(:class:`Expr`) that can be printed and evaluated on a distribution (the tests check it numerically
against the interventional distribution of random discrete models).

References
----------
Pearl J (2009) Causality, 2nd ed., ch. 3 (backdoor and front-door criteria). Shpitser I, Pearl J (2006)
Identification of joint interventional distributions in recursive semi-Markovian causal models.
AAAI 2006:1219-1226 (the ID algorithm, complete).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

Nodes = frozenset[str]


# ── symbolic estimands ──────────────────────────────────────────────────────────────────────────


class Expr:
    """A probability expression over the observed distribution."""

    def render(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def free(self) -> frozenset[str]:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __str__(self) -> str:
        return self.render()


def _names(vs: Iterable[str]) -> str:
    return ", ".join(sorted(vs))


@dataclass(frozen=True)
class Prob(Expr):
    """``P(vars | given)`` of the observed distribution."""

    vars: Nodes
    given: Nodes = frozenset()

    def render(self) -> str:
        return f"P({_names(self.vars)}" + (f" | {_names(self.given)})" if self.given else ")")

    def free(self) -> frozenset[str]:
        return self.vars | self.given


@dataclass(frozen=True)
class Sum(Expr):
    """``Σ_over body``."""

    over: Nodes
    body: Expr

    def render(self) -> str:
        return f"Σ_{{{_names(self.over)}}} [{self.body.render()}]"

    def free(self) -> frozenset[str]:
        return self.body.free() - self.over


@dataclass(frozen=True)
class Product(Expr):
    """The product of its factors."""

    factors: tuple[Expr, ...]

    def render(self) -> str:
        return " ".join(f.render() for f in self.factors)

    def free(self) -> frozenset[str]:
        return frozenset().union(*(f.free() for f in self.factors))


@dataclass(frozen=True)
class Fraction(Expr):
    """``numerator / denominator``."""

    numerator: Expr
    denominator: Expr

    def render(self) -> str:
        return f"({self.numerator.render()}) / ({self.denominator.render()})"

    def free(self) -> frozenset[str]:
        return self.numerator.free() | self.denominator.free()


def marginal(p: Expr, out: Iterable[str]) -> Expr:
    """``Σ_out p``, simplified when ``p`` is a plain joint ``P(V)``."""
    w = frozenset(out)
    if not w:
        return p
    if isinstance(p, Prob) and not p.given:
        return Prob(p.vars - w)
    if isinstance(p, Sum):
        return Sum(p.over | w, p.body)
    return Sum(w, p)


def conditional(p: Expr, variables: Nodes, target: str, given: Nodes) -> Expr:
    """``P(target | given)`` computed from ``p``, a joint over ``variables``."""
    if isinstance(p, Prob) and not p.given and p.vars == variables:
        return Prob(frozenset({target}), given)
    numerator = marginal(p, variables - given - {target})
    if not given:
        return numerator
    return Fraction(numerator, marginal(p, variables - given))


def product(factors: list[Expr]) -> Expr:
    flat: list[Expr] = []
    for f in factors:
        flat.extend(f.factors if isinstance(f, Product) else [f])
    return flat[0] if len(flat) == 1 else Product(tuple(flat))


def evaluate(
    e: Expr, values: Mapping[str, int], joint: Mapping[tuple[int, ...], float], order: tuple[str, ...]
) -> float:
    """The value of ``e`` with free variables set by ``values`` (binary variables), given the
    observed ``joint`` distribution over ``order``. For tests and small graphs: O(2^|V|) per term."""
    from itertools import product as cartesian

    if isinstance(e, Prob):

        def mass(fixed: Nodes) -> float:
            return sum(pr for row, pr in joint.items() if all(row[order.index(v)] == values[v] for v in fixed))

        den = mass(e.given) if e.given else 1.0
        return mass(e.vars | e.given) / den if den else 0.0
    if isinstance(e, Sum):
        over = sorted(e.over)
        return sum(
            evaluate(e.body, {**values, **dict(zip(over, bits, strict=True))}, joint, order)
            for bits in cartesian((0, 1), repeat=len(over))
        )
    if isinstance(e, Product):
        total = 1.0
        for f in e.factors:
            total *= evaluate(f, values, joint, order)
        return total
    if isinstance(e, Fraction):
        den = evaluate(e.denominator, values, joint, order)
        return evaluate(e.numerator, values, joint, order) / den if den else 0.0
    raise TypeError(f"not an expression: {e!r}")


# ── acyclic directed mixed graphs ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ADMG:
    """Observed variables, their parents and bidirected arcs (shared unmeasured causes)."""

    nodes: Nodes
    parents: Mapping[str, Nodes]
    bidirected: frozenset[frozenset[str]]
    order: tuple[str, ...]  # a topological order of all nodes

    def sub(self, keep: Iterable[str]) -> ADMG:
        k = frozenset(keep)
        return ADMG(
            k,
            {v: self.parents[v] & k for v in k},
            frozenset(b for b in self.bidirected if b <= k),
            tuple(v for v in self.order if v in k),
        )

    def ancestors(self, of: Iterable[str]) -> Nodes:
        """``of`` and all its ancestors."""
        seen = set(of)
        todo = list(seen)
        while todo:
            for p in self.parents[todo.pop()]:
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return frozenset(seen)

    def components(self) -> list[Nodes]:
        """The c-components: sets joined by bidirected arcs."""
        adj: dict[str, set[str]] = {v: set() for v in self.nodes}
        for b in self.bidirected:
            a, c = tuple(b)
            adj[a].add(c)
            adj[c].add(a)
        out, seen = [], set()
        for v in self.order:
            if v in seen:
                continue
            comp, todo = {v}, [v]
            while todo:
                for w in adj[todo.pop()]:
                    if w not in comp:
                        comp.add(w)
                        todo.append(w)
            seen |= comp
            out.append(frozenset(comp))
        return out

    def without_incoming(self, x: Nodes) -> ADMG:
        """The graph with the arrows and arcs into ``x`` removed (G with x set)."""
        return ADMG(
            self.nodes,
            {v: (frozenset() if v in x else p) for v, p in self.parents.items()},
            frozenset(b for b in self.bidirected if not b & x),
            self.order,
        )


def project(dag: nx.DiGraph, latent: Iterable[str]) -> ADMG:
    """The latent projection of ``dag`` onto its measured variables (see the module docstring)."""
    import networkx as nx

    hidden = set(latent) & set(dag)
    reach: dict[str, frozenset[str]] = {}  # observed nodes a latent reaches through latents only
    for h in reversed(list(nx.topological_sort(dag))):
        if h in hidden:
            r: set[str] = set()
            for c in dag.succ[h]:
                r |= reach[c] if c in hidden else {c}
            reach[h] = frozenset(r)
    observed = frozenset(v for v in dag if v not in hidden)
    parents: dict[str, set[str]] = {v: set() for v in observed}
    for a in observed:
        for c in dag.succ[a]:
            for b in reach[c] if c in hidden else {c}:
                parents[b].add(a)
    bi: set[frozenset[str]] = set()
    for h in hidden:
        if any(p in hidden for p in dag.pred[h]):
            continue  # its reach is contained in a latent parent's reach
        r_list = sorted(reach[h])
        bi.update(frozenset((a, b)) for i, a in enumerate(r_list) for b in r_list[i + 1 :])
    order = tuple(v for v in nx.topological_sort(dag) if v in observed)
    return ADMG(observed, {v: frozenset(p) for v, p in parents.items()}, frozenset(bi), order)


class Hedge(Exception):
    """The ID algorithm failed: ``big`` and ``small`` form a hedge for the effect."""

    def __init__(self, big: Nodes, small: Nodes) -> None:
        super().__init__(f"hedge {sorted(big)} ⊇ {sorted(small)}")
        self.big, self.small = big, small


def id_algorithm(y: Nodes, x: Nodes, p: Expr, g: ADMG) -> Expr:
    """``P(y | do(x))`` in terms of ``p`` (a joint over ``g.nodes``), or :class:`Hedge` (Shpitser-Pearl).

    >>> g = ADMG(frozenset("xyz"), {"x": frozenset(), "z": frozenset("x"), "y": frozenset("z")},
    ...          frozenset({frozenset("xy")}), ("x", "z", "y"))
    >>> print(id_algorithm(frozenset("y"), frozenset("x"), Prob(g.nodes), g))
    Σ_{z} [P(z | x) Σ_{x} [P(x) P(y | x, z)]]
    """
    v = g.nodes
    # line 1
    if not x:
        return marginal(p, v - y)
    # line 2
    an = g.ancestors(y)
    if an != v:
        return id_algorithm(y, x & an, marginal(p, v - an), g.sub(an))
    # line 3
    w = (v - x) - g.without_incoming(x).ancestors(y)
    if w:
        return id_algorithm(y, x | w, p, g)
    rest = g.sub(v - x)
    parts = rest.components()
    # line 4
    if len(parts) > 1:
        return marginal(product([id_algorithm(s, v - s, p, g) for s in parts]), v - (y | x))
    s = parts[0]
    whole = g.components()
    # line 5
    if len(whole) == 1:
        raise Hedge(v, s)
    before = {n: frozenset(g.order[:i]) for i, n in enumerate(g.order)}
    # line 6
    if s in whole:
        factors = [conditional(p, v, n, before[n]) for n in g.order if n in s]
        return marginal(product(factors), s - y)
    # line 7
    bigger = next(c for c in whole if s < c)
    factors = [conditional(p, v, n, before[n]) for n in g.order if n in bigger]
    return id_algorithm(y, x & bigger, product(factors), g.sub(bigger))


# ── the three criteria, in order ───────────────────────────────────────────────────────────────


def front_door(dag: nx.DiGraph, x: str, y: str, hidden: set[str]) -> list[str] | None:
    """A front-door set for x → y (measured mediators), or None.

    Two candidates are tried: every measured variable on a causal chain from x to y, and the measured
    variables on those chains nearest to x (the first measured one on each chain). Each is checked
    against the three conditions of the criterion with d-separation.
    """
    import networkx as nx

    on_chain = (nx.descendants(dag, x) & nx.ancestors(dag, y)) - {x, y}
    measured = on_chain - hidden
    if not measured:
        return None
    first: set[str] = set()
    todo, seen = [x], {x}
    while todo:
        for c in dag.succ[todo.pop()]:
            if c in on_chain and c not in seen:
                seen.add(c)
                (first.add(c) if c in measured else todo.append(c))
    for m in (measured, first):
        if m and _is_front_door(dag, x, y, m):
            return sorted(m)
    return None


def _is_front_door(dag: nx.DiGraph, x: str, y: str, m: set[str]) -> bool:
    import networkx as nx

    cut = dag.copy()
    cut.remove_nodes_from(m)
    if y in nx.descendants(cut, x):  # (i) a causal chain avoids M
        return False
    no_x_out = dag.copy()
    no_x_out.remove_edges_from(list(dag.out_edges(x)))
    if not nx.is_d_separator(no_x_out, {x}, m, set()):  # (ii) an open backdoor path x … M
        return False
    no_m_out = dag.copy()
    no_m_out.remove_edges_from([e for n in m for e in dag.out_edges(n)])
    return bool(nx.is_d_separator(no_m_out, m, {y}, {x}))  # (iii) M … y blocked by x


@dataclass
class Identification:
    """Whether ``P(y | do(x))`` is identifiable, by which criterion, and the estimand."""

    identifiable: bool
    method: str  # 'backdoor', 'front-door', 'ID algorithm' or 'none'
    estimand: str
    reason: str
    hedge: list[str]
    variables: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "identifiable": self.identifiable,
            "method": self.method,
            "estimand": self.estimand,
            "reason": self.reason,
            "hedge": self.hedge,
            "observed_variables": self.variables,
        }


def do_label(x: str, y: str) -> str:
    return f"P({y} | do({x}))"


def identify(
    dag: nx.DiGraph,
    x: str,
    y: str,
    hidden: set[str],
    backdoor: list[str] | None,
    names: Mapping[str, str] | None = None,
    *,
    max_id_nodes: int = 2000,
) -> Identification:
    """Identify ``P(y | do(x))`` in ``dag`` with ``hidden`` unmeasured: backdoor (``backdoor`` is a
    valid set found by the caller, or None), then front-door, then the ID algorithm.

    ``names`` turns variables into readable names in the reasons.

    >>> import networkx as nx
    >>> dag = nx.DiGraph([("u", "x"), ("u", "y"), ("x", "m"), ("m", "y")])
    >>> r = identify(dag, "x", "y", {"u"}, None)
    >>> r.method, r.estimand
    ('front-door', "Σ_{m} P(m | x) Σ_{x'} P(y | m, x') P(x')")
    """
    names = names or {}

    def nm(vs: Iterable[str]) -> str:
        return ", ".join(sorted({names.get(v, v) for v in vs}))

    observed = len(set(dag) - hidden)
    if backdoor is not None:
        z = ", ".join(sorted(backdoor))
        est = f"Σ_{{{z}}} P({y} | {x}, {z}) P({z})" if backdoor else f"P({y} | {x})"
        return Identification(
            True,
            "backdoor",
            est,
            "the measured set { " + (nm(backdoor) or "∅") + " } blocks every backdoor path (backdoor criterion)",
            [],
            observed,
        )
    m = front_door(dag, x, y, hidden)
    if m is not None:
        ms = ", ".join(m)
        return Identification(
            True,
            "front-door",
            f"Σ_{{{ms}}} P({ms} | {x}) Σ_{{{x}'}} P({y} | {ms}, {x}') P({x}')",
            "no measured set blocks every backdoor path, but { " + nm(m) + " } intercepts every causal "
            "chain, has no open backdoor path from the exposure, and the exposure blocks every backdoor "
            "path from it to the outcome (front-door criterion)",
            [],
            observed,
        )
    if observed > max_id_nodes:
        return Identification(
            False,
            "none",
            "",
            f"neither criterion applies and the graph has {observed} "
            f"measured variables, above the ID algorithm's limit here ({max_id_nodes})",
            [],
            observed,
        )
    g = project(dag, hidden)
    try:
        found = id_algorithm(frozenset({y}), frozenset({x}), Prob(g.nodes), g)
    except Hedge as h:
        culprits = sorted(hidden & _confounders(dag, h.big, hidden))
        return Identification(
            False,
            "none",
            "",
            "not identifiable from the observed distribution by any method: the ID algorithm (complete) "
            "stops at a hedge, where unmeasured "
            + (nm(culprits) or "variables")
            + (" confounds" if len({names.get(c, c) for c in culprits}) == 1 else " confound")
            + " the "
            "exposure with { " + nm({v for v in h.big if names.get(v, v) != names.get(x, x)}) + " } (one "
            "confounded component), so two models "
            "that agree on every observed probability disagree on the effect",
            sorted(h.big),
            observed,
        )
    return Identification(
        True,
        "ID algorithm",
        found.render(),
        "no measured set blocks every backdoor path and no front-door set was found, "
        "but the ID algorithm (complete) expresses the effect in observed quantities",
        [],
        observed,
    )


def _confounders(dag: nx.DiGraph, among: Nodes, hidden: set[str]) -> set[str]:
    """Unmeasured variables that reach at least two of ``among`` through unmeasured variables only."""
    out = set()
    for h in hidden:
        hits, todo, seen = set(), [h], {h}
        while todo:
            for c in dag.succ[todo.pop()]:
                if c in among:
                    hits.add(c)
                elif c in hidden and c not in seen:
                    seen.add(c)
                    todo.append(c)
        if len(hits) >= 2:
            out.add(h)
    return out


__all__ = [
    "ADMG",
    "Expr",
    "Fraction",
    "Hedge",
    "Identification",
    "Prob",
    "Product",
    "Sum",
    "evaluate",
    "front_door",
    "id_algorithm",
    "identify",
    "marginal",
    "project",
]
