"""The explorer page in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Every request that is not file:, data: or blob: is aborted and recorded; each test ends by
asserting that there were none and that the console stayed free of errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium_context
from tests.conftest import data

pytestmark = pytest.mark.browser

SMALL_CLAIMS = 9


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A persistent context on a fresh --user-data-dir (one per test module)."""
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


class Watched:
    """A page with its outside requests, console errors and dialogs recorded."""

    def __init__(self, context):
        self.page = context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_function("document.documentElement.dataset.ready === '1'")
        return self.page

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def check_clean(self):
        assert self.outside == [], f"requests left the file: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.page.close()


def write_page(tmp_path, ttl: str = "html_small.ttl", name: str = "page.html", **opts) -> Path:
    from gutkg.export.html import write_html
    from gutkg.loading import load
    from gutkg.network import to_network

    return write_html(to_network(load([data(ttl)])), tmp_path / name, **opts)


@pytest.fixture(scope="module")
def small_url(tmp_path_factory):
    return write_page(tmp_path_factory.mktemp("html")).as_uri()


def test_page_loads_offline_with_no_errors(watched, small_url):
    page = watched.open(small_url)
    assert watched.js("gutkg.visibleEdges().length") == SMALL_CLAIMS
    assert page.locator("#graph canvas").count() == 1
    assert "showing 9 of 9 concepts, 9 of 9 claims" in page.inner_text("#counts")
    assert page.locator("#catlist label").count() == 6  # only categories present
    watched.check_clean()


def test_search_finds_zonulin_and_selects_it(watched, small_url):
    page = watched.open(small_url)
    page.fill("#search", "zonul")
    first = page.locator("#results li").first
    assert first.inner_text().strip() == "zonulin"
    page.press("#search", "Enter")
    page.wait_for_function("gutkg.network.getSelectedNodes().length === 1")
    assert watched.js("gutkg.network.getSelectedNodes()") == ["zonulin"]
    assert page.inner_text("#card h2") == "zonulin"
    assert "pre-haptoglobin 2" in page.inner_text("#card")
    assert "sel=n%3Azonulin" in watched.js("location.hash")
    # a synonym finds it too, and says why
    page.fill("#search", "pre-HP2")
    assert page.locator("#results li").first.inner_text().replace("\n", " ").startswith("zonulin")
    watched.check_clean()


def test_clicking_an_edge_shows_its_doi_link(watched, small_url):
    page = watched.open(small_url)
    box = page.locator("#graph canvas").bounding_box()
    assert box is not None
    mid = watched.js("gutkg.edgeMidpoint('gliadin__increases__zonulin')")
    page.mouse.click(box["x"] + mid["x"], box["y"] + mid["y"])
    page.wait_for_selector("#card a.doi")
    assert watched.js("gutkg.network.getSelectedEdges()") == ["gliadin__increases__zonulin"]
    doi = page.locator("#card a.doi")
    assert doi.get_attribute("href") == "https://doi.org/10.1000/gutkg.test.a"
    assert doi.get_attribute("target") == "_blank"
    assert page.locator("#card a.pubmed").get_attribute("href") == \
        "https://pubmed.ncbi.nlm.nih.gov/10000001/"
    card = page.inner_text("#card")
    for text in ("increases", "supported", "Gliadin binds CXCR3", "Alpha & Beta 2000",
                 "species/model: human, in vitro", "direction: experimental intervention",
                 "strength: moderate", "grade: very low"):
        assert text in card, text
    watched.check_clean()


def test_filtering_out_contested_claims_hides_them(watched, small_url):
    page = watched.open(small_url)
    contested = {"zonulin__increases__intestinal_permeability",
                 "dysbiosis__increases__autoimmune_disease"}
    assert contested <= set(watched.js("gutkg.visibleEdges()"))
    page.uncheck("[data-status=contested]")
    shown = set(watched.js("gutkg.visibleEdges()"))
    assert len(shown) == SMALL_CLAIMS - 2 and not shown & contested
    assert watched.js("gutkg.network.body.data.edges.get().length") == SMALL_CLAIMS - 2
    assert "7 of 9 claims" in page.inner_text("#counts")
    assert "xst=contested" in watched.js("location.hash")
    watched.check_clean()


