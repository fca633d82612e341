"""Lecture decks that tell a question's story step by step, with citations: HTML and PPTX.

The deck is planned once (:func:`plan`) from a :class:`~gutkg.export.story.Story` and then
written as a single offline HTML file with reveal.js inlined (:func:`to_html`) or as PowerPoint
(:mod:`gutkg.export.pptx_deck`). The slides, in order:

1. title; 2. the question and its rival answers (or the loops / paths found);
3. one slide per step, revealing the next claim of every rival with its citation, earlier claims
   kept above it in grey; 4. a summary of which evidence supports which rival;
5. the references (several slides when there are many). Each slide carries speaker notes.

The HTML deck loads nothing from the network: reveal.js (vendored from the npm registry by
``scripts/build_teaching_assets.sh``) and the styles are inlined, a Content-Security-Policy
forbids any other source, and every piece of graph text is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError, InputError
from gutkg.export.story import Story, Track, evidence_summary

if TYPE_CHECKING:
    from gutkg.export.figure import Figure

#: Deck formats, by file suffix.
FORMATS = ("html", "pptx")
#: Earlier claims of a track kept on a step slide (older ones are counted, not shown).
EARLIER_SHOWN = 2
#: References per references slide.
REFS_PER_SLIDE = 7
SIGN_ARROWS = {1: "→", -1: "⊣", 0: "↛"}


@dataclass
class ClaimCard:
    """What a slide shows of one claim."""

    key: str
    cause: str
    effect: str
    sign: int
    headline: str
    facts: str
    citations: str
    opposing: str
    notes: str


@dataclass
class Slide:
    """One slide, format-neutral: ``kind`` picks the renderer, ``data`` holds its content."""

    kind: str  # title | question | step | summary | references
    title: str
    notes: str
    data: dict[str, Any] = field(default_factory=dict)


def claim_card(story: Story, edge: tuple[str, str, str]) -> ClaimCard:
    """The headline, facts, citations and speaker notes of a claim."""
    u, v, key = edge
    c = story.claim(edge)
    sign = int(c.get("sign", 0))
    systems = ", ".join(c.get("systems", [])) or "no evidence yet"
    facts = f"{c.get('sign_label', '')} · {c.get('status', '')} · {c.get('strength_label', 'none')} ({systems})"
    support = sorted({e["citation"] for e in c.get("evidence", []) if e.get("stance") == "supports"
                      and e.get("citation")})
    oppose = sorted({e["citation"] for e in c.get("evidence", []) if e.get("stance") == "opposes"
                     and e.get("citation")})
    lines = [f"{story.label(u)} {c.get('sign_label', '')} {story.label(v)} "
             f"(status: {c.get('status', '')})."]
    if c.get("mechanism"):
        lines.append(f"Mechanism: {c['mechanism']}")
    for e in c.get("evidence", []):
        bits = [b for b in (e.get("citation"), e.get("system"), e.get("design_label") or e.get("type_label"),
                            e.get("direction"), f"{e.get('strength_label', '')} evidence") if b]
        lines.append(f"- {e.get('stance', 'supports')}: {e.get('description', '')} [{'; '.join(bits)}]")
    if not c.get("evidence"):
        lines.append("- no evidence item: a hypothesis only.")
    return ClaimCard(key=key, cause=story.label(u), effect=story.label(v), sign=sign,
                     headline=f"{story.label(u)} {SIGN_ARROWS.get(sign, '→')} {story.label(v)}",
                     facts=facts, citations=_few(support) or "no citation (hypothesised)",
                     opposing=_few(oppose), notes="\n".join(lines))


def _few(citations: list[str], most: int = 3) -> str:
    """At most ``most`` citations, then "+ n more" (the speaker notes list them all).

    >>> _few(["A 2001", "B 2002", "C 2003", "D 2004"])
    'A 2001; B 2002; C 2003 + 1 more'
    """
    text = "; ".join(citations[:most])
    return text + (f" + {len(citations) - most} more" if len(citations) > most else "")


def map_figure(story: Story, theme: str = "light") -> Figure | None:
    """The figure of every claim in the story, or None when Graphviz is missing or it is too dense."""
    from gutkg.export.figure import build_figure

    what = {"hypothesis": "the rival answers", "loop": "the loops", "path": "the paths"}
    try:
        return build_figure(story.graph, title=f"The claims behind {what.get(story.tracks[0].kind, 'it')}",
                            subtitle=story.title + " · citations on the following slides",
                            theme=theme, marks=False)
    except GutKGError:
        return None


def _map_notes(figure: Figure) -> str:
    return (f"The map: {figure.concepts} concepts and {figure.claims} claims. Colour of a box = kind "
            "of concept; arrow = increases, bar = decreases, circle = tested without effect; dashed "
            "= hypothesised, dotted = contested; thicker = stronger evidence. The next slides walk "
            "through each claim with its citations.")


def plan(story: Story, *, subtitle: str = "", with_map: bool = True,
         theme: str = "light") -> list[Slide]:
    """The deck's slides (see the module docstring for the order).

    ``with_map`` adds a full-slide figure of the story's claims after the question, when
    Graphviz is installed and the figure stays legible.
    """
    if not story.tracks:
        raise GutKGError("the selection is empty: no rival, loop or path to present")
    from gutkg import __version__

    what = {"hypothesis": "rival answers", "loop": "feedback loops", "path": "causal paths"}
    kind = what.get(story.tracks[0].kind, "answers")
    slides = [Slide("title", story.title,
                    f"This deck was generated by gutkg {__version__} from a cited knowledge graph. "
                    f"It walks through {len(story.tracks)} {kind}, one claim at a time, each with "
                    "its citation; the last slides summarise the evidence and list the references.",
                    {"subtitle": subtitle or "; ".join(n for n in story.notes
                                                       if not n.startswith("question:"))
                     or "A cited, computable knowledge graph of the intestinal barrier",
                     "footer": f"gutkg {__version__} · {len(story.tracks)} {kind} · "
                               f"{story.graph.number_of_edges()} claims"})]
    question_notes = [story.question, story.context] + [
        f"{t.label}: {t.definition} ({len(t.claims)} claims)" for t in story.tracks]
    slides.append(Slide("question", "The question", "\n".join(x for x in question_notes if x),
                        {"question": story.question, "context": story.context, "kind": kind,
                         "tracks": [(t.label, t.definition, len(t.claims)) for t in story.tracks]}))
    if with_map:
        figure = map_figure(story, theme)
        if figure is not None:
            slides.append(Slide("map", "Map of the claims", _map_notes(figure),
                                {"svg": figure.svg, "figure": figure}))
    for step in range(1, story.steps + 1):
        columns = []
        notes = [f"Step {step} of {story.steps}: the next claim of each {kind[:-1]}."]
        for t in story.tracks:
            shown = [claim_card(story, e) for e in t.claims[:step]]
            new = shown[-1] if len(t.claims) >= step else None
            earlier = shown[:-1] if new else shown
            columns.append({"label": t.label, "earlier": earlier[-EARLIER_SHOWN:],
                            "hidden": max(len(earlier) - EARLIER_SHOWN, 0),
                            "new": new, "total": len(t.claims)})
            if new:
                notes.append(f"{t.label}: {new.notes}")
            else:
                notes.append(f"{t.label}: complete after {len(t.claims)} claims.")
        slides.append(Slide("step", f"Step {step} of {story.steps}", "\n\n".join(notes),
                            {"step": step, "columns": columns}))
    rows = [(t, evidence_summary(story, t)) for t in story.tracks]
    summary_notes = [_summary_sentence(t, s) for t, s in rows]
    slides.append(Slide("summary", "What supports each " + kind[:-1], "\n".join(summary_notes),
                        {"rows": [_summary_row(t, s) for t, s in rows]}))
    refs = story.references()
    chunks = [refs[i:i + REFS_PER_SLIDE] for i in range(0, len(refs), REFS_PER_SLIDE)] or [[]]
    for i, chunk in enumerate(chunks, 1):
        title = "References" + (f" ({i}/{len(chunks)})" if len(chunks) > 1 else "")
        slides.append(Slide("references", title,
                            "Full references with DOIs or PubMed ids; the same short citations "
                            "appear on the claim slides.",
                            {"refs": [reference_line(r) for r in chunk]}))
    return slides


def _summary_row(track: Track, s: dict[str, Any]) -> list[str]:
    statuses = ", ".join(f"{n} {k}" for k, n in sorted(s["statuses"].items())) or "none"
    return [track.label, str(s["claims"]), statuses, f"{s['human_claims']} of {s['claims']}",
            f"{s['directional_claims']} of {s['claims']}", s["weakest_link"],
            "; ".join(s["citations"]) or "none",
            "; ".join(s["opposing_citations"]) or "none"]


SUMMARY_HEADER = ["answer", "claims", "status", "human evidence", "directional evidence",
                  "weakest link", "supported by", "opposed by"]


def _summary_sentence(track: Track, s: dict[str, Any]) -> str:
    if not s["claims"]:
        return f"{track.label}: no claim survives the evidence filters."
    return (f"{track.label}: {s['claims']} claims; {s['human_claims']} with human evidence, "
            f"{s['directional_claims']} with directional (interventional, transfer, genetic or "
            f"temporal) evidence; weakest link {s['weakest_link']}; supported by "
            f"{'; '.join(s['citations']) or 'no citation'}"
            + (f"; opposed by {'; '.join(s['opposing_citations'])}" if s["opposing"] else "") + ".")


def reference_line(ref: dict[str, Any]) -> dict[str, str]:
    """A reference as text parts: authors (year). Title. Journal. doi/PMID, and its link."""
    authors = str(ref.get("creator", "")).replace(";", ",")
    year = ref.get("year") or ""
    text = f"{authors} ({year}). {ref.get('title', '')}." if authors else str(ref.get("citation", ""))
    if ref.get("journal"):
        text += f" {ref['journal']}."
    ident = f"doi:{ref['doi']}" if ref.get("doi") else (f"PMID {ref['pmid']}" if ref.get("pmid") else "")
    return {"citation": str(ref.get("citation", ref.get("key", ""))), "text": text.strip(),
            "id": ident, "url": str(ref.get("url", ""))}


# --- HTML (reveal.js) -------------------------------------------------------------------------

_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:")

_THEME_CSS = {
    "light": {"bg": "#ffffff", "fg": "#111827", "muted": "#6b7280", "accent": "#c2410c",
              "card": "#f3f4f6", "new": "#fff7ed", "line": "#d1d5db"},
    "dark": {"bg": "#15191f", "fg": "#f3f4f6", "muted": "#9ca3af", "accent": "#fb923c",
             "card": "#222831", "new": "#3b2a1d", "line": "#374151"},
}


def _css(theme: str) -> str:
    c = _THEME_CSS[theme]
    return f"""
