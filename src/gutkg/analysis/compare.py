"""Evidence sensitivity: which explanations survive a stricter evidence filter, and which links drop.

``explain(..., compare=[parse_filter("human")])`` reruns the explanation with only human evidence and
compares item by item. A direct claim survives if the filter keeps it; a chain or loop survives if
the filter keeps *every* claim on it (its weakest link may then be weaker); a common cause survives if
it is still a common cause under the filter. Every claim that drops is named once, with the evidence
it rested on, so a reader sees *why* (for example: only mouse studies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gutkg.analysis.core import Chain, Hop, filtered
from gutkg.analysis.explanation import Comparison, DroppedLink, Explanation, Survival
from gutkg.analysis.text import chain_head

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter


def compare_explanations(
    graph: nx.MultiDiGraph, base: Explanation, again: Explanation, flt: EvidenceFilter
) -> Comparison:
    """Compare ``base`` (computed on ``graph``) with ``again`` (the same under ``flt``)."""
    from gutkg.analysis.filters import why_dropped

    kept = filtered(graph, flt)
    strength = {k: d.get("strength", 0) for _, _, k, d in kept.edges(keys=True, data=True)}
    dropped: dict[str, DroppedLink] = {}

    def judge_hops(hops: list[Hop]) -> tuple[bool, int | None, list[str]]:
        gone = [h.claim for h in hops if h.claim not in strength]
        for h in hops:
            if h.claim not in strength and h.claim not in dropped:
                data = graph.edges[h.cause, h.effect, h.claim]
                dropped[h.claim] = DroppedLink(hop=h, why=why_dropped(data, flt))
        after = None if gone else min(strength[h.claim] for h in hops)
        return not gone, after, gone

    verdicts = []
    ab, ba = f"{base.a_label} → {base.b_label}", f"{base.b_label} → {base.a_label}"
    for name, hops in ((f"direct {ab}", base.direct_ab), (f"direct {ba}", base.direct_ba)):
        for h in hops:
            ok, after, gone = judge_hops([h])
            verdicts.append(
                Survival(
                    name,
                    f"{h.cause_label} → {h.effect_label} ({h.sign_label}, {h.status})",
                    ok,
                    h.strength,
                    after,
                    gone,
                )
            )
    chain_sections: list[tuple[str, list[Chain]]] = [
        (f"chains {ab}", list(base.chains_ab)),
        (f"chains {ba}", list(base.chains_ba)),
        ("loops containing both", list(base.loops)),
    ]
    for name, chains in chain_sections:
        for c in chains:
            ok, after, gone = judge_hops(c.hops)
            verdicts.append(Survival(name, chain_head(c), ok, c.weakest, after, gone))
    survivors = set(again.common_cause_ids)
    for cause in base.common_causes:
        _, _, gone_a = judge_hops(cause.to_a.hops)
        _, _, gone_b = judge_hops(cause.to_b.hops)
        ok = cause.node in survivors
        after = None
        if ok:
            mine = next((c for c in again.common_causes if c.node == cause.node), None)
            after = mine.weakest if mine else None
        verdicts.append(Survival("common causes", cause.label, ok, cause.weakest, after, [] if ok else gone_a + gone_b))
    result = Comparison(
        filter=flt.describe(),
        filter_note=again.filter_note,
        verdicts=verdicts,
        dropped_links=sorted(dropped.values(), key=lambda d: d.hop.claim),
        filtered=again,
    )
    result.summary = _summary(result, base)
    return result


def _summary(cmp: Comparison, base: Explanation) -> list[str]:
    sections = dict.fromkeys(v.section for v in cmp.verdicts)
    lines = [f"With {cmp.filter_note or cmp.filter}:"]
    for name in sections:
        items = cmp.section(name)
        alive = [v for v in items if v.survives]
        line = f"{name}: {len(alive)} of {len(items)} survive"
        if alive and name == "common causes":
            line += " (" + ", ".join(v.item for v in alive[:6]) + ")"
        lines.append(line)
    if not sections:
        lines.append("the unfiltered graph had nothing to compare")
    new = [c.label for c in cmp.filtered.common_causes if c.node not in {x.node for x in base.common_causes}]
    if new:
        lines.append("common causes shown only under the filter: " + ", ".join(new))
    lines.append(f"{len(cmp.dropped_links)} link(s) drop" + (":" if cmp.dropped_links else ""))
    return lines