def test_species_and_strength_filters(watched, small_url):
    page = watched.open(small_url)
    page.check("[data-sys=mouse]")
    assert sorted(watched.js("gutkg.visibleEdges()")) == [
        "dysbiosis__increases__autoimmune_disease", "dysbiosis__increases__intestinal_permeability"]
    page.uncheck("[data-sys=mouse]")
    page.select_option("#minstrength", "4")
    assert watched.js("gutkg.visibleEdges()") == ["larazotide__no_effect__celiac_disease"]
    watched.check_clean()


def test_permalink_restores_filters_and_selection(browser, watched, small_url):
    page = watched.open(small_url)
    page.uncheck("[data-status=contested]")
    page.select_option("#minstrength", "2")
    page.fill("#search", "dysbiosis")
    page.press("#search", "Enter")
    page.wait_for_function("gutkg.network.getSelectedNodes()[0] === 'dysbiosis'")
    # the camera goes into the address once the zoom-to animation has finished
    page.wait_for_function("""() => {
        const cam = new URLSearchParams(location.hash.slice(1)).get('cam');
        return cam !== null && Math.abs(Number(cam.split(',')[2]) - gutkg.network.getScale()) < 1e-3
            && gutkg.network.getScale() > 1; }""")
    link = watched.js("location.href")
    before = sorted(watched.js("gutkg.visibleEdges()"))
    camera = watched.js("[gutkg.network.getViewPosition(), gutkg.network.getScale()]")
    assert before and "#" in link

    other = Watched(browser)
    try:
        again = other.open(link)
        assert not again.is_checked("[data-status=contested]")
        assert again.is_checked("[data-status=supported]")
        assert again.input_value("#minstrength") == "2"
        assert other.js("gutkg.network.getSelectedNodes()") == ["dysbiosis"]
        assert again.inner_text("#card h2") == "dysbiosis"
        assert sorted(other.js("gutkg.visibleEdges()")) == before
        pos, scale = other.js("[gutkg.network.getViewPosition(), gutkg.network.getScale()]")
        assert scale == pytest.approx(camera[1], rel=1e-3)
        assert pos["x"] == pytest.approx(camera[0]["x"], abs=1)
        other.check_clean()
    finally:
        other.page.close()
    watched.check_clean()


def test_hostile_labels_are_shown_as_text_and_never_run(watched, tmp_path):
    page = watched.open(write_page(tmp_path, "html_xss.ttl").as_uri())
    page.fill("#search", "img")
    assert page.locator("#results li").first.inner_text().strip() == "<img src=x onerror=alert(1)>"
    page.press("#search", "Enter")
    page.wait_for_selector("#card h2")
    assert page.inner_text("#card h2") == "<img src=x onerror=alert(1)>"
    assert '"><svg onload=alert(2)>' in page.inner_text("#card")
    assert page.locator("#card a").count() == 0  # the javascript: mapping is not a link
    watched.js("gutkg.selectEdge('evil__increases__plain')")
    card = page.inner_text("#card")
    assert "</script><script>alert(3)</script>" in card
    assert "<iframe src=javascript:alert(4)></iframe>" in card
    assert page.locator("#card a.doi").get_attribute("href") == \
        "https://doi.org/10.1000/x%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(10)%3E"
    assert page.locator("#card a.pubmed").count() == 0  # not a number, so not a link
    page.hover("#hyplist li .name")
    page.wait_for_timeout(200)
    assert watched.js("document.querySelectorAll('img, svg, iframe, #card script').length") == 0
    watched.check_clean()


def test_highlight_from_the_cli_and_from_the_page(watched, tmp_path):
    url = write_page(tmp_path, path=("gliadin", "autoimmune disease")).as_uri()
    page = watched.open(url)
    assert watched.js("gutkg.state.hl") == "c:0"
    assert page.locator("#hllist li.active").inner_text().startswith("path gliadin")
    dim = "gutkg.network.body.data.edges.get('butyrate__decreases__intestinal_permeability').color.color"
    assert watched.js(dim) == "#e3e3e3"
    page.click("#clearhl")
    assert watched.js(dim) != "#e3e3e3"
    page.fill("#pathfrom", "gliadin")
    page.fill("#pathto", "dysbiosis")
    page.click("#findpaths")
    assert watched.js("gutkg.state.hl") == "p:gliadin>dysbiosis"
    walks = page.locator("#hllist li.tag").all_inner_texts()
    assert walks[0] == "gliadin → zonulin → intestinal permeability → dysbiosis"
    assert "hl=p%3Agliadin%3Edysbiosis" in watched.js("location.hash")
    watched.js("gutkg.selectNode('dysbiosis', false)")
    page.click("text=Loops through this")
    assert watched.js("gutkg.state.hl") == "l:dysbiosis"
    assert "dysbiosis → autoimmune disease → dysbiosis" in page.locator("#hllist").inner_text()
    watched.check_clean()