:root {{ --bg:{c['bg']}; --fg:{c['fg']}; --muted:{c['muted']}; --accent:{c['accent']};
        --card:{c['card']}; --new:{c['new']}; --line:{c['line']}; }}
html, body, .reveal-viewport {{ background: var(--bg); }}
.reveal {{ font-family: "DejaVu Sans", "Source Sans Pro", Helvetica, Arial, sans-serif;
          font-size: 26px; color: var(--fg); }}
.reveal .slides {{ text-align: left; }}
.reveal .slides section {{ height: 100%; box-sizing: border-box; padding: 8px 12px; }}
.reveal h1, .reveal h2, .reveal h3 {{ color: var(--fg); margin: 0 0 18px; line-height: 1.15; }}
.reveal h1 {{ font-size: 46px; }} .reveal h2 {{ font-size: 36px; }} .reveal h3 {{ font-size: 22px; }}
.reveal .slides section.map {{ padding: 0; }}
.reveal .slides section.map img {{ width: 100%; height: 100%; margin: 0; display: block; }}
.reveal .slides section.title {{ display: flex !important; flex-direction: column;
                                 justify-content: center; }}
.reveal .sub {{ color: var(--muted); font-size: 22px; margin: 12px 0; font-weight: normal; }}
.reveal .foot {{ color: var(--muted); font-size: 18px; position: absolute; bottom: 8px; }}
.reveal .question {{ font-size: 34px; font-weight: bold; margin: 10px 0 24px; }}
.reveal ul {{ margin: 0 0 0 1em; }} .reveal li {{ margin: 6px 0; font-size: 20px; }}
.reveal .cols {{ display: flex; gap: 14px; align-items: stretch; }}
.reveal .col {{ flex: 1 1 0; min-width: 0; }}
.reveal .col h3 {{ color: var(--accent); font-size: 22px; border-bottom: 2px solid var(--line);
                  padding-bottom: 4px; margin-bottom: 8px; }}
