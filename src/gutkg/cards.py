"""Cards: what ``gutkg show`` prints about a concept, a claim (association, measurement relation)
or a reference, as plain data and as text.

:func:`lookup` resolves what a user typed, in this order: a statement id (``gkcl:…``, ``gkas:…``,
``gkm:…``), a concept (label, synonym, id or CURIE), a reference (key, "Author Year", DOI, PMID).
Every card lists DOIs or PMIDs beside its citations, so a reader can follow them up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gutkg.concepts import Concept
from gutkg.namespaces import prologue
from gutkg.store import Store, Term

if TYPE_CHECKING:
    from gutkg.concepts import ConceptIndex
    from gutkg.references import Reference

#: Prefixes of statement ids a user may type.
STATEMENT_PREFIXES = ("gkcl:", "gkas:", "gkm:")


class Card:
    """A card: ``kind`` (``concept``, ``causal claim``, ``association (direction not shown)``,
    ``measurement relation`` or ``reference``) and its data; ``text()`` (also ``str()``),
    ``to_dict()``, a one-line ``repr`` and an HTML card in Jupyter (:mod:`gutkg.html_cards`)."""

    def __init__(self, kind: str, data: dict[str, Any]) -> None:
        self.kind, self.data = kind, data

    @property
    def title(self) -> str:
        """The card's first line: the concept's label, what the claim says, or the citation."""
        d = self.data
        if self.kind == "concept":
            return str(d["label"])
        if self.kind == "reference":
            return str(d["reference"]["citation"])
        return str(d["says"])

    def text(self) -> str:
        if self.kind == "concept":
            return concept_text(self.data)
        if self.kind == "reference":
            return reference_text(self.data)
        return statement_text(self.data)

    def as_dict(self) -> dict[str, Any]:
        return self.data

    to_dict = as_dict

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<Card {self.kind}: {self.title[:100]} (.text(), .to_dict())>"

    def _repr_html_(self) -> str:
        from gutkg.display import html

        return html(self)


def lookup(store: Store, text: str, index: ConceptIndex | None = None) -> Card:
    """The card of what ``text`` names: a statement id, a concept, or exactly one reference.

    Raises :class:`~gutkg.errors.UnknownConceptError` (closest concepts) when nothing matches, and
    :class:`~gutkg.errors.GutKGError` naming the candidates when a statement id is unknown or
    several references match.
    """
    from gutkg.concepts import ConceptIndex
    from gutkg.errors import GutKGError, UnknownConceptError

    statement = statement_card(store, text)
    if statement is not None:
        return Card(str(statement["kind"]), statement)
    if text.strip().lower().startswith(STATEMENT_PREFIXES):
        raise GutKGError(
            f"no claim, association or measurement relation {text.strip()!r}: statement ids "
            "are listed by gutkg show CONCEPT --format json (field 'claim')"
        )
    index = index or ConceptIndex.from_store(store)
    try:
        concept = index.resolve(text)
    except UnknownConceptError as exc:
        found = find_references(store, text)
        if len(found) == 1:
            return Card("reference", _reference_data(store, found[0]))
        if len(found) > 1:
            listed = "; ".join(f"{r.citation} (gkref:{r.key})" for r in found[:8])
            raise GutKGError(
                f"{text!r} matches {len(found)} references: {listed}. Name one by its key (gkref:…), DOI or PMID"
            ) from None
        raise UnknownConceptError(exc.name, exc.suggestions, ambiguous=exc.ambiguous) from None
    assert concept is not None
    return Card("concept", card(store, concept))


CLAIMS = (
    prologue("gkv", "obo", "dcterms", "skos")
    + """
SELECT ?claim ?direction ?other ?otherLabel ?sign ?status ?source WHERE {
  { ?claim gkv:cause ?concept ; gkv:effect ?other . BIND("out" AS ?direction) }
  UNION { ?claim gkv:effect ?concept ; gkv:cause ?other . BIND("in" AS ?direction) }
  ?claim a gkv:CausalClaim ; gkv:sign ?sign ; gkv:status ?status .
  OPTIONAL { ?other skos:prefLabel ?otherLabel }
  OPTIONAL { ?claim obo:RO_0002558/dcterms:source ?source }
}"""
)
NARROWER = (
    prologue("skos")
    + """
