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
    from gutkg.network import load_network

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
        points = [tuple(map(float, p.split(","))) for shape in group.iter()
                  if shape.tag in (f"{SVG}path", f"{SVG}polygon")
                  for p in re.findall(r"-?[\d.]+,-?[\d.]+", shape.get("d", "") + " " + shape.get("points", ""))]
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
        for b, box_b in items[i + 1:]:
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
        for b in marks[i + 1:]:
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
    done = subprocess.run(["pdftoppm", "-png", "-r", "24", str(out), str(tmp_path / "page")],
                          capture_output=True, text=True, check=False)
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


def test_a_selection_too_large_to_read_is_refused_with_a_hint():
    import networkx as nx

    from gutkg.export.figure import build_figure

    big = nx.MultiDiGraph()
    for i in range(90):
        big.add_node(f"c{i}", label=f"concept number {i}", category="state")
    for i in range(90):
        for j in (1, 7, 13):
            big.add_edge(f"c{i}", f"c{(i + j) % 90}", key=f"k{i}_{j}", sign=1, status="supported",
                         strength=2, evidence=[])
    with pytest.raises(GutKGError, match=r"too large for a legible slide.*--depth 1"):
        build_figure(big, title="too big")


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
    result = run_cli("export", "figure", "--path", "dysbiosis", "autoimmune disease", "-o", str(out),
                     "--theme", "dark", "--size", "1280x720", "--format", "json", "--graph", FIXTURE)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["width"] == 1280 and report["concepts"] == 3 and report["label_px"] >= 14
    assert _png_size(out.read_bytes()) == (1280, 720)


@pytest.mark.parametrize(("args", "message"), [
    (["--loop", "gliadin"], "empty"),                       # no loop passes through gliadin
    (["--focus", "zonulin", "--species", "martian"], "unknown species or model 'martian'"),
    (["--loop", "leaky gut", "--size", "0x0"], "bad --size"),
    (["--loop", "leaky gut", "--theme", "sepia"], "sepia"),
    (["--loop", "no such concept"], "unknown concept"),
])
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
    result = run_cli("export", "figure", "--loop", "leaky gut", "-o", str(tmp_path / target),
                     "--graph", FIXTURE)
    assert result.exit_code != 0
    assert ("cannot write" in result.output) or ("unknown figure format" in result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.slow
def test_the_vicious_cycle_figure_on_the_bundled_graph_is_legible(bundled_network):
    from gutkg.export.figure import build_figure
    from gutkg.export.selection import select
    from gutkg.export.teaching import FIGURE_TRACKS, view_of

    sel = select(bundled_network, focus="increased intestinal permeability", loops=True, depth=0,
                 limit=FIGURE_TRACKS)
    shown = view_of(sel, wanted_highlights=True)
    assert 0 < len(sel.highlights) <= FIGURE_TRACKS
    fig = build_figure(shown, title="Feedback loops through increased intestinal permeability")
    assert fig.label_px >= 14 and fig.claims == shown.number_of_edges()
    root = ET.fromstring(fig.svg.encode("utf-8"))
    boxes = list(_node_boxes(root).values())
    assert len(boxes) == shown.number_of_nodes()
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_without_marks_the_figure_has_no_footnotes_and_concept_sized_labels(network):
    from gutkg.export.figure import EDGE_FONT, build_figure

    fig = build_figure(network, title="no marks", marks=False)
    root = ET.fromstring(fig.svg.encode("utf-8"))
    claim_texts = [t for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("claim-")
                   for t in g.iter(f"{SVG}text")]
    assert fig.footnotes == [] and claim_texts == []
    assert fig.label_px > EDGE_FONT and "footnoted reference" not in fig.svg
