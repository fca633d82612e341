"""Embedded Oxigraph store (pyoxigraph): fast, optionally persistent on disk."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from gutkg.errors import ParseError, StoreError
from gutkg.store.base import Store, inject_values, query_parse_error, turtle_parse_error
from gutkg.store.terms import QueryResult, Term


def _formats() -> dict[str, Any]:
    from pyoxigraph import RdfFormat

    return {
        "turtle": RdfFormat.TURTLE,
        "ntriples": RdfFormat.N_TRIPLES,
        "nquads": RdfFormat.N_QUADS,
        "rdfxml": RdfFormat.RDF_XML,
        "jsonld": RdfFormat.JSON_LD,
        "trig": RdfFormat.TRIG,
    }


_KINDS: dict[type, str] = {}


def to_term(node: object) -> Term | None:
    """An Oxigraph term as a :class:`Term`.

    Called once per cell of every result (millions for a large projection), so the node classes
    are looked up once, not imported on every call (that import cost 3/4 of the time).
    """
    if node is None:
        return None
    if not _KINDS:
        from pyoxigraph import BlankNode, Literal, NamedNode

        _KINDS.update({NamedNode: "uri", Literal: "literal", BlankNode: "bnode"})
    kind = _KINDS.get(type(node))
    if kind == "uri":
        return Term("uri", node.value)  # type: ignore[attr-defined]
    if kind == "literal":
        datatype = node.datatype  # type: ignore[attr-defined]
        return Term.literal(
            node.value,  # type: ignore[attr-defined]
            datatype.value if datatype else None,
            node.language,  # type: ignore[attr-defined]
        )
    if kind == "bnode":
        return Term("bnode", node.value)  # type: ignore[attr-defined]
    return Term.literal(str(node))


def _syntax_error_of(sparql: str, dataset: Mapping[str, object]) -> SyntaxError | None:
    """The parser's error in ``sparql`` itself (before parameters were bound), found by running it on
    an empty store, so it costs nothing. (Running it on the data took 34 s for a path query whose
    parameters were left unbound, on every bound query.)"""
    from pyoxigraph import Store as OxStore

    try:
        OxStore().query(sparql, prefixes=dataset.get("prefixes"), base_iri=dataset.get("base_iri"))  # type: ignore[arg-type]
    except SyntaxError as exc:
        return exc
    except Exception:  # any other refusal: keep the bound query's own error
        return None
    return None


def from_term(term: Term) -> Any:
    """A :class:`Term` as an Oxigraph term."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if term.kind == "uri":
        return NamedNode(term.value)
    if term.kind == "bnode":
        return BlankNode(term.value)
    if term.lang:
        return Literal(term.value, language=term.lang)
    if term.datatype:
        return Literal(term.value, datatype=NamedNode(term.datatype))
    return Literal(term.value)


#: pyoxigraph's parser refuses a single token (a literal, an IRI) larger than this.
MAX_TOKEN = 16 * 1024 * 1024


def too_large(exc: MemoryError, source: str) -> ParseError:
    """The clear error for pyoxigraph's "buffer maximal size" refusal (re-raises any other MemoryError)."""
    if "maximal size" not in str(exc):
        raise exc
    return ParseError(
        f"a single literal or IRI is larger than {MAX_TOKEN // (1024 * 1024)} MiB, the most "
        "the RDF parser accepts. Shorten it: long text belongs in a document the graph "
        "cites, not in a literal.",
        source=source,
    )


def bom_error(source: str) -> ParseError:
    """The error for a file that starts with a UTF-8 byte-order mark (Turtle does not allow one)."""
    return ParseError(
        "the file starts with a byte-order mark (an invisible U+FEFF); re-save it as UTF-8 without BOM",
        source=source,
        line=1,
        column=1,
    )


def _starts_with_bom(data: bytes | str) -> bool:
    from gutkg.textsafety import BOM, BOM_BYTES

    return data.startswith(BOM_BYTES) if isinstance(data, bytes) else data.startswith(BOM)


class _Counting(io.RawIOBase):
    """A binary file that reports how many bytes were read."""

    def __init__(self, fh: io.BufferedReader, on_progress: Callable[[int], None]) -> None:
        self.fh, self.on_progress = fh, on_progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.fh.readinto(buffer)
        if count:
            self.on_progress(count)
        return count


