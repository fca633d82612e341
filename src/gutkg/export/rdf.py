"""RDF of a selection: the selected concepts and claims, with their evidence and references.

The triples come from the store itself (a SPARQL CONSTRUCT through :mod:`gutkg.store.extract`),
not from the network projection, so nothing is lost in translation: labels with their languages,
mappings, definitions and their sources, evidence typing. What the selection left out stays out:
evidence items an evidence filter dropped are removed along with the links to them, and the
materialised plain edges (RO:0002304/5) are kept only between claims that were selected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gutkg.errors import GutKGError

if TYPE_CHECKING:
    import networkx as nx

    from gutkg.store import Store, Triple


def selection_iris(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """IRIs of what ``graph`` holds: concepts, claims, evidence, references, hypotheses, questions."""
    from gutkg.vocab import EVIDENCE, HYPOTHESIS, QUESTION

    refs = graph.graph.get("references", {})
    out: dict[str, set[str]] = {
        k: set() for k in ("concepts", "claims", "evidence", "references", "hypotheses", "questions")
    }
    for _, data in graph.nodes(data=True):
        if data.get("iri"):
            out["concepts"].add(str(data["iri"]))
    hypotheses: set[str] = set()
    for _, _, data in graph.edges(data=True):
        if data.get("iri"):
            out["claims"].add(str(data["iri"]))
        for item in data.get("evidence", []):
            out["evidence"].add(str(EVIDENCE[item["id"]]))
            ref = refs.get(item.get("source", ""), {})
            if ref.get("iri"):
                out["references"].add(str(ref["iri"]))
        hypotheses.update(data.get("hypotheses", []))
    known = graph.graph.get("hypotheses", {})
    for hid in hypotheses:
        out["hypotheses"].add(str(HYPOTHESIS[hid]))
        if known.get(hid, {}).get("question"):
            out["questions"].add(str(QUESTION[known[hid]["question"]]))
    return out


def selection_triples(graph: nx.MultiDiGraph, store: Store) -> list[Triple]:
    """The store's triples about the selection, trimmed to it (see the module docstring)."""
    from gutkg.store.extract import describe
    from gutkg.vocab import HAS_EVIDENCE, RO_NEGATIVE, RO_POSITIVE, RO_UPSTREAM

    iris = selection_iris(graph)
    everything = set().union(*iris.values())
    triples = describe(store, everything)
    plain = {str(RO_POSITIVE), str(RO_NEGATIVE), str(RO_UPSTREAM)}
    sign_iri = {1: str(RO_POSITIVE), -1: str(RO_NEGATIVE)}
    nodes = {n: str(d.get("iri", "")) for n, d in graph.nodes(data=True)}
    allowed_plain = {
        (nodes[u], sign_iri[int(d["sign"])], nodes[v])
        for u, v, d in graph.edges(data=True)
        if int(d.get("sign", 0)) in sign_iri
    }
    kept = []
    for s, p, o in triples:
        if p.value in plain and (s.value, p.value, o.value) not in allowed_plain:
            continue
        if p.value == str(HAS_EVIDENCE) and o.value not in iris["evidence"]:
            continue
        if s.value in iris["hypotheses"] and p.value.endswith("/hasPart") and o.value not in iris["claims"]:
            continue
        kept.append((s, p, o))
    return kept


def to_rdf(graph: nx.MultiDiGraph, store: Store, fmt: str) -> bytes:
    """The selection as ``turtle``, ``ntriples`` or ``jsonld`` with gutkg's prefixes."""
    from gutkg.store.extract import serialise
    from gutkg.vocab import PREFIXES

    triples = selection_triples(graph, store)
    if not triples:
        raise GutKGError(
            "the store holds no triples about this selection: was it made from "
            "another graph? Pass the same --graph to the export."
        )
    return serialise(triples, fmt, PREFIXES)
