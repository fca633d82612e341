"""Query parameters: ``--param name=value`` turned into RDF terms bound by the store.

Values are never pasted into query text: each becomes a :class:`~gutkg.store.Term` (an IRI or a
literal) that the store binds to the variable, so ``--param text='x" } DROP ALL #'`` is just a
strange string.

How a value is read:

* ``<http://...>`` or ``http(s)://...``: an IRI;
* ``prefix:local`` with a known prefix (``gkc:``, ``gkref:``, ``MONDO:``...): an IRI;
* ``"text"``, ``"text"@en``, ``"3"^^xsd:integer``: a literal in Turtle spelling;
* ``42`` / ``4.2`` / ``true``: a typed literal;
* anything else: a plain string literal; for a parameter of kind ``concept``, a concept label or
  synonym, resolved strictly (an unknown name lists the closest concepts).

>>> parse_value("gkc:zonulin")
Term(kind='uri', value='https://w3id.org/gutkg/concept/zonulin', datatype=None, lang=None)
>>> parse_value('"leaky gut"@en').lang
'en'
>>> parse_value("3").datatype
'http://www.w3.org/2001/XMLSchema#integer'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from gutkg.errors import QueryError
from gutkg.store import Store, Term

XSD = "http://www.w3.org/2001/XMLSchema#"
_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LITERAL = re.compile(
    r'"(?P<text>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)'
    r"|\^\^(?P<dt><[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*))?",
    re.S,
)
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "'": "'", "\\": "\\", "b": "\b", "f": "\f"}


def expand_curie(text: str) -> str | None:
    """The IRI for ``prefix:local`` when the prefix is one gutkg knows, else None.

    >>> expand_curie("MONDO:0005130")
    'http://purl.obolibrary.org/obo/MONDO_0005130'
    >>> expand_curie("nope:x") is None
    True
    """
    from gutkg.mappings import iri_of
    from gutkg.vocab import PREFIXES

    prefix, sep, local = text.partition(":")
    if not sep or local.startswith("//"):
        return None
    if prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return iri_of(text)


def parse_value(text: str) -> Term:
    """A command-line value as an RDF term (see the module docstring for the rules)."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        return _iri(value[1:-1])
    if re.match(r"(?i)(https?|urn|file|mailto):", value) and " " not in value:
        return _iri(value)
    match = _LITERAL.fullmatch(value)
    if match:
        lexical = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), match["text"])
        datatype = match["dt"]
        if datatype:
            datatype = datatype[1:-1] if datatype.startswith("<") else expand_curie(datatype)
            if not datatype:
                raise QueryError(f"unknown datatype prefix in {text!r}; write ^^<full IRI> or ^^xsd:TYPE")
        return Term.literal(lexical, datatype, match["lang"])
    if re.fullmatch(r"[+-]?\d+", value):
        return Term.literal(value, XSD + "integer")
    if re.fullmatch(r"[+-]?\d*\.\d+", value):
        return Term.literal(value, XSD + "decimal")
    if value in {"true", "false"}:
        return Term.literal(value, XSD + "boolean")
    iri = expand_curie(value) if re.fullmatch(r"[A-Za-z][\w.-]*:\S*", value) else None
    if iri:
        return Term.iri(iri)
    return Term.literal(text)


def _iri(value: str) -> Term:
    if re.search(r'[\s<>"{}|^`\\]', value):
        raise QueryError(f'<{value}> is not a valid IRI (it contains a space or one of <>"{{}}|^`\\)')
    return Term.iri(value)


def split_assignment(text: str) -> tuple[str, str]:
    """``name=value`` split at the first ``=``, with the name checked to be a SPARQL variable."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VAR.fullmatch(name):
        raise QueryError(f"bad --param {text!r}: write NAME=VALUE, e.g. --param concept=gkc:zonulin")
    return name, value


def bind(assignments: Iterable[str], question: object | None = None, store: Store | None = None) -> dict[str, Term]:
    """Parse ``name=value`` strings into bindings, checked against a bundled question's params.

    With a question: unknown names are refused (its parameters are listed), required ones must be
    given, ``concept`` values are resolved by label against ``store``, ``IRI`` values must be IRIs.
    """
    from gutkg.sparql.questions import Question

    raw: dict[str, str] = {}
    for item in assignments:
        name, value = split_assignment(item)
        if name in raw:
            raise QueryError(f"--param {name} given twice")
        raw[name] = value
    if not isinstance(question, Question):
        return {name: parse_value(value) for name, value in raw.items()}
    declared = {p.name: p for p in question.params}
    for name in raw:
        if name not in declared:
            listed = ", ".join(declared) or "none"
            raise QueryError(
                f"{question.name} has no parameter {name!r} (its parameters: {listed}). "
                f"See: gutkg queries {question.name}"
            )
    missing = [p.name for p in question.params if not p.optional and p.name not in raw]
    if missing:
        raise QueryError(
            f"{question.name} needs --param "
            + ", --param ".join(f"{m}=..." for m in missing)
            + f" (see: gutkg queries {question.name})"
        )
    return {name: _typed(declared[name], value, store, question.name) for name, value in raw.items()}


def _typed(param: object, value: str, store: Store | None, qname: str) -> Term:
    from gutkg.sparql.questions import Param

    assert isinstance(param, Param)
    term = parse_value(value)
    if param.kind == "concept" and not term.is_iri:
        if store is None:
            raise QueryError(f"--param {param.name}: give the concept as a CURIE or IRI")
        from gutkg.concepts import ConceptIndex

        concept = ConceptIndex.from_store(store).resolve(value.strip())
        assert concept is not None
        return Term.iri(concept.iri)
    if param.kind in {"concept", "IRI"} and not term.is_iri:
        raise QueryError(
            f"--param {param.name} of {qname} must be an IRI or a CURIE such as gkc:zonulin or gkref:KEY; got {value!r}"
        )
    if param.kind == "integer" and not (term.kind == "literal" and term.datatype == XSD + "integer"):
        raise QueryError(f"--param {param.name} of {qname} must be a whole number; got {value!r}")
    if param.kind == "literal" and term.is_iri:
        return Term.literal(value)
    return term


def describe(bindings: Mapping[str, Term]) -> str:
    """Bindings as ``name=<term>`` text, for messages and logs."""
    return ", ".join(f"{k}={v.n3()}" for k, v in sorted(bindings.items()))
