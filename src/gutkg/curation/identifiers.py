"""Verified external identifiers: the only CURIEs a curation command may write.

Mappings (``skos:exactMatch`` / ``closeMatch``), evidence types (ECO), study designs (OBI) and
species (NCBITaxon) must come from rows of ``identifiers.tsv`` whose ``verified`` column is
``yes``. The project keeps its own copy of the table, ``<project root>/reference/identifiers.tsv``
(``$GUTKG_IDENTIFIERS`` overrides the path).

Without the table, mappings are refused (nothing can vouch for them). Evidence fields fall back to
the few ECO / OBI / NCBITaxon ids the package already carries, which were themselves taken from
verified rows (:data:`gutkg.network.EVIDENCE_LABELS`, :data:`gutkg.network.DESIGN_LABELS`,
:data:`gutkg.vocab.SPECIES`).
"""

from __future__ import annotations

import csv
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from gutkg.errors import ValidationError
from gutkg.mappings import curie_of, iri_of


def identifiers_file() -> Path:
    """Where the verified identifier table is expected."""
    env = os.environ.get("GUTKG_IDENTIFIERS")
    if env:
        return Path(env)
    from gutkg.loading import project_root

    return project_root() / "reference" / "identifiers.tsv"


def key(curie: str) -> str:
    """A comparison key: upper-case prefix, local part as written.

    >>> key("NCBITaxon:9606"), key(" mesh:D001327 ")
    ('NCBITAXON:9606', 'MESH:D001327')
    """
    prefix, _, local = curie.strip().partition(":")
    return f"{prefix.upper()}:{local}"


@dataclass
class VerifiedIdentifiers:
    """The ``yes`` rows of identifiers.tsv, by CURIE key (``rows``: key -> label in source)."""

    path: Path
    available: bool
    rows: dict[str, str] = field(default_factory=dict)
    unverified: dict[str, str] = field(default_factory=dict)  # key -> verified column

    @classmethod
    def load(cls, path: Path | None = None) -> VerifiedIdentifiers:
        path = Path(path) if path else identifiers_file()
        if not path.is_file():
            return cls(path, False)
        rows: dict[str, str] = {}
        other: dict[str, str] = {}
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                curie = (row.get("curie") or "").strip()
                if not curie or ":" not in curie:
                    continue
                status = (row.get("verified") or "").strip().casefold()
                if status == "yes":
                    rows[key(curie)] = (row.get("label_in_source") or "").strip()
                else:
                    other.setdefault(key(curie), status or "empty")
        return cls(path, True, rows, other)

    def to_curie(self, text: str) -> str:
        """A CURIE for ``text`` (a CURIE, a prefixed ``obo:X_1`` name or a full IRI)."""
        text = text.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if "://" in text:
            return curie_of(text)
        if text.startswith("obo:"):
            local = text[4:]
            return local.replace("_", ":", 1)
        return text

    def mapping(self, text: str) -> str:
        """The IRI of a verified mapping CURIE; a :class:`ValidationError` saying why otherwise."""
        if not self.available:
            raise ValidationError(
                f"cannot verify the mapping {text!r}: the identifier table {self.path} is missing. "
                "Mappings are only written from verified rows of reference/identifiers.tsv; "
                "set GUTKG_IDENTIFIERS to its path, or add the concept without mappings."
            )
        prefix = key(self.to_curie(text)).split(":")[0]
        if prefix in _NOT_CONCEPTS:
            raise ValidationError(
                f"mapping {text!r} is a {prefix} term (a relation or an evidence "
                "class), not something a concept can match"
            )
        return self._check(text, "mapping")

    def evidence_code(self, text: str, prefix: str, what: str, fallback: set[str]) -> str:
        """The IRI of an ECO / OBI / NCBITaxon id, verified (or built in when the table is absent)."""
        curie = self.to_curie(text)
        if key(curie).split(":")[0] != prefix.upper():
            raise ValidationError(f"{what} {text!r} must be a {prefix} id, e.g. {prefix}:{_EXAMPLE[prefix]}")
        if not self.available:
            if key(curie) not in {key(c) for c in fallback}:
                raise ValidationError(
                    f"{what} {text!r} cannot be verified: {self.path} is missing and it is not one of "
                    "the ids gutkg knows: " + ", ".join(sorted(fallback))
                )
            iri = iri_of(curie)
            assert iri is not None
            return iri
        return self._check(curie, what)

    def _check(self, text: str, what: str) -> str:
        curie = self.to_curie(text)
        k = key(curie)
        if k not in self.rows:
            if k in self.unverified:
                why = f"its row in {self.path.name} is marked {self.unverified[k]!r}, not 'yes'"
            else:
                close = difflib.get_close_matches(k, list(self.rows), n=3, cutoff=0.8)
                why = f"it is not in {self.path.name}" + (f" (close: {', '.join(close)})" if close else "")
            raise ValidationError(
                f"{what} {text!r} is not verified: {why}. Only rows marked 'yes' may be used; "
                "check the identifier in the ontology's own files and add a verified row first."
            )
        iri = iri_of(curie)
        if iri is None:
            raise ValidationError(
                f"{what} {text!r}: gutkg has no IRI prefix for "
                f"{curie.partition(':')[0]!r}; it cannot be written as a mapping."
            )
        return iri


#: Prefixes whose terms are relations or evidence classes, never concept mappings.
_NOT_CONCEPTS = {"RO", "ECO", "BIOLINK"}
_EXAMPLE = {"ECO": "0000180", "OBI": "0004001", "NCBITaxon": "9606"}
