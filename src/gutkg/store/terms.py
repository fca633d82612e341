"""Backend-neutral RDF terms and query results, so callers never see rdflib or pyoxigraph types."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal as Kind

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True, slots=True, order=True)
class Term:
    """An IRI, a literal or a blank node.

    >>> Term.iri("http://example.org/a").n3()
    '<http://example.org/a>'
    >>> Term.literal("3", XSD + "integer").python()
    3
    >>> Term.literal('say "hi"', lang="en").n3()
    '"say \\\\"hi\\\\""@en'
    """

    kind: Kind["uri", "literal", "bnode"]
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("uri", str(value))

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        if lang or datatype == XSD + "string":
            datatype = None
        return cls("literal", value, datatype, lang)

    @classmethod
    def bnode(cls, value: str) -> Term:
        return cls("bnode", value)

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    def n3(self) -> str:
        """N-Triples / SPARQL spelling of the term."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if self.lang:
            return f'"{text}"@{self.lang}'
        if self.datatype:
            return f'"{text}"^^<{self.datatype}>'
        return f'"{text}"'

    def python(self) -> object:
        """A plain Python value: int/float/bool for numeric and boolean literals, else the string."""
        if self.kind == "literal" and self.datatype:
            local = self.datatype.removeprefix(XSD)
            try:
                if local in {"integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger", "gYear"}:
                    return int(self.value)
                if local in {"decimal", "double", "float"}:
                    return float(self.value)
                if local == "boolean":
                    return self.value in {"true", "1"}
            except ValueError:
                return self.value
        return self.value

    def __str__(self) -> str:
        return self.value


Row = tuple[Term | None, ...]
Triple = tuple[Term, Term, Term]


@dataclass
class QueryResult:
    """The result of a SPARQL query: ``kind`` is ``select``, ``ask`` or ``graph``.

    ``truncated`` is set when a row cap cut the result; ``note`` says why.
    """

    kind: Kind["select", "ask", "graph"]
    vars: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False
    note: str = ""

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def dicts(self) -> list[dict[str, object]]:
        """Rows as dictionaries of plain Python values (unbound variables are None)."""
        return [
            {v: (t.python() if t is not None else None) for v, t in zip(self.vars, row, strict=True)}
            for row in self.rows
        ]
