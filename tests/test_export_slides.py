"""Lecture decks: the story (tracks in causal order), the HTML deck offline in headless Chromium,
the PPTX reopened by python-pptx (and converted by LibreOffice when it is installed), bad input."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gutkg.errors import GutKGError, InputError
from tests.browser import CHROMIUM, chromium_context
from tests.conftest import data

FIXTURE = str(data("export_teaching.ttl"))
QUESTION = "dysbiosis_autoimmunity"
#: title, question, map, 3 steps (the vicious cycle has 3 claims), summary, references
EXPECTED_KINDS = ["title", "question", "map", "step", "step", "step", "summary", "references"]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")


@pytest.fixture(scope="module")
def network():
    from gutkg.network import load_network

    return load_network([FIXTURE])


@pytest.fixture(scope="module")
def story(network):
    from gutkg.export.selection import select
    from gutkg.export.story import selection_story

    return selection_story(select(network, question="dysbiosis"), question=QUESTION)


def test_the_question_story_has_one_track_per_rival_in_causal_order(story):
    assert [t.label for t in story.tracks] == [
        "autoimmunity drives dysbiosis", "barrier failure is the common cause",
        "dysbiosis drives autoimmunity", "vicious cycle"]
    chain = next(t for t in story.tracks if t.id == "dysbiosis_drives_autoimmunity")
    assert [k for _, _, k in chain.claims] == [
        "dysbiosis__increases__increased_intestinal_permeability",
        "increased_intestinal_permeability__increases__autoimmune_disease"]
    for track in story.tracks:  # every claim's effect is a later claim's cause, where one exists
        for (_, v, _), (u2, _, _) in zip(track.claims, track.claims[1:], strict=False):
            assert v == u2 or track.id == "barrier_failure_common_cause"
    assert story.steps == 3


def test_a_rival_that_loses_every_claim_to_a_filter_keeps_an_empty_track(network):
    from gutkg.analysis.filters import EvidenceFilter
    from gutkg.export.selection import select
    from gutkg.export.slides import plan
    from gutkg.export.story import selection_story

    sel = select(network, question="dysbiosis", evidence=EvidenceFilter(species=("mouse",)))
    story = selection_story(sel, question=QUESTION)
    sizes = {t.id: len(t.claims) for t in story.tracks}
    assert sizes["barrier_failure_common_cause"] == 0 and sizes["autoimmunity_drives_dysbiosis"] == 1
    step = next(s for s in plan(story, with_map=False) if s.kind == "step")
    assert any(col["total"] == 0 for col in step.data["columns"])


@needs_dot
def test_the_plan_has_the_expected_slides_with_notes(story):
    from gutkg.export.slides import plan

    slides = plan(story)
    assert [s.kind for s in slides] == EXPECTED_KINDS
    assert all(s.notes.strip() for s in slides)
    first_step = slides[3]
    new = {c["label"]: c["new"].headline for c in first_step.data["columns"]}
    assert new["dysbiosis drives autoimmunity"] == "dysbiosis → increased intestinal permeability"
    assert "Doe et al. 2019" in first_step.notes and "germ-free" in first_step.notes
    summary = next(s for s in slides if s.kind == "summary")
    row = {r[0]: r for r in summary.data["rows"]}["dysbiosis drives autoimmunity"]
    assert row[-2] == "Doe et al. 2019; Roe & Moe 2018" and row[-1] == "Poe 2020"
    refs = next(s for s in slides if s.kind == "references").data["refs"]
    assert [r["citation"] for r in refs][:2] == ["Doe et al. 2019", "Li & Wu 2017"]
    assert refs[0]["id"] == "doi:10.0000/test.2019.1"


@needs_dot
def test_html_deck_is_one_offline_file_with_escaped_text(network, tmp_path):
    from gutkg.export.selection import select
    from gutkg.export.slides import to_html
    from gutkg.export.story import selection_story

    story = selection_story(select(network, path=("odd_label", "leaky gut")))
    html = to_html(story)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<script src" not in html and "<link" not in html
    assert "&lt;&quot;odd&quot; &amp; {label}|[x]&gt;" in html
    assert '<"odd"' not in html


def _open_deck(path: Path):
    requests: list[str] = []
    errors: list[str] = []
    with chromium_context(height=720) as context:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort())
        page.goto(path.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        total = page.evaluate("Reveal.getTotalSlides()")
        kinds = page.evaluate("Array.from(document.querySelectorAll('.slides > section'))"
                              ".map(s => s.dataset.kind)")
        page.evaluate("Reveal.slide(3)")
        visible = page.evaluate("document.querySelector('section.present').innerText")
        map_loaded = page.evaluate("async () => { const i = document.querySelector('section.map img');"
                                   " if (!i) return -1; await i.decode(); return i.naturalWidth; }")
    return total, kinds, visible, map_loaded, errors, requests


@pytest.mark.browser
@needs_dot
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} (Debian chromium) is not installed")
def test_html_deck_opens_offline_in_chromium_with_the_expected_slides(story, tmp_path):
    from gutkg.export.slides import write_deck

    out = tmp_path / "lecture.html"
    write_deck(story, out)
    total, kinds, visible, map_loaded, errors, requests = _open_deck(out)
    assert total == len(EXPECTED_KINDS) and kinds == EXPECTED_KINDS
    assert "Step 1 of 3" in visible and "Doe et al. 2019" in visible
    assert map_loaded == 1920  # the inlined SVG map decodes
    assert errors == []
    assert [r for r in requests if not r.startswith(("file:", "data:"))] == []


@needs_dot
def test_pptx_reopens_with_the_expected_slides_and_notes(story, tmp_path):
    from pptx import Presentation

    from gutkg.export.slides import write_deck

    out = tmp_path / "lecture.pptx"
    planned = write_deck(story, out, theme="dark")
    prs = Presentation(str(out))
    slides = list(prs.slides)
    assert len(slides) == len(planned) == len(EXPECTED_KINDS)
    for slide, plan_slide in zip(slides, planned, strict=True):
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text == plan_slide.notes
        if plan_slide.kind == "map":
            assert any(s.shape_type == 13 for s in slide.shapes)  # a picture
        else:
            assert slide.shapes.title.text == plan_slide.title
    step_text = " ".join(s.text_frame.text for s in slides[3].shapes if s.has_text_frame)
    assert "dysbiosis → increased intestinal permeability" in step_text and "Doe et al. 2019" in step_text
    table = next(s for s in slides[6].shapes if s.has_table).table
    assert table.cell(0, 0).text == "answer" and len(table.rows) == 5


@needs_dot
@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (optional: checks the PPTX opens there too)")
def test_pptx_converts_with_libreoffice(story, tmp_path):
    from gutkg.export.slides import write_deck

    out = tmp_path / "lecture.pptx"
    write_deck(story, out)
    office = shutil.which("libreoffice") or shutil.which("soffice")
    done = subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    info = subprocess.run(["pdfinfo", str(tmp_path / "lecture.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(rf"^Pages:\s+{len(EXPECTED_KINDS)}$", info, re.M), info


def test_loop_decks_put_each_loop_side_by_side(network):
    from gutkg.export.selection import select
    from gutkg.export.slides import plan
    from gutkg.export.story import selection_story

    story = selection_story(select(network, focus="leaky gut", loops=True, depth=0))
    assert story.question == "Is there a vicious cycle through increased intestinal permeability?"
    assert [len(t.claims) for t in story.tracks] == [2, 3, 4]
    assert all("reinforcing" in t.label for t in story.tracks)
    loop = story.tracks[1]
    assert [u for u, _, _ in loop.claims] == ["increased_intestinal_permeability", "autoimmune_disease",
                                              "mucosal_inflammation"]
    assert [s.kind for s in plan(story, with_map=False)].count("step") == 4


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
    result = run_cli("export", "slides", "--question", "dysbiosis", "-o", str(out), "--format", "json",
                     "--graph", FIXTURE)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["slides"] == len(EXPECTED_KINDS) and report["kinds"]["step"] == 3
    assert out.read_text("utf-8").count("<section") == len(EXPECTED_KINDS)


@pytest.mark.parametrize(("args", "message"), [
    ([], "say what the deck is about"),
    (["--loop", "gliadin"], "empty"),
    (["--question", "does"], "ambiguous"),
    (["--question", "dysbiosis", "--theme", "neon"], "neon"),
])
def test_cli_bad_input_gives_a_clear_message_and_no_file(run_cli, tmp_path, args, message):
    out = tmp_path / "deck.pptx"
    result = run_cli("export", "slides", *args, "-o", str(out), "--graph", FIXTURE)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["nowhere/deck.html", "deck.odp"])
def test_cli_refuses_unwritable_paths_and_unknown_suffixes(run_cli, tmp_path, target):
    result = run_cli("export", "slides", "--question", "dysbiosis", "-o", str(tmp_path / target),
                     "--graph", FIXTURE)
    assert result.exit_code != 0
    assert "cannot write" in result.output or "unknown deck format" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@needs_dot
def test_the_founding_question_deck_on_the_bundled_graph(bundled_network):
    from gutkg.export.selection import resolve_question, select
    from gutkg.export.slides import plan
    from gutkg.export.story import selection_story

    qid = resolve_question(bundled_network, "dysbiosis")
    story = selection_story(select(bundled_network, question=qid), question=qid)
    assert len(story.tracks) >= 3 and story.steps >= 1
    slides = plan(story)
    kinds = [s.kind for s in slides]
    assert kinds[:2] == ["title", "question"] and kinds.count("step") == story.steps
    assert kinds.count("summary") == 1 and kinds[-1] == "references"
    for slide in slides:
        assert slide.notes.strip()
        if slide.kind == "step":
            assert len(slide.data["columns"]) == len(story.tracks)
    cited = {e["citation"] for t in story.tracks for edge in t.claims
             for e in story.claim(edge)["evidence"] if e.get("citation")}
    listed = {r["citation"] for s in slides if s.kind == "references" for r in s.data["refs"]}
    assert cited and cited <= listed


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
