"""Shared CLI pieces: error mapping, graph/store/format options, output helpers."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

import click

if TYPE_CHECKING:
    from gutkg.store import Store

F = TypeVar("F", bound=Callable[..., Any])


class _DomainError(click.ClickException):
    """A GutKGError at the CLI boundary, keeping its exit code (2 for unreadable input)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]


class SafeStdout:
    """Standard output for the length of a command: text from the data cannot drive the terminal.

    Every write passes through :func:`gutkg.textsafety.for_terminal`, so a label holding an ANSI
    escape, a bell or a bidirectional override is printed as its visible escape (the same one CSV
    and GraphML exports show), whichever renderer printed it. Only gutkg's own bold/dim styles
    remain. Bytes (a query result) are decoded as UTF-8 first. There is deliberately no
    ``buffer``: click would write bytes there, around the filter.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str | bytes) -> int:
        from gutkg.textsafety import for_terminal

        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode("utf-8", "replace")
        self._stream.write(for_terminal(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self._stream, name)


class GutKGGroup(click.Group):
    """A group that turns domain errors into clean messages and exit codes (never a traceback),
    and prints through :class:`SafeStdout`."""

    def invoke(self, ctx: click.Context) -> Any:
        if isinstance(sys.stdout, SafeStdout):
            return self._invoke(ctx)
        stdout, sys.stdout = sys.stdout, SafeStdout(sys.stdout)
        try:
            return self._invoke(ctx)
        finally:
            sys.stdout = stdout

    def _invoke(self, ctx: click.Context) -> Any:
        from gutkg.errors import GutKGError

        try:
            return super().invoke(ctx)
        except GutKGError as exc:
            raise _DomainError(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except BrokenPipeError:  # e.g. `gutkg search x | head`
            sys.stderr.close()
            raise SystemExit(0) from None


@overload
def graph_options(func: F) -> F: ...
@overload
def graph_options(*, store_default: str) -> Callable[[F], F]: ...
def graph_options(func: F | None = None, *, store_default: str = "memory") -> Any:
    """``--graph PATH`` (repeatable) and ``--store SPEC`` for commands that read the graph.

    ``@graph_options`` or ``@graph_options(store_default="oxigraph")``; ``$GUTKG_STORE`` overrides
    the default either way, and ``--help`` names the real default.
    """
    if func is None:
        return lambda f: _graph_options(f, store_default)
    return _graph_options(func, store_default)


def _graph_options(func: F, store_default: str) -> F:
    func = click.option(
        "--store",
        "store",
        default=lambda: os.environ.get("GUTKG_STORE", store_default),
        show_default=store_default,
        help="Where the graph is loaded: memory (rdflib), oxigraph (embedded, cached on disk "
        "by input hash), oxigraph:PATH, or a SPARQL endpoint URL (sparql+http://...); "
        "$GUTKG_STORE sets the default.",
    )(func)
    func = click.option(
        "--graph",
        "graph",
        multiple=True,
        type=click.Path(path_type=str),
        help="Turtle file or folder to load instead of the bundled graph/ (repeatable).",
    )(func)
    return func


def evidence_options(func: F) -> F:
    """The evidence filter options of every command that reads claims (analysis and export), checked
    and turned into one ``flt`` argument (a :class:`gutkg.analysis.filters.EvidenceFilter`).

    Values come from :mod:`gutkg.scales`; an unknown species or design is refused with the closest
    names (``humans`` -> ``human``) and NCBITaxon CURIEs are read (``NCBITaxon:9606`` -> ``human``).
    """
    import functools

    from gutkg.scales import STATUSES, STRENGTH_NAMES, SYSTEMS

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        species: tuple[str, ...],
        min_strength: str | None,
        status: tuple[str, ...],
        design: tuple[str, ...],
        exclude_contested: bool,
        **kwargs: Any,
    ) -> Any:
        from gutkg.analysis.filters import EvidenceFilter

        flt = EvidenceFilter(
            species=tuple(species),
            min_strength=min_strength and min_strength.lower(),
            status=tuple(s.lower() for s in status),
            design=tuple(design),
            exclude_contested=exclude_contested,
        ).check()
        return func(*args, flt=flt, **kwargs)

    systems = ", ".join(repr(s) if " " in s else s for s in SYSTEMS)
    options = [
        click.option(
            "--species",
            multiple=True,
            metavar="NAME",
            help=f"Keep primary evidence from this species or model only: {systems} "
            "(or NCBITaxon:9606...); reviews never pass (repeatable).",
        ),
        click.option(
            "--min-strength",
            type=click.Choice(tuple(STRENGTH_NAMES.values()), case_sensitive=False),
            help="Keep evidence at least this strong.",
        ),
        click.option(
            "--status",
            multiple=True,
            type=click.Choice(STATUSES, case_sensitive=False),
            help="Keep claims with this status only (repeatable).",
        ),
        click.option(
            "--design",
            multiple=True,
            metavar="NAME",
            help="Keep evidence of this design: 'controlled human intervention', "
            "'prospective cohort', 'mendelian randomisation', 'treatment response', "
            "'experimental intervention', 'community transfer', monocolonisation, "
            "'temporal precedence', or a group: interventional, temporal, genetic, "
            "transfer, directional, primary, review (repeatable).",
        ),
        click.option("--exclude-contested", is_flag=True, help="Drop contested claims."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """``--format`` with ``text`` and ``json`` (plus any extra choices)."""
    names = tuple(dict.fromkeys(("text", "json", *choices)))
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(names, case_sensitive=False),
        default=default,
        show_default=True,
        help="Output format.",
    )


def open_store(graph: tuple[str, ...] | list[str], store: str) -> Store:
    """Load the requested graph into the requested store."""
    from gutkg.loading import load

    return load(list(graph) or None, store=store)


def emit_json(data: object) -> None:
    """Print ``data`` as indented JSON (results through their ``as_dict``, sets sorted, anything else
    as a string)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable))


