"""A lecture deck's slides, format-neutral: what each slide says, planned once from a story.

:func:`plan` turns a :class:`~gutkg.export.story.Story` into :class:`Slide` s; the renderers
(:mod:`gutkg.export.slides` for HTML, :mod:`gutkg.export.pptx_deck` for PowerPoint) import this
module, never the other way round. The slides of a question's deck, in order:

1. title;
2. the question and why it matters, and its rivals, each in its colour;
3. one map of the claims the deck walks through, coloured by rival (when Graphviz is installed and
   the map stays legible on a slide);
4. for each rival: a slide that introduces it, then one slide per claim in causal order, in large
   type (at most ``max_words`` words): the claim, its status and grade, its best evidence and
   citation;
5. what the evidence says: the verdict table (each rival graded on all evidence and on primary
   human evidence), the keystone claims, what survives on human data (or, for a question without
   a verdict, a summary per rival);
6. what would settle it (:meth:`~gutkg.export.story.Story.settle`); 7. the references.

Loop and path decks follow the same plan with loops or paths as the tracks. Every slide carries
speaker notes with what the slide leaves out (mechanisms, every evidence item, hidden claims).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError
from gutkg.export.figure import clip
from gutkg.export.story import Story, Track, best_evidence, evidence_summary, plain_arrows

if TYPE_CHECKING:
    from gutkg.export.figure import Figure

#: Deck formats, by file suffix.
FORMATS = ("html", "pptx")
#: Most words on a step slide, by default.
MAX_WORDS = 25
#: References per references slide (large type), and the lines they may fill.
REFS_PER_SLIDE, REF_LINES = 5, 18
SIGN_WORDS = {1: "increases", -1: "decreases", 0: "does not change"}


@dataclass
class Slide:
    """One slide, format-neutral: ``kind`` picks the renderer, ``data`` holds its content."""

    kind: str  # title | question | map | rival | step | verdict | keystones | human | summary | settle | references
    title: str
    notes: str
    data: dict[str, Any] = field(default_factory=dict)


def words(text: str) -> int:
    """Words in ``text`` as a reader counts them (runs of non-space characters).

    >>> words("dysbiosis → celiac disease")
    4
    """
    return len(text.split())


def clip_words(text: str, most: int) -> str:
    """``text`` cut to at most ``most`` words, with an ellipsis when cut.

    >>> clip_words("one two three four", 3)
    'one two three…'
    """
    parts = text.split()
    return text if len(parts) <= most else " ".join(parts[:most]) + "…"


def step_lines(
    story: Story, track: Track, edge: tuple[str, str, str], index: int, max_words: int = MAX_WORDS
) -> tuple[str, list[tuple[str, str]]]:
    """The title and lines (role, text) of the step slide revealing ``edge``, in at most
    ``max_words`` words: the claim, its status and grade, its best evidence and its citation.

    Less important lines go first when the budget is short: the evidence design, then the rival's
    name in the title is shortened, then the claim itself.
    """
    u, v, _ = edge
    c = story.claim(edge)
    sign = int(c.get("sign", 0))
    head = f"{clip(story.label(u), 60)} {SIGN_WORDS.get(sign, 'affects')} {clip(story.label(v), 60)}"
    grade = (c.get("grading") or {}).get("label") or "none"
    facts = f"{c.get('status', '')} · grade {grade}"
    best = best_evidence(c)
    design = cite = ""
    if best is not None:
        design = ", ".join(x for x in (best.get("design_label") or best.get("type_label"), best.get("system")) if x)
        cite = clip(str(best.get("citation") or ""), 60)
    else:
        cite = "no evidence yet: a hypothesis"
    n = len(track.claims)
    title = f"{clip_words(track.label, 6)} · {index}/{n}"
    lines = [("head", head), ("facts", facts), ("design", design), ("cite", cite)]

    def total() -> int:
        return words(title) + sum(words(t) for _, t in lines)

    if total() > max_words:
        lines = [(r, t) for r, t in lines if r != "design"]
    if total() > max_words:
        title = f"{clip_words(track.label, 2)} · {index}/{n}"
    for role in ("cite", "head"):
        if total() > max_words:
            budget = max(max_words - total() + words(dict(lines)[role]), 2)
            lines = [(r, clip_words(t, budget) if r == role else t) for r, t in lines]
    if total() > max_words:
        title = f"{index}/{n}"
    return title, [(r, t) for r, t in lines if t]


def claim_notes(story: Story, edge: tuple[str, str, str]) -> str:
    """Speaker notes of a claim: mechanism and every evidence item with its citation."""
    u, v, _ = edge
    c = story.claim(edge)
    lines = [f"{story.label(u)} {c.get('sign_label', '')} {story.label(v)} (status: {c.get('status', '')})."]
    if c.get("mechanism"):
        lines.append(f"Mechanism: {c['mechanism']}")
    for e in c.get("evidence", []):
        bits = [
            b
            for b in (
                e.get("citation"),
                e.get("system"),
                e.get("design_label") or e.get("type_label"),
                e.get("direction"),
                f"{e.get('strength_label', '')} evidence",
            )
            if b
        ]
        lines.append(f"- {e.get('stance', 'supports')}: {e.get('description', '')} [{'; '.join(bits)}]")
    if not c.get("evidence"):
        lines.append("- no evidence item: a hypothesis only.")
    return "\n".join(lines)


def map_figure(story: Story, theme: str = "light") -> Figure | None:
    """The map of the claims the deck walks through, coloured by track, or None when Graphviz is
    missing or it does not stay legible on a slide (a slide cannot grow: only pruning is tried)."""
    from gutkg.export.figure import fit_figure
    from gutkg.export.selection import restrict_to_claims

    colours: dict[str, str] = {}
    for t in story.tracks:
        for _, _, k in t.claims:
            colours.setdefault(k, t.colour)
    if not colours:
        return None
    graph = restrict_to_claims(story.graph, colours)
    groups = [(t.label, t.colour) for t in story.tracks if t.claims]
    what = {"hypothesis": "each rival's claims", "loop": "the loops", "path": "the paths"}
    try:
        return fit_figure(
            graph,
            title=f"The map: {what.get(story.tracks[0].kind, 'the claims')}",
            subtitle=clip(story.title, 120),
            theme=theme,
            marks=False,
            grow=False,
            colours=colours,
            groups=groups,
        )
    except GutKGError:
        return None


def plan(
    story: Story, *, subtitle: str = "", with_map: bool = True, theme: str = "light", max_words: int = MAX_WORDS
) -> list[Slide]:
    """The deck's slides (see the module docstring for the order)."""
    if not story.tracks:
        raise GutKGError("the selection is empty: no rival, loop or path to present")
    if max_words < 8:
        raise GutKGError("max_words must be at least 8: a claim and its citation need that many")
    from gutkg import __version__

    what = {"hypothesis": "rival answers", "loop": "feedback loops", "path": "causal paths"}
    kind = what.get(story.tracks[0].kind, "answers")
    one = {"rival answers": "rival", "feedback loops": "loop", "causal paths": "path"}.get(kind, "answer")
    slides = [
        Slide(
            "title",
            clip(story.title, 140),
            f"This deck was generated by gutkg {__version__} from a cited knowledge graph. "
            f"It tells {len(story.tracks)} {kind}, one claim per slide, each with its best "
            "evidence and citation, then what the evidence says and what would settle it.",
            {
                "subtitle": clip(
                    subtitle
                    or "; ".join(
                        n for n in story.notes if not n.startswith(("question:", "within 0 steps", "search truncated"))
                    )
                    or "A cited, computable knowledge graph of the intestinal barrier",
                    200,
                ),
                "footer": f"gutkg {__version__} · {len(story.tracks)} {kind} · {story.steps} claims step by step",
            },
        )
    ]
    question_notes = [story.question, story.context] + [
        f"{t.label}: {t.definition} ({len(t.all_claims)} claims)" for t in story.tracks
    ]
    slides.append(
        Slide(
            "question",
            "The question",
            "\n".join(x for x in question_notes if x),
            {
                "question": clip(story.question, 200),
                "context": clip(story.context, 420),
                "kind": kind,
                "tracks": [
                    (
                        clip(t.label if t.kind == "hypothesis" else f"{t.label}: {t.definition}", 110),
                        t.colour,
                        len(t.all_claims),
                    )
                    for t in story.tracks
                ],
            },
        )
    )
    if with_map:
        figure = map_figure(story, theme)
        if figure is not None:
            slides.append(Slide("map", "The map", _map_notes(figure, story), {"svg": figure.svg, "figure": figure}))
    for i, t in enumerate(story.tracks, 1):
        slides.append(_intro(story, t, i, one))
        for j, edge in enumerate(t.claims, 1):
            title, lines = step_lines(story, t, edge, j, max_words)
            slides.append(
                Slide(
                    "step",
                    title,
                    f"{t.label}, claim {j} of {len(t.claims)}.\n" + claim_notes(story, edge),
                    {"lines": lines, "colour": t.colour, "track": t.label, "claim": edge[2]},
                )
            )
    slides += _findings(story, kind, one)
    settle = story.settle()
    slides.append(
        Slide(
            "settle",
            "What would settle it",
            "Read from the graph and the analysis, not invented: the claims the verdict "
            "hangs on, claims no study supports yet, routes without human evidence.\n" + "\n".join(settle),
            {
                "items": [clip(x, 160) for x in settle[:5]]
                or ["Nothing in the graph points to a missing study for these claims."]
            },
        )
    )
    chunks = _chunks([reference_line(r) for r in story.references()])
    for i, chunk in enumerate(chunks, 1):
        title = "References" + (f" ({i}/{len(chunks)})" if len(chunks) > 1 else "")
        slides.append(
            Slide(
                "references",
                title,
                "Full references with DOIs or PubMed ids; the same short citations appear on the claim slides.",
                {"refs": chunk},
            )
        )
    return slides


