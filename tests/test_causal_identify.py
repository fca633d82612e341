"""Identification (backdoor, front-door, ID algorithm): exact answers on minimal cases, agreement with
y0 on random mixed graphs, and every estimand checked numerically against the interventional
distribution of random discrete models."""

from __future__ import annotations

import json
import random
from itertools import product
from pathlib import Path

import networkx as nx
import pytest

from gutkg.analysis.adjust import adjust
from gutkg.analysis.identify import ADMG, Hedge, Prob, evaluate, id_algorithm, identify, project

Y0 = json.loads((Path(__file__).parent / "data" / "y0" / "reference.json").read_text())


def admg(nodes, directed, bidirected) -> ADMG:
    dag = nx.DiGraph(directed)
    dag.add_nodes_from(nodes)
    parents = {v: frozenset(dag.pred[v]) for v in nodes}
    return ADMG(
        frozenset(nodes),
        parents,
        frozenset(frozenset(b) for b in bidirected),
        tuple(nx.lexicographical_topological_sort(dag)),
    )


def as_dag(nodes, directed, bidirected) -> tuple[nx.DiGraph, set[str]]:
    """The mixed graph as a DAG with one latent parent per bidirected arc."""
    dag = nx.DiGraph(directed)
    dag.add_nodes_from(nodes)
    latent = set()
    for a, b in bidirected:
        u = f"U_{a}_{b}"
        dag.add_edges_from([(u, a), (u, b)])
        latent.add(u)
    return dag, latent


def random_model(dag: nx.DiGraph, rng: random.Random) -> dict[str, dict[tuple[int, ...], float]]:
    """P(v = 1 | parents) for binary variables, bounded away from 0 and 1 (positivity)."""
    return {v: {bits: rng.uniform(0.1, 0.9) for bits in product((0, 1), repeat=len(dag.pred[v]))} for v in dag}


def joint(dag: nx.DiGraph, cpt, do: dict[str, int] | None = None) -> dict[tuple[int, ...], float]:
    do = do or {}
    order = list(nx.topological_sort(dag))
    out: dict[tuple[int, ...], float] = {}
    for bits in product((0, 1), repeat=len(order)):
        val = dict(zip(order, bits, strict=True))
        if any(val[v] != x for v, x in do.items()):
            continue
        pr = 1.0
        for v in order:
            if v in do:
                continue
            p1 = cpt[v][tuple(val[p] for p in sorted(dag.pred[v]))]
            pr *= p1 if val[v] else 1 - p1
        out[bits] = pr
    return out


def marginal_over(table, order, keep):
    out: dict[tuple[int, ...], float] = {}
    idx = [order.index(v) for v in keep]
    for bits, pr in table.items():
        key = tuple(bits[i] for i in idx)
        out[key] = out.get(key, 0.0) + pr
    return out


@pytest.mark.parametrize("case", Y0["cases"], ids=lambda c: c["name"])
def test_id_algorithm_agrees_with_y0(case):
    g = admg(case["nodes"], case["directed"], case["bidirected"])
    x, y = case["exposure"], case["outcome"]
    try:
        id_algorithm(frozenset({y}), frozenset({x}), Prob(g.nodes), g)
        mine = True
    except Hedge:
        mine = False
    assert mine == case["identifiable"]


@pytest.mark.parametrize("case", [c for c in Y0["cases"] if c["identifiable"]][:80], ids=lambda c: c["name"])
def test_estimand_equals_the_interventional_distribution(case):
    """The estimand, evaluated on the observed distribution of a random model, is P(y | do(x))."""
    rng = random.Random(case["name"])
    dag, latent = as_dag(case["nodes"], case["directed"], case["bidirected"])
    g = project(dag, latent)
    x, y = case["exposure"], case["outcome"]
    est = id_algorithm(frozenset({y}), frozenset({x}), Prob(g.nodes), g)
    cpt = random_model(dag, rng)
    order = tuple(nx.topological_sort(dag))
    observed = tuple(v for v in order if v not in latent)
    p_obs = marginal_over(joint(dag, cpt), order, observed)
    # line 3 of the algorithm adds interventions the effect does not depend on: any value will do
    extra = sorted(est.free() - {x, y})
    for xv in (0, 1):
        truth = marginal_over(joint(dag, cpt, {x: xv}), order, (y,))
        for yv, bits in product((0, 1), product((0, 1), repeat=len(extra))):
            values = {x: xv, y: yv, **dict(zip(extra, bits, strict=True))}
            assert evaluate(est, values, p_obs, observed) == pytest.approx(truth[(yv,)], abs=1e-9)


def test_latent_projection_gives_arrows_through_latents_and_arcs_for_shared_latents():
    dag = nx.DiGraph([("a", "h"), ("h", "b"), ("u", "a"), ("u", "c")])
    g = project(dag, {"h", "u"})
    assert g.nodes == {"a", "b", "c"} and g.parents["b"] == {"a"}
    assert g.bidirected == {frozenset({"a", "c"})}


def test_backdoor_front_door_and_hedge_on_minimal_graphs():
    # the front-door graph: u unmeasured confounds x and y, m mediates everything
    fd = nx.DiGraph([("u", "x"), ("u", "y"), ("x", "m"), ("m", "y")])
    r = identify(fd, "x", "y", {"u"}, None)
    assert (r.identifiable, r.method) == (True, "front-door")
    assert r.estimand == "Σ_{m} P(m | x) Σ_{x'} P(y | m, x') P(x')"
    # the bow: x → y with an unmeasured common cause, nothing else: not identifiable
    bow = nx.DiGraph([("u", "x"), ("u", "y"), ("x", "y")])
    r = identify(bow, "x", "y", {"u"}, None)
    assert not r.identifiable and r.method == "none" and "hedge" in r.reason and "u" in r.reason
    assert r.hedge == ["x", "y"]
    # a measured confounder: backdoor
    r = identify(nx.DiGraph([("c", "x"), ("c", "y"), ("x", "y")]), "x", "y", set(), ["c"])
    assert r.method == "backdoor" and r.estimand == "Σ_{c} P(y | x, c) P(c)"
    # neither backdoor nor front-door, but the ID algorithm (the Napkin graph)
    napkin = nx.DiGraph([("w", "r"), ("r", "x"), ("x", "y"), ("u1", "w"), ("u1", "x"), ("u2", "w"), ("u2", "y")])
    r = identify(napkin, "x", "y", {"u1", "u2"}, None)
    assert (r.identifiable, r.method) == (True, "ID algorithm")


def test_adjust_with_an_unmeasured_confounder_says_whether_and_why():
    g = nx.MultiDiGraph()
    for u, v in [("genes", "X"), ("genes", "Y"), ("X", "M"), ("M", "Y")]:
        g.add_edge(u, v, key=f"{u}_{v}", sign=1, status="supported", strength=2)
    r = adjust(g, "X", "Y", unmeasured=["genes"])
    assert not r.identifiable and r.identification is not None
    assert r.identification.identifiable and r.identification.method == "front-door"
    assert "Identification (identifiable)" in r.text() and "front-door" in r.text()
    g.remove_edge("M", "Y", key="M_Y")
    g.add_edge("X", "Y", key="X_Y", sign=1, status="supported", strength=2)
    r = adjust(g, "X", "Y", unmeasured=["genes"])
    assert r.identification is not None and not r.identification.identifiable
    assert "genes" in r.identification.reason
    assert r.as_dict()["identification"]["identifiable"] is False
