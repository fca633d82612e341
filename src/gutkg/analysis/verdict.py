"""The answer first: grade each rival route between A and B, say which the evidence favours, and find
the claims the answer hangs on.

The rivals of a question such as *does dysbiosis cause autoimmune disease, does autoimmune disease
cause dysbiosis, or does a shared cause drive both?* are four **roles**:

* ``forward``: a route A → … → B (a direct claim or a chain);
* ``reverse``: a route B → … → A;
* ``shared cause``: a concept C with a route to A avoiding B and a route to B avoiding A, and
  downstream of neither by claims graded at least as high as those routes (a concept that A or B
  causes as firmly sits on a feedback loop: a mediator as much as a cause, reported apart; a
  weaker or hypothesised claim that A or B acts back on C is a caveat, not a disqualification);
* ``feedback``: a loop through both.

A route is only as good as its weakest claim, and a claim's grade comes from its primary,
direction-showing evidence (:mod:`gutkg.grading`). A role's grade is the grade of its best route
(``none`` when every route needs a hypothesised claim; ``no route`` when there is none). The verdict
compares the roles on all evidence and on primary human evidence only; rivals are ranked by grade,
never by how many claims or loops exist.

**Keystone claims** answer "which single claim, if wrong, would most change this answer?": every
claim on a best route, and every claim that keeps a would-be shared cause downstream of A or B, is
removed in turn (then, bounded, pairs of them) and the grades recomputed;
a keystone's removal changes which role leads or lowers the leader's grade.

Notes
-----
Role grades for the sensitivity analysis are computed level by level (grade 4 down to 0) with
breadth-first searches restricted to claims of at least that grade: O(5 (V + E)) per role, plus a
bounded cycle search for feedback. They agree with the ranked searches of
:mod:`gutkg.analysis.explain` (a test checks it).
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from gutkg.analysis.core import Budget, Chain, Hop, label
from gutkg.analysis.explanation import (
    NO_ROUTE,
    ROLES,
    Explanation,
    Keystone,
    RoleGrade,
    Verdict,
    _leaders,
    level_name,
)

if TYPE_CHECKING:
    import networkx as nx


def _route_of(e: Explanation, role: str) -> tuple[int, list[Hop], str]:
    """The best route of ``role`` in an explanation: (level, its claims, its text)."""
    from gutkg.analysis.text import chain_head

    marks = e.marks
    if role in ("forward", "reverse"):
        direct = e.direct_ab if role == "forward" else e.direct_ba
        chains = e.chains_ab if role == "forward" else e.chains_ba
        options: list[tuple[int, int, list[Hop]]] = [
            (h.strength, 1, [h]) for h in direct if h.sign != 0 and h.status != "refuted"
        ]
        options += [(c.weakest, c.length, c.hops) for c in chains[:1]]
        if not options:
            return NO_ROUTE, [], ""
        level, _, hops = max(options, key=lambda o: (o[0], -o[1]))
        return level, hops, chain_head(Chain(nodes=[], hops=hops), marks)
    if role == "shared cause":
        exogenous = [c for c in e.common_causes if c.exogenous]
        if not exogenous:
            return NO_ROUTE, [], ""
        c = exogenous[0]
        text = f"{c.label}: {chain_head(c.to_a, marks)}; {chain_head(c.to_b, marks)}"
        return c.weakest, [*c.to_a.hops, *c.to_b.hops], text
    if not e.loops:
        return NO_ROUTE, [], ""
    lp = e.loops[0]
    return lp.weakest, lp.hops, chain_head(lp, marks)


def _kinds(graph: nx.MultiDiGraph, hops: list[Hop]) -> list[str]:
    """The designs behind a route's claims: the counted supporting items' designs, union."""
    from gutkg.grading import counts

    found: set[str] = set()
    for h in hops:
        data = graph.edges[h.cause, h.effect, h.claim] if graph.has_edge(h.cause, h.effect, h.claim) else {}
        found |= {str(i["direction"]) for i in data.get("evidence", []) if counts(i) and i["stance"] == "supports"}
    return sorted(found)


def _title(role: str, a: str, b: str) -> str:
    return {
        "forward": f"{a} → {b}",
        "reverse": f"{b} → {a}",
        "shared cause": "a shared cause of both",
        "feedback": "a feedback loop through both",
    }[role]


# ------------------------------------------------------------------ fast role levels (sensitivity)


class _Levels:
    """Role levels on an adjacency of best claim grades, recomputed cheaply after removing claims."""

    def __init__(
        self,
        work: nx.MultiDiGraph,
        a_set: list[str],
        b_set: list[str],
        max_length: int,
        loop_length: int,
        include_refuted: bool,
    ) -> None:
        from gutkg.analysis.core import is_causal

        self.work, self.max_length, self.loop_length = work, max_length, loop_length
        self.sa, self.sb = set(a_set), set(b_set)
        self.claims: dict[tuple[str, str], dict[str, int]] = {}
        for u, v, k, d in work.edges(keys=True, data=True):
            if is_causal(d, include_refuted):
                self.claims.setdefault((u, v), {})[k] = int(d.get("strength", 0))
        self.measurement = {n for n, d in work.nodes(data=True) if d.get("category") == "measurement"}

    def adjacency(self, removed: frozenset[str]) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
        succ: dict[str, dict[str, int]] = {}
        pred: dict[str, dict[str, int]] = {}
        for (u, v), claims in self.claims.items():
            kept = [g for k, g in claims.items() if k not in removed]
            if kept:
                succ.setdefault(u, {})[v] = max(kept)
                pred.setdefault(v, {})[u] = max(kept)
        return succ, pred

    def levels(self, removed: frozenset[str] = frozenset(), budget: Budget | None = None) -> dict[str, int]:
        succ, pred = self.adjacency(removed)
        avoid = self.sa | self.sb
        out = {
            "forward": self._widest(succ, self.sa, self.sb, avoid),
            "reverse": self._widest(succ, self.sb, self.sa, avoid),
            "shared cause": self._shared(pred, succ),
            "feedback": self._feedback(succ, budget or Budget(None)),
        }
        return out

    def _widest(self, succ: dict[str, dict[str, int]], sources: set[str], targets: set[str], avoid: set[str]) -> int:
        for level in range(4, -1, -1):
            frontier, seen = list(sources), set(sources)
            for _depth in range(self.max_length):
                nxt = []
                for u in frontier:
                    for v, g in succ.get(u, {}).items():
                        if g < level:
                            continue
                        if v in targets:
                            return level
                        if v not in seen and v not in avoid:
                            seen.add(v)
                            nxt.append(v)
                frontier = nxt
        return NO_ROUTE

    def _reach(self, pred: dict[str, dict[str, int]], targets: set[str], avoid: set[str], level: int) -> set[str]:
        found: set[str] = set()
        for t in targets:
            frontier, dist = [t], {t}
            for _depth in range(self.max_length):
                nxt = []
                for v in frontier:
                    for u, g in pred.get(v, {}).items():
                        if g >= level and u not in dist and u not in avoid:
                            dist.add(u)
                            nxt.append(u)
                frontier = nxt
            found |= dist
        return found

    def _shared(self, pred: dict[str, dict[str, int]], succ: dict[str, dict[str, int]]) -> int:
        for level in range(4, -1, -1):
            both = self._reach(pred, self.sa, self.sb, level) & self._reach(pred, self.sb, self.sa, level)
            candidates = both - self.sa - self.sb - self.measurement
            if candidates and candidates - self._below(succ, level):
                return level
        return NO_ROUTE

    def disqualifiers(self) -> set[str]:
        """Claims that keep a would-be shared cause C downstream of A or B (so off the shared-cause
        role): every claim graded at least L on a route from A or B to such a C, per level L ≥ 1.
        Removing one can promote C, so they are keystone candidates beside the best routes."""
        succ, pred = self.adjacency(frozenset())
        found: set[str] = set()
        for level in range(1, 5):
            both = self._reach(pred, self.sa, self.sb, level) & self._reach(pred, self.sb, self.sa, level)
            below = self._below(succ, level)
            held = (both - self.sa - self.sb - self.measurement) & below
            if not held:
                continue
            region, back, todo = below | self.sa | self.sb, set(held), list(held)
            while todo:
                for u, g in pred.get(todo.pop(), {}).items():
                    if g >= level and u in region and u not in back:
                        back.add(u)
                        todo.append(u)
            for (u, v), claims in self.claims.items():
                if u in back and v in back:
                    found |= {k for k, g in claims.items() if g >= level}
        return found

    def _below(self, succ: dict[str, dict[str, int]], level: int) -> set[str]:
        """Concepts A or B reach by claims graded at least ``level``."""
        below: set[str] = set()
        todo = list(self.sa | self.sb)
        while todo:
            for v, g in succ.get(todo.pop(), {}).items():
                if g >= level and v not in below:
                    below.add(v)
                    todo.append(v)
        return below

    def _feedback(self, succ: dict[str, dict[str, int]], budget: Budget) -> int:
        small, other = (self.sa, self.sb) if len(self.sa) <= len(self.sb) else (self.sb, self.sa)
        for level in range(4, -1, -1):
            for s in sorted(small):
                if self._cycle(succ, s, other, level, budget):
                    return level
        return NO_ROUTE

    def _cycle(self, succ: dict[str, dict[str, int]], s: str, other: set[str], level: int, budget: Budget) -> bool:
        """Is there a simple cycle through ``s`` and a node of ``other`` with claims ≥ level?"""
        path, on = [s], {s}
        stack = [iter(succ.get(s, {}).items())]
        while stack:
            if budget.tick(256):
                return False
            for v, g in stack[-1]:
                if g < level:
                    continue
                if v == s:
                    if on & other:
                        return True
                    continue
                if v in on or len(path) >= self.loop_length:
                    continue
                path.append(v)
                on.add(v)
                stack.append(iter(succ.get(v, {}).items()))
                break
            else:
                stack.pop()
                on.discard(path.pop())
        return False


# ------------------------------------------------------------------ the verdict


def verdict(
    work: nx.MultiDiGraph,
    e: Explanation,
    human: Explanation | None,
    *,
    include_refuted: bool = False,
    budget: float | None = 10.0,
) -> Verdict:
    """Grade the four roles of explanation ``e`` (computed on ``work``), beside ``human`` (the same
    explanation on primary human evidence only), and find the keystone claims."""
    from gutkg.analysis.filters import EvidenceFilter, apply_filter

    a, b = e.a_label, e.b_label
    human_graph = apply_filter(work, EvidenceFilter(species=("human",))) if human is not None else None
    rows = []
    for role in ROLES:
        level, hops, text = _route_of(e, role)
        h_level, h_hops, h_text = _route_of(human, role) if human is not None else (NO_ROUTE, [], "")
        about = sorted({e.members[n] for h in hops for n in (h.cause, h.effect) if n in e.members})
        rows.append(
            RoleGrade(
                role=role,
                title=_title(role, a, b),
                level=level,
                label=level_name(level),
                route=text,
                claims=[h.claim for h in hops],
                kinds=_kinds(work, hops),
                human_level=h_level,
                human_label=level_name(h_level),
                human_route=h_text,
                human_kinds=_kinds(human_graph, h_hops) if human_graph is not None else [],
                about=about,
            )
        )
    clock = Budget(budget)
    keystones = _keystones(work, e, rows, include_refuted, clock)
    answer, human_answer = _answer(rows, a, b)
    result = Verdict(
        a_label=a,
        b_label=b,
        rows=rows,
        answer=answer,
        human_answer=human_answer,
        keystones=keystones,
        caveats=_caveats(work, e, rows),
        truncated=clock.expired(),
    )
    return result


def _keystones(
    work: nx.MultiDiGraph,
    e: Explanation,
    rows: list[RoleGrade],
    include_refuted: bool,
    clock: Budget,
    pair_limit: int = 60,
) -> list[Keystone]:
    levels = _Levels(work, e.a_set, e.b_set, e.max_length, e.loop_length, include_refuted)
    base = levels.levels(budget=clock)
    leaders = _leaders(base)
    lead_level = base[leaders[0]] if leaders else NO_ROUTE
    candidates = sorted({c for r in rows if r.level > 0 for c in r.claims} | levels.disqualifiers())
    found: list[Keystone] = []
    quiet: list[str] = []
    for c in candidates:
        if clock.expired():
            break
        after = levels.levels(frozenset({c}), budget=clock)
        ks = _change(work, [c], base, after, leaders, lead_level, a=e.a_label, b=e.b_label)
        if ks is not None:
            found.append(ks)
        else:
            quiet.append(c)
    if not any(k.flips for k in found):
        for pair in list(combinations(quiet, 2))[:pair_limit]:
            if clock.expired():
                break
            after = levels.levels(frozenset(pair), budget=clock)
            ks = _change(work, list(pair), base, after, leaders, lead_level, a=e.a_label, b=e.b_label)
            if ks is not None and ks.flips:
                found.append(ks)
    found.sort(key=lambda k: (not k.flips, -k.drop, len(k.claims), k.claims))
    return found


def _claim_label(work: nx.MultiDiGraph, claim: str) -> tuple[str, list[str]]:
    """A claim in words, and the citations (with DOI or PMID) of the evidence its grade counts."""
    from gutkg.grading import counts

    for u, v, k, d in work.edges(keys=True, data=True):
        if k == claim:
            arrow = {1: "─(+)→", -1: "─(−)→"}.get(d.get("sign", 0), "─(0)→")
            cites = sorted(
                {
                    e["citation"]
                    + (f", doi:{e['doi']}" if e.get("doi") else f", PMID:{e['pmid']}" if e.get("pmid") else "")
                    for e in d.get("evidence", [])
                    if counts(e) and e["stance"] == "supports"
                }
            )
            return (
                f"{label(work, u)} {arrow} {label(work, v)} [{d.get('status')}, grade {d.get('strength_label')}]",
                cites,
            )
    return claim, []


def _change(
    work: nx.MultiDiGraph,
    claims: list[str],
    base: dict[str, int],
    after: dict[str, int],
    leaders: list[str],
    lead_level: int,
    *,
    a: str,
    b: str,
) -> Keystone | None:
    new_leaders = _leaders(after)
    drop = lead_level - max(after[r] for r in leaders) if leaders else 0
    flips = new_leaders != leaders
    if not flips and drop <= 0:
        return None
    changes = [
        f"{_title(r, a, b)}: {level_name(base[r])} → {level_name(after[r])}" for r in ROLES if after[r] != base[r]
    ]
    if flips and not new_leaders:
        changes.append("then no rival has counted evidence")
    elif flips and (len(new_leaders) == 1 or not set(new_leaders) <= set(leaders)):
        lead = " and ".join(_title(r, a, b) for r in new_leaders)
        changes.append(f"then {lead} lead{'s' if len(new_leaders) == 1 else ''}")
    labels, cites = [], []
    for c in claims:
        text, cs = _claim_label(work, c)
        labels.append(text)
        cites += cs
    return Keystone(
        claims=claims,
        labels=labels,
        citations=sorted(set(cites)),
        change="; ".join(changes),
        flips=flips,
        drop=max(drop, 0),
    )


def _answer(rows: list[RoleGrade], a: str, b: str) -> tuple[list[str], str]:
    by = {r.role: r for r in rows}
    leaders = _leaders({r.role: r.level for r in rows})

    out = []
    if not leaders:
        out.append(
            f"No rival has counted evidence: every route between {a} and {b} needs a "
            "hypothesised claim (or there is none). The graph cannot tell the directions apart."
        )
    elif len(leaders) == 1:
        lead = by[leaders[0]]
        out.append(
            f"The evidence favours {lead.title} ({lead.label}"
            + (f": {', '.join(lead.kinds)}" if lead.kinds else "")
            + ")."
        )
        against = "; ".join(f"{r.title} {r.label}" for r in rows if r.role != lead.role)
        out.append(f"Against that: {against}.")
    else:
        level = by[leaders[0]].label
        names = f"all {len(rows)} rivals" if len(leaders) == len(rows) else " and ".join(by[r].title for r in leaders)
        out.append(
            f"The evidence does not separate the rivals: {names} reach {level} at best "
            "(the designs behind each best route are in the table)."
        )
        weaker = [r for r in rows if r.role not in leaders]
        if weaker:
            out.append("Weaker: " + "; ".join(f"{r.title} {r.label}" for r in weaker) + ".")
    h_leaders = _leaders({r.role: r.human_level for r in rows})
    if not h_leaders:
        human = f"On primary human evidence only, no route between {a} and {b} has counted evidence on every claim."
    elif len(h_leaders) == 1:
        r = by[h_leaders[0]]
        others = "; ".join(f"{x.title} {x.human_label}" for x in rows if x.role != r.role)
        human = (
            f"On primary human evidence only: {r.title} leads ({r.human_label}"
            + (f": {', '.join(r.human_kinds)}" if r.human_kinds else "")
            + f"); {others}."
        )
    else:
        level = by[h_leaders[0]].human_label
        same = set(h_leaders) == set(leaders) and level == by[leaders[0]].label
        human = (
            f"On primary human evidence only, {'the same holds' if same else 'no rival leads'}: "
            + ", ".join(by[r].title for r in h_leaders)
            + f" reach {level}."
        )
    return out, human


def _caveats(work: nx.MultiDiGraph, e: Explanation, rows: list[RoleGrade]) -> list[str]:
    out = [
        "A route is as strong as its weakest claim; grades weigh design, directness (people > "
        "animals > cells), assay validity and consistency (gutkg explain --help)."
    ]
    on_routes = {c for r in rows for c in r.claims}
    zonulin = any(
        i.get("zonulin_assay")
        for u, v, k, d in work.edges(keys=True, data=True)
        if k in on_routes
        for i in d.get("evidence", [])
    )
    if zonulin:
        out.append("Some route rests on the serum 'zonulin' ELISA, whose specificity is disputed.")
    if e.associations:
        out.append(
            f"{len(e.associations)} association(s) between the two sides show they go together, "
            "not which way (--details lists them)."
        )
    return out


__all__ = ["ROLES", "Keystone", "RoleGrade", "Verdict", "verdict"]
