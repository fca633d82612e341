"""Lecture decks: the story (tracks in causal order), the HTML deck offline in headless Chromium,
the PPTX reopened by python-pptx (and converted by LibreOffice when it is installed), bad input."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gutkg.errors import GutKGError, InputError
from tests.browser import CHROMIUM, chromium_context
from tests.conftest import data

FIXTURE = str(data("export_teaching.ttl"))
QUESTION = "dysbiosis_autoimmunity"
#: title, question, map; each rival: its intro and one step per claim (2, 2, 2, 3 claims);
#: the summary (the fixture's question names no exposure/outcome: no verdict), what would settle
#: it, and the references (5 per slide)
EXPECTED_KINDS = [
    "title",
    "question",
    "map",
    "rival",
    "step",
    "step",
    "rival",
    "step",
    "step",
    "rival",
    "step",
    "step",
    "rival",
    "step",
    "step",
    "step",
    "summary",
    "settle",
    "references",
    "references",
]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")


@pytest.fixture(scope="module")
def network():
    from gutkg.netcache import load_network

    return load_network([FIXTURE])


@pytest.fixture(scope="module")
def story(network):
    from gutkg.export.selection import select
    from gutkg.export.story import selection_story

    return selection_story(select(network, question="dysbiosis"), question=QUESTION, base=network)


class _Sections(HTMLParser):
    """The visible text of each top-level <section> of a deck (speaker notes left out), and its
    data-kind."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, list[str]]] = []
        self._depth = 0
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.sections.append((dict(attrs).get("data-kind", ""), []))
        if tag in {"aside", "script", "style"}:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in {"aside", "script", "style"}:
            self._hidden -= 1

    def handle_data(self, data):
        if self.sections and not self._hidden:
            self.sections[-1][1].append(data)


def html_sections(html: str) -> list[tuple[str, str]]:
    parser = _Sections()
    parser.feed(html)
    return [(kind, " ".join(" ".join(parts).split())) for kind, parts in parser.sections]


def pptx_slides(path: Path) -> list[dict]:
    """Each slide of a .pptx as python-pptx reads it back: text, the font sizes of every run
    (text boxes, shapes, tables), and its shapes."""
    from pptx import Presentation

    out = []
    for slide in Presentation(str(path)).slides:
        texts, sizes = [], []
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        frames += [c.text_frame for s in slide.shapes if s.has_table for row in s.table.rows for c in row.cells]
        for frame in frames:
            for para in frame.paragraphs:
                for run in para.runs:
                    if run.text.strip():
                        texts.append(run.text)
                        sizes.append(run.font.size.pt if run.font.size else None)
        out.append(
            {"slide": slide, "text": " ".join(" ".join(texts).split()), "sizes": sizes, "shapes": list(slide.shapes)}
        )
    return out


def assert_laid_out(pages: list[dict]) -> None:
    """Every shape (tables at the height their rows need) lies on its slide, and the map's concept
    boxes do not overlap."""
    from pptx.util import Inches

    width, height = Inches(13.333), Inches(7.5)
    for i, page in enumerate(pages, 1):
        for shape in page["shapes"]:
            bottom = shape.top + (sum(r.height for r in shape.table.rows) if shape.has_table else shape.height)
            assert shape.left >= 0 and shape.top >= 0, (i, shape.name)
            assert shape.left + shape.width <= width + 10 and bottom <= height + 10, (i, shape.name)
        boxes = [
            (s.left, s.top, s.left + s.width, s.top + s.height)
            for s in page["shapes"]
            if s.shape_type == 1 and s.has_text_frame and s.text_frame.text and s.width < width / 2
        ]
        for j, a in enumerate(boxes):
            for b in boxes[j + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), i


def test_the_question_story_has_one_track_per_rival_in_causal_order(story):
    assert [t.label for t in story.tracks] == [
        "autoimmunity drives dysbiosis",
        "barrier failure is the common cause",
        "dysbiosis drives autoimmunity",
        "vicious cycle",
    ]
    chain = next(t for t in story.tracks if t.id == "dysbiosis_drives_autoimmunity")
    assert [k for _, _, k in chain.claims] == [
        "dysbiosis__increases__increased_intestinal_permeability",
        "increased_intestinal_permeability__increases__autoimmune_disease",
    ]
    for track in story.tracks:  # every claim's effect is a later claim's cause, where one exists
        for (_, v, _), (u2, _, _) in zip(track.claims, track.claims[1:], strict=False):
            assert v == u2 or track.id == "barrier_failure_common_cause"
    assert story.steps == 9 and len({t.colour for t in story.tracks}) == 4


