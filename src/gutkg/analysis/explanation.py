"""The result types of :func:`gutkg.analysis.explain.explain`: an explanation of how two concepts may
be associated, its graded verdict (:mod:`gutkg.analysis.verdict`) and its evidence comparisons
(:mod:`gutkg.analysis.compare`).

They live apart from the code that computes them and from the code that renders them, so the
dependencies run one way: computation → these types ← renderers (:mod:`gutkg.analysis.explain_text`,
:mod:`gutkg.html_cards`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from gutkg.analysis.core import STRENGTH_NAMES, Chain, Hop, Outcome
from gutkg.analysis.loops import Loop
from gutkg.scales import GRADE_NAMES

ROLES = ("forward", "reverse", "shared cause", "feedback")
#: A role's level when there is no route at all (0 means: only routes through hypothesised claims).
NO_ROUTE = -1


def level_name(level: int) -> str:
    """The name of a grade level, or "no route" for :data:`NO_ROUTE` (any level below 0).

    >>> level_name(NO_ROUTE)
    'no route'
    """
    return "no route" if level < 0 else GRADE_NAMES[level]


@dataclass
class RoleGrade:
    """One rival role: the grade of its best route on all evidence and on primary human evidence."""

    role: str
    title: str
    level: int
    label: str
    route: str
    claims: list[str]
    kinds: list[str]
    human_level: int
    human_label: str
    human_route: str
    human_kinds: list[str]
    about: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Keystone:
    """Claims whose removal changes the answer, and how."""

    claims: list[str]
    labels: list[str]
    citations: list[str]
    change: str
    flips: bool
    drop: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Verdict:
    """The graded answer for A and B."""

    a_label: str
    b_label: str
    rows: list[RoleGrade]
    answer: list[str]
    human_answer: str
    keystones: list[Keystone]
    caveats: list[str]
    truncated: bool = False

    @property
    def leaders(self) -> list[str]:
        return _leaders({r.role: r.level for r in self.rows})

    def as_dict(self) -> dict[str, Any]:
        return {
            "a_label": self.a_label,
            "b_label": self.b_label,
            "leaders": self.leaders,
            "rows": [r.as_dict() for r in self.rows],
            "answer": self.answer,
            "human_answer": self.human_answer,
            "keystones": [k.as_dict() for k in self.keystones],
            "caveats": self.caveats,
            "truncated": self.truncated,
        }


def _leaders(levels: dict[str, int]) -> list[str]:
    best = max(levels.values(), default=NO_ROUTE)
    return [r for r in ROLES if levels.get(r, NO_ROUTE) == best and best > 0]


# ------------------------------------------------------------------ the best route of each role


@dataclass
class Survival:
    """One item of the unfiltered explanation, and whether it survives the filter."""

    section: str
    item: str
    survives: bool
    weakest_before: int
    weakest_after: int | None
    dropped_claims: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "item": self.item,
            "survives": self.survives,
            "weakest_before": STRENGTH_NAMES[self.weakest_before],
            "weakest_after": None if self.weakest_after is None else STRENGTH_NAMES[self.weakest_after],
            "dropped_claims": self.dropped_claims,
        }


@dataclass
class DroppedLink:
    """A claim the filter removes, and the evidence it rested on."""

    hop: Hop
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "claim": self.hop.claim,
            "cause": self.hop.cause,
            "effect": self.hop.effect,
            "cause_label": self.hop.cause_label,
            "effect_label": self.hop.effect_label,
            "sign": self.hop.sign,
            "status": self.hop.status,
            "why": self.why,
        }


@dataclass
class Comparison:
    """The explanation under a stricter filter, compared with the unfiltered one."""

    filter: str
    filter_note: str
    verdicts: list[Survival]
    dropped_links: list[DroppedLink]
    filtered: Explanation
    summary: list[str] = field(default_factory=list)

    def section(self, name: str) -> list[Survival]:
        return [v for v in self.verdicts if v.section == name]

    def as_dict(self) -> dict[str, Any]:
        return {
            "filter": self.filter,
            "filter_note": self.filter_note,
            "summary": self.summary,
            "verdicts": [v.as_dict() for v in self.verdicts],
            "dropped_links": [d.as_dict() for d in self.dropped_links],
            "filtered": {k: v for k, v in self.filtered.as_dict().items() if k != "comparisons"},
        }


@dataclass
class CommonCause:
    """A concept with causal chains to both A and B, each avoiding the other."""

    node: str
    label: str
    to_a: Chain
    to_b: Chain
    through: list[str] = field(default_factory=list)
    #: Which side (``a``, ``b``) the concept is itself downstream of, by claims graded at least as
    #: high as its own routes: then it sits on a feedback loop with that side, a mediator as much as
    #: a cause, and is not counted as a shared cause (a weaker claim back onto it is not enough).
    downstream_of: list[str] = field(default_factory=list)

    @property
    def exogenous(self) -> bool:
        """Upstream of both and downstream of neither: a shared cause in the strict sense."""
        return not self.downstream_of

    @property
    def weakest(self) -> int:
        return min(self.to_a.weakest, self.to_b.weakest)

    def rank_key(self) -> tuple[Any, ...]:
        return (not self.exogenous, -self.weakest, self.to_a.length + self.to_b.length, bool(self.through), self.node)

    def as_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "label": self.label,
            "weakest_strength": self.weakest,
            "through_other_common_causes": self.through,
            "downstream_of": self.downstream_of,
            "exogenous": self.exogenous,
            "to_a": self.to_a.as_dict(),
            "to_b": self.to_b.as_dict(),
        }


@dataclass(repr=False)
class Explanation(Outcome):
    """All four kinds of explanation for A and B, a plain-language summary, and comparisons."""

    a: str
    b: str
    a_label: str
    b_label: str
    a_set: list[str]
    b_set: list[str]
    include_narrower: bool
    max_length: int
    loop_length: int
    direct_ab: list[Hop]
    direct_ba: list[Hop]
    chains_ab: list[Chain]
    chains_ba: list[Chain]
    common_causes: list[CommonCause]
    loops: list[Loop]
    counts: dict[str, int]
    common_cause_ids: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    #: Members of A's and B's sets other than A and B, with how they belong ("⊂ autoimmune disease",
    #: "stage of type 1 diabetes").
    members: dict[str, str] = field(default_factory=dict)
    #: Associations between the two sides: dicts as in ``graph.graph['associations']``.
    associations: list[dict[str, Any]] = field(default_factory=list)
    verdict: Verdict | None = None

    @property
    def marks(self) -> dict[str, str]:
        """Text marks for members other than A and B: ``[⊂ autoimmune disease]``, ``[stage of …]``."""
        return {n: f" [{how}]" for n, how in self.members.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "a_label": self.a_label,
            "b_label": self.b_label,
            "a_set": self.a_set,
            "b_set": self.b_set,
            "include_narrower": self.include_narrower,
            "max_length": self.max_length,
            "loop_length": self.loop_length,
            **self.outcome_dict(),
            "summary": self.summary,
            "counts": self.counts,
            "direct_ab": [h.as_dict() for h in self.direct_ab],
            "direct_ba": [h.as_dict() for h in self.direct_ba],
            "chains_ab": [c.as_dict() for c in self.chains_ab],
            "chains_ba": [c.as_dict() for c in self.chains_ba],
            "common_causes": [c.as_dict() for c in self.common_causes],
            "loops": [lp.as_dict() for lp in self.loops],
            "members": self.members,
            "associations": self.associations,
            "verdict": self.verdict.as_dict() if self.verdict is not None else None,
            "comparisons": [c.as_dict() for c in self.comparisons],
        }

    def text(self, details: bool = False) -> str:
        """The first screen (question, verdict, answer, keystones, caveats, best routes), or with
        ``details`` the full report."""
        from gutkg.display import text

        return text(self, details=details)
