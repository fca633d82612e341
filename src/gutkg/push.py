"""Push a graph into a triplestore, safely: replace, never duplicate, and say what landed.

Two ways in, both idempotent so a retry after a failure never duplicates a triple (blank nodes
would otherwise be copied, since a label means the same node only within one request):

* **Graph Store Protocol** (default): one ``PUT`` of the whole graph as N-Triples, which replaces
  the target graph (Oxigraph server: ``http://HOST:PORT/store``; Virtuoso:
  ``/sparql-graph-crud-auth`` with a named graph);
* **SPARQL Update** (``update=True``): ``CLEAR`` the target graph, then ``INSERT DATA`` in chunks
  small enough for Virtuoso (500 triples), triples sharing a blank node kept together.

If the server fails midway, :class:`~gutkg.errors.StoreError` says how many triples the server
confirmed (or that it could not be asked) and that re-running the same push is safe.
"""

from __future__ import annotations

import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from gutkg.errors import GutKGError, StoreError
from gutkg.store import Store


@dataclass
class PushReport:
    """What a push did: where, how, how many triples were sent and how many the server holds."""

    to: str
    method: str
    graph: str | None
    sent: int
    landed: int | None
    seconds: float
    store: str | None  # the --store spec that reads the pushed graph back

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def query_url_for(url: str) -> str | None:
    """The query endpoint next to a Graph Store or Update endpoint, by the servers' conventions.

    >>> query_url_for("http://h:7878/store"), query_url_for("http://h:8890/sparql-graph-crud-auth")
    ('http://h:7878/query', 'http://h:8890/sparql-auth')
    >>> query_url_for("http://h/elsewhere") is None
    True
    """
    split = urllib.parse.urlsplit(url)
    base, _, last = split.path.rpartition("/")
    name = {
        "store": "query",
        "update": "query",
        "query": "query",
        "sparql": "sparql",
        "sparql-auth": "sparql-auth",
        "sparql-graph-crud": "sparql",
        "sparql-graph-crud-auth": "sparql-auth",
    }.get(last)
    if name is None:
        return None
    return urllib.parse.urlunsplit((split.scheme, split.netloc, f"{base}/{name}", "", ""))


def push(
    source: Store,
    to: str,
    *,
    update: bool = False,
    graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
    query_url: str | None = None,
    progress: bool | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> PushReport:
    """Replace ``graph`` (default: the default graph) at ``to`` with every triple of ``source``.

    ``to`` is a Graph Store Protocol endpoint, or with ``update`` a SPARQL Update endpoint.
    ``query_url`` (default: derived from ``to``) is used to count what landed. ``progress``
    draws a bar on a terminal (None: when stderr is one); ``on_progress`` receives the triples
    confirmed so far (for callers that report progress their own way).
    """
    from gutkg.progress import Progress
    from gutkg.store.ntriples import write_ntriples
    from gutkg.store.remote import RemoteStore

    if not to.startswith(("http://", "https://")):
        raise StoreError(f"--to must be an http(s) URL, not {to!r} (e.g. http://127.0.0.1:7878/store)")
    query_url = query_url or query_url_for(to)
    target = RemoteStore(
        query_url or to,
        update_url=to if update else None,
        gsp_url="" if update else to,
        graph=graph,
        user=user,
        password=password,
    )
    if not update:
        target.check_gsp()  # fail on a wrong URL, password or graph before any data is sent
    method = "SPARQL Update (CLEAR + INSERT DATA chunks)" if update else "Graph Store PUT"
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gutkg-push-") as tmp:
        nt = Path(tmp) / "graph.nt"
        sent = write_ntriples(source, nt)
        size = max(nt.stat().st_size, 1)
        confirmed = [0]

        def advance(n: int) -> None:
            confirmed[0] += n
            if on_progress:
                on_progress(confirmed[0] if update else int(confirmed[0] * sent / size))
            bar.advance(n)

        with Progress(sent, "pushing", enabled=progress, scale=1.0 if update else sent / size) as bar:
            try:
                target.send(nt, replace=True, use_gsp=not update, on_progress=advance)
            except GutKGError as exc:
                raise _failed(
                    exc, target, to, sent, confirmed[0] if update else None, has_query=query_url is not None
                ) from None
    landed = len(target) if query_url else None
    return PushReport(
        to, method, graph, sent, landed, round(time.perf_counter() - start, 3), target.spec() if query_url else None
    )


def _failed(
    exc: GutKGError, target: object, to: str, sent: int, confirmed: int | None, *, has_query: bool
) -> StoreError:
    """The error for a push that stopped midway: what landed, and that a retry is safe."""
    held: int | None = None
    if has_query:
        try:
            held = len(target)  # type: ignore[arg-type]
        except GutKGError:
            held = None
    if confirmed is not None:
        landed = f"the server confirmed {confirmed:,} of {sent:,} triples"
    else:
        landed = f"the server did not confirm the upload of {sent:,} triples"
    if held is not None:
        landed += f"; it now holds {held:,} triples in the target graph"
    else:
        landed += "; it could not be asked how many it kept (it is not answering)"
    return StoreError(
        f"push to {to} failed: {exc}\n{landed}. Nothing is duplicated by "
        "re-running the same command: it replaces the target graph."
    )
