"""SPARQL for analysts: bundled questions, a query runner, the W3C result formats and the endpoint.

>>> from gutkg.sparql import catalog
>>> "upstream-causes" in catalog()
True

The library API is :func:`run` (a query, a bundled question's name or ``@file.rq``, with
parameters bound as RDF terms), :func:`write` (SPARQL JSON/XML/CSV/TSV, a text table, or RDF for
graph results) and :func:`to_frame` (pandas). ``gutkg serve`` is :mod:`gutkg.sparql.endpoint`.
"""

from __future__ import annotations

from gutkg.sparql.questions import Param, Question, catalog
from gutkg.sparql.results import FORMATS, write
from gutkg.sparql.runner import default_prefixes, prepare, run, to_frame

__all__ = ["FORMATS", "Param", "Question", "catalog", "default_prefixes", "prepare", "run", "to_frame", "write"]
