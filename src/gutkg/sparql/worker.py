"""A query worker: one process holding the graph, answering query jobs over a pipe.

Why a process and not a thread: a running Oxigraph query cannot be cancelled from Python, so the
only sure way to stop a runaway query is to kill the process running it (the pool then starts a
fresh one). A worker also fences itself in before it loads anything:

* it moves into a new network namespace with no interfaces up, so even a ``SERVICE`` that slipped
  past :mod:`gutkg.sparql.guard` cannot reach any host (not even loopback);
* it caps its own address space (``RLIMIT_AS``), so a query that tries to build a huge result
  fails instead of exhausting the machine's memory;
* it asks the kernel to kill it when its parent dies, so no orphan keeps burning a core.

The job and reply are plain tuples (cheap to pickle); the reply already holds the serialised
body, so the server process does no per-row work.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
import time
from multiprocessing.connection import Connection
from typing import NamedTuple

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1


class Job(NamedTuple):
    """One query for a worker: text, wanted format, row cap, protocol dataset and base IRI.

    A plain tuple, as it is pickled for every request; the default prefixes are not sent with
    each job: every worker declares gutkg's prefixes itself.
    """

    query: str
    fmt: str
    max_rows: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    max_bytes: int = 0  # largest answer body sent; 0: no cap


#: Bodies larger than this are sent after the reply's head, in chunks of this size.
CHUNK = 256 * 1024


class Reply(NamedTuple):
    """A worker's answer: ``status`` 200 with a body, or an HTTP error status with a message
    (a plain tuple too: it crosses the pipe for every request)."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    truncated: bool = False
    note: str = ""
    rows: int = 0  # rows or triples in the body
    ms: float = 0.0  # time the worker spent running and serialising the query
    length: int = 0  # streamed: the body (this many bytes) follows in chunks; ``body`` is empty


def isolate_network() -> str:
    """Enter a fresh network namespace (nothing reachable). Returns how, or why not."""
    if not sys.platform.startswith("linux"):
        return "unavailable (not Linux); SERVICE is refused by the query guard only"
    libc = ctypes.CDLL(None, use_errno=True)
    for flags, how in (
        (_CLONE_NEWNET, "network namespace"),
        (_CLONE_NEWUSER | _CLONE_NEWNET, "user+network namespace"),
    ):
        if libc.unshare(flags) == 0:
            return how
    return f"unavailable ({os.strerror(ctypes.get_errno())}); SERVICE is refused by the query guard only"


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _limit_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    import resource

    limit = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(conn: Connection, graph: list[str], store_spec: str, memory_mb: int, sandbox: bool = True) -> None:
    """Worker process entry point: fence in, load the graph, then answer jobs until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
    os.environ["RUST_BACKTRACE"] = "0"  # a query stopped by the memory cap: one line, not a trace
    _die_with_parent()
    how = isolate_network() if sandbox else "off"
    from gutkg.errors import GutKGError
    from gutkg.loading import load

    try:
        store = load(graph or None, store=store_spec)
    except GutKGError as exc:
        conn.send(("failed", str(exc)))
        return
    from gutkg.sparql.runner import default_prefixes

    prefixes = default_prefixes()
    gc.freeze()  # the graph and the libraries are here for good: keep them out of GC passes
    _limit_memory(memory_mb)
    conn.send(("ready", {"triples": len(store), "sandbox": how, "pid": os.getpid()}))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        send(conn, execute(store, job, prefixes))


def send(conn: Connection, reply: Reply) -> None:
    """Send ``reply``: whole when small, else its head and then the body in :data:`CHUNK` pieces
    (the server forwards each as the client takes it, so it never holds the whole answer)."""
    body = reply.body
    if len(body) <= CHUNK:
        conn.send(reply)
        return
    conn.send(reply._replace(body=b"", length=len(body)))
    view = memoryview(body)
    for start in range(0, len(body), CHUNK):
        conn.send_bytes(view[start : start + CHUNK])


def execute(store: object, job: Job, prefixes: dict[str, str] | None = None) -> Reply:
    """Run one job and serialise its result; every failure becomes a :class:`Reply` status."""
    from gutkg.errors import ParseError, QueryError, StoreError
    from gutkg.sparql.results import FORMATS, write

    try:
        kwargs: dict[str, object] = {"limit": job.max_rows, "prefixes": prefixes, "base_iri": job.base_iri}
        if job.default_graphs is not None or job.named_graphs is not None:
            if getattr(store, "backend", "") != "oxigraph":
                return Reply(
                    400, b"default-graph-uri / named-graph-uri need the Oxigraph store (gutkg serve --store oxigraph)"
                )
            kwargs["default_graphs"] = job.default_graphs if job.default_graphs is not None else []
            kwargs["named_graphs"] = job.named_graphs if job.named_graphs is not None else []
        started = time.perf_counter()
        result = store.query(job.query, **kwargs)  # type: ignore[attr-defined]
        fmt = job.fmt if result.kind in FORMATS[job.fmt].forms else _fallback(job.fmt, result.kind)
        if job.max_bytes and _text_size(result) > job.max_bytes:
            return _too_large(job.max_bytes)
        body = write(result, fmt)
        if job.max_bytes and len(body) > job.max_bytes:
            return _too_large(job.max_bytes)
        return Reply(
            200,
            body,
            FORMATS[fmt].content_type,
            result.truncated,
            result.note,
            len(result),
            (time.perf_counter() - started) * 1000,
        )
    except ParseError as exc:
        return Reply(400, str(exc).encode())
    except (QueryError, StoreError) as exc:
        return Reply(400, str(exc).encode())
    except RuntimeError as exc:  # raised by the engine while evaluating, e.g. an unknown function
        return Reply(
            400,
            f"the query cannot be evaluated: {exc}. Only SPARQL 1.1 functions (and "
            "GeoSPARQL's basic ones) are available here.".encode(),
        )
    except MemoryError:
        return Reply(
            503,
            b"the query needed more memory than a query may use; narrow it down (add LIMIT, more specific patterns)",
        )
    except OSError as exc:
        return Reply(500, f"the store failed to run the query: {exc}".encode())
    except Exception as exc:
        return Reply(500, f"internal error while running the query: {type(exc).__name__}: {exc}".encode())


def _text_size(result: object) -> int:
    """The characters of every value in ``result``: a floor on any serialisation's size, computed
    before one is built."""
    rows = getattr(result, "rows", None) or getattr(result, "triples", None) or []
    return sum(len(term.value) for row in rows for term in row if term is not None)


def _too_large(max_bytes: int) -> Reply:
    mib = max_bytes / (1024 * 1024)
    return Reply(
        503,
        f"the answer is larger than {mib:g} MiB, the most this endpoint sends for one "
        "query. Narrow the query (fewer rows with LIMIT, shorter values) or start "
        "gutkg serve with a larger --max-answer-mb.".encode(),
    )


def _fallback(fmt: str, kind: str) -> str:
    """The closest format for a result whose form the guard could not foresee."""
    from gutkg.sparql.results import default_format

    pairs = {
        ("json", "graph"): "jsonld",
        ("xml", "graph"): "rdfxml",
        ("jsonld", "select"): "json",
        ("rdfxml", "select"): "xml",
    }
    return pairs.get((fmt, "select" if kind == "ask" else kind), default_format(kind))
