"""Property tests (hypothesis) on random graphs: the analyses agree with brute force / networkx."""

from __future__ import annotations

import math
from itertools import pairwise, product

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gutkg.analysis.core import causal_view
from gutkg.analysis.filters import EvidenceFilter, apply_filter
from gutkg.analysis.loops import bounded_cycles, find_loops
from gutkg.analysis.paths import find_paths

STATUSES = ("established", "supported", "hypothesised", "contested", "refuted")
SYSTEMS = ("human", "mouse", "in vitro")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def canon(cycle):
    i = cycle.index(min(cycle))
    return tuple(cycle[i:] + cycle[:i])


@st.composite
def digraphs(draw, max_nodes=9):
    n = draw(st.integers(1, max_nodes))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    return g


@st.composite
def claim_graphs(draw, max_nodes=7, max_claims=22):
    """A MultiDiGraph with the attributes of gutkg.network (signs, statuses, evidence)."""
    from gutkg.network import summarise

    n = draw(st.integers(2, max_nodes))
    g = nx.MultiDiGraph(questions={}, hypotheses={}, broader={})
    for i in range(n):
        g.add_node(f"n{i}", label=f"n{i}", category="state")
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.sampled_from([1, -1, 0]),
                st.sampled_from(STATUSES),
                st.lists(st.tuples(st.sampled_from(SYSTEMS), st.integers(1, 4), st.booleans()), max_size=2),
            ),
            max_size=max_claims,
        )
    )
    for u, v, sign, status, items in rows:
        key = f"n{u}__{sign}__n{v}"
        if g.has_edge(f"n{u}", f"n{v}", key):
            continue
        evidence = [
            {
                "id": f"{key}.e{j}",
                "stance": "supports" if sup else "opposes",
                "system": system,
                "strength": strength,
                "direction": "temporal",
                "design_label": "",
                "citation": f"Ref{j} 2020",
            }
            for j, (system, strength, sup) in enumerate(items)
        ]
        attrs = summarise(
            {"sign": sign, "sign_label": str(sign), "status": status, "evidence": evidence, "hypotheses": []}
        )
        g.add_edge(f"n{u}", f"n{v}", key=key, **attrs)
    return g


@FAST
@given(digraphs(), st.integers(1, 6))
def test_bounded_cycles_equal_networkx_simple_cycles(g, k):
    ours = [canon(c) for c in bounded_cycles(g, k)]
    assert len(ours) == len(set(ours)), "each cycle reported once"
    assert set(ours) == {canon(c) for c in nx.simple_cycles(g, length_bound=k)}
    for c in ours:
        assert len(c) <= k and all(g.has_edge(u, v) for u, v in pairwise([*c, c[0]]))


@FAST
@given(digraphs(), st.integers(1, 5), st.data())
def test_cycles_through_a_node_equal_the_filtered_cycles(g, k, data):
    x = data.draw(st.sampled_from(sorted(g)))
    ours = [canon(c) for c in bounded_cycles(g, k, through=x)]
    assert len(ours) == len(set(ours))
    assert set(ours) == {canon(c) for c in nx.simple_cycles(g, length_bound=k) if x in c}


@FAST
@given(claim_graphs(), st.integers(1, 5))
def test_every_loop_is_a_cycle_of_claims_with_the_product_sign(g, k):
    r = find_loops(g, max_length=k, limit=10_000, budget=None)
    view = causal_view(g)
    expected = sum(
        math.prod(len(view.edges[u, v]["claims"]) for u, v in pairwise([*c, c[0]]))
        for c in nx.simple_cycles(view, length_bound=k)
    )
    assert r.loops_found == len(r.loops) == expected
    for lp in r.loops:
        assert len(set(lp.nodes)) == len(lp.nodes) == lp.length <= k
        assert [h.cause for h in lp.hops] == lp.nodes
        for h, nxt in zip(lp.hops, [*lp.hops[1:], lp.hops[0]], strict=True):
            assert h.effect == nxt.cause
            data = g.edges[h.cause, h.effect, h.claim]
            assert data["sign"] == h.sign != 0 and data["status"] != "refuted"
        assert lp.sign == math.prod(g.edges[h.cause, h.effect, h.claim]["sign"] for h in lp.hops)
        assert lp.kind == ("reinforcing" if lp.sign > 0 else "balancing")
    keys = [lp.rank_key() for lp in r.loops]
    assert keys == sorted(keys)


@FAST
@given(claim_graphs(), st.integers(1, 4), st.data())
def test_paths_are_chains_with_product_sign_and_match_brute_force(g, k, data):
    a, b = data.draw(st.lists(st.sampled_from(sorted(g)), min_size=2, max_size=2, unique=True))
    r = find_paths(g, a, b, max_length=k, limit=100_000, budget=None)
    view = causal_view(g)
    brute = set()
    for nodes in nx.all_simple_paths(view, a, b, cutoff=k):
        for keys in product(*(view.edges[u, v]["claims"] for u, v in pairwise(nodes))):
            brute.add(keys)
    assert {tuple(h.claim for h in p.hops) for p in r.paths} == brute
    for p in r.paths:
        assert p.nodes[0] == a and p.nodes[-1] == b and len(set(p.nodes)) == len(p.nodes)
        assert p.sign == math.prod(h.sign for h in p.hops)
        assert all(h.effect == n.cause for h, n in pairwise(p.hops))
    keys = [p.rank_key() for p in r.paths]
    assert keys == sorted(keys)


