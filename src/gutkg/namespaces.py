"""Namespace IRIs as plain strings, with the SPARQL prefix lines built from them.

The part of the vocabulary that code without rdflib needs (queries sent to any store, the name
index, reference cards). :mod:`gutkg.vocab` builds its rdflib namespaces from these strings, so each
namespace IRI is spelt once, here; every term IRI is spelt in :mod:`gutkg.vocab`. A test checks the
standard namespaces against rdflib's own.

>>> prologue("gkv", "skos")
'PREFIX gkv: <https://w3id.org/gutkg/vocab#>\\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n'
"""

from __future__ import annotations

#: Where every gutkg IRI lives.
BASE = "https://w3id.org/gutkg/"

#: Prefix -> namespace IRI: gutkg's own, then the vocabularies it reuses. Used when writing Turtle,
#: when reading CURIEs given by users and in every SPARQL prologue.
PREFIXES: dict[str, str] = {
    "gkv": BASE + "vocab#",
    "gkc": BASE + "concept/",
    "gkcl": BASE + "claim/",
    "gkas": BASE + "association/",
    "gkm": BASE + "measurement/",
    "gkev": BASE + "evidence/",
    "gkref": BASE + "ref/",
    "gkh": BASE + "hypothesis/",
    "gkq": BASE + "question/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "bibo": "http://purl.org/ontology/bibo/",
    "obo": "http://purl.obolibrary.org/obo/",
    "biolink": "https://w3id.org/biolink/vocab/",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "uniprot": "http://purl.uniprot.org/uniprot/",
    "sh": "http://www.w3.org/ns/shacl#",
}


def prologue(*names: str) -> str:
    """SPARQL ``PREFIX`` lines for ``names`` (keys of :data:`PREFIXES`), so no query spells an IRI."""
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)