def test_a_rival_reveals_at_most_max_steps_claims_best_evidenced_first_in_causal_order(network):
    from gutkg.export.selection import select
    from gutkg.export.story import selection_story

    story = selection_story(select(network, question="dysbiosis"), question=QUESTION, max_steps=1)
    cycle = next(t for t in story.tracks if t.id == "vicious_cycle")
    assert len(cycle.claims) == 1 and len(cycle.all_claims) == 3 and len(cycle.hidden) == 2
    strengths = {e: int(story.claim(e).get("strength", 0)) for e in cycle.all_claims}
    assert strengths[cycle.claims[0]] == max(strengths.values())


def test_a_rival_that_loses_every_claim_to_a_filter_keeps_an_empty_track(network):
    from gutkg.analysis.filters import EvidenceFilter
    from gutkg.export.deck import plan
    from gutkg.export.selection import select
    from gutkg.export.story import selection_story

    sel = select(network, question="dysbiosis", evidence=EvidenceFilter(species=("mouse",)))
    story = selection_story(sel, question=QUESTION)
    sizes = {t.id: len(t.claims) for t in story.tracks}
    assert sizes["barrier_failure_common_cause"] == 0 and sizes["autoimmunity_drives_dysbiosis"] == 1
    intro = next(s for s in plan(story, with_map=False) if s.kind == "rival" and "barrier failure" in s.title)
    assert intro.data["facts"] == ["No claim of it survives the evidence filters."]


@needs_dot
def test_the_plan_tells_each_rival_claim_by_claim_with_notes(story):
    from gutkg.export.deck import plan

    slides = plan(story)
    assert [s.kind for s in slides] == EXPECTED_KINDS
    assert all(s.notes.strip() for s in slides)
    intro = next(s for s in slides if s.kind == "rival" and "dysbiosis drives" in s.title)
    first = slides[slides.index(intro) + 1]
    assert first.data["lines"][0] == ("head", "dysbiosis increases increased intestinal permeability")
    assert ("cite", "Doe et al. 2019") in first.data["lines"]
    assert "Doe et al. 2019" in first.notes and "germ-free" in first.notes
    assert first.data["colour"] == next(t.colour for t in story.tracks if "dysbiosis drives" in t.label)
    summary = next(s for s in slides if s.kind == "summary")
    assert summary.data["header"][0] == "answer" and len(summary.data["rows"]) == 4
    refs = next(s for s in slides if s.kind == "references").data["refs"]
    assert [r["citation"] for r in refs][:2] == ["Doe et al. 2019", "Li & Wu 2017"]
    assert refs[0]["id"] == "doi:10.0000/test.2019.1"
    settle = next(s for s in slides if s.kind == "settle")
    uncounted = [
        f"{story.label(u)} → {story.label(v)}"
        for t in story.tracks
        for u, v, k in t.claims
        if not story.claim((u, v, k))["grading"]["level"]
    ]
    assert uncounted and any(uncounted[0] in item for item in settle.data["items"])
    assert all(item.startswith("No primary study yet") for item in settle.data["items"])  # no verdict


