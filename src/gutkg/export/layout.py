"""Node positions computed in Python, so the browser never runs a physics simulation.

A browser settling a force layout is what made pyvis pages slow (81-110 s for 1,000 nodes in
headless Chromium on 2 cores; 5,000 never settled). Here positions are computed once, at export
time, and the page draws them with physics off.

Two engines, both deterministic for a given ``seed``:

- ``sfdp`` (what ``auto`` picks when Graphviz is installed): Graphviz's multilevel force layout,
  about 3 s for 5,000 nodes and 24,000 claims on 2 cores. Up to :data:`OVERLAP_MAX` nodes each
  node is a box the size of its dot and label and overlaps are removed, so labels stay readable.
- ``spring`` (the fallback, pure Python, no numpy): Fruchterman-Reingold on the concepts that
  have claims, every pair repelling up to :data:`EXACT_MAX` nodes (grid-bucketed above, the
  variant in Fruchterman & Reingold 1991, clumpier), inside a soft circular wall; concepts without
  claims go in rows underneath. About a second for 150 concepts; slow and coarse for thousands.

Positions are in screen pixels at zoom 1, centred on 0; claims are about :data:`EDGE_PX` long
where no label sizes are given.

References: T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed placement",
Software: Practice and Experience 21(11), 1991. Y. Hu, "Efficient and high quality force-directed
graph drawing", The Mathematica Journal 10(1), 2005 (sfdp).
"""

from __future__ import annotations

import math
import random
import shutil
import subprocess
from collections.abc import Hashable
from typing import TYPE_CHECKING

from gutkg.errors import GutKGError

if TYPE_CHECKING:
    import networkx as nx

Positions = dict[Hashable, tuple[float, float]]

#: Room per node (square root of the area, pixels) in large layouts without label sizes.
SPACING_PX = 90.0
#: sfdp removes label overlaps (slower) up to this many nodes.
OVERLAP_MAX = 1500
#: :func:`spring` computes every pairwise repulsion up to this many nodes, grid-bucketed above.
EXACT_MAX = 300
#: Typical distance between two concepts joined by a claim, in pixels at zoom 1.
EDGE_PX = 150.0
METHODS = ("auto", "spring", "sfdp", "circle")


def layout(
    graph: nx.Graph, *, method: str = "auto", seed: int = 0, sizes: dict[Hashable, tuple[float, float]] | None = None
) -> Positions:
    """Positions for every node of ``graph`` (any networkx graph; direction is ignored).

    ``sizes`` (node -> (width, height) in pixels, e.g. the dot and its label) lets sfdp remove
    overlaps for graphs up to :data:`OVERLAP_MAX` nodes, so labels do not sit on each other.

    >>> import networkx as nx
    >>> pos = layout(nx.path_graph(3), method="spring", seed=1)
    >>> sorted(pos) == [0, 1, 2] and pos == layout(nx.path_graph(3), method="spring", seed=1)
    True
    """
    if method not in METHODS:
        raise GutKGError(f"unknown layout {method!r}: use one of " + ", ".join(METHODS))
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if method == "circle":
        return _scale(_circle(graph))
    if method == "auto":
        method = "sfdp" if shutil.which("sfdp") else "spring"
    if method == "sfdp":
        boxes = sizes if sizes is not None and n <= OVERLAP_MAX else None
        pos = sfdp(graph, seed=seed, sizes=boxes)
        return _scale(pos, keep=True) if boxes else _spread(pos)
    linked = [v for v in graph if graph.degree(v) > graph.number_of_edges(v, v)]
    pos = _scale(spring(graph.subgraph(linked), seed=seed), graph.subgraph(linked)) if linked else {}
    pos.update(_rows([v for v in graph if v not in pos], pos, sizes or {}))
    return pos