def _chunks(refs: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """References split into slides of at most :data:`REFS_PER_SLIDE`, and fewer when long (about
    :data:`REF_LINES` lines of 85 characters fit a slide in 18 pt type)."""
    import math

    out: list[list[dict[str, str]]] = [[]]
    lines = 0
    for ref in refs:
        n = math.ceil(len(f"{ref['citation']}: {ref['text']} {ref['id']}") / 85) + 1
        if out[-1] and (len(out[-1]) >= REFS_PER_SLIDE or lines + n > REF_LINES):
            out.append([])
            lines = 0
        out[-1].append(ref)
        lines += n
    return out


def _map_notes(figure: Figure, story: Story) -> str:
    total = sum(len(t.all_claims) for t in story.tracks)
    return (
        f"The map: {figure.concepts} concepts and {figure.claims} claims, the ones the next "
        f"slides walk through (the rivals hold {total} claims in all). Colour = which "
        "rival a claim belongs to (a claim in several takes the first one's colour); "
        "arrowhead: arrow = increases, bar = decreases, circle = tested without effect; "
        "dashed = hypothesised, dotted = contested; thicker = stronger evidence."
        + (" " + "; ".join(figure.adapted) if figure.adapted else "")
    )


def _intro(story: Story, t: Track, i: int, one: str) -> Slide:
    """The slide that introduces a rival (loop, path): its name, what it says, how it fares."""
    s = evidence_summary(story, t)
    row = None
    if story.verdict is not None and t.role:
        row = next((r for r in story.verdict.rows if r.role == t.role), None)
    facts = []
    if row is not None:
        facts.append(
            f"Its best route ({row.title}): {row.label} on all evidence, {row.human_label} on primary human evidence"
        )
    shown = len(t.claims)
    facts.append(
        f"{shown} of its {s['claims']} claims follow, one per slide"
        + (f"; {s['hypothesised']} of {s['claims']} have no evidence yet" if s["hypothesised"] else "")
    )
    if not t.all_claims:
        facts = ["No claim of it survives the evidence filters."]
    hidden = [f"{story.label(u)} → {story.label(v)}" for u, v, _ in t.hidden]
    notes = f"{t.label}: {t.definition}\n" + (
        f"Not shown on a slide ({len(hidden)}): " + "; ".join(hidden) if hidden else ""
    )
    title = f"{one.capitalize()} {i}: {clip(t.label, 90)}" if t.kind == "hypothesis" else clip(t.label, 90).capitalize()
    return Slide(
        "rival",
        title,
        notes,
        {
            "label": clip(t.label, 90),
            "colour": t.colour,
            "definition": clip(_first_sentence(t.definition), 240),
            "facts": facts,
        },
    )


def _first_sentence(text: str) -> str:
    """The first sentence of ``text`` (the whole of it goes into the notes).

    >>> _first_sentence("A opens B. Then C.")
    'A opens B.'
    """
    end = text.find(". ")
    return text[: end + 1] if end > 0 else text


def _findings(story: Story, kind: str, one: str) -> list[Slide]:
    """What the evidence says: verdict, keystones and human data; or a summary per track."""
    v = story.verdict
    if v is None:
        rows = [(t, evidence_summary(story, t)) for t in story.tracks]
        return [
            Slide(
                "summary",
                f"What supports each {one}",
                "\n".join(_summary_sentence(t, s) for t, s in rows),
                {
                    "header": SUMMARY_HEADER,
                    "rows": [_summary_row(t, s) for t, s in rows],
                    "colours": [t.colour for t, _ in rows],
                },
            )
        ]
    table, colours = [], []
    for r in v.rows:
        t = story.track_of_role(r.role)
        table.append([r.title, clip(t.label, 45) if t else "—", r.label, r.human_label])
        colours.append(t.colour if t else "")
    out = [
        Slide(
            "verdict",
            "What the evidence says",
            "\n".join([*v.answer, v.human_answer, *v.caveats])
            + "\nBest routes:\n"
            + "\n".join(f"{r.title}: {r.route} [{r.label}; designs: {', '.join(r.kinds) or 'none'}]" for r in v.rows),
            {"header": VERDICT_HEADER, "rows": table, "colours": colours, "answer": clip(" ".join(v.answer), 260)},
        )
    ]
    if v.keystones:
        items = [
            (
                clip(plain_arrows(k.labels[0].split(" [")[0]) if k.labels else ", ".join(k.claims), 110),
                clip("; ".join(c.split(", doi:")[0] for c in k.citations), 90),
                clip(k.change, 110),
            )
            for k in v.keystones[:2]
        ]
        out.append(
            Slide(
                "keystones",
                "The answer hangs on",
                "Keystone claims: removing one changes which rival leads or lowers the "
                "leader's grade.\n" + "\n".join(f"{k.labels} {k.citations}: if wrong, {k.change}" for k in v.keystones),
                {"items": items},
            )
        )
    human_rows = [
        (r.title, r.human_label, clip(plain_arrows(r.human_route), 90) if r.human_route else "no route") for r in v.rows
    ]
    out.append(
        Slide(
            "human",
            "What survives on human data",
            v.human_answer + "\n" + "\n".join(f"{a}: {b} — {c}" for a, b, c in human_rows),
            {"answer": clip(v.human_answer, 260), "rows": human_rows},
        )
    )
    return out


VERDICT_HEADER = ["rival route", "told by", "all evidence", "primary human evidence"]
SUMMARY_HEADER = ["answer", "claims", "human evidence", "weakest link"]


def _summary_row(track: Track, s: dict[str, Any]) -> list[str]:
    return [clip(track.label, 60), str(s["claims"]), f"{s['human_claims']} of {s['claims']}", str(s["weakest_link"])]


def _summary_sentence(track: Track, s: dict[str, Any]) -> str:
    if not s["claims"]:
        return f"{track.label}: no claim survives the evidence filters."
    return (
        f"{track.label}: {s['claims']} claims; {s['human_claims']} with human evidence, "
        f"{s['directional_claims']} with directional (interventional, transfer, genetic or "
        f"temporal) evidence; weakest link {s['weakest_link']}; supported by "
        f"{'; '.join(s['citations']) or 'no citation'}"
        + (f"; opposed by {'; '.join(s['opposing_citations'])}" if s["opposing"] else "")
        + "."
    )


def reference_line(ref: dict[str, Any]) -> dict[str, str]:
    """A reference as text parts: authors (year). Title. Journal. doi/PMID, and its link."""
    authors = clip(str(ref.get("creator", "")).replace(";", ","), 70)
    year = ref.get("year") or ""
    text = (
        f"{authors} ({year}). {clip(str(ref.get('title', '')), 130)}."
        if authors
        else clip(str(ref.get("citation", "")), 150)
    )
    if ref.get("journal"):
        text += f" {clip(str(ref['journal']), 60)}."
    ident = f"doi:{ref['doi']}" if ref.get("doi") else (f"PMID {ref['pmid']}" if ref.get("pmid") else "")
    return {
        "citation": clip(str(ref.get("citation", ref.get("key", ""))), 60),
        "text": text.strip(),
        "id": ident,
        "url": str(ref.get("url", "")),
    }
