"""The synthetic generator: the network and the Turtle describe the same claims, validly."""

from __future__ import annotations

import pytest

from gutkg.synthetic import spec, synthetic_network, synthetic_turtle


def signature(g):
    return sorted(
        (u, v, k, d["sign"], d["status"], d["strength"], tuple(d["systems"]), tuple(d["citations"]), d["opposed"])
        for u, v, k, d in g.edges(keys=True, data=True)
    )


def test_turtle_projects_to_the_same_network(tmp_path):
    from gutkg.netcache import load_network

    path = tmp_path / "synthetic.ttl"
    path.write_text(synthetic_turtle(40, 120, seed=3), encoding="utf-8")
    loaded = signature(load_network([str(path)]))
    assert len(loaded) == 120
    assert loaded == signature(synthetic_network(40, 120, seed=3))


def test_turtle_conforms_to_the_shapes(tmp_path):
    from gutkg.validate import validate

    path = tmp_path / "synthetic.ttl"
    path.write_text(synthetic_turtle(20, 40, seed=1), encoding="utf-8")
    assert validate([str(path)]).conforms


def test_seeded_distinct_and_without_self_loops():
    claims = spec(50, 300, seed=7)
    assert [c.key for c in claims] == [c.key for c in spec(50, 300, seed=7)]
    assert len({c.key for c in claims}) == 300 and all(c.cause != c.effect for c in claims)
    assert {c.sign for c in claims} == {1, -1, 0}
    light = synthetic_network(50, 300, seed=7, evidence=False)
    assert all(d["evidence"] == [] for *_, d in light.edges(keys=True, data=True))
    with pytest.raises(ValueError, match="at most 6 distinct claims fit 2 concepts"):
        spec(2, 100)
