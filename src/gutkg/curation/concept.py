"""Adding a concept: names checked for clashes, broader links resolved, mappings verified."""

from __future__ import annotations

from dataclasses import dataclass, field

from gutkg.concepts import ConceptIndex
from gutkg.curation.draft import Change, Draft, literal
from gutkg.curation.values import ID_PATTERN, iri_for, slug, text
from gutkg.errors import DuplicateError, UnknownConceptError, ValidationError
from gutkg.store import Term, Triple
from gutkg.vocab import CONCEPT, GKV, RDF, REF, SKOS


@dataclass
class ConceptSpec:
    """A new concept as a curator describes it (plain strings, nothing resolved yet).

    ``category`` is a short name (``disease``) or class name (``Disease``); ``broader`` holds
    names of existing concepts (label, synonym, id or CURIE); ``exact_match`` / ``close_match``
    CURIEs from verified rows of identifiers.tsv; ``definition_source`` a reference key.
    ``id`` defaults to the label in snake case.
    """

    label: str
    category: str
    definition: str
    id: str = ""
    synonyms: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    exact_match: list[str] = field(default_factory=list)
    close_match: list[str] = field(default_factory=list)
    definition_source: str = ""


def reference_iri(draft: Draft, key: str) -> str:
    """The IRI of a reference of the graph, by key (``arrieta2006`` or ``gkref:arrieta2006``)."""
    import difflib

    key = key.strip().removeprefix("gkref:").removeprefix(str(REF))
    if key not in draft.references():
        close = difflib.get_close_matches(key, sorted(draft.references()), n=3, cutoff=0.6)
        raise ValidationError(
            f"unknown reference {key!r}: cite only references of the graph (graph/references*.ttl)"
            + (
                f". Did you mean: {', '.join(close)}?"
                if close
                else "; add it from a verified row of reference/bibliography.tsv first."
            )
        )
    return str(REF[key])


def add_concept(draft: Draft, spec: ConceptSpec) -> Change:
    """Add the concept ``spec`` to ``draft`` (into ``concepts/<category>.ttl``).

    Refuses (:class:`~gutkg.errors.ValidationError`) an empty or multi-line label, an id or name
    that another concept already uses, an unknown broader concept or reference, and any mapping
    that is not a verified row of identifiers.tsv.
    """
    label = text(spec.label, "label")
    definition = text(spec.definition, "definition", one_line=False)
    category = iri_for("category", spec.category)
    cid = text(spec.id, "id", required=False).removeprefix("gkc:") or slug(label)
    if not ID_PATTERN.match(cid):
        raise ValidationError(
            f"concept id {cid!r} must be lower-case letters, digits and single "
            "underscores (e.g. tight_junction); give one with --id"
        )
    iri = str(CONCEPT[cid])
    if draft.has_subject(iri):
        raise DuplicateError(
            f"concept gkc:{cid} already exists (in "
            f"{draft.display(draft.defined_in(iri) or draft.root)}): choose another "
            "--id, or edit the existing concept",
            f"gkc:{cid}",
        )
    synonyms = list(dict.fromkeys(text(s, "synonym") for s in spec.synonyms if s.strip()))
    synonyms = [s for s in synonyms if s.casefold() != label.casefold()]
    index = draft.concepts()
    for name in [label, *synonyms]:
        clash = _clash(index, name)
        if clash:
            raise DuplicateError(
                f"{name!r} already names {clash}: labels and synonyms must name "
                "one concept. Use another name, or add evidence to that concept.",
                clash,
            )
    problems: list[str] = []
    triples: list[Triple] = [
        (Term.iri(iri), Term.iri(str(RDF.type)), Term.iri(category)),
        (Term.iri(iri), Term.iri(str(SKOS.prefLabel)), literal(label)),
        (Term.iri(iri), Term.iri(str(SKOS.definition)), literal(definition)),
    ]
    triples += [(Term.iri(iri), Term.iri(str(SKOS.altLabel)), literal(s)) for s in synonyms]
    try:
        triples += broader_triples(draft, iri, spec.broader)
    except ValidationError as exc:
        problems.append(str(exc))
    for predicate, curies in ((SKOS.exactMatch, spec.exact_match), (SKOS.closeMatch, spec.close_match)):
        for curie in curies:
            if not curie.strip():
                continue
            try:
                target = draft.identifiers.mapping(curie)
            except ValidationError as exc:
                problems.append(str(exc))
                continue
            triples.append((Term.iri(iri), Term.iri(str(predicate)), Term.iri(target)))
    if spec.definition_source.strip():
        try:
            ref = reference_iri(draft, spec.definition_source)
            triples.append((Term.iri(iri), Term.iri(str(GKV.definitionSource)), Term.iri(ref)))
        except ValidationError as exc:
            problems.append(str(exc))
    if problems:
        raise ValidationError(f"cannot add concept gkc:{cid}:\n  " + "\n  ".join(problems))
    path = draft.concept_file(category)
    change = Change("add concept", f"gkc:{cid}", draft.display(path), label)
    draft.add(path, triples, change)
    return change


def broader_triples(draft: Draft, iri: str, names: list[str]) -> list[Triple]:
    """``iri skos:broader X`` for each concept name in ``names`` (resolved strictly)."""
    index = draft.concepts()
    out: list[Triple] = []
    problems = []
    for name in names:
        if not name.strip():
            continue
        try:
            broader = index.resolve(name.strip())
        except UnknownConceptError as exc:
            problems.append(f"broader: {exc}")
            continue
        assert broader is not None
        if broader.iri == iri:
            problems.append(f"broader: a concept cannot be broader than itself ({name!r})")
            continue
        out.append((Term.iri(iri), Term.iri(str(SKOS.broader)), Term.iri(broader.iri)))
    if problems:
        raise ValidationError("\n  ".join(problems))
    return out


def _clash(index: ConceptIndex, name: str) -> str:
    """The CURIE of the concept ``name`` already denotes, or ``""``."""
    try:
        found = index.resolve(name)
    except UnknownConceptError as exc:
        return ", ".join(exc.suggestions) if exc.ambiguous else ""
    return found.curie if found else ""
