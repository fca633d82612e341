"""A small pool of killable query workers, shared fairly among clients, driven from the event loop.

Each worker (:mod:`gutkg.sparql.worker`) holds its own copy of the graph. A request becomes a
:class:`Ticket` in the queue of its connection; whenever a worker is free, the scheduler starts the
next ticket of the connection whose address has the fewest queries running, then whose connection
has, then the one waiting longest. So one client's flood never stands in front of
everyone else, and opening many connections from one address does not buy a larger share.

The rules that keep the workers available (issue 15.2):

* **The time limit counts from the moment a worker starts the query**, never from arrival: a query
  that waited gets its whole limit, and is not started only to be killed milliseconds later.
* **Work whose client has gone is dropped**: a queued ticket is removed; a running query gets a
  short grace (most small queries finish within it, and the worker is kept) and is then stopped.
* **Heavy clients keep a worker free for others.** A connection, and its address, become heavy
  for a while when one of its queries runs longer than ``heavy_after`` seconds. A query is heavy
  if its connection is, or if its address is and the connection has not yet shown itself light
  (answered short queries and never a long one): so a new connection from an attacking address
  counts as heavy, while a browser tab or script on the same machine that has been sending short
  queries stays light. Heavy queries together may hold at most ``size - 1`` workers, so light
  ones always find one. If queries that became long while running hold every worker while a light
  one waits, the most recent of them is stopped (HTTP 503, saying why), once: the cap then holds.

Stopping a query means killing its worker (SIGKILL: a running Oxigraph query cannot be cancelled
any other way). A standby worker, loaded and waiting, takes its place at once, and a fresh standby
is started from a ``forkserver`` that has imported gutkg once. Every
worker death is logged with its pid, the signal and a hash of the query.

Answers larger than one chunk are streamed: the worker sends the reply's head, then the body in
chunks; the handler pulls chunks as the client takes them (:class:`Stream`), so the server process
never holds a whole large answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from gutkg.errors import StoreError
from gutkg.sparql.worker import Job, Reply

log = logging.getLogger("gutkg.serve")

#: How long a client counts as heavy after one of its queries ran long (seconds).
HEAVY_MEMORY = 30.0
#: How long a running query whose client hung up may still finish before it is stopped (seconds).
ABANDON_GRACE = 0.25
#: Requests one client may have waiting at once (more are answered 503 at once).
MAX_QUEUED_PER_CLIENT = 256


@dataclass(eq=False, repr=False)
class _Worker:
    proc: Any  # multiprocessing.Process
    conn: Connection
    ready: asyncio.Future[dict[str, Any]]
    info: dict[str, Any] = field(default_factory=dict)
    ticket: Ticket | None = None
    spare: bool = False  # a standby, not yet serving


@dataclass(eq=False, repr=False)
class _Address:
    """A remote address: what its connections run, and whether it is heavy."""

    key: str
    running: int = 0
    heavy_until: float = 0.0
    flows: int = 0


@dataclass(eq=False, repr=False)
class _Flow:
    """One client connection (address and port) and its queue."""

    key: tuple[str, int]
    address: _Address
    queue: deque[Ticket] = field(default_factory=deque)
    running: int = 0
    last_seen: float = 0.0
    heavy_until: float = 0.0
    light_done: int = 0  # short queries it has had answered

    def heavy(self, now: float) -> bool:
        return self.heavy_until > now or (self.address.heavy_until > now and not self.light_done)


class Ticket:
    """One request's place in the pool: queued, then running on a worker, then answered."""

    __slots__ = (
        "abandoned",
        "answer",
        "flow",
        "heavy",
        "job",
        "long",
        "queued_at",
        "started_at",
        "stream",
        "timeout",
        "timers",
        "worker",
    )

    def __init__(self, job: Job, flow: _Flow, answer: asyncio.Future[Reply], timeout: float) -> None:
        self.job, self.flow, self.answer, self.timeout = job, flow, answer, timeout
        self.heavy = False
        self.queued_at = time.monotonic()
        self.started_at = 0.0
        self.worker: _Worker | None = None
        self.timers: list[asyncio.TimerHandle] = []
        self.long = False
        self.abandoned = False
        self.stream: Stream | None = None

    @property
    def digest(self) -> str:
        """A short hash of the query text, for logs (the text itself may be huge or private)."""
        return hashlib.sha256(self.job.query.encode()).hexdigest()[:16]


