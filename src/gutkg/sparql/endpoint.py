"""``gutkg serve``: a read-only SPARQL 1.1 Protocol endpoint with a query UI (Starlette + uvicorn).

Routes:

* ``/sparql`` (and ``/sparql/``): the protocol: GET ``query=``, POST form, POST
  ``application/sparql-query``; results negotiated over SPARQL JSON/XML/CSV/TSV, a text table,
  and Turtle/N-Triples/JSON-LD/RDF-XML for graphs (Accept header or ``format=``);
* ``/``: the YASGUI query UI, served from the package (no network needed);
* ``/queries`` and ``/queries/NAME``: the bundled questions as JSON (the UI lists them);
* ``/explore``: the explorer page from :mod:`gutkg.export.html`, when that module is present;
* ``/health``: workers, triples and counters as JSON.

Safety (see also :mod:`gutkg.sparql.guard` and :mod:`gutkg.sparql.worker`): loopback by default,
read-only (updates 403), no ``SERVICE``/``LOAD`` (403), query size cap (413), per-query time
limit enforced by killing the worker (503), row cap stated in the response (``X-GutKG-Truncated``
header and, in JSON, a top-level ``note``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gutkg.errors import QueryError
from gutkg.sparql.guard import BadRequest, QueryTooLarge, check_query
from gutkg.sparql.pool import WorkerPool, default_size
from gutkg.sparql.protocol import negotiate, query_operation, read_params
from gutkg.sparql.worker import Job, Reply

#: Headers on every response: any origin may query (the data is public and read-only).
CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "X-GutKG-Truncated, X-GutKG-Note, X-GutKG-Rows"}
_PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
              "Access-Control-Allow-Headers": "Accept, Content-Type",
              "Access-Control-Max-Age": "86400"}
_UI_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'")
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


def static_dir() -> Any:
    return resources.files("gutkg.sparql").joinpath("static")


def check_static() -> list[str]:
    """Names of the vendored UI files that are missing (empty when the package is complete)."""
    folder = static_dir()
    return [name for name in STATIC_FILES if not folder.joinpath(name).is_file()]


def error(status: int, message: str, extra: dict[str, str] | None = None) -> Response:
    """A protocol error: plain text that says what went wrong and how to fix it."""
    return PlainTextResponse(message.rstrip() + "\n", status_code=status,
                             headers={**CORS, **(extra or {})})


class Endpoint:
    """The ASGI application and the worker pool behind it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = WorkerPool(settings.graph, settings.store,
                               size=settings.workers or default_size(),
                               memory_mb=settings.worker_memory_mb, sandbox=settings.sandbox)
        self.info: dict[str, Any] = {}
        self._explore_cache: str | None = None
        self.app = Starlette(routes=[
            Route("/sparql", self.sparql, methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]),
            Route("/sparql/", self.sparql, methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]),
            Route("/", self.index),
            Route("/queries", self.questions),
            Route("/prefixes", self.prefixes),
            Route("/queries/{name}", self.question),
            Route("/explore", self.explore),
            Route("/health", self.health),
            Mount("/static", app=StaticFiles(directory=str(static_dir()), check_dir=False)),
        ], lifespan=self.lifespan)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette):  # type: ignore[no-untyped-def]
        self.info = await self.pool.start()
        try:
            yield
        finally:
            await self.pool.close()

    # ------------------------------------------------------------------ /sparql

    async def sparql(self, request: Request) -> Response:
        method = request.method
        if method == "OPTIONS":
            return Response(status_code=204, headers=_PREFLIGHT)
        if method not in {"GET", "POST"}:
            return error(405, f"{method} is not part of the SPARQL query protocol: use GET or POST "
                              "(this endpoint is read-only)", {"Allow": "GET, POST, OPTIONS"})
        try:
            operation = await self._operation(request)
            checked = check_query(operation.query, max_bytes=self.settings.max_query_bytes)
            fmt = negotiate(request.headers.get("accept"), operation.format, checked.form)
        except _Redirect:
            return RedirectResponse("/", status_code=303, headers=CORS)
        except QueryError as exc:
            return error(getattr(exc, "status", 400), str(exc))
        base = str(request.url.replace(query="", fragment=""))
        job = Job(operation.query, fmt, self.settings.max_rows, operation.default_graphs,
                  operation.named_graphs, _prefixes(), base)
        reply = await self.pool.run(job, self.settings.timeout)
        return self._response(reply)

    async def _operation(self, request: Request):  # type: ignore[no-untyped-def]
        params = read_params(request.scope.get("query_string", b""))
        if request.method == "GET":
            if not params and "text/html" in request.headers.get("accept", ""):
                raise _Redirect()
            return query_operation(params)
        ctype = request.headers.get("content-type", "")
        media, _, rest = ctype.partition(";")
        media = media.strip().lower()
        charset = _charset(rest)
        if media == "application/sparql-update":
            raise _refused_update()
        if media not in {"application/x-www-form-urlencoded", "application/sparql-query"}:
            what = f"Content-Type {media!r}" if media else "no Content-Type"
            raise BadRequest(f"{what}: POST a query as application/x-www-form-urlencoded (query=...) "
                             "or as application/sparql-query (the query as the body)", status=415)
        if charset not in {None, "utf-8", "utf8"}:
            raise BadRequest(f"charset {charset!r}: the protocol requires UTF-8 query text", status=415)
        body = await self._body(request)
        if media == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadRequest(f"the query is not UTF-8 (bad byte at offset {exc.start}); "
                                 "send UTF-8 text") from None
            return query_operation(params, text)
        form = read_params(body)
        for key, values in params.items():  # dataset parameters may sit in the URL
            form.setdefault(key, []).extend(values)
        return query_operation(form)

    async def _body(self, request: Request) -> bytes:
        """The request body, refused early (413) when it cannot hold a query under the cap."""
        cap = self.settings.max_query_bytes * 3 + 65536  # percent-encoding triples the size
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > cap:
            raise QueryTooLarge(f"the request body is {int(length):,} bytes; this endpoint accepts "
                                f"queries of at most {self.settings.max_query_bytes:,} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise QueryTooLarge(f"the request body passed {cap:,} bytes; this endpoint accepts "
                                    f"queries of at most {self.settings.max_query_bytes:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _response(self, reply: Reply) -> Response:
        if reply.status != 200:
            return error(reply.status, reply.body.decode("utf-8", "replace"))
        headers = {**CORS, "Vary": "Accept", "X-GutKG-Rows": str(reply.count)}
        if reply.truncated:
            headers["X-GutKG-Truncated"] = "true"
            headers["X-GutKG-Note"] = (reply.note or "result truncated") + \
                " (raise with gutkg serve --max-rows)"
        return Response(reply.body, media_type=reply.content_type, headers=headers)

    # ------------------------------------------------------------------ pages

    async def index(self, request: Request) -> Response:
        page = static_dir().joinpath("index.html")
        if not page.is_file():
            return error(500, "the query UI files are missing from this installation; rebuild them "
                              "with scripts/build_assets.sh or reinstall gutkg")
        return Response(page.read_bytes(), media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": _UI_CSP})

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
            return error(404, f"no bundled question named {request.path_params['name']!r}; "
                              "see /queries")
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
                return error(404, "the explorer page is not available in this installation "
                                  "(gutkg.export.html.to_html is missing)")
            self._explore_cache = await asyncio.get_running_loop().run_in_executor(
                None, _build_explorer, to_html, self.settings)
        return Response(self._explore_cache, media_type="text/html; charset=utf-8")

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", **self.info, "alive_workers": self.pool.alive,
                             "worker_pids": self.pool.pids,
                             "timeout_s": self.settings.timeout, "max_rows": self.settings.max_rows,
                             "max_query_bytes": self.settings.max_query_bytes, **self.pool.stats},
                            headers=CORS)


