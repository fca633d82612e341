"""Every file gutkg writes is written all at once or not at all: one module for exports and the graph.

- :func:`write_atomic` writes one file (an export, a query answer): a temporary file beside the
  target, flushed to disk, then ``os.replace``. An interrupted or failed write never leaves a
  half-written file behind, nor replaces a good one; an unwritable destination is reported by
  :func:`check_writable` before any work is done.
- :func:`write_files` replaces several files of ``graph/`` as one change. Each new text is staged
  the same way; only when every file is staged are they moved over the old ones, in the order
  given. If anything fails on the way (a full disk, a failing ``os.replace``, Ctrl-C), the files
  already replaced are restored from hard-link backups, so the folder is byte-identical to before.
  A hard kill between two replacements cannot be rolled back by the process itself; callers
  therefore order the files so that every prefix of the sequence is a valid graph (definitions
  before the files that refer to them, see :mod:`gutkg.curation.draft`).

Temporary names are hidden, and shortened so that they fit the file system's name limit even for
the longest valid target name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from gutkg.errors import InputError, StoreError


def check_writable(path: str | Path) -> Path:
    """The output ``path`` if its folder exists and is writable, else :class:`InputError`.

    >>> check_writable("/nonexistent-folder/x.svg")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    gutkg.errors.InputError: cannot write /nonexistent-folder/x.svg: ...
    """
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if parent.is_dir():
        _check_name(target)  # before anything stats the target: a too-long name raises there
    if target.is_dir():
        raise InputError(f"cannot write {target}: it is a folder. Give a file name, e.g. {target / 'figure.svg'}")
    if not parent.exists():
        raise InputError(
            f"cannot write {target}: the folder {parent} does not exist. Create it first or choose another -o path."
        )
    if not parent.is_dir():
        raise InputError(f"cannot write {target}: {parent} is not a folder. Choose another -o path.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {target}: permission denied in {parent}. Choose another -o path.")
    return target


#: What ``mkstemp`` adds to the prefix: 8 random characters, then the suffix ``.tmp``.
_TEMP_EXTRA = 8 + len(".tmp")


def name_max(folder: Path) -> int:
    """The longest file name (in bytes) ``folder``'s file system allows (255 where it cannot say)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def temp_prefix(name: str, limit: int = 255) -> str:
    """A hidden temporary-file prefix for ``name`` whose full temp name fits in ``limit`` bytes.

    The target's name is shortened (never splitting a character) when the name plus the 14
    characters of the temp name's dot, random part and ``.tmp`` would not fit.

    >>> temp_prefix("figure.svg")
    '.figure.svg.'
    >>> len(temp_prefix("a" * 250) + "12345678.tmp")
    255
    """
    room = limit - _TEMP_EXTRA - 2  # the leading dot and the dot before the random part
    short = name.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f".{short}."


def _check_name(target: Path) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    limit = name_max(folder)
    if len(os.fsencode(target.name)) > limit:
        raise InputError(
            f"cannot write {target}: the file name is too long ({len(os.fsencode(target.name))} "
            f"bytes; this file system allows {limit}). Choose a shorter -o name."
        )


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically (UTF-8 for text); returns the path written.

    The bytes go to a hidden temporary file beside the target, flushed to disk, then renamed over
    it: a full disk, an error or Ctrl-C leaves the old file (or none) in place, never half a file.
    """
    target = check_writable(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        tmp = _stage(target, payload)
    except OSError as exc:  # e.g. /proc or /sys: the folder exists, but no file can be created in it
        raise InputError(
            f"cannot write {target}: {exc.strerror or exc} (no file can be created in "
            f"{_folder(target)}, or it is full). Choose another -o path."
        ) from None
    try:
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"cannot write {target}: {exc.strerror or exc}. Choose another -o path.") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _stage(path: Path, payload: bytes) -> str:
    """Write ``payload`` to a new hidden temporary file beside ``path``, flushed to disk; its name.

    The temporary file is removed again if writing it fails (a full disk, Ctrl-C)."""
    folder = _folder(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=temp_prefix(path.name, name_max(folder)), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_files(contents: Mapping[Path, str], *, expected: Mapping[Path, bytes | None] | None = None) -> None:
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
            staged.append((_stage(path, text.encode("utf-8")), path))
        if expected is not None:
            _check_unchanged(contents, expected)
        for tmp, path in staged:
            backups[path] = _backup(path)
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)  # as before, or rw-r--r--
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
            raise StoreError(
                f"{path} changed on disk while this change was being prepared "
                "(another curator or editor?). Nothing was written: run the command again."
            )


def _temp_prefix(path: Path) -> str:
    """A hidden temp-file prefix for ``path`` short enough for the longest valid file name."""
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


def write_private(path: Path, data: bytes) -> bool:
    """Write a private cache entry atomically: folder mode 0700, file 0600, a hidden temporary file
    renamed into place (readers see the old entry or the whole new one). ``False`` if it could not be
    written (a read-only cache folder only loses the shortcut, never the command).

    It renames with ``os.rename`` (as atomic as ``os.replace`` on POSIX), so a cache write never mixes
    with the ``os.replace`` calls of a graph write.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.rename(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def prune_private(folder: Path, pattern: str, keep: int, *, stale_seconds: float = 3600) -> None:
    """Keep the newest ``keep`` entries matching ``pattern`` in a cache ``folder``, and remove the
    temporary files of :func:`write_private` that a killed writer left over ``stale_seconds`` ago
    (best effort: a cache is never worth an error)."""
    import time

    with contextlib.suppress(OSError):
        entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
        for tmp in folder.glob(f".{pattern}.*.tmp"):
            if tmp.stat().st_mtime < time.time() - stale_seconds:
                tmp.unlink(missing_ok=True)
