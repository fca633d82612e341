"""vocab.py is closed and matches ontology/gutkg.ttl both ways."""

from __future__ import annotations

import pytest
import rdflib

from gutkg.loading import ontology_files
from gutkg.vocab import CATEGORIES, GKV, STRENGTHS


def ontology_terms() -> set[str]:
    g = rdflib.Graph().parse(ontology_files()[0])
    ns = str(GKV._NS)
    return {str(s) for s in g.subjects() if str(s).startswith(ns)}


def test_every_vocab_term_is_defined_in_the_ontology():
    declared = {str(GKV[name]) for name in GKV.__annotations__}
    missing = declared - ontology_terms()
    assert declared, "vocab.py declares no terms"
    assert not missing, f"in vocab.py but not in ontology/gutkg.ttl: {sorted(missing)}"


def test_every_ontology_term_is_in_vocab():
    declared = {str(GKV[name]) for name in GKV.__annotations__}
    extra = ontology_terms() - declared
    assert not extra, f"in ontology/gutkg.ttl but not in vocab.py: {sorted(extra)}"


def test_every_term_has_label_and_comment():
    g = rdflib.Graph().parse(ontology_files()[0])
    for term in ontology_terms():
        s = rdflib.URIRef(term)
        assert g.value(s, rdflib.RDFS.label), f"{term} has no rdfs:label"
        assert g.value(s, rdflib.RDFS.comment), f"{term} has no rdfs:comment"


def test_a_typo_fails_at_import_time():
    with pytest.raises(AttributeError):
        GKV.CasualClaim  # noqa: B018


def test_strength_scale_is_ordered_in_the_ontology():
    g = rdflib.Graph().parse(ontology_files()[0])
    for term, (rank, _name) in STRENGTHS.items():
        assert int(g.value(term, GKV.rank)) == rank


def test_categories_are_subclasses_of_concept():
    g = rdflib.Graph().parse(ontology_files()[0])
    for cls in CATEGORIES:
        assert (cls, rdflib.RDFS.subClassOf, GKV.Concept) in g


def test_namespace_strings_are_rdflibs_own():
    """gutkg.namespaces spells the namespaces as plain strings (for code without rdflib); the standard
    ones must be exactly rdflib's, and vocab's namespaces are built from them."""
    from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

    from gutkg import vocab
    from gutkg.namespaces import PREFIXES, prologue

    for name, ns in {
        "rdf": RDF,
        "rdfs": RDFS,
        "owl": OWL,
        "xsd": XSD,
        "skos": SKOS,
        "dcterms": DCTERMS,
        "prov": PROV,
    }.items():
        assert PREFIXES[name] == str(ns), name
    assert vocab.PREFIXES == PREFIXES
    assert str(vocab.GKV.CausalClaim).startswith(PREFIXES["gkv"])
    assert str(vocab.CONCEPT["zonulin"]) == PREFIXES["gkc"] + "zonulin"
    assert prologue("gkv").startswith("PREFIX gkv: <https://w3id.org/gutkg/vocab#>")


def test_no_module_spells_a_prefix_line():
    """SPARQL prologues are built with gutkg.namespaces.prologue, never typed out with an IRI."""
    import re

    from tests.conftest import ROOT

    offenders = []
    for path in sorted((ROOT / "src" / "gutkg").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*PREFIX \w+: <", line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert not offenders, "write these with gutkg.namespaces.prologue(...): " + ", ".join(offenders)
