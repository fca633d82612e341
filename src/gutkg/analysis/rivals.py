"""Rival hypotheses side by side, ranked by the grade of their evidence, and the contradictions the
graph keeps on purpose.

A question (``graph.graph['questions']``) has rival hypotheses, each a set of claims. Rivals are
ranked by **grade, never by counts** (how many claims or items were curated for a rival says
nothing about whether it is true):

* when the question names an exposure and an outcome (``gkv:exposure``, ``gkv:outcome``) and the
  hypothesis a role (``gkv:role``: forward, reverse, shared cause, feedback), the rival's grade is
  the grade of the best route of that role between them, as ``gutkg explain`` computes it
  (:mod:`gutkg.analysis.verdict`), on all evidence and on primary human evidence only;
* otherwise, the grade of the rival's best-graded claim, with its weakest claim beside it.

Each rival also lists its claims with their grades, the weakest link, and which kinds of counted
evidence support it (prospective human, intervention, transfer, MR, treatment response), or
"no counted evidence" when only reviews, associations or nothing stand behind it.

Edge-level contradictions, found over all claims (or those of the chosen question):

* ``opposite signs``: the same pair asserted to increase and to decrease;
* ``effect vs no effect``: a pair asserted to have an effect and tested to have none;
* ``both directions``: A → B and B → A both asserted (a disputed direction, or a feedback loop);
* ``opposing evidence``: a single claim with evidence items on both sides.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gutkg.analysis.core import STRENGTH_NAMES, Displayable, Hop, filter_note, filtered, hop, label

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter


@dataclass
class RivalSummary:
    """One rival hypothesis and the evidence behind its claims."""

    id: str
    label: str
    definition: str
    claims: list[Hop]
    missing: list[str]
    items: int
    supporting: int
    opposing: int
    by_strength: dict[str, int]
    by_system: dict[str, int]
    by_direction: dict[str, int]
    by_status: dict[str, int]
    citations: list[str]
    role: str = ""
    measurements: list[dict[str, Any]] = field(default_factory=list)
    level: int = 0
    #: The best evidence against any of its parts (grade level), shown and used to break ties.
    against: int = 0
    human_level: int = 0
    route: str = ""
    kinds: list[str] = field(default_factory=list)

    @property
    def weakest(self) -> int:
        return min((h.strength for h in self.claims), default=0)

    @property
    def strongest(self) -> int:
        return max((h.strength for h in self.claims), default=0)

    @property
    def grade_label(self) -> str:
        from gutkg.analysis.explanation import level_name

        return level_name(self.level)

    @property
    def human_label(self) -> str:
        from gutkg.analysis.explanation import level_name

        return level_name(self.human_level)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "definition": self.definition,
            "claims_kept": len(self.claims),
            "claims_total": len(self.claims) + len(self.missing),
            "missing_claims": self.missing,
            "evidence_items": self.items,
            "supporting_items": self.supporting,
            "opposing_items": self.opposing,
            "role": self.role,
            "grade": self.level,
            "grade_label": self.grade_label,
            "human_grade": self.human_level,
            "human_grade_label": self.human_label,
            "best_evidence_against": self.against,
            "best_route": self.route,
            "kinds_of_evidence": self.kinds,
            "measurements": self.measurements,
            "strongest": STRENGTH_NAMES[self.strongest],
            "weakest": STRENGTH_NAMES[self.weakest],
            "claims_by_strength": self.by_strength,
            "items_by_system": self.by_system,
            "items_by_direction": self.by_direction,
            "claims_by_status": self.by_status,
            "citations": self.citations,
            "claims": [h.as_dict() for h in self.claims],
        }


@dataclass
class QuestionRivals:
    """One question and its rivals ranked by grade, with the exposure and outcome it names, the
    answer in words and the claims the answer hangs on (keystones)."""

    id: str
    label: str
    definition: str
    rivals: list[RivalSummary]
    exposure: str = ""
    outcome: str = ""
    answer: list[str] = field(default_factory=list)
    keystones: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "definition": self.definition,
            "exposure": self.exposure,
            "outcome": self.outcome,
            "answer": self.answer,
            "keystones": self.keystones,
            "rivals": [r.as_dict() for r in self.rivals],
        }


@dataclass
class Contradiction:
    """Claims on one pair of concepts that cannot all be true as stated (or a loop to check)."""

    kind: str
    a: str
    b: str
    a_label: str
    b_label: str
    claims: list[Hop]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "a_label": self.a_label,
            "b_label": self.b_label,
            "claims": [h.as_dict() for h in self.claims],
        }


@dataclass(repr=False)
class RivalsResult(Displayable):
    """The result of :func:`rivals`: every question's ranked rivals and the contradictions kept in the
    graph, with the evidence filter applied."""

    questions: list[QuestionRivals]
    contradictions: list[Contradiction]
    filter: str = "no filter"
    filter_note: str = ""
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "filter": self.filter,
            "filter_note": self.filter_note,
            "notes": self.notes,
            "questions": [q.as_dict() for q in self.questions],
            "contradictions": [c.as_dict() for c in self.contradictions],
        }

    def text(self, details: bool = False) -> str:
        from gutkg.display import text

        return text(self, details=details)


def resolve_question(graph: nx.MultiDiGraph, text: str) -> str:
    """A question id from its id or any unambiguous part of its label (case-insensitive)."""
    from gutkg.errors import GutKGError

    questions = graph.graph.get("questions", {})
    if text in questions:
        return text
    wanted = text.casefold().strip()
    hits = [q for q, d in questions.items() if wanted in q.casefold() or wanted in str(d.get("label", "")).casefold()]
    if len(hits) == 1:
        return str(hits[0])
    listing = "; ".join(f"{q} ({questions[q]['label']})" for q in (hits or list(questions)))
    if hits:
        raise GutKGError(f"{text!r} matches {len(hits)} questions: {listing}. Give more of the label or the id.")
    if not questions:
        raise GutKGError("the graph has no questions (gkv:Question); see graph/README.md")
    raise GutKGError(f"no question matches {text!r}. Questions: {listing}")


def _rival(work: nx.MultiDiGraph, hid: str, h: dict[str, Any]) -> RivalSummary:
    kept = {k: (u, v) for u, v, k in work.edges(keys=True)}
    measurements = {m["id"]: m for m in work.graph.get("measurements", [])}
    hops = [hop(work, *kept[c], c) for c in h.get("claims", []) if c in kept]
    missing = [c for c in h.get("claims", []) if c not in kept and c not in measurements]
    tests = [measurements[c] for c in h.get("claims", []) if c in measurements]
    items = [e for x in hops for e in x.evidence]
    supporting = [e for e in items if e["stance"] == "supports"]
    by_strength = {STRENGTH_NAMES[r]: n for r, n in sorted(Counter(x.strength for x in hops).items(), reverse=True)}
    systems = Counter(s.strip() for e in supporting for s in str(e["system"]).split(","))
    directions = Counter(e["direction"] or "unspecified" for e in supporting)
    statuses = Counter(x.status for x in hops)
    from gutkg.grading import counts

    kinds = sorted({str(e["direction"]) for e in supporting if counts(e)})
    return RivalSummary(
        id=hid,
        label=h.get("label", hid),
        definition=h.get("definition", ""),
        claims=hops,
        missing=missing,
        items=len(items),
        supporting=len(supporting),
        opposing=len(items) - len(supporting),
        by_strength=by_strength,
        by_system=dict(systems.most_common()),
        by_direction=dict(directions.most_common()),
        by_status=dict(statuses.most_common()),
        citations=sorted({c for x in hops for c in x.citations} | {c for m in tests for c in m["citations"]}),
        kinds=(["method validation"] if any(m["strength"] for m in tests) else []) if tests else kinds,
        # a hypothesis about what a test reads is graded by its measurement relations alone
        level=(max(m["strength"] for m in tests) if tests else max((x.strength for x in hops), default=-1)),
        against=max(
            [m["grading"]["against"] for m in tests]
            + ([] if tests else [int(work.edges[*kept[x.claim], x.claim]["grading"]["against"]) for x in hops]),
            default=0,
        ),
        measurements=[
            {
                "id": m["id"],
                "method": m["method"],
                "measures": m["measures"],
                "validity": m["validity"],
                "grade": m["strength_label"],
            }
            for m in tests
        ],
    )


def contradictions(graph: nx.MultiDiGraph, claims: set[str] | None = None) -> list[Contradiction]:
    """Edge-level contradictions (see the module docstring), optionally touching ``claims`` only."""
    out: list[Contradiction] = []
    pairs: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for u, v, k in graph.edges(keys=True):
        pairs.setdefault((min(u, v), max(u, v)), []).append((u, v, k))
    for (a, b), edges in sorted(pairs.items()):
        if claims is not None and not any(k in claims for _, _, k in edges):
            continue
        signs: dict[tuple[str, str], set[int]] = {}
        for u, v, k in edges:
            signs.setdefault((u, v), set()).add(graph.edges[u, v, k].get("sign", 0))

        def hops(pred: Any, edges: list[tuple[str, str, str]] = edges) -> list[Hop]:
            return [hop(graph, u, v, k) for u, v, k in edges if pred(u, v, k)]

        for (u, v), s in sorted(signs.items()):
            if {1, -1} <= s:
                out.append(
                    Contradiction(
                        "opposite signs",
                        u,
                        v,
                        label(graph, u),
                        label(graph, v),
                        hops(lambda x, y, k, u=u, v=v: (x, y) == (u, v) and graph.edges[x, y, k]["sign"] != 0),
                    )
                )
            if 0 in s and s - {0}:
                out.append(
                    Contradiction(
                        "effect vs no effect",
                        u,
                        v,
                        label(graph, u),
                        label(graph, v),
                        hops(lambda x, y, k, u=u, v=v: (x, y) == (u, v)),
                    )
                )
        causal = {(u, v) for (u, v), s in signs.items() if s - {0}}
        if a != b and (a, b) in causal and (b, a) in causal:
            out.append(
                Contradiction(
                    "both directions",
                    a,
                    b,
                    label(graph, a),
                    label(graph, b),
                    hops(lambda x, y, k: graph.edges[x, y, k]["sign"] != 0),
                )
            )
        for u, v, k in edges:
            if graph.edges[u, v, k].get("opposed"):
                out.append(
                    Contradiction("opposing evidence", u, v, label(graph, u), label(graph, v), [hop(graph, u, v, k)])
                )
    order = {"opposite signs": 0, "effect vs no effect": 1, "both directions": 2, "opposing evidence": 3}
    return sorted(out, key=lambda c: (order[c.kind], c.a_label, c.b_label))


def _human_measurement_level(work: nx.MultiDiGraph, mid: str) -> int:
    """A measurement relation's grade on primary human evidence only."""
    from gutkg.grading import grade, is_human

    m = next(m for m in work.graph.get("measurements", []) if m["id"] == mid)
    return grade([e for e in m["evidence"] if is_human(e)], measurement=True).level


