"""HTML cards for Jupyter: compact, readable, escaped views of every result type.

Each function takes one result and returns a small HTML fragment: the answer first, a short table of
the best items, and the first screen of the text form folded in a ``<details>``. Every value from the
graph is escaped (:func:`html.escape`); links are built only from DOIs, PMIDs and http(s) IRIs.
The functions register themselves with :mod:`gutkg.display`, so results never import this module.

>>> from gutkg.cards import Card
>>> card = Card("reference", {"reference": {"citation": "Doe <i>et al.</i> 2020", "title": "T",
...     "journal": "J", "year": 2020, "doi": "10.1/x<y", "pmid": "", "key": "doe2020",
...     "verification": "verified"}, "cited_by": []})
>>> out = card._repr_html_()
>>> "Doe &lt;i&gt;et al.&lt;/i&gt; 2020" in out and "<i>" not in out
True
>>> 'href="https://doi.org/10.1/x%3Cy"' in out
True
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from gutkg.analysis.adjust import AdjustResult
from gutkg.analysis.core import Chain
from gutkg.analysis.explanation import Explanation
from gutkg.analysis.loops import LoopResult
from gutkg.analysis.paths import PathResult
from gutkg.analysis.rank import RankResult
from gutkg.analysis.rivals import RivalsResult
from gutkg.cards import Card
from gutkg.display import renders
from gutkg.scales import GRADE_NAMES, STRENGTH_NAMES
from gutkg.store import QueryResult

#: Most rows a card's table shows; the text form and ``to_dict()`` have them all.
ROWS = 10
#: Most lines of the text form folded into a card.
TEXT_LINES = 60
STYLE = (
    "font-family:system-ui,sans-serif;font-size:13px;line-height:1.4;max-width:60em;"
    "border:1px solid #ccc;border-radius:6px;padding:8px 12px"
)
ARROWS = {1: "─(+)→", -1: "─(−)→"}


def esc(value: object) -> str:
    """``value`` as text, HTML-escaped (quotes too).

    >>> esc('<a href="x">')
    '&lt;a href=&quot;x&quot;&gt;'
    """
    return html.escape(str(value), quote=True)


def link(r: dict[str, Any]) -> str:
    """A DOI or PMID as a link (or nothing)."""
    if r.get("doi"):
        return f'<a href="https://doi.org/{quote(str(r["doi"]), safe="/:;()._-")}">doi:{esc(r["doi"])}</a>'
    if r.get("pmid"):
        return f'<a href="https://pubmed.ncbi.nlm.nih.gov/{quote(str(r["pmid"]), safe="")}/">PMID:{esc(r["pmid"])}</a>'
    return ""


def card(title: str, *parts: str, text: str = "", kind: str = "") -> str:
    """The frame every card shares: a bold title, the parts, and the text form folded away."""
    lines = text.splitlines()
    if len(lines) > TEXT_LINES:
        lines = [*lines[:TEXT_LINES], f"… {len(lines) - TEXT_LINES} more lines: .text()"]
    more = (
        (
            f"<details><summary>text form</summary><pre style='white-space:pre-wrap;font-size:12px'>"
            f"{esc(chr(10).join(lines))}</pre></details>"
        )
        if text
        else ""
    )
    tag = f"<span style='color:#777'> · {esc(kind)}</span>" if kind else ""
    return (
        f"<div class='gutkg-card' style='{STYLE}'><div><strong>{esc(title)}</strong>{tag}</div>"
        + "".join(p for p in parts if p)
        + more
        + "</div>"
    )


def para(text: str, style: str = "") -> str:
    """An escaped paragraph of ``text`` (nothing when ``text`` is empty)."""
    return f"<p style='margin:4px 0;{style}'>{esc(text)}</p>" if text else ""


def table(head: Sequence[str], rows: Iterable[Sequence[str]], total: int | None = None, *, raw: bool = False) -> str:
    """A small table (cells escaped unless ``raw``: already-built HTML); "N more" when cut."""
    rows = list(rows)
    cell = (lambda c: c) if raw else esc
    td = "<td style='text-align:left;vertical-align:top;padding:1px 6px 1px 0'>"
    body = "".join("<tr>" + "".join(f"{td}{cell(c)}</td>" for c in r) + "</tr>" for r in rows[:ROWS])
    head_html = "".join(f"<th style='text-align:left'>{esc(h)}</th>" for h in head)
    more = len(rows) if total is None else total
    note = para(f"… {more - ROWS} more (see .text() or .to_dict())", "color:#777") if more > ROWS else ""
    frame = "<table style='border-collapse:collapse;margin:4px 0;font-size:13px'>"
    return f"{frame}<tr>{head_html}</tr>{body}</table>" + note


def status(result: Any) -> str:
    """The filter and any cut-short notice, in grey."""
    bits = [] if getattr(result, "filter", "no filter") == "no filter" else [f"evidence filter: {result.filter}"]
    if getattr(result, "filter_note", ""):
        bits.append(result.filter_note)
    if getattr(result, "truncated", False):
        bits.append("cut short: " + (getattr(result, "reason", "") or "limit reached"))
    return para("; ".join(bits), "color:#777") if bits else ""


def chain_label(chain: Chain) -> str:
    """``a ─(+)→ b ─(−)→ c``; a loop ends where it starts."""
    if not chain.hops:
        return ""
    steps = " ".join(f"{h.cause_label} {ARROWS.get(h.sign, '─(0)→')}" for h in chain.hops)
    return f"{steps} {chain.hops[-1].effect_label}"


def citations(chain: Chain, n: int = 3) -> str:
    """The first ``n`` distinct citations of a chain's claims, and how many more there are."""
    seen = list(dict.fromkeys(c for h in chain.hops for c in h.citations))
    return "; ".join(seen[:n]) + (f" (+{len(seen) - n})" if len(seen) > n else "")