@FAST
@given(claim_graphs(), st.integers(1, 3), st.data())
def test_limited_paths_are_the_best_ones(g, limit, data):
    a, b = data.draw(st.lists(st.sampled_from(sorted(g)), min_size=2, max_size=2, unique=True))
    every = find_paths(g, a, b, max_length=4, limit=100_000, budget=None).paths
    best = find_paths(g, a, b, max_length=4, limit=limit, budget=None).paths
    assert [p.rank_key()[:3] for p in best] == [p.rank_key()[:3] for p in every[:limit]]


@FAST
@given(claim_graphs(), st.integers(2, 4), st.data())
def test_every_common_cause_is_an_ancestor_of_both(g, k, data):
    from gutkg.analysis.explain import explain

    a, b = data.draw(st.lists(st.sampled_from(sorted(g)), min_size=2, max_size=2, unique=True))
    e = explain(g, a, b, max_length=k, limit=1000, budget=None)
    view = causal_view(g)
    without_b, without_a = view.subgraph(set(view) - {b}), view.subgraph(set(view) - {a})
    brute = sorted(
        c
        for c in view
        if c not in (a, b)
        and nx.has_path(without_b, c, a)
        and nx.has_path(without_a, c, b)
        and nx.shortest_path_length(without_b, c, a) <= k
        and nx.shortest_path_length(without_a, c, b) <= k
    )
    assert e.common_cause_ids == brute
    for c in e.common_causes:
        assert c.node in nx.ancestors(view, a) and c.node in nx.ancestors(view, b)
        assert c.to_a.nodes[0] == c.to_b.nodes[0] == c.node
        assert c.to_a.nodes[-1] == a and b not in c.to_a.nodes
        assert c.to_b.nodes[-1] == b and a not in c.to_b.nodes
    for lp in e.loops:
        assert a in lp.nodes and b in lp.nodes


filters = st.builds(
    EvidenceFilter,
    species=st.lists(st.sampled_from(SYSTEMS), max_size=2).map(tuple),
    min_strength=st.sampled_from([None, "minimal", "weak", "moderate", "strong"]),
    status=st.lists(st.sampled_from(STATUSES), max_size=2, unique=True).map(tuple),
    design=st.lists(st.sampled_from(["temporal", "interventional"]), max_size=1).map(tuple),
    exclude_contested=st.booleans(),
)


@FAST
@given(claim_graphs(), filters)
def test_filters_never_add_edges_evidence_or_strength(g, flt):
    out = apply_filter(g, flt)
    assert set(out.edges(keys=True)) <= set(g.edges(keys=True))
    assert set(out) == set(g)
    for u, v, k, d in out.edges(keys=True, data=True):
        before = g.edges[u, v, k]
        assert d["strength"] <= before["strength"]
        assert {e["id"] for e in d["evidence"]} <= {e["id"] for e in before["evidence"]}
    view_before, view_after = causal_view(g), causal_view(out)
    assert set(view_after.edges) <= set(view_before.edges)


@FAST
@given(claim_graphs(), st.data())
def test_unrolled_graph_is_acyclic_keeps_every_chain_and_sets_block_every_backdoor(g, data):
    from gutkg.analysis.adjust import adjust
    from gutkg.analysis.unroll import at, concept_of, unroll

    e, o = data.draw(st.lists(st.sampled_from(sorted(g)), min_size=2, max_size=2, unique=True))
    r = adjust(g, e, o, max_length=4)
    view = causal_view(g)
    u = unroll(view, e, o, 4)
    assert nx.is_directed_acyclic_graph(u.dag)
    # no causal chain is lost: every chain of at most 4 claims from e to o in the view has its
    # time-indexed copy in the unrolled DAG
    for path in nx.all_simple_paths(view, e, o, cutoff=4):
        if u.unrolled:
            steps = [at(n, 1 + i) for i, n in enumerate(path)]
            assert all(u.dag.has_edge(a, b) for a, b in pairwise(steps))
        else:
            assert all(u.dag.has_edge(a, b) for a, b in pairwise(path))
    assert r.effect_possible == nx.has_path(view, e, o)
    bd = u.dag.copy()
    bd.remove_edges_from(list(u.dag.out_edges(u.exposure)))
    desc = nx.descendants(u.dag, u.exposure)
    for s in r.adjustment_sets:
        z = {v for v in u.baseline if concept_of(v) in s}
        assert not z & desc and u.exposure not in z and u.outcome not in z
        assert nx.is_d_separator(bd, {u.exposure}, {u.outcome}, z)