SELECT ?n WHERE { ?n skos:broader ?concept }"""
)


def card(store: Store, concept: Concept) -> dict[str, Any]:
    """Everything ``gutkg show`` prints about ``concept``, as plain data."""
    from gutkg.references import references
    from gutkg.vocab import SIGNS, STATUSES

    refs = references(store)
    signs = {str(k): v for k, v in SIGNS.items()}
    statuses = {str(k): v for k, v in STATUSES.items()}
    bind = {"concept": Term.iri(concept.iri)}
    claims: dict[str, dict[str, object]] = {}
    cited: dict[str, Reference] = {}
    for row in store.query(CLAIMS, bind).dicts():
        cid = str(row["claim"]).rsplit("/", 1)[-1]
        entry = claims.setdefault(
            cid,
            {
                "claim": cid,
                "direction": row["direction"],
                "other": str(row["other"]).rsplit("/", 1)[-1],
                "other_label": str(row["otherLabel"] or str(row["other"]).rsplit("/", 1)[-1]),
                "sign": signs.get(str(row["sign"]), str(row["sign"])),
                "status": statuses.get(str(row["status"]), str(row["status"])),
                "citations": [],
            },
        )
        if row["source"]:
            ref = refs.get(str(row["source"]).rsplit("/", 1)[-1])
            cites = entry["citations"]
            assert isinstance(cites, list)
            if ref and ref.citation not in cites:
                cites.append(ref.citation)
                cited[ref.key] = ref
    for entry in claims.values():
        entry["citations"].sort()  # type: ignore[attr-defined]
    narrower = sorted(str(r[0].value).rsplit("/", 1)[-1] for r in store.query(NARROWER, bind).rows if r[0])
    ordered = sorted(claims.values(), key=lambda c: (str(c["direction"]) != "out", str(c["other_label"]).casefold()))
    return {
        **concept.as_dict(),
        "narrower": narrower,
        "claims_out": [c for c in ordered if c["direction"] == "out"],
        "claims_in": [c for c in ordered if c["direction"] == "in"],
        "references": [
            {"key": r.key, "citation": r.citation, "title": r.title, "doi": r.doi, "pmid": r.pmid, "url": r.url}
            for r in sorted(cited.values(), key=lambda r: (r.citation.casefold(), r.key))
        ],
    }


def concept_text(data: dict[str, Any]) -> str:
    """A concept's card as text: names, mappings, claims in and out, then every reference with its
    DOI or PMID."""
    import textwrap

    out = [f"{data['label']}  {data['curie']} · {data['category']}"]
    if data.get("definition"):
        out.append(textwrap.fill(str(data["definition"]), 96))
    for key, title in (("synonyms", "synonyms"), ("broader", "broader"), ("narrower", "narrower")):
        if data.get(key):
            out.append(f"{title}: " + ", ".join(data[key]))
    out += [f"{m['match']} match: {m['curie']}  {m['iri']}" for m in data.get("mappings", [])]
    for key, title, arrow in (("claims_out", "claims out", "→"), ("claims_in", "claims in", "←")):
        out.append(f"{title} ({len(data[key])}):")
        for cl in data[key]:
            cites = "; ".join(cl["citations"]) or "no citation"
            out.append(f"  {arrow} {cl['other_label']}  [{cl['sign']}, {cl['status']}]  {cites}")
    if data.get("references"):
        out.append(f"references ({len(data['references'])}):")
        out += [f"  {r['citation']}  {_link(r)}".rstrip() for r in data["references"]]
    return "\n".join(out)


def _link(r: dict[str, Any]) -> str:
    return f"doi:{r['doi']}" if r.get("doi") else f"PMID:{r['pmid']}" if r.get("pmid") else ""


def _statement_local(text: str) -> str:
    """The local name a user means: ``gkcl:x``, ``gkas:x``, ``gkm:x``, a full IRI or ``x`` itself."""
    text = text.strip()
    for prefix in ("gkcl:", "gkas:", "gkm:"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text.rstrip("/").rsplit("/", 1)[-1]


def statement_card(store: Store, text: str) -> dict[str, object] | None:
    """A claim's, association's or measurement relation's card: what it says, its status or validity,
    its grade with the reasons, and every evidence item with its citation and DOI/PMID; None when
    ``text`` names no statement."""
    from gutkg.grading import grade
    from gutkg.network import _Items, read_associations, read_claims, read_measurements

    local = _statement_local(text)
    if "__" not in local:
        return None
    items = _Items(store)
    labels = {c.id: c.label for c in _concepts(store)}
    claims = read_claims(store, items)
    if local in claims:
        c = claims[local]
        g = grade(c["evidence"])
        arrow = {1: "─(+)→", -1: "─(−)→"}.get(c["sign"], "─(0)→")
        return {
            "kind": "causal claim",
            "id": f"gkcl:{local}",
            "iri": c["iri"],
            "says": f"{labels.get(c['cause'], c['cause'])} {arrow} {labels.get(c['effect'], c['effect'])}",
            "status": c["status"],
            "mechanism": c["mechanism"],
            "grade": g.as_dict(),
            "evidence": _items(c["evidence"]),
        }
    for a in read_associations(store, items):
        if a["id"] == local:
            return {
                "kind": "association (direction not shown)",
                "id": f"gkas:{local}",
                "iri": a["iri"],
                "says": f"{labels.get(a['a'], a['a'])} ~ {labels.get(a['b'], a['b'])} ({a['correlation']})",
                "status": "",
                "mechanism": a["description"],
                "grade": None,
                "evidence": _items(a["evidence"]),
            }
    for m in read_measurements(store, items):
        if m["id"] == local:
            return {
                "kind": "measurement relation",
                "id": f"gkm:{local}",
                "iri": m["iri"],
                "says": f"{labels.get(m['method'], m['method'])} reads {labels.get(m['measures'], m['measures'])}",
                "status": f"validity {m['validity']}",
                "mechanism": m["description"],
                "caveats": m["caveats"],
                "grade": m["grading"],
                "evidence": _items(m["evidence"]),
            }
    return None


def _concepts(store: Store) -> list[Concept]:
    from gutkg.concepts import ConceptIndex

    return list(ConceptIndex.from_store(store))


def _items(evidence: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    keys = (
        "id",
        "stance",
        "citation",
        "doi",
        "pmid",
        "direction",
        "model",
        "species",
        "strength_label",
        "zonulin_assay",
        "description",
        "counts",
    )
    return [{k: e.get(k) for k in keys} for e in evidence]


def statement_text(data: dict[str, object]) -> str:
    """The card as text (for the terminal)."""
    import textwrap

    out = [f"{data['says']}  [{data['kind']}; {data['id']}]"]
    if data.get("status"):
        out.append(f"status: {data['status']}")
    g = data.get("grade")
    if isinstance(g, dict):
        out.append(f"grade: {g['label']}")
        out += [f"  - {r}" for r in g["reasons"]]
    if data.get("mechanism"):
        out.append(textwrap.fill(str(data["mechanism"]), 100))
    for c in data.get("caveats") or []:  # type: ignore[attr-defined]
        out.append(textwrap.fill(f"caveat: {c}", 100, subsequent_indent="  "))
    evidence = data["evidence"]
    assert isinstance(evidence, list)
    out.append(f"evidence ({len(evidence)}):")
    for e in evidence:
        link = f"doi:{e['doi']}" if e.get("doi") else f"PMID:{e['pmid']}" if e.get("pmid") else ""
        where = "review" if e["model"] == "review synthesis" else ", ".join(e["species"]) or e["model"]
        counted = "counted" if e.get("counts") else "not counted"
        head = (
            f"{e['stance']}: {e['citation']} {link} — {e['direction']}, {where}, {e['strength_label']}"
            f" ({counted}){'; serum zonulin ELISA' if e.get('zonulin_assay') else ''}"
        )
        out.append(textwrap.fill(head, 100, initial_indent="  - ", subsequent_indent="      "))
        out.append(textwrap.fill(str(e["description"]), 100, initial_indent="      ", subsequent_indent="      "))
    return "\n".join(out)


def find_references(store: Store, text: str) -> list[Reference]:
    """References a user means by ``text``: a key, a DOI (bare or as a doi.org link), a PMID, an
    "Author Year" citation, or a surname / title word (case-insensitive)."""
    from gutkg.references import references

    refs = list(references(store).values())
    t = text.strip()
    low = t.lower().removeprefix("gkref:").removeprefix("https://doi.org/").removeprefix("doi:")
    exact = [
        r for r in refs if low in (r.key.lower(), r.doi.lower(), r.pmid, r.citation.lower()) or low == f"pmid:{r.pmid}"
    ]
    if exact:
        return exact
    words = low.split()
    year = next((w for w in words if w.isdigit() and len(w) == 4), None)
    names = [w for w in words if w != year]
    hits = []
    for r in refs:
        if year and str(r.year) != year:
            continue
        hay = f"{r.creator} {r.title} {r.key}".lower()
        if names and all(n in hay for n in names):
            hits.append(r)
    return sorted(hits, key=lambda r: (r.year or 0, r.key))


def reference_card(store: Store, text: str) -> dict[str, object] | None:
    """A reference's card: its record and every statement that cites it, with the stance and design
    of each item; None when ``text`` names exactly no reference (or several)."""
    found = find_references(store, text)
    return _reference_data(store, found[0]) if len(found) == 1 else None


def _reference_data(store: Store, ref: Reference) -> dict[str, Any]:
    from gutkg.network import _Items, read_associations, read_claims, read_measurements

    items = _Items(store)
    labels = {c.id: c.label for c in _concepts(store)}

    def name(i: str) -> str:
        return labels.get(i, i)

    rows = [
        (
            "causal claim",
            f"gkcl:{c['claim']}",
            f"{name(c['cause'])} {c['sign_label']} {name(c['effect'])}",
            c["status"],
            c["evidence"],
        )
        for c in read_claims(store, items).values()
    ]
    rows += [
        ("association", f"gkas:{a['id']}", f"{name(a['a'])} ~ {name(a['b'])}", "", a["evidence"])
        for a in read_associations(store, items)
    ]
    rows += [
        (
            "measurement",
            f"gkm:{m['id']}",
            f"{name(m['method'])} reads {name(m['measures'])}",
            m["validity"],
            m["evidence"],
        )
        for m in read_measurements(store, items)
    ]
    cited = [
        {
            "statement": sid,
            "kind": kind,
            "says": says,
            "status": status,
            "stance": e["stance"],
            "design": e["direction"],
            "description": e["description"],
        }
        for kind, sid, says, status, evidence in rows
        for e in evidence
        if e["source"] == ref.key
    ]
    return {"reference": ref.as_dict(), "cited_by": sorted(cited, key=lambda c: str(c["statement"]))}


def reference_text(data: dict[str, object]) -> str:
    """A reference's card as text: the record with its DOI or PMID, then each citing statement."""
    import textwrap

    r = data["reference"]
    assert isinstance(r, dict)
    link = f"doi:{r['doi']}" if r.get("doi") else f"PMID:{r['pmid']}" if r.get("pmid") else ""
    where = " ".join(str(x) for x in (r.get("journal"), r.get("year")) if x)
    out = [f"{r['citation']}: {r['title']}", f"{where}  {link}  ({r['verification']}; gkref:{r['key']})"]
    cited = data["cited_by"]
    assert isinstance(cited, list)
    out.append(f"cited by {len(cited)} evidence item(s):")
    for c in cited:
        out.append(
            textwrap.fill(
                f"{c['stance']}: {c['says']} [{c['kind']}{', ' + c['status'] if c['status'] else ''}; {c['design']}]",
                100,
                initial_indent="  - ",
                subsequent_indent="      ",
            )
        )
        out.append(f"      {c['statement']}")
    return "\n".join(out)
