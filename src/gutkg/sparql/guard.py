"""The endpoint's safety checks on query text, before any store sees it.

A small tokenizer that follows the SPARQL 1.1 lexical grammar (comments, the four string forms,
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

import re
from dataclasses import dataclass

from gutkg.errors import QueryError


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
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                             "COPY", "WITH"})
#: Deepest bracket nesting accepted: pyoxigraph's recursive parser overflows its stack (and kills
#: the process) somewhere past a few hundred levels of nested calls such as CONCAT(CONCAT(...)).
MAX_NESTING = 200
_OPEN, _CLOSE = frozenset("({["), frozenset(")}]")
#: Query forms and the result kind each gives.
QUERY_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}

_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
                  "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
                  "\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS = _PN_CHARS_BASE + "_0-9\\-\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|""" + _UCHAR + r""")*>)
    |(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<var>[?$][""" + _PN_CHARS + r"""]++)
    |(?P<run>(?:[""" + _PN_CHARS + r""".:]|""" + _PLX + r""")++)
    |(?P<other>.)""",
    re.X | re.S,
)
# A "run" is a maximal stretch of name characters, dots, colons and escapes, consumed at once with a
# possessive quantifier: the tokenizer never backtracks, so it is linear in the query's length. (An
# earlier form tried a prefixed name at every position and scanned to the end of a long run of
# "a.a.a..." each time: quadratic, and one 98 kB request froze the server for 99 s.) A run with a
# colon is a prefixed name; otherwise its dot-separated pieces are bare words (keywords, or the "a"
# of "?s a ?o").


_WORD = re.compile("[" + _PN_CHARS_BASE + "_][" + _PN_CHARS + "]*")


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
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "other":
            char = match.group()
            if char in _OPEN:
                depth += 1
                if depth > deepest:
                    deepest = depth
                    if deepest > MAX_NESTING:
                        break
            elif char in _CLOSE:
                depth -= 1
        elif kind == "run" and ":" not in match.group():
            out.extend(w.upper() for w in match.group().split(".") if w and _WORD.fullmatch(w))
    return out, deepest


def check_query(text: str, *, max_bytes: int | None = None) -> Checked:
    """Refuse updates, ``SERVICE`` and over-long queries; return the query's form.

    Raises :class:`QueryTooLarge` over ``max_bytes`` (UTF-8), :class:`QueryRefused` for an update
    or a federated query. Syntax errors are left to the store's parser, which reports them with a
    line and column.
    """
    if max_bytes is not None and len(text) * 4 > max_bytes and len(text.encode()) > max_bytes:
        raise QueryTooLarge(f"the query is {len(text.encode()):,} bytes; this endpoint accepts at "
                            f"most {max_bytes:,} (start gutkg serve with --max-query-bytes to change it)")
    words, deepest = _scan(text)
    if deepest > MAX_NESTING:
        raise BadRequest(f"the query has brackets nested more than {MAX_NESTING} levels deep (counting (, "
                         "{ and [); this endpoint refuses deeper nesting, which can crash the query "
                         "parser. Flatten it: chain BIND steps instead of nesting calls.")
    first = next((w for w in words if w not in {"BASE", "PREFIX"}), "")
    if first in UPDATE_KEYWORDS or "LOAD" in words:
        op = first if first in UPDATE_KEYWORDS else "LOAD"
        raise QueryRefused(f"{op} is an update; this endpoint is read-only and refuses SPARQL Update "
                           "(INSERT, DELETE, LOAD, CLEAR, DROP, ...). Edit the graph with gutkg add / "
                           "gutkg import instead.")
    if "SERVICE" in words:
        raise QueryRefused("SERVICE (federated query) is refused: this endpoint never calls other "
                           "endpoints. Run the federated part against the remote endpoint yourself, "
                           "or load its data with --graph.")
    return Checked(QUERY_FORMS.get(first, "select"), first)
