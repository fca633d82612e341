"""Adding a causal claim with its evidence, or evidence to the claim that already states it.

Provenance is not optional: :func:`add_claim` refuses a claim with no evidence item unless its
status is ``hypothesised`` (the same rule is a SHACL shape). Cause, effect and sign define a claim,
so a second claim with the same three is refused with the existing claim's id; with
``add_to_existing`` the evidence (and hypothesis membership) is attached to that claim instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gutkg.curation.concept import reference_iri
from gutkg.curation.draft import Change, Draft, literal
from gutkg.curation.values import boolean, iri_for, sign_slug, strength_rank, text
from gutkg.errors import DuplicateError, ValidationError
from gutkg.namespaces import prologue
from gutkg.store import Term, Triple
from gutkg.vocab import (
    CLAIM,
    DCTERMS,
    EVIDENCE,
    GKV,
    HAS_EVIDENCE,
    HYPOTHESIS,
    RDF,
    SPECIES,
    STATUSES,
)

_STATUS_NAME = {str(k): v for k, v in STATUSES.items()}
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"

#: Keys of an evidence spec (``--evidence key=value,key=value``), in the order shown to users.
EVIDENCE_KEYS = (
    "source",
    "type",
    "design",
    "species",
    "model",
    "direction",
    "strength",
    "stance",
    "zonulin",
    "description",
)
_REQUIRED = ("source", "type", "species", "model", "direction", "strength")
#: Model words that mean a review: its items carry no species (reviews are not human or animal data).
_SYNTHESIS_WORDS = frozenset({"synthesis", "review"})
_FIELD = re.compile(r'\s*([A-Za-z_]+)\s*=\s*(?:"((?:[^"]|"")*)"|(.*?))\s*(?:,(?=\s*[A-Za-z_]+\s*=)|\Z)', re.S)
_WRONG_SEPARATOR = re.compile(r"[;|]\s*(?:" + "|".join(EVIDENCE_KEYS) + r")\s*=")


@dataclass
class EvidenceSpec:
    """One evidence item as a curator describes it.

    ``source`` a reference key; ``type`` an ECO id (ECO:0000180); ``design`` an OBI id or empty;
    ``species`` human / mouse / rat or an NCBITaxon id (empty for a review); ``model`` in-vivo /
    ex-vivo / in-vitro / synthesis (a review); ``direction`` the study design, one of
    :data:`gutkg.scales.DESIGNS` (``prospective cohort``, ``cross-sectional``...); ``strength``
    minimal / weak / moderate / strong; ``stance`` supports / opposes;
    ``zonulin`` true when the finding rests on a commercial serum-zonulin ELISA (strength at most
    weak); ``description`` what the source reports, in the curator's words.
    """

    source: str
    type: str
    species: str
    model: str
    direction: str
    strength: str
    stance: str = "supports"
    design: str = ""
    zonulin: bool = False
    description: str = ""

    @classmethod
    def parse(cls, spec: str) -> EvidenceSpec:
        """Parse ``key=value,key=value``. A value may contain commas (a comma starts a new field
        only when ``word=`` follows it); put a value containing ``word=`` in double quotes.

        >>> e = EvidenceSpec.parse("source=arrieta2006, type=ECO:0000304, "
        ...     'model=synthesis, direction=unspecified, strength=weak, description="Tight, n=3"')
        >>> e.source, e.stance, e.species, e.description
        ('arrieta2006', 'supports', '', 'Tight, n=3')

        A review is not human or animal data, so it takes no species:

        >>> EvidenceSpec.parse("source=k, type=ECO:0000304, species=human, model=review, "
        ...     "direction=unspecified, strength=weak")  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        ValidationError: evidence ... is a review (model=review): leave its species empty ...
        """
        values: dict[str, str] = {}
        if _WRONG_SEPARATOR.search(spec):
            raise ValidationError(
                f"cannot read evidence {spec!r}: separate its fields with commas "
                "(source=KEY,type=ECO:...), not semicolons or bars"
            )
        pos, text_ = 0, spec.strip()
        while pos < len(text_):
            match = _FIELD.match(text_, pos)
            if not match or match.end() == pos:
                raise ValidationError(
                    f"cannot read evidence {spec!r} at {text_[pos : pos + 30]!r}: "
                    "write key=value pairs separated by commas"
                )
            name = match[1].casefold()
            if name not in EVIDENCE_KEYS:
                raise ValidationError(
                    f"evidence {spec!r}: unknown key {match[1]!r}; the keys are "
                    + ", ".join(EVIDENCE_KEYS)
                    + ' (quote a value that contains "word=")'
                )
            if name in values:
                raise ValidationError(f"evidence {spec!r} gives {name} twice")
            quoted = match[2]
            values[name] = quoted.replace('""', '"') if quoted is not None else match[3].strip()
            pos = match.end()
        return cls.from_fields(values, what=f"evidence {spec!r}")

    @classmethod
    def from_fields(cls, values: dict[str, str], *, what: str = "evidence") -> EvidenceSpec:
        """Build from a mapping of :data:`EVIDENCE_KEYS` (missing required keys are named)."""
        review = (values.get("model") or "").strip().casefold() in _SYNTHESIS_WORDS
        missing = [k for k in _REQUIRED if not (values.get(k) or "").strip() and not (review and k == "species")]
        if review and (values.get("species") or "").strip():
            raise ValidationError(
                f"{what} is a review (model={values['model'].strip()}): leave its "
                "species empty. A review is not human or animal data; to code human "
                "data, cite the primary study it rests on (if it is a verified "
                "reference) with its own design and species"
            )
        if missing:
            raise ValidationError(
                f"{what} lacks "
                + ", ".join(missing)
                + " (needed: "
                + ", ".join(_REQUIRED)
                + ", species left empty for a review; "
                "optional: design, stance, zonulin, description)"
            )
        return cls(
            source=values["source"],
            type=values["type"],
            species=values.get("species") or "",
            model=values["model"],
            direction=values["direction"],
            strength=values["strength"],
            stance=values.get("stance") or "supports",
            design=values.get("design") or "",
            zonulin=boolean(values.get("zonulin") or "", "zonulin"),
            description=values.get("description") or "",
        )


@dataclass
class ClaimSpec:
    """A causal claim as a curator describes it. ``cause`` / ``effect`` are concept names (label,
    synonym, id or CURIE); ``hypotheses`` hypothesis ids or labels it belongs to."""

    cause: str
    effect: str
    sign: str
    status: str
    mechanism: str = ""
    evidence: list[EvidenceSpec] = field(default_factory=list)
    hypotheses: list[str] = field(default_factory=list)


FIND_CLAIM = (
    prologue("gkv", "obo")
    + """
