"""Run a SPARQL query given the way people give it: inline text, ``@file.rq`` or a question's name.

This is the library behind ``gutkg query`` and the notebooks::

    >>> from gutkg.store import new_store
    >>> store = new_store("memory")
    >>> store.load('<http://e.org/a> <http://e.org/p> "x" .', fmt="ntriples")
    >>> result = run(store, "SELECT ?o WHERE { ?s ?p ?o }")
    >>> [row[0].value for row in result]
    ['x']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gutkg.errors import InputError, QueryError
from gutkg.sparql.questions import Question, find, get
from gutkg.store import QueryResult, Store, Term

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass(frozen=True)
class Prepared:
    """A query ready to run: its text, where it came from, and the question it is (if bundled)."""

    text: str
    source: str
    question: Question | None = None


def prepare(spec: str) -> Prepared:
    """Resolve ``spec``: ``@path`` reads a file, a bundled question's name gives its text, anything
    else is the query itself. A lone word that names no question is an error, not a query."""
    if spec.startswith("@"):
        path = Path(spec[1:]).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"no such query file: {path}") from None
        except UnicodeDecodeError:
            raise InputError(f"{path} is not UTF-8 text. Re-save it as UTF-8.") from None
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
        return Prepared(text, str(path))
    question = find(spec.strip())
    if question is not None:
        return Prepared(question.text, f"{question.name}.rq", question)
    if _NAME.fullmatch(spec.strip()):
        get(spec.strip())  # raises, naming the closest bundled questions
    return Prepared(spec, "query")


def run(
    store: Store, spec: str, params: Iterable[str] | Mapping[str, Term] = (), *, limit: int | None = None
) -> QueryResult:
    """Run ``spec`` (see :func:`prepare`) on ``store`` with ``params`` bound as RDF terms.

    ``params`` is either ``name=value`` strings (as typed on the command line, parsed by
    :func:`gutkg.sparql.params.bind`) or ready :class:`Term` bindings. ``limit`` caps the rows.
    """
    from gutkg.sparql.params import bind

    prepared = prepare(spec)
    bindings = dict(params) if isinstance(params, Mapping) else bind(list(params), prepared.question, store)
    return execute(store, prepared, bindings, limit=limit)


def execute(store: Store, prepared: Prepared, bindings: Mapping[str, Term], *, limit: int | None = None) -> QueryResult:
    """Run a prepared query; syntax errors name the query's source with line and column. SELECT
    columns come in the query's order on every store (:mod:`gutkg.sparql.projection`)."""
    from gutkg.errors import ParseError
    from gutkg.sparql.projection import in_query_order

    try:
        result = store.query(prepared.text, bindings or None, limit=limit, prefixes=default_prefixes())
        return in_query_order(result, prepared.text)
    except ParseError as exc:
        if exc.source == "query" and prepared.source != "query":
            raise ParseError(
                str(exc).partition(": ")[2].split("\n")[0],
                source=prepared.source,
                line=exc.line,
                column=exc.column,
                excerpt=exc.excerpt,
            ) from None
        raise
    except ValueError as exc:  # e.g. a binding the backend cannot place
        raise QueryError(f"cannot run the query: {exc}") from None


def default_prefixes() -> dict[str, str]:
    """Prefixes every query may use without declaring them (gkc:, gkv:, skos:, obo:, ...)."""
    from gutkg.vocab import PREFIXES

    return dict(PREFIXES)


def to_frame(result: QueryResult) -> Any:
    """A SELECT result as a pandas DataFrame of plain Python values (pandas imported here; it comes
    with the ``notebook`` extra)."""
    from gutkg.extras import require

    require("notebook", "pandas", needed_for="query results as DataFrames")
    import pandas as pd

    if result.kind != "select":
        raise QueryError("only SELECT results become a table; this query is " + result.kind.upper())
    return pd.DataFrame(result.dicts(), columns=result.vars)