@needs_dot
def test_the_map_is_coloured_by_rival_and_is_vector_in_html_and_pptx(story, tmp_path):
    import base64
    import xml.etree.ElementTree as ET

    from gutkg.export.slides import write_deck

    out = tmp_path / "lecture.html"
    planned = write_deck(story, out)
    html = out.read_text("utf-8")
    svg = base64.b64decode(
        re.search(
            r'class="map"><img alt="[^"]*" src="data:image/svg\+xml;base64,'
            r"([A-Za-z0-9+/=]+)",
            html,
        )[1]
    ).decode()
    root = ET.fromstring(svg)  # vector: the map is an SVG image inside the HTML
    strokes = {
        p.get("stroke")
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("id", "").startswith("claim-")
        for p in g.iter("{http://www.w3.org/2000/svg}path")
    }
    assert {t.colour for t in story.tracks} <= strokes  # every rival's colour is drawn
    assert all(t.label[:12] in svg for t in story.tracks)  # ... and named in the legend
    pptx = tmp_path / "lecture.pptx"
    write_deck(story, pptx)
    slides = pptx_slides(pptx)
    kinds = [s.kind for s in planned]
    shapes = slides[kinds.index("map")]["shapes"]
    assert not [s for s in shapes if s.shape_type == 13]  # no picture: native shapes
    boxes = [s for s in shapes if s.shape_type == 1 and s.has_text_frame and s.text_frame.text]
    lines = [s for s in shapes if s.shape_type is None or "Connector" in type(s).__name__]
    figure = planned[kinds.index("map")].data["figure"]
    assert len(boxes) == figure.concepts and len(lines) == figure.claims


@needs_dot
def test_step_slides_stay_under_the_word_limit_in_html_and_pptx(story, tmp_path):
    from gutkg.export.slides import write_deck

    for limit in (25, 12):
        html, pptx = tmp_path / f"d{limit}.html", tmp_path / f"d{limit}.pptx"
        write_deck(story, html, max_words=limit)
        write_deck(story, pptx, max_words=limit)
        sections = html_sections(html.read_text("utf-8"))
        steps = [text for kind, text in sections if kind == "step"]
        assert len(steps) == story.steps
        assert max(len(t.split()) for t in steps) <= limit
        pages = pptx_slides(pptx)
        assert len(pages) == len(sections)
        pptx_steps = [p["text"] for p, (kind, _) in zip(pages, sections, strict=True) if kind == "step"]
        assert max(len(t.split()) for t in pptx_steps) <= limit
        assert sorted(pptx_steps) == sorted(steps)  # the same words in both formats


@needs_dot
def test_nothing_in_the_pptx_is_under_18_pt(story, tmp_path):
    from gutkg.export.slides import write_deck

    out = tmp_path / "lecture.pptx"
    write_deck(story, out, theme="dark")
    pages = pptx_slides(out)
    sizes = [size for page in pages for size in page["sizes"]]
    assert sizes and None not in sizes and min(sizes) >= 18
    assert_laid_out(pages)


def test_long_labels_are_clipped_with_an_ellipsis_in_decks(network, tmp_path):
    from gutkg.export.selection import select
    from gutkg.export.slides import write_deck
    from gutkg.export.story import selection_story

    graph = network.copy()
    graph.nodes["dysbiosis"]["label"] = "dysbiosis " * 1000  # 10,000 characters
    story = selection_story(select(graph, question="dysbiosis"), question=QUESTION)
    out = tmp_path / "long.html"
    write_deck(story, out, with_map=False)
    sections = html_sections(out.read_text("utf-8"))
    assert max(len(text.split()) for kind, text in sections if kind == "step") <= 25
    assert max(len(text) for _, text in sections) < 2500
    assert any("…" in text for kind, text in sections if kind == "step")
    pptx = tmp_path / "long.pptx"
    write_deck(story, pptx, with_map=False)
    pages = pptx_slides(pptx)
    assert min(size for page in pages for size in page["sizes"]) >= 18
    assert_laid_out(pages)


@needs_dot
def test_html_deck_is_one_offline_file_with_escaped_text(network, tmp_path):
    from gutkg.export.selection import select
    from gutkg.export.slides import story_to_html
    from gutkg.export.story import selection_story

    story = selection_story(select(network, path=("odd_label", "leaky gut")))
    html = story_to_html(story)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<script src" not in html and "<link" not in html
    assert "&lt;&quot;odd&quot; &amp; {label}|[x]&gt;" in html
    assert '<"odd"' not in html


