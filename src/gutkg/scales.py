"""The value sets as plain names: one definition each, no IRIs (``vocab.py`` maps IRIs onto these).

Analysis code never touches RDF, so it needs the value sets without rdflib: the claim statuses, the
curated strength scale of an evidence item, the study designs with what each can show about the
direction of causation, and the grade scale of a claim. ``ontology/gutkg.ttl`` documents every value;
a test checks that this module and the ontology agree.

>>> DESIGN_BY_NAME["prospective cohort"].shows_direction
True
>>> DESIGN_BY_NAME["cross-sectional"].ceiling
2
>>> GRADE_NAMES[3]
'moderate'
"""

from __future__ import annotations

from typing import NamedTuple

#: Concept categories, in display order (``gkv:Concept`` subclasses; :data:`gutkg.vocab.CATEGORIES`
#: maps each class IRI onto its name here).
CATEGORIES = (
    "anatomy",
    "cell",
    "molecule",
    "microbial",
    "immune",
    "state",
    "disease",
    "exposure",
    "intervention",
    "measurement",
)

#: Claim statuses, best first.
STATUSES = ("established", "supported", "contested", "hypothesised", "refuted")
#: Status -> rank (higher is better), to rank chains and pick a chain's weakest status.
STATUS_RANK = {status: len(STATUSES) - 1 - i for i, status in enumerate(STATUSES)}

#: The curated strength of one evidence item: rank -> name (``gkv:EvidenceStrength``).
STRENGTH_NAMES = {1: "minimal", 2: "weak", 3: "moderate", 4: "strong"}
STRENGTH_RANK = {name: rank for rank, name in STRENGTH_NAMES.items()}

#: The computed grade of a claim (:mod:`gutkg.grading`): level -> name, after GRADE's four levels.
GRADE_NAMES = {0: "none", 1: "very low", 2: "low", 3: "moderate", 4: "high"}

#: Model systems (``gkv:ModelSystem``); a review's statement is synthesis, never primary evidence.
SYNTHESIS = "review synthesis"
MODELS = ("in vivo", "ex vivo", "in vitro", SYNTHESIS)

#: Species or model names used by filters (the species of primary items; ``in vitro`` for cells).
SYSTEMS = ("human", "mouse", "rat", "in vitro")


class Design(NamedTuple):
    """What a study design (a ``gkv:DirectionEvidence`` value) can show: the curation standard's table."""

    #: Short name used by the CLI, JSON and the network projection.
    name: str
    #: Whether the design can show which way causation runs (``gkv:showsDirection``).
    shows_direction: bool
    #: The highest strength rank an item of this design may carry (``gkv:ceiling``).
    ceiling: int
    #: How a reader should take it, in a few words.
    note: str


#: Study designs by what they show about direction, strongest first (``ontology/gutkg.ttl``).
DESIGNS = (
    Design("controlled human intervention", True, 4, "shows direction for the intervened variable"),
    Design("prospective cohort", True, 3, "cause measured before onset; confounding remains"),
    Design("mendelian randomisation", True, 3, "rests on instrument validity"),
    Design("treatment response", True, 3, "treating the disease changed the other variable"),
    Design("experimental intervention", True, 3, "manipulated in an animal, tissue or cell model"),
    Design("community transfer", True, 3, "a whole microbial community acted, in that model"),
    Design("monocolonisation", True, 3, "one organism acted, in that model; not 'dysbiosis'"),
    Design("temporal precedence", True, 3, "observed before, without manipulation"),
    Design("discordant twins", False, 2, "genes held equal; no direction"),
    Design("familial aggregation", False, 2, "relatives share genes, diet, home, microbes"),
    Design("prognostic", False, 2, "predicts the course, not onset"),
    Design("cross-sectional", False, 2, "association at one time point"),
    Design("method validation", False, 4, "about a test, not a cause"),
    Design("unspecified", False, 2, "a review's statement"),
)
DESIGN_BY_NAME = {d.name: d for d in DESIGNS}
#: Names of the designs that can show direction (only these make a directed claim supported).
DIRECTIONAL = frozenset(d.name for d in DESIGNS if d.shows_direction)
#: Design name -> strength ceiling (rank).
CEILING = {d.name: d.ceiling for d in DESIGNS}
#: Designs that say which way a human finding runs, as named in reports ("kinds of evidence").
HUMAN_DIRECTIONAL = (
    "controlled human intervention",
    "prospective cohort",
    "mendelian randomisation",
    "treatment response",
)

#: Correlations of an association and validity levels of a measurement relation.
CORRELATIONS = ("positive", "inverse", "no association")
VALIDITIES = ("validated", "limited", "disputed")