def chain_rows(chains: Sequence[Chain]) -> list[list[str]]:
    """Table rows for ``chains``: number, the chain, net sign, weakest link and citations."""
    return [
        [
            str(i),
            chain_label(c),
            "+" if c.sign > 0 else "−" if c.sign < 0 else "0",
            f"{STRENGTH_NAMES.get(c.weakest, 'none')} ({c.weakest_status})",
            citations(c),
        ]
        for i, c in enumerate(chains, 1)
    ]


@renders(Explanation)
def explanation_html(e: Explanation) -> str:
    """The card of an explanation: the first summary line, each rival's grade on all and on primary
    human evidence, the answer and the claims it hangs on."""
    parts = [para(e.summary[0] if e.summary else "")]
    v = e.verdict
    if v is not None:
        parts.append(
            table(
                ["rival", "all evidence", "primary human evidence only"],
                [
                    [
                        r.title,
                        r.label + (f": {', '.join(r.kinds)}" if r.kinds else ""),
                        r.human_label + (f": {', '.join(r.human_kinds)}" if r.human_kinds else ""),
                    ]
                    for r in v.rows
                ],
            )
        )
        parts += [para(a) for a in v.answer]
        if v.human_answer:
            parts.append(para(v.human_answer))
        if v.keystones:
            k = v.keystones[0]
            parts.append(
                para(f"The answer hangs on: {'; '.join(k.labels)} ({'; '.join(k.citations)}). If wrong: {k.change}")
            )
    parts.append(status(e))
    return card(f"{e.a_label} ↔ {e.b_label}", *parts, text=e.text(), kind="explain")


@renders(PathResult)
def paths_html(r: PathResult) -> str:
    """The card of a paths result: how many chains were found and a table of the best."""
    found = para(
        f"{len(r.paths)} chain(s) shown of {r.found} found, strongest weakest link first"
        if r.paths
        else "no causal chain found"
    )
    return card(
        f"Paths: {r.source_label} → {r.target_label}",
        found,
        status(r),
        table(["#", "chain", "net", "weakest link", "citations"], chain_rows(r.paths)) if r.paths else "",
        text=r.text(),
        kind="paths",
    )


