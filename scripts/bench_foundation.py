"""Foundation figures: CLI start-up, and reopening the Oxigraph cache vs parsing again.

* ``gutkg --help``, ``gutkg show zonulin`` and ``gutkg explain dysbiosis "autoimmune disease"`` wall
  time, fresh process each, median of 5, beside the bare interpreter (``python -c pass``);
  ``show`` with the default in-memory store and with ``--store oxigraph`` (the cache warm);
  ``explain`` warm (the projected network read back from gutkg.netcache; target < 0.5 s) and cold
  (the network cache emptied before each run: parse and project, median of 3);
* on a synthetic file of about 50,000 triples: gutkg's first ``load(store="oxigraph")`` (parse and
  persist), then reopening it (``load`` again, files unchanged; median of 5), beside parsing the
  same file again with pyoxigraph in memory (median of 5) and with rdflib (median of 3).

Usage: .venv/bin/python scripts/bench_foundation.py [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PY = sys.executable
EXPLAIN_WARM = 'gutkg explain dysbiosis "autoimmune disease" (network cache warm)'
EXPLAIN_COLD = 'gutkg explain dysbiosis "autoimmune disease" (network cache empty, median of 3)'
GUTKG = str(Path(sys.executable).parent / "gutkg")


#: Median CPU seconds (user + system) of the child process, by command, for the last wall() of it:
#: on a busy machine the wall time includes waiting for a core, the CPU time does not.
CPU: dict[str, float] = {}


def wall(cmd: list[str], env: dict[str, str], runs: int = 5, before: Callable[[], object] | None = None) -> float:
    import resource

    times, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env={**os.environ, **env})
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
    CPU[" ".join(cmd)] = statistics.median(cpu)
    return statistics.median(times)


def median_of(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="gutkg-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {"GUTKG_CACHE": str(tmp / "cache")}
        subprocess.run(
            [GUTKG, "info", "--store", "oxigraph"], env={**os.environ, **env}, stdout=subprocess.DEVNULL, check=True
        )  # warm the bundled graph's cache
        out["python -c pass"] = wall([PY, "-c", "pass"], env)
        out["gutkg --help"] = wall([GUTKG, "--help"], env)
        out["gutkg show zonulin (memory)"] = wall([GUTKG, "show", "zonulin"], env)
        out["gutkg show zonulin (--store oxigraph, warm)"] = wall(
            [GUTKG, "show", "zonulin", "--store", "oxigraph"], env
        )
        explain = [GUTKG, "explain", "dysbiosis", "autoimmune disease"]
        netcache = tmp / "cache" / "network"
        out[EXPLAIN_COLD] = wall(explain, env, runs=3, before=lambda: shutil.rmtree(netcache, ignore_errors=True))
        out[EXPLAIN_WARM] = wall(explain, env)  # the last cold run left the entry
        out["explain warm, CPU"] = CPU[" ".join(explain)]
        out["python -c pass, CPU"] = CPU[f"{PY} -c pass"]

        import pyoxigraph
        import rdflib

        from gutkg.synthetic import synthetic_turtle

        path = tmp / "synthetic.ttl"
        path.write_text(synthetic_turtle(560, 2800, 0), encoding="utf-8")
        os.environ["GUTKG_CACHE"] = env["GUTKG_CACHE"]
        from gutkg.loading import load

        t0 = time.perf_counter()
        first = load([path], store="oxigraph")
        out["first load (parse + persist)"] = time.perf_counter() - t0
        out["triples"] = len(first)
        del first
        out["reopen (load again, unchanged)"] = median_of(lambda: load([path], store="oxigraph"), 5)

        def ox_parse() -> None:
            pyoxigraph.Store().bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)

        out["re-parse, pyoxigraph in memory"] = median_of(ox_parse, 5)
        out["re-parse, rdflib Graph.parse"] = median_of(lambda: rdflib.Graph().parse(str(path), format="turtle"), 3)

    floor = out["python -c pass"]
    reopen = out["reopen (load again, unchanged)"]
    print(
        f"gutkg foundation benchmark (Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
        "CLI: fresh process, median of 5)"
    )
    print("| measure | time | baseline | ratio |")
    print("|---|---:|---|---:|")
    for name in (
        "gutkg --help",
        "gutkg show zonulin (memory)",
        "gutkg show zonulin (--store oxigraph, warm)",
        EXPLAIN_WARM,
        EXPLAIN_COLD,
    ):
        print(
            f"| {name} | {out[name] * 1000:.0f} ms | python -c pass {floor * 1000:.0f} ms "
            f"| {out[name] / floor:.1f}x the floor |"
        )
    warm = out[EXPLAIN_WARM]
    print(
        f"| {EXPLAIN_WARM} | {warm * 1000:.0f} ms | target 500 ms | "
        f"{'met' if warm < 0.5 else 'NOT met'}; {out[EXPLAIN_COLD] / warm:.1f}x faster than cold |"
    )
    print(
        f"| same, CPU time (user + system) | {out['explain warm, CPU'] * 1000:.0f} ms | python -c pass "
        f"{out['python -c pass, CPU'] * 1000:.0f} ms CPU | load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs |"
    )
    print(
        f"| first load of {out['triples']:,} triples (parse + persist) "
        f"| {out['first load (parse + persist)'] * 1000:.0f} ms | | |"
    )
    for name in ("re-parse, pyoxigraph in memory", "re-parse, rdflib Graph.parse"):
        print(
            f"| reopen the cache | {reopen * 1000:.1f} ms | {name} {out[name] * 1000:.0f} ms "
            f"| {out[name] / reopen:.0f}x faster |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
