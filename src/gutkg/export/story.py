"""The story a lecture deck tells: a question, its rival answers, and their claims in causal order.

A :class:`Story` is what :mod:`gutkg.export.slides` turns into slides, independent of the output
format: *tracks* (the rival hypotheses of a question, the feedback loops through a concept, or the
paths from A to B), each an ordered list of claims, plus the sub-graph they come from (for
evidence and references). Step *i* of the deck reveals the *i*-th claim of every track.

Claims of a hypothesis are put in causal order: from the concepts no other claim of the
hypothesis leads into, breadth-first along the claims; a purely circular hypothesis starts at its
alphabetically first concept. Loops and paths keep their walk order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.export.selection import Selection

EdgeKey = tuple[str, str, str]


@dataclass
class Track:
    """One rival answer (hypothesis), loop or path: its claims in the order the deck reveals them."""

    kind: str  # "hypothesis" | "loop" | "path"
    label: str
    definition: str
    claims: list[EdgeKey]
    id: str = ""


@dataclass
class Story:
    """A question and its tracks over ``graph`` (the selection's sub-graph)."""

    title: str
    question: str
    graph: nx.MultiDiGraph
    tracks: list[Track]
    context: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def steps(self) -> int:
        """How many step slides the deck needs (the longest track)."""
        return max((len(t.claims) for t in self.tracks), default=0)

    def claim(self, edge: EdgeKey) -> dict[str, Any]:
        u, v, k = edge
        data: dict[str, Any] = self.graph.edges[u, v, k]
        return data

    def label(self, node: str) -> str:
        return str(self.graph.nodes[node].get("label", node)) if node in self.graph else node

    def references(self) -> list[dict[str, Any]]:
        """Every reference the story's claims cite, in citation order."""
        refs = self.graph.graph.get("references", {})
        keys = {e["source"] for t in self.tracks for edge in t.claims
                for e in self.claim(edge).get("evidence", []) if e.get("source")}
        found = [refs.get(k) or {"key": k, "citation": k} for k in keys]
        return sorted(found, key=lambda r: (str(r.get("citation", "")).casefold(), r.get("key", "")))


def causal_order(graph: nx.MultiDiGraph, edges: list[EdgeKey]) -> list[EdgeKey]:
    """``edges`` in causal (breadth-first) order, see the module docstring.

    >>> causal_order(None, [("b", "c", "bc"), ("a", "b", "ab")])
    [('a', 'b', 'ab'), ('b', 'c', 'bc')]
    >>> causal_order(None, [("b", "a", "ba"), ("a", "b", "ab")])
    [('a', 'b', 'ab'), ('b', 'a', 'ba')]
    """
    remaining = sorted(set(edges))
    if not remaining:
        return []
    targets = {v for _, v, _ in remaining}
    starts = sorted({u for u, _, _ in remaining if u not in targets}) or [remaining[0][0]]
    ordered: list[EdgeKey] = []
    frontier, seen = list(starts), set(starts)
    while remaining:
        step = [e for e in remaining if e[0] in frontier]
        if not step:  # a part not reachable from the starts: continue from its first claim
            step = [remaining[0]]
        ordered += step
        remaining = [e for e in remaining if e not in step]
        frontier = sorted({v for _, v, _ in step} - seen)
        seen.update(frontier)
        if not frontier:
            frontier = sorted({v for _, v, _ in step})
    return ordered


def question_story(graph: nx.MultiDiGraph, question: str) -> Story:
    """The rival hypotheses of ``question`` (an id) as tracks, over ``graph`` (already filtered).

    A hypothesis whose every claim was filtered out still gets a track with no claims, so the
    deck says it lost all support rather than silently dropping a rival.
    """
    questions = graph.graph.get("questions", {})
    if question not in questions:
        raise GutKGError(f"unknown question {question!r}")
    q = questions[question]
    hypotheses = graph.graph.get("hypotheses", {})
    present = {k: (u, v, k) for u, v, k in graph.edges(keys=True)}
    tracks = []
    for hid in q.get("hypotheses", []):
        h = hypotheses.get(hid, {})
        edges = [present[c] for c in h.get("claims", []) if c in present]
        tracks.append(Track("hypothesis", str(h.get("label", hid)), str(h.get("definition", "")),
                            causal_order(graph, edges), id=hid))
    if not tracks:
        raise GutKGError(f"question {q.get('label', question)!r} has no hypotheses to compare")
    return Story(title=str(q.get("label", question)), question=str(q.get("label", question)),
                 graph=graph, tracks=tracks, context=str(q.get("definition", "")))


def selection_story(selection: Selection, *, question: str | None = None,
                    title: str | None = None) -> Story:
    """A story from a :class:`~gutkg.export.selection.Selection`.

    With ``question`` (an id): its rival hypotheses. Otherwise the selection's highlighted loops
    or paths become the tracks.
    """
    if question is not None:
        story = question_story(selection.graph, question)
        story.notes = list(selection.notes)
        return story
    tracks = [h for h in selection.highlights if h.kind in {"loop", "path"}]
    if not tracks:
        why = "; ".join(selection.notes) or "nothing was highlighted"
        raise GutKGError(f"the selection is empty: no loop or path to tell ({why}). "
                         "Try a longer --max-length or looser evidence filters.")
    graph = selection.highlighted()
    label = {n: str(graph.nodes[n].get("label", n)) for n in graph}
    out = []
    for i, h in enumerate(tracks, 1):
        hops = list(zip(h.nodes, [*h.nodes[1:], *([h.nodes[0]] if h.kind == "loop" else [])],
                        strict=False))
        ordered = [e for u, v in hops for e in h.edges if e[0] == u and e[1] == v]
        walk = [*h.nodes, h.nodes[0]] if h.kind == "loop" else h.nodes
        sign = 1
        for edge in ordered:
            sign *= int(graph.edges[edge].get("sign", 1))
        kind = ("reinforcing" if sign > 0 else "balancing") if h.kind == "loop" else h.kind
        out.append(Track(h.kind, f"{h.kind} {i}" + (f" ({kind})" if h.kind == "loop" else ""),
                         " → ".join(label.get(n, n) for n in walk), ordered, id=f"{h.kind}{i}"))
    kinds = {t.kind for t in out}
    if kinds == {"loop"}:
        focus = label.get(selection.focus or "", selection.focus or "")
        q = f"Is there a vicious cycle through {focus}?" if focus else "Which feedback loops keep this going?"
        default = f"Feedback loops through {focus}" if focus else "Feedback loops"
    else:
        first = tracks[0]
        a, b = label.get(first.nodes[0], first.nodes[0]), label.get(first.nodes[-1], first.nodes[-1])
        q = f"How could {a} lead to {b}?"
        default = f"From {a} to {b}"
    return Story(title=title or default, question=q, graph=graph, tracks=out,
                 notes=list(selection.notes))


def evidence_summary(story: Story, track: Track) -> dict[str, Any]:
    """What supports a track: claim statuses, strongest evidence, human and direction evidence."""
    claims = [story.claim(e) for e in track.claims]
    statuses: dict[str, int] = {}
    for c in claims:
        statuses[c.get("status", "?")] = statuses.get(c.get("status", "?"), 0) + 1
    supporting = [e for c in claims for e in c.get("evidence", []) if e.get("stance") == "supports"]
    opposing = [e for c in claims for e in c.get("evidence", []) if e.get("stance") == "opposes"]
    from gutkg.vocab import STRENGTHS

    names = {rank: name for rank, name in STRENGTHS.values()}
    weakest = min((int(c.get("strength", 0)) for c in claims), default=0)
    return {
        "claims": len(claims),
        "statuses": statuses,
        "human_claims": sum(1 for c in claims if "human" in c.get("systems", [])),
        "directional_claims": sum(1 for c in claims if set(c.get("directions", []))
                                  & {"interventional", "germ-free or transfer", "genetic", "temporal"}),
        "supporting": len(supporting),
        "opposing": len(opposing),
        "weakest_link": names.get(weakest, "no evidence"),
        "citations": sorted({e["citation"] for e in supporting if e.get("citation")}),
        "opposing_citations": sorted({e["citation"] for e in opposing if e.get("citation")}),
    }
