"""Safe writes to ``graph/``: canonical Turtle, validated first, replaced atomically.

Every write goes through :func:`write_files`. The new text of each file is first written to a
temporary file in the same folder and flushed to disk (``fsync``); only when every file is staged
are they moved over the old ones with ``os.replace`` (atomic on POSIX), in the order given. If
anything fails on the way (a full disk, a failing ``os.replace``, Ctrl-C), the files already
replaced are restored from hard-link backups, so the folder is byte-identical to before and no
half-written file is ever visible under a real name.

A hard kill between two replacements cannot be rolled back by the process itself; callers
therefore order the files so that every prefix of the sequence is a valid graph (definitions
before the files that refer to them, see :mod:`gutkg.curation.draft`).

The adding and importing commands live in :mod:`gutkg.curation`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from gutkg.canonical import to_turtle
from gutkg.errors import StoreError
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


_header = header_of  # the name older callers used


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


def write_files(contents: Mapping[Path, str], *,
                expected: Mapping[Path, bytes | None] | None = None) -> None:
    """Replace each file with its new text, all or nothing (see the module docstring).

    ``expected`` maps a path to the bytes it held when the change was computed (None: it did not
    exist). A file changed on disk since then is not overwritten: the write is abandoned with a
    :class:`~gutkg.errors.StoreError`, so a concurrent edit is never lost.
    """
    staged: list[tuple[str, Path]] = []
    backups: dict[Path, str | None] = {}
    replaced: list[Path] = []
    made_dirs: list[Path] = []
    try:
        for path, text in contents.items():
            made_dirs += _make_parents(path.parent)
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        if expected is not None:
            _check_unchanged(contents, expected)
        for tmp, path in staged:
            backups[path] = _backup(path)
            os.replace(tmp, path)
            replaced.append(path)
        for folder in {p.parent for p in replaced}:
            _fsync_dir(folder)
    except BaseException:
        for path in reversed(replaced):
            _restore(path, backups.get(path))
        for folder in reversed(made_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for backup in backups.values():
            if backup and os.path.exists(backup):
                os.unlink(backup)


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; return those created (outermost first)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for d in reversed(missing):
        d.mkdir()
    return list(reversed(missing))


def _check_unchanged(contents: Mapping[Path, str], expected: Mapping[Path, bytes | None]) -> None:
    for path in contents:
        if path not in expected:
            continue
        before = expected[path]
        now = path.read_bytes() if path.exists() else None
        if now != before:
            raise StoreError(f"{path} changed on disk while this change was being prepared "
                             "(another curator or editor?). Nothing was written: run the command again.")


def _temp_prefix(path: Path) -> str:
    """A hidden temp-file prefix for ``path`` short enough for the longest valid file name."""
    from gutkg.export.atomic import name_max, temp_prefix

    return temp_prefix(path.name, name_max(path.parent))


def _backup(path: Path) -> str | None:
    """A hard link (or copy) of the current file, to restore it if a later step fails."""
    if not path.exists():
        return None
    fd, backup = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".bak", dir=path.parent)
    os.close(fd)
    os.unlink(backup)
    try:
        os.link(path, backup)
    except OSError:  # a filesystem without hard links
        shutil.copy2(path, backup)
    return backup


def _restore(path: Path, backup: str | None) -> None:
    """Put the old file back (or remove a file that did not exist before)."""
    try:
        if backup is None:
            path.unlink(missing_ok=True)
        else:
            os.replace(backup, path)
    except OSError:
        if backup is not None:  # last resort: copy the bytes back in place
            shutil.copyfile(backup, path)


def _fsync_dir(folder: Path) -> None:
    """Make the renames themselves durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["canonical_text", "canonicalise_files", "header_of", "write_files"]