.reveal .card {{ background: var(--card); border-radius: 8px; padding: 8px 10px; margin: 6px 0;
                font-size: 19px; }}
.reveal .card.earlier {{ color: var(--muted); font-size: 17px; }}
.reveal .card.new {{ background: var(--new); border-left: 5px solid var(--accent); font-size: 22px; }}
.reveal .card .head {{ font-weight: bold; }}
.reveal .card .facts, .reveal .card .cite {{ font-size: 17px; margin-top: 3px; }}
.reveal .card .cite {{ font-style: italic; }}
.reveal .card .against {{ font-size: 17px; color: var(--accent); }}
.reveal .done {{ color: var(--muted); font-size: 16px; font-style: italic; margin-top: 8px; }}
.reveal table {{ border-collapse: collapse; font-size: 18px; width: 100%; }}
.reveal th, .reveal td {{ border-bottom: 1px solid var(--line); padding: 5px 6px;
                         text-align: left; vertical-align: top; }}
.reveal th {{ color: var(--muted); }}
.reveal .refs li {{ font-size: 19px; }} .reveal .refs .id {{ color: var(--muted); }}
.reveal a {{ color: var(--accent); }}
.reveal .progress {{ color: var(--accent); }}
.reveal .controls {{ color: var(--accent); }}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _html_card(card: ClaimCard, cls: str) -> str:
    against = f'<div class="against">opposed by {_e(card.opposing)}</div>' if card.opposing else ""
    return (f'<div class="card {cls}" data-claim="{_e(card.key)}"><div class="head">{_e(card.headline)}'
            f'</div><div class="facts">{_e(card.facts)}</div><div class="cite">{_e(card.citations)}'
            f"</div>{against}</div>")


