"""Readable text for :class:`~gutkg.analysis.rivals.RivalsResult`: a side-by-side table per
question, then each rival's claims, then the contradictions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gutkg.analysis.core import STRENGTH_NAMES
from gutkg.analysis.text import hop_line, section, wrap

if TYPE_CHECKING:
    from gutkg.analysis.rivals import QuestionRivals, RivalsResult

STRENGTH_COLUMNS = ("strong", "moderate", "weak", "minimal", "none")


def _table(q: QuestionRivals) -> list[str]:
    systems = sorted({s for r in q.rivals for s in r.by_system},
                     key=lambda s: (s != "human", s))
    head = (f"  {'hypothesis':<30}{'claims':>7} {'items':>6} {'opp.':>5} │ "
            + " ".join(f"{c[:5]:>5}" for c in STRENGTH_COLUMNS) + " │ "
            + " ".join(f"{s[:8]:>8}" for s in systems) + " │ interv.")
    lines = [head, "  " + "─" * (len(head) - 2)]
    for i, r in enumerate(q.rivals):
        total = len(r.claims) + len(r.missing)
        interventional = sum(n for d, n in r.by_direction.items()
                             if d in ("interventional", "germ-free or transfer", "genetic"))
        name = r.label if len(r.label) <= 26 else r.label[:25] + "…"
        lines.append(f"  {chr(65 + i % 26)}. {name:<26}{f'{len(r.claims)}/{total}':>7} {r.items:>6} "
                     f"{r.opposing:>5} │ "
                     + " ".join(f"{r.by_strength.get(c, 0):>5}" for c in STRENGTH_COLUMNS) + " │ "
                     + " ".join(f"{r.by_system.get(s, 0):>8}" for s in systems)
                     + f" │ {interventional:>7}")
    lines.append("  claims: kept/total; items: evidence items (opp.: opposing); strength columns "
                 "count claims by their best evidence; species/model and interv. (interventional, "
                 "germ-free/transfer or genetic) count supporting items")
    return [wrap(x, "") if len(x) > 160 else x for x in lines]


def rivals_text(r: RivalsResult) -> str:
    out = []
    if r.filter != "no filter":
        out.append(f"evidence filter: {r.filter_note or r.filter}")
    out.extend(r.notes)
    for q in r.questions:
        out.append(section(f"Question: {q.label}  [{q.id}]"))
        if q.definition:
            out.append(wrap(q.definition, "  "))
        if not q.rivals:
            continue
        out.append("")
        out.extend(_table(q))
        for i, rv in enumerate(q.rivals):
            out.append("")
            out.append(wrap(f"{chr(65 + i % 26)}. {rv.label}  [{rv.id}]", "  "))
            if rv.definition:
                out.append(wrap(rv.definition, "     "))
            out.append(wrap(f"claims {len(rv.claims)} of {len(rv.claims) + len(rv.missing)}; best "
                            f"evidence {STRENGTH_NAMES[rv.strongest]}, weakest claim "
                            f"{STRENGTH_NAMES[rv.weakest]}; direction evidence: "
                            + (", ".join(f"{d} {n}" for d, n in rv.by_direction.items()) or "none")
                            + "; status: " + ", ".join(f"{s} {n}" for s, n in rv.by_status.items()),
                            "     "))
            out.extend(hop_line(h, "       · ") for h in rv.claims)
            if rv.missing:
                out.append(wrap("not in the graph" + (" under this filter" if r.filter != "no filter"
                                                       else "") + ": " + ", ".join(rv.missing),
                                "       ✗ "))
    out.append(section("Contradictions kept in the graph", len(r.contradictions)))
    if not r.contradictions:
        out.append("  none")
    for c in r.contradictions:
        out.append(f"  {c.kind}: {c.a_label} / {c.b_label}")
        out.extend(hop_line(h, "     · ") for h in c.claims)
    return "\n".join(out)
