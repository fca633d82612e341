"""Causal analysis on the projected ``networkx.MultiDiGraph`` (never on RDF: no rdflib here).

One module per idea: :mod:`~gutkg.analysis.paths` (how could A lead to B),
:mod:`~gutkg.analysis.loops` (what keeps this going), :mod:`~gutkg.analysis.rivals` (rival
hypotheses and contradictions), :mod:`~gutkg.analysis.explain` (every way A and B could be
associated, with :mod:`~gutkg.analysis.compare` for evidence sensitivity),
:mod:`~gutkg.analysis.adjust` (adjustment sets on a cyclic graph), :mod:`~gutkg.analysis.rank`
(drivers and bottlenecks), :mod:`~gutkg.analysis.filters` (evidence filters). Results are plain
dataclasses with ``as_dict()`` (JSON-able) and ``text()``.

>>> from gutkg.analysis import find_paths, parse_filter
>>> parse_filter("human").species
('human',)
"""

from gutkg.analysis.adjust import adjust
from gutkg.analysis.core import causal_view, node_id
from gutkg.analysis.explain import explain
from gutkg.analysis.filters import EvidenceFilter, apply_filter, parse_filter
from gutkg.analysis.loops import bounded_cycles, find_loops
from gutkg.analysis.paths import find_paths
from gutkg.analysis.rank import rank
from gutkg.analysis.rivals import rivals

__all__ = [
    "EvidenceFilter",
    "adjust",
    "apply_filter",
    "bounded_cycles",
    "causal_view",
    "explain",
    "find_loops",
    "find_paths",
    "node_id",
    "parse_filter",
    "rank",
    "rivals",
]
