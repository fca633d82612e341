"""The endpoint's safety checks on query text, before any store sees it.

The SPARQL tokenizer (:mod:`gutkg.sparqltext`: comments, the four string forms,
IRIs, variables, prefixed names with their escapes) finds the query form and any keyword that would
make the endpoint write or fetch: updates (``INSERT``, ``LOAD``, ``CLEAR``...) are refused as the
endpoint is read-only, ``SERVICE`` as it never calls other endpoints. Words inside strings, IRIs,
comments, variables and prefixed names are not keywords, so ``?service`` or ``"LOAD"`` pass.

This is the friendly layer (a 403 that says why). Underneath, the query workers run in a network
namespace of their own with no route out (see :mod:`gutkg.sparql.worker`), and they only ever
call the store's read-only query method.

>>> check_query("PREFIX ex: <http://e.org/> SELECT ?service WHERE { ?s ex:load 'SERVICE' }").form
'select'
>>> check_query("DESCRIBE <http://e.org/a>").form
'graph'
>>> check_query("INSERT DATA { <a> <b> <c> }")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
QueryRefused: INSERT is an update; this endpoint is read-only ...
"""

from __future__ import annotations

from dataclasses import dataclass

from gutkg.errors import QueryError
from gutkg.sparqltext import tokens, words


class QueryRefused(QueryError):
    """A query the endpoint will not run: an update, ``SERVICE`` or ``LOAD`` (HTTP 403)."""

    status = 403


class QueryTooLarge(QueryError):
    """A query over the size cap (HTTP 413)."""

    status = 413


class BadRequest(QueryError):
    """A request that breaks the SPARQL Protocol (HTTP 400 unless ``status`` says otherwise)."""

    status = 400

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


#: Keywords that start a SPARQL Update operation.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
#: Deepest bracket nesting accepted: pyoxigraph's recursive parser overflows its stack (and kills
#: the process) somewhere past a few hundred levels of nested calls such as CONCAT(CONCAT(...)).
MAX_NESTING = 200
_OPEN, _CLOSE = frozenset("({["), frozenset(")}]")
#: Query forms and the result kind each gives.
QUERY_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


@dataclass(frozen=True)
class Checked:
    """What the guard learnt about a query: its result kind and its leading keyword."""

    form: str  # "select", "ask" or "graph"
    keyword: str


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` (upper-cased), skipping strings, IRIs, comments, variables and
    prefixed names.

    >>> keywords('SELECT ?x # SERVICE\\n{ ?x <http://e.org/service> "load" ; ex:drop 1 }')
    ['SELECT']
    """
    return _scan(text)[0]


def _scan(text: str) -> tuple[list[str], int]:
    """One pass over the tokens: the bare words, and the deepest bracket nesting (counting ``(``,
    ``{`` and ``[`` outside strings, IRIs and comments; the scan stops past :data:`MAX_NESTING`)."""
    out: list[str] = []
    depth = deepest = 0
    for token in tokens(text):
        if token.kind == "other":
            char = token.text
            if char in _OPEN:
                depth += 1
                if depth > deepest:
                    deepest = depth
                    if deepest > MAX_NESTING:
                        break
            elif char in _CLOSE:
                depth -= 1
        else:
            out.extend(words(token))
    return out, deepest


def check_query(text: str, *, max_bytes: int | None = None) -> Checked:
    """Refuse updates, ``SERVICE`` and over-long queries; return the query's form.

    Raises :class:`QueryTooLarge` over ``max_bytes`` (UTF-8), :class:`QueryRefused` for an update
    or a federated query. Syntax errors are left to the store's parser, which reports them with a
    line and column.
    """
    if max_bytes is not None and len(text) * 4 > max_bytes and len(text.encode()) > max_bytes:
        raise QueryTooLarge(
            f"the query is {len(text.encode()):,} bytes; this endpoint accepts at "
            f"most {max_bytes:,} (start gutkg serve with --max-query-bytes to change it)"
        )
    words, deepest = _scan(text)
    if deepest > MAX_NESTING:
        raise BadRequest(
            f"the query has brackets nested more than {MAX_NESTING} levels deep (counting (, "
            "{ and [); this endpoint refuses deeper nesting, which can crash the query "
            "parser. Flatten it: chain BIND steps instead of nesting calls."
        )
    first = next((w for w in words if w not in {"BASE", "PREFIX"}), "")
    if first in UPDATE_KEYWORDS or "LOAD" in words:
        op = first if first in UPDATE_KEYWORDS else "LOAD"
        raise QueryRefused(
            f"{op} is an update; this endpoint is read-only and refuses SPARQL Update "
            "(INSERT, DELETE, LOAD, CLEAR, DROP, ...). Edit the graph with gutkg add / "
            "gutkg import instead."
        )
    if "SERVICE" in words:
        raise QueryRefused(
            "SERVICE (federated query) is refused: this endpoint never calls other "
            "endpoints. Run the federated part against the remote endpoint yourself, "
            "or load its data with --graph."
        )
    return Checked(QUERY_FORMS.get(first, "select"), first)
