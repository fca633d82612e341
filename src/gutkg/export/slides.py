"""Lecture decks as one offline HTML file (reveal.js inlined), and the writer for every deck format.

The slides are planned once, format-neutral, by :func:`gutkg.export.deck.plan` from a
:class:`~gutkg.export.story.Story`; this module renders them as HTML (:func:`story_to_html`) and
:func:`write_deck` writes HTML or PowerPoint (:mod:`gutkg.export.pptx_deck`). Renderers import the
plan, never the other way round.

The HTML deck loads nothing from the network: reveal.js (vendored from the npm registry by
``scripts/build_teaching_assets.sh``) and the styles are inlined, a Content-Security-Policy
forbids any other source, the map is an SVG (vector) image, and every piece of graph text is
HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from gutkg.errors import GutKGError, InputError
from gutkg.export.deck import FORMATS, MAX_WORDS, Slide, plan
from gutkg.export.story import Story

__all__ = ["FORMATS", "deck_format", "html_deck", "plan", "story_to_html", "write_deck"]


# --- HTML (reveal.js) -------------------------------------------------------------------------

_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:"

_THEME_CSS = {
    "light": {
        "bg": "#ffffff",
        "fg": "#111827",
        "muted": "#6b7280",
        "accent": "#c2410c",
        "card": "#f3f4f6",
        "new": "#fff7ed",
        "line": "#d1d5db",
    },
    "dark": {
        "bg": "#15191f",
        "fg": "#f3f4f6",
        "muted": "#9ca3af",
        "accent": "#fb923c",
        "card": "#222831",
        "new": "#3b2a1d",
        "line": "#374151",
    },
}


def _css(theme: str) -> str:
    c = _THEME_CSS[theme]
    return f"""
:root {{ --bg:{c["bg"]}; --fg:{c["fg"]}; --muted:{c["muted"]}; --accent:{c["accent"]};
        --card:{c["card"]}; --new:{c["new"]}; --line:{c["line"]}; }}
html, body, .reveal-viewport {{ background: var(--bg); }}
.reveal {{ font-family: "DejaVu Sans", "Source Sans Pro", Helvetica, Arial, sans-serif;
          font-size: 28px; color: var(--fg); }}
.reveal .slides {{ text-align: left; }}
.reveal .slides section {{ height: 100%; box-sizing: border-box; padding: 8px 16px; }}
.reveal h1, .reveal h2 {{ color: var(--fg); margin: 0 0 22px; line-height: 1.15; }}
.reveal h1 {{ font-size: 52px; }} .reveal h2 {{ font-size: 40px; }}
.reveal .slides section.map {{ padding: 0; }}
.reveal .slides section.map img {{ width: 100%; height: 100%; margin: 0; display: block; }}
.reveal .slides section.title {{ display: flex !important; flex-direction: column;
                                 justify-content: center; }}
.reveal .sub {{ color: var(--muted); font-size: 26px; margin: 12px 0; font-weight: normal; }}
.reveal .foot {{ color: var(--muted); font-size: 22px; position: absolute; bottom: 8px; }}
.reveal .question {{ font-size: 38px; font-weight: bold; margin: 8px 0 20px; }}
.reveal ul {{ margin: 0 0 0 1em; }} .reveal li {{ margin: 10px 0; font-size: 28px; }}
.reveal .swatch {{ display: inline-block; width: 22px; height: 22px; border-radius: 4px;
                  margin-right: 10px; vertical-align: middle; }}
.reveal section.step, .reveal section.rival {{ border-left: 18px solid var(--rival, var(--accent));
                                               padding-left: 36px; }}
.reveal section.step h2, .reveal section.rival .role {{ color: var(--rival, var(--accent));
                                                       font-size: 30px; }}
.reveal .head {{ font-size: 54px; font-weight: bold; line-height: 1.2; margin: 40px 0 26px; }}
.reveal .facts {{ font-size: 34px; margin: 10px 0; }}
.reveal .design {{ font-size: 32px; color: var(--muted); margin: 10px 0; }}
.reveal .cite {{ font-size: 32px; font-style: italic; margin: 10px 0; }}
.reveal .definition {{ font-size: 34px; line-height: 1.3; margin: 18px 0; }}
.reveal .fact {{ font-size: 28px; color: var(--muted); margin: 10px 0; }}
.reveal table {{ border-collapse: collapse; font-size: 26px; width: 100%; }}
.reveal th, .reveal td {{ border-bottom: 1px solid var(--line); padding: 8px 8px;
                         text-align: left; vertical-align: top; }}
