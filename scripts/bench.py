"""Benchmark gutkg's storage path: every figure beside a baseline measured in the same run.

For synthetic graphs (``gutkg.synthetic.synthetic_turtle``) of 1k concepts / 5k claims and
10k / 50k (and with ``--large`` 100k / 500k), each measured in its own fresh subprocess so peak
memory (``resource.getrusage``) is per task:

* load: rdflib ``Graph.parse`` vs gutkg's path (``load(store="oxigraph")``: hash, bulk load,
  materialised plain edges, flushed on-disk cache), beside raw pyoxigraph ``bulk_load`` on disk;
* warm start: reopening gutkg's cache (``load`` again, unchanged files) vs parsing again;
* three analyst SPARQL queries (a lookup, a two-hop join over claims, an aggregation), rdflib's
  default store vs gutkg's Oxigraph store, rows compared; rdflib is stopped after
  ``--rdflib-timeout`` seconds (the ratio is then a lower bound, ``>``);
* projection to NetworkX (``gutkg.network.to_network``) vs building the same MultiDiGraph
  directly in Python (``gutkg.synthetic.synthetic_network``), the floor for any projection;
* ``gutkg --help`` and ``gutkg show`` cold start (subprocess, median of 5) vs the bare
  interpreter, and ``gutkg show zonulin`` on the bundled graph with the default in-memory store;
* peak memory of each task.

Loop search and HTML build figures come from ``scripts/bench_analysis.py`` and
``scripts/bench_html.py``, run after this one unless ``--no-others``.

Usage: .venv/bin/python scripts/bench.py [--large] [--rdflib-large] [--json FILE] [--no-others]
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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
GUTKG = str(Path(sys.executable).parent / "gutkg")
SIZES = {"0.2k": (200, 800), "1k": (1_000, 5_000), "10k": (10_000, 50_000), "100k": (100_000, 500_000)}

PREFIXES = """PREFIX gkv: <https://w3id.org/gutkg/vocab#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
"""
QUERIES = {
    "lookup": PREFIXES + 'SELECT ?c WHERE { ?c skos:prefLabel "concept 42"@en }',
    "two-hop join": PREFIXES
    + """SELECT ?a ?b ?c WHERE {
  ?x gkv:cause ?a ; gkv:effect ?b ; gkv:status gkv:Supported .
  ?y gkv:cause ?b ; gkv:effect ?c ; gkv:status gkv:Supported .
}""",
    "aggregation": PREFIXES
    + """SELECT ?species (COUNT(DISTINCT ?claim) AS ?claims)
       (COUNT(?ev) AS ?items) WHERE {
  ?claim obo:RO_0002558 ?ev . ?ev gkv:species ?species .
} GROUP BY ?species""",
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- workers: each runs in a fresh process and prints one JSON line --------------------------


def worker_rdflib(path: str, timeout: float) -> dict[str, Any]:
    import signal

    import rdflib

    class Timeout(Exception):
        pass

    def alarm(*_: object) -> None:
        raise Timeout

    signal.signal(signal.SIGALRM, alarm)
    t0 = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    out: dict[str, Any] = {"load_s": time.perf_counter() - t0, "triples": len(graph), "queries": {}, "rows": {}}
    for name, query in QUERIES.items():
        signal.setitimer(signal.ITIMER_REAL, timeout)
        t0 = time.perf_counter()
        try:
            out["rows"][name] = sum(1 for _ in graph.query(query))
            out["queries"][name] = time.perf_counter() - t0
        except Timeout:
            out["queries"][name] = None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    out["peak_mb"] = peak_mb()
    return out


def worker_oxigraph_raw(path: str, folder: str) -> dict[str, Any]:
    from pyoxigraph import RdfFormat, Store

    t0 = time.perf_counter()
    store = Store(folder)
    store.bulk_load(path=path, format=RdfFormat.TURTLE)
    store.flush()
    return {"load_s": time.perf_counter() - t0, "triples": len(store), "peak_mb": peak_mb()}


def worker_gutkg_cold(path: str) -> dict[str, Any]:
    from gutkg.loading import load

    t0 = time.perf_counter()
    store = load([path], store="oxigraph")
    return {"load_s": time.perf_counter() - t0, "triples": len(store), "peak_mb": peak_mb()}


def worker_gutkg_warm(path: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    from gutkg.loading import load

    imported = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = load([path], store="oxigraph")
    out: dict[str, Any] = {"import_s": imported, "open_s": time.perf_counter() - t0, "queries": {}, "rows": {}}
    for name, query in QUERIES.items():
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            rows = len(store.query(query).rows)
            times.append(time.perf_counter() - t0)
        out["queries"][name], out["rows"][name] = statistics.median(times), rows
    from gutkg.network import to_network

    t0 = time.perf_counter()
    graph = to_network(store)
    out["project_s"] = time.perf_counter() - t0
    out["nodes"], out["edges"] = graph.number_of_nodes(), graph.number_of_edges()
    out["peak_mb"] = peak_mb()
    return out


def worker_direct(n: int, m: int, seed: int) -> dict[str, Any]:
    from gutkg.synthetic import synthetic_network

    t0 = time.perf_counter()
    graph = synthetic_network(n, m, seed)
    return {
        "build_s": time.perf_counter() - t0,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "peak_mb": peak_mb(),
    }


WORKERS = {
    "rdflib": worker_rdflib,
    "oxigraph-raw": worker_oxigraph_raw,
    "gutkg-cold": worker_gutkg_cold,
    "gutkg-warm": worker_gutkg_warm,
    "direct": worker_direct,
}


def run_worker(
    mode: str, *args: object, env: dict[str, str] | None = None, timeout: float | None = None
) -> dict[str, Any]:
    cmd = [PY, __file__, "--worker", mode, *map(str, args)]
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"no answer within {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def wall(cmd: list[str], runs: int = 5, env: dict[str, str] | None = None) -> float:
    """Median wall time of ``cmd`` in fresh processes (output discarded, must succeed)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env={**os.environ, **(env or {})}
        )
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# -- the table -------------------------------------------------------------------------------