def spring(graph: nx.Graph, *, seed: int = 0, iterations: int | None = None) -> Positions:
    """Fruchterman-Reingold, ideal edge length 1 (see the module docstring).

    Up to :data:`EXACT_MAX` nodes every pair repels (the classic algorithm, O(n²) per
    iteration, with iterations scaled down as n grows); above it only pairs closer than two edge
    lengths do (grid buckets, O(n) per iteration, clumpier: a fallback for when sfdp is missing).
    """
    nodes = sorted(graph, key=str)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    links = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v})
    exact = n <= EXACT_MAX
    if iterations is None:
        iterations = max(30, min(200, int(2.5e6 / n**2))) if exact else 40
    rng = random.Random(seed)  # noqa: S311 - a reproducible layout, not a secret
    side = math.sqrt(n)
    xs = [rng.uniform(-side, side) for _ in range(n)]
    ys = [rng.uniform(-side, side) for _ in range(n)]
    cell, cutoff2 = (math.inf, math.inf) if exact else (2.0, 4.0)
    radius = math.sqrt(n) * 1.5
    temp = side / 2
    cool = temp / (iterations + 1)
    near = ((1, 0), (1, 1), (0, 1), (-1, 1))
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = {}
        for i in range(n):
            key = (0, 0) if exact else (math.floor(xs[i] / cell), math.floor(ys[i] / cell))
            grid.setdefault(key, []).append(i)
        for (cx, cy), members in grid.items():
            others = [members]
            others += [grid[c] for c in ((cx + ox, cy + oy) for ox, oy in near) if c in grid]
            for pos_i, i in enumerate(members):
                xi, yi = xs[i], ys[i]
                for group_no, group in enumerate(others):
                    for j in group[pos_i + 1 :] if group_no == 0 else group:
                        ddx, ddy = xi - xs[j], yi - ys[j]
                        d2 = ddx * ddx + ddy * ddy
                        if d2 > cutoff2:
                            continue
                        if d2 < 1e-9:
                            ddx, ddy, d2 = rng.uniform(-0.01, 0.01), rng.uniform(-0.01, 0.01), 1e-4
                        f = 1.0 / d2  # k^2 / d, as a factor on the (ddx, ddy) vector
                        dx[i] += ddx * f
                        dy[i] += ddy * f
                        dx[j] -= ddx * f
                        dy[j] -= ddy * f
        for i, j in links:
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            f = math.sqrt(ddx * ddx + ddy * ddy)  # d^2 / k, as a factor on the vector
            dx[i] -= ddx * f
            dy[i] -= ddy * f
            dx[j] += ddx * f
            dy[j] += ddy * f
        for i in range(n):
            fx, fy = dx[i], dy[i]
            r = math.sqrt(xs[i] * xs[i] + ys[i] * ys[i])
            if r > radius:  # a soft wall rather than a pull on everyone: no pressure build-up
                fx -= (r - radius) * xs[i] / r
                fy -= (r - radius) * ys[i] / r
            d = math.sqrt(fx * fx + fy * fy)
            if d > 0:
                step = min(d, temp) / d
                xs[i] += fx * step
                ys[i] += fy * step
        temp = max(temp - cool, 0.01)
    return {node: (xs[i], ys[i]) for i, node in enumerate(nodes)}


