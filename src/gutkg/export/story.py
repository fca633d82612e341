"""The story a lecture deck tells: a question, its rival answers, their claims in causal order, the
verdict of the analysis and what would settle it.

A :class:`Story` is what :mod:`gutkg.export.deck` plans into slides, independent of the output
format: *tracks* (the rival hypotheses of a question, the feedback loops through a concept, or the
paths from A to B), each an ordered list of the claims its step slides reveal, one claim per step,
plus the sub-graph they come from (for evidence and references), and, for a question with an
exposure and an outcome, the :class:`~gutkg.analysis.verdict.Verdict` of
:func:`gutkg.analysis.explain.explain` (rivals graded on all evidence and on primary human evidence,
keystone claims).

A rival hypothesis may hold twenty claims; a deck that reveals them all is a list, not a story. Its
steps are the claims of the rival's best-graded route in the verdict, then its best-evidenced claims
that join what is already shown (so the steps tell one connected story), at most ``max_steps`` in
all, shown in causal order: from the concepts no other claim of the
rival leads into, breadth-first along the claims (a purely circular rival starts at its
alphabetically first concept). The rest are counted and listed in the speaker notes. Loops and
paths keep their walk order and every claim.

*What would settle it* is read from the graph and the analysis only, never invented: the keystone
claims the verdict hangs on, the rivals whose best route has no primary human evidence, and, for
each rival, a claim of it with no counted (primary, direction-showing) evidence, one it reveals
if any.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError
from gutkg.export import style

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter
    from gutkg.analysis.verdict import Verdict
    from gutkg.export.selection import Selection

EdgeKey = tuple[str, str, str]
#: Claims a rival reveals step by step, by default (the rest are in the speaker notes).
MAX_STEPS = 4


@dataclass
class Track:
    """One rival answer (hypothesis), loop or path: the claims its steps reveal, in order."""

    kind: str  # "hypothesis" | "loop" | "path"
    label: str
    definition: str
    claims: list[EdgeKey]
    id: str = ""
    #: The rival's role in the verdict (forward, reverse, shared cause, feedback) or "".
    role: str = ""
    #: Its colour on the map and its slides.
    colour: str = ""
    #: Every claim of the rival present in the graph (``claims`` are those revealed).
    all_claims: list[EdgeKey] = field(default_factory=list)

    @property
    def hidden(self) -> list[EdgeKey]:
        """The rival's claims not revealed on a step slide."""
        return [e for e in self.all_claims if e not in self.claims]


@dataclass
class Story:
    """A question and its tracks over ``graph`` (the selection's sub-graph)."""

    title: str
    question: str
    graph: nx.MultiDiGraph
    tracks: list[Track]
    context: str = ""
    notes: list[str] = field(default_factory=list)
    #: The analysis' graded answer (questions with an exposure and an outcome), else None.
    verdict: Verdict | None = None

    @property
    def steps(self) -> int:
        """How many claims the step slides reveal in all (one claim per step)."""
        return sum(len(t.claims) for t in self.tracks)

    def claim(self, edge: EdgeKey) -> dict[str, Any]:
        u, v, k = edge
        data: dict[str, Any] = self.graph.edges[u, v, k]
        return data

    def label(self, node: str) -> str:
        """A concept's label, cut with an ellipsis past 120 characters (graph text is data)."""
        from gutkg.export.figure import clip

        return clip(str(self.graph.nodes[node].get("label", node)) if node in self.graph else node, 120)

    def track_of_role(self, role: str) -> Track | None:
        """The rival playing ``role`` in the verdict, if any."""
        return next((t for t in self.tracks if role and t.role == role), None)

    def references(self) -> list[dict[str, Any]]:
        """Every reference the story's revealed claims cite, in citation order."""
        refs = self.graph.graph.get("references", {})
        keys = {
            e["source"]
            for t in self.tracks
            for edge in t.claims
            for e in self.claim(edge).get("evidence", [])
            if e.get("source")
        }
        found = [refs.get(k) or {"key": k, "citation": k} for k in keys]
        return sorted(found, key=lambda r: (str(r.get("citation", "")).casefold(), r.get("key", "")))

    def settle(self) -> list[str]:
        """What would settle the question, read from the graph and the verdict (see module docstring)."""
        out: list[str] = []
        v = self.verdict
        if v is not None:
            for k in v.keystones[:2]:
                claim = plain_arrows(k.labels[0].split(" [")[0]) if k.labels else ", ".join(k.claims)
                out.append(f"An independent test of {claim}: the verdict hangs on it ({k.change}).")
            for row in v.rows:
                if row.level > 0 and row.human_level < row.level:
                    out.append(
                        f"Primary human evidence for {row.title}: its best route rests on "
                        "animal, cell or indirect data."
                    )
                elif row.level <= 0:
                    out.append(f"No primary study yet shows the direction of {row.title}.")
        for t in self.tracks:
            shown = [e for e in t.all_claims if e in t.claims]
            untested = [e for e in shown + t.hidden if not int((self.claim(e).get("grading") or {}).get("level", 0))]
            for u, v_, _ in untested[:1]:
                out.append(
                    f"No primary study yet shows the direction of {self.label(u)} → {self.label(v_)} ({t.label})."
                )
        return list(dict.fromkeys(out))


