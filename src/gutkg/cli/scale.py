"""Scale commands: ``push`` the graph into a triplestore (then use ``--store sparql+http://...``)."""

from __future__ import annotations

import click

from gutkg.cli.common import dim, emit_json, format_option, graph_options, open_store


@click.command()
@click.option(
    "--to",
    "to",
    required=True,
    metavar="URL",
    help="The server's Graph Store Protocol endpoint (Oxigraph: http://HOST:PORT/store; "
    "Virtuoso: http://HOST:8890/sparql-graph-crud-auth), or with --update its "
    "SPARQL Update endpoint.",
)
@click.option(
    "--update",
    "use_update",
    is_flag=True,
    help="URL is a SPARQL Update endpoint: clear the graph, then INSERT DATA in chunks.",
)
@click.option(
    "--named-graph",
    "named_graph",
    metavar="IRI",
    help="Push into this named graph instead of the default graph (needed on Virtuoso).",
)
@click.option("--user", envvar="GUTKG_SPARQL_USER", help="User name (Basic or Digest auth; env GUTKG_SPARQL_USER).")
@click.option(
    "--password",
    envvar="GUTKG_SPARQL_PASSWORD",
    help="Password (env GUTKG_SPARQL_PASSWORD; prompted for if --user is given alone).",
)
@click.option(
    "--query-url",
    "query_url",
    metavar="URL",
    help="The server's SPARQL query endpoint, to count what landed (default: next to --to).",
)
@graph_options
@format_option()
def push(
    to: str,
    use_update: bool,
    named_graph: str | None,
    user: str | None,
    password: str | None,
    query_url: str | None,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Push the graph (bundled, or --graph) into a triplestore, replacing what was there.

    A retry never duplicates: the target graph is replaced (Graph Store PUT) or cleared first
    (--update). Then every command reads it with --store sparql+URL-OF-THE-QUERY-ENDPOINT.

    \b
    Examples:
      gutkg push --to http://127.0.0.1:7878/store
      gutkg info --store sparql+http://127.0.0.1:7878/query
      gutkg push --to http://127.0.0.1:8890/sparql-graph-crud-auth --user dba \\
                 --named-graph https://w3id.org/gutkg/graph
    """
    from gutkg.push import push as push_graph

    if user and password is None:
        password = click.prompt(f"password for {user}", hide_input=True, err=True)
    report = push_graph(
        open_store(graph, store),
        to,
        update=use_update,
        graph=named_graph,
        user=user,
        password=password,
        query_url=query_url,
    )
    if fmt == "json":
        emit_json(report.as_dict())
        return
    where = f"graph <{report.graph}>" if report.graph else "the default graph"
    click.echo(f"pushed {report.sent:,} triples to {report.to} ({where}) by {report.method} in {report.seconds:.2f} s")
    if report.landed is not None:
        note = "" if report.landed == report.sent else "  (differs from what was sent: check the server)"
        click.echo(f"the server now holds {report.landed:,} triples there{note}")
    if report.store:
        click.echo(dim(f"query it with: gutkg info --store '{report.store}'"))


COMMANDS = [push]
