"""Graph files in canonical form: the Turtle every write of ``graph/`` produces (``gutkg format``).

The text of a file is its triples in :mod:`gutkg.canonical` order, with the file's leading comment
block kept. Files are replaced through :func:`gutkg.atomic.write_files`, all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gutkg.atomic import write_files
from gutkg.canonical import to_turtle
from gutkg.loading import default_graph_dir, find_files, fmt_of, read_rdf
from gutkg.store.oxigraph import parse_triples


def header_of(text: str) -> str:
    """The leading comment block of a Turtle file (kept when it is rewritten).

    >>> header_of("# one\\n#  two\\n@prefix a: <x> .\\n# not header")
    'one\\n two'
    """
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            lines.append(line[1:].removeprefix(" "))
        else:
            break
    return "\n".join(lines)


def canonical_text(path: Path) -> str:
    """The canonical form of the Turtle file at ``path``."""
    data = read_rdf(path)
    triples = parse_triples(data, fmt=fmt_of(path), source=str(path))
    return to_turtle(triples, header=header_of(data.decode("utf-8")))


def canonicalise_files(paths: Sequence[Path | str] | None = None, *, check: bool = False) -> list[str]:
    """Rewrite (or with ``check``, only list) the Turtle files not in canonical form."""
    files = [p for p in find_files(paths or [default_graph_dir()]) if p.suffix == ".ttl"]
    changed: dict[Path, str] = {}
    for path in files:
        text = canonical_text(path)
        if text != path.read_text(encoding="utf-8"):
            changed[path] = text
    if not check:
        write_files(changed)
    return [str(p) for p in changed]
