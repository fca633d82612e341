"""Shared CLI pieces: error mapping, graph/store/format options, output helpers."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from gutkg.store import Store

F = TypeVar("F", bound=Callable[..., Any])


class _DomainError(click.ClickException):
    """A GutKGError at the CLI boundary, keeping its exit code (2 for unreadable input)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]


class GutKGGroup(click.Group):
    """A group that turns domain errors into clean messages and exit codes (never a traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
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


def graph_options(func: F) -> F:
    """``--graph PATH`` (repeatable) and ``--store SPEC`` for commands that read the graph."""
    func = click.option(
        "--store", "store", default=lambda: os.environ.get("GUTKG_STORE", "memory"),
        show_default="memory",
        help="Where the graph is loaded: memory (rdflib), oxigraph (embedded, cached on disk "
             "by input hash), oxigraph:PATH, or a SPARQL endpoint URL (sparql+http://...).")(func)
    func = click.option(
        "--graph", "graph", multiple=True, type=click.Path(path_type=str),
        help="Turtle file or folder to load instead of the bundled graph/ (repeatable).")(func)
    return func


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """``--format`` with ``text`` and ``json`` (plus any extra choices)."""
    names = tuple(dict.fromkeys(("text", "json", *choices)))
    return click.option("--format", "fmt", type=click.Choice(names, case_sensitive=False),
                        default=default, show_default=True, help="Output format.")


def open_store(graph: tuple[str, ...] | list[str], store: str) -> Store:
    """Load the requested graph into the requested store."""
    from gutkg.load import load

    return load(list(graph) or None, store=store)


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_jsonable))


def _jsonable(value: object) -> object:
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)


def heading(text: str) -> str:
    return click.style(text, bold=True)


def dim(text: str) -> str:
    return click.style(text, dim=True)
