"""A small pool of killable query workers, driven from the server's event loop.

Each worker (:mod:`gutkg.sparql.worker`) holds its own copy of the graph. A request takes an idle
worker, sends it the job and waits on the pipe without blocking the loop. When the time limit
passes, the worker is killed (SIGKILL: the query stops using the CPU at once) and a fresh one is
started in its place; other requests keep being served by the remaining workers meanwhile.

Workers come from a ``forkserver`` that has imported gutkg once, so a replacement starts in well
under a second with an on-disk Oxigraph store (it reopens the cached store read-only).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from gutkg.errors import StoreError
from gutkg.sparql.worker import Job, Reply


@dataclass(eq=False, repr=False)
class _Worker:
    proc: Any  # multiprocessing.Process
    conn: Connection
    ready: asyncio.Future[dict[str, Any]]
    info: dict[str, Any] = field(default_factory=dict)


class WorkerPool:
    """``size`` worker processes serving queries on the graph ``graph`` loaded into ``store``."""

    def __init__(self, graph: list[str], store: str = "oxigraph", *, size: int = 2,
                 memory_mb: int = 4096, sandbox: bool = True, start_timeout: float = 300) -> None:
        self.graph, self.store, self.size = list(graph), store, max(1, size)
        self.memory_mb, self.sandbox, self.start_timeout = memory_mb, sandbox, start_timeout
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["gutkg.sparql.worker", "gutkg.loading", "gutkg.sparql.results",
                                          "pyoxigraph"])
        self._idle: collections.deque[_Worker] = collections.deque()
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._started = False
        self._workers: set[_Worker] = set()
        self.info: dict[str, Any] = {}
        #: Counters for /health and the tests: queries run, killed on timeout, workers restarted.
        self.stats = {"queries": 0, "timeouts": 0, "restarts": 0, "crashes": 0}
        self._closed = False

    # ------------------------------------------------------------------ life cycle

    async def start(self) -> dict[str, Any]:
        """Start every worker and wait until each has loaded the graph."""
        self._started = True
        workers = [self._spawn() for _ in range(self.size)]
        try:
            infos = await asyncio.wait_for(asyncio.gather(*(w.ready for w in workers)),
                                           self.start_timeout)
        except BaseException:
            await self.close()
            raise
        self.info = {**infos[0], "workers": self.size}
        self.info.pop("pid", None)
        return self.info

    def _spawn(self) -> _Worker:
        from gutkg.sparql import worker

        loop = asyncio.get_running_loop()
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=worker.main, name="gutkg-sparql-worker", daemon=True,
                                 args=(child, self.graph, self.store, self.memory_mb, self.sandbox))
        proc.start()
        child.close()
        w = _Worker(proc, parent, loop.create_future())
        self._workers.add(w)
        loop.add_reader(parent.fileno(), self._on_startup_message, w)
        return w

    def _on_startup_message(self, w: _Worker) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(w.conn.fileno())
        try:
            os.set_blocking(w.conn.fileno(), True)
            kind, payload = w.conn.recv()
        except (EOFError, OSError):
            kind, payload = "failed", "the worker process exited while loading the graph"
        if kind == "ready":
            w.info = payload
            if not w.ready.done():
                w.ready.set_result(payload)
            if not self._closed:
                self._release(w)
        else:
            self._discard(w)
            if not w.ready.done():
                w.ready.set_exception(StoreError(f"cannot start a query worker: {payload}"))

    def _discard(self, w: _Worker) -> None:
        self._workers.discard(w)
        with contextlib.suppress(ValueError, OSError):
            asyncio.get_running_loop().remove_reader(w.conn.fileno())
        if w.proc.is_alive():
            w.proc.kill()
        w.conn.close()
        w.proc.join(timeout=0)

    def _replace(self, w: _Worker) -> None:
        """Kill ``w`` and start a fresh worker in its place."""
        self._discard(w)
        if self._closed:
            return
        self.stats["restarts"] += 1
        fresh = self._spawn()
        fresh.ready.add_done_callback(lambda f: f.exception())  # failures are logged via /health

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for w in list(self._workers):
            self._discard(w)
        deadline = time.monotonic() + 5
        for w in list(self._workers):
            w.proc.join(timeout=max(0.0, deadline - time.monotonic()))

    @property
    def alive(self) -> int:
        return sum(1 for w in self._workers if w.proc.is_alive())

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (a killed worker's id disappears from here)."""
        return sorted(w.proc.pid for w in self._workers if w.proc.is_alive())

    # ------------------------------------------------------------------ queries

    async def run(self, job: Job, timeout: float) -> Reply:
        """Run ``job`` on an idle worker; kill it and answer 503 if it passes ``timeout`` seconds."""
        assert self._started, "start() the pool first"
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        w = await self._acquire(loop, timeout)
        if w is None:
            return Reply(503, b"the server is busy: every query worker stayed occupied for the "
                              b"whole time limit; try again shortly")
        answer: asyncio.Future[Reply] = loop.create_future()
        fd = w.conn.fileno()

        def on_reply() -> None:
            loop.remove_reader(fd)
            if answer.done():
                return
            try:
                os.set_blocking(fd, True)  # uvloop makes watched fds non-blocking; recv needs it whole
                answer.set_result(w.conn.recv())
            except (EOFError, OSError) as exc:
                answer.set_exception(exc)

        def on_timeout() -> None:
            if not answer.done():
                answer.set_exception(_TimeLimit())

        try:
            w.conn.send(job)
        except (OSError, ValueError):
            self.stats["crashes"] += 1
            self._replace(w)
            return Reply(503, b"a query worker had stopped; it is being restarted, try again")
        loop.add_reader(fd, on_reply)
        self.stats["queries"] += 1
        timer = loop.call_later(max(0.01, timeout - (time.monotonic() - started)), on_timeout)
        try:
            reply = await answer
        except _TimeLimit:
            self.stats["timeouts"] += 1
            self._replace(w)
            return Reply(503, f"the query was stopped after the time limit of {timeout:g} s. Narrow it "
                              "(more specific patterns, LIMIT) or raise the limit with gutkg serve "
                              "--timeout.".encode())
        except (EOFError, OSError):
            self.stats["crashes"] += 1
            self._replace(w)
            return Reply(503, b"the query stopped its worker process (most likely it needed more "
                              b"memory than a query may use); narrow it down and try again")
        except asyncio.CancelledError:  # the client went away: the worker may still be busy
            self._replace(w)
            raise
        finally:
            timer.cancel()
        self._release(w)
        return reply

    async def _acquire(self, loop: asyncio.AbstractEventLoop, timeout: float) -> _Worker | None:
        """An idle worker, first come first served (None if none frees up within ``timeout``).

        A freed worker is handed straight to the longest-waiting request, so a request that just
        arrived can never overtake one that has been waiting (which is what made the latency tail
        long with a plain queue).
        """
        if self._idle and not self._waiting:
            return self._idle.popleft()
        ticket: asyncio.Future[_Worker] = loop.create_future()
        self._waiting.append(ticket)
        timer = loop.call_later(timeout, lambda: ticket.done() or ticket.cancel())
        try:
            return await ticket
        except asyncio.CancelledError:
            if ticket.cancelled() and not asyncio.current_task().cancelling():  # type: ignore[union-attr]
                return None  # our own time limit
            if ticket.done() and not ticket.cancelled():  # handed a worker just as we were cancelled
                self._release(ticket.result())
            raise
        finally:
            timer.cancel()  # a ticket left in _waiting is done: _release skips it

    def _release(self, w: _Worker) -> None:
        """Give ``w`` to the longest-waiting request, or put it back with the idle ones."""
        while self._waiting:
            ticket = self._waiting.popleft()
            if not ticket.done():
                ticket.set_result(w)
                return
        self._idle.append(w)


class _TimeLimit(Exception):
    """A query passed its time limit (internal: becomes a 503 reply)."""


def default_size() -> int:
    """One worker per CPU core, at least two (so one runaway query never blocks everyone)."""
    return max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2))