SELECT ?claim ?status (COUNT(DISTINCT ?ev) AS ?n) WHERE {
  ?claim a gkv:CausalClaim ; gkv:cause ?cause ; gkv:effect ?effect ; gkv:sign ?sign .
  OPTIONAL { ?claim gkv:status ?status }
  OPTIONAL { ?claim obo:RO_0002558 ?ev }
} GROUP BY ?claim ?status ORDER BY ?claim"""
)

EVIDENCE_OF = (
    prologue("gkv", "obo", "dcterms")
    + """
SELECT ?ev ?p ?o WHERE { ?claim obo:RO_0002558 ?ev . ?ev ?p ?o }"""
)

HYPOTHESES = (
    prologue("gkv", "skos", "dcterms")
    + """
SELECT ?h ?label ?part WHERE { ?h a gkv:Hypothesis .
  OPTIONAL { ?h skos:prefLabel ?label } OPTIONAL { ?h dcterms:hasPart ?part } }"""
)


def add_claim(draft: Draft, spec: ClaimSpec, *, topic: str = "curated", add_to_existing: bool = False) -> list[Change]:
    """Add the claim ``spec`` (new claims go to ``claims/<topic>.ttl``); return what was added.

    Raises :class:`~gutkg.errors.UnknownConceptError` for an unknown cause or effect,
    :class:`~gutkg.errors.DuplicateError` when a claim with the same cause, effect and sign exists
    (unless ``add_to_existing``), and :class:`~gutkg.errors.ValidationError` for a claim without
    evidence that is not hypothesised, or any unverified or unknown value.
    """
    index = draft.concepts()
    cause, effect = index.resolve(spec.cause), index.resolve(spec.effect)
    assert cause is not None and effect is not None
    if cause.id == effect.id:
        raise ValidationError(f"{cause.label!r} cannot be its own cause: model the loop through its intermediate steps")
    sign = iri_for("sign", spec.sign)
    status = iri_for("status", spec.status)
    hypotheses = [_hypothesis(draft, h) for h in spec.hypotheses if h.strip()]
    existing = _existing(draft, cause.iri, effect.iri, sign)
    claim_id = f"{cause.id}__{sign_slug(sign)}__{effect.id}"
    if existing is None and draft.has_subject(str(CLAIM[claim_id])):
        raise ValidationError(
            f"gkcl:{claim_id} already exists but does not state {cause.label} "
            f"{sign_slug(sign)} {effect.label}: fix that claim first"
        )
    if existing is not None and not add_to_existing:
        iri, old_status, n = existing
        raise DuplicateError(
            f"a claim with the same cause, effect and sign already exists: {_curie(iri)} "
            f"({_STATUS_NAME.get(old_status, 'no status')}, {n} evidence item(s), in "
            f"{draft.display(draft.defined_in(iri) or draft.root)}). "
            "Attach this evidence to it with --add-evidence-to-existing, or change the cause, "
            "effect or sign.",
            _curie(iri),
        )
    if existing is None and not spec.evidence and status != str(GKV.Hypothesised):
        raise ValidationError(
            f"the claim {cause.label} {sign_slug(sign)} {effect.label} has no evidence: give at "
            "least one evidence item (--evidence source=KEY,type=ECO:...,...) or set --status "
            "hypothesised. Provenance is not optional."
        )
    evidence = [_evidence_values(draft, e) for e in spec.evidence]
    if existing is None:
        return _new_claim(draft, claim_id, cause.iri, effect.iri, sign, status, spec, evidence, hypotheses, topic)
    return _attach(draft, existing, status, spec, evidence, hypotheses)


def _new_claim(
    draft: Draft,
    claim_id: str,
    cause: str,
    effect: str,
    sign: str,
    status: str,
    spec: ClaimSpec,
    evidence: list[list[tuple[str, Term]]],
    hypotheses: list[str],
    topic: str,
) -> list[Change]:
    if not spec.mechanism.strip():
        raise ValidationError(
            "a new claim needs a mechanism note, in your words (--mechanism, or the mechanism column of an import)"
        )
    mechanism = text(spec.mechanism, "mechanism note", one_line=False)
    iri = Term.iri(str(CLAIM[claim_id]))
    triples: list[Triple] = [
        (iri, Term.iri(str(RDF.type)), Term.iri(str(GKV.CausalClaim))),
        (iri, Term.iri(str(GKV.cause)), Term.iri(cause)),
        (iri, Term.iri(str(GKV.sign)), Term.iri(sign)),
        (iri, Term.iri(str(GKV.effect)), Term.iri(effect)),
        (iri, Term.iri(str(GKV.status)), Term.iri(status)),
        (iri, Term.iri(str(GKV.mechanism)), literal(mechanism)),
    ]
    path = draft.claim_file(topic)
    for n, values in enumerate(evidence, 1):
        triples += _evidence_triples(iri, f"{claim_id}.e{n}", values)
    detail = f"{len(evidence)} evidence item(s)" if evidence else "hypothesised, no evidence"
    change = Change("add claim", f"gkcl:{claim_id}", draft.display(path), detail)
    draft.add(path, triples, change)
    return [change, *_join_hypotheses(draft, iri.value, hypotheses, {})]


def _attach(
    draft: Draft,
    existing: tuple[str, str, int],
    status: str,
    spec: ClaimSpec,
    evidence: list[list[tuple[str, Term]]],
    hypotheses: list[str],
) -> list[Change]:
    iri, old_status, _n = existing
    claim_id = iri.rsplit("/", 1)[-1]
    path = draft.file_of(iri, draft.root / "claims" / "curated.ttl")
    members = _members(draft)
    if not evidence and all(iri in members.get(h, set()) for h in hypotheses):
        raise ValidationError(
            f"nothing to add to {_curie(iri)}: give evidence items or a hypothesis it does not yet belong to"
        )
    known = _evidence_keys(draft, iri)
    taken = draft.subjects_starting(str(EVIDENCE[f"{claim_id}.e"]))
    numbers = [int(m[1]) for t in taken if (m := re.search(r"\.e(\d+)$", t))]
    next_n = max(numbers, default=0) + 1
    changes: list[Change] = []
    triples: list[Triple] = []
    for values in evidence:
        key = frozenset((p, o) for p, o in values if p != str(DCTERMS.description))
        if key in known:
            raise DuplicateError(
                f"{_curie(known[key])} already records this evidence (same source, "
                "stance, type, species, model, direction and strength)",
                _curie(known[key]),
            )
        ev_id = f"{claim_id}.e{next_n}"
        next_n += 1
        triples += _evidence_triples(Term.iri(iri), ev_id, values)
        changes.append(Change("add evidence", f"gkev:{ev_id}", draft.display(path), f"to existing claim {_curie(iri)}"))
    draft.add(path, triples)
    draft.changes.extend(changes)
    if status != old_status:
        # the status follows from all the claim's evidence (gutkg.grading): validation checks the new one
        draft.replace(path, Term.iri(iri), Term.iri(str(GKV.status)), Term.iri(status))
        draft.notes.append(
            f"{_curie(iri)} changes its status from "
            f"{_STATUS_NAME.get(old_status, '(none)')!r} to {_STATUS_NAME[status]!r}"
        )
    return changes + _join_hypotheses(draft, iri, hypotheses, members)


def _existing(draft: Draft, cause: str, effect: str, sign: str) -> tuple[str, str, int] | None:
    """(claim IRI, status IRI, number of evidence items) of the claim stating the same thing."""
    rows = draft.store.query(
        FIND_CLAIM, {"cause": Term.iri(cause), "effect": Term.iri(effect), "sign": Term.iri(sign)}
    ).rows
    for claim, status, n in rows:
        if claim is not None:
            return claim.value, status.value if status else "", int(n.value) if n else 0
    return None


def _evidence_values(draft: Draft, e: EvidenceSpec) -> list[tuple[str, Term]]:
    """(predicate, object) pairs of one evidence item, every value resolved and verified."""
    from gutkg.network import DESIGN_LABELS, EVIDENCE_LABELS

    ids = draft.identifiers
    problems: list[str] = []

    def attempt(func: Callable[..., str], *args: object) -> str | None:
        try:
            return func(*args)
        except ValidationError as exc:
            problems.append(str(exc))
            return None

    eco = {"ECO:" + k[4:] for k in EVIDENCE_LABELS}
    obi = {"OBI:" + k[4:] for k in DESIGN_LABELS}
    taxa = {"NCBITaxon:" + str(k).rsplit("_", 1)[-1] for k in SPECIES}
    by_name = {v: str(k) for k, v in SPECIES.items()}
    species_text = e.species.strip()
    pairs: list[tuple[str, str | Term | None]] = [
        (str(DCTERMS.source), attempt(reference_iri, draft, e.source)),
        (str(GKV.stance), attempt(iri_for, "stance", e.stance)),
        (str(GKV.evidenceType), attempt(ids.evidence_code, e.type, "ECO", "evidence type", eco)),
        (
            str(GKV.species),
            (
                by_name.get(species_text.casefold())
                or attempt(ids.evidence_code, species_text, "NCBITaxon", "species", taxa)
            )
            if species_text
            else None,
        ),
        (str(GKV.model), attempt(iri_for, "model", e.model)),
        (str(GKV.directionEvidence), attempt(iri_for, "direction", e.direction)),
        (str(GKV.strength), attempt(iri_for, "strength", e.strength)),
    ]
    if e.design.strip():
        pairs.append((str(GKV.studyDesign), attempt(ids.evidence_code, e.design, "OBI", "study design", obi)))
    strength = dict(pairs)[str(GKV.strength)]
    if e.zonulin:
        pairs.append((str(GKV.restsOnZonulinAssay), Term.literal("true", _XSD_BOOLEAN)))
        if isinstance(strength, str) and strength_rank(strength) > 2:
            problems.append(
                f"evidence from {e.source} rests on a serum-zonulin ELISA: its strength "
                "is at most weak (the kits' specificity is disputed)"
            )
    if e.description.strip():
        desc = attempt(lambda v: text(v, "description", one_line=False), e.description)
        pairs.append((str(DCTERMS.description), literal(desc) if desc else None))
    if problems:
        raise ValidationError(f"evidence from {e.source or '?'}:\n  " + "\n  ".join(problems))
    return [(p, o if isinstance(o, Term) else Term.iri(o)) for p, o in pairs if o is not None]


def _evidence_triples(claim: Term, ev_id: str, values: list[tuple[str, Term]]) -> list[Triple]:
    ev = Term.iri(str(EVIDENCE[ev_id]))
    return [
        (claim, Term.iri(str(HAS_EVIDENCE)), ev),
        (ev, Term.iri(str(RDF.type)), Term.iri(str(GKV.Evidence))),
        *[(ev, Term.iri(p), o) for p, o in values],
    ]


def _evidence_keys(draft: Draft, claim: str) -> dict[frozenset[tuple[str, Term]], str]:
    """Existing evidence items of ``claim`` keyed by their fields (description aside)."""
    items: dict[str, set[tuple[str, Term]]] = {}
    skip = {str(RDF.type), str(DCTERMS.description)}
    for ev, p, o in draft.store.query(EVIDENCE_OF, {"claim": Term.iri(claim)}).rows:
        if ev is None or p is None or o is None or p.value in skip:
            continue
        items.setdefault(ev.value, set()).add((p.value, o))
    return {frozenset(v): k for k, v in items.items()}


def _hypothesis(draft: Draft, name: str) -> str:
    """The IRI of an existing hypothesis, by id, CURIE, IRI or label."""
    import difflib

    labels: dict[str, str] = {}
    for h, label_term, _part in draft.store.query(HYPOTHESES).rows:
        if h is not None:
            labels[h.value] = label_term.value if label_term else ""
    wanted = name.strip()
    for iri, label in labels.items():
        local = iri.removeprefix(str(HYPOTHESIS))
        if wanted in {iri, local, f"gkh:{local}"} or wanted.casefold() == label.casefold():
            return iri
    names = [f"gkh:{i.removeprefix(str(HYPOTHESIS))}" for i in labels]
    close = difflib.get_close_matches(wanted if wanted.startswith("gkh:") else f"gkh:{wanted}", names, n=3, cutoff=0.5)
    raise ValidationError(
        f"unknown hypothesis {name!r}: a claim can only join a hypothesis of the "
        "graph (graph/hypotheses.ttl)" + (f". Did you mean: {', '.join(close)}?" if close else "")
    )


def _members(draft: Draft) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for h, _label, part in draft.store.query(HYPOTHESES).rows:
        if h is not None:
            out.setdefault(h.value, set()).update({part.value} if part else set())
    return out


def _join_hypotheses(draft: Draft, claim: str, hypotheses: list[str], members: dict[str, set[str]]) -> list[Change]:
    changes = []
    for h in dict.fromkeys(hypotheses):
        if claim in members.get(h, set()):
            continue
        path = draft.file_of(h, draft.root / "hypotheses.ttl")
        change = Change("add claim to hypothesis", _curie(h), draft.display(path), _curie(claim))
        draft.add(path, [(Term.iri(h), Term.iri(str(DCTERMS.hasPart)), Term.iri(claim))], change)
        changes.append(change)
    return changes


def _curie(iri: str) -> str:
    from gutkg.canonical import qname

    return qname(iri)
