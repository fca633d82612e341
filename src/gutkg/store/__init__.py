"""Stores: one interface (:class:`Store`), several backends, opened by a spec string.

``memory`` (rdflib, default), ``oxigraph`` (embedded, cached on disk by input hash),
``oxigraph:PATH`` (embedded at PATH). Remote SPARQL endpoints fit the same interface.
"""

from __future__ import annotations

from gutkg.store.base import FORMATS, Store
from gutkg.store.terms import QueryResult, Row, Term, Triple

__all__ = ["FORMATS", "QueryResult", "Row", "Store", "Term", "Triple", "new_store"]


def new_store(spec: str = "memory") -> Store:
    """An empty store for ``spec`` (``memory`` or ``oxigraph`` / ``oxigraph:PATH``).

    >>> new_store("memory").backend
    'memory'
    """
    from gutkg.errors import StoreError

    if spec in {"memory", "rdflib"}:
        from gutkg.store.memory import MemoryStore

        return MemoryStore()
    if spec == "oxigraph" or spec.startswith("oxigraph:"):
        from gutkg.store.oxigraph import OxigraphStore

        path = spec.partition(":")[2] or None
        return OxigraphStore(path)
    raise StoreError(f"unknown store {spec!r}: use 'memory', 'oxigraph' or 'oxigraph:PATH'")
