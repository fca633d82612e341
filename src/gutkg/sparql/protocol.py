"""The SPARQL 1.1 Protocol, as pure functions: read a request, choose a result format.

Kept apart from the web framework so each rule is tested directly. Request bodies and query
strings are decoded strictly: a malformed ``%`` escape or bytes that are not UTF-8 are a 400 with
a message, not a silently mangled query.

>>> read_params(b"query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fe.org%2Fg")
{'query': ['ASK {}'], 'default-graph-uri': ['http://e.org/g']}
>>> negotiate("text/csv;q=0.9, application/sparql-results+json", None, "select")
'json'
>>> negotiate("*/*", "ttl", "graph")
'turtle'
>>> negotiate("*/*;q=abc", None, "select")
'json'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from gutkg.sparql.guard import BadRequest, QueryRefused
from gutkg.sparql.results import FORMATS, default_format

_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
#: An absolute IRI as RFC 3987 spells it, loosely: a scheme, then no space or ``<>"{}|^`\``.
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")
PROTOCOL_PARAMS = frozenset(
    {
        "query",
        "default-graph-uri",
        "named-graph-uri",
        "format",
        "output",
        "update",
        "using-graph-uri",
        "using-named-graph-uri",
        "timeout",
    }
)

#: Media types a client may ask for, per result kind, mapped to our format names.
_TABULAR_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "table",
}
_GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/x-json+ld": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}
#: ``format=`` / ``output=`` values (short names and common aliases).
_ALIASES = {
    "json": {"select": "json", "graph": "jsonld"},
    "srj": {"select": "json"},
    "xml": {"select": "xml", "graph": "rdfxml"},
    "srx": {"select": "xml"},
    "csv": {"select": "csv"},
    "tsv": {"select": "tsv"},
    "table": {"select": "table", "graph": "table"},
    "text": {"select": "table", "graph": "table"},
    "turtle": {"graph": "turtle"},
    "ttl": {"graph": "turtle"},
    "n3": {"graph": "turtle"},
    "ntriples": {"graph": "ntriples"},
    "nt": {"graph": "ntriples"},
    "n-triples": {"graph": "ntriples"},
    "jsonld": {"graph": "jsonld"},
    "json-ld": {"graph": "jsonld"},
    "rdfxml": {"graph": "rdfxml"},
    "rdf": {"graph": "rdfxml"},
    "rdf+xml": {"graph": "rdfxml"},
}


class NotAcceptable(BadRequest):
    """No result format both the client and the query form allow (HTTP 406)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=406)


def read_params(raw: bytes) -> dict[str, list[str]]:
    """Decode ``application/x-www-form-urlencoded`` bytes (a query string or a form body) strictly."""
    out: dict[str, list[str]] = {}
    if _BAD_ESCAPE.search(raw):
        bad = _BAD_ESCAPE.search(raw)
        assert bad is not None
        snippet = raw[bad.start() : bad.start() + 3].decode("latin-1")
        raise BadRequest(
            f"malformed percent-encoding {snippet!r} at byte {bad.start()}: every % "
            "must be followed by two hex digits (encode a literal % as %25)"
        )
    for part in raw.split(b"&"):
        if not part:
            continue
        key, _, value = part.partition(b"=")
        try:
            name = unquote_to_bytes(key.replace(b"+", b" ")).decode("utf-8")
            text = unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(
                "the request parameters are not UTF-8 once percent-decoded; encode the query as UTF-8"
            ) from None
        out.setdefault(name, []).append(text)
    return out


@dataclass(frozen=True)
class Operation:
    """A protocol query operation: the query and the dataset the client asked for."""

    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    format: str | None  # every format=/output= value, comma-joined (clients send several)


def query_operation(params: dict[str, list[str]], body_query: str | None = None) -> Operation:
    """The query operation in ``params`` (plus a direct-POST body); updates are refused."""
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise QueryRefused(
            "SPARQL Update is refused: this endpoint is read-only. Edit the graph "
            "with gutkg add / gutkg import instead."
        )
    queries = params.get("query", [])
    if body_query is not None:
        if queries:
            raise BadRequest("a direct POST carries the query in its body; do not also pass query=")
        queries = [body_query]
    if not queries:
        raise BadRequest(
            "no query: pass query=... (GET or form POST) or POST the query with Content-Type: application/sparql-query"
        )
    if len(queries) > 1:
        raise BadRequest(f"{len(queries)} query parameters; the protocol allows exactly one")
    fmt = ",".join(params.get("format", []) + params.get("output", [])) or None
    return Operation(queries[0], _graphs(params, "default-graph-uri"), _graphs(params, "named-graph-uri"), fmt)


def _graphs(params: dict[str, list[str]], name: str) -> tuple[str, ...] | None:
    """The graph IRIs of a dataset parameter, each checked to be an absolute IRI (400 if not).

    >>> _graphs({"default-graph-uri": ["http://e.org/g"]}, "default-graph-uri")
    ('http://e.org/g',)
    """
    if name not in params:
        return None
    for value in params[name]:
        if not _ABSOLUTE_IRI.fullmatch(value):
            raise BadRequest(
                f"{name}={value!r} is not an absolute IRI: give the graph's full IRI, "
                'e.g. http://example.org/graph (a scheme, and no spaces or <>"{}|^`\\)'
            )
    return tuple(params[name])


def _accept(header: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal quality)."""
    ranges = []
    for i, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        q = 1.0
        for p in parts[1:]:
            if p.lower().startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:  # unparsable: as if no q was given (RFC 9110 leaves it open)
                    q = 1.0
                if not 0.0 <= q <= 1.0:  # nan, or out of range
                    q = 1.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, -specificity, i))
    ranges.sort(key=lambda r: (-r[1], r[2], r[3]))
    return [(m, q) for m, q, _, _ in ranges if q > 0]


def negotiate(accept: str | None, fmt: str | None, form: str) -> str:
    """The result format for a query of ``form`` (``select``, ``ask`` or ``graph``).

    A ``format``/``output`` parameter wins (a short name or a media type); then the Accept header;
    with neither, SPARQL JSON for SELECT/ASK and Turtle for CONSTRUCT/DESCRIBE.
    """
    kind = "select" if form == "ask" else form
    media = _GRAPH_MEDIA if kind == "graph" else _TABULAR_MEDIA
    if fmt:
        for item in fmt.split(","):  # SPARQLWrapper sends format=json-ld&format=application/ld+json,...
            key = item.strip().lower()
            choice = _ALIASES.get(key, {}).get(kind) or media.get(key.split(";")[0].strip())
            if choice:
                return choice
        if not accept or accept.strip() == "*/*":
            raise NotAcceptable(
                f"format={fmt!r} cannot carry a {'graph' if kind == 'graph' else 'table'} "
                "result; use one of: "
                + ", ".join(sorted(name for name, by_kind in _ALIASES.items() if kind in by_kind))
            )
    if not accept:
        return default_format(kind)
    for range_, _q in _accept(accept):
        if range_ in media:
            return media[range_]
        if range_ == "*/*":
            return default_format(kind)
        if range_.endswith("/*"):
            top = range_[:-1]
            for name, fmt_name in media.items():
                if name.startswith(top):
                    return fmt_name
    offered = sorted({FORMATS[f].media_type for f in media.values()})
    raise NotAcceptable(
        "none of the media types in Accept fits this result; this query can give: " + ", ".join(offered)
    )
