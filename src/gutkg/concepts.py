"""Concepts: look them up by label, synonym, id or CURIE; rank matches for search.

Resolution is strict by design (curies' ``Converter.expand``): an unknown or ambiguous name raises
:class:`~gutkg.errors.UnknownConceptError` listing the closest matches, never a guess.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from gutkg.errors import InputError, UnknownConceptError
from gutkg.namespaces import prologue
from gutkg.store import Store

#: The longest name matched approximately (search, suggestions). Fuzzy matching compares a name
#: with every label, in time proportional to both lengths: a 128 KiB name took 30-48 s to refuse.
#: Exact names of any length still resolve. The bundled graph's longest name has 68 characters.
MAX_NAME = 500

CONCEPTS = (
    prologue("rdfs", "gkv")
    + """
SELECT ?c ?cat WHERE { ?cat rdfs:subClassOf gkv:Concept . ?c a ?cat }"""
)

#: Labels and links, one index scan per property. (One UNION per concept, the earlier form, costs
#: a seek per concept and branch: 7.2 s instead of 0.35 s for 10k concepts on disk-backed Oxigraph.)
PROPERTIES = (
    prologue("skos", "gkv")
    + """
SELECT ?c ?p ?o WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel skos:definition skos:exactMatch skos:closeMatch
              skos:broader gkv:stageOf gkv:rarelyMeasured }
  ?c ?p ?o
}"""
)


@dataclass
class Concept:
    """A concept with its names and mappings (plain data, no RDF types)."""

    id: str
    iri: str
    label: str
    category: str
    definition: str = ""
    synonyms: list[str] = field(default_factory=list)
    exact: list[str] = field(default_factory=list)
    close: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    #: Diseases this concept is a preclinical stage of (``gkv:stageOf``).
    stage_of: list[str] = field(default_factory=list)
    #: Studies rarely measure it as such (``gkv:rarelyMeasured``): never an adjustment variable.
    rarely_measured: bool = False

    @property
    def curie(self) -> str:
        return f"gkc:{self.id}"

    def as_dict(self) -> dict[str, object]:
        from gutkg.mappings import curie_of

        return {
            "id": self.id,
            "curie": self.curie,
            "iri": self.iri,
            "label": self.label,
            "category": self.category,
            "definition": self.definition,
            "synonyms": self.synonyms,
            "broader": self.broader,
            "stage_of": self.stage_of,
            "mappings": [
                {"curie": curie_of(i), "iri": i, "match": k}
                for k, iris in (("exact", self.exact), ("close", self.close))
                for i in iris
            ],
        }


def normalise(text: str) -> str:
    """Case-, hyphen-, apostrophe- and space-insensitive form of a name.

    >>> normalise("  Crohn’s  Disease ")
    "crohn's disease"
    >>> normalise("IL-1β") == normalise("il 1β")
    True
    """
    text = text.casefold().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[\s_\-‐–—]+", " ", text)
    return text.strip()


def check_length(name: str) -> None:
    """Refuse a name longer than :data:`MAX_NAME` before any approximate matching.

    >>> check_length("zonulin")
    >>> check_length("z" * 501)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    gutkg.errors.InputError: a concept name of 501 characters is too long ...
    """
    if len(name) > MAX_NAME:
        from gutkg.textsafety import visible

        raise InputError(
            f"a concept name of {len(name)} characters is too long: names are at most "
            f"{MAX_NAME} characters (this one starts {visible(name[:40])!r}). Give a label, "
            "synonym, id or CURIE; gutkg search TEXT lists them."
        )


class ConceptIndex:
    """All concepts of a store, indexed by every name a user might type."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = {c.id: c for c in concepts}
        self._names: dict[str, set[str]] = {}
        for c in concepts:
            for name in self._names_of(c):
                self._names.setdefault(normalise(name), set()).add(c.id)

    @staticmethod
    def _names_of(c: Concept) -> list[str]:
        from gutkg.mappings import curie_of

        names = [c.label, c.id, c.curie, c.iri, *c.synonyms]
        names += [curie_of(i) for i in c.exact] + list(c.exact)
        return [n for n in names if n]

    @classmethod
    def from_store(cls, store: Store) -> ConceptIndex:
        """Every concept of ``store``. Names and definitions are as every output shows them: an
        invisible or control character is spelt as its escape (:func:`gutkg.textsafety.visible`)."""
        by_iri = _concepts_of(store)
        for c, p, o in store.query(PROPERTIES).rows:
            concept = by_iri.get(c.value) if c is not None else None
            if concept is not None and p is not None and o is not None:
                _add_property(concept, p.value, o.value)
        for concept in by_iri.values():
            concept.label = concept.label or concept.id
            concept.synonyms.sort(key=str.casefold)
            for ids in (concept.exact, concept.close, concept.broader, concept.stage_of):
                ids.sort()
        return cls(sorted(by_iri.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self.concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts.values())

    def resolve(self, name: str, *, strict: bool = True) -> Concept | None:
        """The concept ``name`` denotes (label, synonym, id, CURIE or IRI; case-insensitive).

        With ``strict`` (the default) an unknown or ambiguous name raises
        :class:`UnknownConceptError` with the closest matches; otherwise it returns None.
        """
        ids = self._names.get(normalise(name), set())
        if len(ids) == 1:
            return self.concepts[next(iter(ids))]
        if not strict:
            return None
        check_length(name)
        if ids:
            raise UnknownConceptError(name, sorted(self.concepts[i].label for i in ids), ambiguous=True)
        raise UnknownConceptError(name, [c.label for c, _ in self.search(name, limit=5)])

    def search(self, text: str, *, limit: int = 20) -> list[tuple[Concept, float]]:
        """Concepts ranked by how well a label or synonym matches ``text`` (score 0-100).

        Exact label > exact synonym > prefix > whole word > substring > fuzzy. A ``text`` longer
        than :data:`MAX_NAME` characters is refused (:class:`~gutkg.errors.InputError`) unmatched.
        """
        check_length(text)
        query = normalise(text)
        if not query:
            return []
        scores: dict[str, float] = {}
        for c in self.concepts.values():
            best = 0.0
            for weight, name in [(1.0, c.label), (1.0, c.id)] + [(0.9, s) for s in c.synonyms]:
                n = normalise(name)
                if n == query:
                    s = 100.0
                elif n.startswith(query):
                    s = 80.0
                elif re.search(rf"\b{re.escape(query)}", n):
                    s = 65.0
                elif query in n:
                    s = 50.0
                else:
                    ratio = difflib.SequenceMatcher(None, query, n).ratio()
                    s = 45.0 * ratio if ratio >= 0.6 else 0.0
                best = max(best, s * weight)
            if normalise(c.definition).find(query) >= 0 and best < 20:
                best = 20.0
            if best > 0:
                scores[c.id] = best
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.concepts[kv[0]].label.casefold()))
        return [(self.concepts[cid], round(score, 1)) for cid, score in ranked[:limit]]


