"""Curation: add concepts and claims to the graph, or import them from CSV, safely.

Every change is built in memory on top of the current graph (:class:`Draft`), validated as a
whole (SHACL + referential checks), and written as canonical Turtle with all-or-nothing file
replacement. Provenance is not optional: a claim needs evidence or the status ``hypothesised``.

>>> from gutkg.curation import ClaimSpec, EvidenceSpec
>>> ClaimSpec("dysbiosis", "increased intestinal permeability", "increases", "supported").sign
'increases'

Typical use::

    draft = Draft()                                   # the bundled graph/ (or Draft("path/to/graph"))
    add_concept(draft, ConceptSpec("tricellulin", "molecule", "A tight-junction protein ..."))
    add_claim(draft, ClaimSpec("alcohol", "tight junction", "decreases", "supported",
                               mechanism="...", evidence=[EvidenceSpec.parse("source=...,...")]))
    result = draft.commit(dry_run=True)               # validate and show the diff, write nothing
"""

from __future__ import annotations

from gutkg.curation.claim import ClaimSpec, EvidenceSpec, add_claim
from gutkg.curation.concept import ConceptSpec, add_concept
from gutkg.curation.csvimport import COLUMNS, import_files, template
from gutkg.curation.draft import Change, Draft, Result
from gutkg.curation.identifiers import VerifiedIdentifiers, identifiers_file

__all__ = [
    "COLUMNS",
    "Change",
    "ClaimSpec",
    "ConceptSpec",
    "Draft",
    "EvidenceSpec",
    "Result",
    "VerifiedIdentifiers",
    "add_claim",
    "add_concept",
    "identifiers_file",
    "import_files",
    "template",
]
