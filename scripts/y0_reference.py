"""Generate the vendored y0 identification results gutkg's own ID algorithm is tested against.

y0 (https://github.com/y0-causal-inference/y0) implements the ID algorithm of Shpitser and Pearl. It
is not a gutkg dependency (it pulls in scikit-learn and statsmodels), so this script runs once in a
separate environment with y0 installed and writes ``tests/data/y0/reference.json``: seeded random
acyclic directed mixed graphs, an exposure and an outcome, and whether y0 identifies the effect (with
its estimand). ``tests/test_causal_identify.py`` compares gutkg's verdicts with these.

    python -m venv /tmp/y0 && /tmp/y0/bin/pip install y0
    /tmp/y0/bin/python scripts/y0_reference.py
"""

from __future__ import annotations

import json
import random
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "y0" / "reference.json"


def main(n: int = 300, seed: int = 14) -> None:
    from y0.algorithm.identify import identify_outcomes
    from y0.dsl import Variable
    from y0.graph import NxMixedGraph

    rng = random.Random(seed)
    cases = []
    for i in range(n):
        k = rng.randint(3, 7)
        names = [f"v{j}" for j in range(k)]
        p, q = rng.choice([0.3, 0.5]), rng.choice([0.15, 0.3, 0.45])
        directed = [(names[a], names[b]) for a in range(k) for b in range(a + 1, k) if rng.random() < p]
        bidirected = [(names[a], names[b]) for a in range(k) for b in range(a + 1, k) if rng.random() < q]
        a, b = sorted(rng.sample(range(k), 2))
        x, y = names[a], names[b]
        graph = NxMixedGraph.from_str_edges(nodes=names, directed=directed, undirected=bidirected)
        estimand = identify_outcomes(graph, Variable(x), Variable(y))
        cases.append(
            {
                "name": f"admg-{i}",
                "nodes": names,
                "directed": directed,
                "bidirected": bidirected,
                "exposure": x,
                "outcome": y,
                "identifiable": estimand is not None,
                "y0_estimand": None if estimand is None else str(estimand),
            }
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {"y0_version": version("y0"), "generated_by": "scripts/y0_reference.py", "seed": seed, "cases": cases},
            indent=1,
        )
        + "\n"
    )
    print(f"{len(cases)} cases, {sum(c['identifiable'] for c in cases)} identifiable (y0 {version('y0')})")


if __name__ == "__main__":
    main()
