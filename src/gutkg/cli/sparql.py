"""SPARQL commands: query, queries, serve."""

from __future__ import annotations

import click

from gutkg.cli.common import dim, emit_json, format_option, graph_options, heading

_RESULT_FORMATS = ("table", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld", "rdfxml")


def _store_spec(ctx: click.Context, store: str) -> str:
    """The store to serve: Oxigraph unless --store or $GUTKG_STORE says otherwise (it is fast and
    cached on disk; rdflib's engine takes minutes on some bundled questions)."""
    import os

    source = ctx.get_parameter_source("store")
    if source == click.core.ParameterSource.DEFAULT and not os.environ.get("GUTKG_STORE"):
        return "oxigraph"
    return store


@click.command()
@click.argument("query")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a variable (repeatable): an IRI (<...>), a CURIE (gkc:zonulin), a "
    'concept label for concept parameters, or a literal ("text"@en, 42).',
)
@click.option("--limit", type=click.IntRange(1), default=None, help="Keep at most this many rows.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the result to this file instead of standard output.",
)
@graph_options(store_default="oxigraph")
@format_option(*_RESULT_FORMATS)
def query(
    query: str,
    params: tuple[str, ...],
    limit: int | None,
    output: str | None,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Run a SPARQL query on the graph.

    QUERY is the query text, @FILE.rq, - (read the query from standard input), or the name of a
    bundled question (see: gutkg queries). The store is Oxigraph (fast, cached on disk; rdflib's
    engine takes minutes on some bundled questions) unless --store or $GUTKG_STORE says otherwise.

    \b
    Formats: text/table, json, xml, csv, tsv for SELECT and ASK (the W3C results formats;
    json is SPARQL JSON); turtle (text), ntriples, jsonld (json), rdfxml for CONSTRUCT and DESCRIBE.

    \b
    Examples:
      gutkg query upstream-causes -p concept="increased intestinal permeability"
      gutkg query 'SELECT ?c WHERE { ?c a gkv:Disease }' --format csv
      gutkg query @my.rq --format json > result.srj
      echo 'ASK { ?c a gkv:CausalClaim }' | gutkg query -
    """
    from gutkg.cli.common import open_store
    from gutkg.sparql.params import bind
    from gutkg.sparql.results import write
    from gutkg.sparql.runner import Prepared, execute, prepare

    if query == "-":
        import sys

        text = sys.stdin.read()
        if not text.strip():
            raise click.UsageError(
                "no query on standard input: pipe one in, e.g. echo 'ASK { ?s ?p ?o }' | gutkg query -"
            )
        prepared = Prepared(text, "<stdin>")
    else:
        prepared = prepare(query)
    st = open_store(graph, store)
    bindings = bind(params, prepared.question, st)
    result = execute(st, prepared, bindings, limit=limit)
    name = {"text": "table", "json": "json"}.get(fmt, fmt)
    if result.kind == "graph" and name in {"table", "json"}:
        name = "turtle" if name == "table" else "jsonld"
    body = write(result, name)
    if output:
        from gutkg.atomic import write_atomic

        write_atomic(output, body)  # all or nothing, and a clear message where nothing can be written
        click.echo(f"wrote {len(result)} {'triples' if result.kind == 'graph' else 'rows'} to {output}", err=True)
        return
    click.echo(body if body.endswith(b"\n") else body + b"\n", nl=False)
    if result.truncated:
        click.echo(f"note: {result.note}", err=True)


@click.command()
@click.argument("name", required=False)
@format_option()
def queries(name: str | None, fmt: str) -> None:
    """List the bundled questions, or show one (its description, parameters and SPARQL).

    Run one with: gutkg query NAME --param ...
    """
    from gutkg.sparql.questions import catalog, get

    if name:
        q = get(name)
        if fmt == "json":
            emit_json(q.as_dict(text=True))
            return
        click.echo(heading(q.name) + "  " + q.title)
        click.echo(q.description)
        for p in q.params:
            opt = ", optional" if p.optional else ""
            click.echo(f"  --param {p.name}=...  ({p.kind}{opt}) {p.description}")
        for example in q.examples:
            click.echo(dim(f"  e.g. {example}"))
        click.echo()
        click.echo(q.text.rstrip())
        return
    items = list(catalog().values())
    if fmt == "json":
        emit_json([q.as_dict() for q in items])
        return
    width = max(len(q.name) for q in items)
    for q in items:
        params = " ".join(f"{p.name}=" + ("[...]" if p.optional else "...") for p in q.params)
        click.echo(heading(q.name.ljust(width)) + "  " + q.title + (dim(f"  (params: {params})") if params else ""))
    click.echo(dim(f"\n{len(items)} questions. Details: gutkg queries NAME. Run: gutkg query NAME"))


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. The default accepts connections from this machine only; "
    "use 0.0.0.0 to share the endpoint on your network.",
)
@click.option(
    "--port",
    default=7878,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0 picks a free one and prints it).",
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.05),
    help="Seconds a query may run before it is stopped (HTTP 503).",
)
@click.option(
    "--max-rows",
    default=10000,
    show_default=True,
    type=click.IntRange(1),
    help="Rows (or triples) returned at most; a longer result is cut and says so.",
)
@click.option(
    "--max-query-bytes",
    default=100_000,
    show_default=True,
    type=click.IntRange(16),
    help="Largest query accepted (HTTP 413 above it).",
)
@click.option(
    "--workers",
    default=0,
    type=click.IntRange(0, 64),
    help="Query worker processes (default: one per CPU core, at least 2).",
)
@click.option(
    "--worker-memory-mb",
    default=4096,
    show_default=True,
    type=click.IntRange(0),
    help="Address-space cap of each query worker; a query that needs more is stopped (HTTP 503). 0: no cap.",
)
@click.option(
    "--cache-mb",
    default=64,
    show_default=True,
    type=click.IntRange(0),
    help="Memory for answers to repeated queries (the graph is read-only while served); 0 turns the cache off.",
)
@click.option(
    "--max-answer-mb",
    default=64,
    show_default=True,
    type=click.IntRange(0),
    help="Largest answer sent for one query, in MiB (HTTP 503 saying so above it). 0: no cap.",
)
@graph_options
@format_option()
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_query_bytes: int,
    workers: int,
    worker_memory_mb: int,
    cache_mb: int,
    max_answer_mb: int,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint with a query UI.

    \b
    http://HOST:PORT/         query UI (YASGUI, works offline)
    http://HOST:PORT/sparql   SPARQL 1.1 Protocol (GET, POST form, POST direct)
    http://HOST:PORT/explore  the graph explorer page

    Updates, SERVICE and LOAD are refused; each query runs in a worker process that is stopped
    when it passes --timeout. Ctrl+C stops the server.
    """
    from gutkg.extras import require

    require("server", needed_for="gutkg serve")
    from gutkg.sparql.endpoint import Settings, serve_forever

    settings = Settings(
        graph=list(graph),
        store=_store_spec(ctx, store),
        timeout=timeout,
        max_rows=max_rows,
        max_query_bytes=max_query_bytes,
        workers=workers,
        worker_memory_mb=worker_memory_mb,
        cache_mb=cache_mb,
        max_answer_mb=max_answer_mb,
    )
    from gutkg.sparql.endpoint import exposure_warning

    warning = exposure_warning(host)
    if warning:
        click.echo(f"warning: {warning}", err=True)

    def announce(url: str, info: dict[str, object]) -> None:
        if fmt == "json":
            emit_json({"url": url, "sparql": url + "sparql", **info})
        else:
            click.echo(heading(f"gutkg SPARQL endpoint: {url}sparql") + f"  query UI: {url}")
            click.echo(
                dim(
                    f"{info['triples']} triples, {info['workers']} workers, "
                    f"timeout {timeout:g}s, at most {max_rows} rows; "
                    f"network sandbox: {info['sandbox']}. Ctrl+C stops."
                )
            )

    serve_forever(settings, host=host, port=port, announce=announce)


COMMANDS = [query, queries, serve]