def _grade_by_role(graph: nx.MultiDiGraph, q: QuestionRivals, flt: EvidenceFilter | None, budget: float | None) -> None:
    """Grade each rival with a role by the best route of that role, as ``explain`` does."""
    from gutkg.analysis.explain import explain

    e = explain(graph, q.exposure, q.outcome, flt=flt, budget=budget, limit=1)
    assert e.verdict is not None
    rows = {r.role: r for r in e.verdict.rows}
    for rv in q.rivals:
        row = rows.get(rv.role)
        if row is None:
            continue
        rv.level, rv.human_level, rv.route, rv.kinds = row.level, row.human_level, row.route, row.kinds
    q.answer = [*e.verdict.answer, e.verdict.human_answer]
    q.keystones = [f"{'; and '.join(k.labels)}: if wrong, {k.change}" for k in e.verdict.keystones[:2]]


def rivals(
    graph: nx.MultiDiGraph,
    question: str | None = None,
    *,
    flt: EvidenceFilter | None = None,
    budget: float | None = 20.0,
) -> RivalsResult:
    """The rival hypotheses of every question (or of ``question``: id or part of its label).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(questions={}, hypotheses={})
    >>> rivals(g).notes
    ['the graph has no questions (gkv:Question) yet']
    """
    from gutkg.analysis.filters import EvidenceFilter, apply_filter

    work = filtered(graph, flt)
    human = apply_filter(work, EvidenceFilter(species=("human",)))
    questions = graph.graph.get("questions", {})
    hypotheses = graph.graph.get("hypotheses", {})
    chosen = [resolve_question(graph, question)] if question else list(questions)
    result_questions = []
    scope: set[str] = set()
    for qid in chosen:
        q = questions[qid]
        rivals_ = [_rival(work, hid, hypotheses.get(hid, {"label": hid})) for hid in q.get("hypotheses", [])]
        for rv in rivals_:
            rv.role = hypotheses.get(rv.id, {}).get("role", "")
            kept = {k: (u, v) for u, v, k in human.edges(keys=True)}
            rv.human_level = (
                max(_human_measurement_level(work, m["id"]) for m in rv.measurements)
                if rv.measurements
                else max(
                    (human.edges[*kept[h.claim], h.claim].get("strength", 0) for h in rv.claims if h.claim in kept),
                    default=-1,
                )
            )
        qr = QuestionRivals(
            qid,
            q.get("label", qid),
            q.get("definition", ""),
            rivals_,
            exposure=q.get("exposure", ""),
            outcome=q.get("outcome", ""),
        )
        if qr.exposure in graph and qr.outcome in graph and qr.exposure != qr.outcome:
            _grade_by_role(graph, qr, flt, budget)
        qr.rivals.sort(key=lambda r: (-r.level, r.against, -r.human_level, r.id))
        scope |= {c for hid in q.get("hypotheses", []) for c in hypotheses.get(hid, {}).get("claims", [])}
        result_questions.append(qr)
    result = RivalsResult(
        questions=result_questions,
        contradictions=contradictions(work, scope if question else None),
        filter=flt.describe() if flt else "no filter",
        filter_note=filter_note(graph, work, flt),
    )
    if not questions:
        result.notes.append("the graph has no questions (gkv:Question) yet")
    for q in result_questions:
        if not q.rivals:
            result.notes.append(f"question {q.id!r} has no hypotheses yet")
    return result