class OxigraphStore(Store):
    """Triples in a pyoxigraph ``Store``, in memory or at ``path``.

    ``read_only=True`` opens an existing on-disk store without parsing anything (many processes
    may do so at once).

    >>> s = OxigraphStore()
    >>> s.load('<http://e.org/a> <http://e.org/p> "x" .', fmt="ntriples")
    >>> len(s), [r[0].value for r in s.query("SELECT ?o WHERE { ?s ?p ?o }")]
    (1, ['x'])
    """

    backend = "oxigraph"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        from pyoxigraph import Store as OxStore

        self.path = Path(path) if path else None
        try:
            if self.path is None:
                self.ox = OxStore()
            elif read_only:
                self.ox = OxStore.read_only(str(self.path))
            else:
                self.ox = OxStore(str(self.path))
        except OSError as exc:
            raise StoreError(
                f"cannot open the Oxigraph store at {self.path}: {exc}. "
                "Delete the folder to rebuild it, or choose another --store path."
            ) from None

    def load(self, data: bytes | str, *, fmt: str = "turtle", source: str = "<input>") -> None:
        try:
            if self.path is None:
                self.ox.load(data, format=_formats()[fmt])
            else:
                self.ox.bulk_load(data, format=_formats()[fmt])
        except SyntaxError as exc:
            if _starts_with_bom(data):
                raise bom_error(source) from None
            text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
            raise turtle_parse_error(exc, source, text) from None
        except (ValueError, OSError) as exc:
            raise ParseError(f"cannot load as {fmt}: {exc}", source=source) from None
        except MemoryError as exc:
            raise too_large(exc, source) from None

    def load_file(self, path: Path, *, fmt: str = "turtle", on_progress: Callable[[int], None] | None = None) -> None:
        """Bulk-load a file without reading it into Python memory.

        ``on_progress`` receives the bytes read as the loader streams the file (for a progress
        bar); without it Oxigraph reads the path itself.
        """
        try:
            if on_progress is None:
                self.ox.bulk_load(path=str(path), format=_formats()[fmt])
            else:
                with path.open("rb") as fh:
                    self.ox.bulk_load(input=cast(Any, _Counting(fh, on_progress)), format=_formats()[fmt])
        except SyntaxError as exc:
            with path.open("rb") as fh:
                if _starts_with_bom(fh.read(3)):
                    raise bom_error(str(path)) from None
            raise turtle_parse_error(exc, str(path), path.read_text("utf-8", "replace")) from None
        except MemoryError as exc:
            raise too_large(exc, str(path)) from None

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        limit: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        prefixes: Mapping[str, str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a query; ``limit`` stops reading rows/triples after that many (``truncated`` is
        then set), so a huge result is never built. ``default_graphs`` / ``named_graphs`` give the
        SPARQL Protocol dataset (graph IRIs of this store; nothing is fetched). ``prefixes`` are
        declared for the query without changing its line numbers; ``base_iri`` resolves relative
        IRIs (``<s>``)."""
        from itertools import islice

        from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions

        dataset: dict[str, object] = {"prefixes": dict(prefixes)} if prefixes else {}
        if base_iri:
            dataset["base_iri"] = base_iri
        if default_graphs is not None:
            dataset["default_graph"] = [NamedNode(g) for g in default_graphs]
        if named_graphs is not None:
            dataset["named_graphs"] = [NamedNode(g) for g in named_graphs]
        try:
            text = inject_values(sparql, bindings) if bindings else sparql
            result = self.ox.query(text, **dataset)  # type: ignore[arg-type]
        except SyntaxError as exc:
            own = _syntax_error_of(sparql, dataset) if bindings else exc  # positions in the user's text
            raise query_parse_error(str(own or exc), sparql) from None
        except ValueError as exc:  # e.g. an invalid dataset IRI
            raise StoreError(f"cannot run the query: {exc}") from None
        if isinstance(result, QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        cap = None if limit is None else limit + 1
        if isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            rows = [tuple(to_term(sol[i]) for i in range(len(names))) for sol in islice(result, cap)]
            out = QueryResult("select", vars=names, rows=rows)
        else:
            triples = [(to_term(t.subject), to_term(t.predicate), to_term(t.object)) for t in islice(result, cap)]
            out = QueryResult("graph", triples=triples)  # type: ignore[arg-type]
        if limit is not None and len(out) > limit:
            del (out.rows if out.kind == "select" else out.triples)[limit:]
            out.truncated = True
            out.note = f"result cut at {limit} rows"
        return out

    def literals(self) -> list[tuple[Term, Term, Term]]:
        """Every triple of the default graph whose object is a literal."""
        from pyoxigraph import DefaultGraph, Literal

        return [
            (to_term(q.subject), to_term(q.predicate), to_term(q.object))  # type: ignore[misc]
            for q in self.ox.quads_for_pattern(None, None, None, DefaultGraph())
            if isinstance(q.object, Literal)
        ]

    def update(self, sparql: str) -> None:
        self.ox.update(sparql)

    def dump(self, fmt: str = "ntriples") -> bytes:
        from pyoxigraph import DefaultGraph

        out = self.ox.dump(format=_formats()[fmt], from_graph=DefaultGraph())
        return out if isinstance(out, bytes) else b""

    def __len__(self) -> int:
        return len(self.ox)

    def flush(self) -> None:
        self.ox.flush()


def parse_triples(data: bytes | str, *, fmt: str = "turtle", source: str = "<input>") -> list[tuple[Term, Term, Term]]:
    """Parse RDF text into :class:`Term` triples (no store), with positioned syntax errors."""
    from pyoxigraph import parse

    try:
        return [
            (to_term(q.subject), to_term(q.predicate), to_term(q.object))  # type: ignore[misc]
            for q in parse(data, format=_formats()[fmt])
        ]
    except SyntaxError as exc:
        if _starts_with_bom(data):
            raise bom_error(source) from None
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        raise turtle_parse_error(exc, source, text) from None
    except MemoryError as exc:
        raise too_large(exc, source) from None


def serialize_triples(
    triples: Sequence[tuple[Term, Term, Term]], fmt: str = "turtle", prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Serialise :class:`Term` triples (a CONSTRUCT/DESCRIBE result) as ``fmt``.

    Only the ``prefixes`` some IRI actually uses are declared.

    >>> t = Term.iri("http://e.org/a")
    >>> serialize_triples([(t, t, Term.literal("x", lang="en"))], "turtle", {"e": "http://e.org/"})
    b'@prefix e: <http://e.org/> .\\ne:a e:a "x"@en .\\n'
    """
    from pyoxigraph import Triple
    from pyoxigraph import serialize as ox_serialize

    used: dict[str, str] = {}
    iris = {t.value for triple in triples for t in triple if t.kind == "uri"}
    for name, base in (prefixes or {}).items():
        if any(i.startswith(base) for i in iris):
            used[name] = base
    out = ox_serialize(
        (Triple(*(from_term(t) for t in triple)) for triple in triples), format=_formats()[fmt], prefixes=used or None
    )
    return out if isinstance(out, bytes) else b""