@renders(LoopResult)
def loops_html(r: LoopResult) -> str:
    """The card of a loops result: how many loops were found and a table of the best, with their kind."""
    rows = [[row[0], r.loops[i].kind, *row[1:]] for i, row in enumerate(chain_rows(r.loops))]
    found = para(f"{len(r.loops)} loop(s) shown of {r.loops_found} found" if r.loops else "no feedback loop found")
    through = next((h.cause_label for loop in r.loops for h in loop.hops if h.cause == r.through), r.through)
    title = "Feedback loops" + (f" through {through}" if r.through else "")
    return card(
        title,
        found,
        status(r),
        table(["#", "kind", "loop", "net", "weakest link", "citations"], rows) if rows else "",
        text=r.text(),
        kind="loops",
    )


@renders(RivalsResult)
def rivals_html(r: RivalsResult) -> str:
    """The card of a rivals result: each question's answer and its rivals' grades, and the
    contradictions."""
    parts = []
    for q in r.questions:
        parts.append(f"<div style='margin-top:6px'><strong>{esc(q.label)}</strong></div>")
        parts += [para(a) for a in q.answer[:2]]
        parts.append(
            table(
                ["rival", "best grade", "human evidence", "items for / against", "kinds"],
                [
                    [
                        x.label,
                        GRADE_NAMES.get(x.level, str(x.level)),
                        GRADE_NAMES.get(x.human_level, str(x.human_level)),
                        f"{x.supporting} / {x.opposing}",
                        ", ".join(x.kinds),
                    ]
                    for x in q.rivals
                ],
            )
        )
    if r.contradictions:
        parts.append(
            para(
                f"{len(r.contradictions)} contradiction(s): "
                + "; ".join(f"{c.a_label} / {c.b_label}" for c in r.contradictions[:5])
            )
        )
    parts.append(status(r))
    return card("Rival hypotheses", *parts, text=r.text(), kind="rivals")


@renders(RankResult)
def rank_html(r: RankResult) -> str:
    """The card of a rank result: the top drivers and bottlenecks with their scores."""

    def rows(items: Sequence[Any]) -> list[list[str]]:
        return [[str(i), x.label, x.category, f"{x.score:.3g}"] for i, x in enumerate(items, 1)]

    return card(
        "Upstream drivers and bottlenecks",
        status(r),
        para(f"drivers ({r.driver_measure})"),
        table(["#", "concept", "category", "score"], rows(r.drivers)),
        para(f"bottlenecks ({r.bottleneck_measure})"),
        table(["#", "concept", "category", "score"], rows(r.bottlenecks)),
        text=r.text(),
        kind="rank",
    )


@renders(AdjustResult)
def adjust_html(r: AdjustResult) -> str:
    """The card of an adjust result: whether the effect is identifiable, the minimal adjustment sets
    and the confounders."""

    def names(ids: Sequence[str]) -> str:
        return ", ".join(r.labels.get(i, i) for i in ids) or "∅ (nothing)"

    verdict = "identifiable by adjustment" if r.identifiable else "not identifiable by adjustment"
    return card(
        f"Adjust: {r.exposure_label} → {r.outcome_label}",
        para(r.question),
        para(verdict),
        table(["minimal adjustment set"], [[names(s)] for s in r.adjustment_sets], r.sets_found),
        para("confounders: " + names(r.confounders)),
        status(r),
        text=r.text(),
        kind="adjust",
    )


@renders(Card)
def card_html(c: Card) -> str:
    """The card of a concept, a reference or a statement (causal claim, association, measurement relation)."""
    d = c.data
    if c.kind == "concept":
        return concept_html(c, d)
    if c.kind == "reference":
        return reference_html(c, d)
    return statement_html(c, d)


