"""N-Triples on disk: the wire format gutkg pushes, streamed so a graph is never whole in memory.

Oxigraph (pyoxigraph) parses and serialises; this module only moves files and counts lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gutkg.errors import StoreError
from gutkg.sparqltext import blank
from gutkg.store.base import Store, turtle_parse_error


def ntriples_chunks(path: Path, size: int) -> Iterator[list[str]]:
    """Lines of an N-Triples file in chunks of about ``size``, streamed; triples that share a
    blank node stay in one chunk (a label means the same node only within one request)."""
    parent: dict[str, str] = {}
    held: list[tuple[str, str]] = []  # (first blank node, line), grouped at the end

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    chunk: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            labels = re.findall(r"_:[A-Za-z0-9_\-.]*[A-Za-z0-9_\-]", blank(line)) if "_:" in line else []
            if labels:
                for other in labels[1:]:
                    parent[find(other)] = find(labels[0])
                held.append((labels[0], line))
                continue
            chunk.append(line)
            if len(chunk) >= size:
                yield chunk
                chunk = []
    groups: dict[str, list[str]] = {}
    for label, line in held:
        groups.setdefault(find(label), []).append(line)
    for group in groups.values():
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


def _ox_format(fmt: str) -> Any:
    from gutkg.store.oxigraph import _formats

    return _formats()[fmt]


def to_ntriples(data: bytes | str, *, fmt: str = "turtle", source: str = "<input>") -> bytes:
    """RDF text as N-Triples bytes, with positioned syntax errors naming ``source``."""
    from pyoxigraph import RdfFormat, parse, serialize

    try:
        out = serialize(parse(data, format=_ox_format(fmt)), format=RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        raise turtle_parse_error(exc, source, text) from None
    except MemoryError as exc:
        from gutkg.store.oxigraph import too_large

        raise too_large(exc, source) from None
    return out or b""


def file_to_ntriples(path: Path, out: Path, *, fmt: str = "turtle") -> int:
    """Stream an RDF file into an N-Triples file (never whole in memory); return the triple count."""
    from pyoxigraph import RdfFormat, parse, serialize

    try:
        serialize(parse(path=str(path), format=_ox_format(fmt)), output=str(out), format=RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        raise turtle_parse_error(exc, str(path), path.read_text("utf-8", "replace")) from None
    except MemoryError as exc:
        from gutkg.store.oxigraph import too_large

        raise too_large(exc, str(path)) from None
    except OSError as exc:
        raise StoreError(f"cannot convert {path}: {exc}") from None
    return count_lines(out)


def write_ntriples(store: Store, path: Path) -> int:
    """Write every triple of ``store`` to ``path`` as N-Triples; return how many.

    An embedded Oxigraph store streams straight to the file (no copy of the graph in Python).
    """
    from gutkg.store.oxigraph import OxigraphStore

    if isinstance(store, OxigraphStore):
        from pyoxigraph import DefaultGraph, RdfFormat

        store.ox.dump(output=str(path), format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
        return count_lines(path)
    data = store.dump("ntriples")
    path.write_bytes(data)
    return sum(1 for line in data.splitlines() if line.strip())


def count_lines(path: Path) -> int:
    """Lines in a file (= triples in N-Triples written by Oxigraph), read in blocks."""
    count = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            count += block.count(b"\n")
    return count


def convert(data: bytes, src: str, dst: str) -> bytes:
    """RDF bytes from one format to another (through Oxigraph's streaming parser/serialiser)."""
    from pyoxigraph import parse, serialize

    return serialize(parse(data, format=_ox_format(src)), format=_ox_format(dst)) or b""