def causal_order(graph: nx.MultiDiGraph | None, edges: list[EdgeKey]) -> list[EdgeKey]:
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


def best_steps(graph: nx.MultiDiGraph, edges: list[EdgeKey], route: list[str], most: int = MAX_STEPS) -> list[EdgeKey]:
    """At most ``most`` of ``edges`` to reveal, in causal order, that tell a connected story.

    The claims of ``route`` (the rival's best-graded route in the verdict) come first; then, one
    at a time, the best-evidenced claim (grade, evidence strength, status, causal position) that
    touches a concept already shown, or the best-evidenced of all when none does.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for k, s in (("ab", 0), ("bc", 3), ("cd", 2), ("xy", 2)):
    ...     _ = g.add_edge(k[0], k[1], key=k, strength=s, status="supported")
    >>> steps = best_steps(g, [(k[0], k[1], k) for k in ("ab", "bc", "cd", "xy")], [], most=3)
    >>> [k for _, _, k in steps]
    ['ab', 'bc', 'cd']
    """
    from gutkg.scales import STATUS_RANK

    ordered = causal_order(graph, edges)
    position = {e: i for i, e in enumerate(ordered)}

    def rank(e: EdgeKey) -> tuple[Any, ...]:
        d = graph.edges[e]
        grade = int((d.get("grading") or {}).get("level", 0))
        return (
            e[2] not in route,
            -grade,
            -int(d.get("strength", 0)),
            -STATUS_RANK.get(str(d.get("status", "")), 0),
            position[e],
        )

    left = sorted(ordered, key=rank)
    chosen: list[EdgeKey] = []
    shown: set[str] = set()
    while left and len(chosen) < most:
        pick = next((e for e in left if e[2] in route), None) if route else None
        if pick is None:
            pick = next((e for e in left if shown & {e[0], e[1]}), left[0])
        chosen.append(pick)
        shown |= {pick[0], pick[1]}
        left.remove(pick)
    return [e for e in ordered if e in chosen]


def question_story(
    graph: nx.MultiDiGraph,
    question: str,
    *,
    base: nx.MultiDiGraph | None = None,
    evidence: EvidenceFilter | None = None,
    max_steps: int = MAX_STEPS,
) -> Story:
    """The rival hypotheses of ``question`` (an id) as tracks, over ``graph`` (already filtered).

    With ``base`` (the whole graph) and a question that names an exposure and an outcome, the
    story carries the verdict of :func:`gutkg.analysis.explain.explain` on ``base`` under the same
    ``evidence`` filter, and each rival reveals its best-graded route first. A hypothesis whose
    every claim was filtered out still gets a track with no claims, so the deck says it lost all
    support rather than silently dropping a rival.
    """
    questions = graph.graph.get("questions", {})
    if question not in questions:
        raise GutKGError(f"unknown question {question!r}")
    if max_steps < 1:
        raise GutKGError("max_steps must be at least 1")
    q = questions[question]
    verdict = None
    a, b = str(q.get("exposure") or ""), str(q.get("outcome") or "")
    if base is not None and a in base and b in base and a != b:
        from gutkg.analysis.explain import explain

        verdict = explain(base, a, b, flt=evidence).verdict
    routes = {r.role: r.claims for r in verdict.rows} if verdict is not None else {}
    hypotheses = graph.graph.get("hypotheses", {})
    present = {k: (u, v, k) for u, v, k in graph.edges(keys=True)}
    tracks = []
    for i, hid in enumerate(q.get("hypotheses", [])):
        h = hypotheses.get(hid, {})
        edges = [present[c] for c in h.get("claims", []) if c in present]
        role = str(h.get("role", ""))
        tracks.append(
            Track(
                "hypothesis",
                str(h.get("label", hid)),
                str(h.get("definition", "")),
                best_steps(graph, edges, routes.get(role, []), max_steps),
                id=hid,
                role=role,
                colour=style.RIVAL_COLOURS[i % len(style.RIVAL_COLOURS)],
                all_claims=causal_order(graph, edges),
            )
        )
    if not tracks:
        raise GutKGError(f"question {q.get('label', question)!r} has no hypotheses to compare")
    return Story(
        title=str(q.get("label", question)),
        question=str(q.get("label", question)),
        graph=graph,
        tracks=tracks,
        context=str(q.get("definition", "")),
        verdict=verdict,
    )


