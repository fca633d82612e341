"""What the graph holds: counts by category, status, sign, evidence strength and species."""

from __future__ import annotations

from collections import Counter

from gutkg.namespaces import prologue
from gutkg.store import Store

_P = (
    prologue("gkv", "rdfs", "skos", "obo", "bibo", "dcterms")
    + """
"""
)
_COUNTS = {
    "concepts_by_category": _P
    + """SELECT ?key (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?c a ?key . ?key rdfs:subClassOf gkv:Concept } GROUP BY ?key""",
    "claims_by_status": _P
    + """SELECT ?key (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?c a gkv:CausalClaim ; gkv:status ?key } GROUP BY ?key""",
    "claims_by_sign": _P
    + """SELECT ?key (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?c a gkv:CausalClaim ; gkv:sign ?key } GROUP BY ?key""",
    "evidence_by_strength": _P
    + """SELECT ?key (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e a gkv:Evidence ; gkv:strength ?key } GROUP BY ?key""",
    "evidence_by_species": _P
    + """SELECT ?key (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e a gkv:Evidence ; gkv:species ?key } GROUP BY ?key""",
    "evidence_by_model": _P
    + """SELECT ?key (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e a gkv:Evidence ; gkv:model ?key } GROUP BY ?key""",
    "evidence_by_stance": _P
    + """SELECT ?key (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e a gkv:Evidence ; gkv:stance ?key } GROUP BY ?key""",
}
_TOTALS = (
    _P
    + """SELECT
  (COUNT(DISTINCT ?concept) AS ?concepts) (COUNT(DISTINCT ?claim) AS ?claims)
  (COUNT(DISTINCT ?ev) AS ?evidence) (COUNT(DISTINCT ?ref) AS ?references)
  (COUNT(DISTINCT ?q) AS ?questions) (COUNT(DISTINCT ?h) AS ?hypotheses)
  (COUNT(DISTINCT ?mapped) AS ?mapped_concepts) (COUNT(DISTINCT ?cited) AS ?cited_claims)
WHERE {
  { ?concept a ?cat . ?cat rdfs:subClassOf gkv:Concept }
  UNION { ?claim a gkv:CausalClaim } UNION { ?ev a gkv:Evidence }
  UNION { ?ref a ?t . ?t rdfs:subClassOf* bibo:Document } UNION { ?q a gkv:Question }
  UNION { ?h a gkv:Hypothesis }
  UNION { ?mapped a ?cat2 . ?cat2 rdfs:subClassOf gkv:Concept . ?mapped skos:exactMatch|skos:closeMatch ?m }
  UNION { ?cited a gkv:CausalClaim ; obo:RO_0002558/dcterms:source ?src }
}"""
)
_DISSENT = (
    _P
    + """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a gkv:CausalClaim .
  { ?c gkv:status ?s FILTER (?s IN (gkv:Contested, gkv:Refuted)) }
  UNION { ?c gkv:sign gkv:NoEffect }
  UNION { ?c obo:RO_0002558/gkv:stance gkv:Opposes }
}"""
)


def summary(store: Store) -> dict[str, object]:
    """Counts describing ``store``; every key is stable for scripts (``gutkg info --format json``)."""
    from gutkg import __version__
    from gutkg.vocab import CATEGORIES, MODELS, SIGNS, SPECIES, STANCES, STATUSES, STRENGTHS

    names: dict[str, str] = {
        str(k): v for k, v in {**CATEGORIES, **SIGNS, **STATUSES, **MODELS, **STANCES, **SPECIES}.items()
    }
    names.update({str(k): v[1] for k, v in STRENGTHS.items()})
    out: dict[str, object] = {"version": __version__, "backend": store.backend, "triples": len(store)}
    totals = store.query(_TOTALS).dicts()[0]
    out.update({k: int(v or 0) for k, v in totals.items()})  # type: ignore[call-overload]
    for key, sparql in _COUNTS.items():
        counts: Counter[str] = Counter()
        for row in store.query(sparql).dicts():
            counts[names.get(str(row["key"]), str(row["key"]).rsplit("/", 1)[-1])] += int(row["n"] or 0)  # type: ignore[call-overload]
        out[key] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    dissent = int(store.query(_DISSENT).dicts()[0]["n"] or 0)  # type: ignore[call-overload]
    claims = int(out["claims"] or 0)  # type: ignore[call-overload]
    out["dissenting_claims"] = dissent
    out["dissent_share"] = round(dissent / claims, 3) if claims else 0.0
    return out
