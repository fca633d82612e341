"""Importing concepts and claims from CSV: documented columns, every row checked, all or nothing.

A file is a **concepts** file or a **claims** file, told apart by its header (a ``cause`` column
means claims). Several files can be imported at once (``gutkg import concepts.csv claims.csv``):
concepts are added first, so claims may use them. Templates with every column:
``templates/concepts_template.csv`` and ``templates/claims_template.csv`` (also printed by
``gutkg import --template concepts|claims``).

Concept columns (one row per concept):

==================  ========  =============================================================
column              needed    meaning
==================  ========  =============================================================
id                  no        concept id (``tight_junction``); default: the label in snake case
label               yes       English preferred label
category            yes       anatomy, cell, molecule, microbial, immune, state, disease,
                              exposure, intervention or measurement
definition          yes       one or two sentences
synonyms            no        ``;``-separated alternative labels
broader             no        ``;``-separated broader concepts (label, synonym, id or CURIE;
                              may be a concept of the same import)
exact_match         no        ``;``-separated CURIEs from rows of identifiers.tsv marked ``yes``
close_match         no        the same, for related but not identical terms
definition_source   no        key of the reference the definition follows
==================  ========  =============================================================

Claim columns (one row per claim and evidence item; rows with the same cause, effect and sign are
one claim with several evidence items, and may leave status, mechanism and topic empty after its
first row, but must not contradict it):

==================  ========  =============================================================
column              needed    meaning
==================  ========  =============================================================
cause               yes       concept name (label, synonym, id or CURIE)
effect              yes       concept name
sign                yes       increases, decreases or no-effect
status              yes       established, supported, hypothesised, contested or refuted
mechanism           yes       mechanism note, curator's words (new claims)
hypotheses          no        ``;``-separated hypothesis ids the claim belongs to
topic               no        file ``claims/<topic>.ttl`` for a new claim (default: --topic)
source              evidence  reference key (``arrieta2006``); leave every evidence column
                              empty for a hypothesised claim without evidence
evidence_type       evidence  ECO id (ECO:0000180 clinical, ECO:0000179 animal, ECO:0000181
                              in vitro, ECO:0000304 review)
study_design        no        OBI id (OBI:0004001 randomized clinical trial, ...)
species             evidence  human, mouse, rat or an NCBITaxon id; empty for a review
model               evidence  in-vivo, ex-vivo, in-vitro or synthesis
direction           evidence  the study design (one of gutkg.scales.DESIGNS: prospective cohort,
                              cross-sectional, ...; unspecified for a review)
strength            evidence  minimal, weak, moderate or strong
stance              no        supports (default) or opposes
zonulin_assay       no        yes when the finding rests on a serum-zonulin ELISA (then
                              strength at most weak)
description         no        what the source reports, one sentence
==================  ========  =============================================================

Format: UTF-8 (a spreadsheet's byte-order mark is fine), comma-separated (``.tsv``: tabs),
column names in any case; a row whose first cell starts with ``#`` is a comment; blank rows are
skipped. Every row is checked and every problem reported with its line; if any row is wrong,
nothing is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from gutkg.curation.claim import ClaimSpec, EvidenceSpec, add_claim
from gutkg.curation.concept import ConceptSpec, add_concept, broader_triples
from gutkg.curation.draft import Draft
from gutkg.curation.values import iri_for, norm
from gutkg.errors import GutKGError, InputError, ValidationError
from gutkg.vocab import CONCEPT

#: Columns of each layout: name -> required.
COLUMNS: dict[str, dict[str, bool]] = {
    "concepts": {
        "id": False,
        "label": True,
        "category": True,
        "definition": True,
        "synonyms": False,
        "broader": False,
        "exact_match": False,
        "close_match": False,
        "definition_source": False,
    },
    "claims": {
        "cause": True,
        "effect": True,
        "sign": True,
        "status": True,
        "mechanism": True,
        "hypotheses": False,
        "topic": False,
        "source": False,
        "evidence_type": False,
        "study_design": False,
        "species": False,
        "model": False,
        "direction": False,
        "strength": False,
        "stance": False,
        "zonulin_assay": False,
        "description": False,
    },
}
_ALIASES = {
    "type": "evidence_type",
    "design": "study_design",
    "zonulin": "zonulin_assay",
    "synonym": "synonyms",
    "hypothesis": "hypotheses",
    "exact": "exact_match",
    "close": "close_match",
    "exactmatch": "exact_match",
    "closematch": "close_match",
}
#: Claim-file columns that make up one evidence item -> EvidenceSpec key.
EVIDENCE_COLUMNS = {
    "source": "source",
    "evidence_type": "type",
    "study_design": "design",
    "species": "species",
    "model": "model",
    "direction": "direction",
    "strength": "strength",
    "stance": "stance",
    "zonulin_assay": "zonulin",
    "description": "description",
}
_MAX_REPORTED = 50


@dataclass
class Row:
    """One data line of an imported CSV file: its file name, line number and cells by column name."""

    file: str
    line: int
    values: dict[str, str]

    def where(self) -> str:
        return f"{self.file}, line {self.line}"

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def many(self, name: str) -> list[str]:
        return [v.strip() for v in self.get(name).split(";") if v.strip()]


def template(kind: str) -> str:
    """The CSV template for ``kind`` (``concepts`` or ``claims``), as shipped with the package."""
    from importlib.resources import files

    return (files("gutkg") / "data" / f"{kind}_template.csv").read_text(encoding="utf-8")


def read_table(path: Path) -> tuple[str, list[Row]]:
    """(layout, rows) of a CSV file; raises :class:`InputError` for an unreadable file or header."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}, line {line}: not UTF-8. Save the file as 'CSV UTF-8'.") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if path.suffix == ".tsv" else ",")
    header: list[str] | None = None
    rows: list[Row] = []
    for cells in reader:
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [_column(c) for c in cells]
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise InputError(
                f"{path}, line {reader.line_num}: {len(cells)} cells but the header has "
                f'{len(header)} columns (a value with a comma needs "double quotes")'
            )
        rows.append(Row(path.name, reader.line_num, dict(zip(header, cells, strict=False))))
    if header is None:
        raise InputError(f"{path} is empty: start from gutkg import --template claims (or concepts)")
    kind = "claims" if "cause" in header else "concepts" if "label" in header else ""
    if not kind:
        raise InputError(
            f"{path}: cannot tell concepts from claims: the header needs a 'label' "
            "column (concepts) or a 'cause' column (claims). See gutkg import --help."
        )
    unknown = [c for c in header if c and c not in COLUMNS[kind]]
    missing = [c for c, need in COLUMNS[kind].items() if need and c not in header]
    if unknown or missing:
        raise InputError(
            f"{path}: "
            + "; ".join(
                ([f"unknown column(s) {', '.join(unknown)}"] if unknown else [])
                + ([f"missing column(s) {', '.join(missing)}"] if missing else [])
            )
            + f". The {kind} columns are: "
            + ", ".join(COLUMNS[kind])
        )
    return kind, rows


