"""Time-unrolling: a DAG for adjustment when the causal graph has feedback loops.

The backdoor criterion needs a DAG; feedback loops (A raises B, B raises A) are cycles. Cutting
claims to break them can delete the exposure's real forward chains (if the exposure X reaches n1, n1
reaches n2 and n2 feeds back on X, cutting "the claims into n2" deletes X → n1 → n2 → Y). Unrolling
loses nothing:

* every concept of the ancestral graph of the exposure and the outcome becomes one variable per
  time step, ``v@0 … v@K``;
* every claim u → v becomes ``u@t → v@t+1`` (a cause acts on the next step), and every concept
  persists, ``v@t → v@t+1``;
* the exposure is ``X@1`` (set after a baseline step), the outcome ``Y@K`` with K = 1 + the longest
  chain considered, so every chain X → … → Y of at most that many claims reaches ``Y@K``
  (shorter ones through persistence);
* adjustment sets are drawn from baseline variables ``v@0``: values measured before the exposure,
  never its consequences.

The question answered is then explicit: **the short-run effect of setting the exposure (after a
baseline) on the outcome K steps later**, given baseline values. When exposure and outcome lie on a
common feedback loop, the *equilibrium* effect (after the loop has settled) is not identified by any
covariate set: the result says so. When the ancestral graph has no loop, no unrolling is done and the
graph itself is the DAG (so results agree with DAGitty on DAGs).

References
----------
Pearl J (2009) Causality, 2nd ed., ch. 3. Hernán MA, Robins JM (2020) Causal Inference: What If,
ch. 19-21 (time-varying treatments, adjustment for baseline and lagged values). Bongers S et al.
(2021) Foundations of structural causal models with cycles and latent variables. Ann Stat
49(5):2885-2915 (equilibrium effects in cyclic models).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

SEP = "@"


def at(node: str, t: int) -> str:
    """The variable for ``node`` at step ``t``.

    >>> at("dysbiosis", 0)
    'dysbiosis@0'
    """
    return f"{node}{SEP}{t}"


def concept_of(var: str) -> str:
    """The concept a variable of the unrolled DAG stands for (the variable itself if not unrolled)."""
    return var.rsplit(SEP, 1)[0] if SEP in var else var


@dataclass
class Unrolled:
    """The DAG used for adjustment and how it was obtained."""

    dag: nx.DiGraph
    exposure: str
    outcome: str
    unrolled: bool
    steps: int
    loop_with_outcome: bool
    baseline: set[str]

    def describe(self) -> str:
        if not self.unrolled:
            return (
                "the ancestral graph of the exposure and the outcome has no feedback loop: it is used as it is (a DAG)"
            )
        return (
            f"feedback loops unrolled into {self.steps + 1} time steps (claims act on the next step, "
            f"every concept persists); exposure set at step 1, outcome read at step {self.steps}; "
            "adjustment sets use baseline values (step 0), measured before the exposure"
        )


def unroll(view: nx.DiGraph, exposure: str, outcome: str, max_length: int) -> Unrolled:
    """The DAG of the module docstring for the effect of ``exposure`` on ``outcome``."""
    import networkx as nx

    keep = nx.ancestors(view, exposure) | nx.ancestors(view, outcome) | {exposure, outcome}
    g = nx.DiGraph(view.subgraph(keep).edges())
    g.add_nodes_from(keep)
    loop_with_outcome = outcome in nx.ancestors(g, exposure) and exposure in nx.ancestors(g, outcome)
    if nx.is_directed_acyclic_graph(g):
        return Unrolled(
            dag=g,
            exposure=exposure,
            outcome=outcome,
            unrolled=False,
            steps=0,
            loop_with_outcome=False,
            baseline=set(g) - {exposure},
        )
    steps = 1 + max_length
    dag = nx.DiGraph()
    for t in range(steps + 1):
        dag.add_nodes_from(at(n, t) for n in g)
    for t in range(steps):
        dag.add_edges_from((at(u, t), at(v, t + 1)) for u, v in g.edges)
        dag.add_edges_from((at(n, t), at(n, t + 1)) for n in g)
    return Unrolled(
        dag=dag,
        exposure=at(exposure, 1),
        outcome=at(outcome, steps),
        unrolled=True,
        steps=steps,
        loop_with_outcome=loop_with_outcome,
        baseline={at(n, 0) for n in g},
    )


__all__ = ["Unrolled", "at", "concept_of", "unroll"]
