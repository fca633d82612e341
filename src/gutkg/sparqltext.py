"""SPARQL text, scanned: the one tokenizer every part of gutkg uses to look inside query text.

It follows the SPARQL 1.1 lexical grammar (comments, the four string forms, IRIs, language tags,
variables, prefixed names with their escapes) far enough to tell code from the strings, IRIs and
comments that only look like code. It never backtracks, so it is linear in the text's length (an
earlier, quadratic form let one 98 kB request freeze the endpoint for 99 s).

Used by the endpoint's guard (which keywords a query holds), the stores (the query form, where a
``VALUES`` block goes, how many ``LIMIT``\\ s) and the N-Triples chunker (blank-node labels outside
strings).

>>> [t.kind for t in tokens('SELECT ?x { <a:b> "}" } # x')]
['run', 'var', 'other', 'iri', 'string', 'other', 'comment']
>>> blank('ASK { "#" } # c')
'ASK {     }    '
>>> keywords('SELECT ?x # SERVICE\\n{ ?x <http://e.org/service> "load" ; ex:drop 1 }')
['SELECT']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
    "\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_0-9\\-\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|"""
    + _UCHAR
    + r""")*>)
    |(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<var>[?$]["""
    + _PN_CHARS
    + r"""]++)
    |(?P<run>(?:["""
    + _PN_CHARS
    + r""".:]|"""
    + _PLX
    + r""")++)
    |(?P<other>.)""",
    re.X | re.S,
)
"""One token. A "run" is a maximal stretch of name characters, dots, colons and escapes, consumed at
once with a possessive quantifier so the scan never backtracks. A run with a colon is a prefixed
name; otherwise its dot-separated pieces are bare words (keywords, or the "a" of "?s a ?o")."""

WORD = re.compile("[" + _PN_CHARS_BASE + "_][" + _PN_CHARS + "]*")

#: Token kinds that hold no code: their text is blanked by :func:`blank`.
OPAQUE = frozenset({"comment", "string", "iri"})


class Token(NamedTuple):
    """One token: its kind (a group name of :data:`TOKEN`), its text and where it starts."""

    kind: str
    text: str
    start: int


def tokens(text: str, *, whitespace: bool = False) -> Iterator[Token]:
    """The tokens of ``text``, in order (whitespace left out unless asked for)."""
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "ws" or whitespace:
            yield Token(kind, match.group(), match.start())


def words(token: Token) -> list[str]:
    """The bare words in a token (upper-cased): none unless it is a run without a colon.

    >>> words(Token("run", "a.b", 0))
    ['A', 'B']
    >>> words(Token("run", "ex:drop", 0))
    []
    """
    if token.kind != "run" or ":" in token.text:
        return []
    return [w.upper() for w in token.text.split(".") if w and WORD.fullmatch(w)]


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` (upper-cased), skipping strings, IRIs, comments, variables and
    prefixed names."""
    return [w for token in tokens(text) for w in words(token)]


def blank(text: str) -> str:
    """``text`` with comments, strings and IRIs replaced by spaces of the same length, for keyword
    scans that must keep positions.

    >>> blank("SELECT * { <x> ?p 'LIMIT 3' } LIMIT 5")
    'SELECT * {     ?p           } LIMIT 5'
    """
    parts: list[str] = []
    for token in tokens(text, whitespace=True):
        parts.append(" " * len(token.text) if token.kind in OPAQUE else token.text)
    return "".join(parts)