def _concepts_of(store: Store) -> dict[str, Concept]:
    """IRI -> a bare :class:`Concept` (id and category) for every concept of ``store``."""
    from gutkg.vocab import CATEGORIES, CONCEPT

    short = {str(k): v for k, v in CATEGORIES.items()}
    by_iri: dict[str, Concept] = {}
    for c, cat in store.query(CONCEPTS).rows:
        assert c is not None and cat is not None
        if cat.value not in short or c.value in by_iri:
            continue
        iri = c.value
        cid = iri[len(str(CONCEPT)) :] if iri.startswith(str(CONCEPT)) else iri
        by_iri[iri] = Concept(cid, iri, "", short[cat.value])
    return by_iri


def _add_property(concept: Concept, predicate: str, value: str) -> None:
    """Record one SKOS or gutkg property of ``concept`` (labels shown as :func:`visible` spells them)."""
    from gutkg.textsafety import visible
    from gutkg.vocab import CONCEPT, GKV, SKOS

    if predicate == str(GKV.rarelyMeasured):
        concept.rarely_measured = value.lower() in ("true", "1")
        return
    if predicate == str(GKV.stageOf):
        _append_new(concept.stage_of, value.removeprefix(str(CONCEPT)))
        return
    prop = predicate.removeprefix(str(SKOS))
    if prop == "prefLabel" and not concept.label:
        concept.label = visible(value)
    elif prop == "altLabel":
        _append_new(concept.synonyms, visible(value))
    elif prop == "definition":
        concept.definition = visible(value, multiline=True)
    elif prop in {"exactMatch", "closeMatch"}:
        _append_new(concept.exact if prop == "exactMatch" else concept.close, value)
    elif prop == "broader":
        _append_new(concept.broader, value.removeprefix(str(CONCEPT)))


def _append_new(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