class _Redirect(QueryError):
    """A browser opened /sparql with no query: send it to the UI."""

    status = 303


def _refused_update() -> QueryError:
    from gutkg.sparql.guard import QueryRefused

    return QueryRefused("SPARQL Update is refused: this endpoint is read-only. Edit the graph with "
                        "gutkg add / gutkg import instead.")


def _charset(params: str) -> str | None:
    for part in params.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip().strip('"').lower()
    return None


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
        return question.text
    try:
        bound = inject_values(question.text, bindings)
    except ValueError:
        return question.text
    start = bound.index(" VALUES (", len(question.text[: question.text.index("{")]))
    end = bound.index(") } ", start) + 4
    return bound[:start] + "\n  " + bound[start + 1:end - 1] + "\n  " + bound[end:]


def _build_explorer(to_html: Callable[[Any], str], settings: Settings) -> str:
    from gutkg.load import load
    from gutkg.network import to_network

    store = load(settings.graph or None, store=settings.store)
    return to_html(to_network(store))


def create_app(settings: Settings) -> Starlette:
    """The ASGI app (workers start with the app's lifespan)."""
    app = Endpoint(settings).app
    return app


def serve_forever(settings: Settings, *, host: str = "127.0.0.1", port: int = 7878,
                  announce: Callable[[str, dict[str, Any]], None] | None = None) -> None:
    """Build the graph store once (errors surface before binding), then serve until Ctrl+C."""
    import socket

    import uvicorn

    from gutkg.load import load

    if settings.store not in {"memory", "oxigraph"}:
        raise QueryError(f"gutkg serve runs on --store oxigraph (default) or memory, not "
                         f"{settings.store!r}")
    missing = check_static()
    if missing:
        raise QueryError("the query UI files are missing (" + ", ".join(missing) + "); run "
                         "scripts/build_assets.sh or reinstall gutkg")
    store = load(settings.graph or None, store=settings.store)  # parse errors are reported here
    store.close()
    del store
    endpoint = Endpoint(settings)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise QueryError(f"cannot listen on {host}:{port}: {exc.strerror}. Choose another --port "
                         "(0 picks a free one).") from None
    sock.listen(1024)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"

    async def main() -> None:
        endpoint.info = await endpoint.pool.start()  # a worker that cannot load raises here
        try:
            if announce:
                announce(url, endpoint.info)
            config = uvicorn.Config(endpoint.app, log_level="warning", access_log=False,
                                    lifespan="off", timeout_graceful_shutdown=2, **_fast_http())
            await uvicorn.Server(config).serve(sockets=[sock])
        finally:
            await endpoint.pool.close()
            sock.close()

    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(main())


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop when installed (faster), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop  # type: ignore[no-any-return]


def _fast_http() -> dict[str, str]:
    """httptools when installed (faster HTTP parsing), else h11."""
    import importlib.util

    return {"http": "httptools"} if importlib.util.find_spec("httptools") else {}

