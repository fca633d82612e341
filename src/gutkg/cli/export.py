"""``gutkg export``: write the graph, or part of it, as a file.

One group, one function per format. A new subcommand is one decorated function: take
``@selection_options`` for the shared --focus/--path/--loops/--question/evidence options, call
:func:`selection_from` to turn them into a :class:`gutkg.export.selection.Selection`, write the
file, and report with :func:`report`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from gutkg.cli.common import (
    GutKGGroup,
    emit_json,
    evidence_options,
    format_option,
    graph_options,
    open_store,
)

F = TypeVar("F", bound=Callable[..., Any])

#: Option names that :func:`selection_options` adds (popped by :func:`selection_from`).
SELECTION_KEYS = (
    "focus",
    "depth",
    "path",
    "loops",
    "loop_length",
    "max_length",
    "question",
    "hypothesis",
    "limit",
    "flt",
)


def selection_options(func: F) -> F:
    """What to show and highlight (:func:`gutkg.export.selection.select`), plus evidence filters."""
    for decorator in reversed(
        [
            click.option(
                "--focus", metavar="CONCEPT", help="Show only the neighbourhood of this concept (label, synonym or id)."
            ),
            click.option(
                "--depth",
                type=click.IntRange(0, 10),
                default=1,
                show_default=True,
                help="Steps around --focus, following claims either way.",
            ),
            click.option(
                "--path", nargs=2, metavar="CAUSE EFFECT", help="Highlight causal paths from CAUSE to EFFECT."
            ),
            click.option(
                "--max-length",
                type=click.IntRange(1, 10),
                default=5,
                show_default=True,
                help="Longest path (in claims) for --path.",
            ),
            click.option("--loops", is_flag=True, help="Highlight feedback loops (through --focus when given)."),
            click.option(
                "--loop-length",
                type=click.IntRange(1, 10),
                default=4,
                show_default=True,
                help="Longest loop (in claims) for --loops.",
            ),
            click.option(
                "--question",
                metavar="Q",
                help="Keep only the claims of this question's rival hypotheses (id or label).",
            ),
            click.option("--hypothesis", metavar="H", help="Highlight this hypothesis (id or label)."),
            click.option(
                "--limit",
                type=click.IntRange(1, 10000),
                default=50,
                show_default=True,
                help="Most paths or loops to highlight.",
            ),
        ]
    ):
        func = decorator(func)
    return evidence_options(func)


def selection_from(graph: Any, opts: dict[str, Any]) -> Any:
    """Pop the :data:`SELECTION_KEYS` from ``opts`` and run the selection on ``graph``."""
    from gutkg.export.selection import select

    o = {k: opts.pop(k) for k in SELECTION_KEYS if k in opts}
    return select(
        graph,
        evidence=o.get("flt"),
        focus=o.get("focus"),
        depth=o.get("depth", 1),
        path=tuple(o["path"]) if o.get("path") else None,
        loops=bool(o.get("loops")),
        question=o.get("question"),
        hypothesis=o.get("hypothesis"),
        max_length=o.get("max_length", 5),
        loop_length=o.get("loop_length", 4),
        limit=o.get("limit", 50),
    )


def report(fmt: str, path: str, selection: Any, size: int, hint: str = "") -> None:
    """What was written: path, size, counts, highlights and notes (text or JSON)."""
    data = {"path": path, "bytes": size, **selection.as_dict()}
    if fmt == "json":
        emit_json(data)
        return
    click.echo(f"wrote {path} ({size / 1024:.0f} kB): {data['nodes']} concepts, {data['claims']} claims")
    for h in selection.highlights:
        click.echo(f"  highlighted {h.label}")
    for note in selection.notes:
        click.echo(f"  {note}")
    if hint:
        click.echo(hint)


@click.group(cls=GutKGGroup)
def export() -> None:
    """Write the graph, or part of it, as a file (an offline HTML explorer, ...)."""


@export.command("html")
@click.option(
    "-o",
    "--output",
    default="gutkg.html",
    show_default=True,
    metavar="FILE",
    help="HTML file to write ('-' for standard output).",
)
@click.option("--title", help="Page title.")
@click.option(
    "--layout",
    type=click.Choice(["auto", "spring", "sfdp", "circle"]),
    default="auto",
    show_default=True,
    help="Layout engine (auto: pure-Python spring for small graphs, Graphviz sfdp for large ones when installed).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Layout random seed.")
@selection_options
@graph_options(store_default="oxigraph")
@format_option()
def html(
    output: str, title: str | None, layout: str, seed: int, graph: tuple[str, ...], store: str, fmt: str, **opts: Any
) -> None:
    """One self-contained HTML page to search, filter and read the evidence, offline.

    \b
    Examples:
      gutkg export html -o gut.html
      gutkg export html --focus zonulin --depth 2 --species human
      gutkg export html --path dysbiosis "autoimmune disease" --loops
      gutkg export html --question "dysbiosis and autoimmune disease"

    The file loads nothing from the network: open it from disk, e-mail it, put it on a USB stick.
    Filters, selection and camera are kept in the address (#...), so a copied link reopens the view.
    The page opens on the founding question (its rivals and verdict); "Whole graph" shows all.
    The graph is read with the fast store (oxigraph) by default, much faster than rdflib
    (--store memory) on large graphs.
    """
    from gutkg.atomic import check_writable
    from gutkg.export.html import to_html
    from gutkg.network import to_network

    if output != "-":
        check_writable(output)  # before the work: a bad -o path fails at once
    full = to_network(open_store(graph, store))
    sel = selection_from(full, opts)
    page = to_html(full, selection=sel, title=title, layout=layout, seed=seed)
    if output == "-":
        click.echo(page, nl=False)
        return
    from pathlib import Path

    from gutkg.atomic import write_atomic

    write_atomic(Path(output), page)  # all or nothing: a full disk never leaves a truncated page
    report(
        fmt,
        output,
        sel,
        len(page.encode("utf-8")),
        hint="Open it in a browser (double-click works; no network needed).",
    )


# --- teaching exports: figure, slides, interchange files ---------------------------------------


def _teaching_notes(sel: Any) -> list[str]:
    """The selection's notes worth printing after a teaching export."""
    return [n for n in sel.notes if not n.startswith("within 0 steps")]


def _teaching_selection(
    ctx: click.Context, full: Any, opts: dict[str, Any], loop: str | None, default_limit: int
) -> tuple[Any, bool]:
    """Run the selection for a teaching export; ``--loop X`` means ``--focus X --loops``."""
    if loop is not None:
        if opts.get("focus") and opts["focus"] != loop:
            raise click.UsageError("give either --loop CONCEPT or --focus CONCEPT, not both")
        opts["focus"], opts["loops"] = loop, True
        if ctx.get_parameter_source("depth") == click.core.ParameterSource.DEFAULT:
            opts["depth"] = 0
    if ctx.get_parameter_source("limit") == click.core.ParameterSource.DEFAULT:
        opts["limit"] = default_limit
    wanted = bool(opts.get("path") or opts.get("loops") or opts.get("hypothesis"))
    return selection_from(full, opts), wanted


@export.command("figure")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE",
    help="Figure to write: .svg, .png or .pdf (the suffix picks the format).",
)
@click.option(
    "--size",
    default=None,
    metavar="WxH",
    help="Size in pixels (PNG pixels; SVG/PDF page). Default 1920x1080, enlarged when "
    "a dense selection needs it; a given size is kept.",
)
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True)
@click.option("--title", help="Title (default: says what the figure shows).")
@click.option(
    "--loop",
    metavar="CONCEPT",
    help="Feedback loops through CONCEPT (--focus CONCEPT --loops); the 6 shortest unless --limit says otherwise.",
)
@click.option(
    "--marks/--no-marks",
    default=True,
    show_default=True,
    help="Mark each arrow with its footnoted citations [n] (--no-marks fits denser figures).",
)
@selection_options
@graph_options
@format_option()
@click.pass_context
def figure(
    ctx: click.Context,
    /,
    output: str,
    size: str | None,
    theme: str,
    title: str | None,
    loop: str | None,
    marks: bool,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
    **opts: Any,
) -> None:
    """A slide-ready figure (SVG, PNG or PDF) laid out by Graphviz.

    \b
    Examples:
      gutkg export figure --loop "increased intestinal permeability" -o loops.svg
      gutkg export figure --path dysbiosis "autoimmune disease" -o path.png --theme dark
      gutkg export figure --focus zonulin --depth 1 --species human -o zonulin.pdf
      gutkg export figure --question dysbiosis --hypothesis "vicious cycle" -o cycle.png

    Labels stay at least 14 px tall at 1920x1080 and never overlap. A selection too dense for
    that is adapted before it is refused: without --size the canvas grows (legible at full
    size, to zoom in or print), then only the best loops or paths, or the better-evidenced
    claims, are drawn (the subtitle says so); only then is it refused, naming the options.
    The legend uses the same colours as `gutkg export html`, and the [n] marks on arrows refer
    to the footnoted citations.
    """
    from gutkg.atomic import check_writable
    from gutkg.export.figure import format_of, parse_size, write_figure
    from gutkg.export.teaching import FIGURE_TRACKS, subtitle_for, title_for, view_of
    from gutkg.network import to_network

    if format_of(output) in {"png", "pdf"}:
        from gutkg.extras import require

        require("teaching", "cairosvg", needed_for="PNG and PDF figures")
    if size is not None:
        parse_size(size)
    check_writable(output)
    question, path = opts.get("question"), opts.get("path")
    full = to_network(open_store(graph, store))
    sel, wanted = _teaching_selection(ctx, full, opts, loop, FIGURE_TRACKS)
    shown = view_of(sel, wanted_highlights=wanted)
    fig = write_figure(
        shown,
        output,
        title=title or title_for(full, sel, question=question, path=path, loop=loop),
        subtitle=subtitle_for(shown, sel),
        theme=theme,
        size=size,
        marks=marks,
        keep=(sel.focus,) if sel.focus else (),
        tracks=[h.edges for h in sel.highlights if h.kind in {"loop", "path"}],
        track_kind="paths" if path else "loops",
    )
    if fmt == "json":
        emit_json({"path": output, **fig.as_dict(), "selection": sel.as_dict()})
        return
    click.echo(
        f"wrote {output}: {fig.width}x{fig.height}, {fig.concepts} concepts, {fig.claims} "
        f"claims, {len(fig.footnotes)} footnoted references, labels >= {fig.label_px:.0f} px"
    )
    for note in fig.adapted:
        click.echo(f"  adapted to fit: {note}")
    for note in _teaching_notes(sel):
        click.echo(f"  {note}")


