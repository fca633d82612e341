"""How much a claim's evidence shows: the status rule and the per-claim grade.

Both are computed from a claim's evidence items (the dicts of :mod:`gutkg.network`: ``stance``,
``model``, ``direction`` (the design's name), ``species``, ``strength`` (curated rank 1-4),
``zonulin_assay``, ``source``, ``citation``). No RDF here.

**Which items count.** Only *primary* items (not a review's synthesis) whose design can show the
direction of causation (:data:`gutkg.scales.DIRECTIONAL`: controlled human intervention, prospective
cohort, Mendelian randomisation, treatment response, experimental intervention, community transfer,
monocolonisation, temporal precedence). Cross-sectional, familial, prognostic and twin findings belong on
associations; reviews point to the primary studies.

**Status rule** (:func:`allowed_statuses`, enforced by ``gutkg validate``). With S the supporting and O
the opposing counted items: no S and no O → *hypothesised*; S only → *supported*, or *established* when
S comes from two or more references and includes people; S and O → *contested*; O only → *refuted*
(or still *hypothesised*).

**Grade** (:func:`grade`), inspired by GRADE and the Bradford Hill viewpoints:

1. *design*: each counted item starts at its curated strength, capped by its design's ceiling
   (a controlled human intervention can reach 4, the other direction-showing designs 3);
2. *directness*: one level lower for animal or ex vivo evidence, two for cultured cells;
3. *measurement validity*: one level lower when the item rests on the serum 'zonulin' ELISA;
4. the claim's grade *for* is its best counted supporting item (at least 1), *against* its best
   counted opposing item; *consistency*: when the evidence against is within one level of the
   evidence for, the claim is **conflicting** and its usable grade drops one level (dissent is shown,
   never averaged away). The number of independent references is reported beside it.

Levels: 4 high, 3 moderate, 2 low, 1 very low, 0 none (no counted evidence).

>>> rct = {"stance": "supports", "model": "in vivo", "direction": "controlled human intervention",
...        "species": ["human"], "strength": 4, "source": "a2020", "citation": "A 2020"}
>>> g = grade([rct])
>>> g.label, g.level
('high', 4)
>>> cross = dict(rct, direction="cross-sectional", strength=2, source="b2021")
>>> grade([cross, cross, cross]).label
'none'
>>> sorted(allowed_statuses([rct]))
['supported']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from gutkg.scales import CEILING, DIRECTIONAL, GRADE_NAMES, HUMAN_DIRECTIONAL, SYNTHESIS

#: An evidence item as the network carries it (:class:`gutkg.attributes.EvidenceItem`), or any
#: mapping with its keys.
Item = Mapping[str, Any]

#: The status rule in one sentence, for messages and ``--help`` texts.
STATUS_RULE = (
    "status follows from primary, direction-showing evidence (S supporting, O opposing): "
    "none → hypothesised; S only → supported (established with S from 2+ references, "
    "one in people); S and O → contested; O only → refuted or hypothesised"
)


def is_primary(item: Item) -> bool:
    """Whether an item is a primary study (not a review's synthesis)."""
    return item.get("model") != SYNTHESIS


def counts(item: Item) -> bool:
    """Whether an item counts towards status and grade: primary, with a direction-showing design."""
    return is_primary(item) and item.get("direction") in DIRECTIONAL


def counts_for_measurement(item: Item) -> bool:
    """Whether an item counts towards a measurement relation's grade: a primary method validation."""
    return is_primary(item) and item.get("direction") == "method validation"


def is_human(item: Item) -> bool:
    """Primary data measured in people (the only items a 'human evidence' filter keeps)."""
    return is_primary(item) and item.get("model") != "in vitro" and "human" in item.get("species", [])


def allowed_statuses(items: Sequence[Item]) -> set[str]:
    """The statuses the status rule allows for a claim with these evidence items.

    >>> sorted(allowed_statuses([]))
    ['hypothesised']
    >>> s = {"stance": "supports", "model": "in vivo", "direction": "prospective cohort",
    ...      "species": ["human"], "source": "a"}
    >>> sorted(allowed_statuses([s, dict(s, source="b")]))
    ['established', 'supported']
    >>> sorted(allowed_statuses([s, dict(s, stance="opposes", source="b")]))
    ['contested']
    """
    supporting = [i for i in items if counts(i) and i.get("stance") == "supports"]
    opposing = [i for i in items if counts(i) and i.get("stance") == "opposes"]
    if supporting and opposing:
        return {"contested"}
    if supporting:
        allowed = {"supported"}
        if len({i.get("source") for i in supporting}) >= 2 and any(is_human(i) for i in supporting):
            allowed.add("established")
        return allowed
    if opposing:
        return {"refuted", "hypothesised"}
    return {"hypothesised"}


def ceiling_problem(item: Item) -> str:
    """Why an item's curated strength is above what its design (or a disputed assay) allows, or ''.

    >>> ceiling_problem({"direction": "cross-sectional", "strength": 3, "model": "in vivo"})
    'cross-sectional evidence is at most weak (here moderate)'
    """
    from gutkg.scales import STRENGTH_NAMES

    strength = int(item.get("strength") or 0)
    design = str(item.get("direction") or "")
    cap = 2 if item.get("model") == SYNTHESIS else CEILING.get(design, 4)
    what = "a review statement" if item.get("model") == SYNTHESIS else f"{design} evidence"
    if item.get("zonulin_assay") and cap > 2:
        cap, what = 2, "evidence resting on the serum zonulin ELISA"
    if strength > cap:
        return f"{what} is at most {STRENGTH_NAMES[cap]} (here {STRENGTH_NAMES.get(strength, strength)})"
    return ""


def item_score(item: Item, counted: Any = None) -> tuple[int, list[str]]:
    """The grade level one counted item gives (0 if it does not count), and the downgrades applied."""
    if not (counted or counts)(item):
        return 0, []
    design = str(item["direction"])
    score = min(int(item.get("strength") or 0), CEILING[design])
    why = []
    if item.get("model") == "in vitro":
        score -= 2
        why.append("cultured cells: two levels lower for people")
    elif "human" not in item.get("species", []):
        score -= 1
        why.append("animal evidence: one level lower for people")
    elif item.get("model") == "ex vivo":
        score -= 1
        why.append("human tissue ex vivo: one level lower")
    if item.get("zonulin_assay"):
        score -= 1
        why.append("serum zonulin ELISA (disputed assay): one level lower")
    return max(score, 1), why


@dataclass
class Grade:
    """A claim's grade, and the reasons a reader can check."""

    level: int
    label: str
    support: int
    against: int
    human: int
    conflicting: bool
    references: int
    kinds: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _who(item: Item) -> str:
    species = ", ".join(item.get("species", [])) or "unspecified species"
    where = "cells" if item.get("model") == "in vitro" else species
    return f"{item.get('direction')} in {where} ({item.get('citation') or item.get('source') or 'uncited'})"


def grade(items: Sequence[Item], *, measurement: bool = False) -> Grade:
    """The grade of a claim with these evidence items (see the module docstring).

    With ``measurement``, the grade of a measurement relation (does the test read the state?):
    the same rules, counting primary method-validation items instead of direction-showing ones.
    """
    counted = counts_for_measurement if measurement else counts
    scored = [(item_score(i, counted), i) for i in items if counted(i)]
    sup = [(s, why, i) for (s, why), i in scored if i.get("stance") == "supports"]
    opp = [(s, why, i) for (s, why), i in scored if i.get("stance") == "opposes"]
    support = max((s for s, _, _ in sup), default=0)
    against = max((s for s, _, _ in opp), default=0)
    human = max((s for s, _, i in sup if is_human(i)), default=0)
    refs = len({i.get("source") for _, _, i in sup})
    conflicting = bool(sup and opp and against >= support - 1)
    level = max(support - 1, 1) if conflicting else support
    reasons = []
    if sup:
        best_score, best_why, best = max(sup, key=lambda t: (t[0], is_human(t[2])))
        reasons.append(
            f"best evidence for: {_who(best)}, {GRADE_NAMES[best_score]}"
            + (f" ({'; '.join(best_why)})" if best_why else "")
        )
        reasons.append(f"{refs} independent reference{'s' if refs != 1 else ''} for")
        if not human:
            reasons.append("no counted evidence in people")
    else:
        reasons.append(
            "no primary method validation for it" if measurement else "no primary, direction-showing evidence for it"
        )
    if opp:
        worst = max(opp, key=lambda t: t[0])
        reasons.append(f"best evidence against: {_who(worst[2])}, {GRADE_NAMES[worst[0]]}")
        if conflicting:
            reasons.append("conflicting: good evidence on both sides, one level lower")
    rest = [i for i in items if not counted(i)]
    reviews = sum(1 for i in rest if not is_primary(i))
    other = len(rest) - reviews
    if reviews:
        reasons.append(f"{reviews} review statement{'s' if reviews != 1 else ''} not counted (synthesis)")
    if other:
        reasons.append(f"{other} item{'s' if other != 1 else ''} whose design shows no direction not counted")
    kinds = sorted({str(i.get("direction")) for _, _, i in sup}, key=lambda k: (k not in HUMAN_DIRECTIONAL, k))
    return Grade(
        level=level,
        label=GRADE_NAMES[level] + (" (conflicting)" if conflicting else ""),
        support=support,
        against=against,
        human=human,
        conflicting=conflicting,
        references=refs,
        kinds=kinds,
        reasons=reasons,
    )


__all__ = [
    "STATUS_RULE",
    "Grade",
    "allowed_statuses",
    "ceiling_problem",
    "counts",
    "grade",
    "is_human",
    "is_primary",
    "item_score",
]
