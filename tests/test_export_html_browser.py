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
    """The small page on the whole graph ('q=' leaves the question the page opens on)."""
    return write_page(tmp_path_factory.mktemp("html")).as_uri() + "#q="


@pytest.fixture(scope="module")
def small_graph():
    from gutkg.loading import load
    from gutkg.network import to_network

    return to_network(load([data("html_small.ttl")]))


def test_page_loads_offline_with_no_errors(watched, small_url):
    page = watched.open(small_url)
    assert watched.js("gutkg.visibleEdges().length") == SMALL_CLAIMS
    assert page.locator("#graph canvas").count() == 1
    # lactulose-mannitol test has no claim: hidden by default, and the panel says so
    assert "showing 8 of 9 concepts, 9 of 9 claims" in page.inner_text("#counts")
    assert page.inner_text("[data-removes=conn]") == "hides 1 concept"
    assert sorted(drawn(watched)["nodes"]) == sorted(watched.js("gutkg.visibleNodes()"))
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
    assert page.locator("#card a.pubmed").get_attribute("href") == "https://pubmed.ncbi.nlm.nih.gov/10000001/"
    card = page.inner_text("#card")
    for text in (
        "increases",
        "supported",
        "Gliadin binds CXCR3",
        "Alpha & Beta 2000",
        "species/model: human, in vitro",
        "direction: experimental intervention",
        "strength: moderate",
        "grade: very low",
    ):
        assert text in card, text
    watched.check_clean()


def test_filtering_out_contested_claims_hides_them(watched, small_url):
    page = watched.open(small_url)
    contested = {"zonulin__increases__intestinal_permeability", "dysbiosis__increases__autoimmune_disease"}
    assert contested <= set(watched.js("gutkg.visibleEdges()"))
    page.uncheck("[data-status=contested]")
    shown = set(watched.js("gutkg.visibleEdges()"))
    assert len(shown) == SMALL_CLAIMS - 2 and not shown & contested
    assert watched.js("gutkg.network.body.data.edges.get().length") == SMALL_CLAIMS - 2
    assert set(drawn(watched)["edges"]) == shown
    assert "7 of 9 claims" in page.inner_text("#counts")
    assert "xst=contested" in watched.js("location.hash")
    watched.check_clean()


def test_species_and_strength_filters(watched, small_url):
    page = watched.open(small_url)
    page.check("[data-sys=mouse]")
    assert sorted(watched.js("gutkg.visibleEdges()")) == [
        "dysbiosis__increases__autoimmune_disease",
        "dysbiosis__increases__intestinal_permeability",
    ]
    page.uncheck("[data-sys=mouse]")
    # the minimum compares a claim's grade (edge strength), so it offers the grade scale by name
    options = page.locator("#minstrength option").all_inner_texts()
    assert options == [
        "any (hypothesised too)",
        "very low or higher",
        "low or higher",
        "moderate or higher",
        "high or higher",
    ]
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
    assert (
        page.locator("#card a.doi").get_attribute("href")
        == "https://doi.org/10.1000/x%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(10)%3E"
    )
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
    host.write_text(f"<!DOCTYPE html><html><body><div class=output>{cell}</div></body></html>", encoding="utf-8")
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

    page = watched.open(write_html(bundled_network, tmp_path / "gutkg.html").as_uri() + "#q=")
    edges = watched.js("gutkg.visibleEdges().length")
    assert edges == bundled_network.number_of_edges() > 0
    assert len(drawn(watched)["edges"]) == edges
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
    page = watched.open(write_html(graph, tmp_path / "big.html").as_uri() + "#q=")
    assert watched.js("gutkg.data.big") is True
    lod = watched.js("gutkg.levelOfDetail()")
    assert lod["coarse"] is True and lod["materialised"] == 0
    boxes = page.evaluate(DRAWN_TEXT)  # zoomed out: the hubs' labels, readable and apart
    assert boxes and min(b["px"] for b in boxes) >= 10.9 and overlapping(boxes) == []
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


# ------------------------------------------------------------------ what vis-network draws


def drawn(w: Watched) -> dict:
    """The concepts and claims vis-network itself holds for drawing (its body indices)."""
    return w.js("gutkg.drawn()")


