"""Readable text for :class:`~gutkg.analysis.rivals.RivalsResult`: per question, the rivals ranked by
grade (all evidence beside primary human evidence), the answer and the claim it hangs on; with
``details``, each rival's claims with their grades, then the contradictions."""

from __future__ import annotations

from gutkg.analysis.core import STRENGTH_NAMES
from gutkg.analysis.rivals import QuestionRivals, RivalsResult
from gutkg.analysis.text import hop_line, section, wrap
from gutkg.display import renders_text


def _table(q: QuestionRivals) -> list[str]:
    width = min(max(len(r.label) for r in q.rivals) + 2, 58)
    from gutkg.analysis.explanation import level_name

    lines = [f"  {'':3}{'rival':<{width}}{'grade':<11}{'human only':<12}{'against':<10}kinds of counted evidence"]
    for i, r in enumerate(q.rivals, 1):
        name = r.label if len(r.label) < width - 1 else r.label[: width - 3] + "…"
        kinds = ", ".join(r.kinds) if r.kinds else "no counted evidence"
        against = level_name(r.against) if r.against else "—"
        lines.append(f"  {i:<3}{name:<{width}}{r.grade_label:<11}{r.human_label:<12}{against:<10}{kinds}")
    return lines


def _ranked_by(q: QuestionRivals) -> str:
    if q.exposure and q.outcome and any(r.role for r in q.rivals):
        return (
            "ranked by the grade of each rival's best route between the question's exposure and "
            "outcome (gutkg explain), then by the grade on primary human evidence"
        )
    return (
        "ranked by the grade of each rival's best-graded claim (or, for a hypothesis about a test, "
        "measurement relation), then by the best evidence against it, then by its grade on human evidence"
    )


@renders_text(RivalsResult)
def rivals_text(r: RivalsResult, details: bool = False) -> str:
    """``RivalsResult.text()``: each question's rivals ranked by grade, its answer and what it hangs
    on; ``details`` adds each rival's claims and measurements and the contradictions."""
    out = []
    if r.filter != "no filter":
        out.append(f"evidence filter: {r.filter_note or r.filter}")
    out.extend(r.notes)
    for q in r.questions:
        out.append(section(f"{q.label}  [{q.id}]"))
        if not q.rivals:
            continue
        out.extend(_table(q))
        out.append(wrap(_ranked_by(q) + "; never by how many claims or items were curated.", "  "))
        for line in q.answer:
            out.append(wrap(line, "  "))
        for k in q.keystones[:1]:
            out.append(wrap(f"Hangs on: {k}", "  "))
        if not details:
            continue
        for i, rv in enumerate(q.rivals, 1):
            out.append("")
            out.append(wrap(f"{i}. {rv.label}  [{rv.id}]" + (f"  role: {rv.role}" if rv.role else ""), "  "))
            if rv.definition:
                out.append(wrap(rv.definition, "     "))
            if rv.route:
                out.append(wrap(f"best route: {rv.route}", "     "))
            out.append(
                wrap(
                    f"its claims: {len(rv.claims)} of {len(rv.claims) + len(rv.missing)}; best graded "
                    f"{STRENGTH_NAMES[rv.strongest]}, weakest {STRENGTH_NAMES[rv.weakest]}; status: "
                    + ", ".join(f"{s} {n}" for s, n in rv.by_status.items()),
                    "     ",
                )
            )
            out.extend(hop_line(h, "       · ") for h in rv.claims)
            for m in rv.measurements:
                out.append(
                    wrap(
                        f"{m['method']} reads {m['measures']}  [validity {m['validity']}, grade {m['grade']}]",
                        "       · ",
                    )
                )
            if rv.missing:
                out.append(
                    wrap(
                        "not in the graph"
                        + (" under this filter" if r.filter != "no filter" else "")
                        + ": "
                        + ", ".join(rv.missing),
                        "       ✗ ",
                    )
                )
    if details:
        out.append(section("Contradictions kept in the graph", len(r.contradictions)))
        if not r.contradictions:
            out.append("  none")
        for c in r.contradictions:
            out.append(f"  {c.kind}: {c.a_label} / {c.b_label}")
            out.extend(hop_line(h, "     · ") for h in c.claims)
    else:
        out.append("")
        out.append(
            wrap(
                f"More: --details (each rival's claims with grades and citations; the "
                f"{len(r.contradictions)} contradictions kept in the graph), --format json."
            )
        )
    return "\n".join(out)
