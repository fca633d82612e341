"""Evidence filters: keep only the evidence (and so the claims) a user trusts.

A filter never adds anything. Evidence-level criteria (species or model, minimum strength,
design) drop evidence items; a claim survives them only if at least one *supporting* item
survives. Claim-level criteria (status, exclude contested) drop claims. With no evidence-level
criterion, claims without evidence (hypothesised) are kept. After a filter, every claim's grade is
recomputed from the items it kept (:func:`gutkg.network.summarise`).

A species filter keeps **primary** data only: a review's synthesis carries no species, so
``human`` means studies that measured the effect in people. Values are checked: an unknown one is
an error that suggests the closest (``humans`` → ``human``; ``NCBITaxon:9606`` is read as
``human``).
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

from gutkg.scales import DESIGNS, DIRECTIONAL, MODELS, STATUSES, STRENGTH_RANK, SYNTHESIS, SYSTEMS

#: Words accepted by ``design``, and the study designs (``gutkg.scales.DESIGNS`` names) each keeps.
#: ``primary`` keeps every primary item, ``review`` the synthesis items.
DESIGN_WORDS: dict[str, frozenset[str]] = {
    **{d.name: frozenset({d.name}) for d in DESIGNS},
    "interventional": frozenset({"controlled human intervention", "experimental intervention"}),
    "randomised": frozenset({"controlled human intervention"}),
    "randomized": frozenset({"controlled human intervention"}),
    "rct": frozenset({"controlled human intervention"}),
    "temporal": frozenset({"temporal precedence", "prospective cohort"}),
    "prospective": frozenset({"prospective cohort"}),
    "genetic": frozenset({"mendelian randomisation"}),
    "mendelian randomization": frozenset({"mendelian randomisation"}),
    "mr": frozenset({"mendelian randomisation"}),
    "transfer": frozenset({"community transfer", "monocolonisation"}),
    "germ-free or transfer": frozenset({"community transfer", "monocolonisation"}),
    "directional": DIRECTIONAL,
    "direction-showing": DIRECTIONAL,
    "primary": frozenset(d.name for d in DESIGNS if d.name != "unspecified"),
    "review": frozenset({"unspecified"}),
}
#: Species names accepted (with the NCBITaxon CURIEs users may type).
SPECIES_WORDS: dict[str, str] = {
    **{s: s for s in SYSTEMS},
    "ncbitaxon:9606": "human",
    "ncbitaxon:10090": "mouse",
    "ncbitaxon:10116": "rat",
    "homo sapiens": "human",
    "mus musculus": "mouse",
    "rattus norvegicus": "rat",
    "in-vitro": "in vitro",
}


#: Words users type that are not values, and the value they most likely mean (a hint, never a silent rewrite).
LIKELY: dict[str, str] = {
    "humans": "human",
    "people": "human",
    "patients": "human",
    "mice": "mouse",
    "murine": "mouse",
    "rats": "rat",
    "cells": "in vitro",
    "cell culture": "in vitro",
}


def _check(kind: str, value: str, known: list[str], note: str = "") -> None:
    import difflib

    from gutkg.errors import GutKGError

    close = [LIKELY[value]] if LIKELY.get(value) in known else []
    close += [c for c in difflib.get_close_matches(value, known, n=3, cutoff=0.5) if c not in close]
    close += [k for k in known if value and (k.startswith(value) or value.startswith(k)) and k not in close]
    hint = f" Did you mean {' or '.join(repr(c) for c in close[:3])}?" if close else ""
    raise GutKGError(f"unknown {kind} {value!r}.{hint}{note} Use one of: {', '.join(known)}")


def species_name(value: str) -> str:
    """The species or model a user means, or an error suggesting the closest.

    >>> species_name("NCBITaxon:9606")
    'human'
    >>> species_name("Homo sapiens")
    'human'
    >>> species_name("mice")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gutkg.errors.GutKGError: unknown species or model 'mice'. Did you mean 'mouse'? Use one of: ...
    """
    key = value.strip().lower()
    if key not in SPECIES_WORDS:
        _check("species or model", key, list(SYSTEMS))
    return SPECIES_WORDS[key]


def design_names(value: str) -> frozenset[str]:
    """The study designs a ``--design`` word keeps, or an error suggesting the closest word."""
    key = value.strip().lower()
    if key in DESIGN_WORDS:
        return DESIGN_WORDS[key]
    from gutkg.network import DESIGN_LABELS

    if key in {v.lower() for v in DESIGN_LABELS.values()}:  # an OBI study design label
        return frozenset()
    note = (
        f" {value.strip()!r} is a model system, not a design: filter it with --species (human, mouse, rat, 'in vitro')."
        if key in MODELS
        else ""
    )
    _check("design", key, sorted(DESIGN_WORDS), note)
    return frozenset()


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
        return not (self.species or self.min_strength or self.status or self.design or self.exclude_contested)

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

            raise GutKGError(
                f"unknown strength {self.min_strength!r}: use one of " + ", ".join(STRENGTH_RANK)
            ) from None

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

    def check(self) -> EvidenceFilter:
        """This filter with its values checked and normalised (an error names the closest value)."""
        from gutkg.errors import GutKGError

        for name in self.status:
            if name not in STATUSES:
                _check("status", name, list(STATUSES))
        self.min_rank  # noqa: B018 - validates the strength name
        species = tuple(dict.fromkeys(species_name(s) for s in self.species))
        for d in self.design:
            design_names(d)
        if not isinstance(self.min_strength, int | None) and not str(self.min_strength).strip():
            raise GutKGError("--min-strength needs a value")
        return EvidenceFilter(
            species=species,
            min_strength=self.min_strength,
            status=self.status,
            design=tuple(d.strip().lower() for d in self.design),
            exclude_contested=self.exclude_contested,
        )

    def keeps_item(self, item: dict[str, Any]) -> bool:
        if self.species:
            if item.get("model") == SYNTHESIS:  # a review is not data from any species
                return False
            systems = {s.strip() for s in item.get("system", "").split(",")}
            if not systems & {s.lower() for s in self.species}:
                return False
        if self.min_rank and item.get("strength", 0) < self.min_rank:
            return False
        if self.design:
            direction = item.get("direction", "")
            label = str(item.get("design_label", "")).lower()
            if not any(direction in design_names(d) or label == d for d in self.design):
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
    flt = flt.check()
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


#: Bare words accepted by :func:`parse_filter`, by the field they set.
SYSTEM_WORDS = tuple(SPECIES_WORDS)
DIRECTION_WORDS = tuple(DESIGN_WORDS)


def parse_filter(text: str) -> EvidenceFilter:
    """An :class:`EvidenceFilter` from a short spec, as ``--compare-evidence`` takes it.

    Comma-separated terms, each ``key=value`` (keys: species, min-strength, status, design,
    exclude-contested) or a bare word: a species or model (``human``, ``mouse``, ``in vitro``), a
    strength (``moderate`` = at least moderate), a status, a direction of evidence
    (``interventional``) or ``exclude-contested``. Values of one key are joined with ``|``.

    >>> parse_filter("human").describe()
    'species/model: human'
    >>> parse_filter("human, interventional, min-strength=moderate").describe()
    'species/model: human; strength >= moderate; design: interventional'
    >>> parse_filter("status=established|supported").status
    ('established', 'supported')
    """
    from gutkg.errors import GutKGError

    species: list[str] = []
    status: list[str] = []
    design: list[str] = []
    strength: str | None = None
    contested = False
    for raw in (t.strip() for t in text.split(",")):
        if not raw:
            continue
        key, _, value = raw.partition("=")
        key, value = key.strip().lower().replace("_", "-"), value.strip()
        if not value:
            key, value = _classify(key), key
        values = [v.strip().lower() for v in value.split("|") if v.strip()]
        if key == "species":
            species += values
        elif key == "status":
            status += values
        elif key == "design":
            design += values
        elif key in ("min-strength", "strength"):
            strength = values[-1] if values else None
        elif key == "exclude-contested":
            contested = value.lower() not in ("false", "no", "0")
        else:
            import difflib

            words = [*SPECIES_WORDS, *DESIGN_WORDS, *STRENGTH_RANK, *STATUSES, "exclude-contested"]
            close = difflib.get_close_matches(key, words, n=3, cutoff=0.6)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
            raise GutKGError(
                f"cannot read evidence filter term {raw!r}: {hint}use key=value with key one of species, "
                "min-strength, status, design, exclude-contested, or a bare word such as human, "
                "mouse, in vitro, interventional, moderate, supported, exclude-contested"
            )
    flt = EvidenceFilter(
        species=tuple(species),
        min_strength=strength,
        status=tuple(status),
        design=tuple(design),
        exclude_contested=contested,
    )
    return flt.check()


def _classify(word: str) -> str:
    w = word.replace("-", " ") if word not in ("exclude-contested", "germ-free or transfer") else word
    if word == "exclude-contested":
        return "exclude-contested"
    if w in SYSTEM_WORDS or word in SYSTEM_WORDS:
        return "species"
    if word in STRENGTH_RANK:
        return "min-strength"
    if word in STATUSES:
        return "status"
    if word in DIRECTION_WORDS or w in DIRECTION_WORDS:
        return "design"
    return word


def why_dropped(edge: dict[str, Any], flt: EvidenceFilter) -> str:
    """Why ``flt`` removes a claim, naming the evidence it rests on.

    >>> e = {"status": "supported", "evidence": [{"stance": "supports", "system": "mouse",
    ...      "strength": 3, "strength_label": "moderate", "citation": "Doe 2020"}]}
    >>> why_dropped(e, EvidenceFilter(species=("human",)))
    'no supporting evidence passes (species/model: human); it rests on: mouse, moderate, Doe 2020'
    """
    if flt.status and edge.get("status") not in flt.status:
        return f"status {edge.get('status')} is not kept ({', '.join(flt.status)})"
    if flt.exclude_contested and edge.get("status") == "contested":
        return "contested claims are excluded"
    items = [e for e in edge.get("evidence", []) if e.get("stance") == "supports"]
    if not items:
        return "it has no supporting evidence (hypothesised)"
    rests = sorted(
        {
            ", ".join(x for x in (e.get("system", ""), e.get("strength_label", ""), e.get("citation", "")) if x)
            for e in items
        }
    )
    return f"no supporting evidence passes ({flt.describe()}); it rests on: " + "; ".join(rests)
