"""The ``/sparql`` route as a bare ASGI handler: the hot path of the endpoint.

Written against ASGI directly rather than through the web framework's request and response
objects because every query passes here: reading the request, the guard, content negotiation and
the worker hop are all the server process does per query, so each microsecond shows in the
queries/s. The protocol rules themselves live in :mod:`gutkg.sparql.protocol` and
:mod:`gutkg.sparql.guard`.

Answers are cached (least recently used, bounded in bytes): the graph is read-only for the life
of the server, so the same query, dataset and format always give the same bytes. ``X-GutKG-Cache``
says ``hit`` or ``miss``; ``--cache-mb 0`` turns the cache off.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from gutkg.errors import QueryError
from gutkg.sparql.guard import BadRequest, QueryRefused, QueryTooLarge, check_query
from gutkg.sparql.pool import Ticket, WorkerPool
from gutkg.sparql.protocol import Operation, negotiate, query_operation, read_params
from gutkg.sparql.worker import Job, Reply

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

#: Headers on every answer: any origin may query (the data is public and the endpoint read-only).
CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"X-GutKG-Truncated, X-GutKG-Note, X-GutKG-Rows, X-GutKG-Cache"),
]
PREFLIGHT = [
    *CORS,
    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
    (b"access-control-allow-headers", b"Accept, Content-Type"),
    (b"access-control-max-age", b"86400"),
]
_TEXT = b"text/plain; charset=utf-8"
log = logging.getLogger("gutkg.serve")
#: Seconds a request waits for its answer before the server starts watching for its client
#: hanging up (watching costs a task; most answers come sooner).
WATCH_AFTER = 0.05


class ReplyCache:
    """Successful replies by (query, dataset, format, base), least recently used first out."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self.items: OrderedDict[tuple[Any, ...], Reply] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Reply | None:
        reply = self.items.get(key)
        if reply is None:
            self.misses += 1
            return None
        self.items.move_to_end(key)
        self.hits += 1
        return reply

    def put(self, key: tuple[Any, ...], reply: Reply) -> None:
        cost = len(reply.body) + len(key[0]) + 200
        if reply.status != 200 or cost > self.max_bytes // 8:
            return
        self.items[key] = reply
        self.size += cost
        while self.size > self.max_bytes and self.items:
            old_key, old = self.items.popitem(last=False)
            self.size -= len(old.body) + len(old_key[0]) + 200


