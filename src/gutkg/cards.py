"""A concept's card: names, definition, mappings, and the claims in and out with citations."""

from __future__ import annotations

from gutkg.concepts import Concept
from gutkg.store import Store, Term

CLAIMS = """
PREFIX gkv: <https://w3id.org/gutkg/vocab#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?claim ?direction ?other ?otherLabel ?sign ?status ?source WHERE {
  { ?claim gkv:cause ?concept ; gkv:effect ?other . BIND("out" AS ?direction) }
  UNION { ?claim gkv:effect ?concept ; gkv:cause ?other . BIND("in" AS ?direction) }
  ?claim a gkv:CausalClaim ; gkv:sign ?sign ; gkv:status ?status .
  OPTIONAL { ?other skos:prefLabel ?otherLabel }
  OPTIONAL { ?claim obo:RO_0002558/dcterms:source ?source }
}"""
NARROWER = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?n WHERE { ?n skos:broader ?concept }"""


def card(store: Store, concept: Concept) -> dict[str, object]:
    """Everything ``gutkg show`` prints about ``concept``, as plain data."""
    from gutkg.references import references
    from gutkg.vocab import SIGNS, STATUSES

    refs = references(store)
    signs = {str(k): v for k, v in SIGNS.items()}
    statuses = {str(k): v for k, v in STATUSES.items()}
    bind = {"concept": Term.iri(concept.iri)}
    claims: dict[str, dict[str, object]] = {}
    for row in store.query(CLAIMS, bind).dicts():
        cid = str(row["claim"]).rsplit("/", 1)[-1]
        entry = claims.setdefault(cid, {
            "claim": cid, "direction": row["direction"],
            "other": str(row["other"]).rsplit("/", 1)[-1],
            "other_label": str(row["otherLabel"] or str(row["other"]).rsplit("/", 1)[-1]),
            "sign": signs.get(str(row["sign"]), str(row["sign"])),
            "status": statuses.get(str(row["status"]), str(row["status"])),
            "citations": []})
        if row["source"]:
            ref = refs.get(str(row["source"]).rsplit("/", 1)[-1])
            cites = entry["citations"]
            assert isinstance(cites, list)
            if ref and ref.citation not in cites:
                cites.append(ref.citation)
    for entry in claims.values():
        entry["citations"].sort()  # type: ignore[attr-defined]
    narrower = sorted(str(r[0].value).rsplit("/", 1)[-1] for r in store.query(NARROWER, bind).rows if r[0])
    ordered = sorted(claims.values(), key=lambda c: (str(c["direction"]) != "out", str(c["other_label"]).casefold()))
    return {**concept.as_dict(), "narrower": narrower,
            "claims_out": [c for c in ordered if c["direction"] == "out"],
            "claims_in": [c for c in ordered if c["direction"] == "in"]}
