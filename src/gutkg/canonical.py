"""Canonical Turtle: one deterministic spelling of a set of triples, so diffs show only changes.

Subjects are grouped (vocabulary, concepts, claims each followed by its evidence, references,
hypotheses, questions) and sorted; predicates follow a fixed reading order; objects are sorted.
Prefixes are always the same block.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from gutkg.store.terms import Term, Triple
from gutkg.vocab import BASE, PREFIXES

_XSD = PREFIXES["xsd"]
_RDF_TYPE = PREFIXES["rdf"] + "type"

#: Predicates in reading order; the rest follow alphabetically.
_PREDICATE_ORDER = [
    _RDF_TYPE,
    PREFIXES["skos"] + "prefLabel",
    PREFIXES["rdfs"] + "label",
    PREFIXES["skos"] + "altLabel",
    PREFIXES["skos"] + "definition",
    PREFIXES["gkv"] + "definitionSource",
    PREFIXES["skos"] + "broader",
    PREFIXES["gkv"] + "stageOf",
    PREFIXES["gkv"] + "rarelyMeasured",
    PREFIXES["skos"] + "exactMatch",
    PREFIXES["skos"] + "closeMatch",
    PREFIXES["gkv"] + "answers",
    PREFIXES["gkv"] + "role",
    PREFIXES["gkv"] + "exposure",
    PREFIXES["gkv"] + "outcome",
    PREFIXES["dcterms"] + "hasPart",
    PREFIXES["gkv"] + "cause",
    PREFIXES["gkv"] + "sign",
    PREFIXES["gkv"] + "effect",
    PREFIXES["gkv"] + "status",
    PREFIXES["gkv"] + "mechanism",
    PREFIXES["gkv"] + "associates",
    PREFIXES["gkv"] + "correlation",
    PREFIXES["gkv"] + "method",
    PREFIXES["gkv"] + "measures",
    PREFIXES["gkv"] + "pathway",
    PREFIXES["gkv"] + "validity",
    PREFIXES["gkv"] + "caveat",
    PREFIXES["obo"] + "RO_0002558",
    PREFIXES["dcterms"] + "source",
    PREFIXES["gkv"] + "stance",
    PREFIXES["gkv"] + "evidenceType",
    PREFIXES["gkv"] + "studyDesign",
    PREFIXES["gkv"] + "species",
    PREFIXES["gkv"] + "model",
    PREFIXES["gkv"] + "directionEvidence",
    PREFIXES["gkv"] + "strength",
    PREFIXES["gkv"] + "restsOnZonulinAssay",
    PREFIXES["dcterms"] + "description",
    PREFIXES["dcterms"] + "title",
    PREFIXES["dcterms"] + "creator",
    PREFIXES["dcterms"] + "issued",
    PREFIXES["gkv"] + "journal",
    PREFIXES["bibo"] + "volume",
    PREFIXES["bibo"] + "issue",
    PREFIXES["bibo"] + "pages",
    PREFIXES["bibo"] + "doi",
    PREFIXES["bibo"] + "pmid",
]
_PRED_RANK = {p: i for i, p in enumerate(_PREDICATE_ORDER)}

#: Subject groups by namespace, in file order.
_GROUPS = [
    PREFIXES["gkv"],
    PREFIXES["gkq"],
    PREFIXES["gkh"],
    PREFIXES["gkc"],
    PREFIXES["gkcl"],
    PREFIXES["gkas"],
    PREFIXES["gkm"],
    PREFIXES["gkev"],
    PREFIXES["gkref"],
]
#: Statements (claims, associations, measurements) sort together by local name, each followed by
#: its evidence items (``<statement>.e1`` ...).
_STATEMENTS = (PREFIXES["gkcl"], PREFIXES["gkas"], PREFIXES["gkm"], PREFIXES["gkev"])

_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
# Longest namespace first so gkcl: wins over a shorter prefix of it.
_NAMESPACES = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def qname(iri: str) -> str:
    """A prefixed name when one is valid, else ``<iri>``.

    >>> qname("https://w3id.org/gutkg/concept/zonulin")
    'gkc:zonulin'
    >>> qname("https://example.org/x y")
    '<https://example.org/x y>'
    """
    for ns, prefix in _NAMESPACES:
        if iri.startswith(ns):
            local = iri[len(ns) :]
            if _LOCAL.match(local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def _literal(term: Term) -> str:
    value = term.value
    if term.datatype == _XSD + "integer" and re.fullmatch(r"-?\d+", value):
        return value
    if term.datatype == _XSD + "boolean" and value in {"true", "false"}:
        return value
    if "\n" in value:
        body = value.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        if body.endswith('"'):
            body = body[:-1] + '\\"'
        text = f'"""{body}"""'
    else:
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'
    if term.lang:
        return f"{text}@{term.lang}"
    if term.datatype:
        return f"{text}^^{qname(term.datatype)}"
    return text


def _object(term: Term) -> str:
    if term.kind == "uri":
        return qname(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    return _literal(term)


def _subject_key(subject: Term) -> tuple[int, str]:
    iri = subject.value
    for rank, ns in enumerate(_GROUPS):
        if iri.startswith(ns):
            local = iri[len(ns) :]
            if ns in _STATEMENTS:  # evidence sorts right after its statement
                return (_GROUPS.index(PREFIXES["gkcl"]), local)
            return (rank, local)
    return (-1 if iri.startswith(BASE) else len(_GROUPS), iri)


def _object_key(term: Term) -> tuple[str, str, str, str]:
    return (term.kind, term.value, term.lang or "", term.datatype or "")


def to_turtle(triples: Iterable[Triple], header: str = "") -> str:
    """Canonical Turtle for ``triples``; ``header`` lines become leading ``#`` comments.

    >>> t = [(Term.iri(BASE + "concept/a"), Term.iri(PREFIXES["skos"] + "prefLabel"),
    ...       Term.literal("A", lang="en"))]
    >>> print(to_turtle(t).splitlines()[-1])
    gkc:a skos:prefLabel "A"@en .
    """
    by_subject: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        by_subject[s][p.value].append(o)
    used = {"rdf", "xsd"}
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    body: list[str] = []
    for subject in sorted(by_subject, key=_subject_key):
        preds = by_subject[subject]
        parts = []
        for pred in sorted(preds, key=lambda p: (_PRED_RANK.get(p, len(_PRED_RANK)), p)):
            objs = sorted(set(preds[pred]), key=_object_key)
            name = "a" if pred == _RDF_TYPE else qname(pred)
            rendered = [_object(o) for o in objs]
            if len(rendered) > 1 and sum(map(len, rendered)) > 60:
                parts.append(f"    {name}\n        " + " ,\n        ".join(rendered))
            else:
                parts.append(f"    {name} " + ", ".join(rendered))
        head = _object(subject)
        first, *rest = parts
        block = head + " " + first.lstrip()
        if rest:
            block += " ;\n" + " ;\n".join(rest)
        body.append(block + " .")
    text = "\n\n".join(body)
    used |= set(re.findall(r"(?<![\w<\"])([a-z][a-z0-9]*):", _strip_literals(text)))
    prefix_lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items()) if p in used]
    out = lines + ([""] if lines else []) + prefix_lines + [""] + ([text] if text else [])
    return "\n".join(out).rstrip() + "\n"


def _strip_literals(text: str) -> str:
    return re.sub(r'"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*"', '""', text)