ALPHA_AT = """(p) => {
    gutkg.network.redraw();
    const c = document.querySelector('#graph canvas'), r = window.devicePixelRatio || 1;
    const d = c.getContext('2d').getImageData(Math.round(p.x * r) - 2, Math.round(p.y * r) - 2, 5, 5).data;
    let a = 0; for (let i = 3; i < d.length; i += 4) a = Math.max(a, d[i]); return a; }"""

#: Every text vis-network draws during one redraw, as boxes in CSS pixels of the page, with the
#: font size it was drawn at (read from the canvas transform, not from the page's state).
DRAWN_TEXT = """() => {
    const canvas = document.querySelector('#graph canvas'), ctx = canvas.getContext('2d');
    const r = window.devicePixelRatio || 1, rect = canvas.getBoundingClientRect(), out = [];
    const fill = ctx.fillText;
    ctx.fillText = function (text, x, y) {
      const m = this.getTransform(), met = this.measureText(text);
      let left = x;
      if (this.textAlign === 'center') left = x - met.width / 2;
      else if (this.textAlign === 'right' || this.textAlign === 'end') left = x - met.width;
      const top = y - met.actualBoundingBoxAscent, bottom = y + met.actualBoundingBoxDescent;
      const size = parseFloat((this.font.match(/([0-9.]+)px/) || [0, 0])[1]);
      out.push({text: String(text), x0: (m.a * left + m.e) / r, x1: (m.a * (left + met.width) + m.e) / r,
                y0: (m.d * top + m.f) / r, y1: (m.d * bottom + m.f) / r, px: size * m.a / r,
                w: rect.width, h: rect.height});
      return fill.apply(this, arguments);
    };
    try { gutkg.network.redraw(); } finally { ctx.fillText = fill; }
    return out.filter((b) => String(b.text).trim() && b.x1 > 0 && b.y1 > 0 && b.x0 < b.w && b.y0 < b.h);
  }"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and a["y0"] < b["y1"] - 0.5 and b["y0"] < a["y1"] - 0.5
    ]


def oracle(graph, *, xst=(), xcat=(), sys=(), min_strength=0, primary=False, xdes=(), claims=None) -> set[str]:
    """The claims a filter leaves, computed here from the network (independently of the page)."""
    keep = set()
    for u, v, k, d in graph.edges(keys=True, data=True):
        if d["status"] in xst or {graph.nodes[u]["category"], graph.nodes[v]["category"]} & set(xcat):
            continue
        if claims is not None and k not in claims:
            continue
        if sys or min_strength or primary or xdes:
            items = [
                e
                for e in d["evidence"]
                if e["stance"] == "supports"
                and e["strength"] >= min_strength
                and (not primary or e["primary"])
                and (e["design_label"] or "") not in xdes
                and (not sys or {s.strip() for s in e["system"].split(",")} & set(sys))
            ]
            if not items:
                continue
        keep.add(k)
    return keep


def used_nodes(graph, claims: set[str]) -> set[str]:
    return {n for u, v, k in graph.edges(keys=True) if k in claims for n in (u, v)}


# (what the user does on a fresh page, the oracle's filter)
FIRST_USE = {
    "status": (lambda p: p.uncheck("[data-status=contested]"), {"xst": ("contested",)}),
    "category": (lambda p: p.uncheck("[data-cat=molecule]"), {"xcat": ("molecule",)}),
    "strength": (lambda p: p.select_option("#minstrength", "3"), {"min_strength": 3}),
    "species": (lambda p: p.check("[data-sys=mouse]"), {"sys": ("mouse",)}),
    "design": (lambda p: p.uncheck("[data-des='randomized clinical trial']"), {"xdes": ("randomized clinical trial",)}),
    "question": (lambda p: p.select_option("#question", "gut_autoimmunity"), {"question": True}),
}


@pytest.mark.parametrize("name", sorted(FIRST_USE))
def test_every_filter_changes_what_is_drawn_on_first_use(watched, small_url, small_graph, name):
    act, spec = FIRST_USE[name]
    page = watched.open(small_url)
    assert len(drawn(watched)["edges"]) == SMALL_CLAIMS
    act(page)
    if spec.pop("question", False):
        hyps = small_graph.graph["hypotheses"]
        spec["claims"] = {
            c for h in small_graph.graph["questions"]["gut_autoimmunity"]["hypotheses"] for c in hyps[h]["claims"]
        }
    want = oracle(small_graph, **spec)
    assert want and len(want) < SMALL_CLAIMS
    shown = drawn(watched)
    assert set(shown["edges"]) == want
    assert set(shown["nodes"]) == used_nodes(small_graph, want)  # no concept left without a claim
    assert set(watched.js("gutkg.visibleEdges()")) == want
    watched.check_clean()


def test_filters_show_what_they_remove(watched, small_url):
    page = watched.open(small_url)
    page.uncheck("[data-status=contested]")
    assert page.inner_text("[data-removes=st]") == "hides 2 claims"
    page.select_option("#minstrength", "3")
    # larazotide (strong) and the moderate in-vitro/mouse claims stay; the weak human one goes
    assert page.inner_text("[data-removes=min]") == "hides 3 claims"
    page.uncheck("[data-des='randomized clinical trial']")
    assert page.inner_text("[data-removes=des]") == "hides 1 claim"
    assert len(drawn(watched)["edges"]) == SMALL_CLAIMS - 2 - 3 - 1
    watched.check_clean()


def test_a_filtered_claim_and_concept_leave_the_canvas_pixels(watched, small_url):
    page = watched.open(small_url)
    claim = "zonulin__increases__intestinal_permeability"
    mid = watched.js(f"gutkg.edgeMidpoint('{claim}')")
    assert watched.page.evaluate(ALPHA_AT, mid) > 0
    page.uncheck("[data-status=contested]")
    assert watched.page.evaluate(ALPHA_AT, mid) == 0
    dot = watched.js("gutkg.nodePoint('butyrate')")
    assert watched.page.evaluate(ALPHA_AT, dot) > 0
    page.uncheck("[data-cat=molecule]")
    assert "butyrate" not in drawn(watched)["nodes"]
    assert watched.page.evaluate(ALPHA_AT, dot) == 0
    watched.check_clean()


def test_combined_filters_then_reset(watched, small_url, small_graph):
    page = watched.open(small_url)
    page.uncheck("[data-status=hypothesised]")
    page.check("[data-sys=human]")
    page.uncheck("[data-cat=intervention]")
    want = oracle(small_graph, xst=("hypothesised",), sys=("human",), xcat=("intervention",))
    assert want == {"autoimmune_disease__increases__dysbiosis", "zonulin__increases__intestinal_permeability"}
    assert set(drawn(watched)["edges"]) == want
    assert set(drawn(watched)["nodes"]) == used_nodes(small_graph, want)
    page.click("#reset")
    assert len(drawn(watched)["edges"]) == SMALL_CLAIMS
    assert len(drawn(watched)["nodes"]) == 8  # every concept with a claim
    assert page.is_checked("[data-status=hypothesised]") and not page.is_checked("[data-sys=human]")
    page.uncheck("#conn")
    assert len(drawn(watched)["nodes"]) == 9
    watched.check_clean()


def test_a_permalink_is_drawn_filtered_from_the_first_frame(browser, small_url, small_graph):
    w = Watched(browser)
    try:
        w.open(small_url.split("#")[0] + "#q=&xst=contested&sys=mouse&xcat=disease")
        want = oracle(small_graph, xst=("contested",), sys=("mouse",), xcat=("disease",))
        assert want == {"dysbiosis__increases__intestinal_permeability"}
        assert set(drawn(w)["edges"]) == want
        assert set(drawn(w)["nodes"]) == {"dysbiosis", "intestinal_permeability"}
        w.check_clean()
    finally:
        w.page.close()


def test_opening_a_card_does_not_move_the_camera(watched, small_url):
    page = watched.open(small_url)
    box = page.locator("#graph canvas").bounding_box()
    before = watched.js("[gutkg.nodePoint('zonulin'), gutkg.network.getScale()]")
    page.mouse.click(box["x"] + before[0]["x"], box["y"] + before[0]["y"])
    page.wait_for_selector("#card[data-kind=node]")
    page.wait_for_timeout(300)  # a resize would rescale on the next frame
    after = watched.js("[gutkg.nodePoint('zonulin'), gutkg.network.getScale()]")
    assert after[1] == pytest.approx(before[1], rel=1e-6)
    assert after[0]["x"] == pytest.approx(before[0]["x"], abs=0.5)
    assert after[0]["y"] == pytest.approx(before[0]["y"], abs=0.5)
    assert page.locator("#graph canvas").bounding_box() == box
    watched.check_clean()


def test_status_is_line_style_and_text_only_on_the_selected_claim(watched, small_url):
    page = watched.open(small_url)
    assert [b for b in page.evaluate(DRAWN_TEXT) if "contested" in b["text"]] == []
    # the status on hover (vis-network's tooltip)
    box = page.locator("#graph canvas").bounding_box()
    mid = watched.js("gutkg.edgeMidpoint('zonulin__increases__intestinal_permeability')")
    page.mouse.move(box["x"] + mid["x"], box["y"] + mid["y"])
    page.wait_for_selector(".vis-tooltip", state="visible")
    assert "increases, contested" in page.inner_text(".vis-tooltip")
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    watched.js("gutkg.selectEdge('zonulin__increases__intestinal_permeability')")
    texts = [b["text"] for b in page.evaluate(DRAWN_TEXT)]
    assert "increases · contested" in texts
    assert watched.js("gutkg.network.body.edges['zonulin__increases__intestinal_permeability'].options.dashes") == [
        2,
        4,
    ]
    watched.check_clean()


@pytest.fixture(scope="module")
def bundled_page(bundled_network, tmp_path_factory):
    from gutkg.export.html import write_html

    return write_html(bundled_network, tmp_path_factory.mktemp("bundled") / "gutkg.html").as_uri()


def test_first_view_is_the_founding_question_readable_at_1366x768(browser, bundled_page, bundled_network):
    w = Watched(browser)
    try:
        w.page.set_viewport_size({"width": 1366, "height": 768})
        page = w.open(bundled_page)
        assert w.js("gutkg.state.q") == "dysbiosis_autoimmunity"
        # the question, its four rivals with colours and both verdict columns, without scrolling
        qbox = page.locator("#qbox").bounding_box()
        assert qbox is not None and qbox["y"] >= 0 and qbox["y"] + qbox["height"] <= 768
        rows = page.locator("#qbox table.rivals tr[data-rival]")
        assert rows.count() == 4
        colours = {r.locator(".rivalline").evaluate("e => getComputedStyle(e).borderTopColor") for r in rows.all()}
        assert len(colours) == 4
        text = page.inner_text("#qbox")
        assert "all evidence" in text and "primary human" in text and "On primary human evidence" in text
        # every control is on screen or in the panel, which scrolls (nothing cut off at 1366x768)
        for button in ("#whole", "#fit", "#copylink", "#reset", "#search"):
            b = page.locator(button).bounding_box()
            assert b is not None and b["x"] >= 0 and b["x"] + b["width"] <= 1366 and b["y"] + b["height"] <= 60
        assert page.locator("#panel").evaluate("e => getComputedStyle(e).overflowY") == "auto"
        page.locator("#conn").scroll_into_view_if_needed()
        assert page.locator("#conn").is_visible()
        # the graph shows that question's claims, coloured by rival
        hyps = bundled_network.graph["hypotheses"]
        claims = {
            c
            for h in bundled_network.graph["questions"]["dysbiosis_autoimmunity"]["hypotheses"]
            for c in hyps[h]["claims"]
        }
        assert set(drawn(w)["edges"]) == claims
        # every drawn label at least 12 px, none overlapping another
        boxes = page.evaluate(DRAWN_TEXT)
        assert len(boxes) >= 10
        assert min(b["px"] for b in boxes) >= 12
        assert overlapping(boxes) == []
        # the whole graph is one click away; concepts without claims stay hidden there
        page.click("#whole")
        assert len(drawn(w)["edges"]) == bundled_network.number_of_edges()
        isolated = {n for n in bundled_network if bundled_network.degree(n) == 0}
        assert len(drawn(w)["nodes"]) == bundled_network.number_of_nodes() - len(isolated)
        page.wait_for_timeout(400)  # the fit animation
        boxes = page.evaluate(DRAWN_TEXT)
        assert boxes and overlapping(boxes) == []
        page.click("#opening")
        assert w.js("gutkg.state.q") == "dysbiosis_autoimmunity"
        w.check_clean()
    finally:
        w.page.close()


def test_primary_evidence_filter_on_the_bundled_graph(browser, bundled_page, bundled_network):
    w = Watched(browser)
    try:
        page = w.open(bundled_page + "#q=")
        page.check("#prim")
        want = oracle(bundled_network, primary=True)
        assert len(want) < bundled_network.number_of_edges()
        assert set(drawn(w)["edges"]) == want
        removed = bundled_network.number_of_edges() - len(want)
        assert page.inner_text("[data-removes=prim]") == f"hides {removed} claims"
        w.check_clean()
    finally:
        w.page.close()