def _jsonable(value: object) -> object:
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)


def color_allowed() -> bool:
    """Styles only on a terminal that wants them: not with NO_COLOR set, nor TERM=dumb."""
    import os
    import sys

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM", "") != "dumb"


def heading(text: str) -> str:
    """``text`` in bold, when the terminal allows styles (:func:`color_allowed`)."""
    return click.style(text, bold=True) if color_allowed() else text


def dim(text: str) -> str:
    """``text`` dimmed, when the terminal allows styles (:func:`color_allowed`)."""
    return click.style(text, dim=True) if color_allowed() else text


def fit_width() -> None:
    """Wrap analysis text to the terminal's width (60-140 columns) when writing to a terminal."""
    import shutil
    import sys

    from gutkg.analysis import text

    if sys.stdout.isatty():
        text.WIDTH = max(60, min(140, shutil.get_terminal_size((100, 40)).columns - 1))


def echo_long(text: str) -> None:
    """Print ``text``; on a terminal, longer than the screen, through a pager (as git does).

    ``GUTKG_PAGER=0`` or TERM=dumb turns the pager off; ``PAGER`` picks it (click's rules).
    """
    import os
    import shutil
    import sys

    height = shutil.get_terminal_size((100, 40)).lines
    pager_ok = (
        sys.stdout.isatty()
        and sys.stdin.isatty()
        and os.environ.get("GUTKG_PAGER", "1") != "0"
        and os.environ.get("TERM", "") != "dumb"
    )
    if pager_ok and text.count("\n") + 1 > height - 1:
        from gutkg.textsafety import for_terminal

        os.environ.setdefault("LESS", "FRX")
        click.echo_via_pager(for_terminal(text))  # the pager is fed directly, not through SafeStdout
    else:
        click.echo(text)