def row(
    size: str,
    measure: str,
    value: float | None,
    unit: str,
    baseline_name: str,
    baseline: float | None,
    *,
    lower_bound: bool = False,
    target: str = "",
    ok: bool | None = None,
) -> dict[str, Any]:
    ratio = (baseline / value) if value and baseline else None
    return {
        "size": size,
        "measure": measure,
        "gutkg": value,
        "unit": unit,
        "baseline": baseline_name,
        "baseline_value": baseline,
        "ratio": ratio,
        "ratio_is_lower_bound": lower_bound,
        "target": target,
        "meets_target": ok,
    }


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MB":
        return f"{value / 1024:.2f} GB" if value >= 1024 else f"{value:.0f} MB"
    return f"{value:g} {unit}"


def table(rows: list[dict[str, Any]]) -> str:
    head = ("size", "measure", "gutkg", "baseline", "baseline value", "ratio", "target")
    body = []
    for r in rows:
        ratio = (
            "-"
            if r["ratio"] is None
            else (">" if r["ratio_is_lower_bound"] else "")
            + (f"{r['ratio']:.1f}x" if r["ratio"] < 100 else f"{r['ratio']:.0f}x")
        )
        verdict = (
            (" ok" if r["meets_target"] else " MISSED")
            if r["meets_target"] is not None
            else (" (baseline stopped first)" if r["target"] and r["ratio_is_lower_bound"] else "")
        )
        body.append(
            (
                r["size"],
                r["measure"],
                fmt(r["gutkg"], r["unit"]),
                r["baseline"],
                (">" if r["ratio_is_lower_bound"] else "") + fmt(r["baseline_value"], r["unit"]),
                ratio,
                r["target"] + verdict,
            )
        )
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    lines = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(b, widths, strict=True)) + " |" for b in body]
    return "\n".join(lines)


