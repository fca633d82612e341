"""Safe writes to ``graph/``: canonical Turtle, validated first, replaced atomically.

Every write goes through :func:`write_files`: the new text of each file is written to a temporary
file in the same folder, flushed to disk, then moved over the old file with ``os.replace`` (atomic
on POSIX). A failure before the replace leaves the old file untouched; no half-written file is
ever visible under the real name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from gutkg.canonical import to_turtle
from gutkg.load import default_graph_dir, find_files, fmt_of, read_rdf
from gutkg.store.oxigraph import parse_triples


def _header(text: str) -> str:
    """The leading comment block of a Turtle file (kept when it is rewritten)."""
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
    return to_turtle(triples, header=_header(data.decode("utf-8")))


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


def write_files(contents: Mapping[Path, str]) -> None:
    """Replace each file with its new text atomically (temp file + fsync + ``os.replace``)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in contents.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