.reveal th {{ color: var(--muted); }}
.reveal .answer {{ font-size: 28px; margin-top: 22px; }}
.reveal .item {{ font-size: 28px; margin: 14px 0; }} .reveal .item .cite {{ font-size: 24px; }}
.reveal .refs li {{ font-size: 22px; }} .reveal .refs .id {{ color: var(--muted); }}
.reveal a {{ color: var(--accent); }}
.reveal .progress {{ color: var(--accent); }}
.reveal .controls {{ color: var(--accent); }}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _swatch(colour: str) -> str:
    return f'<span class="swatch" style="background:{_e(colour)}"></span>' if colour else ""


def _table(header: list[str], rows: list[list[str]], colours: list[str]) -> list[str]:
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in header), "</tr></thead><tbody>"]
    for row, colour in zip(rows, colours or [""] * len(rows), strict=False):
        cells = [f"<td>{_swatch(colour) if j == 0 else ''}{_e(cell)}</td>" for j, cell in enumerate(row)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return [*out, "</tbody></table>"]


def _html_slide(slide: Slide) -> str:
    """One ``<section>`` of the deck: the body drawn by the slide kind's own function."""
    if slide.kind == "map":
        import base64

        data = base64.b64encode(slide.data["svg"].encode("utf-8")).decode("ascii")
        return (
            f'<section data-kind="map" class="map"><img alt="{_e(slide.title)}" '
            f'src="data:image/svg+xml;base64,{data}">\n'
            f'<aside class="notes">{_e(slide.notes)}</aside>\n</section>'
        )
    draw = _BODIES.get(slide.kind)
    attrs, body = draw(slide, slide.data) if draw else ("", [])
    notes = f'<aside class="notes">{_e(slide.notes)}</aside>'
    return (
        f'<section data-kind="{slide.kind}" class="{slide.kind}"{attrs}>\n' + "\n".join(body) + f"\n{notes}\n</section>"
    )


def _title_body(slide: Slide, d: dict[str, Any]) -> tuple[str, list[str]]:
    body = [f"<h1>{_e(slide.title)}</h1>"]
    if d.get("subtitle"):
        body.append(f'<div class="sub">{_e(d["subtitle"])}</div>')
    return "", [*body, f'<div class="foot">{_e(d["footer"])}</div>']


def _question_body(slide: Slide, d: dict[str, Any]) -> tuple[str, list[str]]:
    body = [f"<h2>{_e(slide.title)}</h2>", f'<div class="question">{_e(d["question"])}</div>']
    if d.get("context"):
        body.append(f'<div class="sub">{_e(d["context"])}</div>')
    tracks = [f"<li>{_swatch(colour)}<b>{_e(label)}</b></li>" for label, colour, _ in d["tracks"]]
    return "", [*body, "<ul>", *tracks, "</ul>"]


def _rival_body(slide: Slide, d: dict[str, Any]) -> tuple[str, list[str]]:
    return (
        f' style="--rival:{_e(d["colour"])}"',
        [
            f"<h2>{_e(slide.title)}</h2>",
            f'<div class="definition">{_e(d["definition"])}</div>',
            *(f'<div class="fact">{_e(f)}</div>' for f in d["facts"]),
        ],
    )


def _step_body(slide: Slide, d: dict[str, Any]) -> tuple[str, list[str]]:
    return (
        f' style="--rival:{_e(d["colour"])}" data-claim="{_e(d["claim"])}"',
        [f"<h2>{_e(slide.title)}</h2>", *(f'<div class="{role}">{_e(text)}</div>' for role, text in d["lines"])],
    )


def _verdict_body(slide: Slide, d: dict[str, Any]) -> tuple[str, list[str]]:
    body = [f"<h2>{_e(slide.title)}</h2>", *_table(d["header"], d["rows"], d.get("colours", []))]
    if d.get("answer"):
        body.append(f'<div class="answer">{_e(d["answer"])}</div>')
    return "", body


def _keystones_body(slide: Slide, d: dict[str, Any]) -> tuple[str, list[str]]:
    return "", [
        f"<h2>{_e(slide.title)}</h2>",
        *(
            f'<div class="item"><b>{_e(claim)}</b><div class="cite">{_e(cite)}</div>'
            f'<div class="fact">if wrong: {_e(change)}</div></div>'
            for claim, cite, change in d["items"]
        ),
    ]


def _human_body(slide: Slide, d: dict[str, Any]) -> tuple[str, list[str]]:
    return "", [
        f"<h2>{_e(slide.title)}</h2>",
        f'<div class="answer">{_e(d["answer"])}</div>',
        *_table(["rival route", "grade", "best human route"], [list(r) for r in d["rows"]], []),
    ]


def _settle_body(slide: Slide, d: dict[str, Any]) -> tuple[str, list[str]]:
    return "", [f"<h2>{_e(slide.title)}</h2>", "<ul>", *(f"<li>{_e(x)}</li>" for x in d["items"]), "</ul>"]


def _references_body(slide: Slide, d: dict[str, Any]) -> tuple[str, list[str]]:
    body = [f"<h2>{_e(slide.title)}</h2>", '<ul class="refs">']
    for ref in d["refs"]:
        link = (
            f' <a href="{_e(ref["url"])}">{_e(ref["id"])}</a>'
            if ref["url"]
            else f' <span class="id">{_e(ref["id"])}</span>'
        )
        body.append(f"<li><b>{_e(ref['citation'])}</b>: {_e(ref['text'])}{link}</li>")
    if not d["refs"]:
        body.append("<li>No claim in this deck cites a reference yet.</li>")
    return "", [*body, "</ul>"]


#: Slide kind -> the function drawing its body (extra ``<section>`` attributes, lines).
_BODIES: dict[str, Callable[[Slide, dict[str, Any]], tuple[str, list[str]]]] = {
    "title": _title_body,
    "question": _question_body,
    "rival": _rival_body,
    "step": _step_body,
    "verdict": _verdict_body,
    "summary": _verdict_body,
    "keystones": _keystones_body,
    "human": _human_body,
    "settle": _settle_body,
    "references": _references_body,
}


def _vendor(name: str) -> str:
    try:
        return (resources.files("gutkg.export") / "vendor" / name).read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        raise GutKGError(
            f"the vendored reveal.js file {name} is missing from the gutkg package: "
            "reinstall gutkg, or run scripts/build_teaching_assets.sh in a checkout"
        ) from None


def story_to_html(
    story: Story, *, theme: str = "light", subtitle: str = "", with_map: bool = True, max_words: int = MAX_WORDS
) -> str:
    """The deck as one self-contained HTML file (reveal.js and styles inlined)."""
    return html_deck(
        story, plan(story, subtitle=subtitle, with_map=with_map, theme=theme, max_words=max_words), theme=theme
    )


def html_deck(story: Story, slides: list[Slide], *, theme: str = "light") -> str:
    """Planned ``slides`` as one self-contained HTML file."""
    if theme not in _THEME_CSS:
        raise InputError(f"unknown theme {theme!r}: use one of {', '.join(_THEME_CSS)}")
    script = _vendor("reveal.js").replace("</script", "<\\/script")
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="gutkg">',
            f"<title>{_e(story.title)}</title>",
            f"<style>{_vendor('reveal.css')}</style>",
            f"<style>{_css(theme)}</style>",
            "</head>",
            "<body>",
            '<div class="reveal"><div class="slides">',
            *(_html_slide(s) for s in slides),
            "</div></div>",
            f"<script>{script}</script>",
            "<script>Reveal.initialize({hash: false, history: false, width: 1280, height: 720, "
            "margin: 0.04, controls: true, progress: true, slideNumber: 'c/t', transition: 'none', "
            "center: false});</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def deck_format(path: str | Path, fmt: str | None = None) -> str:
    """The deck format for ``path``: ``fmt`` if given, else the suffix (.html or .pptx)."""
    name = (fmt or Path(path).suffix).lower().lstrip(".")
    if name == "htm":
        name = "html"
    if name not in FORMATS:
        raise InputError(f"unknown deck format {name or str(path)!r}: end the -o file name with .html or .pptx")
    return name


def write_deck(
    story: Story,
    path: str | Path,
    *,
    fmt: str | None = None,
    theme: str = "light",
    subtitle: str = "",
    with_map: bool = True,
    max_words: int = MAX_WORDS,
) -> list[Slide]:
    """Write the deck for ``story`` to ``path`` atomically; returns the slides written."""
    from gutkg.atomic import check_writable, write_atomic

    kind = deck_format(path, fmt)
    check_writable(path)
    slides = plan(story, subtitle=subtitle, with_map=with_map, theme=theme, max_words=max_words)
    if kind == "html":
        write_atomic(path, html_deck(story, slides, theme=theme))
    else:
        from gutkg.export.pptx_deck import pptx_deck

        write_atomic(path, pptx_deck(slides, theme=theme))
    return slides