def _verdict(ours: float | None, base: float | None, times: float, lower_bound: bool) -> bool | None:
    """Met (True), missed (False), or unknown (None: the baseline was stopped short of the target)."""
    if not ours or not base:
        return None
    if base / ours >= times:
        return True
    return None if lower_bound else False


def bench_size(label: str, n: int, m: int, args: argparse.Namespace, tmp: Path) -> list[dict]:
    from gutkg.progress import Progress
    from gutkg.synthetic import synthetic_turtle

    rows: list[dict[str, Any]] = []
    path = tmp / f"synthetic-{label}.ttl"
    steps = 7
    with Progress(steps, f"{label}: {n:,}/{m:,}", unit="steps") as bar:
        path.write_text(synthetic_turtle(n, m, args.seed), encoding="utf-8")
        bar.advance()
        cache = {"GUTKG_CACHE": str(tmp / f"cache-{label}")}
        skip_rdflib = label == "100k" and not args.rdflib_large
        rdf = (
            {"skipped": "rdflib at this size is opt-in (--rdflib-large): ~200 s, ~7 GB"}
            if skip_rdflib
            else run_worker("rdflib", path, args.rdflib_timeout)
        )
        bar.advance()
        raw = run_worker("oxigraph-raw", path, tmp / f"raw-{label}")
        shutil.rmtree(tmp / f"raw-{label}", ignore_errors=True)
        bar.advance()
        cold = run_worker("gutkg-cold", path, env=cache)
        bar.advance()
        warm = run_worker("gutkg-warm", path, env=cache)
        bar.advance()
        direct = run_worker("direct", n, m, args.seed)
        bar.advance()
        show = wall(
            [GUTKG, "show", "c000042", "--graph", str(path), "--store", "oxigraph", "--format", "json"], env=cache
        )
        floor = wall([PY, "-c", "pass"])
        bar.advance()
    for name, res in (
        ("rdflib", rdf),
        ("oxigraph-raw", raw),
        ("gutkg-cold", cold),
        ("gutkg-warm", warm),
        ("direct", direct),
    ):
        if "error" in res:
            print(f"{label}: {name} failed: {res['error']}", file=sys.stderr)
    triples = cold.get("triples") or raw.get("triples")
    size = f"{n:,}/{m:,} ({(triples or 0) / 1e6:.2f}M triples)"
    rdf_load = rdf.get("load_s")
    rows.append(
        row(
            size,
            "first load",
            cold.get("load_s"),
            "s",
            "rdflib Graph.parse",
            rdf_load,
            target="≥5x rdflib",
            ok=(rdf_load / cold["load_s"] >= 5) if rdf_load and cold.get("load_s") else None,
        )
    )
    rows.append(
        row(
            size,
            "first load",
            cold.get("load_s"),
            "s",
            "raw pyoxigraph bulk_load",
            raw.get("load_s"),
            target="≤1.5x raw",
            ok=(cold["load_s"] <= 1.5 * raw["load_s"]) if cold.get("load_s") and raw.get("load_s") else None,
        )
    )
    rows.append(
        row(
            size,
            "warm start (reopen cache)",
            warm.get("open_s"),
            "s",
            "rdflib Graph.parse",
            rdf_load,
            target="≤0.1 s",
            ok=warm["open_s"] <= 0.1 if warm.get("open_s") is not None else None,
        )
    )
    for name in QUERIES:
        ours = warm.get("queries", {}).get(name)
        base = rdf.get("queries", {}).get(name)
        timed_out = "queries" in rdf and base is None
        if timed_out:
            base = args.rdflib_timeout
        same = rdf.get("rows", {}).get(name) in (None, warm.get("rows", {}).get(name))
        rows.append(
            row(
                size,
                f"SPARQL {name} ({warm.get('rows', {}).get(name)} rows" + ("" if same else ", ROWS DIFFER") + ")",
                ours,
                "s",
                "rdflib default store",
                base,
                lower_bound=timed_out,
                target="≥20x rdflib" if name == "two-hop join" else "",
                ok=_verdict(ours, base, 20, timed_out) if name == "two-hop join" else None,
            )
        )
    rows.append(
        row(
            size,
            f"projection to NetworkX ({warm.get('edges')} edges)",
            warm.get("project_s"),
            "s",
            "same graph built directly",
            direct.get("build_s"),
        )
    )
    rows.append(row(size, "gutkg show (warm cache, process)", show, "s", "python -c pass", floor))
    for name, res in (("rdflib load", rdf), ("raw pyoxigraph load", raw)):
        rows.append(
            row(
                size,
                "peak memory, first load",
                cold.get("peak_mb"),
                "MB",
                name,
                res.get("peak_mb"),
                target="≤3 GB" if label == "100k" else "",
                ok=(cold["peak_mb"] <= 3072) if label == "100k" and cold.get("peak_mb") else None,
            )
        )
    rows.append(
        row(
            size,
            "peak memory, warm + queries + projection",
            warm.get("peak_mb"),
            "MB",
            "direct build",
            direct.get("peak_mb"),
        )
    )
    path.unlink()
    return rows


