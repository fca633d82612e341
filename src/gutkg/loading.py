"""Find the graph's Turtle files, read them safely and load them into a store.

The bundled graph is ``graph/`` plus ``ontology/`` of the checkout gutkg runs from. Loading also
materialises the plain causal edge of every claim (RO:0002304 for increases, RO:0002305 for
decreases) and of every association (RO:0002610 correlated with, both ways), so simple SPARQL needs
no reification.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gutkg.errors import InputError, ParseError
from gutkg.namespaces import prologue

if TYPE_CHECKING:  # the stores are imported where used: a warm analysis finds its files, no store
    from gutkg.store import Store

#: Suffixes read as RDF, with their format name.
RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".jsonld": "jsonld",
}

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


#: Where an installed wheel carries graph/, ontology/ and reference/ (copied there by setup.py).
_BUNDLED = Path(__file__).resolve().parent / "bundled"


def project_root() -> Path:
    """The folder holding ``graph/`` and ``ontology/``: ``$GUTKG_HOME``, the source tree (an editable
    install or a checkout), the data an installed wheel carries, or the current folder."""
    for candidate in (os.environ.get("GUTKG_HOME"), _PACKAGE_ROOT, _BUNDLED, Path.cwd()):
        if candidate and (Path(candidate) / "ontology" / "gutkg.ttl").is_file():
            return Path(candidate)
    raise InputError(
        "cannot find the bundled graph (ontology/gutkg.ttl). Reinstall gutkg, run it from a "
        "gutkg checkout, or set GUTKG_HOME to a folder holding graph/ and ontology/."
    )


def default_graph_dir() -> Path:
    """The bundled graph's Turtle folder, ``graph/`` under :func:`project_root`."""
    return project_root() / "graph"


def ontology_dir() -> Path:
    """The ``ontology/`` folder under :func:`project_root`."""
    return project_root() / "ontology"


def ontology_files() -> list[Path]:
    """The vocabulary (not the shapes: they describe the data, they are not part of it)."""
    return [ontology_dir() / "gutkg.ttl"]


def shapes_file() -> Path:
    """The SHACL shapes the graph is validated against (``ontology/shapes.ttl``)."""
    return ontology_dir() / "shapes.ttl"


def find_files(paths: Iterable[Path | str]) -> list[Path]:
    """Every RDF file under ``paths`` (folders are searched recursively), sorted, deduplicated.

    Raises :class:`InputError` for a path that does not exist, a folder that cannot be read, or a
    folder with no RDF file in it.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                files = sorted(p for p in path.rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file())
            except PermissionError as exc:
                raise InputError(f"cannot read folder {path}: {exc.strerror}. Check its permissions.") from None
            if not files and not os.access(path, os.R_OK | os.X_OK):
                raise InputError(f"cannot read folder {path}: permission denied. Check its permissions.")
            if not files:
                raise InputError(
                    f"no RDF files (*.ttl, *.nt, ...) in {path}. "
                    "Point --graph at the folder holding the graph's Turtle files."
                )
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"no such file or folder: {path}")
    return sorted(dict.fromkeys(p.resolve() for p in found))


def read_rdf(path: Path) -> bytes:
    """The bytes of ``path``, checked to be readable UTF-8 (a clear error otherwise)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}. Check the path and its permissions.") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}, line {line}: not UTF-8 (byte 0x{data[exc.start]:02x}). Re-save the file as UTF-8."
        ) from None
    return data


def fmt_of(path: Path) -> str:
    """The RDF format name for ``path``'s suffix; an unknown suffix raises :class:`InputError`
    listing the known ones."""
    try:
        return RDF_SUFFIXES[path.suffix]
    except KeyError:
        raise InputError(
            f"{path}: unknown RDF file type {path.suffix!r}; use one of " + ", ".join(sorted(RDF_SUFFIXES))
        ) from None


MATERIALISE = (
    prologue("gkv")
    + """
INSERT { ?cause <%s> ?effect } WHERE {
  ?claim a gkv:CausalClaim ; gkv:cause ?cause ; gkv:effect ?effect ; gkv:sign <%s> .
}"""
)


#: An association's plain edge, both ways (it has no direction).
MATERIALISE_ASSOCIATION = (
    prologue("gkv")
    + """
INSERT { ?a <%s> ?b } WHERE {
  ?s a gkv:Association ; gkv:associates ?a, ?b . FILTER (?a != ?b)
}"""
)


def materialise_plain_edges(store: Store) -> None:
    """Add ``cause RO:0002304/RO:0002305 effect`` for every increasing/decreasing claim, and
    ``a RO:0002610 b`` (correlated with, both ways) for every association."""
    from gutkg.vocab import PLAIN_EDGE, RO_CORRELATED

    for sign, relation in PLAIN_EDGE.items():
        store.update(MATERIALISE % (relation, sign))
    store.update(MATERIALISE_ASSOCIATION % RO_CORRELATED)


def input_files(graph: Sequence[Path | str] | None = None, *, ontology: bool = True) -> list[Path]:
    """The files a load reads: ``graph`` (default: the bundled graph) plus the vocabulary."""
    files = find_files(graph or [default_graph_dir()])
    if ontology:
        files = sorted(set(files) | {p.resolve() for p in ontology_files()})
    return files


