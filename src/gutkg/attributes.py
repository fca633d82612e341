"""The attributes the projected network carries, typed: one definition of each, for every reader.

:func:`gutkg.network.to_network` builds these dicts; the analyses, exporters and the explorer read
them (NetworkX hands them back as plain dicts, so readers see the keys documented here). A test
checks every node and edge of the bundled graph against these definitions, so a key added in one
place and not here fails.
"""

from __future__ import annotations

from typing import Any, TypedDict


class EvidenceItem(TypedDict):
    """One evidence item of a claim, association or measurement relation."""

    id: str
    source: str  #: reference key ("" if none)
    citation: str  #: short citation, "Author et al. 2020"
    url: str
    doi: str
    pmid: str
    stance: str  #: supports / opposes
    type: str  #: ECO CURIE
    type_label: str
    design: str  #: OBI CURIE ("" if none)
    design_label: str
    species: list[str]  #: human, mouse, ... (empty for a review)
    model: str  #: in vivo, ex vivo, in vitro, review synthesis
    direction: str  #: the study design's name (gutkg.scales.DESIGNS)
    strength: int  #: curated strength rank, 1-4 (0 none)
    strength_label: str
    zonulin_assay: bool
    description: str
    system: str  #: species or model for display ("review" for a synthesis)
    primary: bool  #: primary data (not a review)
    counts: bool  #: counted towards status and grade


class ClaimEdge(TypedDict, total=False):
    """A causal claim: the attributes of one edge (key = claim id) of the projected network.

    ``cause`` and ``effect`` are the edge's ends and not repeated among its attributes.
    """

    claim: str
    iri: str
    sign: int  #: +1 increases, -1 decreases, 0 no effect
    sign_label: str
    status: str  #: gutkg.scales.STATUSES
    mechanism: str
    hypotheses: list[str]
    evidence: list[EvidenceItem]
    # summaries recomputed from the evidence (gutkg.network.summarise), also after evidence filters
    strength: int  #: the claim's grade level, 0-4 (gutkg.scales.GRADE_NAMES)
    strength_label: str
    grading: dict[str, Any]
    systems: list[str]
    directions: list[str]
    designs: list[str]
    citations: list[str]
    opposed: bool


class ClaimRecord(ClaimEdge, total=False):
    """A claim as :func:`gutkg.network.read_claims` returns it: its edge attributes and its ends."""

    cause: str
    effect: str


class ConceptNode(TypedDict):
    """A concept: the attributes of one node of the projected network."""

    label: str
    category: str  #: gutkg.vocab.CATEGORIES names, or "unknown" for an undefined end
    iri: str
    definition: str
    synonyms: list[str]
    broader: list[str]
    stage_of: list[str]
    rarely_measured: bool
    mappings: list[Any]


#: The keys every claim edge carries once projected.
CLAIM_KEYS = frozenset(ClaimEdge.__annotations__)
#: The keys of every evidence item.
EVIDENCE_KEYS = frozenset(EvidenceItem.__annotations__)
#: The keys of every concept node.
CONCEPT_KEYS = frozenset(ConceptNode.__annotations__)
