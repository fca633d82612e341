"""The plain-language summary of an explanation: each direction, shared causes, loops, the balance
between the directions and how much of it rests on human evidence, in sentences.

Computed with the explanation (``Explanation.summary``), so every renderer (text, HTML, JSON) says
the same.
"""

from __future__ import annotations

from gutkg.analysis.core import STRENGTH_NAMES, Chain, Hop
from gutkg.analysis.explanation import Explanation
from gutkg.analysis.text import chain_head

CAVEAT = (
    "A claim's grade (none < very low < low < moderate < high) comes from its primary, "
    "direction-showing evidence: design, directness, assay validity, consistency (gutkg explain "
    "--help); a chain is only as strong as its weakest claim. The graph records published claims; it "
    "does not estimate effect sizes."
)


def _direction(e: Explanation, direct: list[Hop], chains: list[Chain], found: int, src: str, dst: str) -> str:
    causal = [h for h in direct if h.sign != 0 and h.status != "refuted"]
    null = [h for h in direct if h.sign == 0 or h.status == "refuted"]
    bits = []
    if causal:
        best = max(causal, key=lambda h: h.strength)
        signs = {h.sign_label for h in causal}
        umbrella = sum(1 for h in causal if h.cause not in (e.a, e.b) or h.effect not in (e.a, e.b))
        about = f", {umbrella} of them about narrower concepts" if umbrella else ""
        bits.append(
            f"{len(causal)} direct claim{'s' if len(causal) > 1 else ''} that {src} "
            f"{'/'.join(sorted(signs))} {dst} (best evidence: "
            f"{best.strength_label if best.strength else 'none, hypothesised'}"
            + (f", in {', '.join(best.systems)}" if best.systems else "")
            + about
            + ")"
        )
    for h in null:
        what = "refuted claim" if h.status == "refuted" else f"{h.status} claim of no effect"
        bits.append(f"a {what}: {h.cause_label} on {h.effect_label}")
    if chains:
        c = chains[0]
        bits.append(
            f"{found} chain{'s' if found > 1 else ''} through other concepts, the best "
            f"{chain_head(c)} (weakest link {STRENGTH_NAMES[c.weakest]}, net "
            f"{'+' if c.sign > 0 else '−'})"
        )
    if not bits:
        return f"{src} → {dst}: no claim and no chain of at most {e.max_length} claims" + (
            " under this filter." if e.filter != "no filter" else "."
        )
    return f"{src} → {dst}: " + "; ".join(bits) + "."


def _best(direct: list[Hop], chains: list[Chain]) -> int:
    causal = [h.strength for h in direct if h.sign != 0 and h.status != "refuted"]
    return max(causal + [c.weakest for c in chains], default=-1)


def _human(direct: list[Hop], chains: list[Chain]) -> tuple[int, int]:
    routes = [[h] for h in direct if h.sign != 0 and h.status != "refuted"] + [c.hops for c in chains]
    human = [r for r in routes if all("human" in h.systems for h in r)]
    return len(human), len(routes)


def summarise(e: Explanation) -> list[str]:
    """Plain-language sentences: each direction, common causes, loops, balance, caveat."""
    a, b = e.a_label, e.b_label
    lines = [
        _direction(e, e.direct_ab, e.chains_ab, e.counts.get("chains_ab", 0), a, b),
        _direction(e, e.direct_ba, e.chains_ba, e.counts.get("chains_ba", 0), b, a),
    ]
    n_cc = e.counts.get("common_causes", 0)
    if e.common_causes:
        lead = ", ".join(f"{c.label} ({STRENGTH_NAMES[c.weakest]})" for c in e.common_causes[:4])
        lines.append(
            f"Common causes: {n_cc} concept{'s' if n_cc > 1 else ''} could drive both, "
            f"led by {lead} (weakest link of the weaker side in brackets)."
        )
    else:
        lines.append(f"Common causes: none within {e.max_length} claims.")
    n_loops = e.counts.get("loops", 0)
    if e.loops:
        kinds = [lp.kind for lp in e.loops]
        lines.append(
            f"Feedback: {n_loops} loop{'s' if n_loops > 1 else ''} contain both "
            f"({kinds.count('reinforcing')} reinforcing, {kinds.count('balancing')} "
            f"balancing among those shown); the best: {chain_head(e.loops[0])}."
        )
    else:
        lines.append(f"Feedback: no loop of at most {e.loop_length} claims contains both.")
    best_ab, best_ba = _best(e.direct_ab, e.chains_ab), _best(e.direct_ba, e.chains_ba)
    if best_ab >= 0 and best_ba >= 0:
        if best_ab == best_ba:
            lines.append(
                f"Balance: both directions are supported about equally (best route {STRENGTH_NAMES[best_ab]} each way)."
            )
        else:
            strong, weak = (f"{a} → {b}", f"{b} → {a}") if best_ab > best_ba else (f"{b} → {a}", f"{a} → {b}")
            lines.append(
                f"Balance: the best route {strong} is better supported "
                f"({STRENGTH_NAMES[max(best_ab, best_ba)]}) than {weak} "
                f"({STRENGTH_NAMES[min(best_ab, best_ba)]})."
            )
    for src, dst, direct, chains in ((a, b, e.direct_ab, e.chains_ab), (b, a, e.direct_ba, e.chains_ba)):
        n_h, n = _human(direct, chains)
        if n:
            lines.append(
                f"Human evidence: {n_h} of the {n} {src} → {dst} routes shown have human "
                "evidence on every link" + (" (try --compare-evidence human)." if n_h < n else ".")
            )
    lines.append(CAVEAT)
    return lines