def _open_deck(path: Path, at: int):
    requests: list[str] = []
    errors: list[str] = []
    with chromium_context(height=720) as context:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort(),
        )
        page.goto(path.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        total = page.evaluate("Reveal.getTotalSlides()")
        kinds = page.evaluate("Array.from(document.querySelectorAll('.slides > section')).map(s => s.dataset.kind)")
        page.evaluate(f"Reveal.slide({at})")
        visible = page.evaluate("document.querySelector('section.present').innerText")
        head_px = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('section.present .head')).fontSize)"
        )
        map_loaded = page.evaluate(
            "async () => { const i = document.querySelector('section.map img');"
            " if (!i) return -1; await i.decode(); return i.naturalWidth; }"
        )
        overflowing = []
        for i in range(total):  # nothing runs off a 1280x720 slide
            page.evaluate(f"Reveal.slide({i})")
            if page.evaluate(
                "(() => { const s = document.querySelector('section.present');"
                " return s.scrollHeight > s.clientHeight + 2; })()"
            ):
                overflowing.append(i)
    return total, kinds, visible, head_px, map_loaded, errors, requests, overflowing


@pytest.mark.browser
@needs_dot
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} (Debian chromium) is not installed")
def test_html_deck_opens_offline_in_chromium_with_the_expected_slides(story, tmp_path):
    from gutkg.export.slides import write_deck

    out = tmp_path / "lecture.html"
    write_deck(story, out)
    at = EXPECTED_KINDS.index("step")
    total, kinds, visible, head_px, map_loaded, errors, requests, overflowing = _open_deck(out, at)
    assert overflowing == []
    assert total == len(EXPECTED_KINDS) and kinds == EXPECTED_KINDS
    assert "autoimmunity drives dysbiosis · 1/2" in visible
    assert "autoimmune disease increases mucosal inflammation" in visible
    assert head_px >= 48  # large type on a 1280x720 slide
    assert map_loaded == 1920  # the inlined SVG map decodes
    assert errors == []
    assert [r for r in requests if not r.startswith(("file:", "data:"))] == []


@needs_dot
def test_pptx_reopens_with_the_expected_slides_and_notes(story, tmp_path):
    from gutkg.export.slides import write_deck

    out = tmp_path / "lecture.pptx"
    planned = write_deck(story, out, theme="dark")
    slides = pptx_slides(out)
    assert len(slides) == len(planned) == len(EXPECTED_KINDS)
    for page, plan_slide in zip(slides, planned, strict=True):
        slide = page["slide"]
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text == plan_slide.notes
        assert slide.shapes.title.text == plan_slide.title
    step = slides[EXPECTED_KINDS.index("step")]["text"]
    assert "autoimmune disease increases mucosal inflammation" in step
    table = next(s for s in slides[EXPECTED_KINDS.index("summary")]["shapes"] if s.has_table).table
    assert table.cell(0, 0).text == "answer" and len(table.rows) == 5


