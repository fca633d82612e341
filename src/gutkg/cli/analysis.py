"""Analysis commands: paths, loops, rivals, explain, adjust, rank.

Thin wrappers over :mod:`gutkg.analysis`: parse options, resolve concept names, call the library,
print its ``text()`` or ``as_dict()``. Every command takes the evidence filter options.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from gutkg.cli.common import (
    echo_long,
    emit_json,
    evidence_options,
    fit_width,
    format_option,
    graph_options,
)

F = TypeVar("F", bound=Callable[..., Any])


def unrolling_option(func: F) -> F:
    """``--max-length``: the longest causal chain a time-unrolled graph represents (adjust, instruments)."""
    return click.option(
        "--max-length",
        type=click.IntRange(1, 12),
        default=6,
        show_default=True,
        help="Longest causal chain the time-unrolling represents, in claims.",
    )(func)


def refuted_option(func: F) -> F:
    """``--include-refuted``: also follow refuted claims (left out by default)."""
    return click.option("--include-refuted", is_flag=True, help="Also traverse refuted claims (left out by default).")(
        func
    )


def budget_option(default: float) -> Callable[[F], F]:
    """``--budget SECONDS`` with the command's ``default``: when spent, the command shows what it
    found so far, marked truncated."""
    return click.option(
        "--budget",
        type=click.FloatRange(0, 3600),
        default=default,
        show_default=True,
        metavar="SECONDS",
        help="Time budget; when spent, show what was found, marked truncated.",
    )


def _load(graph: tuple[str, ...], store: str) -> tuple[Any, Any]:
    """The projected network and the concept index of the requested graph (cached on disk while
    the input files are unchanged: :mod:`gutkg.netcache`)."""
    from gutkg.netcache import projection

    return projection(list(graph) or None, store=store)


def _emit(result: Any, fmt: str, **text_options: Any) -> None:
    if fmt == "json":
        emit_json(result.as_dict())
    else:
        fit_width()
        echo_long(result.text(**text_options))


@click.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--max-length", type=click.IntRange(1, 12), default=5, show_default=True, help="Longest chain, in claims."
)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@budget_option(10.0)
@refuted_option
@evidence_options
@graph_options
@format_option()
def paths(
    source: str,
    target: str,
    max_length: int,
    limit: int,
    budget: float,
    include_refuted: bool,
    flt: Any,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Causal chains from SOURCE to TARGET, strongest weakest link first.

    Each chain has its net sign (product of the signs) and, per claim, its status, evidence strength,
    species or model and short citations. Example: gutkg paths gluten "celiac disease"
    """
    from gutkg.analysis.core import node_id
    from gutkg.analysis.paths import find_paths

    net, index = _load(graph, store)
    a, b = node_id(net, source, index), node_id(net, target, index)
    _emit(
        find_paths(
            net, a, b, max_length=max_length, limit=limit, budget=budget, flt=flt, include_refuted=include_refuted
        ),
        fmt,
    )


