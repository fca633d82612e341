"""Generate the vendored DAGitty outputs the causal-inference tests compare gutkg with.

Runs DAGitty's own JavaScript engine (``r/inst/js/dagitty-alg.js`` from its public source, through
``scripts/dagitty_runner.js`` and node) once on seeded random DAGs and on the analysed DAGs of the
bundled graph, and writes ``tests/data/dagitty/reference.json`` with DAGitty's adjustment sets,
implications and instruments and the commit they came from. Run it again only when the cases change:

    .venv/bin/python scripts/dagitty_reference.py --dagitty-git /path/to/dagitty.git

``--dagitty-git`` is a git directory of https://github.com/jtextor/dagitty (a bare clone works).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "dagitty" / "reference.json"
BUNDLED = [
    ("dysbiosis", "autoimmune disease", ["genetic susceptibility"]),
    ("obesity", "insulin resistance", []),
    ("zonulin", "increased intestinal permeability", []),
    ("bacterial translocation", "increased intestinal permeability", []),
]


def random_cases(n: int, seed: int) -> list[dict]:
    import networkx as nx

    from gutkg.analysis.adjust import to_dagitty

    rng = random.Random(seed)
    cases = []
    for i in range(n):
        k = rng.randint(6, 10)
        names = [f"v{j}" for j in range(k)]
        dag = nx.DiGraph()
        dag.add_nodes_from(names)
        p = rng.choice([0.15, 0.25, 0.35])
        dag.add_edges_from((names[a], names[b]) for a in range(k) for b in range(a + 1, k) if rng.random() < p)
        a, b = sorted(rng.sample(range(k), 2))
        x, y = names[a], names[b]
        latent = {v for v in names if v not in (x, y) and rng.random() < 0.2}
        cases.append(
            {
                "name": f"random-{i}",
                "dag": to_dagitty(dag, x, y, latent),
                "exposure": x,
                "outcome": y,
                "latent": sorted(latent),
                "forbidden": [],
                "adjust": True,
                "instruments": True,
                "implications": True,
            }
        )
    return cases


def bundled_cases() -> list[dict]:
    import gutkg
    from gutkg.analysis.adjust import analysed, to_dagitty
    from gutkg.analysis.implications import implications
    from gutkg.analysis.unroll import concept_of

    kg = gutkg.load()
    cases = []
    for x, y, hidden in BUNDLED:
        an = analysed(kg.network, kg.id(x), kg.id(y), unmeasured=[kg.id(h) for h in hidden])
        u = an.unrolled
        latent = {v for v in u.dag if concept_of(v) in an.hidden}
        # gutkg draws sets from baseline values only: the other variables are forbidden in DAGitty too
        forbidden = sorted(set(u.dag) - latent - an.restricted - {u.exposure, u.outcome})
        cases.append(
            {
                "name": f"bundled: {x} -> {y}",
                "dag": to_dagitty(u.dag, u.exposure, u.outcome, latent),
                "exposure": u.exposure,
                "outcome": u.outcome,
                "latent": sorted(latent),
                "forbidden": forbidden,
                "adjust": True,
                "instruments": True,
                "implications": False,
            }
        )
    imp = implications(kg.network)
    cases.append(
        {
            "name": "bundled: implications (acyclified causal graph)",
            "dag": imp.dagitty,
            "exposure": "",
            "outcome": "",
            "latent": [],
            "forbidden": [],
            "adjust": False,
            "instruments": False,
            "implications": True,
        }
    )
    return cases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dagitty-git", required=True, help="git directory of jtextor/dagitty")
    ap.add_argument("--random", type=int, default=150, help="number of random DAGs")
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args()
    git = ["git", "--git-dir", args.dagitty_git]
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    alg = subprocess.run(
        [*git, "show", "HEAD:r/inst/js/dagitty-alg.js"], capture_output=True, text=True, check=True
    ).stdout
    cases = random_cases(args.random, args.seed) + bundled_cases()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "dagitty-alg.js").write_text(alg)
        run = subprocess.run(
            ["node", str(ROOT / "scripts" / "dagitty_runner.js"), str(Path(tmp) / "dagitty-alg.js")],
            input=json.dumps(cases),
            capture_output=True,
            text=True,
            check=True,
        )
    results = json.loads(run.stdout)
    for case, res in zip(cases, results, strict=True):
        case["dagitty"] = {k: v for k, v in res.items() if k != "name"}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "dagitty_repository": "https://github.com/jtextor/dagitty",
                "dagitty_commit": commit,
                "engine": "r/inst/js/dagitty-alg.js",
                "generated_by": "scripts/dagitty_reference.py",
                "seed": args.seed,
                "cases": cases,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"{len(cases)} cases from DAGitty {commit[:12]} -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
