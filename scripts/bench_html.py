"""Benchmark ``gutkg export html``: build time and time-to-interactive in headless Chromium.

For the bundled graph and synthetic graphs (:func:`gutkg.synthetic.synthetic_network`: topics of
about 50 concepts, 80 % of claims inside a topic) of 1,000 concepts / 5,000 claims and 5,000
concepts / 24,000 claims it measures, in one run:

- ``dump``: the baseline, ``json.dumps`` of the bare vis-network data (id/label, from/to);
- ``page data + template`` and ``layout``: the two parts of ``to_html`` (build = their sum);
- ``pyvis``: (with ``--pyvis``) building the same graph with pyvis ``Network.add_node/add_edge``,
  whose per-edge duplicate check is quadratic;
- ``ready``: page open -> first drawn frame with everything wired (``window.gutkgReady``, ms since
  navigation start), median of ``--runs`` fresh pages, beside the same for a bare vis-network
  page with the same data and positions (``bare``);
- ``select`` and ``filter``: searching and selecting a concept (zoom-to included) and toggling
  a status filter, each until the next frame is drawn (the filter's result is checked on what
  vis-network holds and draws, its own ``body.edgeIndices``);
- ``labels``: how many concept labels the first view draws (thinned so none overlap);
- ``store`` (with ``--stores``): reading the graph from Turtle and projecting it
  (``to_network(load(...))``, what ``gutkg export html`` does first) with the in-memory rdflib
  store beside the oxigraph store (cold: a fresh cache folder), the default of ``export html``.

The pages open as a user sees them: on the founding question when the graph has one (the bundled
graph), else on the whole graph.

Targets (issue 6): 1,000 concepts interactive within 1 s, 5,000 within 3 s.

Usage: .venv/bin/python scripts/bench_html.py [--runs 3] [--sizes bundled,1k,5k] [--pyvis] [--stores]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SIZES = {"1k": (1000, 5000), "5k": (5000, 24000)}


def bare_data(graph: nx.MultiDiGraph, positions: dict | None = None) -> dict[str, Any]:
    nodes = [{"id": str(n), "label": str(d.get("label", n))} for n, d in graph.nodes(data=True)]
    if positions:
        for item in nodes:
            item["x"], item["y"] = positions[item["id"]]
    return {"nodes": nodes, "edges": [{"from": str(u), "to": str(v), "arrows": "to"} for u, v in graph.edges()]}


def bare_page(data: dict[str, Any]) -> str:
    """The same vis-network, data and positions with nothing else: the browser-side baseline."""
    from gutkg.export.html import json_for_script, vis_network_js

    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>html,body,#g{margin:0;"
        "height:100%}</style></head><body><div id='g'></div>"
        f"<script type='application/json' id='d'>{json_for_script(data)}</script>"
        f"<script>{vis_network_js()}</script><script>"
        "const d=JSON.parse(document.getElementById('d').textContent);"
        "const n=new vis.Network(document.getElementById('g'),{nodes:new vis.DataSet(d.nodes),"
        "edges:new vis.DataSet(d.edges)},{physics:{enabled:false},layout:{improvedLayout:false},"
        "edges:{smooth:false}});n.once('afterDrawing',()=>{window.gutkgReady=performance.now();"
        "document.documentElement.dataset.ready='1'});n.redraw();</script></body></html>"
    )


def timed(fn, *args, **kwargs) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def pyvis_build(graph: nx.MultiDiGraph) -> None:
    from pyvis.network import Network

    net = Network(directed=True)
    for n, d in graph.nodes(data=True):
        net.add_node(str(n), label=str(d.get("label", n)))
    for u, v in graph.edges():
        net.add_edge(str(u), str(v))


BROWSER_STEPS = """async ([node]) => {
  const frame = () => new Promise((r) => gutkg.network.once('afterDrawing', r));
  let t = performance.now();
  const box = document.getElementById('search');
  box.value = gutkg.data.nodes.find((n) => n.id === node).label;
  box.dispatchEvent(new Event('input'));
  box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));
  await frame();
  const select = performance.now() - t;
  t = performance.now();
  document.querySelector('[data-status=supported]').click();
  await frame();
  const filter = performance.now() - t;
  const drawn = new Set(gutkg.drawn().edges), shown = gutkg.visibleEdges();
  const big = gutkg.data.big;  // large pages hand vis-network only the claims drawn in full
  if (!big && (drawn.size !== shown.length || !shown.every((id) => drawn.has(id)))) {
    throw new Error('the status filter did not change what vis-network draws');
  }
  return [select, filter];
}"""


def browser_runs(pages: dict[str, Path], hub: str, runs: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, list[float]]] = {}
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, viewport={"width": 1400, "height": 900}
        )
        for _ in range(runs):
            for name, path in pages.items():
                page = context.new_page()
                leaks: list[str] = []
                page.route(
                    "**/*",
                    lambda r, leaks=leaks: (
                        r.continue_()
                        if r.request.url.startswith(("file:", "data:", "blob:"))
                        else (leaks.append(r.request.url), r.abort())
                    ),
                )
                page.goto(path.as_uri())
                page.wait_for_function("document.documentElement.dataset.ready === '1'", timeout=120_000)
                row = out.setdefault(name, {})
                row.setdefault("ready", []).append(page.evaluate("window.gutkgReady"))
                if name == "explorer":
                    row.setdefault("labels", []).append(page.evaluate("gutkg.labelsShown().length"))
                    select, flt = page.evaluate(BROWSER_STEPS, [hub])
                    row.setdefault("select", []).append(select)
                    row.setdefault("filter", []).append(flt)
                if leaks:
                    raise SystemExit(f"{name} page requested {leaks}")
                page.close()
        context.close()
    return {name: {k: statistics.median(v) for k, v in row.items()} for name, row in out.items()}


def bench(name: str, graph: nx.MultiDiGraph, runs: int, with_pyvis: bool) -> dict[str, Any]:
    from gutkg.export.html import page_data, render
    from gutkg.export.layout import layout
    from gutkg.export.selection import select

    row: dict[str, Any] = {"graph": name, "concepts": graph.number_of_nodes(), "claims": graph.number_of_edges()}
    row["dump_s"], _ = timed(json.dumps, bare_data(graph))
    sizes = {n: (len(str(d.get("label", n))) * 7.2 + 24, 44.0) for n, d in graph.nodes(data=True)}
    row["layout_s"], positions = timed(layout, graph, sizes=sizes)
    # the rest of to_html(graph): selection, page data, template
    row["page_s"], page = timed(lambda: render(page_data(select(graph), positions)))
    row["page_mb"] = len(page.encode()) / 1e6
    row["pyvis_s"] = timed(pyvis_build, graph)[0] if with_pyvis else None
    hub = max(graph.degree, key=lambda nd: nd[1])[0]
    with tempfile.TemporaryDirectory() as tmp:
        explorer, bare = Path(tmp, "explorer.html"), Path(tmp, "bare.html")
        explorer.write_text(page, encoding="utf-8")
        bare.write_text(bare_page(bare_data(graph, positions)), encoding="utf-8")
        timings = browser_runs({"explorer": explorer, "bare": bare}, str(hub), runs)
    row.update(
        ready_ms=timings["explorer"]["ready"],
        bare_ms=timings["bare"]["ready"],
        select_ms=timings["explorer"]["select"],
        filter_ms=timings["explorer"]["filter"],
        labels=timings["explorer"]["labels"],
    )
    return row


def store_times(size: str) -> dict[str, float]:
    """Seconds to load and project the graph with each store (oxigraph cold: a fresh cache)."""
    import os

    from gutkg.loading import load
    from gutkg.network import to_network

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        files: list[str] | None = None
        if size != "bundled":
            from gutkg.synthetic import synthetic_turtle

            path = Path(tmp, f"{size}.ttl")
            path.write_text(synthetic_turtle(*SIZES[size]), encoding="utf-8")
            files = [str(path)]
        old = os.environ.get("GUTKG_CACHE")
        os.environ["GUTKG_CACHE"] = str(Path(tmp, "cache"))
        try:
            for store in ("memory", "oxigraph"):
                out[store] = timed(lambda s=store: to_network(load(files, store=s)))[0]
        finally:
            if old is None:
                os.environ.pop("GUTKG_CACHE", None)
            else:
                os.environ["GUTKG_CACHE"] = old
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads per graph (median)")
    parser.add_argument("--sizes", default="bundled,1k,5k", help="comma list of bundled,1k,5k")
    parser.add_argument("--pyvis", action="store_true", help="also time pyvis's add_edge build")
    parser.add_argument(
        "--stores", action="store_true", help="also time reading the graph with the memory and oxigraph stores"
    )
    args = parser.parse_args()
    rows = []
    for size in args.sizes.split(","):
        if size == "bundled":
            from gutkg.netcache import load_network

            graph = load_network()
        else:
            from gutkg.synthetic import synthetic_network

            graph = synthetic_network(*SIZES[size])
        print(f"{size}: {graph.number_of_nodes()} concepts, {graph.number_of_edges()} claims ...", file=sys.stderr)
        rows.append(bench(size, graph, args.runs, args.pyvis))
        if args.stores:
            rows[-1]["stores"] = store_times(size)
    head = (
        "| graph | concepts | claims | vis JSON dump (baseline) | page data + template "
        "| layout | pyvis add_edge | file | ready: bare vis-network | ready: explorer "
        "| search+select | status filter | labels drawn |"
    )
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in rows:
        pyvis = f"{r['pyvis_s']:.2f} s" if r["pyvis_s"] is not None else "-"
        print(
            f"| {r['graph']} | {r['concepts']} | {r['claims']} | {r['dump_s']:.3f} s "
            f"| {r['page_s']:.2f} s | {r['layout_s']:.2f} s | {pyvis} | {r['page_mb']:.1f} MB "
            f"| {r['bare_ms']:.0f} ms | {r['ready_ms']:.0f} ms | {r['select_ms']:.0f} ms "
            f"| {r['filter_ms']:.0f} ms | {r['labels']:.0f} |"
        )
    for r in rows:
        if "stores" in r:
            st = r["stores"]
            print(
                f"\n{r['graph']}: read and project the graph: memory (rdflib) {st['memory']:.1f} s, "
                f"oxigraph (cold cache, the export html default) {st['oxigraph']:.1f} s"
            )
    print(
        f"\nmedians of {args.runs} fresh pages in headless Chromium ({CHROMIUM}); ready = "
        "navigation start to the first drawn frame with the page wired; targets: 1k < 1000 ms, "
        "5k < 3000 ms"
    )


if __name__ == "__main__":
    main()
