"""Shared pieces of the analyses: the causal view, claim and chain records, budgets, names.

Every analysis works on the ``MultiDiGraph`` of :mod:`gutkg.network` (one edge per claim). Causal
traversal (paths, loops, common causes, adjustment, ranking) uses the *causal view*: a plain
``DiGraph`` with one edge per ordered pair that has at least one claim with a sign (+1 or -1) whose
status is not ``refuted``. Tested-no-effect and refuted claims are not causal edges, but they are
never hidden: rivals, contradictions and explain's direct claims list them.

A chain (a path or a loop) is reported per claim: where two claims join the same pair (one says
increases, one says decreases), each reading is its own chain, so every chain has one net sign.
"""

from __future__ import annotations

import difflib
import time
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from gutkg.scales import GRADE_NAMES, STATUS_RANK

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter
    from gutkg.concepts import ConceptIndex

#: Names of a claim's grade (edge ``strength``), and so of a chain's weakest link.
STRENGTH_NAMES = GRADE_NAMES
SIGN_SYMBOL = {1: "+", -1: "−", 0: "0"}

#: What the causal view keeps, said in every result so a reader knows what was traversed.
CAUSAL_RULE = "causal edges: claims that increase or decrease, status not refuted"
CAUSAL_RULE_WITH_REFUTED = "causal edges: claims that increase or decrease, refuted ones included"