class SparqlHandler:
    """ASGI callable for ``/sparql``: protocol in, worker pool, negotiated result out."""

    def __init__(
        self,
        pool: WorkerPool,
        *,
        timeout: float,
        max_rows: int,
        max_query_bytes: int,
        cache_mb: int = 64,
        max_answer_bytes: int = 0,
    ) -> None:
        self.pool, self.timeout, self.max_rows = pool, timeout, max_rows
        self.max_query_bytes, self.max_answer_bytes = max_query_bytes, max_answer_bytes
        self.cache = ReplyCache(cache_mb * 1024 * 1024) if cache_mb > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        if method == "OPTIONS":
            await _send(send, 204, b"", PREFLIGHT)
            return
        if method not in {"GET", "POST"}:
            await _error(
                send,
                405,
                f"{method} is not part of the SPARQL query protocol: use GET or POST (this endpoint is read-only)",
                [(b"allow", b"GET, POST, OPTIONS")],
            )
            return
        try:
            operation = await self._operation(scope, receive, headers)
            if operation is None:  # a browser opened /sparql: show it the query UI
                await _send(send, 303, b"", [*CORS, (b"location", b"/")])
                return
            checked = check_query(operation.query, max_bytes=self.max_query_bytes)
            fmt = negotiate(headers.get("accept"), operation.format, checked.form)
        except QueryError as exc:
            await _error(send, getattr(exc, "status", 400), str(exc))
            return
        base = f"{scope.get('scheme', 'http')}://{headers.get('host', 'localhost')}{scope['path']}"
        key = (operation.query, operation.default_graphs, operation.named_graphs, fmt, base)
        reply = self.cache.get(key) if self.cache is not None else None
        state, waited, ticket = b"hit", 0.0, None
        if reply is None:
            state = b"miss"
            job = Job(
                operation.query,
                fmt,
                self.max_rows,
                operation.default_graphs,
                operation.named_graphs,
                base,
                self.max_answer_bytes,
            )
            waited = time.perf_counter()
            client = scope.get("client")
            ticket = self.pool.submit(job, self.timeout, (client[0], client[1]) if client else ("", 0))
            reply = await self._answer(ticket, receive)
            if reply is None:  # the client hung up: its work was dropped, nobody to answer
                return
            waited = (time.perf_counter() - waited) * 1000 - reply.ms
            if self.cache is not None and not reply.length:
                self.cache.put(key, reply)
        if reply.status != 200:
            await _error(send, reply.status, reply.body.decode("utf-8", "replace"))
            return
        extra = [*CORS, (b"vary", b"Accept"), (b"x-gutkg-rows", str(reply.rows).encode()), (b"x-gutkg-cache", state)]
        if state == b"miss":  # Server-Timing: the query's own time, and the queue and hand-over
            extra.append((b"server-timing", f"query;dur={reply.ms:.2f}, wait;dur={waited:.2f}".encode()))
        if reply.truncated:
            note = (reply.note or "result truncated") + " (raise with gutkg serve --max-rows)"
            extra += [(b"x-gutkg-truncated", b"true"), (b"x-gutkg-note", note.encode())]
        head = [(b"content-type", reply.content_type.encode()), *extra]
        if reply.length and ticket is not None:
            await self._stream(send, ticket, reply.length, head)
            return
        await _send(send, 200, reply.body, head)

    async def _answer(self, ticket: Ticket, receive: Receive) -> Reply | None:
        """The reply for ``ticket``, or None if the client hung up first (the pool then drops or
        stops the work: nobody is waiting for it)."""
        answer = ticket.answer
        if answer.done():
            return answer.result()
        watching: list[asyncio.Future[None]] = []

        def on_gone(task: asyncio.Future[None]) -> None:
            if not task.cancelled():
                self.pool.abandon(ticket)

        def watch() -> None:  # only for requests still waiting: most are answered before this
            if not answer.done():
                gone = asyncio.ensure_future(_disconnected(receive))
                gone.add_done_callback(on_gone)
                watching.append(gone)

        timer = asyncio.get_running_loop().call_later(WATCH_AFTER, watch)
        try:
            return await answer
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if ticket.abandoned and answer.cancelled() and not (task and task.cancelling()):
                return None  # dropped or stopped by the pool because the client left
            self.pool.abandon(ticket)  # this request itself was cancelled (server stopping)
            raise
        finally:
            timer.cancel()
            for gone in watching:
                gone.cancel()

    async def _stream(self, send: Send, ticket: Ticket, length: int, headers: list[tuple[bytes, bytes]]) -> None:
        """Forward a large answer chunk by chunk as the client takes it. A client that takes no
        chunk for the time limit is cut off; the rest is read away and the worker kept."""
        stream = ticket.stream
        assert stream is not None
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [*headers, (b"content-length", str(length).encode())],
                }
            )
            while chunk := await stream.next():
                await asyncio.wait_for(
                    send({"type": "http.response.body", "body": chunk, "more_body": True}), self.timeout
                )
            await send({"type": "http.response.body", "body": b""})
        except TimeoutError:
            self.pool.stats["stalled"] += 1
            log.warning(
                "a client stopped reading a %s-byte answer for %g s; its connection is dropped (query sha256:%s)",
                f"{length:,}",
                self.timeout,
                ticket.digest,
            )
            stream.drain()
        except BaseException:
            stream.drain()
            raise

    async def _operation(self, scope: Scope, receive: Receive, headers: dict[str, str]) -> Operation | None:
        params = read_params(scope.get("query_string", b""))
        if scope["method"] == "GET":
            if not params and "text/html" in headers.get("accept", ""):
                return None
            return query_operation(params)
        media, _, rest = headers.get("content-type", "").partition(";")
        media = media.strip().lower()
        charset = _charset(rest)
        if media == "application/sparql-update":
            raise QueryRefused(
                "SPARQL Update is refused: this endpoint is read-only. Edit the graph "
                "with gutkg add / gutkg import instead."
            )
        if media not in {"application/x-www-form-urlencoded", "application/sparql-query"}:
            what = f"Content-Type {media!r}" if media else "no Content-Type"
            raise BadRequest(
                f"{what}: POST a query as application/x-www-form-urlencoded (query=...) "
                "or as application/sparql-query (the query as the body)",
                status=415,
            )
        if charset not in {None, "utf-8", "utf8"}:
            raise BadRequest(f"charset {charset!r}: the protocol requires UTF-8 query text", status=415)
        body = await self._body(receive, headers)
        if media == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadRequest(f"the query is not UTF-8 (bad byte at offset {exc.start}); send UTF-8 text") from None
            return query_operation(params, text)
        form = read_params(body)
        for key, values in params.items():  # dataset parameters may sit in the URL
            form.setdefault(key, []).extend(values)
        return query_operation(form)

    async def _body(self, receive: Receive, headers: dict[str, str]) -> bytes:
        """The request body, refused (413) as soon as it cannot hold a query under the cap."""
        cap = self.max_query_bytes * 3 + 65536  # percent-encoding can triple a query's size
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            raise QueryTooLarge(
                f"the request body is {int(length):,} bytes; this endpoint accepts "
                f"queries of at most {self.max_query_bytes:,} bytes"
            )
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                raise QueryTooLarge(
                    f"the request body passed {cap:,} bytes; this endpoint accepts "
                    f"queries of at most {self.max_query_bytes:,} bytes"
                )
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    def stats(self) -> dict[str, int]:
        if self.cache is None:
            return {"cache_hits": 0, "cache_misses": 0, "cache_entries": 0}
        return {
            "cache_hits": self.cache.hits,
            "cache_misses": self.cache.misses,
            "cache_entries": len(self.cache.items),
        }


async def _disconnected(receive: Receive) -> None:
    """Return once the client has hung up (the request body was already read)."""
    while (await receive())["type"] != "http.disconnect":
        pass


def _charset(params: str) -> str | None:
    for part in params.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def _send(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _error(send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    """A protocol error: plain text that says what went wrong and how to fix it."""
    await _send(send, status, message.rstrip().encode() + b"\n", [(b"content-type", _TEXT), *CORS, *(extra or [])])
