"""Plain-text rendering of analysis results, for the terminal and for ``print()`` in notebooks.

Every line a reader sees about a claim carries its sign, status, evidence strength, species or model
and short citations, so a chain can be judged link by link without opening another view.
"""

from __future__ import annotations

import textwrap

from gutkg.analysis.core import SIGN_SYMBOL, STRENGTH_NAMES, Chain, Hop
from gutkg.analysis.loops import LoopResult
from gutkg.analysis.paths import PathResult
from gutkg.display import renders_text

WIDTH = 100


def wrap(text: str, indent: str = "", width: int = WIDTH) -> str:
    """``text`` filled to ``width`` columns, the first line after ``indent`` and the rest two spaces deeper."""
    return textwrap.fill(
        text, width=width, initial_indent=indent, subsequent_indent=" " * len(indent) + "  ", break_on_hyphens=False
    )


def section(title: str, count: int | str | None = None) -> str:
    """A section heading: a blank line, the title (with ``count`` in brackets) and a rule under it.

    >>> print(section("Paths", 2))
    <BLANKLINE>
    Paths (2)
    ─────────
    """
    head = title if count is None else f"{title} ({count})"
    return f"\n{head}\n{'─' * min(len(head), WIDTH)}"


def arrow(sign: int) -> str:
    """``─(+)→`` for an increase, ``─(−)→`` for a decrease, ``─(0)→`` for no effect."""
    return f"─({SIGN_SYMBOL.get(sign, '?')})→"


def hop_line(h: Hop, indent: str = "    ", marks: dict[str, str] | None = None) -> str:
    """``cause ─(+)→ effect  [supported, moderate; human; Arrieta et al. 2006]``."""
    marks = marks or {}
    cause = h.cause_label + marks.get(h.cause, "")
    effect = h.effect_label + marks.get(h.effect, "")
    line = f"{cause} {arrow(h.sign)} {effect}  [{h.summary()}]"
    if h.note and not (h.cause in marks or h.effect in marks):
        line += f"  ({h.note})"
    return wrap(line, indent)


def chain_head(c: Chain, marks: dict[str, str] | None = None) -> str:
    """``dysbiosis ─(+)→ permeability ─(+)→ autoimmune disease`` (a loop returns to its start)."""
    marks = marks or {}
    parts = [c.hops[0].cause_label + marks.get(c.hops[0].cause, "")] if c.hops else []
    for h in c.hops:
        parts.append(arrow(h.sign))
        parts.append(h.effect_label + marks.get(h.effect, ""))
    return " ".join(parts)


def chain_block(n: int, c: Chain, *, kind: str = "", marks: dict[str, str] | None = None) -> str:
    """A numbered chain: its shape, net sign and weakest link, then one line per claim."""
    net = "net +" if c.sign > 0 else "net −"
    what = f"{kind}, " if kind else ""
    head = (
        wrap(chain_head(c, marks), f"{n:>3}. ") + f"\n       {what}{net}, {c.length} claim"
        f"{'s' if c.length != 1 else ''}, weakest link: {STRENGTH_NAMES[c.weakest]} "
        f"({c.weakest_status})"
    )
    return "\n".join([head, *(hop_line(h, "       · ", marks) for h in c.hops)])


def status_lines(
    filter_desc: str, filter_note: str, causal_rule: str, truncated: bool, reason: str, notes: list[str]
) -> list[str]:
    """The lines every analysis report starts with: the evidence filter, the causal rule, a
    truncation notice and any notes, wrapped."""
    lines = []
    if filter_desc and filter_desc != "no filter":
        lines.append(f"evidence filter: {filter_note or filter_desc}")
    lines.append(causal_rule)
    if truncated:
        lines.append(f"TRUNCATED: {reason}")
    lines.extend(notes)
    return [wrap(line) for line in lines]


def references_block(chains: list[Chain]) -> list[str]:
    """Every reference cited on ``chains``, once, with its DOI or PMID (so a reader can follow it)."""
    seen: dict[str, str] = {}
    for c in chains:
        for h in c.hops:
            for e in h.evidence:
                if e.get("citation") and e["citation"] not in seen:
                    seen[e["citation"]] = str(e.get("doi_link") or "")
    if not seen:
        return []
    return [section("References"), *(wrap(f"{cite}  {link}".rstrip(), "  ") for cite, link in sorted(seen.items()))]


@renders_text(PathResult)
def paths_text(r: PathResult) -> str:
    """``PathResult.text()``: the causal chains found, strongest weakest link first, then their
    references."""
    out = [
        f"Causal chains from {r.source_label} to {r.target_label} "
        f"(at most {r.max_length} claims; strongest weakest link first)"
    ]
    out += status_lines(r.filter, r.filter_note, r.causal_rule, r.truncated, r.reason, r.notes)
    for i, c in enumerate(r.paths, 1):
        out.append("")
        out.append(chain_block(i, c))
    out += references_block(list(r.paths))
    return "\n".join(out)


@renders_text(LoopResult)
def loops_text(r: LoopResult) -> str:
    """``LoopResult.text()``: how many loops were found, those with evidence on every claim, then
    those that close only through hypothesised claims, then their references."""
    where = f" through {r.through}" if r.through else ""
    out = [f"Feedback loops{where} (at most {r.max_length} claims; strongest weakest link first)"]
    out += status_lines(r.filter, r.filter_note, r.causal_rule, r.truncated, r.reason, r.notes)
    at_least = "at least " if r.truncated else ""
    out.append(
        wrap(
            f"{at_least}{r.loops_found} loops: {at_least}{r.loops_evidenced} with evidence on every "
            f"claim, {r.loops_found - r.loops_evidenced} that close only through hypothesised "
            "claims. A count of loops is combinatorics over the graph, not evidence."
        )
    )
    n = 0
    for title, loops in (
        ("Loops with evidence on every claim", r.evidenced),
        ("Loops that close only through hypothesised claims", r.speculative),
    ):
        if not loops:
            continue
        kinds = [lp.kind for lp in loops]
        out.append(
            section(
                title,
                f"{len(loops)} shown: {kinds.count('reinforcing')} reinforcing, {kinds.count('balancing')} balancing",
            )
        )
        for lp in loops:
            n += 1
            out.append(chain_block(n, lp, kind=lp.kind))
    out += references_block(list(r.loops))
    return "\n".join(out)
