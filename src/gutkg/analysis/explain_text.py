"""Readable text for :class:`~gutkg.analysis.explain.Explanation`, and its plain-language summary.

The layout follows how a researcher reads an argument: the direct evidence each way, the routes
through other concepts each way, the shared causes, the feedback loops, then a summary in sentences,
then (with ``--compare-evidence``) what survives a stricter standard of evidence and what drops.
"""

from __future__ import annotations

from gutkg.analysis.core import STRENGTH_NAMES, Chain, Hop
from gutkg.analysis.explanation import Comparison, Explanation
from gutkg.analysis.text import arrow, chain_block, chain_head, hop_line, section, status_lines, wrap
from gutkg.display import renders_text


def _evidence_lines(h: Hop, indent: str) -> list[str]:
    lines = []
    for e in h.evidence:
        bits = [
            e.get("system") or "",
            e.get("direction") or "",
            e.get("design_label") or "",
            e.get("strength_label") or "",
        ]
        text = ", ".join(b for b in bits if b and b != "none")
        stance = "" if e.get("stance") == "supports" else " (OPPOSES the claim)"
        link = f" {e['doi_link']}" if e.get("doi_link") else ""
        lines.append(wrap(f"{e.get('citation') or 'uncited'}: {text}{stance}{link}", indent))
    if not h.evidence:
        lines.append(wrap("no evidence item: a hypothesis", indent))
    return lines


def _direct_block(title: str, hops: list[Hop], marks: dict[str, str]) -> list[str]:
    out = [section(title, len(hops))]
    if not hops:
        out.append("    none")
    for h in hops:
        out.append(hop_line(h, "    ", marks))
        out.extend(_evidence_lines(h, "        - "))
    return out


def _chains_block(title: str, chains: list[Chain], found: int, marks: dict[str, str], loops: bool = False) -> list[str]:
    shown = f"{len(chains)}" if found <= len(chains) else f"best {len(chains)} of {found}"
    out = [section(title, shown)]
    if not chains:
        out.append("    none")
    for i, c in enumerate(chains, 1):
        out.append(chain_block(i, c, kind=getattr(c, "kind", "") if loops else "", marks=marks))
    return out


def explanation_text(e: Explanation) -> str:
    """The full text report (``--details``): direct claims both ways, mediated chains, common
    causes, loops, associations, the verdict, the summary and any evidence comparisons."""
    marks = e.marks
    out = [f"How could {e.a_label} and {e.b_label} be associated?"]
    out += status_lines(e.filter, e.filter_note, e.causal_rule, e.truncated, e.reason, e.notes)
    out.append(f"chains of at most {e.max_length} claims, loops of at most {e.loop_length}")
    ab, ba = f"{e.a_label} → {e.b_label}", f"{e.b_label} → {e.a_label}"
    out += _direct_block(f"1. Direct claims {ab}", e.direct_ab, marks)
    out += _direct_block(f"2. Direct claims {ba}", e.direct_ba, marks)
    out += _chains_block(
        f"3. Mediated chains {e.a_label} → … → {e.b_label}", e.chains_ab, e.counts.get("chains_ab", 0), marks
    )
    out += _chains_block(
        f"4. Mediated chains {e.b_label} → … → {e.a_label}", e.chains_ba, e.counts.get("chains_ba", 0), marks
    )
    found = e.counts.get("common_causes", 0)
    shown = f"{len(e.common_causes)}" if found <= len(e.common_causes) else f"best {len(e.common_causes)} of {found}"
    out.append(section("5. Common causes: concepts with a chain to each, avoiding the other", shown))
    if not e.common_causes:
        out.append("    none")
    for i, c in enumerate(e.common_causes, 1):
        via = f"  (acts through: {', '.join(e.labels.get(n, n) for n in c.through)})" if c.through else ""
        loop = ""
        if c.downstream_of:
            sides = " and ".join(e.a_label if s == "a" else e.b_label for s in c.downstream_of)
            loop = f"  [also downstream of {sides}, by claims as firmly graded: on a feedback loop, not a shared cause]"
        out.append(f"{i:>3}. {c.label}: weakest link {STRENGTH_NAMES[c.weakest]}{via}{loop}")
        for side in (c.to_a, c.to_b):
            out.append(wrap(chain_head(side, marks), "       ⇒ "))
            out.extend(hop_line(h, "         · ", marks) for h in side.hops)
    out += _chains_block(
        f"6. Feedback loops containing both (at most {e.loop_length} claims)",
        list(e.loops),
        e.counts.get("loops", 0),
        marks,
        loops=True,
    )
    n_ev = e.counts.get("loops_evidenced", 0)
    out.append(
        wrap(
            f"{n_ev} of {e.counts.get('loops', 0)} loops have evidence on every claim; the rest "
            "close only through hypothesised claims (a count of loops is not evidence)",
            "    ",
        )
    )
    out.append(
        section("7. Associations between the two sides: they go together, direction not shown", len(e.associations))
    )
    if not e.associations:
        out.append("    none")
    for x in e.associations:
        ends = f"{e.labels.get(x['a'], x['a'])} ~ {e.labels.get(x['b'], x['b'])}"
        out.append(
            wrap(f"{ends} ({x['correlation']}; {', '.join(x['designs'])}): " + "; ".join(x["citations"][:4]), "    ")
        )
    if e.verdict is not None:
        out += [section("Verdict"), *verdict_lines(e)]
    out.append(section("Summary"))
    out.extend(wrap(s, "  • ") for s in e.summary)
    for cmp in e.comparisons:
        out += comparison_lines(cmp)
    return "\n".join(out)