def _column(name: str) -> str:
    key = name.strip().casefold().replace("-", "_").replace(" ", "_")
    return _ALIASES.get(key, _ALIASES.get(key.replace("_", ""), key))


def import_files(draft: Draft, paths: list[Path], *, topic: str = "curated", add_to_existing: bool = False) -> None:
    """Add every row of ``paths`` to ``draft``; one :class:`ValidationError` lists all bad rows."""
    tables = [read_table(Path(p)) for p in paths]
    errors: list[str] = []
    concept_rows = [r for kind, rows in tables if kind == "concepts" for r in rows]
    claim_rows = [r for kind, rows in tables if kind == "claims" for r in rows]
    if not concept_rows and not claim_rows:
        raise InputError("no rows to import (only a header, comments or blank lines)")
    _import_concepts(draft, concept_rows, errors)
    _import_claims(draft, claim_rows, topic, add_to_existing, errors)
    if errors:
        shown = errors[:_MAX_REPORTED]
        more = [f"... and {len(errors) - _MAX_REPORTED} more"] if len(errors) > _MAX_REPORTED else []
        raise ValidationError(
            f"refused: {len(errors)} problem(s) in the import; nothing was "
            "written. Fix these rows and run it again:\n" + "\n".join(shown + more)
        )


def _import_concepts(draft: Draft, rows: list[Row], errors: list[str]) -> None:
    """Concepts first without broader links, then the links (so order in the file is free)."""
    added: list[tuple[Row, str, Path]] = []
    for row in rows:
        spec = ConceptSpec(
            label=row.get("label"),
            category=row.get("category"),
            definition=row.get("definition"),
            id=row.get("id"),
            synonyms=row.many("synonyms"),
            exact_match=row.many("exact_match"),
            close_match=row.many("close_match"),
            definition_source=row.get("definition_source"),
        )
        try:
            change = add_concept(draft, spec)
        except GutKGError as exc:
            errors.append(f"{row.where()}: {exc}")
            continue
        path = draft.concept_file(iri_for("category", spec.category))
        added.append((row, str(CONCEPT[change.id.removeprefix("gkc:")]), path))
    for row, iri, path in added:
        if row.many("broader"):
            try:
                draft.add(path, broader_triples(draft, iri, row.many("broader")))
            except GutKGError as exc:
                errors.append(f"{row.where()}: {exc}")