@export.command("slides")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE",
    help="Deck to write: .html (one offline file, reveal.js inlined) or .pptx.",
)
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True)
@click.option("--title", help="Deck title (default: the question, loop or path).")
@click.option(
    "--loop", metavar="CONCEPT", help="Tell the feedback loops through CONCEPT (the 4 best, as gutkg loops ranks them)."
)
@click.option(
    "--map/--no-map",
    "with_map",
    default=True,
    show_default=True,
    help="Add a map of the claims, coloured by rival, after the question (needs Graphviz).",
)
@click.option(
    "--max-words",
    type=click.IntRange(8, 200),
    default=25,
    show_default=True,
    help="Most words on a step slide (one claim, its best evidence and citation).",
)
@selection_options
@graph_options
@format_option()
@click.pass_context
def slides(
    ctx: click.Context,
    /,
    output: str,
    theme: str,
    title: str | None,
    loop: str | None,
    with_map: bool,
    max_words: int,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
    **opts: Any,
) -> None:
    """A lecture deck that reveals a question's rival answers claim by claim, with citations.

    \b
    Examples:
      gutkg export slides --question dysbiosis -o lecture.html
      gutkg export slides --question dysbiosis --species human -o lecture.pptx
      gutkg export slides --loop "increased intestinal permeability" -o loops.html
      gutkg export slides --path dysbiosis "autoimmune disease" -o paths.pptx

    Slides: title; the question and why it matters; a map coloured by rival; each rival in
    turn, one claim per slide in causal order (its best-graded route first, at most 4), with
    its best evidence and citation in large type; what the evidence says (the verdict of
    `gutkg explain`, on all evidence and on primary human evidence, and the keystone claims);
    what would settle it (read from the graph, never invented); the references. Speaker notes
    carry each claim's mechanism and every evidence item.
    """
    from gutkg.atomic import check_writable
    from gutkg.errors import InputError
    from gutkg.export.selection import resolve_question
    from gutkg.export.slides import deck_format, write_deck
    from gutkg.export.story import selection_story
    from gutkg.export.teaching import DECK_TRACKS, cap_highlights
    from gutkg.network import to_network

    if deck_format(output) == "pptx":
        from gutkg.extras import require

        require("teaching", "pptx", needed_for="PowerPoint decks")
    check_writable(output)
    if not (opts.get("question") or opts.get("path") or loop or opts.get("loops")):
        raise InputError("say what the deck is about: --question Q, --loop CONCEPT or --path CAUSE EFFECT")
    question = opts.get("question")
    full = to_network(open_store(graph, store))
    sel, _ = _teaching_selection(ctx, full, opts, loop, DECK_TRACKS)
    dropped = cap_highlights(sel, DECK_TRACKS)
    if dropped:
        sel.notes.append(f"{dropped} more loops or paths not shown (at most {DECK_TRACKS} fit)")
    qid = resolve_question(full, question) if question and not sel.highlights else None
    story = selection_story(sel, question=qid, title=title, base=full)
    written = write_deck(story, output, theme=theme, with_map=with_map, max_words=max_words)
    kinds: dict[str, int] = {}
    for s in written:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    if fmt == "json":
        emit_json(
            {
                "path": output,
                "title": story.title,
                "slides": len(written),
                "kinds": kinds,
                "tracks": [t.label for t in story.tracks],
                "selection": sel.as_dict(),
            }
        )
        return
    click.echo(
        f"wrote {output}: {len(written)} slides ({kinds.get('step', 0)} steps) for "
        f"{len(story.tracks)} tracks: " + "; ".join(t.label for t in story.tracks)
    )
    for note in _teaching_notes(sel):
        click.echo(f"  {note}")