@click.command()
@click.option("--through", metavar="CONCEPT", help="Only loops through this concept.")
@click.option("--max-length", type=click.IntRange(1, 10), default=4, show_default=True, help="Longest loop, in claims.")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@budget_option(10.0)
@refuted_option
@evidence_options
@graph_options
@format_option()
def loops(
    through: str | None,
    max_length: int,
    limit: int,
    budget: float,
    include_refuted: bool,
    flt: Any,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Feedback loops, each reinforcing (net +) or balancing (net −), strongest first.

    Example: gutkg loops --through "increased intestinal permeability"
    """
    from gutkg.analysis.core import node_id
    from gutkg.analysis.loops import find_loops

    net, index = _load(graph, store)
    x = node_id(net, through, index) if through else None
    _emit(
        find_loops(
            net, through=x, max_length=max_length, limit=limit, budget=budget, flt=flt, include_refuted=include_refuted
        ),
        fmt,
    )


@click.command()
@click.argument("question", required=False)
@click.option(
    "--details", is_flag=True, help="Each rival's claims with their grades and citations, and the contradictions."
)
@evidence_options
@graph_options
@format_option()
def rivals(question: str | None, details: bool, flt: Any, graph: tuple[str, ...], store: str, fmt: str) -> None:
    """Rival hypotheses of each question, ranked by the grade of their evidence (never by counts).

    A rival with a role (forward, reverse, shared cause, feedback) is graded by the best route of
    that role between the question's exposure and outcome, as gutkg explain grades it; other
    rivals by their best-graded claim. Each shows its grade on primary human evidence too.
    QUESTION is a question id or any unambiguous part of its label, e.g. gutkg rivals dysbiosis
    """
    from gutkg.analysis.rivals import rivals as run

    _emit(run(_load(graph, store)[0], question, flt=flt), fmt, details=details)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--compare-evidence",
    "compare",
    multiple=True,
    metavar="FILTER",
    help="Also run under FILTER and show what survives and which links drop, e.g. "
    "human, 'human, interventional', min-strength=moderate (repeatable).",
)
@click.option(
    "--include-narrower/--no-include-narrower",
    default=True,
    show_default=True,
    help="Count claims about narrower concepts (celiac disease ⊂ autoimmune disease) "
    "as evidence about A and B, labelled as such.",
)
@click.option(
    "--max-length",
    type=click.IntRange(2, 8),
    default=4,
    show_default=True,
    help="Longest mediated chain or common-cause chain, in claims.",
)
@click.option(
    "--loop-length", type=click.IntRange(2, 10), default=6, show_default=True, help="Longest feedback loop, in claims."
)
@click.option(
    "--limit",
    type=click.IntRange(1, 500),
    default=10,
    show_default=True,
    help="Items shown per section (with --details).",
)
@click.option(
    "--details",
    is_flag=True,
    help="The full report: every direct claim, chain, common cause, loop and association "
    "with its evidence and DOIs, then the verdict.",
)
@budget_option(20.0)
@refuted_option
@evidence_options
@graph_options
@format_option()
def explain(
    a: str,
    b: str,
    compare: tuple[str, ...],
    include_narrower: bool,
    max_length: int,
    loop_length: int,
    limit: int,
    details: bool,
    budget: float,
    include_refuted: bool,
    flt: Any,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Which way does causation run between A and B: the graded answer first.

    The first screen grades four rivals: A → B, B → A, a shared cause of both, a feedback loop
    through both, each on all evidence and on primary human evidence only; then the answer in words,
    the claim the answer hangs on (removing it changes the verdict most), caveats and the best routes.
    A and B include their narrower concepts (celiac disease ⊂ autoimmune disease) and the stages of
    those diseases (islet autoimmunity, stage of type 1 diabetes).

    \b
    How evidence is graded (gutkg.grading):
    - only primary studies whose design can show direction count: controlled human intervention,
      prospective cohort, Mendelian randomisation, treatment response, experimental intervention,
      community transfer, monocolonisation, temporal precedence; cross-sectional, familial and
      prognostic findings are associations, and reviews are synthesis, never counted;
    - an item starts at its curated strength, capped by its design (a human trial can reach high,
      the others moderate); one level lower for animal or ex vivo data, two for cultured cells, one
      for the disputed serum zonulin ELISA;
    - a claim's grade is its best counted item; with good evidence on both sides it is conflicting
      and one level lower; a route is as strong as its weakest claim.
    Grades: high > moderate > low > very low > none (no counted evidence).

    \b
    Example: gutkg explain dysbiosis "autoimmune disease" --compare-evidence human
    """
    from gutkg.analysis.core import node_id
    from gutkg.analysis.explain import explain as run
    from gutkg.analysis.filters import parse_filter

    comparisons = [parse_filter(c) for c in compare]
    net, index = _load(graph, store)
    x, y = node_id(net, a, index), node_id(net, b, index)
    _emit(
        run(
            net,
            x,
            y,
            max_length=max_length,
            loop_length=loop_length,
            limit=limit,
            include_narrower=include_narrower,
            budget=budget,
            flt=flt,
            compare=comparisons,
            include_refuted=include_refuted,
        ),
        fmt,
        details=details,
    )


@click.command()
@click.argument("exposure")
@click.argument("outcome")
@click.option(
    "--unmeasured",
    multiple=True,
    metavar="CONCEPT",
    help="A concept nobody measures (e.g. 'genetic susceptibility'): never in a set (repeatable).",
)
@unrolling_option
@click.option(
    "--compare-evidence",
    "compare",
    multiple=True,
    metavar="FILTER",
    help="Also run under FILTER and show which sets survive, e.g. exclude-contested, "
    "'status=established|supported', human (repeatable).",
)
@refuted_option
@evidence_options
@graph_options
@format_option("text", "json", "dagitty")
def adjust(
    exposure: str,
    outcome: str,
    unmeasured: tuple[str, ...],
    max_length: int,
    compare: tuple[str, ...],
    include_refuted: bool,
    flt: Any,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Minimal adjustment sets and confounders for EXPOSURE → OUTCOME (backdoor criterion).

    Feedback loops are unrolled in time (nothing is cut): the sets answer the short-run effect of the
    exposure from baseline values, and the output says when the equilibrium effect is not
    identifiable. With unmeasured concepts it says whether the effect is identifiable (backdoor,
    front-door or the ID algorithm) and gives the estimand. --format dagitty prints the exact DAG
    used, to paste into dagitty.net.
    Example: gutkg adjust dysbiosis "autoimmune disease" --unmeasured "genetic susceptibility"
    """
    from gutkg.analysis.adjust import adjust as run
    from gutkg.analysis.core import node_id
    from gutkg.analysis.filters import parse_filter

    comparisons = [parse_filter(c) for c in compare]
    net, index = _load(graph, store)
    e, o = node_id(net, exposure, index), node_id(net, outcome, index)
    hidden = [node_id(net, u, index) for u in unmeasured]
    result = run(
        net,
        e,
        o,
        flt=flt,
        include_refuted=include_refuted,
        unmeasured=hidden,
        max_length=max_length,
        compare=comparisons,
    )
    if fmt == "dagitty":
        click.echo(result.dagitty)
        return
    _emit(result, fmt)


@click.command()
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.option(
    "--category", metavar="NAME", help="Only list concepts of this category (disease, exposure, immune, ...)."
)
@budget_option(30.0)
@refuted_option
@evidence_options
@graph_options
@format_option()
def rank(
    limit: int,
    category: str | None,
    budget: float,
    include_refuted: bool,
    flt: Any,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Concepts ranked as upstream drivers (evidence-weighted reach) and bottlenecks (betweenness)."""
    from gutkg.analysis.rank import rank as run

    net = _load(graph, store)[0]
    _emit(run(net, limit=limit, category=category, budget=budget, flt=flt, include_refuted=include_refuted), fmt)


@click.command()
@click.option(
    "--type",
    "kind",
    type=click.Choice(["missing-edge", "basis"]),
    default="missing-edge",
    show_default=True,
    help="missing-edge: each pair with no claim between them and every "
    "minimal separating set; basis: each concept given its causes "
    "(graphs without loops or unmeasured concepts only).",
)
@click.option("--involving", metavar="CONCEPT", help="Only independences that name this concept.")
@click.option(
    "--unmeasured",
    multiple=True,
    metavar="CONCEPT",
    help="A concept nobody measures: never conditioned on (repeatable).",
)
@click.option(
    "--limit", type=click.IntRange(1, 100000), default=1000, show_default=True, help="Most independences listed."
)
@refuted_option
@evidence_options
@graph_options
@format_option("text", "json", "dagitty")
def implications(
    kind: str,
    involving: str | None,
    unmeasured: tuple[str, ...],
    limit: int,
    include_refuted: bool,
    flt: Any,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Testable implications: the conditional independences the causal graph implies.

    Test them on data to check the graph. Feedback loops are handled by σ-separation (data at
    equilibrium): no independence is claimed between concepts of one loop. --format dagitty prints
    the graph the implications were derived from.
    Example: gutkg implications --involving "short-chain fatty acids"
    """
    from gutkg.analysis.core import node_id
    from gutkg.analysis.implications import implications as run

    net, index = _load(graph, store)
    hidden = [node_id(net, u, index) for u in unmeasured]
    who = node_id(net, involving, index) if involving else None
    result = run(
        net, kind=kind, flt=flt, include_refuted=include_refuted, unmeasured=hidden, involving=who, max_total=limit
    )
    if fmt == "dagitty":
        click.echo(result.dagitty)
        return
    _emit(result, fmt)


@click.command()
@click.argument("exposure")
@click.argument("outcome")
@click.option(
    "--unmeasured",
    multiple=True,
    metavar="CONCEPT",
    help="A concept nobody measures: never an instrument nor conditioned on (repeatable).",
)
@unrolling_option
@refuted_option
@evidence_options
@graph_options
@format_option("text", "json", "dagitty")
def instruments(
    exposure: str,
    outcome: str,
    unmeasured: tuple[str, ...],
    max_length: int,
    include_refuted: bool,
    flt: Any,
    graph: tuple[str, ...],
    store: str,
    fmt: str,
) -> None:
    """Conditional instrumental variables for EXPOSURE → OUTCOME (Mendelian-randomisation candidates).

    Computed on the DAG gutkg adjust analyses (time-unrolled when there are feedback loops), as
    DAGitty's conditional instruments. --format dagitty prints that DAG.
    Example: gutkg instruments zonulin "increased intestinal permeability"
    """
    from gutkg.analysis.core import node_id
    from gutkg.analysis.instruments import instruments as run

    net, index = _load(graph, store)
    e, o = node_id(net, exposure, index), node_id(net, outcome, index)
    hidden = [node_id(net, u, index) for u in unmeasured]
    result = run(net, e, o, flt=flt, include_refuted=include_refuted, unmeasured=hidden, max_length=max_length)
    if fmt == "dagitty":
        click.echo(result.dagitty)
        return
    _emit(result, fmt)


COMMANDS = [paths, loops, rivals, explain, adjust, rank, implications, instruments]
