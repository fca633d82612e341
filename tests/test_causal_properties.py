"""Property tests for the causal-inference analyses on random graphs (hypothesis).

Each reported answer is checked against its definition with networkx's d-separation, independently of
how it was found: implications hold and are minimal, instruments are instruments, the time-unrolling
loses no causal chain and its adjustment sets (with unmeasured concepts) block every backdoor path,
acyclification joins every loop, and the identification criteria agree with the ID algorithm.
"""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gutkg.analysis.adjust import adjust
from gutkg.analysis.core import causal_view
from gutkg.analysis.identify import Hedge, Prob, front_door, id_algorithm, project
from gutkg.analysis.implications import acyclify, minimal_implications
from gutkg.analysis.instruments import backdoor_graph, conditional_instruments, d_connected
from gutkg.analysis.unroll import at, concept_of, unroll

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def dags(draw, max_nodes=8):
    n = draw(st.integers(3, max_nodes))
    names = [f"v{i}" for i in range(n)]
    pairs = [(names[a], names[b]) for a in range(n) for b in range(a + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    dag = nx.DiGraph(edges)
    dag.add_nodes_from(names)
    latent = set(draw(st.lists(st.sampled_from(names), unique=True, max_size=2)))
    return dag, latent


@st.composite
def loopy_claims(draw, max_nodes=6):
    n = draw(st.integers(2, max_nodes))
    names = [f"c{i}" for i in range(n)]
    pairs = [(a, b) for a in names for b in names if a != b]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=12))
    g = nx.MultiDiGraph()
    g.add_nodes_from(names)
    for u, v in edges:
        g.add_edge(u, v, key=f"{u}_{v}", sign=draw(st.sampled_from([1, -1])), status="supported", strength=2)
    return g


@FAST
@given(dags())
def test_every_implication_holds_and_is_minimal(case):
    dag, latent = case
    rows, _ = minimal_implications(dag, latent)
    for a, b, sets in rows:
        assert a not in latent and b not in latent and not dag.has_edge(a, b) and not dag.has_edge(b, a)
        for z in sets:
            assert not set(z) & latent
            assert nx.is_d_separator(dag, {a}, {b}, set(z))
            assert all(not nx.is_d_separator(dag, {a}, {b}, set(z) - {w}) for w in z)


@FAST
@given(dags(), st.data())
def test_every_instrument_is_an_instrument(case, data):
    dag, latent = case
    x, y = data.draw(st.lists(st.sampled_from(sorted(dag)), min_size=2, max_size=2, unique=True))
    if nx.has_path(dag, y, x):
        x, y = y, x
    bd = backdoor_graph(dag, x, y)
    for z, w in conditional_instruments(dag, x, y, latent):
        assert z not in latent and not set(w) & latent and x not in w
        assert not set(w) & (nx.descendants(bd, y) | {y})
        assert not nx.is_d_separator(bd, {x}, {z}, set(w))  # relevant: z reaches x given w
        assert nx.is_d_separator(bd, {z}, {y}, set(w))  # exclusion: only through x


@FAST
@given(loopy_claims(), st.data())
def test_unrolling_keeps_every_chain_and_sets_block_every_backdoor_with_unmeasured(g, data):
    e, o = data.draw(st.lists(st.sampled_from(sorted(g)), min_size=2, max_size=2, unique=True))
    hidden = data.draw(st.lists(st.sampled_from(sorted(set(g) - {e, o}) or ["none"]), unique=True, max_size=1))
    r = adjust(g, e, o, unmeasured=hidden, max_length=4)
    view = causal_view(g)
    u = unroll(view, e, o, 4)
    assert nx.is_directed_acyclic_graph(u.dag)
    for path in nx.all_simple_paths(view, e, o, cutoff=4):
        steps = [at(n, 1 + i) for i, n in enumerate(path)] if u.unrolled else path
        assert all(u.dag.has_edge(a, b) for a, b in pairwise(steps))
    bd = u.dag.copy()
    bd.remove_edges_from(list(u.dag.out_edges(u.exposure)))
    for s in r.adjustment_sets:
        assert not set(s) & set(hidden)
        z = {v for v in u.baseline if concept_of(v) in s}
        assert nx.is_d_separator(bd, {u.exposure}, {u.outcome}, z)
    assert r.identification is not None
    if r.adjustment_sets:
        assert r.identification.method == "backdoor"


@FAST
@given(loopy_claims())
def test_acyclification_is_a_dag_that_joins_every_loop(g):
    view = causal_view(g)
    dag, _ = acyclify(view)
    assert nx.is_directed_acyclic_graph(dag)
    for comp in nx.strongly_connected_components(view):
        for a in comp:
            for b in comp - {a}:
                assert not nx.is_d_separator(dag, {a}, {b}, set(view) - {a, b})
    for u, v in view.edges:  # every claim survives as a dependence
        assert not nx.is_d_separator(dag, {u}, {v}, set(view) - {u, v})


@FAST
@given(dags(), st.data())
def test_backdoor_and_front_door_imply_identifiable_by_the_id_algorithm(case, data):
    dag, latent = case
    x, y = (
        data.draw(st.lists(st.sampled_from(sorted(set(dag) - latent) or ["v0"]), min_size=2, max_size=2, unique=True))
        if len(set(dag) - latent) >= 2
        else ("v0", "v1")
    )
    latent -= {x, y}
    if nx.has_path(dag, y, x):
        x, y = y, x
    bd = dag.copy()
    bd.remove_edges_from(list(dag.out_edges(x)))
    allowed = set(dag) - latent - nx.descendants(dag, x) - {x, y}
    backdoor = nx.find_minimal_d_separator(bd, {x}, {y}, restricted=allowed) is not None
    fd = front_door(dag, x, y, latent) is not None
    g = project(dag, latent)
    try:
        id_algorithm(frozenset({y}), frozenset({x}), Prob(g.nodes), g)
        identified = True
    except Hedge:
        identified = False
    if backdoor or fd:
        assert identified


@FAST
@given(dags(), st.data())
def test_bayes_ball_agrees_with_networkx(case, data):
    dag, _ = case
    a, b = data.draw(st.lists(st.sampled_from(sorted(dag)), min_size=2, max_size=2, unique=True))
    z = set(data.draw(st.lists(st.sampled_from(sorted(set(dag) - {a, b}) or [a]), unique=True, max_size=3))) - {a}
    assert d_connected(dag, a, b, z) == (not nx.is_d_separator(dag, {a}, {b}, z))