@export.command("graph")
@click.option("-o", "--output", required=True, metavar="FILE", help="File to write.")
@click.option(
    "--format",
    "graph_format",
    type=click.Choice(
        ["graphml", "gexf", "cyjs", "jsonld", "turtle", "ntriples", "csv", "mermaid", "dot", "dagitty"],
        case_sensitive=False,
    ),
    help="Interchange format (default: from the file suffix).",
)
@click.option("--loop", metavar="CONCEPT", help="Only the feedback loops through CONCEPT.")
@selection_options
@graph_options
@click.option(
    "--report",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to report what was written.",
)
@click.pass_context
def graph_(
    ctx: click.Context,
    /,
    output: str,
    graph_format: str | None,
    loop: str | None,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
    **opts: Any,
) -> None:
    """The graph, or a selection of it, in a standard format for other tools.

    \b
    Examples:
      gutkg export graph -o gut.graphml                 (Gephi, yEd, Cytoscape, networkx)
      gutkg export graph --format gexf -o gut.gexf
      gutkg export graph --focus zonulin --depth 2 -o zonulin.cyjs
      gutkg export graph --question dysbiosis -o founding.ttl
      gutkg export graph --loop "increased intestinal permeability" -o loops.mmd
      gutkg export graph --focus zonulin --format dagitty -o zonulin.dagitty

    Formats: graphml, gexf, cyjs (Cytoscape JSON), jsonld, turtle, ntriples (the selection's own
    RDF from the store, with evidence and references), csv (one row per claim), mermaid, dot,
    dagitty (the causal claims as a DAGitty model; gutkg adjust --format dagitty gives the exact
    acyclic graph an adjustment used).
    Attributes are flattened where the format needs it; citations are kept on every claim.
    """
    from gutkg.atomic import check_writable
    from gutkg.export.graph_formats import graph_format as lookup
    from gutkg.export.graph_formats import write_graph
    from gutkg.export.teaching import title_for, view_of
    from gutkg.network import to_network

    spec = lookup(graph_format, output)
    check_writable(output)
    question, path = opts.get("question"), opts.get("path")
    st = open_store(graph, store)
    full = to_network(st)
    sel, wanted = _teaching_selection(ctx, full, opts, loop, 50)
    shown = view_of(sel, wanted_highlights=wanted, need_claims=False)
    title = title_for(full, sel, question=question, path=path, loop=loop)
    write_graph(shown, output, spec.name, store=st, title=title)
    from pathlib import Path

    size = Path(output).stat().st_size
    if fmt == "json":
        emit_json(
            {
                "path": output,
                "format": spec.name,
                "bytes": size,
                "concepts": shown.number_of_nodes(),
                "claims": shown.number_of_edges(),
                "selection": sel.as_dict(),
            }
        )
        return
    click.echo(
        f"wrote {output} ({spec.description}, {size / 1024:.0f} kB): "
        f"{shown.number_of_nodes()} concepts, {shown.number_of_edges()} claims"
    )
    for note in _teaching_notes(sel):
        click.echo(f"  {note}")


COMMANDS = [export]
