"""The only module that turns RDF claims into a ``networkx.MultiDiGraph``.

Node = concept id (``zonulin``), with ``label``, ``category``, ``iri``, ``definition``,
``synonyms`` (list), ``broader`` (ids) and ``mappings`` (list of ``{curie, iri, match}``).
Edge key = claim id, with:

``sign`` (+1, -1, 0), ``sign_label``, ``status``, ``mechanism``, ``hypotheses`` (ids),
``evidence`` (list of dicts: ``id``, ``source``, ``citation``, ``url``, ``doi``, ``pmid``, ``stance``,
``type``, ``design``, ``species``, ``model``, ``system`` (species or model: ``human``, ``mouse``,
``rat``, ``in vitro``...), ``direction``, ``strength`` (rank 1-4), ``strength_label``,
``zonulin_assay``, ``description``, ``primary`` (not a review), ``counts`` (primary and
direction-showing: the items status and grade rest on)), and summaries:
``strength`` (the claim's grade level 0-4 from :func:`gutkg.grading.grade`: design, directness,
assay validity and consistency of its counted items), ``strength_label`` (none, very low, low,
moderate, high; "(conflicting)" when good evidence stands on both sides), ``grading`` (the
:class:`~gutkg.grading.Grade` as a dict, with its reasons), ``systems`` (species or model of the
supporting items; ``review`` for synthesis), ``directions``, ``designs``, ``citations`` (short citations
of all evidence), ``opposed`` (any opposing item).

Graph attributes: ``questions`` {id: {label, definition, hypotheses}}, ``hypotheses``
{id: {label, definition, question, claims}}, ``references`` {key: dict}, ``broader``
{concept id: [broader concept ids]} (the skos:broader hierarchy, e.g. celiac disease ->
autoimmune disease; concepts without a broader one are absent), ``stages`` {stage id: [disease
ids]} (``gkv:stageOf``), ``associations`` [{id, a, b, correlation, description, evidence}] and
``measurements`` [{id, method, measures, pathway, validity, caveats, description, evidence}]:
statements that are not causes, so never edges of the graph.

The summaries are recomputed by :func:`summarise` after evidence filters
(:mod:`gutkg.analysis.filters`) drop items, so every consumer reads the same fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from gutkg.attributes import ClaimEdge, ClaimRecord, EvidenceItem
from gutkg.namespaces import prologue
from gutkg.store import Store

if TYPE_CHECKING:
    import networkx as nx

ASSOCIATIONS = (
    prologue("gkv", "obo", "dcterms")
    + """
SELECT ?s ?concept ?correlation ?description ?ev WHERE {
  ?s a gkv:Association ; gkv:associates ?concept .
  OPTIONAL { ?s gkv:correlation ?correlation }
  OPTIONAL { ?s dcterms:description ?description }
  OPTIONAL { ?s obo:RO_0002558 ?ev }
}"""
)

MEASUREMENTS = (
    prologue("gkv", "obo", "dcterms")
    + """
SELECT ?s ?method ?measures ?pathway ?validity ?caveat ?description ?ev WHERE {
  ?s a gkv:Measurement ; gkv:method ?method ; gkv:measures ?measures .
  OPTIONAL { ?s gkv:pathway ?pathway }
  OPTIONAL { ?s gkv:validity ?validity }
  OPTIONAL { ?s gkv:caveat ?caveat }
  OPTIONAL { ?s dcterms:description ?description }
  OPTIONAL { ?s obo:RO_0002558 ?ev }
}"""
)

CLAIMS = (
    prologue("gkv", "obo")
    + """
SELECT ?claim ?cause ?effect ?sign ?status ?mechanism ?ev WHERE {
  ?claim a gkv:CausalClaim ; gkv:cause ?cause ; gkv:effect ?effect ; gkv:sign ?sign ; gkv:status ?status .
  OPTIONAL { ?claim gkv:mechanism ?mechanism }
  OPTIONAL { ?claim obo:RO_0002558 ?ev }
}"""
)

#: Evidence items, one flat query: nesting these OPTIONALs inside the claim's OPTIONAL makes
#: Virtuoso 7.2 estimate ~4,000 s and refuse the query (MaxQueryCostEstimationTime).
EVIDENCE = (
    prologue("gkv", "obo", "dcterms")
    + """
