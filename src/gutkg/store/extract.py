"""Cut a sub-graph out of a store and serialise it: the RDF behind an export of a selection.

:func:`describe` returns every triple whose subject is one of the given IRIs (one SPARQL
CONSTRUCT over a VALUES block, so it works on every backend, remote endpoints included), and
:func:`serialise` writes triples as Turtle, N-Triples or JSON-LD with gutkg's prefixes. Only this
package talks to rdflib, so exporters stay free of it.

>>> from gutkg.store import new_store
>>> s = new_store()
>>> s.load('<http://e.org/a> <http://e.org/p> "x" . <http://e.org/b> <http://e.org/p> "y" .')
>>> [t[2].value for t in describe(s, ["http://e.org/a"])]
['x']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from gutkg.errors import StoreError
from gutkg.store.base import Store
from gutkg.store.terms import Term, Triple

#: RDF formats :func:`serialise` writes, with rdflib's name for each.
SERIALISATIONS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}
#: Characters an IRI may not contain (RFC 3987 excluded characters, as SPARQL's IRIREF).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
#: IRIs per CONSTRUCT query (keeps queries to remote endpoints a sane size).
_CHUNK = 400


def describe(store: Store, iris: Iterable[str]) -> list[Triple]:
    """Every triple of ``store`` whose subject is in ``iris``, sorted (deterministic output)."""
    wanted = sorted(set(iris))
    for iri in wanted:
        if not iri or _BAD_IRI.search(iri):
            raise StoreError(f"cannot describe {iri!r}: not a valid IRI")
    triples: set[Triple] = set()
    for start in range(0, len(wanted), _CHUNK):
        values = " ".join(f"<{iri}>" for iri in wanted[start : start + _CHUNK])
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}")
        triples.update(result.triples)
    return sorted(triples)


def serialise(triples: Iterable[Triple], fmt: str, prefixes: Mapping[str, str] | None = None) -> bytes:
    """``triples`` as ``turtle``, ``ntriples`` or ``jsonld`` (UTF-8), with ``prefixes`` bound.

    >>> t = (Term.iri("http://e.org/a"), Term.iri("http://e.org/p"), Term.literal("x", lang="en"))
    >>> serialise([t], "ntriples").decode().strip()
    '<http://e.org/a> <http://e.org/p> "x"@en .'
    """
    import rdflib

    from gutkg.store.memory import _from_term

    if fmt not in SERIALISATIONS:
        raise StoreError(f"cannot serialise as {fmt!r}: use one of {', '.join(SERIALISATIONS)}")
    graph = rdflib.Graph(bind_namespaces="none")
    for prefix, ns in (prefixes or {}).items():
        graph.bind(prefix, rdflib.Namespace(ns))
    for s, p, o in triples:
        graph.add((_from_term(s), _from_term(p), _from_term(o)))
    if fmt == "jsonld":
        context = dict(prefixes or {})
        out = graph.serialize(format="json-ld", context=context, indent=2, auto_compact=True)
    else:
        out = graph.serialize(format=SERIALISATIONS[fmt])
    return out.encode("utf-8") if isinstance(out, str) else bytes(out)


__all__ = ["SERIALISATIONS", "Term", "describe", "serialise"]
