"""One exception hierarchy. Every message says what went wrong and how to fix it."""

from __future__ import annotations


class GutKGError(Exception):
    """Base class for every error gutkg raises on purpose. The CLI maps it to a clean message."""

    exit_code = 1


class InputError(GutKGError):
    """Unreadable input: a missing folder, a non-UTF-8 file, malformed Turtle (exit code 2)."""

    exit_code = 2


class ParseError(InputError):
    """A syntax error in a Turtle file or a SPARQL query, with its position."""

    def __init__(
        self, message: str, *, source: str = "", line: int | None = None, column: int | None = None, excerpt: str = ""
    ) -> None:
        self.source, self.line, self.column, self.excerpt = source, line, column, excerpt
        where = source
        if line is not None:
            where += f", line {line}" + (f", column {column}" if column is not None else "")
        text = f"{where}: {message}" if where else message
        if excerpt:
            text += f"\n    {excerpt}"
            if column is not None:
                text += "\n    " + " " * max(column - 1, 0) + "^"
        super().__init__(text)


class UnknownConceptError(GutKGError):
    """A concept name that matches nothing, or more than one concept."""

    def __init__(self, name: str, suggestions: list[str], *, ambiguous: bool = False) -> None:
        self.name, self.suggestions, self.ambiguous = name, suggestions, ambiguous
        if ambiguous:
            msg = f"{name!r} is ambiguous: it matches " + ", ".join(repr(s) for s in suggestions)
            msg += ". Use the full label or the CURIE."
        elif suggestions:
            msg = f"unknown concept {name!r}. Did you mean: " + ", ".join(repr(s) for s in suggestions)
            msg += "? (try: gutkg search TEXT)"
        else:
            msg = f"unknown concept {name!r}. List concepts with: gutkg search TEXT"
        super().__init__(msg)


class ValidationError(GutKGError):
    """The graph (or a proposed change to it) breaks the shapes or the referential checks."""

    def __init__(self, message: str, report: object = None) -> None:
        self.report = report
        super().__init__(message)


class StoreError(GutKGError):
    """A store could not be opened, queried or written; the message names the store."""


class QueryError(GutKGError):
    """A SPARQL query that cannot run: refused (updates, SERVICE, LOAD), too large, or timed out."""


class DuplicateError(ValidationError):
    """A change would add something the graph already has (``existing`` names it, as a CURIE)."""

    def __init__(self, message: str, existing: str) -> None:
        self.existing = existing
        super().__init__(message)
