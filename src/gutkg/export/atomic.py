"""Write an export all at once or not at all: a temporary file beside the target, then ``os.replace``.

An interrupted or failed export never leaves a half-written file behind (nor replaces a good one),
and an unwritable destination is reported before any work is done.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from gutkg.errors import InputError


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
        raise InputError(f"cannot write {target}: it is a folder. Give a file name, e.g. "
                         f"{target / 'figure.svg'}")
    if not parent.exists():
        raise InputError(f"cannot write {target}: the folder {parent} does not exist. "
                         "Create it first or choose another -o path.")
    if not parent.is_dir():
        raise InputError(f"cannot write {target}: {parent} is not a folder. Choose another -o path.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {target}: permission denied in {parent}. "
                         "Choose another -o path.")
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
        raise InputError(f"cannot write {target}: the file name is too long ({len(os.fsencode(target.name))} "
                         f"bytes; this file system allows {limit}). Choose a shorter -o name.")


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically (UTF-8 for text); returns the path written."""
    target = check_writable(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=temp_prefix(target.name, name_max(folder)),
                                   suffix=".tmp")
    except OSError as exc:  # e.g. /proc or /sys: the folder exists, but no file can be created in it
        raise InputError(f"cannot write {target}: {exc.strerror or exc} (no file can be created in "
                         f"{folder}). Choose another -o path.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"cannot write {target}: {exc.strerror or exc}. "
                         "Choose another -o path.") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