class Budget:
    """A wall-clock budget checked cheaply inside search loops.

    ``Budget(None)`` never expires; ``Budget(0)`` expires at the first check (useful in tests to
    exercise the truncated path without relying on timing).

    >>> Budget(None).expired()
    False
    >>> Budget(0).expired()
    True
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self._ticks = 0
        self._expired = seconds is not None and seconds <= 0

    def expired(self) -> bool:
        if self._expired:
            return True
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self._expired = True
        return self._expired

    def tick(self, every: int = 2048) -> bool:
        """True when the budget is spent; reads the clock only once every ``every`` calls."""
        if self._expired:
            return True
        self._ticks += 1
        if self._ticks % every:
            return False
        return self.expired()


class SearchState:
    """Whether a search stopped early, and why (shared by the searches of one analysis)."""

    def __init__(self) -> None:
        self.truncated = False
        self.reason = ""


@dataclass
class Hop:
    """One claim on a chain, with the evidence summary a reader needs to judge it."""

    claim: str
    cause: str
    effect: str
    cause_label: str
    effect_label: str
    sign: int
    sign_label: str
    status: str
    strength: int
    strength_label: str
    systems: list[str]
    directions: list[str]
    citations: list[str]
    opposed: bool
    hypotheses: list[str]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """``supported, grade low; mouse; Tajik et al. 2020`` (for text output)."""
        parts = [self.status, f"grade {self.strength_label}"]
        if self.systems:
            parts[-1] += "; " + ", ".join(self.systems)
        if self.opposed:
            parts.append("opposing evidence")
        cites = "; ".join(self.citations[:3]) + (" …" if len(self.citations) > 3 else "")
        return ", ".join(parts) + ("; " + cites if cites else "; no citation")


def hop(graph: nx.MultiDiGraph, u: str, v: str, key: str, *, evidence: bool = True) -> Hop:
    """The :class:`Hop` for claim ``key`` from ``u`` to ``v``."""
    d = graph.edges[u, v, key]
    items = []
    if evidence:
        items = [
            {
                **{
                    k: e.get(k, "")
                    for k in (
                        "citation",
                        "url",
                        "doi",
                        "pmid",
                        "stance",
                        "system",
                        "strength",
                        "strength_label",
                        "direction",
                        "design_label",
                        "type_label",
                        "description",
                    )
                },
                "doi_link": (f"doi:{e['doi']}" if e.get("doi") else f"PMID:{e['pmid']}" if e.get("pmid") else ""),
            }
            for e in d.get("evidence", [])
        ]
    return Hop(
        claim=key,
        cause=u,
        effect=v,
        cause_label=label(graph, u),
        effect_label=label(graph, v),
        sign=d.get("sign", 0),
        sign_label=d.get("sign_label", ""),
        status=d.get("status", ""),
        strength=d.get("strength", 0),
        strength_label=d.get("strength_label", "none"),
        systems=list(d.get("systems", [])),
        directions=list(d.get("directions", [])),
        citations=list(d.get("citations", [])),
        opposed=bool(d.get("opposed")),
        hypotheses=list(d.get("hypotheses", [])),
        evidence=items,
    )


class Displayable:
    """What every analysis result offers a reader: ``text()``, ``as_dict()`` / ``to_dict()``, a
    one-line ``repr`` and a readable card in Jupyter (``_repr_html_``), never a dump of every field."""

    def text(self) -> str:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def as_dict(self) -> dict[str, Any]:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return self.as_dict()

    def __repr__(self) -> str:
        lines = self.text().splitlines()
        head = next((line.strip() for line in lines if line.strip()), "")
        return f"<{type(self).__name__}: {head[:120]} ({len(lines)} lines; .text(), .to_dict())>"

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        """The card Jupyter shows, from the renderer registered for this type (:mod:`gutkg.display`)."""
        from gutkg.display import html

        return html(self)


@dataclass(kw_only=True, repr=False)
class Outcome(Displayable):
    """How a result was obtained, shared by every analysis result: cut short or not (and why),
    the evidence filter applied and what it removed, the rule for causal edges, extra notes."""

    truncated: bool = False
    reason: str = ""
    filter: str = "no filter"
    filter_note: str = ""
    causal_rule: str = CAUSAL_RULE
    notes: list[str] = field(default_factory=list)

    def outcome_dict(self) -> dict[str, Any]:
        return {
            "truncated": self.truncated,
            "reason": self.reason,
            "filter": self.filter,
            "filter_note": self.filter_note,
            "causal_rule": self.causal_rule,
            "notes": self.notes,
        }


@dataclass
class Chain:
    """A causal chain: consecutive claims, with its net sign and its weakest link.

    ``sign`` is the product of the claims' signs; ``weakest`` the lowest supporting-evidence strength
    on the chain (0 when a link has no evidence); ``weakest_status`` the lowest status.
    """

    nodes: list[str]
    hops: list[Hop]

    @property
    def sign(self) -> int:
        s = 1
        for h in self.hops:
            s *= h.sign
        return s

    @property
    def length(self) -> int:
        return len(self.hops)

    @property
    def weakest(self) -> int:
        return min((h.strength for h in self.hops), default=0)

    @property
    def evidenced(self) -> bool:
        """Every claim on the chain carries counted evidence (none is merely hypothesised)."""
        return self.weakest > 0

    @property
    def weakest_status(self) -> str:
        return min((h.status for h in self.hops), key=lambda s: STATUS_RANK.get(s, 0), default="")

    def rank_key(self) -> tuple[Any, ...]:
        """Strongest weakest link first, then shorter, then better weakest status, then name."""
        return (-self.weakest, self.length, -STATUS_RANK.get(self.weakest_status, 0), tuple(h.claim for h in self.hops))

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "length": self.length,
            "sign": self.sign,
            "evidenced": self.evidenced,
            "weakest_strength": self.weakest,
            "weakest_strength_label": STRENGTH_NAMES[self.weakest],
            "weakest_status": self.weakest_status,
            "hops": [h.as_dict() for h in self.hops],
        }


def readings(pairs: list[tuple[str, str]], keys_of: Any, limit: int) -> list[list[str]]:
    """Every per-claim reading of a sequence of hops (at most ``limit``).

    ``keys_of(u, v)`` lists the claims usable for the hop ``u -> v``.
    """
    out: list[list[str]] = [[]]
    for u, v in pairs:
        keys = keys_of(u, v)
        out = [[*r, k] for r in out for k in keys][:limit]
    return out


def expand_claims(
    graph: nx.MultiDiGraph, nodes: list[str], keys_of: Any, limit: int, *, evidence: bool = True
) -> list[Chain]:
    """All per-claim readings of a node sequence as chains (at most ``limit``)."""
    pairs = list(pairwise(nodes))
    return [
        Chain(
            nodes=list(nodes), hops=[hop(graph, u, v, k, evidence=evidence) for (u, v), k in zip(pairs, r, strict=True)]
        )
        for r in readings(pairs, keys_of, limit)
    ]


class TopChains:
    """The best ``limit`` chains seen so far, by :meth:`Chain.rank_key`, built lazily.

    Searches can meet many thousands of chains; ranking needs only each chain's weakest strength,
    length and weakest status, read straight from the edge data. Hops (with their evidence) are
    built only for the chains finally kept.
    """

    def __init__(self, graph: nx.MultiDiGraph, limit: int, *, dedupe: bool = False) -> None:
        self.graph, self.limit = graph, limit
        self.seen = 0
        #: Chains seen whose every claim carries counted evidence (grade > 0: not hypothesised).
        self.evidenced = 0
        self._items: list[tuple[tuple[Any, ...], list[str], list[tuple[str, str]], list[str]]] = []
        self._ids: set[tuple[str, ...]] | None = set() if dedupe else None

    def add(self, nodes: list[str], pairs: list[tuple[str, str]], keys_of: Any, cap: int = 10_000) -> None:
        adj = self.graph.adj
        for r in readings(pairs, keys_of, cap):
            ident = tuple(r)
            if self._ids is not None:
                if ident in self._ids:
                    continue
                self._ids.add(ident)
            self.seen += 1
            data = [adj[u][v][k] for (u, v), k in zip(pairs, r, strict=True)]
            weakest = min(d.get("strength", 0) for d in data)
            self.evidenced += weakest > 0
            status = min(STATUS_RANK.get(d.get("status", ""), 0) for d in data)
            self._items.append(((-weakest, len(r), -status, ident), nodes, pairs, r))
            if len(self._items) > 4 * self.limit + 256:
                self._trim()

    def _trim(self) -> None:
        self._items.sort(key=lambda item: item[0])
        del self._items[self.limit :]

    def chains(self, cls: type[Chain] | None = None, *, evidence: bool = True) -> list[Any]:
        self._trim()
        make = cls or Chain
        return [
            make(
                nodes=list(nodes),
                hops=[hop(self.graph, u, v, k, evidence=evidence) for (u, v), k in zip(pairs, r, strict=True)],
            )
            for _, nodes, pairs, r in self._items
        ]


def is_causal(data: dict[str, Any], include_refuted: bool = False) -> bool:
    """Whether a claim is a causal edge: a sign of +1 or -1 and (by default) not refuted."""
    return data.get("sign", 0) != 0 and (include_refuted or data.get("status") != "refuted")


def causal_claims(
    graph: nx.MultiDiGraph, u: str, v: str, *, include_refuted: bool = False, min_strength: int = 0
) -> list[str]:
    """The causal claims from ``u`` to ``v``, strongest first."""
    data = graph.get_edge_data(u, v) or {}
    keys = [k for k, d in data.items() if is_causal(d, include_refuted) and d.get("strength", 0) >= min_strength]
    return sorted(keys, key=lambda k: (-data[k].get("strength", 0), k))


def causal_view(graph: nx.MultiDiGraph, *, include_refuted: bool = False) -> nx.DiGraph:
    """The causal ``DiGraph``: one edge per pair with a causal claim, ``strength`` = the best one.

    Nodes are all the concepts (with their attributes); edge attribute ``claims`` lists the claim
    ids behind the edge.

    Notes
    -----
    O(V + E). Parallel claims collapse: cycle and path *shapes* are found on this graph, then
    expanded per claim (:func:`expand_claims`).
    """
    import networkx as nx

    view = nx.DiGraph()
    view.add_nodes_from(graph.nodes(data=True))
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for u, nbrs in graph.adj.items():
        for v, claims in nbrs.items():
            for key, d in claims.items():
                if d.get("sign", 0) == 0 or (not include_refuted and d.get("status") == "refuted"):
                    continue
                e = edges.get((u, v))
                if e is None:
                    edges[u, v] = {"claims": [key], "strength": d.get("strength", 0)}
                else:
                    e["claims"].append(key)
                    e["strength"] = max(e["strength"], d.get("strength", 0))
    view.add_edges_from((u, v, d) for (u, v), d in edges.items())
    return view


def label(graph: nx.MultiDiGraph, node: str) -> str:
    """The display label of ``node``, or ``node`` itself when the graph has no label for it."""
    return str(graph.nodes[node].get("label", node)) if node in graph else node


def narrower(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """Every concept below ``node`` in the skos:broader hierarchy (transitively), sorted.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(broader={"celiac": ["autoimmune"], "t1d": ["autoimmune"]})
    >>> narrower(g, "autoimmune")
    ['celiac', 't1d']
    """
    below: dict[str, list[str]] = {}
    for child, parents in graph.graph.get("broader", {}).items():
        for p in parents:
            below.setdefault(p, []).append(child)
    seen: set[str] = set()
    todo = [node]
    while todo:
        for child in below.get(todo.pop(), []):
            if child not in seen and child != node:
                seen.add(child)
                todo.append(child)
    return sorted(seen)


def stages(graph: nx.MultiDiGraph, diseases: set[str]) -> dict[str, str]:
    """The concepts that are a preclinical stage of one of ``diseases`` (``gkv:stageOf``): stage ->
    the disease it precedes.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(stages={"islet_autoimmunity": ["t1d"]})
    >>> stages(g, {"t1d", "ra"})
    {'islet_autoimmunity': 't1d'}
    """
    out = {}
    for stage, of in sorted(graph.graph.get("stages", {}).items()):
        hit = next((d for d in of if d in diseases), None)
        if hit is not None:
            out[stage] = hit
    return out


def is_measurement(graph: nx.MultiDiGraph, node: str) -> bool:
    """Whether a concept is a test or biomarker (never a cause, mediator or confounder)."""
    return node in graph and graph.nodes[node].get("category") == "measurement"


def node_id(graph: nx.MultiDiGraph, name: str, index: ConceptIndex | None = None) -> str:
    """The concept id ``name`` denotes: via ``index`` (labels, synonyms, CURIEs) when given, else
    by id or label in the graph. Unknown or ambiguous names raise ``UnknownConceptError``.
    """
    from gutkg.concepts import normalise
    from gutkg.errors import UnknownConceptError

    if index is not None:
        concept = index.resolve(name)
        assert concept is not None
        if concept.id not in graph:
            raise UnknownConceptError(name, [])
        return concept.id
    if name in graph:
        return name
    wanted = normalise(name.removeprefix("gkc:"))
    hits = sorted(
        n for n, d in graph.nodes(data=True) if wanted in (normalise(str(n)), normalise(str(d.get("label", n))))
    )
    if len(hits) == 1:
        return str(hits[0])
    if hits:
        raise UnknownConceptError(name, [label(graph, h) for h in hits], ambiguous=True)
    names = {normalise(str(d.get("label", n))): label(graph, n) for n, d in graph.nodes(data=True)}
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.6)
    close += [names[k] for k in names if wanted and wanted in k and names[k] not in close]
    raise UnknownConceptError(name, [names.get(c, c) for c in close][:5])


def distinct(graph: nx.MultiDiGraph, a: str, b: str, what: str = "concepts") -> None:
    """Refuse A = B with a message that says what to ask instead."""
    if a == b:
        from gutkg.errors import GutKGError

        raise GutKGError(
            f"both {what} are {label(graph, a)!r}: give two different concepts "
            f"(for feedback through one concept use: gutkg loops --through {a!r})"
        )


def filtered(graph: nx.MultiDiGraph, flt: EvidenceFilter | None) -> nx.MultiDiGraph:
    """``graph`` under ``flt`` (the graph itself, uncopied, when there is no filter)."""
    if flt is None or flt.is_empty:
        return graph
    from gutkg.analysis.filters import apply_filter

    return apply_filter(graph, flt)


def filter_note(before: nx.MultiDiGraph, after: nx.MultiDiGraph, flt: EvidenceFilter | None) -> str:
    """What a filter kept, e.g. ``species/model: human: keeps 40 of 250 claims``, or ''."""
    if flt is None or flt.is_empty:
        return ""
    return f"{flt.describe()}: keeps {after.number_of_edges()} of {before.number_of_edges()} claims"


def backward_distances(pred: Any, target: Any, limit: int, allowed: Any = None) -> dict[Any, int]:
    """Hop distance from every node to ``target`` (at most ``limit``), following ``pred``.

    ``allowed(node)`` restricts the nodes walked through. Used to prune depth-first searches: a
    partial chain is extended only through nodes that can still reach the target in time.
    """
    dist = {target: 0}
    frontier = [target]
    for d in range(1, limit + 1):
        nxt = []
        for v in frontier:
            for u in pred(v):
                if u not in dist and (allowed is None or allowed(u)):
                    dist[u] = d
                    nxt.append(u)
        if not nxt:
            break
        frontier = nxt
    return dist
