"""Stores: one interface (:class:`Store`), several backends, opened by a spec string.

``memory`` (rdflib, default), ``oxigraph`` (embedded, cached on disk by input hash),
``oxigraph:PATH`` (embedded at PATH), ``sparql+http(s)://...`` (a remote SPARQL endpoint, see
:mod:`gutkg.store.remote`).
"""

from __future__ import annotations

from gutkg.store.base import FORMATS, Store
from gutkg.store.terms import QueryResult, Row, Term, Triple

__all__ = ["FORMATS", "QueryResult", "Row", "Store", "Term", "Triple", "new_store"]


def new_store(spec: str = "memory", **options: object) -> Store:
    """An empty store for ``spec`` (``memory`` or ``oxigraph`` / ``oxigraph:PATH``), or the remote
    endpoint a ``sparql+http(s)://`` spec names (``options``: ``update_url``, ``gsp_url``,
    ``user``, ``password``, ``graph``, ``timeout``, see :class:`~gutkg.store.remote.RemoteStore`).

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
    if spec.startswith(("sparql+http://", "sparql+https://")):
        from gutkg.store.remote import RemoteStore

        return RemoteStore.from_spec(spec, **options)
    if spec.startswith(("http://", "https://")):
        raise StoreError(f"unknown store {spec!r}: write a SPARQL endpoint as sparql+{spec}")
    raise StoreError(
        f"unknown store {spec!r}: use 'memory', 'oxigraph', 'oxigraph:PATH' or "
        "'sparql+http://HOST:PORT/PATH' (a SPARQL endpoint)"
    )
