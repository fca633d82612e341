"""Result columns in the order the query asks for them, whatever the store.

Stores answer ``SELECT *`` in their own order (rdflib sorts the names, Oxigraph follows its plan), and a
remote endpoint may reorder an explicit projection. A reader expects the columns they wrote:
``SELECT ?z ?a`` gives ``z, a``, and ``SELECT *`` gives the variables in the order they first
appear in the query's body (as Jena and most tools show them).

>>> projection("SELECT ?z (COUNT(?x) AS ?n) ?a WHERE { ?a ?p ?z }")
['z', 'n', 'a']
>>> projection('PREFIX ex: <http://e.org/x#> SELECT * { ?claim ex:cause ?cause # ?not\\n FILTER(?cause != "?no") }')
['claim', 'cause']
>>> projection("ASK { ?s ?p ?o }") is None
True
"""

from __future__ import annotations

import dataclasses

from gutkg.sparqltext import tokens
from gutkg.store import QueryResult

_SKIP = frozenset({"comment", "string", "iri", "langtag"})
_BODY = frozenset({"WHERE", "FROM"})


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of the query's significant tokens; bare words are split on dots and upper-cased."""
    out: list[tuple[str, str]] = []
    for token in tokens(text):
        if token.kind in _SKIP:
            continue
        if token.kind == "run" and ":" not in token.text:
            out.extend(("word", w.upper()) for w in token.text.split(".") if w)
        else:
            out.append((token.kind, token.text))
    return out


def projection(text: str) -> list[str] | None:
    """The variable names a SELECT query projects, in order; None for other query forms."""
    tokens = _tokens(text)
    start = next((i for i, t in enumerate(tokens) if t == ("word", "SELECT")), None)
    if start is None:
        return None
    i = start + 1
    while i < len(tokens) and tokens[i] in (("word", "DISTINCT"), ("word", "REDUCED")):
        i += 1
    names: list[str] = []
    if i < len(tokens) and tokens[i] == ("other", "*"):
        for kind, value in tokens[i + 1 :]:
            if kind == "var" and value[1:] not in names:
                names.append(value[1:])
        return names
    depth, previous = 0, ("", "")
    for kind, value in tokens[i:]:
        if depth == 0 and (value == "{" or (kind == "word" and value in _BODY)):
            break
        if value == "(":
            depth += 1
        elif value == ")":
            depth -= 1
        elif kind == "var" and (depth == 0 or previous == ("word", "AS")) and value[1:] not in names:
            names.append(value[1:])
        previous = (kind, value)
    return names


def in_query_order(result: QueryResult, text: str) -> QueryResult:
    """``result`` with its SELECT columns in the order of ``text``'s projection (other columns, if a
    store adds any, keep their place after them)."""
    if result.kind != "select":
        return result
    wanted = projection(text) or []
    order = [v for v in wanted if v in result.vars]
    order += [v for v in result.vars if v not in order]
    if order == list(result.vars):
        return result
    where = [result.vars.index(v) for v in order]
    return dataclasses.replace(result, vars=order, rows=[tuple(row[i] for i in where) for row in result.rows])
