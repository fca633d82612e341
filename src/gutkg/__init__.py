"""gutkg: an open, cited, computable knowledge graph of the intestinal barrier.

``gutkg.load()`` returns a :class:`~gutkg.api.KnowledgeGraph` whose methods mirror the commands::

    import gutkg
    kg = gutkg.load()                                   # the bundled graph; gutkg.load(path) for another
    kg.explain("dysbiosis", "autoimmune disease")       # the graded answer first
    kg.paths("gliadin", "celiac disease"); kg.show("zonulin"); kg.query("SELECT ...", dataframe=True)

Analysis lives in :mod:`gutkg.analysis`, exports in :mod:`gutkg.export`. Importing ``gutkg`` stays
light: the API module and its dependencies load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from gutkg.api import KnowledgeGraph


def load(graph: Any = None, *, store: str = "memory") -> KnowledgeGraph:
    """Load the bundled graph (or ``graph``) and return a :class:`~gutkg.api.KnowledgeGraph`."""
    from gutkg.api import load as _load

    return _load(graph, store=store)


__all__ = ["__version__", "load"]
