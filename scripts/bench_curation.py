"""Curation figures: ``gutkg add claim --dry-run`` validating the whole graph vs only what it changes.

All on a private copy of graph/ (``--graph``), fresh process each, wall and CPU seconds, median of
``--runs`` (default 5), in one run so the figures are comparable:

* **whole graph, rdflib** (the validation before issue 16): the same command with ``Draft.focus``
  returning ``None``, so SHACL runs on the whole graph, and the draft held in an rdflib store, as
  it was (the referential and curation checks then run on rdflib);
* **incremental, cache empty**: the first write on a graph computes the graph's SHACL results once
  (:mod:`gutkg.curation.shaclcache`), then validates the change's nodes;
* **incremental, cache warm**: every later write or dry run: SHACL on the change's nodes only.

The referential and curation checks run on the whole graph in all three (on Oxigraph in the last two).

Usage: .venv/bin/python scripts/bench_curation.py [--runs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUTKG = str(Path(sys.executable).parent / "gutkg")
#: The CLI with the whole-graph validation the incremental one replaces.
WHOLE = (
    "import sys; import gutkg.store as S; from gutkg.curation.draft import Draft; real = S.new_store; "
    "S.new_store = lambda spec='memory', **o: real('memory' if spec == 'oxigraph' else spec, **o); "
    "Draft.focus = lambda self: None; from gutkg.cli import main; sys.argv[0] = 'gutkg'; main()"
)
EVIDENCE = (
    "source=peng2009,type=ECO:0000179,species=mouse,model=in-vivo,direction=experimental intervention,"
    "strength=weak,description=Benchmark item."
)


def add_claim(graph: Path) -> list[str]:
    """A valid new claim on the bundled graph (dry run: nothing is written)."""
    return [
        *("add", "claim", "--graph", str(graph), "--cause", "gliadin", "--effect", "type 1 diabetes"),
        *("--sign", "increases", "--status", "supported", "--mechanism", "Benchmark."),
        *("--evidence", EVIDENCE, "--dry-run"),
    ]


def timed(
    cmd: list[str], env: dict[str, str], runs: int, before: Callable[[], object] | None = None
) -> dict[str, float]:
    """Median wall and CPU seconds of ``cmd`` (each run a fresh process; ``before`` runs untimed first)."""
    walls, cpus = [], []
    for _ in range(runs):
        if before is not None:
            before()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env}, check=False)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
        if done.returncode != 0 or "dry run: valid" not in done.stdout:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout}{done.stderr}")
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "graph"
        shutil.copytree(ROOT / "graph", graph)
        cache = Path(tmp) / "cache"
        env = {"GUTKG_CACHE": str(cache)}
        argv = add_claim(graph)
        figures = {
            "whole graph, rdflib (before)": timed([PY, "-c", WHOLE, *argv], env, args.runs),
            "incremental, cache empty": timed(
                [GUTKG, *argv], env, args.runs, before=lambda: shutil.rmtree(cache, ignore_errors=True)
            ),
            "incremental, cache warm": timed([GUTKG, *argv], env, args.runs),
        }
    base = figures["whole graph, rdflib (before)"]["wall"]
    print(f"gutkg add claim --dry-run on a copy of graph/ (median of {args.runs}, fresh process each)")
    for name, f in figures.items():
        print(f"  {name:<30} {f['wall']:6.2f} s wall  {f['cpu']:6.2f} s CPU  ({f['wall'] / base:4.2f}x whole)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
