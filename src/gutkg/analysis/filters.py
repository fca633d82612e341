"""Evidence filters: keep only the evidence (and so the claims) a user trusts.

A filter never adds anything. Evidence-level criteria (species or model, minimum strength,
design) drop evidence items; a claim survives them only if at least one *supporting* item
survives. Claim-level criteria (status, exclude contested) drop claims. With no evidence-level
criterion, claims without evidence (hypothesised) are kept.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

#: Strength names accepted by ``min_strength`` (the ordered scale of the vocabulary).
STRENGTH_RANK = {"minimal": 1, "weak": 2, "moderate": 3, "strong": 4}
STATUSES = ("established", "supported", "hypothesised", "contested", "refuted")


@dataclass(frozen=True)
class EvidenceFilter:
    """Which evidence and claims to keep. The empty filter keeps everything.

    ``species``: species or model names (``human``, ``mouse``, ``rat``, ``in vitro``).
    ``min_strength``: ``minimal`` .. ``strong`` (or rank 1-4). ``status``: claim statuses to keep.
    ``design``: direction-evidence or study-design names (``interventional``, ``temporal``,
    ``randomized clinical trial`` ...). ``exclude_contested``: drop contested claims.

    >>> EvidenceFilter().is_empty
    True
    >>> EvidenceFilter(species=("human",)).describe()
    'species/model: human'
    """

    species: tuple[str, ...] = ()
    min_strength: str | int | None = None
    status: tuple[str, ...] = ()
    design: tuple[str, ...] = ()
    exclude_contested: bool = False
    _extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_empty(self) -> bool:
        return not (self.species or self.min_strength or self.status or self.design
                    or self.exclude_contested)

    @property
    def evidence_level(self) -> bool:
        return bool(self.species or self.min_strength or self.design)

    @property
    def min_rank(self) -> int:
        if self.min_strength is None:
            return 0
        if isinstance(self.min_strength, int):
            return self.min_strength
        try:
            return STRENGTH_RANK[str(self.min_strength).lower()]
        except KeyError:
            from gutkg.errors import GutKGError

            raise GutKGError(f"unknown strength {self.min_strength!r}: use one of "
                             + ", ".join(STRENGTH_RANK)) from None

    def describe(self) -> str:
        parts = []
        if self.species:
            parts.append("species/model: " + ", ".join(self.species))
        if self.min_strength:
            parts.append(f"strength >= {self.min_strength}")
        if self.status:
            parts.append("status: " + ", ".join(self.status))
        if self.design:
            parts.append("design: " + ", ".join(self.design))
        if self.exclude_contested:
            parts.append("contested claims excluded")
        return "; ".join(parts) or "no filter"

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d.pop("_extra", None)
        return d

    def keeps_item(self, item: dict[str, Any]) -> bool:
        if self.species:
            systems = {s.strip() for s in item.get("system", "").split(",")}
            if not systems & {s.lower() for s in self.species}:
                return False
        if self.min_rank and item.get("strength", 0) < self.min_rank:
            return False
        if self.design:
            wanted = {d.lower() for d in self.design}
            if not ({item.get("direction", ""), item.get("design_label", "")} & wanted):
                return False
        return True

    def keeps_claim(self, edge: dict[str, Any]) -> bool:
        if self.status and edge.get("status") not in self.status:
            return False
        return not (self.exclude_contested and edge.get("status") == "contested")


def apply_filter(graph: nx.MultiDiGraph, flt: EvidenceFilter | None) -> nx.MultiDiGraph:
    """A filtered copy of ``graph`` (all nodes kept; edges and evidence only removed)."""
    from gutkg.network import summarise

    if flt is None or flt.is_empty:
        return graph.copy()
    for name in flt.status:
        if name not in STATUSES:
            from gutkg.errors import GutKGError

            raise GutKGError(f"unknown status {name!r}: use one of " + ", ".join(STATUSES))
    flt.min_rank  # noqa: B018 - validates the strength name early
    out = graph.__class__()
    out.graph.update(graph.graph)
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        if not flt.keeps_claim(data):
            continue
        edge = copy.deepcopy(data)
        if flt.evidence_level:
            edge["evidence"] = [e for e in edge["evidence"] if flt.keeps_item(e)]
            if not any(e["stance"] == "supports" for e in edge["evidence"]):
                continue
        summarise(edge)
        out.add_edge(u, v, key=key, **edge)
    return out


def dropped_edges(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """Claims in ``before`` that a filter removed, as (cause, effect, claim id)."""
    return sorted((u, v, k) for u, v, k in before.edges(keys=True) if not after.has_edge(u, v, k))
