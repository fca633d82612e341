"""Synthetic graphs of any size, for benchmarks and property tests.

One seeded specification gives the same graph two ways: :func:`synthetic_network` builds the
``MultiDiGraph`` of :mod:`gutkg.network` directly (same node and edge attributes), and
:func:`synthetic_turtle` writes Turtle in the form of the curated graph, so loading it and projecting
it gives the same claims (a test checks it).

Shape: concepts fall into topics of about 50; 80 % of claims join two concepts of the same topic
(the curated graph is organised the same way, by topic), the rest join any two. Signs are 70 %
increases, 25 % decreases, 5 % no effect; statuses, species, strengths and directions are mixed so
that every evidence filter has something to keep and something to drop. Topic structure makes
feedback loops common, which is what makes cycle search expensive.

>>> g = synthetic_network(60, 200, seed=1)
>>> g.number_of_nodes(), g.number_of_edges()
(60, 200)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gutkg.attributes import ClaimEdge, EvidenceItem
from gutkg.scales import CATEGORIES as CATEGORY_NAMES
from gutkg.scales import DIRECTIONAL, STRENGTH_NAMES

if TYPE_CHECKING:
    import networkx as nx

SIGNS = ((1, "increases", 0.70), (-1, "decreases", 0.95), (0, "no effect", 1.0))
STATUSES = (("established", 0.10), ("supported", 0.60), ("hypothesised", 0.78), ("contested", 0.95), ("refuted", 1.0))
SYSTEMS = (("human", 0.45), ("mouse", 0.80), ("rat", 0.85), ("in vitro", 1.0))
DIRECTIONS = (
    "experimental intervention",
    "temporal precedence",
    "prospective cohort",
    "community transfer",
    "mendelian randomisation",
)
TOPIC = 50
N_REFS = 200


@dataclass
class Claim:
    """One synthetic claim between concepts ``cause`` and ``effect`` (indices), with its evidence items."""

    cause: int
    effect: int
    sign: int
    status: str
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        word = {1: "increases", -1: "decreases", 0: "no_effect"}[self.sign]
        return f"{cid(self.cause)}__{word}__{cid(self.effect)}"


def cid(i: int) -> str:
    """The concept id of concept number ``i``.

    >>> cid(42)
    'c000042'
    """
    return f"c{i:06d}"


def _pick(rng: random.Random, table: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    x = rng.random()
    return next(row for row in table if x < row[-1])


def spec(n_concepts: int, n_claims: int, seed: int = 0) -> list[Claim]:
    """The claims of the synthetic graph (concept ``i`` is :func:`cid` ``(i)``)."""
    if n_concepts < 2:
        raise ValueError("need at least 2 concepts")
    most = n_concepts * (n_concepts - 1) * 3
    if n_claims > most:
        raise ValueError(f"at most {most} distinct claims fit {n_concepts} concepts")
    rng = random.Random(seed)  # noqa: S311 - a reproducible synthetic graph, not a secret
    seen: set[tuple[int, int, int]] = set()
    claims: list[Claim] = []
    while len(claims) < n_claims:
        u = rng.randrange(n_concepts)
        if rng.random() < 0.8:
            base = (u // TOPIC) * TOPIC
            v = base + rng.randrange(min(TOPIC, n_concepts - base))
        else:
            v = rng.randrange(n_concepts)
        sign = _pick(rng, SIGNS)[0]
        if u == v or (u, v, sign) in seen:
            continue
        seen.add((u, v, sign))
        status = _pick(rng, STATUSES)[0]
        claim = Claim(u, v, sign, status)
        if status == "refuted":
            claim.evidence.append(_item(rng, "opposes"))
        elif status != "hypothesised":
            for _ in range(1 + (rng.random() < 0.3)):
                claim.evidence.append(_item(rng, "supports"))
            if status == "contested":
                claim.evidence.append(_item(rng, "opposes"))
            if status == "established" and not _established(claim.evidence):
                claim.status = "supported"  # the status rule (gutkg.grading) wants 2+ references, one human
        claims.append(claim)
    return claims


def _established(items: list[dict[str, Any]]) -> bool:
    return len({e["ref"] for e in items}) >= 2 and any(e["system"] == "human" for e in items)


def _item(rng: random.Random, stance: str) -> dict[str, Any]:
    system = _pick(rng, SYSTEMS)[0]
    strength = rng.randint(1, 3)  # the ceiling of every design drawn here
    return {
        "system": system,
        "strength": strength,
        "stance": stance,
        "direction": rng.choice(DIRECTIONS),
        "ref": rng.randrange(N_REFS),
    }


def _citation(ref: int) -> str:
    return f"Author{ref} et al. {1990 + ref % 35}"


def synthetic_network(n_concepts: int, n_claims: int, seed: int = 0, *, evidence: bool = True) -> nx.MultiDiGraph:
    """The synthetic graph as :mod:`gutkg.network` would project it.

    With ``evidence=False`` edges keep their summaries (strength, systems, citations...) but an
    empty evidence list, which saves most of the memory on large graphs (evidence-level filters
    then drop every claim).
    """
    import networkx as nx

    from gutkg.network import summarise
    from gutkg.vocab import CONCEPT

    graph = nx.MultiDiGraph(questions={}, hypotheses={}, references={}, broader={})
    for i in range(n_concepts):
        graph.add_node(cid(i), label=f"concept {i}", category=CATEGORY_NAMES[i % 9], iri=str(CONCEPT[cid(i)]))
    for c in spec(n_concepts, n_claims, seed):
        items: list[EvidenceItem] = [
            {
                "id": f"{c.key}.e{j}",
                "source": f"ref{e['ref']}",
                "citation": _citation(e["ref"]),
                "url": "",
                "doi": "",
                "pmid": str(e["ref"] + 1),
                "stance": e["stance"],
                "type": "",
                "type_label": "",
                "design": "",
                "design_label": "",
                "species": ["human"] if e["system"] == "in vitro" else [e["system"]],
                "model": "in vitro" if e["system"] == "in vitro" else "in vivo",
                "system": e["system"],
                "direction": e["direction"],
                "strength": e["strength"],
                "strength_label": STRENGTH_NAMES[e["strength"]],
                "zonulin_assay": False,
                "description": "",
                "primary": True,
                "counts": e["direction"] in DIRECTIONAL,
            }
            for j, e in enumerate(c.evidence, 1)
        ]
        attrs: ClaimEdge = {
            "claim": c.key,
            "iri": "",
            "sign": c.sign,
            "sign_label": {1: "increases", -1: "decreases", 0: "no effect"}[c.sign],
            "status": c.status,
            "mechanism": "",
            "hypotheses": [],
            "evidence": items,
        }
        summarise(attrs)
        if not evidence:
            attrs["evidence"] = []
        graph.add_edge(cid(c.cause), cid(c.effect), key=c.key, **attrs)
    return graph


def synthetic_turtle(n_concepts: int, n_claims: int, seed: int = 0) -> str:
    """The synthetic graph as Turtle in the curated graph's form (valid against the shapes)."""
    from gutkg.vocab import CATEGORIES, DIRECTIONS, GKV, PREFIXES, SPECIES, STATUSES, STRENGTHS

    def local(iri: Any) -> str:
        return str(iri).rsplit("#", 1)[-1]

    cat_class = {name: local(iri) for iri, name in CATEGORIES.items()}
    sign_term = {1: local(GKV.Increases), -1: local(GKV.Decreases), 0: local(GKV.NoEffect)}
    status_term = {name: local(iri) for iri, name in STATUSES.items()}
    strength_term = {rank: local(iri) for iri, (rank, _) in STRENGTHS.items()}
    direction_term = {name: local(iri) for iri, name in DIRECTIONS.items()}
    taxon = {name: str(iri).rsplit("/", 1)[-1] for iri, name in SPECIES.items()}
    prefixes = dict(PREFIXES)
    prefixes.setdefault("obo", "http://purl.obolibrary.org/obo/")
    out = [f"@prefix {p}: <{iri}> ." for p, iri in sorted(prefixes.items())]
    out.append("")
    for i in range(n_concepts):
        out.append(
            f"gkc:{cid(i)} a gkv:{cat_class[CATEGORY_NAMES[i % 9]]} ;\n"
            f'    skos:prefLabel "concept {i}"@en ;\n'
            f'    skos:definition "Synthetic concept {i}."@en .\n'
        )
    for c in spec(n_concepts, n_claims, seed):
        ev = ", ".join(f"gkev:{c.key}.e{j}" for j in range(1, len(c.evidence) + 1))
        out.append(
            f"gkcl:{c.key} a gkv:CausalClaim ;\n    gkv:cause gkc:{cid(c.cause)} ;\n"
            f"    gkv:effect gkc:{cid(c.effect)} ;\n    gkv:sign gkv:{sign_term[c.sign]} ;\n"
            f"    gkv:status gkv:{status_term[c.status]} ;\n"
            f'    gkv:mechanism "Synthetic."@en' + (f" ;\n    obo:RO_0002558 {ev} .\n" if ev else " .\n")
        )
        for j, e in enumerate(c.evidence, 1):
            vitro = e["system"] == "in vitro"
            species = "NCBITaxon_9606" if vitro else taxon[e["system"]]
            out.append(
                f"gkev:{c.key}.e{j} a gkv:Evidence ;\n    dcterms:source gkref:ref{e['ref']} ;\n"
                f"    gkv:stance gkv:{'Supports' if e['stance'] == 'supports' else 'Opposes'} ;\n"
                f"    gkv:evidenceType obo:ECO_0000006 ;\n    gkv:species obo:{species} ;\n"
                f"    gkv:model gkv:{'InVitro' if vitro else 'InVivo'} ;\n"
                f"    gkv:directionEvidence gkv:{direction_term[e['direction']]} ;\n"
                f"    gkv:strength gkv:{strength_term[e['strength']]} .\n"
            )
    for r in range(N_REFS):
        author = _citation(r).split(" et al.")[0]
        out.append(
            f'gkref:ref{r} a bibo:AcademicArticle ;\n    dcterms:title "Synthetic reference {r}" ;\n'
            f'    dcterms:creator "{author} A; Second B; Third C" ;\n'
            f'    dcterms:issued "{1990 + r % 35}"^^xsd:gYear ;\n    bibo:pmid "{r + 1}" ;\n'
            f'    gkv:verification gkv:Verified ;\n    gkv:verifiedBy "synthetic" .\n'
        )
    return "\n".join(out)
