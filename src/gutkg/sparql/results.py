r"""SPARQL results written once, from the neutral :class:`~gutkg.store.QueryResult`.

One writer per W3C results format (JSON, XML, CSV, TSV) plus a text table for people, and RDF
formats for CONSTRUCT/DESCRIBE (serialised by the store layer). The CLI and the HTTP endpoint share
this registry, so ``gutkg query --format csv`` and ``curl -H 'Accept: text/csv'`` give the same bytes.

A cut result (``truncated``) says so inside the payload where the format has room for it (a
top-level ``note`` in JSON, a comment in XML, a last line in the table); the endpoint also sends
an ``X-GutKG-Truncated`` header, which is the only place CSV/TSV can carry it.

>>> from gutkg.store import QueryResult, Term
>>> r = QueryResult("select", vars=["s", "n"],
...                 rows=[(Term.iri("http://e.org/a"), Term.literal("3", XSD + "integer"))])
>>> write(r, "csv")
b's,n\r\nhttp://e.org/a,3\r\n'
>>> write(r, "tsv")
b'?s\t?n\n<http://e.org/a>\t3\n'
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from gutkg.errors import QueryError
from gutkg.store import QueryResult, Term

XSD = "http://www.w3.org/2001/XMLSchema#"
SRX_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass(frozen=True)
class Format:
    """A result format: its short name, media type, and which query forms it can carry."""

    name: str
    media_type: str
    forms: frozenset[str]  # "select", "ask", "graph"
    suffix: str

    @property
    def content_type(self) -> str:
        if self.media_type.startswith("text/") or self.media_type.endswith(("+json", "/json")):
            return self.media_type + "; charset=utf-8"
        return self.media_type


_TABULAR = frozenset({"select", "ask"})
_GRAPH = frozenset({"graph"})

#: Every format, by short name. The first of each group is the default for its query forms.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("json", "application/sparql-results+json", _TABULAR, ".srj"),
        Format("xml", "application/sparql-results+xml", _TABULAR, ".srx"),
        Format("csv", "text/csv", _TABULAR, ".csv"),
        Format("tsv", "text/tab-separated-values", _TABULAR, ".tsv"),
        Format("table", "text/plain", _TABULAR | _GRAPH, ".txt"),
        Format("turtle", "text/turtle", _GRAPH, ".ttl"),
        Format("ntriples", "application/n-triples", _GRAPH, ".nt"),
        Format("jsonld", "application/ld+json", _GRAPH, ".jsonld"),
        Format("rdfxml", "application/rdf+xml", _GRAPH, ".rdf"),
    ]
}
TABULAR_FORMATS = ("json", "xml", "csv", "tsv", "table")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


def default_format(form: str) -> str:
    """The format used when a client states no preference: SPARQL JSON, or Turtle for graphs."""
    return "turtle" if form == "graph" else "json"


def check_format(fmt: str, form: str) -> Format:
    """The :class:`Format` named ``fmt``, checked to fit a result of ``form``."""
    try:
        spec = FORMATS[fmt]
    except KeyError:
        raise QueryError(f"unknown result format {fmt!r}; use one of: " + ", ".join(FORMATS)) from None
    if form not in spec.forms:
        kind = "CONSTRUCT/DESCRIBE" if form == "graph" else "SELECT/ASK"
        allowed = GRAPH_FORMATS if form == "graph" else TABULAR_FORMATS
        raise QueryError(f"a {kind} result cannot be written as {fmt}; use one of: " + ", ".join(allowed))
    return spec


def write(result: QueryResult, fmt: str, *, prefixes: Mapping[str, str] | None = None) -> bytes:
    """``result`` serialised as ``fmt`` (a key of :data:`FORMATS`)."""
    check_format(fmt, result.kind)
    return _WRITERS[fmt](result, prefixes)


# ------------------------------------------------------------------ SPARQL JSON


def _json_term(term: Term) -> dict[str, str]:
    if term.kind == "uri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.datatype:
        out["datatype"] = term.datatype
    return out


def write_json(result: QueryResult, prefixes: Mapping[str, str] | None = None) -> bytes:
    """SPARQL 1.1 Query Results JSON; a cut result adds top-level ``truncated`` and ``note``."""
    doc: dict[str, object]
    if result.kind == "ask":
        doc = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.vars, row, strict=True) if t is not None} for row in result.rows
        ]
        doc = {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}
    if result.truncated:
        doc["truncated"] = True
        doc["note"] = result.note or "result truncated"
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


# ------------------------------------------------------------------ SPARQL XML


def _xml_text(text: str) -> str:
    """XML-escaped text with characters XML 1.0 cannot carry replaced by U+FFFD."""
    clean = "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "\ufffd" for c in text)
    return escape(clean, {"\r": "&#13;"})


def _xml_term(term: Term) -> str:
    if term.kind == "uri":
        return f"<uri>{_xml_text(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if term.lang:
        return f"<literal xml:lang={quoteattr(term.lang)}>{_xml_text(term.value)}</literal>"
    if term.datatype:
        return f"<literal datatype={quoteattr(term.datatype)}>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(term.value)}</literal>"


def write_xml(result: QueryResult, prefixes: Mapping[str, str] | None = None) -> bytes:
    """SPARQL Query Results XML; a cut result carries an XML comment saying so."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sparql xmlns="{SRX_NS}">\n']
    if result.truncated:
        note = (result.note or "result truncated").replace("--", "- -")
        out.append(f"<!-- truncated: {_xml_text(note)} -->\n")
    out.append("<head>")
    out.extend(f"<variable name={quoteattr(v)}/>" for v in result.vars)
    out.append("</head>\n")
    if result.kind == "ask":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>\n")
    else:
        out.append("<results>\n")
        for row in result.rows:
            out.append("<result>")
            out.extend(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(result.vars, row, strict=True)
                if t is not None
            )
            out.append("</result>\n")
        out.append("</results>\n")
    out.append("</sparql>\n")
    return "".join(out).encode()


