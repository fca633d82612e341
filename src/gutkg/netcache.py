"""The projected network and concept index, cached on disk so a warm analysis never parses RDF.

:func:`projection` is what the analysis commands call. Parsing the graph with rdflib and projecting
it (:func:`gutkg.network.to_network`) takes seconds; reading the projection back takes
milliseconds. The cache entry is keyed, as the Oxigraph store cache is, by every input file's path,
size, mtime, ctime and inode (the ctime changes on every write and cannot be set back with
``touch``, so an edited file is never served from the cache), plus the store backend, the Python
and NetworkX versions and the size and mtime of every gutkg source file the build can run (a code
change there rebuilds it).

Safety:

* an entry is written to a temporary file in the same folder and renamed into place (readers see
  the old entry or the whole new one, never half of one);
* the input files are stat'ed again after the build: if they changed meanwhile, nothing is written;
  nor is anything written while a file is younger than :data:`RACY_SECONDS` (as git treats a
  "racily clean" file: file-system timestamps are coarse, so a second same-size write within one
  tick of the first would leave the stat unchanged); the next run caches it;
* an entry holds a SHA-256 digest of its payload; a truncated, corrupt, unreadable or foreign
  (another user's) entry is ignored and rebuilt, never an error;
* entries live in ``network/`` under :func:`gutkg.loading.cache_dir` (``$GUTKG_CACHE``, else
  ``$XDG_CACHE_HOME/gutkg``, else ``~/.cache/gutkg``), created private (mode 0700); the newest
  :data:`KEEP` entries are kept.

Remote stores (``sparql+http://...``) and ``oxigraph:PATH`` stores are never cached: their content
is not the input files'.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.concepts import ConceptIndex

#: First bytes of an entry; the number changes when the entry's layout does.
MAGIC = b"gutkg-network-cache 1\n"
#: Entries kept (the newest by modification time); older ones are removed after each write.
KEEP = 8
#: A file changed this recently may change again without its stat changing: not cached yet.
RACY_SECONDS = 2.0
#: Stores whose content is exactly the input files (so the files' stat identifies the projection).
CACHED_STORES = ("memory", "rdflib", "oxigraph")


def load_network(graph: Sequence[str | Path] | None = None, *, store: str = "memory") -> nx.MultiDiGraph:
    """Load the graph (default: the bundled one) and project it: the one-call entry point.

    The projection is cached on disk while the input files are unchanged (see the module docstring).
    """
    return projection(graph, store=store)[0]


def projection(
    graph: Sequence[str | Path] | None = None, *, store: str = "memory"
) -> tuple[nx.MultiDiGraph, ConceptIndex]:
    """The network (:func:`gutkg.network.to_network`) and concept index of the graph, from the
    cache when no input file changed since they were built, else built and cached.

    ``graph`` and ``store`` are as for :func:`gutkg.loading.load`.
    """
    if store not in CACHED_STORES:
        return _build(graph, store)
    from gutkg.loading import input_files

    files = input_files(graph)
    key = stat_key(files, store)
    entry = cache_folder() / f"{key}.pickle"
    cached = read_entry(entry)
    if cached is not None:
        return cached
    started = time.time_ns()
    built = _build(list(files), store, ontology=False)
    if stat_key(files, store) == key and not _racy(files, started):  # the entry is true
        write_entry(entry, built)
    return built


def _racy(files: Sequence[Path], started_ns: int) -> bool:
    """Whether a file changed within :data:`RACY_SECONDS` of the build's start (or after it)."""
    limit = started_ns - int(RACY_SECONDS * 1e9)
    for path in files:
        st = path.stat()
        if max(st.st_mtime_ns, st.st_ctime_ns) >= limit:
            return True
    return False


def _build(
    graph: Sequence[str | Path] | None, store: str, ontology: bool = True
) -> tuple[nx.MultiDiGraph, ConceptIndex]:
    from gutkg.concepts import ConceptIndex
    from gutkg.loading import load
    from gutkg.network import to_network

    st = load(graph, store=store, ontology=ontology)
    return to_network(st), ConceptIndex.from_store(st)


def cache_folder() -> Path:
    """Where entries live: ``network/`` under :func:`gutkg.loading.cache_dir`."""
    from gutkg.loading import cache_dir

    return cache_dir() / "network"


def stat_key(files: Sequence[Path], store: str) -> str:
    """A digest of the inputs' stat (path, size, mtime, ctime, inode), the store backend and the
    code that builds the projection (Python, NetworkX and gutkg versions, gutkg's source files)."""
    import networkx as nx  # unpickling the entry imports it anyway

    digest = hashlib.sha256(MAGIC + f"{sys.version}\0{nx.__version__}\0{store}\0".encode())
    for path in files:
        st = path.stat()
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0".encode())
    digest.update(_code_stamp().encode())
    return digest.hexdigest()[:32]


#: Subpackages that only consume the projection (the build imports none of them: a test checks),
#: so editing them does not invalidate the cache.
CONSUMERS = frozenset({"analysis", "cli", "export", "curation", "sparql"})


def _code_stamp() -> str:
    """The gutkg version and the path, size and mtime of every gutkg source file that can take part
    in building the projection (all but the :data:`CONSUMERS` subpackages)."""
    from gutkg import __version__

    parts = [__version__]
    root = Path(__file__).resolve().parent
    skip = {root / name for name in CONSUMERS} | {root / "bundled"}
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    if e.name != "__pycache__" and Path(e.path) not in skip:
                        stack.append(Path(e.path))
                elif e.name.endswith(".py"):
                    st = e.stat()
                    parts.append(f"{e.path}:{st.st_size}:{st.st_mtime_ns}")
    return "\0".join(sorted(parts))


def read_entry(path: Path) -> tuple[nx.MultiDiGraph, ConceptIndex] | None:
    """The projection stored at ``path``, or None if it is missing, unreadable, not the current
    user's, truncated or corrupt (then the caller rebuilds it)."""
    try:
        if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
            return None  # never unpickle what another user could have written
        data = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 32
    if not data.startswith(MAGIC) or len(data) < head:
        return None
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(MAGIC) : head]:
        return None
    try:
        value = pickle.loads(payload)  # noqa: S301 - our own private, digest-checked cache file
    except Exception:  # a stale class layout after an upgrade, say: rebuild instead
        return None
    return value if _is_projection(value) else None


def _is_projection(value: Any) -> bool:
    import networkx as nx

    from gutkg.concepts import ConceptIndex

    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], nx.MultiDiGraph)
        and isinstance(value[1], ConceptIndex)
    )


def write_entry(path: Path, value: tuple[nx.MultiDiGraph, ConceptIndex]) -> bool:
    """Store ``value`` at ``path`` atomically and privately (:func:`gutkg.atomic.write_private`);
    False if the cache folder is not writable (the projection still works, just without the cache)."""
    from gutkg.atomic import prune_private, write_private

    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    if not write_private(path, MAGIC + hashlib.sha256(payload).digest() + payload):
        return False
    prune_private(path.parent, "*.pickle", KEEP)
    return True
