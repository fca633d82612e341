"""gutkg's adjustment sets, implications and instruments against DAGitty's own engine.

The expected outputs were produced once by ``scripts/dagitty_reference.py``, which runs DAGitty's
JavaScript engine (``r/inst/js/dagitty-alg.js``, commit recorded in the file) on seeded random DAGs
and on the analysed DAGs of the bundled graph; they are vendored in ``tests/data/dagitty/``. Here
gutkg's algorithms run on the very same DAGs (parsed back from the DAGitty text) and must agree.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from gutkg.analysis.adjust import minimal_sets
from gutkg.analysis.implications import minimal_implications
from gutkg.analysis.instruments import conditional_instruments

REFERENCE = Path(__file__).parent / "data" / "dagitty" / "reference.json"
NODE = re.compile(r'^"((?:[^"\\]|\\.)*)"(?: \[(\w+)\])?$')
EDGE = re.compile(r'^"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)"$')


@cache
def reference() -> dict[str, Any]:
    return json.loads(REFERENCE.read_text())


def parse(text: str) -> nx.DiGraph:
    """The DAG of gutkg's own DAGitty text (:func:`gutkg.analysis.adjust.to_dagitty`); nodes marked
    latent carry ``latent=True``."""
    dag = nx.DiGraph()
    for line in text.splitlines()[1:-1]:
        if m := EDGE.match(line):
            dag.add_edge(m[1], m[2])
        elif m := NODE.match(line):
            dag.add_node(m[1], latent=m[2] == "latent")
        else:  # pragma: no cover - the vendored file is gutkg's own output
            raise AssertionError(f"unexpected DAGitty line {line!r}")
    return dag


def gutkg_sets(case: dict[str, Any], dag: nx.DiGraph) -> set[frozenset[str]]:
    x, y = case["exposure"], case["outcome"]
    bd = dag.copy()
    bd.remove_edges_from(list(dag.out_edges(x)))
    allowed = set(dag) - set(case["latent"]) - set(case["forbidden"]) - nx.descendants(dag, x) - {x, y}
    sets, truncated = minimal_sets(bd, x, y, allowed, max_sets=1000, max_tries=100000)
    assert not truncated
    return set(sets)


def cases(kind: str) -> list[dict[str, Any]]:
    return [c for c in reference()["cases"] if c[kind]]


def test_reference_records_dagitty_commit():
    ref = reference()
    assert re.fullmatch(r"[0-9a-f]{40}", ref["dagitty_commit"])
    assert len(cases("adjust")) >= 150 and len(cases("implications")) >= 150


@pytest.mark.parametrize("case", cases("adjust"), ids=lambda c: c["name"])
def test_adjustment_sets_equal_dagittys(case):
    dag = parse(case["dag"])
    expected = {frozenset(z) for z in case["dagitty"]["adjustment_sets"]}
    assert gutkg_sets(case, dag) == expected


@pytest.mark.parametrize("case", cases("instruments"), ids=lambda c: c["name"])
def test_instruments_equal_dagittys(case):
    dag = parse(case["dag"])
    assert {v for v, d in dag.nodes(data=True) if d["latent"]} == set(case["latent"])
    found = conditional_instruments(dag, case["exposure"], case["outcome"], set(case["latent"]))
    assert sorted(found) == sorted((z, w) for z, w in case["dagitty"]["instruments"])


@pytest.mark.parametrize("case", cases("implications"), ids=lambda c: c["name"])
def test_implications_equal_dagittys(case):
    dag = parse(case["dag"])
    latent = {v for v, d in dag.nodes(data=True) if d["latent"]}
    assert latent >= set(case["latent"])
    rows, capped = minimal_implications(dag, latent, max_total=10**6, max_per_pair=1000)
    assert not capped
    mine = {frozenset((a, b)): {frozenset(z) for z in sets} for a, b, sets in rows}
    theirs = {frozenset((a, b)): {frozenset(z) for z in sets} for a, b, sets in case["dagitty"]["implications"]}
    assert mine == theirs
