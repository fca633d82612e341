"""A remote SPARQL 1.1 endpoint as a :class:`~gutkg.store.base.Store` (Oxigraph server, Virtuoso...).

Past one machine, gutkg runs on an existing triplestore rather than a home-made one. This backend
speaks the SPARQL 1.1 Protocol (Query, Update) and the Graph Store Protocol (GSP), and handles the
quirks measured on Virtuoso 7.2 so callers never see them:

* queries and updates are POSTed form-encoded (a raw ``application/sparql-query`` POST hangs);
* bulk writes go through the GSP, or ``INSERT DATA`` in chunks of 500 triples (above ~1,000 the
  generated SQL is too long), with triples that share a blank node kept in one chunk;
* a SELECT cut at the server's row cap (``X-SPARQL-MaxRows``) is re-run page by page when the
  query has no LIMIT/OFFSET/ORDER BY, and is an error otherwise; a CONSTRUCT that returns exactly
  the cap is an error (Virtuoso cuts it silently);
* a timeout answered as HTTP 200 with ``X-SQL-State: S1TAT`` (partial results) is an error.

The store's data is the endpoint's default graph, or the named graph given as
``default-graph-uri`` in the URL: queries see only that graph, updates and loads go into it.

A spec is the query URL prefixed with ``sparql+``::

    sparql+http://127.0.0.1:7878/query                          (Oxigraph server)
    sparql+http://127.0.0.1:8890/sparql?default-graph-uri=IRI   (Virtuoso, one named graph)

>>> RemoteStore.from_spec("sparql+http://h:7878/query").endpoints()
('http://h:7878/query', 'http://h:7878/update', 'http://h:7878/store')
>>> RemoteStore.from_spec("sparql+http://h/sparql-auth?default-graph-uri=urn:g").graph
'urn:g'
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from gutkg.errors import ParseError, QueryError, StoreError
from gutkg.sparqltext import blank
from gutkg.store._http import HttpClient, Response
from gutkg.store.base import Store, inject_values, query_parse_error
from gutkg.store.ntriples import convert, file_to_ntriples, ntriples_chunks, to_ntriples
from gutkg.store.terms import QueryResult, Term, Triple

#: Spec prefixes that name a remote endpoint.
REMOTE_PREFIXES = ("sparql+http://", "sparql+https://")
#: Triples per ``INSERT DATA`` request (Virtuoso 7.2 fails above ~1,000).
CHUNK = 500
_JSON = "application/sparql-results+json"
_RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RDF_TYPES = {
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "text/ntriples": "ntriples",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/n-quads": "nquads",
}
_NT = "application/n-triples"


def is_remote(spec: str) -> bool:
    """True for a ``sparql+http(s)://`` store spec.

    >>> is_remote("sparql+https://example.org/sparql"), is_remote("oxigraph")
    (True, False)
    """
    return spec.startswith(REMOTE_PREFIXES)


def derive_urls(query_url: str) -> tuple[str | None, str | None]:
    """Update and Graph Store URLs by the servers' conventions (overridable).

    Oxigraph: ``/query`` -> ``/update``, ``/store``. Virtuoso: ``/sparql`` takes updates itself,
    its GSP is ``/sparql-graph-crud`` (``-auth`` variants alike). Unknown layouts: updates to the
    query URL, no GSP.

    >>> derive_urls("http://h:8890/sparql-auth")
    ('http://h:8890/sparql-auth', 'http://h:8890/sparql-graph-crud-auth')
    """
    split = urllib.parse.urlsplit(query_url)
    base, _, last = split.path.rpartition("/")

    def at(path: str) -> str:
        return urllib.parse.urlunsplit((split.scheme, split.netloc, path, "", ""))

    if last == "query":
        return at(base + "/update"), at(base + "/store")
    if last in {"sparql", "sparql-auth"}:
        return query_url, at(base + "/" + last.replace("sparql", "sparql-graph-crud"))
    return query_url, None


def query_form(sparql: str) -> str:
    """``select``, ``ask``, ``construct``, ``describe`` or ``update``: the first keyword after
    the prologue (``select`` if none is recognised, so the server reports the error).

    >>> query_form("PREFIX a: <http://x/> # c\\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'construct'
    >>> query_form("PREFIX a: <http://x/> DELETE WHERE { ?s ?p ?o }")
    'update'
    """
    match = re.match(r"\s*(?:(?:PREFIX\s+[\w.-]*:|BASE)\s*)*([A-Za-z]+)", blank(sparql), re.I)
    word = match[1].upper() if match else ""
    if word in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
        return word.lower()
    if word in {"INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}:
        return "update"
    return "select"


def _retarget(update: str, graph: str | None) -> str:
    """Point a single-operation update at ``graph`` (the store's named graph), if any.

    >>> _retarget("INSERT DATA { <a:x> <a:p> 1 }", "urn:g")
    'INSERT DATA { GRAPH <urn:g> { <a:x> <a:p> 1 } }'
    >>> _retarget("PREFIX p: <a:> INSERT { ?s p:q 1 } WHERE { ?s p:p 1 }", "urn:g")
    'PREFIX p: <a:> WITH <urn:g> INSERT { ?s p:q 1 } WHERE { ?s p:p 1 }'
    """
    if graph is None:
        return update
    code = blank(update)
    depth, separators = 0, 0
    for ch in code.rstrip().rstrip(";"):
        depth += (ch == "{") - (ch == "}")
        separators += ch == ";" and depth == 0
    if separators:
        raise StoreError("send one update operation at a time to a store bound to a named graph")
    prologue = re.match(r"\s*(?:(?:PREFIX\s+[\w.-]*:|BASE)\s*)*", code, re.I)  # IRIs are blank
    start = prologue.end() if prologue else 0
    head, body = update[:start], update[start:]
    g = Term.iri(graph).n3()
    data = re.match(r"(INSERT\s+DATA|DELETE\s+DATA|DELETE\s+WHERE)\s*\{", body, re.I)
    if data:
        end = body.rstrip().rfind("}")
        return f"{head}{data[0]} GRAPH {g} {{{body[data.end() : end]}}} }}"
    if re.match(r"(INSERT|DELETE)\b", body, re.I):
        return f"{head}WITH {g} {body}"
    if re.match(r"(CLEAR|DROP)\s+(SILENT\s+)?DEFAULT\b", body, re.I):
        return head + re.sub(r"DEFAULT\b", f"GRAPH {g}", body, count=1, flags=re.I)
    return update


def _safe_bnode(label: str) -> str:
    """A blank-node label valid in N-Triples (Virtuoso says ``nodeID://b10006``)."""
    return re.sub(r"[^A-Za-z0-9]", "_", label)


def _term(binding: Mapping[str, str]) -> Term:
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return Term.iri(value)
    if kind == "bnode":
        return Term.bnode(_safe_bnode(value))
    return Term.literal(value, binding.get("datatype"), binding.get("xml:lang"))


class RemoteStore(Store):
    """A SPARQL endpoint (and optionally its Update and Graph Store endpoints) as a store.

    ``graph`` names the graph the store reads and writes (``None``: the default graph).
    ``user``/``password`` are sent as Basic or Digest, whichever the server asks for.
    ``server_timeout`` (ms) asks the server to stop long queries (Virtuoso's ``timeout``).
    """

    backend = "sparql"

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        graph: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 120.0,
        server_timeout: int | None = None,
        chunk_size: int = CHUNK,
    ) -> None:
        derived_update, derived_gsp = derive_urls(query_url)
        self.query_url = query_url
        self.update_url = update_url or derived_update
        self.gsp_url = gsp_url if gsp_url is not None else derived_gsp
        self.graph = graph
        self.chunk_size = chunk_size
        self.server_timeout = server_timeout
        self.http = HttpClient(user, password, timeout=timeout)
        self.row_cap: int | None = None  # learnt from X-SPARQL-MaxRows
        self.server = ""

    @classmethod
    def from_spec(cls, spec: str, **options: object) -> RemoteStore:
        """Open ``sparql+http(s)://[user:password@]host/path[?default-graph-uri=IRI]``.

        ``options`` are the constructor's keywords; missing ones come from the environment:
        ``GUTKG_SPARQL_USER``, ``GUTKG_SPARQL_PASSWORD``, ``GUTKG_SPARQL_UPDATE``, ``GUTKG_SPARQL_GSP``.
        """
        if not is_remote(spec):
            raise StoreError(f"not a remote store spec: {spec!r} (use sparql+http://HOST/PATH)")
        split = urllib.parse.urlsplit(spec.removeprefix("sparql+"))
        if not split.hostname:
            raise StoreError(f"no host in {spec!r}: use sparql+http://HOST:PORT/PATH")
        params = urllib.parse.parse_qsl(split.query, keep_blank_values=True)
        graphs = [v for k, v in params if k == "default-graph-uri"]
        if len(graphs) > 1:
            raise StoreError("give at most one default-graph-uri in the store URL")
        rest = urllib.parse.urlencode([(k, v) for k, v in params if k != "default-graph-uri"])
        netloc = split.hostname + (f":{split.port}" if split.port else "")
        if ":" in split.hostname:
            netloc = f"[{split.hostname}]" + (f":{split.port}" if split.port else "")
        url = urllib.parse.urlunsplit((split.scheme, netloc, split.path or "/", rest, ""))
        env = {
            "user": "GUTKG_SPARQL_USER",
            "password": "GUTKG_SPARQL_PASSWORD",
            "update_url": "GUTKG_SPARQL_UPDATE",
            "gsp_url": "GUTKG_SPARQL_GSP",
        }
        kwargs: dict[str, object] = {k: os.environ[v] for k, v in env.items() if os.environ.get(v)}
        if split.username:
            kwargs["user"] = urllib.parse.unquote(split.username)
            kwargs["password"] = urllib.parse.unquote(split.password or "")
        if graphs:
            kwargs["graph"] = graphs[0]
        kwargs.update({k: v for k, v in options.items() if v is not None})
        return cls(url, **kwargs)  # type: ignore[arg-type]

    def endpoints(self) -> tuple[str, str | None, str | None]:
        return self.query_url, self.update_url, self.gsp_url

    def spec(self) -> str:
        """The ``--store`` spec that opens this store (without credentials)."""
        url = "sparql+" + self.query_url
        if self.graph:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"default-graph-uri": self.graph})
        return url

    # -- queries ---------------------------------------------------------------------------

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
        """Run a query on the endpoint; the same keywords as the embedded stores.

        ``limit`` keeps that many rows/triples (``truncated`` is then set); ``default_graphs`` /
        ``named_graphs`` become the protocol's ``default-graph-uri`` / ``named-graph-uri``;
        ``prefixes`` and ``base_iri`` are declared on the query's first line (line numbers kept).
        """
        text = inject_values(sparql, bindings) if bindings else sparql
        declared = "".join(f"PREFIX {p}: {Term.iri(iri).n3()} " for p, iri in (prefixes or {}).items())
        if base_iri:
            declared = f"BASE {Term.iri(base_iri).n3()} " + declared
        if declared:
            if not all(re.fullmatch(r"[A-Za-z][\w.-]*|", p) for p in prefixes or {}):
                raise QueryError("invalid prefix name in prefixes=")
            text, sparql = declared + text, declared + sparql
        dataset = [("default-graph-uri", g) for g in default_graphs or ()]
        dataset += [("named-graph-uri", g) for g in named_graphs or ()]
        form = query_form(text)
        if form == "update":
            raise QueryError(
                "this is a SPARQL Update, not a query: stores run updates only through update(), never through query()."
            )
        if form in {"construct", "describe"}:
            result = self._graph_query(text, sparql, dataset, limit)
            return _cut(result, limit)
        head, rows, cut = self._select(text, sparql, dataset)
        if form == "ask":
            return QueryResult("ask", boolean=bool(head.get("boolean")))
        if cut and not (limit is not None and len(rows) > limit):
            if not _pageable(sparql):
                raise QueryError(
                    f"{self._who()} returned only its first {self.row_cap:,} rows (its row cap, "
                    "Virtuoso's ResultSetMaxRows) and this query has LIMIT, OFFSET, ORDER BY or "
                    f"VALUES, so gutkg cannot page it safely. Page it yourself with LIMIT "
                    f"{self.row_cap} OFFSET n (without ORDER BY: Virtuoso will not sort past its "
                    "cap), or raise ResultSetMaxRows in virtuoso.ini."
                )
            rows = list(islice(self._pages(text, sparql, dataset, rows), None if limit is None else limit + 1))
        names = list(head.get("head", {}).get("vars", []))
        return _cut(
            QueryResult(
                "select", vars=names, rows=[tuple(_term(b[v]) if v in b else None for v in names) for b in rows]
            ),
            limit,
        )

    def _select(
        self, text: str, original: str, dataset: list[tuple[str, str]]
    ) -> tuple[dict[str, Any], list[dict[str, Any]], bool]:
        response = self._post_query(text, original, _JSON, dataset)
        try:
            data = json.loads(response.read())
        except ValueError:
            raise StoreError(
                f"{self._who()} did not answer with SPARQL JSON results. Check that "
                f"{self.query_url} is a SPARQL query endpoint."
            ) from None
        rows = data.get("results", {}).get("bindings", []) if "boolean" not in data else []
        cap = response.headers.get("x-sparql-maxrows")
        cut = False
        if cap and cap.isdigit():
            self.row_cap = int(cap)
            limits = [int(n) for n in re.findall(r"\bLIMIT\s+(\d+)", blank(text), re.I)]
            cut = len(rows) >= self.row_cap and not (limits and limits[-1] <= self.row_cap)
        return data, rows, cut

    def _pages(
        self, text: str, original: str, dataset: list[tuple[str, str]], first: list[dict[str, Any]]
    ) -> Iterator[dict[str, Any]]:
        """Every row of an uncapped SELECT, in pages of the server's row cap (no ORDER BY)."""
        cap = self.row_cap or len(first)
        yield from first
        offset = len(first)
        while True:
            _head, rows, _cut = self._select(f"{text}\nLIMIT {cap} OFFSET {offset}", original, dataset)
            yield from rows
            if len(rows) < cap:
                return
            offset += len(rows)

    def _graph_query(self, text: str, original: str, dataset: list[tuple[str, str]], limit: int | None) -> QueryResult:
        from gutkg.store.oxigraph import parse_triples

        response = self._post_query(text, original, _RDF_ACCEPT, dataset)
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        fmt = _RDF_TYPES.get(ctype)
        if fmt is None:
            raise StoreError(
                f"{self._who()} answered a CONSTRUCT with {ctype or 'no type'}, "
                "not RDF. Check that the URL is a SPARQL query endpoint."
            )
        triples = parse_triples(response.read(), fmt=fmt, source=self.query_url)
        cap = self.row_cap or (10000 if "virtuoso" in self.server.lower() else None)
        if cap and len(triples) >= cap and not (limit is not None and limit < cap):
            raise QueryError(
                f"{self._who()} returned exactly {cap:,} triples, its row cap (Virtuoso's "
                "ResultSetMaxRows): the result is almost certainly cut. Ask for SELECT ?s ?p ?o "
                "instead (gutkg pages SELECTs), or raise ResultSetMaxRows in virtuoso.ini."
            )
        return QueryResult("graph", triples=triples)

    def _post_query(self, text: str, original: str, accept: str, dataset: list[tuple[str, str]]) -> Response:
        form = [("query", text)]
        if dataset:
            form += dataset
        elif self.graph:
            form.append(("default-graph-uri", self.graph))
        if self.server_timeout:
            form.append(("timeout", str(self.server_timeout)))
        response = self.http.request(
            "POST",
            self.query_url,
            accept=accept,
            content_type="application/x-www-form-urlencoded",
            body=urllib.parse.urlencode(form).encode(),
        )
        self.server = response.headers.get("server", self.server)
        if response.status >= 300:
            self._fail(response, self.query_url, original)
        if response.headers.get("x-sql-state", "").upper() == "S1TAT":
            response.read()
            raise QueryError(
                f"{self._who()} stopped the query at its time limit and sent back partial results "
                "(X-SQL-State: S1TAT), which gutkg refuses to use. Simplify the query, add a "
                "LIMIT, or raise the limit (Virtuoso: MaxQueryExecutionTime in virtuoso.ini)."
            )
        return response

    def _fail(self, response: Response, url: str, sparql: str | None, text: str | None = None) -> None:
        """Raise the error a failed request means, with what to do about it."""
        status = response.status
        text = response.text() if text is None else text
        low = text.lower()
        if sparql is not None and (status == 400 or "sp030" in low or "syntax error" in low):
            if query_form(sparql) == "update":
                first = text.splitlines()[0] if text else "rejected"
                raise ParseError(f"the server rejected the update: {first}", source="update")
            raise _syntax_error(sparql, text)
        if status == 403 or ("security" in low and "permission" in low):
            raise StoreError(
                f"{url} refused the write: the account may not update. Use an "
                "authenticated endpoint with --user/--password (Virtuoso: /sparql-auth, "
                "/sparql-graph-crud-auth) or grant SPARQL_UPDATE. Server said: " + text[:200]
            )
        if status == 404:
            raise StoreError(
                f"no SPARQL endpoint at {url} (HTTP 404). Oxigraph serves /query, /update and "
                "/store; Virtuoso /sparql, /sparql-auth and /sparql-graph-crud(-auth)."
            )
        if "estimated execution time" in low:
            raise QueryError(
                f"{self._who()} refused the query before running it: its estimated execution "
                "time exceeds the server's time limit (Virtuoso 42000, MaxQueryCostEstimationTime "
                "in virtuoso.ini). Simplify the query or add a LIMIT. Server said: " + " ".join(text.split())[:300]
            )
        if "s1t00" in low or "timed out" in low or "timeout" in low:
            raise QueryError(
                f"{self._who()} timed out: {text[:300]}. Simplify the query or raise the server's time limit."
            )
        raise StoreError(f"{url} answered HTTP {status}: {text[:400]}")

    def _who(self) -> str:
        return f"the SPARQL endpoint {self.query_url}" + (f" ({self.server.split()[0]})" if self.server else "")

    # -- writes ----------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        if not self.update_url:
            raise StoreError(
                f"no SPARQL Update endpoint for {self.query_url}: pass its URL "
                "(update_url=..., or GUTKG_SPARQL_UPDATE)."
            )
        form = [("update", _retarget(sparql, self.graph))]
        response = self.http.request(
            "POST",
            self.update_url,
            content_type="application/x-www-form-urlencoded",
            body=urllib.parse.urlencode(form).encode(),
        )
        if response.status >= 300:
            self._fail(response, self.update_url, sparql)
        response.read()

    def load(self, data: bytes | str, *, fmt: str = "turtle", source: str = "<input>") -> None:
        """Parse ``data`` locally (positioned syntax errors), then add it to the graph."""
        payload = to_ntriples(data, fmt=fmt, source=source)
        with tempfile.TemporaryDirectory(prefix="gutkg-") as tmp:
            path = Path(tmp) / "data.nt"
            path.write_bytes(payload)
            self.send(path, replace=False)

    def load_file(self, path: Path, *, fmt: str = "turtle", on_progress: Callable[[int], None] | None = None) -> int:
        """Stream a file of any size into the graph; return the number of triples sent."""
        with tempfile.TemporaryDirectory(prefix="gutkg-") as tmp:
            nt = Path(tmp) / "data.nt"
            count = file_to_ntriples(path, nt, fmt=fmt)
            self.send(nt, replace=False, on_progress=on_progress)
            return count

    def send(
        self,
        ntriples: Path,
        *,
        replace: bool,
        use_gsp: bool | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        """Add (or with ``replace``, replace the graph with) an N-Triples file.

        Through the Graph Store Protocol when there is one (one request, atomic on servers with
        transactions), else by chunked ``INSERT DATA`` after a ``CLEAR``. ``on_progress``
        receives bytes (GSP) or triples (chunks) as they are sent.
        """
        if use_gsp is None:
            use_gsp = bool(self.gsp_url)
        if use_gsp:
            self._gsp_send(ntriples, replace, on_progress)
            return
        if replace:
            self.clear()
        for chunk in ntriples_chunks(ntriples, self.chunk_size):
            text = "".join(chunk)
            # Virtuoso refuses blank nodes in INSERT DATA; a template with an empty WHERE is the
            # standard equivalent (one solution: each label is one fresh node)
            self.update(f"INSERT {{\n{text}}} WHERE {{}}" if "_:" in text else f"INSERT DATA {{\n{text}}}")
            if on_progress:
                on_progress(len(chunk))

    def _gsp_params(self) -> list[tuple[str, str]]:
        return [("graph", self.graph)] if self.graph else [("default", "")]

    def check_gsp(self) -> None:
        """An empty POST (adds nothing): learns the auth challenge and whether the endpoint has
        the target graph before a large body is sent (a server refusing early cuts an upload)."""
        if not self.gsp_url:
            raise StoreError(
                f"no Graph Store Protocol endpoint for {self.query_url}: pass "
                "gsp_url=... (or GUTKG_SPARQL_GSP), or push with --update."
            )
        self._gsp_request("POST", b"", None)

    def _gsp_send(self, path: Path, replace: bool, on_progress: Callable[[int], None] | None) -> None:
        self.check_gsp()
        self._gsp_request("PUT" if replace else "POST", path, on_progress)

    def _gsp_request(self, method: str, body: bytes | Path, on_progress: Callable[[int], None] | None) -> None:
        assert self.gsp_url
        response = self.http.request(
            method, self.gsp_url, params=self._gsp_params(), body=body, content_type=_NT, on_progress=on_progress
        )
        if response.status >= 300:
            text = response.text()
            if "default" in text.lower() and not self.graph:
                raise StoreError(
                    f"{self.gsp_url} has no default graph (Virtuoso): name a "
                    "graph with --named-graph IRI (push), or default-graph-uri "
                    "in the store URL."
                )
            self._fail(response, self.gsp_url, None, text)
        response.read()

    def clear(self) -> None:
        """Remove every triple of the store's graph."""
        self.update("CLEAR SILENT GRAPH " + Term.iri(self.graph).n3() if self.graph else "CLEAR SILENT DEFAULT")

    # -- reads -----------------------------------------------------------------------------

    def triples(self) -> Iterator[Triple]:
        """Every triple, paged past the server's row cap."""
        yield from self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows  # type: ignore[misc]

    def dump(self, fmt: str = "ntriples") -> bytes:
        lines = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in self.triples())
        data = lines.encode("utf-8")
        if fmt == "ntriples":
            return data
        return convert(data, "ntriples", fmt)

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        return int(rows[0][0].value) if rows and rows[0][0] is not None else 0


def _cut(result: QueryResult, limit: int | None) -> QueryResult:
    if limit is not None and len(result) > limit:
        del (result.rows if result.kind == "select" else result.triples)[limit:]
        result.truncated = True
        result.note = f"result cut at {limit} rows"
    return result


def _pageable(sparql: str) -> bool:
    return not re.search(r"\b(LIMIT|OFFSET|ORDER\s+BY|VALUES)\b", blank(sparql), re.I)


def _syntax_error(sparql: str, server_text: str) -> ParseError:
    """A positioned syntax error: Oxigraph's parser (no evaluation) locates it in the user's text."""
    from pyoxigraph import Store as OxStore

    try:
        OxStore().query(sparql)  # parses; the lazy result is never iterated
    except SyntaxError as exc:
        return query_parse_error(str(exc), sparql)
    first = server_text.strip().splitlines()[0] if server_text.strip() else "rejected"
    return ParseError(f"the server rejected the query: {first}", source="query")