def concept_html(c: Card, d: dict[str, Any]) -> str:
    """A concept card: its category, definition, synonyms, mappings, claims in and out, references."""
    maps = ", ".join(
        f'<a href="{esc(m["iri"])}">{esc(m["curie"])}</a>'
        if str(m["iri"]).startswith(("http://", "https://"))
        else esc(m["curie"])
        for m in d.get("mappings", [])
    )
    parts = [para(f"{d['curie']} · {d['category']}", "color:#777"), para(d.get("definition", ""))]
    if d.get("synonyms"):
        parts.append(para("synonyms: " + ", ".join(d["synonyms"])))
    if maps:
        parts.append(f"<p style='margin:4px 0'>mappings: {maps}</p>")
    for key, title in (("claims_out", "claims out"), ("claims_in", "claims in")):
        parts.append(para(f"{title} ({len(d[key])})", "font-weight:bold"))
        parts.append(
            table(
                ["", "sign", "status", "citations"],
                [[x["other_label"], x["sign"], x["status"], "; ".join(x["citations"])] for x in d[key]],
            )
        )
    refs = d.get("references", [])
    if refs:
        parts.append(para(f"references ({len(refs)})", "font-weight:bold"))
        parts.append(table(["citation", "link"], [[esc(r["citation"]), link(r)] for r in refs], raw=True))
    return card(c.title, *parts, text=c.text(), kind="concept")


def statement_html(c: Card, d: dict[str, Any]) -> str:
    """A statement card (causal claim, association or measurement relation): its status, grade with
    reasons, and evidence table."""
    g = d.get("grade")
    parts = [para(f"{d['kind']}; {d['id']}", "color:#777"), para(f"status: {d['status']}" if d.get("status") else "")]
    if isinstance(g, dict):
        parts.append(para(f"grade: {g['label']}", "font-weight:bold"))
        parts.append("<ul style='margin:2px 0'>" + "".join(f"<li>{esc(x)}</li>" for x in g["reasons"]) + "</ul>")
    evidence = d.get("evidence", [])
    parts.append(
        table(
            ["stance", "citation", "design", "species/model", "strength"],
            [
                [
                    esc(e["stance"]),
                    f"{esc(e['citation'])} {link(e)}",
                    esc(e["direction"]),
                    esc(", ".join(e.get("species") or []) or e.get("model") or ""),
                    esc(e["strength_label"]),
                ]
                for e in evidence
            ],
            raw=True,
        )
    )
    return card(c.title, *parts, text=c.text(), kind=str(d["kind"]))


def reference_html(c: Card, d: dict[str, Any]) -> str:
    """A reference card: title, journal, year, link, and the evidence items that cite it."""
    r = d["reference"]
    where = " ".join(str(x) for x in (r.get("journal"), r.get("year")) if x)
    head = f"<p style='margin:4px 0'>{esc(r.get('title', ''))}<br>{esc(where)} {link(r)}</p>"
    cited = d.get("cited_by", [])
    return card(
        c.title,
        head,
        para(f"cited by {len(cited)} evidence item(s)", "font-weight:bold"),
        table(
            ["stance", "statement", "kind", "design"],
            [
                [x["stance"], x["says"], x["kind"] + (f", {x['status']}" if x["status"] else ""), x["design"]]
                for x in cited
            ],
        ),
        text=c.text(),
        kind="reference",
    )


@renders(QueryResult)
def rows_html(r: QueryResult) -> str:
    """The card of a SPARQL answer: the ASK result, the triples, or the rows (saying when they were cut)."""
    from gutkg.sparql.results import cell

    if r.kind == "ask":
        return card(f"ASK: {str(bool(r.boolean)).lower()}", kind="query")
    if r.kind == "graph":
        return card(
            f"{len(r.triples)} triples",
            table(["subject", "predicate", "object"], [[cell(t) for t in tr] for tr in r.triples]),
            kind="query",
        )
    return card(
        f"{len(r.rows)} row(s)",
        table(list(r.vars), [[cell(t) for t in row] for row in r.rows]),
        para(f"truncated: {r.note}", "color:#777") if r.truncated else "",
        kind="query",
    )
