"""The projected network carries exactly the attributes gutkg.attributes defines, with their types,
on every node, claim and evidence item of the bundled graph and of a synthetic one."""

from __future__ import annotations

import typing

import pytest

from gutkg.attributes import CLAIM_KEYS, CONCEPT_KEYS, EVIDENCE_KEYS, ClaimEdge, ConceptNode, EvidenceItem


def _check(record: dict, spec: type, where: str) -> None:
    hints = typing.get_type_hints(spec)
    for key, value in record.items():
        assert key in hints, f"{where}: attribute {key!r} is not defined in gutkg.attributes.{spec.__name__}"
        origin = typing.get_origin(hints[key]) or hints[key]
        if origin is not typing.Any:
            assert isinstance(value, origin), f"{where}: {key}={value!r} is not {hints[key]}"


def test_every_claim_item_and_concept_of_the_bundled_graph_is_typed(bundled_network):
    edges = list(bundled_network.edges(keys=True, data=True))
    assert len(edges) > 200
    for _u, _v, k, d in edges:
        _check(d, ClaimEdge, f"claim {k}")
        assert set(d) == CLAIM_KEYS, f"claim {k} lacks {sorted(CLAIM_KEYS - set(d))}"
        for item in d["evidence"]:
            _check(item, EvidenceItem, f"evidence {item.get('id')}")
            assert set(item) == EVIDENCE_KEYS, f"evidence {item.get('id')} lacks {sorted(EVIDENCE_KEYS - set(item))}"
    nodes = [(n, d) for n, d in bundled_network.nodes(data=True) if d.get("category") != "unknown"]
    assert len(nodes) > 100
    for n, d in nodes:
        _check(d, ConceptNode, f"concept {n}")
        assert set(d) == CONCEPT_KEYS, f"concept {n} lacks {sorted(CONCEPT_KEYS - set(d))}"


@pytest.mark.parametrize("evidence", [True, False])
def test_synthetic_graphs_carry_the_same_claim_attributes(evidence):
    from gutkg.synthetic import synthetic_network

    g = synthetic_network(40, 120, seed=5, evidence=evidence)
    for _u, _v, k, d in g.edges(keys=True, data=True):
        assert set(d) == CLAIM_KEYS, k
        for item in d["evidence"]:
            assert set(item) == EVIDENCE_KEYS, item["id"]
