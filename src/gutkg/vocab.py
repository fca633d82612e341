"""The only module that spells term IRIs (the bare namespace strings are in :mod:`gutkg.namespaces`).

Every IRI gutkg uses is named here: our vocabulary (:class:`GKV`, closed, so a typo fails at
import), the namespaces our instances live in, the reused vocabularies, and the named relation
sets. A test checks :class:`GKV` against ``ontology/gutkg.ttl`` both ways.

>>> str(GKV.CausalClaim)
'https://w3id.org/gutkg/vocab#CausalClaim'
>>> GKV.CasualClaim  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
AttributeError: term 'CasualClaim' not in namespace 'https://w3id.org/gutkg/vocab#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from gutkg.namespaces import BASE
from gutkg.namespaces import PREFIXES as NAMESPACES
from gutkg.scales import CATEGORIES as CATEGORY_NAMES
from gutkg.scales import DESIGN_BY_NAME, SYNTHESIS, Design


class GKV(DefinedNamespace):
    """The gutkg vocabulary (``ontology/gutkg.ttl``)."""

    _NS = Namespace(NAMESPACES["gkv"])
    _fail = True

    # concept categories
    Concept: URIRef
    AnatomicalStructure: URIRef
    CellType: URIRef
    MolecularComponent: URIRef
    MicrobialEntity: URIRef
    ImmuneProcess: URIRef
    PhysiologicalState: URIRef
    Disease: URIRef
    Exposure: URIRef
    Intervention: URIRef
    MeasurementMethod: URIRef
    definitionSource: URIRef
    rarelyMeasured: URIRef
    # claims
    CausalClaim: URIRef
    cause: URIRef
    effect: URIRef
    sign: URIRef
    status: URIRef
    mechanism: URIRef
    Sign: URIRef
    Increases: URIRef
    Decreases: URIRef
    NoEffect: URIRef
    signValue: URIRef
    Status: URIRef
    Established: URIRef
    Supported: URIRef
    Hypothesised: URIRef
    Contested: URIRef
    Refuted: URIRef
    # evidence
    Evidence: URIRef
    evidenceType: URIRef
    studyDesign: URIRef
    species: URIRef
    model: URIRef
    ModelSystem: URIRef
    InVivo: URIRef
    ExVivo: URIRef
    InVitro: URIRef
    Synthesis: URIRef
    directionEvidence: URIRef
    DirectionEvidence: URIRef
    showsDirection: URIRef
    ceiling: URIRef
    ControlledHumanIntervention: URIRef
    ProspectiveCohort: URIRef
    MendelianRandomisation: URIRef
    TreatmentResponse: URIRef
    Interventional: URIRef
    CommunityTransfer: URIRef
    MonocolonisationTransfer: URIRef
    Temporal: URIRef
    DiscordantTwins: URIRef
    FamilialAggregation: URIRef
    Prognostic: URIRef
    CrossSectional: URIRef
    MethodValidation: URIRef
    Unspecified: URIRef
    strength: URIRef
    EvidenceStrength: URIRef
    Minimal: URIRef
    Weak: URIRef
    Moderate: URIRef
    Strong: URIRef
    rank: URIRef
    stance: URIRef
    Stance: URIRef
    Supports: URIRef
    Opposes: URIRef
    restsOnZonulinAssay: URIRef
    # statements that are not causes
    Association: URIRef
    associates: URIRef
    correlation: URIRef
    Correlation: URIRef
    PositiveCorrelation: URIRef
    InverseCorrelation: URIRef
    NoCorrelation: URIRef
    stageOf: URIRef
    Measurement: URIRef
    method: URIRef
    measures: URIRef
    pathway: URIRef
    validity: URIRef
    Validity: URIRef
    Validated: URIRef
    LimitedValidity: URIRef
    Disputed: URIRef
    caveat: URIRef
    # hypotheses
    Question: URIRef
    Hypothesis: URIRef
    answers: URIRef
    exposure: URIRef
    outcome: URIRef
    role: URIRef
    Role: URIRef
    ForwardRole: URIRef
    ReverseRole: URIRef
    SharedCauseRole: URIRef
    FeedbackRole: URIRef
    # references
    journal: URIRef
    verification: URIRef
    VerificationLevel: URIRef
    Verified: URIRef
    PartiallyVerified: URIRef
    verifiedBy: URIRef


ONTOLOGY = URIRef(BASE + "vocab")

# Namespaces our instances live in (one persistent base IRI).
CONCEPT = Namespace(NAMESPACES["gkc"])
CLAIM = Namespace(NAMESPACES["gkcl"])
ASSOCIATION = Namespace(NAMESPACES["gkas"])
MEASUREMENT = Namespace(NAMESPACES["gkm"])
EVIDENCE = Namespace(NAMESPACES["gkev"])
REF = Namespace(NAMESPACES["gkref"])
HYPOTHESIS = Namespace(NAMESPACES["gkh"])
QUESTION = Namespace(NAMESPACES["gkq"])

# Reused vocabularies.
OBO = Namespace(NAMESPACES["obo"])
BIBO = Namespace(NAMESPACES["bibo"])
BIOLINK = Namespace(NAMESPACES["biolink"])
MESH = Namespace(NAMESPACES["mesh"])
UNIPROT = Namespace(NAMESPACES["uniprot"])
SH = Namespace(NAMESPACES["sh"])

#: RO:0002558 "has evidence": a claim to each of its evidence items.
HAS_EVIDENCE = OBO["RO_0002558"]
#: RO:0002304 "causally upstream of, positive effect": the plain edge of an increasing claim.
RO_POSITIVE = OBO["RO_0002304"]
#: RO:0002305 "causally upstream of, negative effect": the plain edge of a decreasing claim.
RO_NEGATIVE = OBO["RO_0002305"]
#: RO:0002411 "causally upstream of": the plain edge when the sign is not known.
RO_UPSTREAM = OBO["RO_0002411"]
#: RO:0002610 "correlated with": the plain edge of an association, materialised both ways.
RO_CORRELATED = OBO["RO_0002610"]

#: Claim signs that assert a causal effect, with their numeric value (a path's sign is the product).
SIGN_VALUE: dict[URIRef, int] = {GKV.Increases: 1, GKV.Decreases: -1, GKV.NoEffect: 0}
#: Signs that mean "more cause, more effect".
INCREASES = frozenset({GKV.Increases})
#: Signs that mean "more cause, less effect".
DECREASES = frozenset({GKV.Decreases})
#: Signs that assert an effect at all (tested-no-effect claims are kept but are not causal edges).
CAUSAL = INCREASES | DECREASES
#: The plain edge materialised for each sign (none for tested-no-effect).
PLAIN_EDGE: dict[URIRef, URIRef] = {GKV.Increases: RO_POSITIVE, GKV.Decreases: RO_NEGATIVE}

#: Concept category classes, in display order, with short names used by the CLI and exports.
CATEGORIES: dict[URIRef, str] = dict(
    zip(
        (
            GKV.AnatomicalStructure,
            GKV.CellType,
            GKV.MolecularComponent,
            GKV.MicrobialEntity,
            GKV.ImmuneProcess,
            GKV.PhysiologicalState,
            GKV.Disease,
            GKV.Exposure,
            GKV.Intervention,
            GKV.MeasurementMethod,
        ),
        CATEGORY_NAMES,
        strict=True,
    )
)

#: Value sets: IRI -> short name used in the CLI, JSON and the network projection.
SIGNS: dict[URIRef, str] = {GKV.Increases: "increases", GKV.Decreases: "decreases", GKV.NoEffect: "no effect"}
STATUSES: dict[URIRef, str] = {
    GKV.Established: "established",
    GKV.Supported: "supported",
    GKV.Hypothesised: "hypothesised",
    GKV.Contested: "contested",
    GKV.Refuted: "refuted",
}
#: Ordered evidence-strength scale: IRI -> (rank, name). Documented in ontology/gutkg.ttl.
STRENGTHS: dict[URIRef, tuple[int, str]] = {
    GKV.Minimal: (1, "minimal"),
    GKV.Weak: (2, "weak"),
    GKV.Moderate: (3, "moderate"),
    GKV.Strong: (4, "strong"),
}
MODELS: dict[URIRef, str] = {
    GKV.InVivo: "in vivo",
    GKV.ExVivo: "ex vivo",
    GKV.InVitro: "in vitro",
    GKV.Synthesis: SYNTHESIS,
}


#: Study designs by what they show about direction (``ontology/gutkg.ttl``; names in :mod:`gutkg.scales`).
DESIGNS: dict[URIRef, Design] = {
    GKV.ControlledHumanIntervention: DESIGN_BY_NAME["controlled human intervention"],
    GKV.ProspectiveCohort: DESIGN_BY_NAME["prospective cohort"],
    GKV.MendelianRandomisation: DESIGN_BY_NAME["mendelian randomisation"],
    GKV.TreatmentResponse: DESIGN_BY_NAME["treatment response"],
    GKV.Interventional: DESIGN_BY_NAME["experimental intervention"],
    GKV.CommunityTransfer: DESIGN_BY_NAME["community transfer"],
    GKV.MonocolonisationTransfer: DESIGN_BY_NAME["monocolonisation"],
    GKV.Temporal: DESIGN_BY_NAME["temporal precedence"],
    GKV.DiscordantTwins: DESIGN_BY_NAME["discordant twins"],
    GKV.FamilialAggregation: DESIGN_BY_NAME["familial aggregation"],
    GKV.Prognostic: DESIGN_BY_NAME["prognostic"],
    GKV.CrossSectional: DESIGN_BY_NAME["cross-sectional"],
    GKV.MethodValidation: DESIGN_BY_NAME["method validation"],
    GKV.Unspecified: DESIGN_BY_NAME["unspecified"],
}
DIRECTIONS: dict[URIRef, str] = {iri: d.name for iri, d in DESIGNS.items()}
#: Rival roles of a hypothesis (names as in :mod:`gutkg.analysis.verdict`).
ROLES: dict[URIRef, str] = {
    GKV.ForwardRole: "forward",
    GKV.ReverseRole: "reverse",
    GKV.SharedCauseRole: "shared cause",
    GKV.FeedbackRole: "feedback",
}
CORRELATIONS: dict[URIRef, str] = {
    GKV.PositiveCorrelation: "positive",
    GKV.InverseCorrelation: "inverse",
    GKV.NoCorrelation: "no association",
}
VALIDITIES: dict[URIRef, str] = {GKV.Validated: "validated", GKV.LimitedValidity: "limited", GKV.Disputed: "disputed"}
STANCES: dict[URIRef, str] = {GKV.Supports: "supports", GKV.Opposes: "opposes"}

#: Species the graph uses (verified NCBITaxon rows): IRI -> short name.
SPECIES: dict[URIRef, str] = {
    OBO["NCBITaxon_9606"]: "human",
    OBO["NCBITaxon_10090"]: "mouse",
    OBO["NCBITaxon_10116"]: "rat",
}

#: Prefixes used when writing Turtle, reading CURIEs given by users and in SPARQL prologues
#: (:mod:`gutkg.namespaces`, where the namespace IRIs are spelt).
PREFIXES: dict[str, str] = dict(NAMESPACES)


#: External CURIE prefixes (as users type them) -> IRI prefix, for resolving mapped identifiers.
CURIE_PREFIXES: dict[str, str] = {
    "UBERON": str(OBO) + "UBERON_",
    "CL": str(OBO) + "CL_",
    "GO": str(OBO) + "GO_",
    "PR": str(OBO) + "PR_",
    "CHEBI": str(OBO) + "CHEBI_",
    "MONDO": str(OBO) + "MONDO_",
    "HP": str(OBO) + "HP_",
    "NCBITAXON": str(OBO) + "NCBITaxon_",
    "RO": str(OBO) + "RO_",
    "ECO": str(OBO) + "ECO_",
    "OBI": str(OBO) + "OBI_",
    "EFO": "http://www.ebi.ac.uk/efo/EFO_",
    "CHMO": str(OBO) + "CHMO_",
    "IDO": str(OBO) + "IDO_",
    "MAXO": str(OBO) + "MAXO_",
    "FOODON": str(OBO) + "FOODON_",
    "MP": str(OBO) + "MP_",
    "BFO": str(OBO) + "BFO_",
    "MESH": str(MESH),
    "UNIPROTKB": str(UNIPROT),
    "HGNC": "https://identifiers.org/hgnc:",
    "INTERPRO": "https://identifiers.org/interpro:",
}

__all__ = [
    "ASSOCIATION",
    "BASE",
    "BIBO",
    "BIOLINK",
    "CATEGORIES",
    "CAUSAL",
    "CLAIM",
    "CONCEPT",
    "CORRELATIONS",
    "CURIE_PREFIXES",
    "DCTERMS",
    "DECREASES",
    "DESIGNS",
    "DIRECTIONS",
    "EVIDENCE",
    "GKV",
    "HAS_EVIDENCE",
    "HYPOTHESIS",
    "INCREASES",
    "MEASUREMENT",
    "MESH",
    "MODELS",
    "OBO",
    "ONTOLOGY",
    "OWL",
    "PLAIN_EDGE",
    "PREFIXES",
    "PROV",
    "QUESTION",
    "RDF",
    "RDFS",
    "REF",
    "ROLES",
    "RO_CORRELATED",
    "RO_NEGATIVE",
    "RO_POSITIVE",
    "RO_UPSTREAM",
    "SH",
    "SIGNS",
    "SIGN_VALUE",
    "SKOS",
    "SPECIES",
    "STANCES",
    "STATUSES",
    "STRENGTHS",
    "UNIPROT",
    "VALIDITIES",
    "XSD",
]
