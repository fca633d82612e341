"""The query UI in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The page is served by a real ``gutkg serve`` on 127.0.0.1. Every request the page makes is
recorded: requests to the server are let through, anything else is aborted and fails the test,
so the UI is shown to work with no network beyond the machine itself.
"""

from __future__ import annotations

import urllib.parse

import pytest

from tests.browser import chromium_context
from tests.test_endpoint_server import start_endpoint

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_endpoint(tmp_path_factory.mktemp("ui"), "--workers", "2")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A persistent context on a fresh --user-data-dir."""
    with chromium_context(tmp_path_factory.mktemp("chromium-profile"), height=900) as context:
        yield context


class Watched:
    """A page whose every request is recorded; only the gutkg server may be reached."""

    def __init__(self, context, server):
        self.allowed = urllib.parse.urlsplit(server.url).netloc
        self.page = context.new_page()
        self.local: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in {"data", "blob", "about"} or (
                parts.scheme == "http" and parts.netloc == self.allowed):
            self.local.append(url)
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def check_clean(self):
        assert self.local, "the page made no request at all"
        assert all(urllib.parse.urlsplit(u).hostname in {"127.0.0.1", None} for u in self.local)
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture
def watched(browser, server):
    w = Watched(browser, server)
    yield w
    w.page.close()


def expect_answer(page) -> None:
    """Watch for YASGUI's next query response (tabs persist, so an old table may be on show)."""
    page.wait_for_function("() => window.gutkgYasgui && window.gutkgYasgui.getTab()")
    page.evaluate("() => { window.gkAnswered = false; "
                  "window.gutkgYasgui.once('queryResponse', () => { window.gkAnswered = true; }); }")


def result_rows(page) -> list[list[str]]:
    page.wait_for_function("() => window.gkAnswered === true", timeout=30_000)
    page.wait_for_selector(".yasr table.dataTable tbody tr td", timeout=30_000)
    return page.eval_on_selector_all(
        ".yasr table.dataTable tbody tr",
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(td => td.innerText.trim()))")


def test_ui_runs_a_typed_query_and_shows_the_table(watched, server):
    page = watched.page
    page.goto(server.url)
    page.wait_for_function("() => window.gutkgYasgui && window.gutkgYasgui.getTab()")
    page.evaluate("""() => { window.gutkgYasgui.getTab().setQuery(
        'PREFIX gkv: <https://w3id.org/gutkg/vocab#>\\n' +
        'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n' +
        'SELECT ?c ?label WHERE { ?c a gkv:Intervention ; skos:prefLabel ?label } ORDER BY ?label'); }""")
    expect_answer(page)
    page.click(".yasqe .yasqe_queryButton")
    rows = result_rows(page)
    assert rows, "no result rows shown"
    cells = " ".join(" ".join(r) for r in rows)
    assert "gluten-free diet" in cells and "probiotics" in cells
    headers = page.eval_on_selector_all(".yasr table.dataTable thead th", "hs => hs.map(h => h.innerText)")
    assert any("label" in h for h in headers)
    assert any("/sparql" in u for u in watched.local), "the query went to this server's /sparql"
    watched.check_clean()


def test_ui_loads_and_runs_a_bundled_question(watched, server):
    page = watched.page
    page.goto(server.url)
    page.wait_for_function("() => document.querySelectorAll('#gk-question option').length > 12")
    page.select_option("#gk-question", "unmapped-concepts")
    expect_answer(page)
    page.click("#gk-run")
    rows = result_rows(page)
    assert len(rows) == 7
    assert "gluten" in " ".join(rows[0])
    assert "Concepts with no exact or close mapping" in page.inner_text("#gk-question-help")
    watched.check_clean()
