"""The store contract every backend fulfils (in-memory rdflib, embedded Oxigraph, remote SPARQL)."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from gutkg.errors import ParseError
from gutkg.sparqltext import tokens, words
from gutkg.store.terms import QueryResult, Term

#: RDF formats a store loads and dumps, by short name.
FORMATS = ("turtle", "ntriples", "nquads", "rdfxml", "jsonld", "trig")


class Store(ABC):
    """A set of RDF triples that can be loaded, queried with SPARQL and dumped.

    Callers speak SPARQL and :class:`~gutkg.store.terms.Term`; no backend type leaks out, so a
    remote endpoint fits without changing callers.
    """

    #: Short human name of the backend (``memory``, ``oxigraph``, ``sparql``).
    backend: str = ""

    @abstractmethod
    def load(self, data: bytes | str, *, fmt: str = "turtle", source: str = "<input>") -> None:
        """Parse ``data`` and add its triples; raise :class:`ParseError` naming ``source``."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        limit: int | None = None,
        prefixes: Mapping[str, str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; every backend takes these keywords.

        ``bindings`` pre-bind variables (never string formatting); ``limit`` keeps that many
        rows/triples and sets ``truncated`` if the result was cut; ``prefixes`` are declared for the
        query (its line numbers unchanged); ``base_iri`` resolves relative IRIs (``<s>``).
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (used by gutkg itself, never for user input)."""

    @abstractmethod
    def dump(self, fmt: str = "ntriples") -> bytes:
        """Serialise every triple in ``fmt``."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of triples."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files or connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def to_rdflib(self) -> Any:
        """An rdflib Graph copy (for pySHACL). Backends holding an rdflib Graph return it as is."""
        import rdflib

        graph = rdflib.Graph()
        graph.parse(data=self.dump("ntriples"), format="nt")
        return graph


_QUERY_POS = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


def query_parse_error(message: str, sparql: str) -> ParseError:
    """A :class:`ParseError` for a SPARQL syntax error, with line, column and the offending text."""
    match = _QUERY_POS.search(message)
    if not match:
        return ParseError(f"SPARQL syntax error: {message}", source="query")
    line, col = int(match[1]), int(match[2])
    lines = sparql.splitlines() or [""]
    excerpt = lines[line - 1] if 0 < line <= len(lines) else ""
    return ParseError(
        f"SPARQL syntax error: {match[3].strip()}", source="query", line=line, column=col, excerpt=excerpt
    )


def turtle_parse_error(exc: SyntaxError, source: str, text: str) -> ParseError:
    """A :class:`ParseError` for an Oxigraph Turtle syntax error, with line and column."""
    args = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else None
    line = exc.lineno if exc.lineno else (args[1] if args else None)
    col = exc.offset if exc.offset else (args[2] if args else None)
    msg = str(exc.args[0] if exc.args else exc)
    msg = re.sub(r"^Parser error (between|at) line \d+ column \d+( and line \d+ column \d+)?: ", "", msg)
    lines = text.splitlines()
    excerpt = lines[line - 1] if line and 0 < line <= len(lines) else ""
    return ParseError(f"Turtle syntax error: {msg}", source=source, line=line, column=col, excerpt=excerpt)


def inject_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """``sparql`` with a ``VALUES`` block binding ``bindings`` at the top of its outer pattern.

    The terms are serialised (escaped) by :meth:`Term.n3`, never pasted as text, so a hostile value
    stays a value. Used where a backend has no native binding API that fits.

    >>> inject_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": Term.iri("http://e.org/a")})
    'SELECT ?o WHERE { VALUES (?s) { (<http://e.org/a>) } ?s ?p ?o }'

    A CONSTRUCT template is not a pattern: the block goes into the WHERE clause after it.

    >>> inject_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": Term.iri("http://e.org/a")})
    'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://e.org/a>) } ?s ?p ?o }'
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"invalid variable name {name!r}")
    block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(bindings[n].n3() for n in names) + ") } "
    template_depth = 0  # > 0 while inside a CONSTRUCT template
    last_word = ""
    for token in tokens(sparql):
        if token.kind != "other":
            found = words(token)
            last_word = found[-1] if found else "" if token.kind != "comment" else last_word
            continue
        if token.text == "{" and template_depth:
            template_depth += 1
        elif token.text == "}" and template_depth:
            template_depth -= 1
        elif token.text == "{" and last_word == "CONSTRUCT":
            template_depth = 1
        elif token.text == "{":
            i = token.start
            return sparql[: i + 1] + " " + block + sparql[i + 1 :].lstrip()
        last_word = ""
    raise ValueError("cannot bind parameters: the query has no group pattern")