def load(graph: Sequence[Path | str] | None = None, *, store: str = "memory", ontology: bool = True) -> Store:
    """Load the graph (default: the bundled one) into a new store and materialise plain edges.

    ``store`` is ``memory`` (rdflib), ``oxigraph`` (embedded, cached on disk keyed by the input
    files' content: an unchanged graph is reopened without parsing), ``oxigraph:PATH``, or a
    remote endpoint ``sparql+http(s)://...``, returned as is: it already holds the graph.
    """
    from gutkg.store import new_store

    if store.startswith(("sparql+http://", "sparql+https://")):  # holds the graph already
        if graph:
            raise InputError(
                "--graph reads local files, but --store names a SPARQL endpoint that "
                "already holds its graph. Push the files first (gutkg push --graph "
                "DIR --to URL), then query without --graph."
            )
        return new_store(store)
    files = input_files(graph, ontology=ontology)
    if store == "oxigraph":
        return _cached_oxigraph(files)
    target = new_store(store)
    for path in files:
        target.load(read_rdf(path), fmt=fmt_of(path), source=str(path))
    materialise_plain_edges(target)
    return target


def cache_dir() -> Path:
    """Where gutkg caches what it derives from the graph (the Oxigraph store, the projected
    network): ``$GUTKG_CACHE``, else ``$XDG_CACHE_HOME/gutkg``, else ``~/.cache/gutkg``."""
    if os.environ.get("GUTKG_CACHE"):
        return Path(os.environ["GUTKG_CACHE"])
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec: a relative value is invalid and ignored
        return Path(xdg) / "gutkg"
    return Path.home() / ".cache" / "gutkg"


def cache_key(files: Sequence[Path]) -> str:
    """A digest of the gutkg version, what load materialises, and every input file's name and content."""
    from gutkg import __version__

    digest = hashlib.sha256(__version__.encode() + (MATERIALISE + MATERIALISE_ASSOCIATION).encode())
    for path in files:
        digest.update(str(path).encode() + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _cached_oxigraph(files: Sequence[Path]) -> Store:
    """Reopen the Oxigraph store built from exactly these files, or build it once."""
    from gutkg.progress import Progress
    from gutkg.store.oxigraph import OxigraphStore

    root = cache_dir() / "oxigraph"
    remembered = _stat_index(root, files)
    known = remembered.read_text().strip() if remembered.is_file() else ""
    if known and (root / known / "COMPLETE").is_file():  # unchanged files: no hashing at all
        return OxigraphStore(root / known, read_only=True)
    final = root / cache_key(files)
    if (final / "COMPLETE").is_file():
        _remember(remembered, final.name)
        return OxigraphStore(final, read_only=True)
    root.mkdir(parents=True, exist_ok=True)
    building = root / f".build-{os.getpid()}-{final.name}"
    shutil.rmtree(building, ignore_errors=True)
    try:
        store = OxigraphStore(building)
        total = sum(p.stat().st_size for p in files)
        # a bar (on a terminal) only when parsing takes long enough to wonder (> ~1 s)
        with Progress(total, "loading", unit="bytes", enabled=None if total > 20e6 else False) as bar:
            for path in files:
                try:
                    store.load_file(path, fmt=fmt_of(path), on_progress=bar.advance if bar.enabled else None)
                except ParseError:
                    check_utf8(path)  # not UTF-8: say so with the line (one pass, on failure only)
                    raise
        materialise_plain_edges(store)
        store.flush()
        (building / "COMPLETE").write_text("ok\n")
        del store
        try:
            building.rename(final)
        except OSError:  # another process finished first: use its copy
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _remember(remembered, final.name)
    return OxigraphStore(final, read_only=True)


def _stat_index(root: Path, files: Sequence[Path]) -> Path:
    """Where the content key of ``files`` is remembered, by their names, sizes and mtimes.

    Hashing a multi-gigabyte graph takes seconds; ``stat`` takes microseconds. As git does, an
    unchanged (path, size, mtime, ctime, inode) means unchanged content. The ctime is set by the
    kernel on every write (and cannot be forged with ``touch``), so an edit that keeps the size and
    restores the mtime still falls back to the content hash: an edited file is never served stale.
    """
    from gutkg import __version__

    digest = hashlib.sha256(__version__.encode())
    for path in files:
        st = path.stat()
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0".encode())
    return root / "by-stat" / digest.hexdigest()[:32]


def _remember(index: Path, key: str) -> None:
    try:
        index.parent.mkdir(parents=True, exist_ok=True)
        tmp = index.with_name(f".{index.name}.{os.getpid()}")
        tmp.write_text(key + "\n")
        tmp.replace(index)
    except OSError:  # a read-only cache still works, just without the shortcut
        pass


def check_utf8(path: Path) -> None:
    """Raise :class:`InputError` (with the line) if ``path`` is not UTF-8; reads in blocks."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 22):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    bad = block[: max(exc.start, 0)]
                    line += bad.count(b"\n")
                    raise InputError(
                        f"{path}, line {line}: not UTF-8 (byte 0x{block[exc.start]:02x}). Re-save the file as UTF-8."
                    ) from None
                line += block.count(b"\n")
            decoder.decode(b"", final=True)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}. Check the path and its permissions.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: ends in the middle of a UTF-8 character. Re-save the file as UTF-8.") from None
