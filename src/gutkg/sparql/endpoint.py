"""``gutkg serve``: a read-only SPARQL 1.1 Protocol endpoint with a query UI (Starlette + uvicorn).

Routes:

* ``/sparql`` (and ``/sparql/``): the protocol: GET ``query=``, POST form, POST
  ``application/sparql-query``; results negotiated over SPARQL JSON/XML/CSV/TSV, a text table,
  and Turtle/N-Triples/JSON-LD/RDF-XML for graphs (Accept header or ``format=``);
* ``/``: the YASGUI query UI, served from the package (no network needed);
* ``/queries`` and ``/queries/NAME``: the bundled questions as JSON (the UI lists them);
* ``/explore``: the explorer page from :mod:`gutkg.export.html`, when that module is present;
* ``/labels``: every concept's IRI, label and synonyms as JSON (the UI's parameter autocomplete);
* ``/health``: workers, triples and counters as JSON.

Safety (see also :mod:`gutkg.sparql.guard`, :mod:`gutkg.sparql.pool` and
:mod:`gutkg.sparql.worker`): loopback by default (another ``--host`` is warned about), read-only
(updates 403), no ``SERVICE``/``LOAD`` (403), query size cap (413; a GET too long to parse is told
to use POST, 414), brackets nested too deep refused before the parser (400), per-query time limit
counted from when a worker starts the query and enforced by killing the worker (503), answer size
cap (503, ``--max-answer-mb``) with large answers streamed, row cap stated in the response
(``X-GutKG-Truncated`` header and, in JSON, a top-level ``note``). Workers are shared fairly among
clients; a request whose client hangs up is dropped or stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gutkg.errors import QueryError
from gutkg.sparql.handler import Receive, Scope, Send, SparqlHandler
from gutkg.sparql.pool import WorkerPool, default_size

#: Headers on the JSON pages: any origin may read them (the data is public).
CORS = {"Access-Control-Allow-Origin": "*"}
_UI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'"
)
STATIC_FILES = ("yasgui.min.js", "yasgui.min.css", "index.html", "gutkg-ui.js", "gutkg-ui.css")


@dataclass
class Settings:
    """How the endpoint runs; the defaults are the safe ones."""

    graph: list[str] = field(default_factory=list)
    store: str = "oxigraph"
    timeout: float = 10.0
    max_rows: int = 10000
    max_query_bytes: int = 100_000
    workers: int = 0  # 0: one per core, at least 2
    worker_memory_mb: int = 4096
    sandbox: bool = True
    cache_mb: int = 64  # answers kept for repeated queries (the graph is read-only); 0: off
    max_answer_mb: int = 64  # largest answer body sent (HTTP 503 over it); 0: no cap


def static_dir() -> Any:
    """The packaged folder of the endpoint's vendored UI files (``gutkg/sparql/static``)."""
    return resources.files("gutkg.sparql").joinpath("static")


def check_static() -> list[str]:
    """Names of the vendored UI files that are missing (empty when the package is complete)."""
    folder = static_dir()
    return [name for name in STATIC_FILES if not folder.joinpath(name).is_file()]


def error(status: int, message: str, extra: dict[str, str] | None = None) -> Response:
    """A protocol error: plain text that says what went wrong and how to fix it."""
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers={**CORS, **(extra or {})})


