"""gutkg export html without a browser: the page's structure, escaping, CSP, CLI and notebook object.

The behaviour in a real browser is in test_export_html_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from gutkg.export import EXPORTERS, exporter, format_for_path, to, write
from gutkg.export.html import Explorer, explore, page_data, to_html, write_html
from gutkg.export.layout import layout
from gutkg.export.selection import select
from tests.conftest import data


def network(name: str) -> nx.MultiDiGraph:
    from gutkg.loading import load
    from gutkg.network import to_network

    return to_network(load([data(name)]))


@pytest.fixture(scope="module")
def small():
    return network("html_small.ttl")


@pytest.fixture(scope="module")
def small_page(small):
    return to_html(small)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, text):
        if self._in_script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + text)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def embedded(page: str) -> dict:
    tags = parse(page)
    [(_, text)] = [s for s in tags.scripts if s[0].get("type") == "application/json"]
    return json.loads(text)


def test_page_loads_nothing_from_outside(small_page):
    tags = parse(small_page)
    assert tags.tags, "no tags parsed"
    for tag, attrs in tags.tags:
        for name in ("src", "href", "data", "action", "poster", "srcset"):
            assert not attrs.get(name), f"<{tag} {name}={attrs.get(name)!r}> in the template"
        assert tag not in {"link", "iframe", "img", "object", "embed", "base"}, tag
    assert re.search(r"@import|url\((?!\"?data:)", small_page) is None


def test_explorer_script_never_parses_html():
    from gutkg.export.html import _asset

    app = _asset("explorer.js")
    assert "textContent" in app
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "fetch(",
        "XMLHttpRequest",
    ):
        assert sink not in app, sink


def test_csp_allows_exactly_the_page_scripts(small_page):
    tags = parse(small_page)
    [csp] = [a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv")]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    runnable = [body for attrs, body in tags.scripts if "type" not in attrs]
    assert len(runnable) == 2  # vis-network and the explorer
    for body in runnable:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_page_carries_the_graph(small, small_page):
    d = embedded(small_page)
    assert len(d["nodes"]) == 9 and len(d["edges"]) == 9
    zonulin = next(n for n in d["nodes"] if n["id"] == "zonulin")
    assert zonulin["synonyms"] == ["pre-haptoglobin 2", "pre-HP2"]
    assert zonulin["category"] == "molecule"
    assert isinstance(zonulin["x"], float)
    edge = next(e for e in d["edges"] if e["id"] == "gliadin__increases__zonulin")
    assert edge["ev"][0]["source"] == "testa2000"  # references are listed once, by key
    assert d["refs"]["testa2000"] == {
        "citation": "Alpha & Beta 2000",
        "pmid": "10000001",
        "doi": "10.1000/gutkg.test.a",
        "url": "https://doi.org/10.1000/gutkg.test.a",
    }
    assert edge["ev"][0]["system"] == "in vitro" and "stance" not in edge["ev"][0]
    # the claim's grade: one moderate in vitro experiment is "very low" for people (gutkg.grading)
    assert edge["strength"] == 1 and edge["sign"] == 1 and "curve" not in edge
    back_and_forth = [e for e in d["edges"] if {e["from"], e["to"]} == {"dysbiosis", "autoimmune_disease"}]
    assert [e.get("curve") for e in back_and_forth] == [0.18, 0.18]
    assert d["systems"] == ["human", "in vitro", "mouse"]
    [q] = d["questions"]
    assert len(q["hypotheses"]) == 3
    assert d["big"] is False


def test_graph_text_is_escaped_everywhere():
    page = to_html(network("html_xss.ttl"), title="<script>alert(0)</script>")
    for raw in ("<img src=x", "<script>alert", "<svg", "<iframe", "<b onclick", "<i onmouseover"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert(0)&lt;/script&gt;" in page  # the title
    d = embedded(page)
    assert d["nodes"][0]["label"] == "<img src=x onerror=alert(1)>"  # intact once parsed


def test_notes_and_highlights_travel_to_the_page(small):
    d = embedded(to_html(small, path=("gliadin", "autoimmune disease"), focus="gliadin", depth=0))
    assert d["focus"] == "gliadin"
    assert [h["kind"] for h in d["highlights"]] == ["path", "path"]
    assert d["highlights"][0]["edges"][0] == "gliadin__increases__zonulin"
    assert d["notes"] == ["within 0 steps of gliadin"]


def test_integer_edge_keys_become_unique_ids():
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", sign=1, status="supported")
    g.add_edge("a", "b", sign=-1, status="contested")
    g.add_edge("b", "c", sign=1, status="supported")
    d = page_data(select(g), layout(g))
    ids = [e["id"] for e in d["edges"]]
    assert len(set(ids)) == 3 and "a|b|0" in ids
    assert sorted(e.get("curve") for e in d["edges"] if e["from"] == "a") == [0.18, 0.36]
    assert {n["category"] for n in d["nodes"]} == {"unknown"}


def test_big_graphs_are_flagged_and_compact():
    g = nx.MultiDiGraph()
    g.add_edges_from((i, i + 1, {"sign": 1, "status": "supported"}) for i in range(1001))
    page = to_html(g, layout="circle")
    d = embedded(page)
    assert d["big"] is True and len(d["nodes"]) == 1002
    assert '"big":true' in page  # compact separators


@pytest.mark.parametrize("method", ["spring", "sfdp", "circle", "auto"])
def test_layouts_place_every_node_deterministically(small, method):
    if method == "sfdp":
        pytest.importorskip("shutil").which("sfdp") or pytest.skip("graphviz not installed")
    sizes = {n: (80.0, 40.0) for n in small}
    pos = layout(small, method=method, seed=3, sizes=sizes)
    assert set(pos) == set(small)
    assert pos == layout(small, method=method, seed=3, sizes=sizes)
    assert len(set(pos.values())) == len(pos)  # no two concepts on one spot


def test_spring_puts_concepts_without_claims_underneath(small):
    pos = layout(small, method="spring")
    lonely = pos["lactulose_mannitol_test"]
    assert all(lonely[1] > y for n, (_, y) in pos.items() if n != "lactulose_mannitol_test")


def test_unknown_layout_is_a_clean_error(small):
    from gutkg.errors import GutKGError

    with pytest.raises(GutKGError, match="spring"):
        layout(small, method="magic")


def test_registry_picks_html_by_name_and_suffix(small, tmp_path):
    assert "html" in EXPORTERS and exporter("html").to_html is to_html
    assert format_for_path("x.htm") == "html"
    text = to("html", small)
    assert isinstance(text, str) and text.startswith("<!DOCTYPE html>")
    out = write(small, tmp_path / "g.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    from gutkg.errors import GutKGError

    with pytest.raises(GutKGError, match="html"):
        exporter("nope")
    with pytest.raises(GutKGError, match="suffix"):
        format_for_path("graph.xyz")


def test_write_html_reports_unwritable_paths(small, tmp_path):
    from gutkg.errors import GutKGError

    with pytest.raises(GutKGError, match="cannot write"):
        write_html(small, tmp_path / "missing-dir" / "g.html")


def test_explorer_renders_as_an_escaped_iframe(small, tmp_path):
    ex = explore(small, focus="zonulin", height=500)
    assert isinstance(ex, Explorer)
    frame = ex._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert "height:500px" in frame and 'sandbox="allow-scripts' in frame
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame)
    assert srcdoc is not None
    import html as htmlmod

    assert htmlmod.unescape(srcdoc.group(1)) == ex.html
    assert ex.save(tmp_path / "nb.html").read_text(encoding="utf-8") == ex.html


# ------------------------------------------------------------------ CLI


def test_cli_writes_the_file_and_reports(run_cli, tmp_path):
    out = tmp_path / "gut.html"
    result = run_cli(
        "export",
        "html",
        "--graph",
        str(data("html_small.ttl")),
        "-o",
        str(out),
        "--path",
        "gliadin",
        "autoimmune disease",
        "--species",
        "human",
    )
    assert result.exit_code == 0, result.output
    # human evidence only: gliadin -> zonulin rests on (human) cells in vitro, so no path is left
    assert f"wrote {out}" in result.output and "9 concepts, 3 claims" in result.output
    assert "species/model: human" in result.output
    assert embedded(out.read_text(encoding="utf-8"))["notes"] == [
        "species/model: human",
        "no path from gliadin to autoimmune disease within 5 claims",
    ]


def test_cli_json_report(run_cli, tmp_path):
    out = tmp_path / "gut.html"
    result = run_cli(
        "export",
        "html",
        "--graph",
        str(data("html_small.ttl")),
        "-o",
        str(out),
        "--focus",
        "zonulin",
        "--loops",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["path"] == str(out) and report["bytes"] == out.stat().st_size
    assert report["focus"] == "zonulin" and report["nodes"] == 3
    assert report["notes"] == ["no feedback loop through zonulin within 4 claims", "within 1 step of zonulin"]


def test_cli_to_stdout(run_cli):
    result = run_cli(
        "export", "html", "--graph", str(data("html_small.ttl")), "-o", "-", "--question", "gut_autoimmunity"
    )
    assert result.exit_code == 0
    assert result.output.startswith("<!DOCTYPE html>")
    assert len(embedded(result.output)["edges"]) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "zonulinn"], "Did you mean: 'zonulin'"),
        (["--question", "no such question"], "unknown question"),
        (["--min-strength", "huge"], "Invalid value for '--min-strength'"),
    ],
)
def test_cli_bad_input_is_a_clean_error(run_cli, tmp_path, args, message):
    result = run_cli("export", "html", "--graph", str(data("html_small.ttl")), "-o", str(tmp_path / "x.html"), *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


# ------------------------------------------------------------------ atomic writes (issue 15.8)

FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)       # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))  # a 'disk' that fills after 20 kB
from gutkg.cli import main
sys.exit(main(sys.argv[1:], standalone_mode=True))
"""


