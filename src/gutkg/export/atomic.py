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


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically (UTF-8 for text); returns the path written."""
    target = check_writable(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".",
                               prefix=f".{target.name}.", suffix=".tmp")
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
