"""The Python entry point the CLI is thin over: ``gutkg.load()`` and what it returns.

::

    import gutkg
    kg = gutkg.load()
    kg.explain("dysbiosis", "autoimmune disease")
    kg.explain("dysbiosis", "autoimmune disease", evidence="human")   # primary human evidence only
    kg.paths("gliadin", "celiac disease"); kg.loops(through="increased intestinal permeability")
    kg.rivals("dysbiosis"); kg.show("zonulin"); kg.query("SELECT ...")

>>> from gutkg.api import KnowledgeGraph
>>> KnowledgeGraph.explain.__doc__.splitlines()[0]
'Every way A and B could be associated, graded, with the answer first (``gutkg explain``).'

Names resolve as on the command line (label, synonym, id or CURIE; an unknown name raises
:class:`~gutkg.errors.UnknownConceptError` listing the closest ones). Every result has ``text()``,
``as_dict()`` / ``to_dict()`` and ``_repr_html_`` (a compact card in Jupyter).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter
    from gutkg.concepts import ConceptIndex
    from gutkg.store import QueryResult, Store


class Card:
    """A concept's or a claim's card, as ``gutkg show`` prints it."""

    def __init__(self, data: dict[str, Any], text: str) -> None:
        self.data, self._text = data, text

    def text(self) -> str:
        return self._text

    def as_dict(self) -> dict[str, Any]:
        return self.data

    to_dict = as_dict

    def __repr__(self) -> str:
        return self._text.splitlines()[0] if self._text else "Card()"

    def _repr_html_(self) -> str:
        return f"<pre style='white-space:pre-wrap'>{html.escape(self._text)}</pre>"


def _evidence(evidence: str | EvidenceFilter | None) -> EvidenceFilter | None:
    from gutkg.analysis.filters import EvidenceFilter, parse_filter

    if evidence is None or isinstance(evidence, EvidenceFilter):
        return evidence
    return parse_filter(evidence)


class KnowledgeGraph:
    """The graph loaded into a store, its NetworkX projection (built once, on first use) and its
    concept index. Methods mirror the CLI commands."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._network: nx.MultiDiGraph | None = None
        self._index: ConceptIndex | None = None

    @property
    def network(self) -> nx.MultiDiGraph:
        """The causal claims as a ``networkx.MultiDiGraph`` (see :mod:`gutkg.network`)."""
        if self._network is None:
            from gutkg.network import to_network

            self._network = to_network(self.store)
        return self._network

    @property
    def index(self) -> ConceptIndex:
        if self._index is None:
            from gutkg.concepts import ConceptIndex

            self._index = ConceptIndex.from_store(self.store)
        return self._index

    def id(self, name: str) -> str:
        """The concept id a name denotes (label, synonym, id or CURIE, any case)."""
        from gutkg.analysis.core import node_id

        return node_id(self.network, name, self.index)

    def __repr__(self) -> str:
        return (f"<gutkg.KnowledgeGraph: {len(self.index)} concepts, "
                f"{self.network.number_of_edges()} claims>")

    # -- analyses ------------------------------------------------------------------------------
    def explain(self, a: str, b: str, *, evidence: str | EvidenceFilter | None = None,
                compare: Sequence[str] = (), **options: Any) -> Any:
        """Every way A and B could be associated, graded, with the answer first (``gutkg explain``).

        ``evidence`` restricts the analysis ("human", "human, prospective cohort"...); ``compare``
        reruns it under further filters and reports what survives.
        """
        from gutkg.analysis.explain import explain
        from gutkg.analysis.filters import parse_filter

        return explain(self.network, self.id(a), self.id(b), flt=_evidence(evidence),
                       compare=[parse_filter(c) for c in compare], **options)

    def paths(self, source: str, target: str, *, evidence: str | EvidenceFilter | None = None,
              **options: Any) -> Any:
        from gutkg.analysis.paths import find_paths

        return find_paths(self.network, self.id(source), self.id(target), flt=_evidence(evidence), **options)

    def loops(self, *, through: str | None = None, evidence: str | EvidenceFilter | None = None,
              **options: Any) -> Any:
        from gutkg.analysis.loops import find_loops

        return find_loops(self.network, through=self.id(through) if through else None,
                          flt=_evidence(evidence), **options)

    def rivals(self, question: str | None = None, *, evidence: str | EvidenceFilter | None = None) -> Any:
        from gutkg.analysis.rivals import rivals

        return rivals(self.network, question, flt=_evidence(evidence))

    def adjust(self, exposure: str, outcome: str, *, unmeasured: Sequence[str] = (),
               evidence: str | EvidenceFilter | None = None, **options: Any) -> Any:
        from gutkg.analysis.adjust import adjust

        return adjust(self.network, self.id(exposure), self.id(outcome), flt=_evidence(evidence),
                      unmeasured=[self.id(u) for u in unmeasured], **options)

    def rank(self, *, evidence: str | EvidenceFilter | None = None, **options: Any) -> Any:
        from gutkg.analysis.rank import rank

        return rank(self.network, flt=_evidence(evidence), **options)

    # -- look-ups ------------------------------------------------------------------------------
    def show(self, name: str) -> Card:
        """A concept's card, or a claim's (``gkcl:…``, ``gkas:…``, ``gkm:…``) with its grade and why."""
        from gutkg.cards import card, statement_card, statement_text

        statement = statement_card(self.store, name)
        if statement is not None:
            return Card(statement, statement_text(statement))
        concept = self.index.resolve(name)
        assert concept is not None
        data = card(self.store, concept)
        lines = [f"{concept.label}  ({concept.curie}, {concept.category})", concept.definition]
        for key, arrow in (("claims_out", "→"), ("claims_in", "←")):
            for cl in data[key]:  # type: ignore[attr-defined]
                lines.append(f"  {arrow} {cl['other_label']}  [{cl['sign']}, {cl['status']}]")
        return Card(data, "\n".join(line for line in lines if line))

    def query(self, sparql: str, *, dataframe: bool = False, **params: str) -> Any:
        """Run SPARQL (or a bundled question's name) with bound parameters; rows, or a DataFrame."""
        from gutkg.sparql.runner import run, to_frame

        result: QueryResult = run(self.store, sparql, [f"{k}={v}" for k, v in params.items()])
        return to_frame(result) if dataframe else result

    def validate(self) -> Any:
        from gutkg.validate import validate_store

        return validate_store(self.store)


def load(graph: str | Path | Sequence[str | Path] | None = None, *, store: str = "memory") -> KnowledgeGraph:
    """Load the bundled graph (or ``graph``: a folder or Turtle files) into ``store``."""
    from gutkg.loading import load as load_store

    paths = None if graph is None else ([graph] if isinstance(graph, str | Path) else list(graph))
    return KnowledgeGraph(load_store([str(p) for p in paths] if paths else None, store=store))


__all__ = ["Card", "KnowledgeGraph", "load"]
