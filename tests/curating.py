"""Shared helpers of the curation tests: file snapshots, a valid evidence item, the claims CSV header, the
refusals the curation standard requires and the arguments of a valid `add claim` (the `graph` fixture,
a private copy of the fixture graph, is in conftest)."""

from __future__ import annotations

from pathlib import Path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (temp and backup files included, so leftovers are caught)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


#: A valid evidence item for a claim alpha → gamma in the curation fixture graph.
EVIDENCE = (
    "source=testref2021,type=ECO:0000179,design=OBI:0003696,species=mouse,model=in-vivo,"
    "direction=interventional,strength=weak,description=Mice given alpha, then gamma, fell ill."
)


#: The header row of a claims CSV.
CLAIM_HEADER = (
    "cause,effect,sign,status,mechanism,hypotheses,topic,source,evidence_type,"
    "study_design,species,model,direction,strength,stance,zonulin_assay,description\n"
)


#: Curation refusals the standard requires: case -> (status, evidence item, message).
ADD_REFUSALS = {
    "cross-sectional item on a directed claim": (
        "supported",
        "source=testref2021,type=ECO:0000180,species=human,model=in-vivo,"
        "direction=cross-sectional,strength=weak,description=Patients had more gamma.",
        "design cannot show direction",
    ),
    "review with a species": (
        "hypothesised",
        "source=testref2021,type=ECO:0000304,species=human,model=synthesis,"
        "direction=unspecified,strength=weak,description=A review says so.",
        "is a review (model=synthesis): leave its species empty",
    ),
    "status the evidence does not carry": (
        "established",
        "source=testref2021,type=ECO:0000179,design=OBI:0003696,species=mouse,"
        "model=in-vivo,direction=interventional,strength=weak,description=Mice given alpha had more gamma.",
        "claim status does not follow from its evidence",
    ),
}


def add_claim_args(
    graph: Path,
    *extra: str,
    status: str = "supported",
    evidence: str = EVIDENCE,
    mechanism: str = "Alpha inflames gamma.",
) -> list[str]:
    """The arguments of ``gutkg add claim`` alpha → gamma (increases) in ``graph``, then ``extra``."""
    return [
        "add",
        "claim",
        "--graph",
        str(graph),
        "--cause",
        "alpha",
        "--effect",
        "gamma",
        "--sign",
        "increases",
        "--status",
        status,
        "--mechanism",
        mechanism,
        "--evidence",
        evidence,
        *extra,
    ]
