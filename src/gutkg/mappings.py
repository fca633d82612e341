"""External identifiers: IRI <-> CURIE for the mappings the graph carries."""

from __future__ import annotations

from gutkg.vocab import CURIE_PREFIXES

_DISPLAY = {"NCBITAXON": "NCBITaxon", "UNIPROTKB": "UniProtKB", "INTERPRO": "InterPro"}
_BY_NS = sorted(((ns, _DISPLAY.get(p, p)) for p, ns in CURIE_PREFIXES.items()), key=lambda x: -len(x[0]))


def curie_of(iri: str) -> str:
    """The CURIE users know for a mapped IRI (the IRI itself when no prefix fits).

    >>> curie_of("http://purl.obolibrary.org/obo/MONDO_0005130")
    'MONDO:0005130'
    >>> curie_of("http://id.nlm.nih.gov/mesh/D002446")
    'MESH:D002446'
    """
    for ns, prefix in _BY_NS:
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def iri_of(curie: str) -> str | None:
    """The IRI for a CURIE with a known prefix, else None.

    >>> iri_of("mondo:0005130")
    'http://purl.obolibrary.org/obo/MONDO_0005130'
    """
    prefix, sep, local = curie.partition(":")
    if not sep:
        return None
    ns = CURIE_PREFIXES.get(prefix.upper())
    return ns + local if ns else None