class WorkerPool:
    """``size`` worker processes serving queries on the graph ``graph`` loaded into ``store``."""

    def __init__(
        self,
        graph: list[str],
        store: str = "oxigraph",
        *,
        size: int = 2,
        memory_mb: int = 4096,
        sandbox: bool = True,
        start_timeout: float = 300,
        heavy_after: float = 1.0,
    ) -> None:
        self.graph, self.store, self.size = list(graph), store, max(1, size)
        self.memory_mb, self.sandbox, self.start_timeout = memory_mb, sandbox, start_timeout
        self.heavy_after = heavy_after
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["gutkg.sparql.worker", "gutkg.loading", "gutkg.sparql.results", "pyoxigraph"])
        self._idle: deque[_Worker] = deque()
        self._addresses: dict[str, _Address] = {}
        self._flows: dict[tuple[str, int], _Flow] = {}
        self._waiting: dict[tuple[str, int], _Flow] = {}  # flows with queued tickets
        self._queued = 0
        self._starting = 0
        self._spare: _Worker | None = None
        self._started = False
        self._workers: set[_Worker] = set()
        self.info: dict[str, Any] = {}
        #: Counters for /health and the tests.
        self.stats = {
            "queries": 0,
            "timeouts": 0,
            "restarts": 0,
            "crashes": 0,
            "abandoned": 0,
            "preempted": 0,
            "refused_busy": 0,
            "stalled": 0,
        }
        self._closed = False

    # ------------------------------------------------------------------ life cycle

    async def start(self) -> dict[str, Any]:
        """Start every worker and wait until each has loaded the graph."""
        self._started = True
        workers = [self._spawn() for _ in range(self.size)]
        try:
            infos = await asyncio.wait_for(asyncio.gather(*(w.ready for w in workers)), self.start_timeout)
        except BaseException:
            await self.close()
            raise
        self.info = {**infos[0], "workers": self.size}
        self.info.pop("pid", None)
        self._spawn(spare=True)
        return self.info

    def _spawn(self, *, spare: bool = False) -> _Worker:
        from gutkg.sparql import worker

        loop = asyncio.get_running_loop()
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=worker.main,
            name="gutkg-sparql-worker",
            daemon=True,
            args=(child, self.graph, self.store, self.memory_mb, self.sandbox),
        )
        proc.start()
        child.close()
        w = _Worker(proc, parent, loop.create_future(), spare=spare)
        if spare:  # a standby: it takes a stopped worker's place at once (no wait for a start)
            self._spare = w
        else:
            self._workers.add(w)
            self._starting += 1
        loop.add_reader(parent.fileno(), self._on_startup_message, w)
        return w

    def _on_startup_message(self, w: _Worker) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(w.conn.fileno())
        if not w.spare:
            self._starting -= 1
        try:
            os.set_blocking(w.conn.fileno(), True)
            kind, payload = w.conn.recv()
        except (EOFError, OSError):
            kind, payload = "failed", "the worker process exited while loading the graph"
        if kind == "ready":
            w.info = payload
            if not w.ready.done():
                w.ready.set_result(payload)
            if not self._closed and not w.spare:
                self._idle.append(w)
                self._dispatch()
        else:
            if w.spare:
                self._spare = None
            self._discard(w)
            log.warning("a query worker could not start: %s", payload)
            if not w.ready.done():
                w.ready.set_exception(StoreError(f"cannot start a query worker: {payload}"))

    def _discard(self, w: _Worker) -> None:
        self._workers.discard(w)
        with contextlib.suppress(ValueError):
            self._idle.remove(w)
        with contextlib.suppress(ValueError, OSError):
            asyncio.get_running_loop().remove_reader(w.conn.fileno())
        if w.proc.is_alive():
            w.proc.kill()
        w.conn.close()
        w.proc.join(timeout=0)

    def _replace(self, w: _Worker, why: str, ticket: Ticket | None = None, *, died: bool = False) -> None:
        """Kill ``w`` (if it still runs), log its death, and start a fresh worker in its place.
        ``died``: its pipe closed by itself (wait a moment to read how it ended)."""
        pid = w.proc.pid
        if died:
            w.proc.join(timeout=1.0)
        killed = w.proc.is_alive()
        self._discard(w)
        log.warning(
            "query worker %s %s (%s) %s%s; %s",
            pid,
            "killed" if killed else "died",
            signal_name(-9 if killed else w.proc.exitcode),
            why,
            f", query sha256:{ticket.digest}" if ticket else "",
            "starting a fresh one" if not self._closed else "server stopping",
        )
        if self._closed:
            return
        self.stats["restarts"] += 1
        spare = self._spare
        if spare is not None and spare.ready.done() and not spare.ready.exception():
            spare.spare, self._spare = False, None
            self._workers.add(spare)
            self._idle.append(spare)
            self._spawn(spare=True).ready.add_done_callback(lambda f: f.exception())
            self._dispatch()
            return
        fresh = self._spawn()
        fresh.ready.add_done_callback(lambda f: f.exception())  # failures are logged above

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        if self._spare is not None:
            self._workers.add(self._spare)  # stopped and joined with the others
            self._spare = None
        workers = list(self._workers)
        for w in workers:
            self._discard(w)
        deadline = time.monotonic() + 5
        for w in workers:
            w.proc.join(timeout=max(0.0, deadline - time.monotonic()))

    @property
    def alive(self) -> int:
        return sum(1 for w in self._workers if w.proc.is_alive())

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (a killed worker's id disappears from here)."""
        return sorted(w.proc.pid for w in self._workers if w.proc.is_alive())

    @property
    def queued(self) -> int:
        return self._queued

    # ------------------------------------------------------------------ queries

    async def run(self, job: Job, timeout: float, client: tuple[str, int] = ("", 0)) -> Reply:
        """Run ``job`` for ``client`` (address, port); the reply (:attr:`Ticket.stream` is set on a
        streamed one).

        Cancelling the caller abandons the request (see :meth:`abandon`).
        """
        ticket = self.submit(job, timeout, client)
        try:
            return await asyncio.shield(ticket.answer)
        except asyncio.CancelledError:
            self.abandon(ticket)
            raise

    def submit(self, job: Job, timeout: float, client: tuple[str, int] = ("", 0)) -> Ticket:
        """Queue ``job`` for ``client``, an (address, port) pair (the answer arrives in
        ``ticket.answer``)."""
        assert self._started, "start() the pool first"
        loop = asyncio.get_running_loop()
        flow = self._flow(client)
        ticket = Ticket(job, flow, loop.create_future(), timeout)
        if len(flow.queue) >= MAX_QUEUED_PER_CLIENT:
            self.stats["refused_busy"] += 1
            ticket.answer.set_result(
                Reply(
                    503,
                    f"{len(flow.queue)} requests from this connection are "
                    "already waiting; wait for their answers before "
                    "sending more".encode(),
                )
            )
            return ticket
        flow.queue.append(ticket)
        self._waiting[flow.key] = flow
        self._queued += 1
        self._dispatch()
        if ticket.worker is None:  # it waits: bound the wait, and see whether a long query must yield
            ticket.timers.append(loop.call_later(max(60.0, 3 * timeout), self._queue_limit, ticket))
            self._maybe_preempt()
        return ticket

    def abandon(self, ticket: Ticket) -> None:
        """The client of ``ticket`` has gone: drop it if queued, stop it soon if running."""
        if ticket.abandoned or (ticket.answer.done() and ticket.stream is None):
            return
        ticket.abandoned = True
        self.stats["abandoned"] += 1
        if ticket.worker is None:  # still queued
            self._unqueue(ticket)
            self._cancel_timers(ticket)
            if not ticket.answer.done():
                ticket.answer.cancel()
            return
        if ticket.stream is not None:  # answer being handed over: read the rest away, keep the worker
            ticket.stream.drain()
            return
        loop = asyncio.get_running_loop()
        ticket.timers.append(loop.call_later(ABANDON_GRACE, self._stop_abandoned, ticket))

    # ------------------------------------------------------------------ scheduling

    def _dispatch(self) -> None:
        """Start queued tickets on idle workers, fairly across clients."""
        while self._idle and self._queued:
            ticket = self._next_ticket()
            if ticket is None:
                return
            self._start(self._idle.popleft(), ticket)

    def _next_ticket(self) -> Ticket | None:
        now = time.monotonic()
        capped = (
            self.size > 1 and sum(1 for w in self._workers if w.ticket is not None and w.ticket.heavy) >= self.size - 1
        )
        best: _Flow | None = None
        best_key = (0, 0, 0.0)  # fewest running on the address, then on the connection, then FIFO
        for flow in self._waiting.values():
            if capped and flow.heavy(now):
                continue  # heavy queries leave a worker for the others
            key = (flow.address.running, flow.running, flow.queue[0].queued_at)
            if best is None or key < best_key:
                best, best_key = flow, key
        if best is None:
            return None
        ticket = best.queue.popleft()
        if not best.queue:
            del self._waiting[best.key]
        self._queued -= 1
        ticket.heavy = best.heavy(now)
        return ticket

    def _start(self, w: _Worker, ticket: Ticket) -> None:
        loop = asyncio.get_running_loop()
        self._cancel_timers(ticket)  # the queue limit
        try:
            w.conn.send(ticket.job)
        except (OSError, ValueError):
            self.stats["crashes"] += 1
            self._replace(w, "before it was given a query", died=True)
            ticket.flow.queue.appendleft(ticket)
            self._waiting[ticket.flow.key] = ticket.flow
            self._queued += 1
            return
        self.stats["queries"] += 1
        now = time.monotonic()
        ticket.started_at = now
        ticket.worker, w.ticket = w, ticket
        flow = ticket.flow
        flow.running += 1
        flow.address.running += 1
        flow.last_seen = now
        # one timer: first when the query becomes long, then (re-armed) at the time limit
        first = min(self.heavy_after, ticket.timeout)
        ticket.timers = [loop.call_later(first, self._ran_long, ticket)]
        loop.add_reader(w.conn.fileno(), self._on_reply, ticket)

    def _on_reply(self, ticket: Ticket) -> None:
        w = ticket.worker
        assert w is not None
        loop = asyncio.get_running_loop()
        fd = w.conn.fileno()
        loop.remove_reader(fd)
        try:
            os.set_blocking(fd, True)  # uvloop makes watched fds non-blocking; recv needs it whole
            reply: Reply = w.conn.recv()
        except (EOFError, OSError):
            self._crashed(ticket)
            return
        self._cancel_timers(ticket)
        if reply.length:  # the body follows in chunks: the worker is busy until it is read
            ticket.stream = Stream(self, ticket, reply.length)
            if ticket.abandoned:
                ticket.stream.drain()
            elif not ticket.answer.done():
                ticket.answer.set_result(reply)
            return
        if not ticket.answer.done():
            ticket.answer.set_result(reply)
        self._finish(ticket, keep_worker=True)

    def _finish(self, ticket: Ticket, *, keep_worker: bool) -> None:
        """``ticket`` is done with its worker; give the worker the next ticket (or restart it)."""
        w = ticket.worker
        self._cancel_timers(ticket)
        if w is None:
            return
        ticket.worker, w.ticket = None, None
        flow = ticket.flow
        flow.running -= 1
        flow.address.running -= 1
        flow.last_seen = now = time.monotonic()
        if now - ticket.started_at >= self.heavy_after:
            self._mark_heavy(ticket)
        elif keep_worker and not ticket.abandoned:
            flow.light_done += 1
        if keep_worker and not self._closed:
            self._idle.append(w)
            self._dispatch()

    def _ran_long(self, ticket: Ticket) -> None:
        if ticket.worker is None or ticket.stream is not None:
            return
        left = ticket.timeout - (time.monotonic() - ticket.started_at)
        if left <= 0:
            self._time_limit(ticket)
            return
        ticket.timers = [asyncio.get_running_loop().call_later(left, self._time_limit, ticket)]
        ticket.long = ticket.heavy = True
        self._mark_heavy(ticket)
        self._maybe_preempt()

    def _mark_heavy(self, ticket: Ticket) -> None:
        until = time.monotonic() + HEAVY_MEMORY
        ticket.flow.heavy_until = ticket.flow.address.heavy_until = until
        ticket.flow.light_done = 0

    def _maybe_preempt(self) -> None:
        """Stop one long query if long queries hold every worker while an ordinary client waits."""
        if self._idle or self._starting or not self._queued:
            return
        now = time.monotonic()
        if all(flow.heavy(now) for flow in self._waiting.values()):
            return
        running = [w.ticket for w in self._workers if w.ticket is not None and w.ticket.stream is None]
        if len(running) < self.size or not all(t.long for t in running):
            return  # a worker is free, starting, or handing over an answer: it will be free soon
        victim = max(running, key=lambda t: (t.flow.address.running, t.flow.running, t.started_at))
        ran = now - victim.started_at
        self.stats["preempted"] += 1
        self._kill(
            victim,
            "stopped to let other clients' queries run",
            Reply(
                503,
                f"the query was stopped after running {ran:.1f} s so that other clients' queries "
                "could run: queries from your address have been running long while others "
                "waited. Narrow the query (more specific patterns, LIMIT) or try again "
                "shortly.".encode(),
            ),
        )

    # ------------------------------------------------------------------ endings

    def _time_limit(self, ticket: Ticket) -> None:
        if ticket.worker is None or ticket.stream is not None:
            return
        now = time.monotonic()
        ran, waited = now - ticket.started_at, ticket.started_at - ticket.queued_at
        self.stats["timeouts"] += 1
        self._kill(
            ticket,
            "at the time limit",
            Reply(
                503,
                f"the query was stopped after the time limit of {ticket.timeout:g} s (after running "
                f"{ran:.1f} s on a worker; it waited {waited:.1f} s for one). Narrow it (more "
                "specific patterns, LIMIT) or raise the limit with gutkg serve --timeout.".encode(),
            ),
        )

    def _stop_abandoned(self, ticket: Ticket) -> None:
        if ticket.worker is None or ticket.stream is not None:
            return
        self._kill(ticket, "its client hung up", None)

    def _queue_limit(self, ticket: Ticket) -> None:
        if ticket.worker is not None or ticket.answer.done():
            return
        self._unqueue(ticket)
        self.stats["refused_busy"] += 1
        waited = time.monotonic() - ticket.queued_at
        ticket.answer.set_result(
            Reply(503, f"the server is busy: no query worker was free for {waited:.0f} s; try again shortly".encode())
        )

    def _kill(self, ticket: Ticket, why: str, reply: Reply | None) -> None:
        w = ticket.worker
        assert w is not None
        self._finish(ticket, keep_worker=False)
        if reply is not None and not ticket.answer.done():
            ticket.answer.set_result(reply)
        elif not ticket.answer.done():
            ticket.answer.cancel()
        self._replace(w, why, ticket)

    def _crashed(self, ticket: Ticket) -> None:
        w = ticket.worker
        assert w is not None
        self.stats["crashes"] += 1
        self._finish(ticket, keep_worker=False)
        self._replace(w, "while running a query", ticket, died=True)
        code = w.proc.exitcode
        if code == -signal.SIGABRT:  # Rust's allocation failure under the address-space cap
            text = (
                "the query stopped its worker process: it needed more memory than a query may "
                "use; narrow it down (LIMIT, more specific patterns) and try again"
            )
        else:
            text = (
                f"the query crashed its worker process ({signal_name(code)}); the worker has "
                "been restarted. Simplify the query (less deeply nested expressions) and try "
                "again"
            )
        if not ticket.answer.done():
            ticket.answer.set_result(Reply(503, text.encode()))

    # ------------------------------------------------------------------ helpers

    def _unqueue(self, ticket: Ticket) -> None:
        flow = ticket.flow
        with contextlib.suppress(ValueError):
            flow.queue.remove(ticket)
            self._queued -= 1
        if not flow.queue:
            self._waiting.pop(flow.key, None)

    @staticmethod
    def _cancel_timers(ticket: Ticket) -> None:
        for timer in ticket.timers:
            timer.cancel()
        ticket.timers.clear()

    def _flow(self, client: tuple[str, int]) -> _Flow:
        """The record of connection ``client`` (made on its first request)."""
        flow = self._flows.get(client)
        if flow is not None:
            return flow
        if len(self._flows) >= 4096:
            self._prune()
        address = self._addresses.get(client[0])
        if address is None:
            address = self._addresses[client[0]] = _Address(client[0])
        address.flows += 1
        flow = self._flows[client] = _Flow(client, address, last_seen=time.monotonic())
        return flow

    def _prune(self) -> None:
        """Forget the connections idle longest, down to half the table (an address stays known,
        and heavy, while its heaviness lasts)."""
        now = time.monotonic()
        idle = sorted((f for f in self._flows.values() if not f.queue and not f.running), key=lambda f: f.last_seen)
        for flow in idle[: max(0, len(self._flows) - 2048)]:
            del self._flows[flow.key]
            flow.address.flows -= 1
            if not flow.address.flows and flow.address.heavy_until <= now:
                self._addresses.pop(flow.address.key, None)


class Stream:
    """The body of a streamed answer, pulled chunk by chunk from the worker's pipe.

    The handler awaits :meth:`next` for each chunk as the client takes the previous one, so only a
    chunk at a time is in the server. :meth:`drain` reads the rest away (the client left or
    stopped reading) and gives the worker back without killing it.
    """

    def __init__(self, pool: WorkerPool, ticket: Ticket, length: int) -> None:
        self.pool, self.ticket, self.length, self.left = pool, ticket, length, length
        self._draining = False

    async def next(self) -> bytes:
        """The next chunk (``b""`` at the end)."""
        if self.left <= 0 or self._draining:
            return b""
        w = self.ticket.worker
        assert w is not None
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = w.conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, wake)
        try:
            await ready
        finally:
            loop.remove_reader(fd)
        return self._read()

    def _read(self) -> bytes:
        w = self.ticket.worker
        assert w is not None
        try:
            os.set_blocking(w.conn.fileno(), True)
            chunk = w.conn.recv_bytes()
        except (EOFError, OSError):
            self.left = 0
            self.pool._crashed(self.ticket)
            return b""
        self.left -= len(chunk)
        if self.left <= 0:
            self.pool._finish(self.ticket, keep_worker=True)
        return chunk

    def drain(self) -> None:
        """Read the rest of the body away (off the caller's stack) and free the worker."""
        if self._draining or self.left <= 0 or self.ticket.worker is None:
            return
        self._draining = True
        w = self.ticket.worker
        loop = asyncio.get_running_loop()

        fd = w.conn.fileno()

        def on_readable() -> None:
            loop.remove_reader(fd)  # before reading: the last chunk hands the worker on
            if self.ticket.worker is w:
                self._read()
            if self.left > 0 and self.ticket.worker is w:
                loop.add_reader(fd, on_readable)

        loop.add_reader(fd, on_readable)


def signal_name(code: int | None) -> str:
    """``-9`` -> ``"SIGKILL"``; a positive exit status as ``"exit status N"``."""
    if code is None:
        return "still running"
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def default_size() -> int:
    """One worker per CPU core, at least two (so one runaway query never blocks everyone)."""
    return max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2))