def verdict_lines(e: Explanation) -> list[str]:
    """The verdict table and the answer, as on the first screen."""
    v = e.verdict
    assert v is not None
    short = max(len(r.title) for r in v.rows) > 36
    titles = {r.role: (r.title.replace(e.a_label, "A").replace(e.b_label, "B") if short else r.title) for r in v.rows}
    width = max(len(t) for t in titles.values()) + 2
    cells = []
    for r in v.rows:
        allev = r.label + (f": {', '.join(r.kinds[:2])}" if r.kinds and r.level > 0 else "")
        human = r.human_label if r.human_level >= 0 else "— (no route survives)"
        if r.human_kinds and r.human_level > 0:
            human += f": {', '.join(r.human_kinds[:2])}"
        cells.append((titles[r.role], allev, human))
    mid = min(max(len(c[1]) for c in cells) + 2, 46)
    out = [f"  A = {e.a_label}, B = {e.b_label}"] if short else []
    out.append(f"  {'rival':<{width}}{'all evidence':<{mid}}primary human evidence only")
    for title, allev, human in cells:
        allev = allev if len(allev) < mid - 1 else allev[: mid - 3] + "…"
        out.append(f"  {title:<{width}}{allev:<{mid}}{human}")
    out.append("")
    out += [wrap(line, "  ") for line in [*v.answer, v.human_answer]]
    return out


def first_screen(e: Explanation) -> str:
    """One screen: question and scope, verdict table, answer, keystones, caveats, best routes."""
    v = e.verdict
    assert v is not None
    out = [
        wrap(
            f"Does {e.a_label} cause {e.b_label}, does {e.b_label} cause {e.a_label}, or does a shared "
            "cause (or a loop) produce both?"
        )
    ]
    scope = []
    extra_b = [e.labels.get(n, n) for n in e.b_set if n != e.b]
    extra_a = [e.labels.get(n, n) for n in e.a_set if n != e.a]
    if extra_a:
        scope.append(f"{e.a_label} includes {', '.join(extra_a)}")
    if extra_b:
        scope.append(f"{e.b_label} includes {', '.join(extra_b)}")
    scope.append(f"chains ≤ {e.max_length} claims, loops ≤ {e.loop_length}")
    if e.filter != "no filter":
        scope.append(f"filter: {e.filter}")
    out.append(
        wrap(
            "Scope: " + "; ".join(scope) + ".",
            "",
        )
    )
    if e.truncated:
        out.append(wrap(f"TRUNCATED: {e.reason or 'time budget spent'}"))
    out += ["", *verdict_lines(e), ""]
    if v.keystones:
        k = v.keystones[0]
        out.append(
            wrap(
                f"The answer hangs on: {'; and '.join(k.labels)} "
                f"({'; '.join(k.citations) or 'no citation'}). If wrong: {k.change}.",
                "",
            )
        )
        for more in v.keystones[1:3]:
            out.append(wrap(f"also: {'; and '.join(more.labels)}: {more.change}", "  "))
    else:
        out.append(wrap("No single claim (or pair) on the best routes changes the answer when removed."))
    out.append("")
    out += [wrap(c, "Caveat: ") for c in v.caveats[:3]]
    routes = [r for r in v.rows if r.route]
    if routes:
        out.append("Best routes:")
        for i, r in enumerate(sorted(routes, key=lambda r: -r.level)[:3], 1):
            out.append(wrap(f"{r.route}  [{r.label}]", f"  {i}. "))
    for cmp in e.comparisons:
        alive = sum(x.survives for x in cmp.verdicts)
        out.append(
            wrap(
                f"Compared with {cmp.filter}: {alive} of {len(cmp.verdicts)} claims, chains, common "
                f"causes and loops survive; {len(cmp.dropped_links)} links drop (--details lists them)."
            )
        )
    out.append(
        wrap(
            "More: --details (every claim, chain, common cause, loop and association, with "
            "evidence and DOIs), --format json."
        )
    )
    return "\n".join(out)


def comparison_lines(cmp: Comparison) -> list[str]:
    """The lines of one evidence comparison: which claims, chains, common causes and loops survive
    the filter (with any change in their weakest link), which drop, and the links that drop and why."""
    out = [section(f"Compared with evidence filter: {cmp.filter}")]
    if cmp.filter_note:
        out.append(f"  {cmp.filter_note}")
    current = None
    for v in cmp.verdicts:
        if v.section != current:
            current = v.section
            alive = sum(x.survives for x in cmp.section(current))
            out.append(f"  {current}: {alive} of {len(cmp.section(current))} survive")
        if v.survives:
            after = STRENGTH_NAMES[v.weakest_after or 0]
            change = (
                ""
                if v.weakest_after == v.weakest_before
                else f" (weakest link {STRENGTH_NAMES[v.weakest_before]} → {after})"
            )
            out.append(wrap(f"survives: {v.item}{change}", "      ✓ "))
        else:
            out.append(wrap(f"drops:    {v.item}", "      ✗ "))
    if not cmp.verdicts:
        out.append("  nothing to compare: the unfiltered analysis found nothing")
    out.append(f"  Links that drop ({len(cmp.dropped_links)}):")
    for d in cmp.dropped_links:
        out.append(
            wrap(f"{d.hop.cause_label} {arrow(d.hop.sign)} {d.hop.effect_label} [{d.hop.status}]: {d.why}", "    - ")
        )
    return out


@renders_text(Explanation)
def explanation_text_of(e: Explanation, details: bool = False) -> str:
    """``Explanation.text()``: the first screen (question, verdict, answer, keystones, caveats, best
    routes), or with ``details`` (or without a verdict) the full report."""
    return explanation_text(e) if details or e.verdict is None else first_screen(e)
