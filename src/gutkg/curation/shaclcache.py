"""The SHACL results of a graph folder as it is on disk, cached so a write validates only its change.

A curation write (:class:`gutkg.curation.draft.Draft`) validates with SHACL only the nodes its change
can affect (:meth:`~gutkg.curation.draft.Draft.focus`); every other node's results are the graph's
before the change, kept here. So its report is the whole graph's, at the cost of validating a few
nodes (the first write on a graph computes them once).

* One entry per graph folder, in ``shacl/`` under :func:`gutkg.loading.cache_dir`, created private
  (mode 0700). It is keyed by a SHA-256 digest of every graph file's path and content, the shapes,
  the vocabulary, what loading materialises, the gutkg and pySHACL versions and the validation code:
  any edit (by hand or by gutkg) makes it stale.
* Written to a temporary file and renamed into place; an unreadable, corrupt, stale or foreign
  (another user's) entry is ignored and recomputed, never an error; a read-only cache folder only
  loses the shortcut.
* What a change is refused for never rests on the cache: the changed nodes are validated afresh,
  before and after the change. The cache supplies the results of the untouched nodes, which only
  tell a change's problems from those the graph already had.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

#: First field of an entry; the number changes when the entry's layout does.
MAGIC = "gutkg-shacl-cache 1"
#: Entries kept (the newest by modification time).
KEEP = 32

Found = list[tuple[str, str, str, str]]


def shacl_key(root: Path, files: Mapping[Path, bytes]) -> str:
    """The digest identifying the SHACL results of ``files`` (a graph folder's contents)."""
    import pyshacl

    from gutkg import __version__, validate
    from gutkg.loading import MATERIALISE, MATERIALISE_ASSOCIATION, ontology_files, shapes_file

    digest = hashlib.sha256(f"{MAGIC}\0{__version__}\0{pyshacl.__version__}\0".encode())
    digest.update((MATERIALISE + MATERIALISE_ASSOCIATION).encode())
    for path in [Path(validate.__file__), Path(__file__), shapes_file(), *ontology_files()]:
        digest.update(path.read_bytes() + b"\0")
    for path in sorted(files):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode() + b"\0")
        digest.update(files[path] + b"\0")
    return digest.hexdigest()


def _entry(root: Path) -> Path:
    from gutkg.loading import cache_dir

    return cache_dir() / "shacl" / (hashlib.sha256(str(root).encode()).hexdigest()[:24] + ".json")


def read_shacl_cache(root: Path, key: str) -> Found | None:
    """The cached results for ``root`` if they are for ``key``, else ``None``."""
    path = _entry(root)
    try:
        if path.stat().st_uid != os.getuid():
            return None
        entry = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("magic") != MAGIC or entry.get("key") != key:
        return None
    results = entry.get("results")
    if not isinstance(results, list) or not all(
        isinstance(r, list) and len(r) == 4 and all(isinstance(x, str) for x in r) for r in results
    ):
        return None
    return [(r[0], r[1], r[2], r[3]) for r in results]


def write_shacl_cache(root: Path, key: str, results: Sequence[tuple[str, str, str, str]]) -> bool:
    """Store ``results`` as the SHACL results of ``root`` for ``key``; ``False`` if it could not."""
    from gutkg.atomic import prune_private, write_private

    path = _entry(root)
    data = json.dumps({"magic": MAGIC, "key": key, "results": [list(r) for r in results]}).encode("utf-8")
    if not write_private(path, data):
        return False
    prune_private(path.parent, "*.json", KEEP)
    return True
