"""The Python entry point the CLI is thin over: ``gutkg.load()`` and what it returns.

::

    import gutkg
    kg = gutkg.load()
    kg.explain("dysbiosis", "autoimmune disease")
    kg.explain("dysbiosis", "autoimmune disease", evidence="human")   # primary human evidence only
    kg.paths("gliadin", "celiac disease"); kg.loops(through="increased intestinal permeability")
    kg.rivals("dysbiosis"); kg.show("zonulin"); kg.query("SELECT ...")

Names resolve as on the command line (label, synonym, id or CURIE; an unknown name raises
:class:`~gutkg.errors.UnknownConceptError` listing the closest ones). Every result has a text form
(``text()``, ``str()``), ``to_dict()``, a one-line ``repr`` and ``_repr_html_``: a compact card in
Jupyter, drawn by :mod:`gutkg.html_cards` (results never import their renderers; see
:mod:`gutkg.display`). A runnable tour, on a small fixture graph:

>>> import gutkg
>>> kg = gutkg.load("tests/data/grading.ttl")
>>> kg
<gutkg.KnowledgeGraph: 13 concepts, 11 claims>
>>> e = kg.explain("microbes", "Illness")
>>> e.verdict.leaders
['reverse']
>>> print(str(e).splitlines()[0])
Does microbes cause illness, does illness cause microbes, or does a shared cause (or a loop) produce
>>> kg.explain("microbes", "illnes")  # doctest: +ELLIPSIS
Traceback (most recent call last):
gutkg.errors.UnknownConceptError: unknown concept 'illnes'. Did you mean: 'illness', 'illness stage'? ...
>>> [len(c.hops) for c in kg.paths("illness", "microbes", evidence="human").paths]
[1]
>>> kg.show("Treat 2016")
<Card reference: Treat et al. 2016 (.text(), .to_dict())>
>>> kg.show("trial drug").to_dict()["claims_out"][0]["other_label"]
'trial outcome'
>>> rows = kg.query("SELECT ?label ?c WHERE { ?c skos:prefLabel ?label } ORDER BY ?label LIMIT 2",
...                 dataframe=False)
>>> rows.vars, [r["label"] for r in rows.dicts()]
(['label', 'c'], ['Do microbes cause illness, or the reverse?', 'Genes drive both'])
>>> "<table" in rows._repr_html_() and "&lt;" not in rows.text()
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gutkg.store import QueryResult

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.analysis.filters import EvidenceFilter
    from gutkg.cards import Card
    from gutkg.concepts import Concept, ConceptIndex
    from gutkg.references import Reference
    from gutkg.store import Store


class Rows(QueryResult):
    """A query's result as :meth:`KnowledgeGraph.query` returns it without pandas: a
    :class:`~gutkg.store.QueryResult` (``vars``, ``rows``, ``dicts()``) with a text table, ``to_dict()``
    (the SPARQL JSON results) and a table in Jupyter."""

    def text(self) -> str:
        from gutkg.sparql.results import write

        return write(self, "table").decode()

    def to_dict(self) -> dict[str, Any]:
        import json

        from gutkg.sparql.results import write

        return dict(json.loads(write(self, "json" if self.kind != "graph" else "jsonld")))

    as_dict = to_dict

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        if self.kind == "ask":
            return f"<Rows ask: {self.boolean}>"
        size = f"{len(self)} {'triples' if self.kind == 'graph' else 'rows'}"
        return f"<Rows {self.kind}: {size}{' × ' + ', '.join(self.vars) if self.vars else ''}>"

    def _repr_html_(self) -> str:
        from gutkg.display import html

        return html(self)


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
        return f"<gutkg.KnowledgeGraph: {len(self.index)} concepts, {self.network.number_of_edges()} claims>"

    # -- analyses ------------------------------------------------------------------------------
    def explain(
        self,
        a: str,
        b: str,
        *,
        evidence: str | EvidenceFilter | None = None,
        compare: Sequence[str] = (),
        **options: Any,
    ) -> Any:
        """Every way A and B could be associated, graded, with the answer first (``gutkg explain``).

        ``evidence`` restricts the analysis ("human", "human, prospective cohort"...); ``compare``
        reruns it under further filters and reports what survives.
        """
        from gutkg.analysis.explain import explain
        from gutkg.analysis.filters import parse_filter

        return explain(
            self.network,
            self.id(a),
            self.id(b),
            flt=_evidence(evidence),
            compare=[parse_filter(c) for c in compare],
            **options,
        )

    def paths(self, source: str, target: str, *, evidence: str | EvidenceFilter | None = None, **options: Any) -> Any:
        from gutkg.analysis.paths import find_paths

        return find_paths(self.network, self.id(source), self.id(target), flt=_evidence(evidence), **options)

    def loops(self, *, through: str | None = None, evidence: str | EvidenceFilter | None = None, **options: Any) -> Any:
        from gutkg.analysis.loops import find_loops

        return find_loops(
            self.network, through=self.id(through) if through else None, flt=_evidence(evidence), **options
        )

    def rivals(self, question: str | None = None, *, evidence: str | EvidenceFilter | None = None) -> Any:
        from gutkg.analysis.rivals import rivals

        return rivals(self.network, question, flt=_evidence(evidence))

    def adjust(
        self,
        exposure: str,
        outcome: str,
        *,
        unmeasured: Sequence[str] = (),
        evidence: str | EvidenceFilter | None = None,
        **options: Any,
    ) -> Any:
        from gutkg.analysis.adjust import adjust

        return adjust(
            self.network,
            self.id(exposure),
            self.id(outcome),
            flt=_evidence(evidence),
            unmeasured=[self.id(u) for u in unmeasured],
            **options,
        )

    def rank(self, *, evidence: str | EvidenceFilter | None = None, **options: Any) -> Any:
        from gutkg.analysis.rank import rank

        return rank(self.network, flt=_evidence(evidence), **options)

    def implications(
        self, *, unmeasured: Sequence[str] = (), evidence: str | EvidenceFilter | None = None, **options: Any
    ) -> Any:
        """The conditional independences the causal graph implies (:mod:`gutkg.analysis.implications`)."""
        from gutkg.analysis.implications import implications

        return implications(
            self.network, flt=_evidence(evidence), unmeasured=[self.id(u) for u in unmeasured], **options
        )

    def instruments(
        self,
        exposure: str,
        outcome: str,
        *,
        unmeasured: Sequence[str] = (),
        evidence: str | EvidenceFilter | None = None,
        **options: Any,
    ) -> Any:
        """Conditional instruments for EXPOSURE → OUTCOME (:mod:`gutkg.analysis.instruments`)."""
        from gutkg.analysis.instruments import instruments

        return instruments(
            self.network,
            self.id(exposure),
            self.id(outcome),
            flt=_evidence(evidence),
            unmeasured=[self.id(u) for u in unmeasured],
            **options,
        )

    # -- look-ups ------------------------------------------------------------------------------
    def show(self, name: str) -> Card:
        """The card of a concept, a claim (``gkcl:…``, ``gkas:…``, ``gkm:…``: its grade and why) or a
        reference ("Tajik 2020", a key, DOI or PMID: the claims citing it, with stance)."""
        from gutkg.cards import lookup

        return lookup(self.store, name, self.index)

    def search(self, text: str, *, limit: int = 20) -> tuple[list[Concept], list[Reference]]:
        """Concepts whose label or synonym matches ``text`` (best first), and references by author,
        title, key, DOI or PMID."""
        from gutkg.cards import find_references

        return ([c for c, _ in self.index.search(text, limit=limit)], find_references(self.store, text)[:limit])

    def query(self, sparql: str, *, dataframe: bool | None = None, **params: str) -> Any:
        """Run SPARQL (or a bundled question's name) with bound parameters (``concept="zonulin"``).

        SELECT results come as a pandas DataFrame when pandas is installed (the ``notebook`` extra)
        and ``dataframe`` is not False, else as :class:`Rows`; columns follow the query's projection.
        """
        import dataclasses
        import importlib.util

        from gutkg.sparql.runner import run, to_frame

        result: QueryResult = run(self.store, sparql, [f"{k}={v}" for k, v in params.items()])
        if dataframe is None:
            dataframe = result.kind == "select" and importlib.util.find_spec("pandas") is not None
        if dataframe:
            return to_frame(result)
        return Rows(**{f.name: getattr(result, f.name) for f in dataclasses.fields(result)})

    def validate(self) -> Any:
        from gutkg.validate import validate_store

        return validate_store(self.store)


def load(graph: str | Path | Sequence[str | Path] | None = None, *, store: str = "memory") -> KnowledgeGraph:
    """Load the bundled graph (or ``graph``: a folder or Turtle files) into ``store``."""
    from gutkg.loading import load as load_store

    paths = None if graph is None else ([graph] if isinstance(graph, str | Path) else list(graph))
    return KnowledgeGraph(load_store([str(p) for p in paths] if paths else None, store=store))


__all__ = ["KnowledgeGraph", "Rows", "load"]