def test_cli_on_a_full_disk_keeps_the_good_page(tmp_path):
    """A write that fails part-way (file-size limit in a child process) leaves the old page whole."""
    import subprocess
    import sys

    out = tmp_path / "gut.html"
    good = "<!DOCTYPE html><p>the good page</p>"
    out.write_text(good, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            FULL_DISK,
            "export",
            "html",
            "--store",
            "memory",
            "--graph",
            str(data("html_small.ttl")),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode != 0
    assert "cannot write" in proc.stderr and "Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gut.html"]  # no temporary file left


def test_write_html_failing_mid_write_replaces_nothing(small, tmp_path, monkeypatch):
    """The same through the Python API, with a file object that fails after its first bytes."""
    import os

    from gutkg.errors import GutKGError

    out = tmp_path / "page.html"
    out.write_text("good", encoding="utf-8")
    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, payload):
            self.handle.write(payload[:100])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Failing(real_fdopen(fd, mode)))
    with pytest.raises(GutKGError, match="No space left on device"):
        write_html(small, out)
    assert out.read_text(encoding="utf-8") == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


# ------------------------------------------------------------------ vis-network and pyvis (issue 16)


def test_vis_network_is_vendored_and_pinned_not_taken_from_pyvis():
    """The page needs no pyvis: vis-network comes from export/vendor/, at the npm-pinned version."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    vendor = root / "src" / "gutkg" / "export" / "vendor"
    version = (vendor / "vis-network.VERSION").read_text(encoding="utf-8").strip()
    lock = json.loads((root / "assets" / "vis-network" / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/vis-network"]["version"] == version
    assert (
        json.loads((root / "assets" / "vis-network" / "package.json").read_text(encoding="utf-8"))["dependencies"][
            "vis-network"
        ]
        == version
    )
    licence = (vendor / "vis-network.LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Apache License" in licence
    code = (
        "import sys; sys.modules['pyvis'] = None\n"
        "from gutkg.export.html import vis_network_js\n"
        "js = vis_network_js(); print(js[:400])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"@version {version}" in proc.stdout


def test_to_pyvis_gives_a_configured_network(small):
    pytest.importorskip("pyvis")
    from gutkg.export.html import to_pyvis

    net = to_pyvis(select(small, focus="zonulin", depth=1))
    ids = {n["id"] for n in net.nodes}
    assert ids == {"zonulin", "gliadin", "intestinal_permeability"}
    edge = next(e for e in net.edges if e["from"] == "zonulin")
    assert edge["dashes"] == [2, 4]  # contested: dotted, never a label
    assert edge["arrows"]["to"]["type"] == "arrow" and "contested" in edge["title"]
    assert all(n["physics"] is False and "x" in n for n in net.nodes)
    assert net.directed


def test_to_pyvis_without_pyvis_names_the_extra(small):
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['pyvis'] = None; sys.modules['pyvis.network'] = None\n"
        "import networkx as nx\n"
        "from gutkg.errors import GutKGError\n"
        "from gutkg.export.html import to_pyvis\n"
        "try:\n    to_pyvis(nx.MultiDiGraph())\nexcept GutKGError as exc:\n    print(exc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "pip install 'gutkg[notebook]'" in proc.stdout, proc.stderr


# ------------------------------------------------------------------ the first view's data


def test_page_opens_on_the_question_with_its_verdict(bundled_network):
    data_ = page_data(select(bundled_network), {})
    assert data_["opening"] == "dysbiosis_autoimmunity"
    q = next(q for q in data_["questions"] if q["id"] == "dysbiosis_autoimmunity")
    assert q["ends"] == ["dysbiosis", "autoimmune_disease"]
    assert {r["role"] for r in q["verdict"]["rows"]} == {"forward", "reverse", "shared cause", "feedback"}
    assert all(r["label"] and r["human_label"] for r in q["verdict"]["rows"])
    # its own layout fits a 1366x768 graph area at 12 px labels
    xs = [p[0] for p in q["pos"].values()]
    ys = [p[1] for p in q["pos"].values()]
    assert max(xs) - min(xs) <= 1040.5 and max(ys) - min(ys) <= 720.5
    # a focus or a highlight opens there instead
    assert page_data(select(bundled_network, focus="zonulin"), {})["opening"] is None


def test_evidence_items_say_when_they_are_synthesis(bundled_network):
    data_ = page_data(select(bundled_network), {})
    items = [it for e in data_["edges"] for it in e.get("ev", [])]
    assert any(it.get("synthesis") for it in items) and not all(it.get("synthesis") for it in items)
    assert all(it.get("system") == "review" for it in items if it.get("synthesis"))
    assert data_["designs"] and "randomized clinical trial" in data_["designs"]