class Endpoint:
    """The ASGI application and the worker pool behind it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = WorkerPool(
            settings.graph,
            settings.store,
            size=settings.workers or default_size(),
            memory_mb=settings.worker_memory_mb,
            sandbox=settings.sandbox,
            heavy_after=min(0.5, settings.timeout / 4),
        )
        self.info: dict[str, Any] = {}
        self._explore_cache: str | None = None
        self._labels_cache: list[dict[str, Any]] | None = None
        self.handler = SparqlHandler(
            self.pool,
            timeout=settings.timeout,
            max_rows=settings.max_rows,
            max_query_bytes=settings.max_query_bytes,
            cache_mb=settings.cache_mb,
            max_answer_bytes=settings.max_answer_mb * 1024 * 1024,
        )
        self.app = Starlette(
            routes=[
                Route("/", self.index),
                Route("/queries", self.questions),
                Route("/prefixes", self.prefixes),
                Route("/queries/{name}", self.question),
                Route("/explore", self.explore),
                Route("/labels", self.labels),
                Route("/health", self.health),
                Mount("/static", app=StaticFiles(directory=str(static_dir()), check_dir=False)),
            ],
            lifespan=self.lifespan,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry: ``/sparql`` goes straight to the protocol handler, the pages to Starlette."""
        if scope["type"] == "http" and scope["path"] in {"/sparql", "/sparql/"}:
            await self.handler(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.info = await self.pool.start()
        try:
            yield
        finally:
            await self.pool.close()

    # ------------------------------------------------------------------ pages

    async def index(self, request: Request) -> Response:
        page = static_dir().joinpath("index.html")
        if not page.is_file():
            return error(
                500,
                "the query UI files are missing from this installation; rebuild them "
                "with scripts/build_assets.sh or reinstall gutkg",
            )
        return Response(
            page.read_bytes(), media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": _UI_CSP}
        )

    async def questions(self, request: Request) -> Response:
        from gutkg.sparql.questions import catalog

        return JSONResponse([q.as_dict() for q in catalog().values()], headers=CORS)

    async def prefixes(self, request: Request) -> Response:
        """The prefixes every query may use undeclared (the UI shows IRIs with them)."""
        return JSONResponse(_prefixes(), headers=CORS)

    async def question(self, request: Request) -> Response:
        from gutkg.sparql.questions import find

        q = find(request.path_params["name"])
        if q is None:
            return error(404, f"no bundled question named {request.path_params['name']!r}; see /queries")
        return JSONResponse({**q.as_dict(text=True), "ui_query": ui_query(q)}, headers=CORS)

    async def explore(self, request: Request) -> Response:
        """The explorer page built by :mod:`gutkg.export.html` (generated once, then cached)."""
        if self._explore_cache is None:
            try:
                from gutkg.export import html as html_export
            except ImportError:
                html_export = None  # type: ignore[assignment]
            to_html = getattr(html_export, "to_html", None)
            if to_html is None:
                return error(
                    404,
                    "the explorer page is not available in this installation (gutkg.export.html.to_html is missing)",
                )
            self._explore_cache = await asyncio.get_running_loop().run_in_executor(
                None, _build_explorer, to_html, self.settings
            )
        return Response(self._explore_cache, media_type="text/html; charset=utf-8")

    async def labels(self, request: Request) -> Response:
        """Every concept's IRI, CURIE, label, synonyms and category, so the UI can offer
        parameters by name (read from the graph once, then cached: the graph is read-only)."""
        if self._labels_cache is None:
            self._labels_cache = await asyncio.get_running_loop().run_in_executor(None, _concept_labels, self.settings)
        return JSONResponse(self._labels_cache, headers=CORS)

    async def health(self, request: Request) -> Response:
        return JSONResponse(
            {
                "status": "ok",
                **self.info,
                "alive_workers": self.pool.alive,
                "worker_pids": self.pool.pids,
                "timeout_s": self.settings.timeout,
                "max_rows": self.settings.max_rows,
                "max_query_bytes": self.settings.max_query_bytes,
                "queued": self.pool.queued,
                **self.pool.stats,
                **self.handler.stats(),
            },
            headers=CORS,
        )


def _prefixes() -> dict[str, str]:
    from gutkg.sparql.runner import default_prefixes

    return default_prefixes()


def ui_query(question: Any) -> str:
    """A bundled question's text with its first example's CURIE/IRI values bound by a VALUES
    block, so the UI can run it as is (the block shows where to change the value)."""
    import shlex

    from gutkg.sparql.params import parse_value, split_assignment
    from gutkg.store.base import inject_values

    bindings = {}
    for example in question.examples[:1]:
        words = shlex.split(example)
        for i, word in enumerate(words[:-1]):
            if word in {"--param", "-p"}:
                try:
                    name, value = split_assignment(words[i + 1])
                    term = parse_value(value)
                except QueryError:
                    continue
                if term.is_iri or any(p.name == name and p.kind == "literal" for p in question.params):
                    bindings[name] = term
    if not bindings:
        return str(question.text)
    try:
        bound = inject_values(question.text, bindings)
    except ValueError:
        return str(question.text)
    start = bound.index(" VALUES (", len(question.text[: question.text.index("{")]))
    end = bound.index(") } ", start) + 4
    return bound[:start] + "\n  " + bound[start + 1 : end - 1] + "\n  " + bound[end:]


def _concept_labels(settings: Settings) -> list[dict[str, Any]]:
    from gutkg.concepts import ConceptIndex
    from gutkg.loading import load

    store = load(settings.graph or None, store=settings.store)
    try:
        concepts = sorted(ConceptIndex.from_store(store), key=lambda c: (c.label.casefold(), c.iri))
    finally:
        store.close()
    return [
        {"iri": c.iri, "curie": c.curie, "label": c.label, "synonyms": list(c.synonyms), "category": c.category}
        for c in concepts
    ]


def _build_explorer(to_html: Callable[[Any], str], settings: Settings) -> str:
    from gutkg.loading import load
    from gutkg.network import to_network

    store = load(settings.graph or None, store=settings.store)
    return to_html(to_network(store))


def create_app(settings: Settings) -> Endpoint:
    """The ASGI app (its workers start with the app's lifespan)."""
    return Endpoint(settings)


def exposure_warning(host: str) -> str:
    """What to tell the user when ``host`` accepts connections from other machines ("" if not).

    >>> exposure_warning("127.0.0.1")
    ''
    >>> "network" in exposure_warning("0.0.0.0")
    True
    """
    import ipaddress

    if host.lower() in {"localhost", "localhost.localdomain"}:
        return ""
    try:
        if ipaddress.ip_address(host.strip("[]")).is_loopback:
            return ""
    except ValueError:
        pass  # a host name: it may resolve to any address
    what = "every network interface" if host in {"0.0.0.0", "::", "[::]"} else host  # noqa: S104 - naming it, not binding
    return (
        f"--host {host} opens the read-only endpoint to the network ({what}): anyone who can "
        "reach this machine can query the graph and use its CPU. Use --host 127.0.0.1 (the "
        "default) to keep it on this machine."
    )


def serve_forever(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    announce: Callable[[str, dict[str, Any]], None] | None = None,
) -> None:
    """Build the graph store once (errors surface before binding), then serve until Ctrl+C."""
    import socket

    import uvicorn

    from gutkg.loading import load

    if settings.store not in {"memory", "oxigraph"}:
        raise QueryError(f"gutkg serve runs on --store oxigraph (default) or memory, not {settings.store!r}")
    missing = check_static()
    if missing:
        raise QueryError(
            "the query UI files are missing (" + ", ".join(missing) + "); run "
            "scripts/build_assets.sh or reinstall gutkg"
        )
    store = load(settings.graph or None, store=settings.store)  # parse errors are reported here
    store.close()
    del store
    endpoint = Endpoint(settings)
    # IPPROTO_TCP given explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it every response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise QueryError(
            f"cannot listen on {host}:{port}: {exc.strerror}. Choose another --port (0 picks a free one)."
        ) from None
    sock.listen(1024)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"

    async def main() -> None:
        endpoint.info = await endpoint.pool.start()  # a worker that cannot load raises here
        # Everything imported and built so far lives as long as the server: freeze it so that a
        # full garbage collection does not walk it (that was a ~100 ms stall for every client).
        gc.freeze()
        try:
            if announce:
                announce(url, endpoint.info)
            _log_to_stderr()
            config = uvicorn.Config(
                endpoint,
                log_level="warning",
                access_log=False,
                lifespan="off",
                timeout_graceful_shutdown=2,
                http=_http_impl(),
                h11_max_incomplete_event_size=settings.max_query_bytes * 3 + 65536,
            )
            await uvicorn.Server(config).serve(sockets=[sock])
        finally:
            await endpoint.pool.close()
            sock.close()

    # Ctrl+C: uvicorn shuts down cleanly and stops the workers, then re-raises the signal.
    with asyncio.Runner(loop_factory=_loop_factory()) as runner, contextlib.suppress(KeyboardInterrupt):
        runner.run(main())


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop when installed (faster), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _http_impl() -> Any:
    """httptools when installed (faster HTTP parsing), else h11.

    With httptools, a request target over 64 kB cannot be parsed (its URL parser counts in 16
    bits) and uvicorn answers a bare 400; :func:`_httptools_protocol` says "use POST" instead.
    """
    import importlib.util

    return _httptools_protocol() if importlib.util.find_spec("httptools") else "h11"


_LONG_GET = (
    b"the request line is too long (a GET query must fit in 64 kB once URL-encoded): send "
    b"the query with POST, as the body with Content-Type: application/sparql-query, or as "
    b"a form (application/x-www-form-urlencoded, query=...)\n"
)


def _httptools_protocol() -> Any:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class Protocol(HttpToolsProtocol):
        def send_400_response(self, msg: str) -> None:
            if len(getattr(self, "url", b"")) < 65535:
                super().send_400_response(msg)
                return
            self.transport.write(
                b"HTTP/1.1 414 URI Too Long\r\ncontent-type: text/plain; "
                b"charset=utf-8\r\naccess-control-allow-origin: *\r\n"
                b"content-length: " + str(len(_LONG_GET)).encode() + b"\r\nconnection: close\r\n\r\n" + _LONG_GET
            )
            self.transport.close()

    return Protocol


def _log_to_stderr() -> None:
    """The server's own events (worker deaths, clients cut off) go to stderr with a time stamp."""
    import logging
    import sys

    logger = logging.getLogger("gutkg.serve")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s gutkg serve: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