@needs_dot
@pytest.mark.skipif(
    shutil.which("libreoffice") is None and shutil.which("soffice") is None,
    reason="LibreOffice is not installed (optional: checks the PPTX opens there too)",
)
def test_pptx_converts_with_libreoffice(story, tmp_path):
    from gutkg.export.slides import write_deck

    out = tmp_path / "lecture.pptx"
    write_deck(story, out)
    office = shutil.which("libreoffice") or shutil.which("soffice")
    done = subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    info = subprocess.run(["pdfinfo", str(tmp_path / "lecture.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Pages:\s+{len(EXPECTED_KINDS)}$", info, re.M), info


def test_loop_decks_tell_each_loop_in_turn_best_first(network):
    from gutkg.export.deck import plan
    from gutkg.export.selection import select
    from gutkg.export.story import selection_story

    story = selection_story(select(network, focus="leaky gut", loops=True, depth=0))
    assert story.question == "Is there a vicious cycle through increased intestinal permeability?"
    assert [len(t.claims) for t in story.tracks] == [3, 4, 2]  # ranked as gutkg loops ranks them
    assert all("reinforcing" in t.label for t in story.tracks)
    kinds = [s.kind for s in plan(story, with_map=False)]
    assert kinds.count("step") == 9 and kinds.count("rival") == 3


def test_renderers_import_the_plan_and_not_each_other():
    """Issue 17: slides imported pptx_deck, which imported slides (a cycle). Now the plan (deck,
    story) imports no renderer, and the PowerPoint renderer does not import the HTML one."""
    import ast

    def imports(name: str) -> set[str]:
        source = (Path(__file__).parents[1] / "src" / "gutkg" / "export" / f"{name}.py").read_text("utf-8")
        found = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        return found

    renderers = {"gutkg.export.slides", "gutkg.export.pptx_deck"}
    assert not imports("deck") & renderers and not imports("story") & renderers
    assert "gutkg.export.slides" not in imports("pptx_deck")
    assert "gutkg.export.deck" in imports("pptx_deck") and "gutkg.export.deck" in imports("slides")
    code = "import sys, gutkg.export.pptx_deck; print('gutkg.export.slides' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]


# --- bad input -----------------------------------------------------------------------------------


def test_unknown_deck_formats_are_refused():
    from gutkg.export.slides import deck_format

    with pytest.raises(InputError, match="unknown deck format"):
        deck_format("talk.key")
    assert deck_format("talk.HTM") == "html"


def test_a_selection_with_nothing_to_tell_is_refused(network):
    from gutkg.export.selection import select
    from gutkg.export.story import selection_story

    with pytest.raises(GutKGError, match="empty"):
        selection_story(select(network, focus="gliadin", loops=True, depth=0))


@needs_dot
def test_cli_writes_the_founding_question_deck(run_cli, tmp_path):
    import json

    out = tmp_path / "lecture.html"
    result = run_cli(
        "export", "slides", "--question", "dysbiosis", "-o", str(out), "--format", "json", "--graph", FIXTURE
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["slides"] == len(EXPECTED_KINDS) and report["kinds"]["step"] == 9
    assert out.read_text("utf-8").count("<section") == len(EXPECTED_KINDS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "say what the deck is about"),
        (["--loop", "gliadin"], "empty"),
        (["--question", "does"], "ambiguous"),
        (["--question", "dysbiosis", "--theme", "neon"], "neon"),
    ],
)
def test_cli_bad_input_gives_a_clear_message_and_no_file(run_cli, tmp_path, args, message):
    out = tmp_path / "deck.pptx"
    result = run_cli("export", "slides", *args, "-o", str(out), "--graph", FIXTURE)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["nowhere/deck.html", "deck.odp"])
def test_cli_refuses_unwritable_paths_and_unknown_suffixes(run_cli, tmp_path, target):
    result = run_cli("export", "slides", "--question", "dysbiosis", "-o", str(tmp_path / target), "--graph", FIXTURE)
    assert result.exit_code != 0
    assert "cannot write" in result.output or "unknown deck format" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@needs_dot
def test_the_founding_question_deck_on_the_bundled_graph(bundled_network, run_cli, tmp_path):
    """Issue 17: the deck tells the founding question's story; a lecturer presents it as is."""
    from gutkg.analysis.explain import explain
    from gutkg.export.deck import MAX_WORDS, plan
    from gutkg.export.selection import resolve_question, select
    from gutkg.export.story import MAX_STEPS, selection_story

    qid = resolve_question(bundled_network, "dysbiosis")
    story = selection_story(select(bundled_network, question=qid), question=qid, base=bundled_network)
    q = bundled_network.graph["questions"][qid]
    expected = explain(bundled_network, q["exposure"], q["outcome"]).verdict
    slides = plan(story)
    kinds = [s.kind for s in slides]
    n = len(story.tracks)
    assert n >= 3 and all(1 <= len(t.claims) <= MAX_STEPS for t in story.tracks)
    assert kinds[:3] == ["title", "question", "map"] and kinds.count("rival") == n
    assert kinds.count("step") == story.steps <= n * MAX_STEPS
    assert [k for k in kinds if k in {"verdict", "keystones", "human", "settle"}] == [
        "verdict",
        "keystones",
        "human",
        "settle",
    ]
    assert kinds[-1] == "references" and all(s.notes.strip() for s in slides)
    verdict = next(s for s in slides if s.kind == "verdict")
    assert [r[0] for r in verdict.data["rows"]] == [r.title for r in expected.rows]
    assert [(r[2], r[3]) for r in verdict.data["rows"]] == [(r.label, r.human_label) for r in expected.rows]
    # each rival's best-graded route is revealed first where the rival holds it
    for t in story.tracks:
        route = next((r.claims for r in expected.rows if r.role == t.role), [])
        mine = [c for c in route if c in {k for _, _, k in t.all_claims}]
        assert set(mine[:MAX_STEPS]) <= {k for _, _, k in t.claims}
    # what would settle it names only claims and routes the graph and the verdict hold
    settle = next(s for s in slides if s.kind == "settle").data["items"]
    assert settle and all(
        x.startswith(("An independent test of", "Primary human evidence for", "No primary study yet")) for x in settle
    )
    assert any("verdict hangs on" in x for x in settle) == bool(expected.keystones)
    cited = {
        e["citation"]
        for t in story.tracks
        for edge in t.claims
        for e in story.claim(edge)["evidence"]
        if e.get("citation")
    }
    listed = {r["citation"] for s in slides if s.kind == "references" for r in s.data["refs"]}
    assert cited and cited <= listed
    # the files a lecturer gets: large type, short steps, a vector map in both formats
    html, pptx = tmp_path / "founding.html", tmp_path / "founding.pptx"
    for out in (html, pptx):
        result = run_cli("export", "slides", "--question", "dysbiosis", "-o", str(out))
        assert result.exit_code == 0, result.output
    sections = html_sections(html.read_text("utf-8"))
    pages = pptx_slides(pptx)
    assert len(sections) == len(pages) == len(slides)
    assert max(len(t.split()) for k, t in sections if k == "step") <= MAX_WORDS
    assert max(len(p["text"].split()) for p, (k, _) in zip(pages, sections, strict=True) if k == "step") <= MAX_WORDS
    assert min(size for p in pages for size in p["sizes"]) >= 18
    assert_laid_out(pages)
    map_shapes = pages[[k for k, _ in sections].index("map")]["shapes"]
    assert len(map_shapes) > 20 and not [s for s in map_shapes if s.shape_type == 13]