SELECT DISTINCT ?ev ?source ?stance ?etype ?design ?species ?model ?direction ?strength ?zonulin
       ?description WHERE {
  ?statement obo:RO_0002558 ?ev .
  OPTIONAL { ?ev dcterms:source ?source }
  OPTIONAL { ?ev gkv:stance ?stance }
  OPTIONAL { ?ev gkv:evidenceType ?etype }
  OPTIONAL { ?ev gkv:studyDesign ?design }
  OPTIONAL { ?ev gkv:species ?species }
  OPTIONAL { ?ev gkv:model ?model }
  OPTIONAL { ?ev gkv:directionEvidence ?direction }
  OPTIONAL { ?ev gkv:strength ?strength }
  OPTIONAL { ?ev gkv:restsOnZonulinAssay ?zonulin }
  OPTIONAL { ?ev dcterms:description ?description }
}"""
)


_EVIDENCE_VARS = (
    "source",
    "stance",
    "etype",
    "design",
    "species",
    "model",
    "direction",
    "strength",
    "zonulin",
    "description",
)


def _evidence_rows(store: Store) -> dict[object, list[dict[str, object]]]:
    """Rows of EVIDENCE grouped by evidence item (one row per species)."""
    items: dict[object, list[dict[str, object]]] = {}
    for row in store.query(EVIDENCE).dicts():
        items.setdefault(row["ev"], []).append(row)
    return items


HYPOTHESES = (
    prologue("gkv", "skos", "dcterms")
    + """
