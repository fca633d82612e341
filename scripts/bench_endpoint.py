"""Benchmark ``gutkg serve``: queries/s and p50/p99 latency for small SELECTs at 1, 10 and 50
concurrent clients on loopback, beside the raw store's own query time measured in the same run;
then a normal client's latency under attack, beside the same client unattacked.

Usage: .venv/bin/python scripts/bench_endpoint.py [--seconds 10] [--clients 1,10,50] [--graph PATH]
       [--attack-seconds 25] [--attackers 20]

The attack (issue 15.2): ``--attackers`` connections from 127.0.0.1 each send distinct queries
that run into the time limit (10 s, the default), the next as soon as the last is answered. Two
normal clients send distinct small queries one after another (a pause of 0.1 s between): one on
a keep-alive connection from the same address, opened before the attack (a UI tab or a script on
the same machine), one from 127.0.0.2 on a new connection per query. Both are measured first
without the attack, then during it, on the same server. Target: answered within 1 s under attack.

The server is the real command (``gutkg serve`` on 127.0.0.1, a free port, default settings:
Oxigraph, one worker process per core). The load generator is a lean asyncio HTTP/1.1 client with
keep-alive connections (one per simulated client, each sending its next query as soon as the last
answer arrives: a closed loop), so it spends as little of the shared CPU as possible. Every loop
is bounded in time and count and stops by itself.

Each level runs twice (and 50 clients a third time, paced): ``distinct`` makes every request's
text unique (a trailing comment with a counter), so each one is parsed and run by a worker (the
server's answer cache never hits);
``repeated`` sends the same six queries over and over, as dashboards and re-run UI tabs do, so
they are answered from the cache after the first time. Closed-loop clients measure capacity (at
50 clients, p99 < 50 ms then needs well over 1,000 q/s by Little's law); the paced run offers
exactly 500 q/s from 50 clients and measures the latency a service at that load gives.

Two figures put the endpoint's numbers in context:
* ``raw store``: the same queries run in-process on the same Oxigraph store (no HTTP, no worker
  hop, no serialisation), single-threaded;
* ``in-process pipeline``: query + conversion + SPARQL JSON serialisation in-process, i.e. the
  work a worker does per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

#: Small SELECTs an analyst's client would send (one row to a few dozen).
QUERIES = [
    "SELECT ?label WHERE { gkc:zonulin skos:prefLabel ?label }",
    "SELECT ?effect WHERE { ?claim gkv:cause gkc:zonulin ; gkv:effect ?effect }",
    "SELECT ?c ?label WHERE { ?c a gkv:Intervention ; skos:prefLabel ?label } ORDER BY ?label",
    "SELECT ?cause WHERE { ?cause obo:RO_0002304 gkc:increased_intestinal_permeability } LIMIT 20",
    'SELECT ?alt WHERE { ?c skos:prefLabel "dysbiosis"@en ; skos:altLabel ?alt }',
    "SELECT (COUNT(?e) AS ?n) WHERE { gkcl:celiac_disease__increases__increased_intestinal_permeability "
    "obo:RO_0002558 ?e }",
]
#: Runs far past any time limit on the bundled graph (four copies of every triple joined freely).
ATTACK = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MAX_REQUESTS_PER_CLIENT = 200_000
#: Part of every ``distinct`` query's comment, so no two runs (or levels) share a query text.
RUN = str(time.time_ns()).encode()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def raw_store(graph: list[str], seconds: float) -> dict[str, float]:
    from gutkg.loading import load
    from gutkg.sparql.results import write
    from gutkg.sparql.runner import default_prefixes

    store = load(graph or None, store="oxigraph")
    prefixes = default_prefixes()
    for q in QUERIES:  # warm up and check every query answers
        assert len(store.query(q, prefixes=prefixes)) > 0, q
    out = {}
    for label, work in [
        ("raw_ox", lambda q: list(store.ox.query(q, prefixes=prefixes))),
        ("pipeline", lambda q: write(store.query(q, prefixes=prefixes, limit=10000), "json")),
    ]:
        n, lat = 0, []
        end = time.perf_counter() + seconds / 2
        while time.perf_counter() < end:
            q = QUERIES[n % len(QUERIES)]
            t = time.perf_counter()
            work(q)
            lat.append(time.perf_counter() - t)
            n += 1
        out[label + "_qps"] = n / sum(lat)
        out[label + "_p50_ms"] = percentile(lat, 50) * 1000
        out[label + "_p99_ms"] = percentile(lat, 99) * 1000
    return out


def start_server(graph: list[str]) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-c", "from gutkg.cli import main; main()", "serve", "--port", "0", "--format", "json"]
    for g in graph:
        cmd += ["--graph", g]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None
    text = ""
    while True:
        line = proc.stdout.readline().decode()
        if not line:
            raise SystemExit(f"gutkg serve exited with {proc.wait()}")
        text += line
        try:
            return proc, json.loads(text)["url"]
        except json.JSONDecodeError:
            continue


async def client(
    host: str,
    port: int,
    paths: list[bytes],
    deadline: float,
    latencies: list[float],
    errors: list[str],
    offset: int,
    distinct: bool,
    interval: float = 0.0,
) -> None:
    """One keep-alive connection. ``interval`` 0: closed loop (next request when the answer is in);
    otherwise paced (open loop): a request every ``interval`` seconds on a fixed schedule, latency
    counted from the scheduled time, so a slow answer is not hidden by the requests it delays."""
    reader, writer = await asyncio.open_connection(host, port)
    n = offset
    scheduled = time.perf_counter() + interval * (offset % 50) / 50
    try:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if interval:
                scheduled += interval
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            if time.perf_counter() >= deadline:
                break
            path = paths[n % len(paths)]
            if distinct:  # "%20%23" + run, client, counter: a trailing comment unique per request
                path += b"%20%23" + RUN + b"-" + str(offset).encode() + b"-" + str(n).encode()
            n += 1
            t = scheduled if interval else time.perf_counter()
            writer.write(
                b"GET "
                + path
                + b" HTTP/1.1\r\nHost: "
                + host.encode()
                + b"\r\nAccept: application/sparql-results+json\r\n\r\n"
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t)
            if status != 200:
                errors.append(str(status))
    finally:
        writer.close()


async def load_test(
    url: str, clients: int, seconds: float, distinct: bool, rate: float = 0.0, pid: int = 0
) -> dict[str, float]:
    global RUN
    RUN = str(time.time_ns()).encode()
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    paths = [("/sparql?" + urllib.parse.urlencode({"query": q})).encode() for q in QUERIES]
    latencies: list[float] = []
    errors: list[str] = []
    warm = time.perf_counter() + 1.0  # warm-up: open every connection, fill the cache
    await asyncio.gather(*(client(host, port, paths, warm, [], errors, i + 500, distinct) for i in range(clients)))
    cpu = cpu_seconds(pid)
    start = time.perf_counter()
    deadline = start + seconds
    interval = clients / rate if rate else 0.0
    await asyncio.gather(
        *(client(host, port, paths, deadline, latencies, errors, i, distinct, interval) for i in range(clients))
    )
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu
    mode = ("distinct" if distinct else "repeated") + (f"@{rate:g}/s" if rate else "")
    return {
        "clients": clients,
        "mode": mode,
        "requests": len(latencies),
        "qps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        "errors": len(errors),
        "server_cpu_us": cpu / max(1, len(latencies)) * 1e6,
    }


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: bytes) -> int:
    """Send one GET on a keep-alive connection and read its answer; the status."""
    writer.write(
        b"GET " + path + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\nAccept: application/sparql-results+json\r\n\r\n"
    )
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def attacker(host: str, port: int, deadline: float, n: int, statuses: list[int]) -> None:
    """One attacking connection: distinct runaway queries, back to back, until ``deadline``."""
    reader, writer = await asyncio.open_connection(host, port, local_addr=("127.0.0.1", 0))
    try:
        for i in range(MAX_REQUESTS_PER_CLIENT):
            if time.perf_counter() >= deadline:
                break
            query = f"{ATTACK} # {RUN.decode()}-attack-{n}-{i}"
            path = ("/sparql?" + urllib.parse.urlencode({"query": query})).encode()
            statuses.append(await _exchange(reader, writer, host, path))
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def normal_client(
    host: str, port: int, deadline: float, same_address: bool, tag: str, latencies: list[float], errors: list[str]
) -> None:
    """Distinct small queries one after another (0.1 s apart). ``same_address``: one keep-alive
    connection from 127.0.0.1, opened and used before the measurement starts; otherwise from
    127.0.0.2 on a new connection for every query."""
    paths = [("/sparql?" + urllib.parse.urlencode({"query": q})).encode() for q in QUERIES]
    conn = None
    if same_address:
        conn = await asyncio.open_connection(host, port, local_addr=("127.0.0.1", 0))
        await _exchange(*conn, host, paths[0] + b"%20%23" + RUN + tag.encode() + b"-open")
    try:
        for n in range(MAX_REQUESTS_PER_CLIENT):
            if time.perf_counter() >= deadline:
                break
            path = paths[n % len(paths)] + b"%20%23" + RUN + b"-" + tag.encode() + b"-" + str(n).encode()
            t = time.perf_counter()
            if conn is None:
                r, w = await asyncio.open_connection(host, port, local_addr=("127.0.0.2", 0))
                try:
                    status = await _exchange(r, w, host, path)
                finally:
                    w.close()
            else:
                status = await _exchange(*conn, host, path)
            latencies.append(time.perf_counter() - t)
            if status != 200:
                errors.append(str(status))
            await asyncio.sleep(0.1)
    finally:
        if conn is not None:
            conn[1].close()


def health(url: str) -> dict[str, Any]:
    import urllib.request

    with urllib.request.urlopen(url + "health", timeout=60) as resp:
        return json.loads(resp.read())


async def attack_test(url: str, seconds: float, attackers: int) -> list[dict[str, object]]:
    """The normal clients without, then with, the attack (same server, same run)."""
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    out: list[dict[str, object]] = []
    for attacked in (False, True):
        lat: dict[bool, list[float]] = {True: [], False: []}
        errs: dict[bool, list[str]] = {True: [], False: []}
        statuses: list[int] = []
        before = health(url)
        start = time.perf_counter()
        deadline = start + seconds
        tasks = []
        for same in (True, False):
            tasks.append(
                asyncio.ensure_future(
                    normal_client(host, port, deadline, same, f"n{int(same)}{int(attacked)}", lat[same], errs[same])
                )
            )
        if attacked:
            await asyncio.sleep(0.2)  # the same-address client has opened its connection
            tasks += [asyncio.ensure_future(attacker(host, port, deadline, i, statuses)) for i in range(attackers)]
        await asyncio.wait(tasks[:2])
        for task in tasks[2:]:
            task.cancel()
        await asyncio.gather(*tasks[2:], return_exceptions=True)
        after = health(url)
        for same in (True, False):
            values = lat[same]
            out.append(
                {
                    "attacked": attacked,
                    "client": "same address, keep-alive" if same else "other address, new connection",
                    "requests": len(values),
                    "p50_ms": percentile(values, 50) * 1000,
                    "p99_ms": percentile(values, 99) * 1000,
                    "max_ms": max(values) * 1000 if values else float("nan"),
                    "over_1s": sum(1 for v in values if v >= 1.0),
                    "errors": len(errs[same]),
                    "attack_answers": len(statuses),
                    **{k: after[k] - before[k] for k in ("timeouts", "restarts", "preempted", "abandoned")},
                }
            )
        if attacked:  # let the stopped attack's workers restart before anything else
            await asyncio.sleep(2)
    return out


def run_async(coro):  # type: ignore[no-untyped-def]
    """Run the load generator on uvloop when installed: it then takes less of the shared CPU."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coro)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux; 0 where /proc is missing): the
    server process's cost per query, which the machine's other load barely changes."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_load() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load average unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring time per concurrency level")
    parser.add_argument("--clients", default="1,10,50", help="comma-separated concurrency levels")
    parser.add_argument("--graph", action="append", default=[], help="graph files (default: bundled)")
    parser.add_argument(
        "--attack-seconds",
        type=float,
        default=25.0,
        help="measuring time of the normal clients, without and with the attack (0: skip)",
    )
    parser.add_argument("--attackers", type=int, default=20, help="attacking connections")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]

    print(
        f"gutkg endpoint benchmark: {os.cpu_count()} CPUs ({cpu_load()}), {len(QUERIES)} small SELECTs "
        f"in rotation, {args.seconds:g} s per level and mode"
    )
    base = raw_store(args.graph, args.seconds)
    print(
        f"baseline  raw Oxigraph query (in-process)          {base['raw_ox_qps']:8.0f} q/s   "
        f"p50 {base['raw_ox_p50_ms']:6.2f} ms   p99 {base['raw_ox_p99_ms']:6.2f} ms"
    )
    print(
        f"baseline  query + terms + SPARQL JSON (in-process) {base['pipeline_qps']:8.0f} q/s   "
        f"p50 {base['pipeline_p50_ms']:6.2f} ms   p99 {base['pipeline_p99_ms']:6.2f} ms"
    )
    proc, url = start_server(args.graph)
    results = []
    try:
        for c in levels:
            for distinct in (True, False):
                r = run_async(load_test(url, c, args.seconds, distinct, pid=proc.pid))
                results.append(r)
                print(
                    f"endpoint  {c:3d} client{'s' if c > 1 else ' '} {r['mode']:8s} (HTTP keep-alive)  "
                    f"{r['qps']:8.0f} q/s   p50 {r['p50_ms']:6.2f} ms   p99 {r['p99_ms']:6.2f} ms   "
                    f"server process {r['server_cpu_us']:5.0f} us CPU/query   "
                    f"({r['requests']} requests, {r['errors']} errors; {cpu_load()})"
                )
        if 50 in levels:  # the target as a service level: 500 q/s offered by 50 clients
            r = run_async(load_test(url, 50, args.seconds, True, rate=500))
            results.append(r)
            print(
                f"endpoint   50 clients {r['mode']} (paced, open loop)   "
                f"{r['qps']:8.0f} q/s   p50 {r['p50_ms']:6.2f} ms   p99 {r['p99_ms']:6.2f} ms   "
                f"({r['requests']} requests, {r['errors']} errors; {cpu_load()})"
            )
        attack = run_async(attack_test(url, args.attack_seconds, args.attackers)) if args.attack_seconds else []
        for a in attack:
            label = f"under attack ({args.attackers} runaway clients)" if a["attacked"] else "unattacked baseline"
            print(
                f"normal    {a['client']:30s} {label:30s} p50 {a['p50_ms']:7.1f} ms   "
                f"p99 {a['p99_ms']:7.1f} ms   max {a['max_ms']:7.1f} ms   {a['over_1s']}/{a['requests']} "
                f"over 1 s, {a['errors']} errors; server: {a['timeouts']} time-outs, {a['restarts']} "
                f"restarts, {a['preempted']} preempted, {a['attack_answers']} attack answers "
                f"({cpu_load()})"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for mode in ("distinct", "repeated", "distinct@500/s"):
        target = next((r for r in results if r["clients"] == 50 and r["mode"] == mode), None)
        if target:
            ok = target["qps"] >= 500 * 0.97 and target["p99_ms"] < 50
            print(
                f"target (>= 500 q/s and p99 < 50 ms at 50 clients), {mode}: {'met' if ok else 'NOT met'} "
                f"({target['qps']:.0f} q/s, p99 {target['p99_ms']:.1f} ms)"
            )
    for a in attack:
        if a["attacked"]:
            ok = a["max_ms"] < 1000
            print(
                f"target (a normal client answered within 1 s under attack), {a['client']}: "
                f"{'met' if ok else 'NOT met'} (max {a['max_ms']:.0f} ms, p99 {a['p99_ms']:.0f} ms)"
            )
    print(json.dumps({"baseline": base, "endpoint": results, "attack": attack}))


if __name__ == "__main__":
    main()
