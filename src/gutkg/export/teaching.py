"""From a selection request to what a figure, deck or interchange file shows, with honest titles.

The selection (:func:`gutkg.export.selection.select`) decides *which* concepts and claims; this
module decides what a teaching export draws of it and says so:

- with highlighted paths, loops or a hypothesis, only those (the figure is *about* them);
- otherwise the whole selection (a neighbourhood, a question's claims, or the whole graph);
- a request that found nothing (no loop through X, no path from A to B, a filter that removed
  every claim) is an *empty selection*: a :class:`GutKGError` that repeats the selection's notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.export.selection import Selection

#: Loops or paths drawn by default on one figure (best first, as ``gutkg loops`` ranks loops).
FIGURE_TRACKS = 6
#: Loops or paths side by side on a step slide.
DECK_TRACKS = 4


def view_of(selection: Selection, *, wanted_highlights: bool, need_claims: bool = True) -> nx.MultiDiGraph:
    """The part of ``selection`` to draw or write (see the module docstring).

    ``need_claims``: a view without any claim is empty (figures and decks); otherwise only a
    view without concepts is, or one without claims when a selection or filter was asked for.
    """
    if selection.highlights:
        graph = selection.highlighted()
    elif wanted_highlights:
        raise GutKGError(
            "the selection is empty: "
            + ("; ".join(selection.notes) or "nothing matched")
            + ". Try a longer --max-length / --loop-length, "
            "another concept, or looser evidence filters."
        )
    else:
        graph = selection.graph
    no_claims = graph.number_of_edges() == 0 and (need_claims or bool(selection.notes))
    if graph.number_of_nodes() == 0 or no_claims:
        why = f" ({'; '.join(selection.notes)})" if selection.notes else ""
        raise GutKGError(
            f"the selection is empty{why}: no claim is left to show. Check the "
            "names and loosen the evidence filters (gutkg search TEXT lists concepts)."
        )
    return graph


def title_for(
    graph: nx.MultiDiGraph,
    selection: Selection,
    *,
    question: str | None = None,
    path: tuple[str, str] | None = None,
    loop: str | None = None,
) -> str:
    """A plain-language title for what the export shows."""
    from gutkg.export.selection import resolve_concept, resolve_question

    def name(n: str) -> str:
        node = resolve_concept(graph, n)
        return str(graph.nodes[node].get("label", node))

    kinds = {h.kind for h in selection.highlights}
    if path is not None and "path" in kinds:
        return f"How {name(path[0])} can lead to {name(path[1])}"
    if loop is not None and "loop" in kinds:
        return f"Feedback loops through {name(loop)}"
    if "hypothesis" in kinds:
        h = next(h for h in selection.highlights if h.kind == "hypothesis")
        return h.label.removeprefix("hypothesis: ")
    if question is not None:
        qid = resolve_question(graph, question)
        return str(graph.graph["questions"][qid].get("label", qid))
    if selection.focus is not None:
        return f"Around {graph.nodes[selection.focus].get('label', selection.focus)}"
    return "The gut barrier knowledge graph"


def subtitle_for(shown: nx.MultiDiGraph, selection: Selection, *, dropped: int = 0) -> str:
    """Counts and the selection's notes (filters, how many loops exist) in one line.

    Written for the audience of a slide: it never tells them which command-line option to use.
    """
    parts = [f"{shown.number_of_nodes()} concepts, {shown.number_of_edges()} claims"]
    for kind in ("loop", "path"):
        n = sum(1 for h in selection.highlights if h.kind == kind)
        if n:
            parts.insert(
                0, f"{n} {kind}{'s' if n != 1 else ''}" + (" (shortest first)" if kind == "path" else " (best first)")
            )
    parts += [n for n in selection.notes if not n.startswith(("question:", "within 0 steps", "search truncated"))]
    if dropped:
        parts.append(f"{dropped} more not shown")
    return " · ".join(parts)


def cap_highlights(selection: Selection, most: int) -> int:
    """Keep the first ``most`` path/loop highlights (they come best first); returns how many went."""
    tracks = [h for h in selection.highlights if h.kind in {"path", "loop"}]
    if len(tracks) <= most:
        return 0
    drop = {id(h) for h in tracks[most:]}
    selection.highlights = [h for h in selection.highlights if id(h) not in drop]
    return len(drop)


def describe(data: dict[str, Any]) -> str:
    """A one-line text report of an export, for the CLI."""
    return ", ".join(f"{k} {v}" for k, v in data.items() if v not in (None, "", []))