@pytest.mark.slow
@pytest.mark.browser
@needs_dot
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} (Debian chromium) is not installed")
def test_no_slide_of_the_founding_question_deck_overflows_in_chromium(run_cli, tmp_path):
    out = tmp_path / "founding.html"
    result = run_cli("export", "slides", "--question", "dysbiosis", "-o", str(out))
    assert result.exit_code == 0, result.output
    total, kinds, _, head_px, map_loaded, errors, requests, overflowing = _open_deck(
        out, [k for k, _ in html_sections(out.read_text("utf-8"))].index("step")
    )
    assert total > 20 and kinds.count("step") >= 12 and head_px >= 48 and map_loaded == 1920
    assert overflowing == [] and errors == []
    assert [r for r in requests if not r.startswith(("file:", "data:"))] == []


@pytest.mark.slow
def test_the_loop_deck_tells_the_loops_gutkg_loops_ranks_first(bundled_network):
    from gutkg.analysis.loops import find_loops
    from gutkg.export.selection import select
    from gutkg.export.story import selection_story
    from gutkg.export.teaching import DECK_TRACKS

    focus = "increased_intestinal_permeability"
    story = selection_story(select(bundled_network, focus=focus, loops=True, depth=0, limit=DECK_TRACKS))
    walks = []
    for lp in find_loops(bundled_network, through=focus, limit=50, budget=None).loops:
        if frozenset(lp.nodes) not in walks:
            walks.append(frozenset(lp.nodes))
    assert [frozenset(u for u, _, _ in t.claims) for t in story.tracks] == walks[:DECK_TRACKS]
    assert len(story.tracks[0].claims) == 2  # a two-claim loop comes first, as in gutkg loops


def test_vendored_reveal_js_matches_the_pinned_npm_version_and_test_js_is_not_shipped():
    import json

    from tests.conftest import ROOT

    vendor = ROOT / "src" / "gutkg" / "export" / "vendor"
    lock = json.loads((ROOT / "assets" / "teaching" / "package-lock.json").read_text("utf-8"))
    pinned = lock["packages"]["node_modules/reveal.js"]["version"]
    assert (vendor / "reveal.js.VERSION").read_text().strip() == pinned
    assert (vendor / "reveal.js").stat().st_size > 50_000 and (vendor / "reveal.js.LICENSE").is_file()
    shipped = [p.name for p in (ROOT / "src" / "gutkg").rglob("*") if p.is_file()]
    assert not [n for n in shipped if "cytoscape" in n.lower() or "mermaid" in n.lower()]