def selection_story(
    selection: Selection,
    *,
    question: str | None = None,
    title: str | None = None,
    base: nx.MultiDiGraph | None = None,
    max_steps: int = MAX_STEPS,
) -> Story:
    """A story from a :class:`~gutkg.export.selection.Selection`.

    With ``question`` (an id): its rival hypotheses (and, given ``base``, the verdict under the
    selection's evidence filter). Otherwise the selection's highlighted loops or paths, best first,
    become the tracks.
    """
    if question is not None:
        story = question_story(selection.graph, question, base=base, evidence=selection.evidence, max_steps=max_steps)
        story.notes = list(selection.notes)
        return story
    tracks = [h for h in selection.highlights if h.kind in {"loop", "path"}]
    if not tracks:
        why = "; ".join(selection.notes) or "nothing was highlighted"
        raise GutKGError(
            f"the selection is empty: no loop or path to tell ({why}). "
            "Try a longer --max-length or looser evidence filters."
        )
    from gutkg.export.figure import clip

    graph = selection.highlighted()
    label = {n: clip(str(graph.nodes[n].get("label", n)), 120) for n in graph}
    out = []
    for i, h in enumerate(tracks, 1):
        hops = list(zip(h.nodes, [*h.nodes[1:], *([h.nodes[0]] if h.kind == "loop" else [])], strict=False))
        ordered = [e for u, v in hops for e in h.edges if e[0] == u and e[1] == v]
        walk = [*h.nodes, h.nodes[0]] if h.kind == "loop" else h.nodes
        sign = 1
        for edge in ordered:
            sign *= int(graph.edges[edge].get("sign", 1))
        kind = ("reinforcing" if sign > 0 else "balancing") if h.kind == "loop" else h.kind
        out.append(
            Track(
                h.kind,
                f"{h.kind} {i}" + (f" ({kind})" if h.kind == "loop" else ""),
                " → ".join(label.get(n, n) for n in walk),
                ordered,
                id=f"{h.kind}{i}",
                colour=style.RIVAL_COLOURS[(i - 1) % len(style.RIVAL_COLOURS)],
                all_claims=list(ordered),
            )
        )
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
    return Story(title=title or default, question=q, graph=graph, tracks=out, notes=list(selection.notes))


def best_evidence(claim: dict[str, Any]) -> dict[str, Any] | None:
    """The claim's strongest supporting evidence item (human data first among equals), or None."""
    items = [e for e in claim.get("evidence", []) if e.get("stance", "supports") == "supports"]
    if not items:
        return None
    best: dict[str, Any] = max(
        items,
        key=lambda e: (
            int(e.get("strength") or 0),
            e.get("system") == "human",
            bool(e.get("citation")),
            str(e.get("citation", "")),
        ),
    )
    return best


def evidence_summary(story: Story, track: Track) -> dict[str, Any]:
    """What supports a track: claim statuses, strongest evidence, human and direction evidence."""
    claims = [story.claim(e) for e in track.all_claims]
    statuses: dict[str, int] = {}
    for c in claims:
        statuses[c.get("status", "?")] = statuses.get(c.get("status", "?"), 0) + 1
    supporting = [e for c in claims for e in c.get("evidence", []) if e.get("stance") == "supports"]
    opposing = [e for c in claims for e in c.get("evidence", []) if e.get("stance") == "opposes"]
    weakest = min((int(c.get("strength", 0)) for c in claims), default=0)
    return {
        "claims": len(claims),
        "statuses": statuses,
        "human_claims": sum(1 for c in claims if "human" in c.get("systems", [])),
        "directional_claims": sum(
            1
            for c in claims
            if set(c.get("directions", [])) & {"interventional", "germ-free or transfer", "genetic", "temporal"}
        ),
        "hypothesised": sum(1 for c in claims if not c.get("evidence")),
        "supporting": len(supporting),
        "opposing": len(opposing),
        "weakest_link": style.STRENGTH_NAMES.get(weakest, "no evidence"),
        "citations": sorted({e["citation"] for e in supporting if e.get("citation")}),
        "opposing_citations": sorted({e["citation"] for e in opposing if e.get("citation")}),
    }


def plain_arrows(text: str) -> str:
    """The analysis' ``─(+)→`` / ``─(−)→`` claim arrows as the deck's → and ⊣.

    >>> plain_arrows("a ─(+)→ b ─(−)→ c")
    'a → b ⊣ c'
    """
    import re

    return re.sub(r"\s*─\(([+−-])\)→\s*", lambda m: " → " if m[1] == "+" else " ⊣ ", text)
