"""Slide-ready figures: valid SVG with every label, legible and unoverlapped, exact PNG size, PDF
that pdftoppm reads, and clean refusals (bad size, unknown format, empty selection, bad path)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gutkg.errors import GutKGError, InputError
from tests.conftest import data

SVG = "{http://www.w3.org/2000/svg}"
FIXTURE = str(data("export_teaching.ttl"))
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
pytestmark = needs_dot


@pytest.fixture(scope="module")
def network():
    from gutkg.netcache import load_network

    return load_network([FIXTURE])


@pytest.fixture(scope="module")
def figure(network):
    from gutkg.export.figure import build_figure

    return build_figure(network, title="Teaching fixture", subtitle="every claim")


def _scale(svg_root: ET.Element) -> float:
    drawing = svg_root.find(f".//{SVG}g[@id='drawing']")
    assert drawing is not None
    match = re.search(r"scale\(([\d.]+)\)", drawing.get("transform", ""))
    assert match
    return float(match[1])


def _translate(svg_root: ET.Element) -> tuple[float, float]:
    drawing = svg_root.find(f".//{SVG}g[@id='drawing']")
    assert drawing is not None
    match = re.search(r"translate\(([\d.\-]+),([\d.\-]+)\)", drawing.get("transform", ""))
    assert match
    return float(match[1]), float(match[2])


def _node_boxes(svg_root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    """Concept id -> (x0, y0, x1, y1) of its box, in Graphviz layout units."""
    boxes = {}
    for group in svg_root.iter(f"{SVG}g"):
        gid = group.get("id", "")
        if not gid.startswith("node-"):
            continue
        points = [
            tuple(map(float, p.split(",")))
            for shape in group.iter()
            if shape.tag in (f"{SVG}path", f"{SVG}polygon")
            for p in re.findall(r"-?[\d.]+,-?[\d.]+", shape.get("d", "") + " " + shape.get("points", ""))
        ]
        assert points, gid
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes[gid.removeprefix("node-")] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_svg_is_valid_xml_and_shows_every_label_of_the_selection(figure, network):
    root = ET.fromstring(figure.svg.encode("utf-8"))
    assert root.get("width") == "1920" and root.get("height") == "1080"
    labels = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("id", "").startswith("node-"):
            labels[group.get("id")[5:]] = " ".join(t.text or "" for t in group.iter(f"{SVG}text"))
    assert labels, "no concept box found in the SVG"
    assert labels == {n: d["label"] for n, d in network.nodes(data=True)}
    assert 'IL-1β <"odd" & {label}|[x]>; %% end' in labels.values()  # escaped, not mangled
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Teaching fixture" in text and "Legend" in text
    for note in figure.footnotes:  # short citations as numbered footnotes
        assert note in text
    assert "[1] Doe et al. 2019, Test J" in text


def test_every_label_is_at_least_14_px_at_1920x1080(figure):
    root = ET.fromstring(figure.svg.encode("utf-8"))
    scale = _scale(root)
    drawing = root.find(f".//{SVG}g[@id='drawing']")
    inside = {id(t) for t in drawing.iter(f"{SVG}text")}
    sizes = []
    for t in root.iter(f"{SVG}text"):
        size = float(t.get("font-size", "0"))
        sizes.append(size * scale if id(t) in inside else size)
    assert len(sizes) > 20
    assert min(sizes) >= 14.0, sorted(sizes)[:5]
    assert figure.label_px >= 14.0


def test_concept_boxes_do_not_overlap_each_other_nor_the_legend(figure):
    root = ET.fromstring(figure.svg.encode("utf-8"))
    boxes = _node_boxes(root)
    assert len(boxes) == 9
    items = list(boxes.items())
    for i, (a, box_a) in enumerate(items):
        for b, box_b in items[i + 1 :]:
            assert not _overlap(box_a, box_b), (a, b)
    scale, (ox, _) = _scale(root), _translate(root)
    legend = root.find(f".//{SVG}g[@id='legend']/{SVG}rect")
    assert legend is not None
    right_edge = max(ox + box[2] * scale for box in boxes.values())
    assert right_edge < float(legend.get("x"))


def test_claim_marks_do_not_overlap_concept_boxes_or_each_other(figure):
    root = ET.fromstring(figure.svg.encode("utf-8"))
    boxes = list(_node_boxes(root).values())
    marks = []
    for group in root.iter(f"{SVG}g"):
        if not group.get("id", "").startswith("claim-"):
            continue
        for t in group.iter(f"{SVG}text"):
            x, y, size = float(t.get("x")), float(t.get("y")), float(t.get("font-size"))
            half = len(t.text or "") * size * 0.55 / 2
            marks.append((x - half, y - size * 0.75, x + half, y + size * 0.2))
    assert len(marks) >= 8
    for mark in marks:
        assert not any(_overlap(mark, box) for box in boxes), mark
    for i, a in enumerate(marks):
        for b in marks[i + 1 :]:
            assert not _overlap(a, b), (a, b)


def _png_size(payload: bytes) -> tuple[int, int]:
    assert payload[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", payload[16:24])


@pytest.mark.parametrize("size", ["1920x1080", "1280x720", "1024x768"])
def test_png_has_the_requested_size(network, tmp_path, size):
    from gutkg.export.figure import write_figure

    out = tmp_path / "fig.png"
    write_figure(network, out, title="sizes", size=size)
    assert _png_size(out.read_bytes()) == tuple(map(int, size.split("x")))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdf_converts_with_pdftoppm(network, tmp_path):
    from gutkg.export.figure import write_figure

    out = tmp_path / "fig.pdf"
    write_figure(network, out, title="pdf", theme="dark")
    done = subprocess.run(
        ["pdftoppm", "-png", "-r", "24", str(out), str(tmp_path / "page")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    width, height = _png_size(pages[0].read_bytes())
    assert (width, height) == (480, 270)  # 1440x810 pt at 24 dpi: the 1920x1080 px page


def test_dark_theme_changes_the_background_and_keeps_the_palette(network):
    from gutkg.export import style
    from gutkg.export.figure import build_figure

    dark = build_figure(network, title="dark", theme="dark").svg
    assert style.THEMES["dark"].background in dark
    assert style.node_fill("disease") in dark


def test_palette_matches_the_browser_explorer():
    from gutkg.export import html, style

    assert {k: v[1] for k, v in html.CATEGORIES.items()} == style.CATEGORY_COLOURS
    js = (Path(html.__file__).parent / "templates" / "explorer.js").read_text("utf-8")
    for sign, colour in style.SIGN_COLOURS["light"].items():
        assert f"'{sign}': {{name:" in js and colour in js


def _dense(n: int = 90, strong: frozenset[int] = frozenset()):
    """A ring of ``n`` concepts, each with three claims (weak, or strong for the ``strong`` ones)."""
    import networkx as nx

    big = nx.MultiDiGraph()
    for i in range(n):
        big.add_node(f"c{i}", label=f"concept number {i}", category="state")
    for i in range(n):
        for j in (1, 7, 13):
            big.add_edge(
                f"c{i}",
                f"c{(i + j) % n}",
                key=f"k{i}_{j}",
                sign=1,
                status="supported",
                strength=4 if (i in strong and j == 1) else 2,
                evidence=[],
            )
    return big


def test_a_selection_too_large_to_read_is_refused_only_after_trying_to_fit_it():
    from gutkg.export.figure import TooDense, build_figure, fit_figure

    big = _dense()
    with pytest.raises(TooDense):  # at 1920x1080 it is too dense ...
        build_figure(big, title="too big")
    # ... so a larger canvas is tried, then pruning (nothing to prune: every claim is weak), then
    # the refusal names the options that narrow the selection
    with pytest.raises(GutKGError, match=r"too large for a legible figure.*even at 3840x2160.*--depth 1"):
        fit_figure(big, title="too big")
    with pytest.raises(GutKGError, match=r"even at 1920x1080"):  # a size asked for is kept
        fit_figure(big, title="too big", size="1920x1080")


def test_a_dense_selection_grows_the_canvas_then_keeps_the_best_evidenced_claims():
    from gutkg.export.figure import MIN_LABEL_PX, fit_figure

    big = _dense(strong=frozenset(range(0, 90, 6)))
    fig = fit_figure(big, title="dense", subtitle="90 concepts")
    assert fig.label_px >= MIN_LABEL_PX
    assert fig.claims == 15 and fig.concepts == 30  # the 15 strong claims and their concepts
    assert "pruned by each claim's grade" in fig.adapted[-1]
    # the least pruning that fits, on the smallest canvas that fits it
    assert ((fig.width, fig.height) == (1920, 1080)) == (len(fig.adapted) == 1)
    root = ET.fromstring(fig.svg.encode("utf-8"))
    header = " ".join(t.text or "" for t in root.find(f".//{SVG}g[@id='header']").iter(f"{SVG}text"))
    assert "only the 15 of 270 claims graded moderate or higher drawn" in header  # = high here
    assert "--" not in header  # the audience is not told about command-line options
    assert set(_node_boxes(root)) == {*(f"c{i}" for i in range(0, 90, 6)), *(f"c{i + 1}" for i in range(0, 90, 6))}


def test_around_a_focus_pruning_keeps_its_own_claims_and_what_connects_to_it():
    from gutkg.export.figure import fit_figure

    big = _dense(strong=frozenset(range(0, 90, 6)))
    fig = fit_figure(big, title="around c2", keep=("c2",))
    root = ET.fromstring(fig.svg.encode("utf-8"))
    drawn = set(_node_boxes(root))
    own = {n for u, v in big.edges() if "c2" in (u, v) for n in (u, v)}
    assert "c2" in drawn and own <= drawn  # the focus and every neighbour through its own claims
    assert "that connect to concept number 2, and its own, drawn" in fig.svg
    assert fig.claims < 270 and "narrow the selection" in fig.adapted[-1]


def test_dense_loops_are_pruned_to_the_best_ones_not_by_evidence():
    from gutkg.export.figure import fit_figure

    big = _dense(n=60)
    tracks = [
        [(f"c{i}", f"c{(i + 1) % 60}", f"k{i}_1"), (f"c{(i + 1) % 60}", f"c{i}", "back")] for i in range(0, 60, 2)
    ]
    for i in range(0, 60, 2):
        big.add_edge(f"c{(i + 1) % 60}", f"c{i}", key="back", sign=1, status="supported", strength=2)
    shown = big.edge_subgraph([e for t in tracks for e in t]).copy()
    fig = fit_figure(shown, title="loops", size="1280x720", tracks=tracks, track_kind="loops")
    n = int(re.search(r"the best (\d+) of 30 loops drawn", fig.svg)[1])
    assert 1 <= n < 30 and fig.claims == 2 * n
    assert f"--limit {n}" in fig.adapted[-1] and "--limit" not in fig.svg


def test_a_10000_character_label_is_clipped_with_an_ellipsis_not_refused(network):
    from gutkg.export.figure import MAX_LABEL, fit_figure

    graph = network.copy()
    node = next(iter(graph.nodes))
    graph.nodes[node]["label"] = "leaky " * 1666 + "gut"  # ~10,000 characters
    fig = fit_figure(graph, title="Around " + graph.nodes[node]["label"], subtitle=graph.nodes[node]["label"])
    root = ET.fromstring(fig.svg.encode("utf-8"))
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    drawn = " ".join(
        t.text or "" for g in root.iter(f"{SVG}g") if g.get("id") == f"node-{node}" for t in g.iter(f"{SVG}text")
    )
    assert drawn.endswith("…") and len(drawn) <= MAX_LABEL + 4
    assert max(map(len, texts)) < 200 and fig.label_px >= 14
    assert fig.title.endswith("…") and len(fig.title) <= 141


@pytest.mark.parametrize("size", ["0x0", "abc", "1920", "-5x10", "99999x1080"])
def test_bad_sizes_are_refused(size):
    from gutkg.export.figure import parse_size

    with pytest.raises(InputError, match="bad --size"):
        parse_size(size)


def test_an_empty_selection_is_refused(network):
    from gutkg.export.figure import build_figure

    with pytest.raises(GutKGError, match="empty"):
        build_figure(network.subgraph([]).copy(), title="nothing")


def test_a_failed_render_leaves_no_file_behind(network, tmp_path, monkeypatch):
    from gutkg.export import figure as figmod

    out = tmp_path / "keep.png"
    out.write_bytes(b"previous figure")

    def boom(self, fmt):
        raise GutKGError("renderer crashed")

    monkeypatch.setattr(figmod.Figure, "render", boom)
    with pytest.raises(GutKGError, match="crashed"):
        figmod.write_figure(network, out, title="x")
    assert out.read_bytes() == b"previous figure"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.png"]


# --- the command ---------------------------------------------------------------------------------


def test_cli_writes_the_vicious_cycle_figure(run_cli, tmp_path):
    out = tmp_path / "loops.svg"
    result = run_cli("export", "figure", "--loop", "leaky gut", "-o", str(out), "--graph", FIXTURE)
    assert result.exit_code == 0, result.output
    svg = out.read_text("utf-8")
    assert "Feedback loops through increased intestinal permeability" in svg
    assert "mucosal inflammation" in svg and "gliadin" not in svg  # only the loops' concepts


def test_cli_reports_json(run_cli, tmp_path):
    import json

    out = tmp_path / "path.png"
    result = run_cli(
        "export",
        "figure",
        "--path",
        "dysbiosis",
        "autoimmune disease",
        "-o",
        str(out),
        "--theme",
        "dark",
        "--size",
        "1280x720",
        "--format",
        "json",
        "--graph",
        FIXTURE,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["width"] == 1280 and report["concepts"] == 3 and report["label_px"] >= 14
    assert _png_size(out.read_bytes()) == (1280, 720)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--loop", "gliadin"], "empty"),  # no loop passes through gliadin
        (["--focus", "zonulin", "--species", "martian"], "unknown species or model 'martian'"),
        (["--loop", "leaky gut", "--size", "0x0"], "bad --size"),
        (["--loop", "leaky gut", "--theme", "sepia"], "sepia"),
        (["--loop", "no such concept"], "unknown concept"),
    ],
)
def test_cli_bad_input_gives_a_clear_message_and_no_file(run_cli, tmp_path, args, message):
    out = tmp_path / "fig.svg"
    result = run_cli("export", "figure", *args, "-o", str(out), "--graph", FIXTURE)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["missing-folder/fig.svg", "a-file/fig.svg", "fig.gif"])
def test_cli_refuses_unwritable_paths_and_unknown_formats(run_cli, tmp_path, target):
    (tmp_path / "a-file").write_text("not a folder")
    result = run_cli("export", "figure", "--loop", "leaky gut", "-o", str(tmp_path / target), "--graph", FIXTURE)
    assert result.exit_code != 0
    assert ("cannot write" in result.output) or ("unknown figure format" in result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.slow
def test_the_vicious_cycle_figure_on_the_bundled_graph_is_legible(bundled_network):
    from gutkg.export.figure import build_figure
    from gutkg.export.selection import select
    from gutkg.export.teaching import FIGURE_TRACKS, view_of

    sel = select(bundled_network, focus="increased intestinal permeability", loops=True, depth=0, limit=FIGURE_TRACKS)
    shown = view_of(sel, wanted_highlights=True)
    assert 0 < len(sel.highlights) <= FIGURE_TRACKS
    fig = build_figure(shown, title="Feedback loops through increased intestinal permeability")
    assert fig.label_px >= 14 and fig.claims == shown.number_of_edges()
    root = ET.fromstring(fig.svg.encode("utf-8"))
    boxes = list(_node_boxes(root).values())
    assert len(boxes) == shown.number_of_nodes()
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_without_marks_the_figure_has_no_footnotes_and_concept_sized_labels(network):
    from gutkg.export.figure import EDGE_FONT, build_figure

    fig = build_figure(network, title="no marks", marks=False)
    root = ET.fromstring(fig.svg.encode("utf-8"))
    claim_texts = [
        t for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("claim-") for t in g.iter(f"{SVG}text")
    ]
    assert fig.footnotes == [] and claim_texts == []
    assert fig.label_px > EDGE_FONT and "footnoted reference" not in fig.svg


@pytest.mark.slow
def test_the_zonulin_focus_at_depth_2_makes_a_figure_that_says_how_it_fitted(run_cli, tmp_path):
    """Issue 17: this 71-concept focus was refused ("--limit for more" on the subtitle)."""
    import json

    out = tmp_path / "zonulin.svg"
    result = run_cli("export", "figure", "--focus", "zonulin", "--depth", "2", "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["label_px"] >= 14 and report["adapted"]
    assert report["selection"]["nodes"] > 60  # the whole focus was asked for ...
    assert 0 < report["concepts"] < report["selection"]["nodes"]  # ... and pruned, saying so
    root = ET.fromstring(out.read_bytes())
    header = " ".join(t.text or "" for t in root.find(f".//{SVG}g[@id='header']").iter(f"{SVG}text"))
    assert "or higher that connect to zonulin" in header and "--" not in header
    panel = root.find(f".//{SVG}g[@id='legend']/{SVG}rect")
    rule = root.find(f".//{SVG}g[@id='footnotes']/{SVG}line")
    assert float(panel.get("y")) + float(panel.get("height")) < float(rule.get("y1"))  # apart


@pytest.mark.slow
def test_the_loop_figure_shows_the_loops_gutkg_loops_ranks_first(bundled_network, run_cli, tmp_path):
    """Issue 17: "6 loops (shortest first)" left out every two-claim loop."""
    from gutkg.analysis.loops import find_loops

    focus = "increased_intestinal_permeability"
    ranked = find_loops(bundled_network, through=focus, limit=50, budget=None).loops
    best: list[frozenset[str]] = []
    for lp in ranked:
        if frozenset(lp.nodes) not in best:
            best.append(frozenset(lp.nodes))
    out = tmp_path / "loops.svg"
    result = run_cli("export", "figure", "--loop", "increased intestinal permeability", "-o", str(out))
    assert result.exit_code == 0, result.output
    svg = out.read_text("utf-8")
    root = ET.fromstring(svg.encode("utf-8"))
    drawn = set(_node_boxes(root))
    assert set().union(*best[:6]) == drawn  # exactly the concepts of the six best loops
    assert min(len(lp.nodes) for lp in ranked) == 2 and any(len(b) == 2 for b in best[:6])
    header = " ".join(t.text or "" for t in root.find(f".//{SVG}g[@id='header']").iter(f"{SVG}text"))
    assert "6 loops (best first)" in header and "--limit" not in svg


@pytest.mark.parametrize(
    "command", [["figure", "--focus", "zonulin", "--depth", "1"], ["slides", "--question", "gliadin"]]
)
def test_a_10000_character_label_gives_a_figure_and_a_deck_from_the_cli(run_cli, tmp_path, command):
    """Issue 15.10: a 10,000-character label made every figure fail with a misleading
    "no room left (0 footnotes)"; it is now cut with an ellipsis in figures and decks."""
    text = Path(FIXTURE).read_text("utf-8")
    huge = "zonulin " + "very " * 2000 + "long"
    graph = tmp_path / "long.ttl"
    graph.write_text(text.replace('skos:prefLabel "zonulin"@en', f'skos:prefLabel "{huge}"@en', 1), "utf-8")
    out = tmp_path / ("fig.svg" if command[0] == "figure" else "deck.html")
    result = run_cli("export", *command, "-o", str(out), "--graph", str(graph))
    assert result.exit_code == 0, result.output
    written = out.read_text("utf-8")
    assert "zonulin very very" in written and "very " * 40 not in written and "…" in written