def _html_slide(slide: Slide) -> str:
    d = slide.data
    body: list[str] = []
    if slide.kind == "map":
        import base64

        data = base64.b64encode(d["svg"].encode("utf-8")).decode("ascii")
        return (f'<section data-kind="map" class="map"><img alt="{_e(slide.title)}" '
                f'src="data:image/svg+xml;base64,{data}">\n'
                f'<aside class="notes">{_e(slide.notes)}</aside>\n</section>')
    if slide.kind == "title":
        body += [f"<h1>{_e(slide.title)}</h1>"]
        if d.get("subtitle"):
            body.append(f'<div class="sub">{_e(d["subtitle"])}</div>')
        body.append(f'<div class="foot">{_e(d["footer"])}</div>')
    elif slide.kind == "question":
        body += [f"<h2>{_e(slide.title)}</h2>", f'<div class="question">{_e(d["question"])}</div>']
        if d.get("context"):
            body.append(f'<div class="sub">{_e(d["context"])}</div>')
        body.append(f'<h3>{_e(str(d["kind"]).capitalize())}</h3><ul>')
        body += [f"<li><b>{_e(label)}</b>: {_e(definition)} <span class=\"sub\">({n} claims)</span></li>"
                 for label, definition, n in d["tracks"]]
        body.append("</ul>")
    elif slide.kind == "step":
        body += [f"<h2>{_e(slide.title)}</h2>", '<div class="cols">']
        for col in d["columns"]:
            body.append(f'<div class="col"><h3>{_e(col["label"])}</h3>')
            if col["hidden"]:
                body.append(f'<div class="done">… {col["hidden"]} earlier claims</div>')
            body += [_html_card(c, "earlier") for c in col["earlier"]]
            if col["new"]:
                body.append(_html_card(col["new"], "new"))
            elif col["total"] == 0:
                body.append('<div class="done">no claim survives the filters</div>')
            else:
                body.append(f'<div class="done">complete ({col["total"]} claims)</div>')
            body.append("</div>")
        body.append("</div>")
    elif slide.kind == "summary":
        body += [f"<h2>{_e(slide.title)}</h2>", "<table><thead><tr>"]
        body += [f"<th>{_e(h)}</th>" for h in SUMMARY_HEADER]
        body.append("</tr></thead><tbody>")
        for row in d["rows"]:
            body.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>")
        body.append("</tbody></table>")
    elif slide.kind == "references":
        body += [f"<h2>{_e(slide.title)}</h2>", '<ul class="refs">']
        for ref in d["refs"]:
            link = (f' <a href="{_e(ref["url"])}">{_e(ref["id"])}</a>' if ref["url"]
                    else f' <span class="id">{_e(ref["id"])}</span>')
            body.append(f"<li><b>{_e(ref['citation'])}</b>: {_e(ref['text'])}{link}</li>")
        if not d["refs"]:
            body.append("<li>No claim in this deck cites a reference yet.</li>")
        body.append("</ul>")
    notes = f'<aside class="notes">{_e(slide.notes)}</aside>'
    return f'<section data-kind="{slide.kind}" class="{slide.kind}">\n' + "\n".join(body) + f"\n{notes}\n</section>"