# ------------------------------------------------------------------ CSV / TSV


def write_csv(result: QueryResult, prefixes: Mapping[str, str] | None = None) -> bytes:
    """SPARQL 1.1 CSV: lexical forms only (lossy by design), RFC 4180 quoting and CRLF line
    ends; ASK gives a one-column ``_askResult`` table."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
        return buf.getvalue().encode()
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value) for t in row])
    return buf.getvalue().encode()


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "literal" and term.datatype in _SHORT and _plain_number(term):
        return term.value
    return term.n3().replace("\t", "\\t")


_SHORT = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def _plain_number(term: Term) -> bool:
    """True when Turtle's short form spells the literal back exactly (3, 2.5, 1e3, true)."""
    return bool(_SHORT[term.datatype or ""].fullmatch(term.value))


def write_tsv(result: QueryResult, prefixes: Mapping[str, str] | None = None) -> bytes:
    """SPARQL 1.1 TSV: ``?var`` headers, terms in Turtle syntax, tabs and newlines escaped."""
    if result.kind == "ask":
        return b"?_askResult\n" + (b"true\n" if result.boolean else b"false\n")
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines.extend("\t".join(_tsv_term(t) for t in row) for row in result.rows)
    return ("\n".join(lines) + "\n").encode()


# ------------------------------------------------------------------ text table


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """``iri`` as a CURIE when one of ``prefixes`` fits (longest namespace first).

    >>> compact("https://w3id.org/gutkg/concept/zonulin", {"gkc": "https://w3id.org/gutkg/concept/"})
    'gkc:zonulin'
    """
    best = ""
    for name, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, found = ns, name
    return f"{found}:{iri[len(best) :]}" if best else iri


def cell(term: Term | None, prefixes: Mapping[str, str] | None = None) -> str:
    """How a term reads in a table: CURIEs for known IRIs, literals without quotes or tags."""
    if term is None:
        return ""
    if term.kind == "uri":
        return compact(term.value, prefixes or {})
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value.replace("\n", " ")


def _default_prefixes() -> dict[str, str]:
    from gutkg.vocab import PREFIXES

    return dict(PREFIXES)


def write_table(result: QueryResult, prefixes: Mapping[str, str] | None = None, *, width: int = 60) -> bytes:
    """An aligned plain-text table (cells cut at ``width`` characters) with a row count."""
    pre = _default_prefixes() if prefixes is None else prefixes
    if result.kind == "ask":
        text = "true\n" if result.boolean else "false\n"
    elif result.kind == "graph":
        head, rows = ["subject", "predicate", "object"], [[cell(t, pre) for t in triple] for triple in result.triples]
        text = _table(head, rows, width) + f"{len(rows)} triple{'s' * (len(rows) != 1)}\n"
    else:
        rows = [[cell(t, pre) for t in row] for row in result.rows]
        text = _table(list(result.vars), rows, width) + f"{len(rows)} row{'s' * (len(rows) != 1)}\n"
    if result.truncated:
        text += f"truncated: {result.note or 'result cut'}\n"
    return text.encode()


def _table(head: list[str], rows: list[list[str]], width: int) -> str:
    cut = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cut]) for i, h in enumerate(head)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines.extend("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cut)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ RDF (CONSTRUCT / DESCRIBE)


def _rdf_writer(fmt: str) -> Callable[[QueryResult, Mapping[str, str] | None], bytes]:
    def write_rdf(result: QueryResult, prefixes: Mapping[str, str] | None = None) -> bytes:
        from gutkg.store.oxigraph import serialize_triples

        pre = _default_prefixes() if prefixes is None else prefixes
        body = serialize_triples(result.triples, fmt, pre)
        if result.truncated and fmt in {"turtle", "ntriples"}:
            body = f"# truncated: {result.note or 'result cut'}\n".encode() + body
        return body

    write_rdf.__name__ = f"write_{fmt}"
    return write_rdf


_WRITERS: dict[str, Callable[[QueryResult, Mapping[str, str] | None], bytes]] = {
    "json": write_json,
    "xml": write_xml,
    "csv": write_csv,
    "tsv": write_tsv,
    "table": write_table,
    **{name: _rdf_writer(name) for name in GRAPH_FORMATS},
}