def test_show_only_one_rival_hypothesis(watched, small_url):
    page = watched.open(small_url)
    page.select_option("#question", "gut_autoimmunity")
    assert len(watched.js("gutkg.visibleEdges()")) == 5
    page.click("[data-hyp=autoimmunity_drives_dysbiosis] button.only")
    assert watched.js("gutkg.visibleEdges()") == ["autoimmune_disease__increases__dysbiosis"]
    assert sorted(watched.js("gutkg.visibleNodes()")) == ["autoimmune_disease", "dysbiosis"]
    assert "only=autoimmunity_drives_dysbiosis" in watched.js("location.hash")
    page.click("[data-hyp=autoimmunity_drives_dysbiosis] button.only")
    assert len(watched.js("gutkg.visibleEdges()")) == 5
    watched.check_clean()


def test_notebook_iframe_renders_the_page(watched, tmp_path):
    from gutkg.export.html import explore
    from gutkg.loading import load
    from gutkg.network import to_network

    cell = explore(to_network(load([data("html_small.ttl")])), focus="zonulin")._repr_html_()
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body><div class=output>{cell}</div></body></html>",
                    encoding="utf-8")
    watched.page.goto(host.as_uri())
    frame = watched.page.frame_locator("iframe")
    frame.locator("html[data-ready='1']").wait_for()
    assert frame.locator("#card h2").inner_text() == "zonulin"
    frame.locator("#search").fill("gliadin")
    frame.locator("#search").press("Enter")
    frame.locator("#card h2", has_text="gliadin").wait_for()
    watched.check_clean()


def test_bundled_graph_page(watched, bundled_network, tmp_path):
    from gutkg.export.html import write_html

    page = watched.open(write_html(bundled_network, tmp_path / "gutkg.html").as_uri())
    edges = watched.js("gutkg.visibleEdges().length")
    assert edges == bundled_network.number_of_edges() > 0
    page.fill("#search", "zonulin")
    page.press("#search", "Enter")
    page.wait_for_selector("#card h2")
    assert page.inner_text("#card h2").lower().startswith("zonulin")
    watched.check_clean()


def test_large_graph_draws_coarse_and_materialises_on_demand(watched, tmp_path):
    """Above 1,000 concepts the page starts with no vis-network edges and adds them as needed."""
    from gutkg.export.html import write_html
    from gutkg.synthetic import synthetic_network

    graph = synthetic_network(1100, 3000, seed=2)
    page = watched.open(write_html(graph, tmp_path / "big.html").as_uri())
    assert watched.js("gutkg.data.big") is True
    lod = watched.js("gutkg.levelOfDetail()")
    assert lod["coarse"] is True and lod["materialised"] == 0
    assert len(watched.js("gutkg.visibleEdges()")) == 3000
    contested = sum(1 for *_, d in graph.edges(data=True) if d["status"] == "contested")
    assert contested > 0
    page.uncheck("[data-status=contested]")
    assert len(watched.js("gutkg.visibleEdges()")) == 3000 - contested
    hub = max(graph.degree, key=lambda nd: nd[1])[0]
    label = graph.nodes[hub]["label"]
    page.fill("#search", label)
    page.press("#search", "Enter")
    page.wait_for_function(f"gutkg.network.getSelectedNodes()[0] === '{hub}'")
    assert watched.js("gutkg.levelOfDetail().materialised") >= graph.degree(hub)
    page.locator("#card .claims li:not(.filtered) button").first.click()
    page.wait_for_selector("#card[data-kind=edge]")
    assert watched.js("gutkg.network.getSelectedEdges().length") == 1
    watched.check_clean()
