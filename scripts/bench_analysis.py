"""Benchmark gutkg's causal analyses against networkx's own functions, in one process.

For synthetic graphs (``gutkg.synthetic``) of 1k concepts / 5k claims and 10k / 50k (and, with
``--large``, 100k / 500k), on the same causal DiGraph:

* loops: ``gutkg.analysis.loops.bounded_cycles(view, k)`` vs ``networkx.simple_cycles(view,
  length_bound=k)``; networkx is stopped after ``--nx-timeout`` seconds (then the ratio is a lower
  bound, marked ``≥``), and the two cycle sets are compared (equal, or networkx's partial set is a
  subset of ours);
* paths: ``gutkg.analysis.paths.simple_paths`` vs ``networkx.all_simple_paths(cutoff=k)`` over the
  same source/target pairs, with equal counts checked;
* the full commands' library calls (``find_loops``, ``find_paths``, ``explain``), no baseline.

Usage: ``python scripts/bench_analysis.py [--large] [--length 4] [--nx-timeout 60] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any


def canon(cycle: list[Any]) -> tuple[Any, ...]:
    i = cycle.index(min(cycle))
    return tuple(cycle[i:] + cycle[:i])


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = func()
    return time.perf_counter() - t0, out


def capped(items: Iterable[Any], seconds: float) -> tuple[float, list[Any], bool]:
    """Consume ``items`` for at most ``seconds``: (elapsed, items, finished)."""
    t0 = time.perf_counter()
    out = []
    for x in items:
        out.append(x)
        if time.perf_counter() - t0 > seconds:
            return time.perf_counter() - t0, out, False
    return time.perf_counter() - t0, out, True


def pairs_with_paths(view: Any, n: int, rng: random.Random) -> list[tuple[str, str]]:
    """``n`` source/target pairs joined by at least one causal chain (same topic, reachable)."""
    import networkx as nx

    nodes = sorted(view)
    out: list[tuple[str, str]] = []
    tries = 0
    while len(out) < n and tries < 100 * n:
        tries += 1
        s = rng.choice(nodes)
        near = nx.single_source_shortest_path_length(view, s, cutoff=3)
        far = sorted(t for t, d in near.items() if d >= 2)
        if far:
            out.append((s, rng.choice(far)))
    return out


def bench_size(n: int, m: int, k: int, nx_timeout: float, seed: int) -> list[dict[str, Any]]:
    import networkx as nx

    from gutkg.analysis.core import causal_view
    from gutkg.analysis.explain import explain
    from gutkg.analysis.loops import bounded_cycles, find_loops
    from gutkg.analysis.paths import find_paths, simple_paths
    from gutkg.synthetic import synthetic_network

    rows: list[dict[str, Any]] = []
    size = f"{n // 1000}k/{m // 1000}k"
    t_gen, graph = timed(lambda: synthetic_network(n, m, seed, evidence=n <= 10_000))
    t_view, view = timed(lambda: causal_view(graph))
    print(
        f"[{size}] generated in {t_gen:.1f} s; causal view {view.number_of_nodes()} nodes, "
        f"{view.number_of_edges()} edges in {t_view:.2f} s",
        file=sys.stderr,
    )

    t_ours, ours = timed(lambda: [canon(c) for c in bounded_cycles(view, k)])
    print(f"[{size}] gutkg loops: {len(ours)} in {t_ours:.2f} s", file=sys.stderr)
    t_nx, theirs, done = capped((canon(c) for c in nx.simple_cycles(view, length_bound=k)), nx_timeout)
    print(f"[{size}] networkx loops: {len(theirs)} in {t_nx:.2f} s (finished: {done})", file=sys.stderr)
    mine = set(ours)
    same = (set(theirs) == mine) if done else set(theirs) <= mine
    rows.append(
        {
            "size": size,
            "task": f"loops, length ≤ {k}",
            "gutkg_s": t_ours,
            "gutkg_found": len(ours),
            "networkx_s": t_nx,
            "networkx_found": len(theirs),
            "networkx_finished": done,
            "ratio": t_nx / t_ours,
            "lower_bound": not done,
            "check": (
                "same cycles"
                if done
                else f"networkx found {len(theirs)} of {len(ours)} "
                f"({len(theirs) / max(len(ours), 1):.1%}) before its cap, all in ours"
            )
            if same
            else "MISMATCH",
        }
    )

    rng = random.Random(seed)
    pairs = pairs_with_paths(view, 20, rng)
    plen = k + 1
    t_p, ours_p = timed(lambda: [sum(1 for _ in simple_paths(view, [s], [t], plen)) for s, t in pairs])
    t_pn, theirs_p = timed(lambda: [sum(1 for _ in nx.all_simple_paths(view, s, t, cutoff=plen)) for s, t in pairs])
    rows.append(
        {
            "size": size,
            "task": f"paths ≤ {plen}, {len(pairs)} pairs",
            "gutkg_s": t_p,
            "gutkg_found": sum(ours_p),
            "networkx_s": t_pn,
            "networkx_found": sum(theirs_p),
            "networkx_finished": True,
            "ratio": t_pn / t_p,
            "lower_bound": False,
            "check": "same counts" if ours_p == theirs_p else "MISMATCH",
        }
    )

    t_fl, res = timed(lambda: find_loops(graph, max_length=k, limit=50, budget=None))
    rows.append(
        {
            "size": size,
            "task": "find_loops (ranked, per claim)",
            "gutkg_s": t_fl,
            "gutkg_found": res.loops_found,
            "networkx_s": None,
            "networkx_found": None,
            "networkx_finished": None,
            "ratio": None,
            "lower_bound": False,
            "check": "",
        }
    )
    s, t = pairs[0]
    t_fp, pres = timed(lambda: find_paths(graph, s, t, max_length=plen, budget=None))
    rows.append(
        {
            "size": size,
            "task": "find_paths (ranked, one pair)",
            "gutkg_s": t_fp,
            "gutkg_found": pres.found,
            "networkx_s": None,
            "networkx_found": None,
            "networkx_finished": None,
            "ratio": None,
            "lower_bound": False,
            "check": "",
        }
    )
    t_ex, ex = timed(lambda: explain(graph, s, t, budget=None))
    rows.append(
        {
            "size": size,
            "task": "explain (one pair)",
            "gutkg_s": t_ex,
            "gutkg_found": ex.counts["loops"]
            + ex.counts["chains_ab"]
            + ex.counts["chains_ba"]
            + ex.counts["common_causes"],
            "networkx_s": None,
            "networkx_found": None,
            "networkx_finished": None,
            "ratio": None,
            "lower_bound": False,
            "check": "",
        }
    )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table: one row per task, gutkg beside networkx with the ratio."""
    cols = ("graph", "task", "gutkg", "found", "networkx", "found", "ratio", "check")
    body = []
    for r in rows:
        bound = "≥ " if r["lower_bound"] else ""
        body.append(
            (
                r["size"],
                r["task"],
                f"{r['gutkg_s']:.3f} s",
                str(r["gutkg_found"]),
                "—" if r["networkx_s"] is None else f"{bound}{r['networkx_s']:.3f} s",
                "—" if r["networkx_found"] is None else str(r["networkx_found"]),
                "—" if r["ratio"] is None else f"{bound}{r['ratio']:.0f}×",
                r["check"],
            )
        )
    widths = [max(len(c), *(len(b[i]) for b in body)) for i, c in enumerate(cols)]
    right = {2, 3, 4, 5, 6}

    def line(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(
                c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    sep = "|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(cols), sep, *(line(b) for b in body)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large", action="store_true", help="also run 100k concepts / 500k claims")
    parser.add_argument("--length", type=int, default=4, help="loop length bound k (default 4)")
    parser.add_argument(
        "--nx-timeout",
        type=float,
        default=60.0,
        help="stop networkx.simple_cycles after this many seconds (default 60)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    sizes = [(1_000, 5_000), (10_000, 50_000)] + ([(100_000, 500_000)] if args.large else [])
    rows: list[dict[str, Any]] = []
    for n, m in sizes:
        rows += bench_size(n, m, args.length, args.nx_timeout, args.seed)
    import networkx as nx

    print(
        f"gutkg analysis benchmark (networkx {nx.__version__}, Python "
        f"{sys.version.split()[0]}, seed {args.seed}, same process, wall-clock)"
    )
    print(table(rows))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2)
    bad = [r for r in rows if r["check"] == "MISMATCH"]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
