"""Exporters: one module per format, each with ``to_x(graph, **opts)`` and ``write_x(graph, path)``.

The registry maps a format name to its module, imported only when used (heavy imports stay out of
``gutkg --help``). To add a format, add its module here and, if it has a file suffix, to
:data:`SUFFIXES`.

>>> exporter("html").__name__
'gutkg.export.html'
>>> format_for_path("map.HTML")
'html'
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from gutkg.errors import GutKGError

if TYPE_CHECKING:
    import networkx as nx

#: Format name -> module defining ``to_<name>(graph, **opts)`` and
#: ``write_<name>(graph, path, /, **opts)``.
EXPORTERS: dict[str, str] = {
    "html": "gutkg.export.html",
    # teaching exports: slide-ready figures and interchange files (decks need a story, not a
    # graph: see gutkg.export.slides)
    **{fmt: "gutkg.export.figure" for fmt in ("svg", "png", "pdf")},
    **{
        fmt: "gutkg.export.graph_formats"
        for fmt in ("graphml", "gexf", "cyjs", "jsonld", "turtle", "ntriples", "csv", "mermaid", "dot")
    },
}
#: File suffix -> format name, for picking an exporter from an output path.
SUFFIXES: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".cyjs": "cyjs",
    ".jsonld": "jsonld",
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".csv": "csv",
    ".mmd": "mermaid",
    ".dot": "dot",
    ".gv": "dot",
}


def exporter(name: str) -> ModuleType:
    """The module of format ``name`` (raises :class:`GutKGError` listing the known formats)."""
    try:
        return importlib.import_module(EXPORTERS[name])
    except KeyError:
        raise GutKGError(f"unknown export format {name!r}: use one of " + ", ".join(sorted(EXPORTERS))) from None


def format_for_path(path: str | Path) -> str:
    """The format a file name asks for, from its suffix."""
    suffix = Path(path).suffix.lower()
    try:
        return SUFFIXES[suffix]
    except KeyError:
        raise GutKGError(
            f"cannot tell the format of {str(path)!r} from its suffix: use one of "
            + ", ".join(sorted(SUFFIXES))
            + " or give the format"
        ) from None


def to(name: str, graph: nx.MultiDiGraph, **opts: Any) -> str | bytes:
    """Export ``graph`` in format ``name`` and return the text or bytes."""
    result: str | bytes = getattr(exporter(name), f"to_{name}")(graph, **opts)
    return result


def write(graph: nx.MultiDiGraph, path: str | Path, /, name: str | None = None, **opts: Any) -> Path:
    """Write ``graph`` to ``path`` in format ``name`` (default: from the suffix).

    ``path`` is positional-only (as in each ``write_x``), so ``path=`` can be an export option.
    """
    name = name or format_for_path(path)
    result: Path = getattr(exporter(name), f"write_{name}")(graph, path, **opts)
    return result


__all__ = ["EXPORTERS", "SUFFIXES", "exporter", "format_for_path", "to", "write"]