SELECT ?q ?qlabel ?qdef ?exposure ?outcome ?h ?hlabel ?hdef ?role ?claim WHERE {
  ?q a gkv:Question . OPTIONAL { ?q skos:prefLabel ?qlabel } OPTIONAL { ?q skos:definition ?qdef }
  OPTIONAL { ?q gkv:exposure ?exposure } OPTIONAL { ?q gkv:outcome ?outcome }
  OPTIONAL {
    ?h gkv:answers ?q . OPTIONAL { ?h skos:prefLabel ?hlabel } OPTIONAL { ?h skos:definition ?hdef }
    OPTIONAL { ?h gkv:role ?role }
    OPTIONAL { ?h dcterms:hasPart ?claim }
  }
}"""
)

#: Known OBI study designs and ECO evidence types, for readable labels (verified rows only).
DESIGN_LABELS = {
    "OBI_0004001": "randomized clinical trial",
    "OBI_0004002": "non-randomized clinical trial",
    "OBI_0003699": "clinical trial",
    "OBI_0003697": "clinical investigation",
    "OBI_0003693": "observational investigation",
    "OBI_0003698": "observational clinical investigation",
    "OBI_0003694": "longitudinal investigation",
    "OBI_0003692": "case-control investigation",
    "OBI_0003696": "animal investigation",
}
EVIDENCE_LABELS = {
    "ECO_0000000": "evidence",
    "ECO_0000006": "experimental evidence",
    "ECO_0000269": "experimental evidence used in manual assertion",
    "ECO_0000180": "clinical study evidence",
    "ECO_0007121": "clinical study evidence",
    "ECO_0000179": "animal model system study evidence",
    "ECO_0007120": "animal model system study evidence",
    "ECO_0000181": "in vitro assay evidence",
    "ECO_0007122": "in vitro assay evidence",
    "ECO_0000178": "in vivo assay evidence",
    "ECO_0000204": "author statement",
    "ECO_0000304": "traceable author statement",
    "ECO_0000303": "author statement without traceable support",
    "ECO_0006016": "author statement supported from referenced clinical study",
    "ECO_0000305": "curator inference",
    "ECO_0007645": "curator inference from journal publication",
    "ECO_0001091": "knockout phenotypic evidence",
    "ECO_0001021": "cell permeability assay evidence",
    "ECO_0005587": "confocal microscopy evidence",
}


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class _Items:
    """Builds evidence-item dicts from EVIDENCE rows, with the value sets resolved once."""

    def __init__(self, store: Store) -> None:
        from gutkg.references import references
        from gutkg.vocab import DIRECTIONS, MODELS, SPECIES, STANCES, STRENGTHS

        self.rows = _evidence_rows(store)
        self.refs = references(store)
        self.strength_of = {str(k): v for k, v in STRENGTHS.items()}
        self.species_of = {str(k): v for k, v in SPECIES.items()}
        self.model_of = {str(k): v for k, v in MODELS.items()}
        self.direction_of = {str(k): v for k, v in DIRECTIONS.items()}
        self.stance_of = {str(k): v for k, v in STANCES.items()}

    def item(self, ev: object) -> EvidenceItem | None:
        """The evidence item ``ev`` as a dict, or None when it is not defined."""
        from gutkg.grading import counts, is_primary

        rows = self.rows.get(ev)
        if not rows:
            return None
        row = rows[0]
        ref = self.refs.get(_local(str(row["source"]))) if row["source"] else None
        rank, slabel = self.strength_of.get(str(row["strength"]), (0, "none"))
        design = _local(str(row["design"])) if row["design"] else ""
        etype = _local(str(row["etype"])) if row["etype"] else ""
        item: dict[str, Any] = {  # completed below, then an EvidenceItem
            "id": _local(str(ev)),
            "source": ref.key if ref else "",
            "citation": ref.citation if ref else "",
            "url": ref.url if ref else "",
            "doi": ref.doi if ref else "",
            "pmid": ref.pmid if ref else "",
            "stance": self.stance_of.get(str(row["stance"]), "supports"),
            "type": etype.replace("_", ":"),
            "type_label": EVIDENCE_LABELS.get(etype, etype),
            "design": design.replace("_", ":"),
            "design_label": DESIGN_LABELS.get(design, design),
            "species": sorted(
                {
                    self.species_of.get(str(r["species"]), _local(str(r["species"])).replace("_", ":"))
                    for r in rows
                    if r["species"] is not None
                }
            ),
            "model": self.model_of.get(str(row["model"]), ""),
            "direction": self.direction_of.get(str(row["direction"]), ""),
            "strength": rank,
            "strength_label": slabel,
            "zonulin_assay": bool(row["zonulin"]) and str(row["zonulin"]).lower() not in ("false", "0"),
            "description": str(row["description"] or ""),
        }
        item["system"] = system_of(item)
        item["primary"] = is_primary(item)
        item["counts"] = counts(item)
        return cast("EvidenceItem", item)

    def items(self, evs: list[object]) -> list[EvidenceItem]:
        found = [i for i in (self.item(ev) for ev in dict.fromkeys(evs)) if i is not None]
        return sorted(found, key=lambda e: e["id"])


def read_claims(store: Store, items: _Items | None = None) -> dict[str, ClaimRecord]:
    """Every causal claim of ``store`` as a plain dict (cause, effect, sign, status, evidence...).

    Claims missing cause, effect, sign or status are not silently skipped: ``gutkg validate``
    reports them, and the query requires all four, so such a claim simply is not a claim here.
    """
    from gutkg.vocab import SIGN_VALUE, SIGNS, STATUSES

    items = items or _Items(store)
    sign_of = {str(k): v for k, v in SIGN_VALUE.items()}
    sign_label = {str(k): v for k, v in SIGNS.items()}
    status_of = {str(k): v for k, v in STATUSES.items()}
    claims: dict[str, ClaimRecord] = {}
    evs: dict[str, list[object]] = {}
    for row in store.query(CLAIMS).dicts():
        cid = _local(str(row["claim"]))
        claims.setdefault(
            cid,
            {
                "claim": cid,
                "iri": str(row["claim"]),
                "cause": _local(str(row["cause"])),
                "effect": _local(str(row["effect"])),
                "sign": sign_of.get(str(row["sign"]), 0),
                "sign_label": sign_label.get(str(row["sign"]), "?"),
                "status": status_of.get(str(row["status"]), _local(str(row["status"]))),
                "mechanism": str(row["mechanism"] or ""),
                "hypotheses": [],
            },
        )
        if row["ev"] is not None:
            evs.setdefault(cid, []).append(row["ev"])
    for cid, claim in claims.items():
        claim["evidence"] = items.items(evs.get(cid, []))
    return claims


def read_associations(store: Store, items: _Items | None = None) -> list[dict[str, Any]]:
    """Every association (undirected, RO:0002610) with its evidence items."""
    from gutkg.vocab import CORRELATIONS

    items = items or _Items(store)
    corr_of = {str(k): v for k, v in CORRELATIONS.items()}
    found: dict[str, dict[str, Any]] = {}
    evs: dict[str, list[object]] = {}
    for row in store.query(ASSOCIATIONS).dicts():
        aid = _local(str(row["s"]))
        a = found.setdefault(
            aid,
            {
                "id": aid,
                "iri": str(row["s"]),
                "concepts": set(),
                "correlation": corr_of.get(str(row["correlation"]), "positive"),
                "description": str(row["description"] or ""),
            },
        )
        a["concepts"].add(_local(str(row["concept"])))
        if row["ev"] is not None:
            evs.setdefault(aid, []).append(row["ev"])
    out = []
    for aid, a in sorted(found.items()):
        ends = sorted(a.pop("concepts"))
        a["a"], a["b"] = (ends + ends)[:2]
        a["evidence"] = items.items(evs.get(aid, []))
        a["citations"] = sorted({e["citation"] for e in a["evidence"] if e["citation"]})
        a["systems"] = sorted({s for e in a["evidence"] for s in e["system"].split(", ") if e["stance"] == "supports"})
        a["designs"] = sorted({e["direction"] for e in a["evidence"] if e["direction"]})
        a["opposed"] = any(e["stance"] == "opposes" for e in a["evidence"])
        out.append(a)
    return out


def read_measurements(store: Store, items: _Items | None = None) -> list[dict[str, Any]]:
    """Every measurement relation (test -> state it reads) with validity, caveats and evidence."""
    from gutkg.grading import grade
    from gutkg.vocab import VALIDITIES

    items = items or _Items(store)
    validity_of = {str(k): v for k, v in VALIDITIES.items()}
    found: dict[str, dict[str, Any]] = {}
    evs: dict[str, list[object]] = {}
    for row in store.query(MEASUREMENTS).dicts():
        mid = _local(str(row["s"]))
        m = found.setdefault(
            mid,
            {
                "id": mid,
                "iri": str(row["s"]),
                "method": _local(str(row["method"])),
                "measures": _local(str(row["measures"])),
                "pathway": [],
                "validity": validity_of.get(str(row["validity"]), ""),
                "caveats": [],
                "description": str(row["description"] or ""),
            },
        )
        if row["pathway"] is not None and _local(str(row["pathway"])) not in m["pathway"]:
            m["pathway"].append(_local(str(row["pathway"])))
        if row["caveat"] is not None and str(row["caveat"]) not in m["caveats"]:
            m["caveats"].append(str(row["caveat"]))
        if row["ev"] is not None:
            evs.setdefault(mid, []).append(row["ev"])
    out = []
    for mid, m in sorted(found.items()):
        m["pathway"].sort()
        m["caveats"].sort()
        m["evidence"] = items.items(evs.get(mid, []))
        m["citations"] = sorted({e["citation"] for e in m["evidence"] if e["citation"]})
        g = grade(m["evidence"], measurement=True)
        m["strength"], m["strength_label"], m["grading"] = g.level, g.label, g.as_dict()
        out.append(m)
    return out


def to_network(store: Store) -> nx.MultiDiGraph:
    """Project the claims of ``store`` onto a MultiDiGraph (see the module docstring)."""
    import networkx as nx

    from gutkg.concepts import ConceptIndex

    graph = nx.MultiDiGraph()
    index = ConceptIndex.from_store(store)
    for c in index:
        graph.add_node(
            c.id,
            label=c.label,
            category=c.category,
            iri=c.iri,
            definition=c.definition,
            synonyms=list(c.synonyms),
            broader=list(c.broader),
            stage_of=list(c.stage_of),
            rarely_measured=c.rarely_measured,
            mappings=c.as_dict()["mappings"],
        )
    graph.graph["broader"] = {c.id: list(c.broader) for c in index if c.broader}
    graph.graph["stages"] = {c.id: list(c.stage_of) for c in index if c.stage_of}
    items = _Items(store)
    graph.graph["references"] = {k: r.as_dict() for k, r in items.refs.items()}
    claims = read_claims(store, items)
    graph.graph["associations"] = read_associations(store, items)
    graph.graph["measurements"] = read_measurements(store, items)

    from gutkg.vocab import ROLES

    role_of = {str(k): v for k, v in ROLES.items()}
    questions: dict[str, dict[str, Any]] = {}
    hypotheses: dict[str, dict[str, Any]] = {}
    for row in store.query(HYPOTHESES).dicts():
        qid = _local(str(row["q"]))
        q = questions.setdefault(
            qid,
            {
                "id": qid,
                "label": str(row["qlabel"] or qid),
                "definition": str(row["qdef"] or ""),
                "hypotheses": [],
                "exposure": _local(str(row["exposure"])) if row["exposure"] else "",
                "outcome": _local(str(row["outcome"])) if row["outcome"] else "",
            },
        )
        if row["h"] is None:
            continue
        hid = _local(str(row["h"]))
        h = hypotheses.setdefault(
            hid,
            {
                "id": hid,
                "label": str(row["hlabel"] or hid),
                "definition": str(row["hdef"] or ""),
                "question": qid,
                "role": role_of.get(str(row["role"]), ""),
                "claims": [],
            },
        )
        if hid not in q["hypotheses"]:
            q["hypotheses"].append(hid)
        if row["claim"] is not None:
            cl = _local(str(row["claim"]))
            if cl not in h["claims"]:
                h["claims"].append(cl)
            if cl in claims and hid not in claims[cl]["hypotheses"]:
                claims[cl]["hypotheses"].append(hid)
    for q in questions.values():
        q["hypotheses"].sort()
    for h in hypotheses.values():
        h["claims"].sort()
    graph.graph["questions"] = dict(sorted(questions.items()))
    graph.graph["hypotheses"] = dict(sorted(hypotheses.items()))

    for cid in sorted(claims):
        claim = claims[cid]
        claim["hypotheses"].sort()
        for end in (claim["cause"], claim["effect"]):
            if end not in graph:
                graph.add_node(
                    end,
                    label=end,
                    category="unknown",
                    iri="",
                    definition="",
                    synonyms=[],
                    broader=[],
                    stage_of=[],
                    mappings=[],
                )
        attrs = {k: v for k, v in claim.items() if k not in {"cause", "effect"}}
        graph.add_edge(claim["cause"], claim["effect"], key=cid, **attrs)
        summarise(graph.edges[claim["cause"], claim["effect"], cid])
    return graph


def system_of(item: dict[str, Any]) -> str:
    """Species or model of an evidence item: ``review`` for synthesis (never a species), ``in vitro``
    for cell culture, else the species.

    >>> system_of({"model": "in vitro", "species": ["human"]})
    'in vitro'
    >>> system_of({"model": "in vivo", "species": ["mouse"]})
    'mouse'
    >>> system_of({"model": "review synthesis", "species": []})
    'review'
    """
    from gutkg.scales import SYNTHESIS

    if item.get("model") == SYNTHESIS:
        return "review"
    if item.get("model") == "in vitro":
        return "in vitro"
    species = item.get("species") or []
    return ", ".join(species) if species else "unspecified"


def summarise(edge: ClaimEdge) -> ClaimEdge:
    """Recompute an edge's grade and evidence summaries from its ``evidence`` list (in place)."""
    from gutkg.grading import grade

    g = grade(edge["evidence"])
    supporting = [e for e in edge["evidence"] if e["stance"] == "supports"]
    edge["strength"] = g.level
    edge["strength_label"] = g.label
    edge["grading"] = g.as_dict()
    edge["systems"] = sorted({s.strip() for e in supporting for s in e["system"].split(",")})
    edge["directions"] = sorted({e["direction"] for e in supporting if e["direction"]})
    edge["designs"] = sorted({e["design_label"] for e in supporting if e["design_label"]})
    edge["citations"] = sorted({e["citation"] for e in edge["evidence"] if e["citation"]})
    edge["opposed"] = any(e["stance"] == "opposes" for e in edge["evidence"])
    return edge