def _vendor(name: str) -> str:
    try:
        return (resources.files("gutkg.export") / "vendor" / name).read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        raise GutKGError(f"the vendored reveal.js file {name} is missing from the gutkg package: "
                         "reinstall gutkg, or run scripts/build_teaching_assets.sh in a checkout") from None


def to_html(story: Story, *, theme: str = "light", subtitle: str = "", with_map: bool = True) -> str:
    """The deck as one self-contained HTML file (reveal.js and styles inlined)."""
    return html_deck(story, plan(story, subtitle=subtitle, with_map=with_map, theme=theme),
                     theme=theme)


def html_deck(story: Story, slides: list[Slide], *, theme: str = "light") -> str:
    """Planned ``slides`` as one self-contained HTML file."""
    if theme not in _THEME_CSS:
        raise InputError(f"unknown theme {theme!r}: use one of {', '.join(_THEME_CSS)}")
    script = _vendor("reveal.js").replace("</script", "<\\/script")
    return "\n".join([
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="gutkg">', f"<title>{_e(story.title)}</title>",
        f"<style>{_vendor('reveal.css')}</style>", f"<style>{_css(theme)}</style>", "</head>",
        "<body>", '<div class="reveal"><div class="slides">',
        *(_html_slide(s) for s in slides),
        "</div></div>", f"<script>{script}</script>",
        "<script>Reveal.initialize({hash: false, history: false, width: 1280, height: 720, "
        "margin: 0.04, controls: true, progress: true, slideNumber: 'c/t', transition: 'none', "
        "center: false});</script>",
        "</body>", "</html>", ""])


def deck_format(path: str | Path, fmt: str | None = None) -> str:
    """The deck format for ``path``: ``fmt`` if given, else the suffix (.html or .pptx)."""
    name = (fmt or Path(path).suffix).lower().lstrip(".")
    if name == "htm":
        name = "html"
    if name not in FORMATS:
        raise InputError(f"unknown deck format {name or str(path)!r}: end the -o file name with "
                         ".html or .pptx")
    return name


def write_deck(story: Story, path: str | Path, *, fmt: str | None = None, theme: str = "light",
               subtitle: str = "", with_map: bool = True) -> list[Slide]:
    """Write the deck for ``story`` to ``path`` atomically; returns the slides written."""
    from gutkg.export.atomic import check_writable, write_atomic

    kind = deck_format(path, fmt)
    check_writable(path)
    if kind == "html":
        slides = plan(story, subtitle=subtitle, with_map=with_map, theme=theme)
        write_atomic(path, html_deck(story, slides, theme=theme))
    else:
        from gutkg.export.pptx_deck import pptx_deck

        slides = plan(story, subtitle=subtitle, with_map=with_map, theme=theme)
        write_atomic(path, pptx_deck(slides, theme=theme))
    return slides