@dataclass
class _Group:
    first: Row
    cause: str
    effect: str
    sign: str
    claim: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # claim column -> line that gave it
    failed: bool = False
    hypotheses: list[str] = field(default_factory=list)
    evidence: list[EvidenceSpec] = field(default_factory=list)


def _import_claims(draft: Draft, rows: list[Row], topic: str, add_to_existing: bool, errors: list[str]) -> None:
    groups: dict[tuple[str, str, str], _Group] = {}
    index = draft.concepts()
    for row in rows:
        try:
            cause, effect = index.resolve(row.get("cause")), index.resolve(row.get("effect"))
            sign = iri_for("sign", row.get("sign"))
        except GutKGError as exc:
            errors.append(f"{row.where()}: {exc}")
            continue
        assert cause is not None and effect is not None
        group = groups.setdefault((cause.id, effect.id, sign), _Group(row, cause.id, effect.id, row.get("sign")))
        try:
            _merge(group, row)
        except GutKGError as exc:
            group.failed = True
            errors.append(f"{row.where()}: {exc}")
    for group in groups.values():
        if group.failed:
            continue
        spec = ClaimSpec(
            cause=f"gkc:{group.cause}",
            effect=f"gkc:{group.effect}",
            sign=group.sign,
            status=group.claim.get("status", ""),
            mechanism=group.claim.get("mechanism", ""),
            evidence=group.evidence,
            hypotheses=group.hypotheses,
        )
        if not spec.status:
            errors.append(f"{group.first.where()}: status is empty: give it on the claim's first row")
            continue
        try:
            add_claim(draft, spec, topic=group.claim.get("topic") or topic, add_to_existing=add_to_existing)
        except GutKGError as exc:
            errors.append(f"{group.first.where()}: {exc}")


def _merge(group: _Group, row: Row) -> None:
    """Fold one row into its claim: claim columns must agree; evidence columns add an item."""
    for name in ("status", "mechanism", "topic"):
        value = row.get(name)
        if not value:
            continue
        before = group.claim.get(name)
        same = before is not None and (norm(before) == norm(value) if name != "mechanism" else before == value)
        if before is not None and not same:
            raise ValidationError(
                f"{name} {value!r} contradicts {before!r} given on line "
                f"{group.lines[name]} for the same claim (cause, effect, sign)"
            )
        group.claim[name] = value
        group.lines.setdefault(name, row.line)
    group.hypotheses += [h for h in row.many("hypotheses") if h not in group.hypotheses]
    fields = {key: row.get(col) for col, key in EVIDENCE_COLUMNS.items()}
    if any(fields.values()):
        group.evidence.append(EvidenceSpec.from_fields(fields, what="evidence columns"))