def sfdp(
    graph: nx.Graph, *, seed: int = 0, sizes: dict[Hashable, tuple[float, float]] | None = None, timeout: float = 120.0
) -> Positions:
    """Positions from Graphviz ``sfdp`` (raises :class:`GutKGError` when it is not installed).

    With ``sizes`` (pixels), nodes are boxes of that size and overlaps are removed (``prism``);
    positions are then in pixels. Without, nodes are points and units are arbitrary.
    """
    exe = shutil.which("sfdp")
    if exe is None:
        raise GutKGError("the sfdp layout needs Graphviz: install it (apt-get install graphviz) or use --layout spring")
    nodes = sorted(graph, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    if sizes:
        lines = ["graph G {", 'node [shape=box, fixedsize=true, label=""];']
        lines += [
            f"n{i} [width={sizes.get(v, (20, 20))[0] / 72:.3f}, height={sizes.get(v, (20, 20))[1] / 72:.3f}];"
            for i, v in enumerate(nodes)
        ]
    else:
        lines = ["graph G {", "node [shape=point];"]
        lines += [f"n{i};" for i in range(len(nodes))]
    lines += [f"n{index[u]} -- n{index[v]};" for u, v in {(u, v) for u, v in graph.edges()}]
    lines.append("}")
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv: the sfdp binary, the graph on stdin
            [
                exe,
                "-Tplain",
                f"-Goverlap={'prism' if sizes else 'true'}",
                "-Gsplines=false",
                f"-Gstart={seed}",
            ],
            input="\n".join(lines),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        raise GutKGError(f"sfdp failed ({exc}); try --layout spring") from None
    pos: Positions = {}
    for line in done.stdout.splitlines():
        if line.startswith("node "):
            _, name, x, y, *_ = line.split()
            pos[nodes[int(name[1:])]] = (float(x) * 72, -float(y) * 72)  # inches -> px
    if len(pos) != len(nodes):
        raise GutKGError("sfdp returned fewer positions than nodes; try --layout spring")
    return pos


def _circle(graph: nx.Graph) -> Positions:
    nodes = sorted(graph, key=str)
    n = len(nodes)
    return {
        node: (math.cos(2 * math.pi * i / n) * n / 6, math.sin(2 * math.pi * i / n) * n / 6)
        for i, node in enumerate(nodes)
    }


def _rows(nodes: list[Hashable], placed: Positions, sizes: dict[Hashable, tuple[float, float]]) -> Positions:
    """Concepts without claims, in rows under the rest (sorted, so the same graph looks the same)."""
    if not nodes:
        return {}
    xs = [p[0] for p in placed.values()] or [0.0]
    ys = [p[1] for p in placed.values()] or [0.0]
    left, width = min(xs), max(max(xs) - min(xs), 900.0)
    x, y = left, max(ys) + 120.0
    out: Positions = {}
    for v in sorted(nodes, key=str):
        w = sizes.get(v, (140.0, 40.0))[0] + 20
        if x + w > left + width and x > left:
            x, y = left, y + 60.0
        out[v] = (round(x + w / 2, 1), round(y, 1))
        x += w
    return out


def _spread(pos: Positions) -> Positions:
    """Centre on 0 and give each node about :data:`SPACING_PX` squared of room.

    For large graphs, where long claims make the median claim length a poor unit: the whole
    graph then opens zoomed out, with labels hidden until the user zooms in to a readable part.
    """
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    area = max((max(xs) - min(xs)) * (max(ys) - min(ys)), 1e-9)
    factor = SPACING_PX / math.sqrt(area / len(pos))
    return {n: (round((x - cx) * factor, 1), round((y - cy) * factor, 1)) for n, (x, y) in pos.items()}


def _scale(pos: Positions, graph: nx.Graph | None = None, *, keep: bool = False) -> Positions:
    """Centre on 0 and scale so a typical claim is :data:`EDGE_PX` long (unless ``keep``)."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    lengths = []
    if graph is not None:
        lengths = sorted(math.dist(pos[u], pos[v]) for u, v in graph.edges() if u != v)
    if keep:
        unit = EDGE_PX
    elif lengths:
        unit = lengths[len(lengths) // 2]
    else:  # nearest-neighbour spacing of a uniform spread
        area = max((max(xs) - min(xs)) * (max(ys) - min(ys)), 1e-9)
        unit = math.sqrt(area / len(pos))
    factor = EDGE_PX / unit if unit > 1e-9 else 1.0
    return {n: (round((x - cx) * factor, 1), round((y - cy) * factor, 1)) for n, (x, y) in pos.items()}