def bench_cli(tmp: Path) -> list[dict[str, Any]]:
    env = {"GUTKG_CACHE": str(tmp / "cache-bundled")}
    subprocess.run(
        [GUTKG, "info", "--store", "oxigraph"], env={**os.environ, **env}, stdout=subprocess.DEVNULL, check=True
    )  # build the cache once
    floor = wall([PY, "-c", "pass"])
    rows = [
        row("bundled", "gutkg --help (process)", wall([GUTKG, "--help"]), "s", "python -c pass", floor),
        row(
            "bundled",
            "gutkg show zonulin, --store oxigraph (process)",
            wall([GUTKG, "show", "zonulin", "--store", "oxigraph"], env=env),
            "s",
            "default --store memory",
            wall([GUTKG, "show", "zonulin"]),
        ),
    ]
    return rows


def run_others(large: bool) -> list[str]:
    """Run the analysis and HTML benchmarks; return their printed tables."""
    out = []
    for script, extra in (("bench_analysis.py", ["--large"] if large else []), ("bench_html.py", [])):
        path = ROOT / "scripts" / script
        if not path.is_file():
            continue
        done = subprocess.run([PY, str(path), *extra], capture_output=True, text=True, check=False)
        out.append(f"## {script}\n" + (done.stdout.strip() or done.stderr.strip()[-2000:]))
    return out


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 2 and sys.argv[1] == "--worker":
        mode, rest = sys.argv[2], sys.argv[3:]
        conv = {
            "rdflib": (str, float),
            "oxigraph-raw": (str, str),
            "gutkg-cold": (str,),
            "gutkg-warm": (str,),
            "direct": (int, int, int),
        }[mode]
        print(json.dumps(WORKERS[mode](*(f(a) for f, a in zip(conv, rest, strict=True)))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1k,10k", help="comma list of 1k,10k,100k")
    parser.add_argument("--large", action="store_true", help="also run 100k concepts / 500k claims")
    parser.add_argument(
        "--rdflib-large", action="store_true", help="also run the rdflib baseline at 100k/500k (~200 s, ~7 GB)"
    )
    parser.add_argument(
        "--rdflib-timeout",
        type=float,
        default=120.0,
        help="stop each rdflib query after this many seconds (default 120)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    parser.add_argument(
        "--no-others", action="store_true", help="skip scripts/bench_analysis.py and scripts/bench_html.py"
    )
    args = parser.parse_args(argv)
    labels = [s for s in args.sizes.split(",") if s] + (["100k"] if args.large else [])
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="gutkg-bench-") as tmp_name:
        tmp = Path(tmp_name)
        rows += bench_cli(tmp)
        for label in dict.fromkeys(labels):
            n, m = SIZES[label]
            rows += bench_size(label, n, m, args, tmp)
    import pyoxigraph
    import rdflib

    print(
        f"gutkg storage benchmark (rdflib {rdflib.__version__}, pyoxigraph "
        f"{pyoxigraph.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"seed {args.seed}); ratio = baseline / gutkg; each task in a fresh process"
    )
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if not args.no_others:
        for text in run_others(args.large):
            print("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
