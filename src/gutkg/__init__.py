"""gutkg: an open, cited, computable knowledge graph of the intestinal barrier.

The public API is small: load the graph into a store, validate it, project it to NetworkX, and
look concepts up. Analysis lives in :mod:`gutkg.analysis`, exports in :mod:`gutkg.export`.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
