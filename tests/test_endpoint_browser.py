"""The query UI in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The page is served by a real ``gutkg serve`` on 127.0.0.1 (the small fixture graph
``tests/data/sparql_questions.ttl``). Every request the page makes is recorded: requests to the
server are let through, anything else is aborted and fails the test, so the UI is shown to work
with no network beyond the machine itself. The assertions read what is drawn: the text, titles
and links of the results table's cells, the options shown under a parameter, the message box.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest

from gutkg.loading import load
from gutkg.sparql import default_prefixes, run
from tests.browser import chromium_context
from tests.endpoint import FIXTURE, start_endpoint

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
        self.hold_queries = False  # when set, requests to /sparql wait in self.held
        self.held: list = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in {"data", "blob", "about"} or (parts.scheme == "http" and parts.netloc == self.allowed):
            self.local.append(url)
            if self.hold_queries and parts.path == "/sparql":
                self.held.append(route)
            else:
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
    page.evaluate(
        "() => { window.gkAnswered = false; "
        "window.gutkgYasgui.once('queryResponse', () => { window.gkAnswered = true; }); }"
    )


def result_rows(page) -> list[list[str]]:
    """The drawn table's cells, row by row (the first cell is YASR's row number)."""
    page.wait_for_function("() => window.gkAnswered === true", timeout=30_000)
    page.wait_for_selector(".yasr table.dataTable tbody tr td", timeout=30_000)
    return page.eval_on_selector_all(
        ".yasr table.dataTable tbody tr",
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(td => td.innerText.trim()))",
    )


def type_query(page, query: str) -> None:
    page.wait_for_function("() => window.gutkgYasgui && window.gutkgYasgui.getTab()")
    page.evaluate("q => { window.gutkgYasgui.getTab().setQuery(q); }", query)


def run_typed(page, query: str) -> list[list[str]]:
    """Type a query into the editor, press YASQE's run button, return the drawn rows."""
    type_query(page, query)
    expect_answer(page)
    page.click(".yasqe .yasqe_queryButton")
    return result_rows(page)


def cell(page, text: str):
    """The one element drawn in a results cell whose whole text is ``text``."""
    found = page.locator(".yasr table.dataTable tbody td div > *", has_text=re.compile("^" + re.escape(text) + "$"))
    assert found.count() == 1, f"{found.count()} cells show {text!r}"
    return found.first


def until(page, condition, what: str) -> None:
    """Let Playwright dispatch events until ``condition()`` holds (a generous cap, not a speed test)."""
    for _ in range(1200):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture(scope="module")
def questions(server) -> list[dict]:
    with urllib.request.urlopen(server.url + "queries", timeout=30) as reply:
        return json.load(reply)


@pytest.fixture(scope="module")
def fixture_store():
    return load([FIXTURE])


def shown(term) -> str:
    """How the table should show a term: IRIs as CURIEs, literals as their plain text."""
    if term.kind == "uri":
        for prefix, ns in default_prefixes().items():
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns) :]}"
    return term.value


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


def test_ui_lists_bundled_questions_by_title_and_runs_one(watched, server, questions):
    page = watched.page
    page.goto(server.url)
    page.wait_for_function("n => document.querySelectorAll('#gk-question option').length === n + 1", arg=len(questions))
    shown_titles = page.eval_on_selector_all("#gk-question option", "os => os.map(o => o.innerText)")[1:]
    assert shown_titles == [q["title"] for q in questions]
    assert not {q["name"] for q in questions} & set(shown_titles), "an internal name is on show"
    assert all(" " in t for t in shown_titles)
    page.select_option("#gk-question", label="Concepts not yet mapped to an outside ontology")
    expect_answer(page)
    page.click("#gk-run")
    rows = result_rows(page)
    assert len(rows) == 7
    assert "gluten" in " ".join(rows[0])
    assert "Concepts with no exact or close mapping" in page.inner_text("#gk-question-help")
    assert not page.is_visible("#gk-params"), "a question without parameters shows no form"
    watched.check_clean()


def test_ui_picks_a_parameter_by_concept_name_with_autocomplete(watched, server, fixture_store):
    page = watched.page
    page.goto(server.url)
    page.wait_for_function("() => document.querySelectorAll('#gk-question option').length > 12")
    page.select_option("#gk-question", label="What directly affects a concept?")
    field = page.locator("#gk-p-concept")
    field.wait_for(state="visible")
    assert "the affected concept" in page.inner_text("#gk-params label")
    field.click()
    field.fill("")
    field.press_sequentially("leaky")  # a synonym: the option shows the label and why it matched
    options = page.locator("#gk-p-concept-options li")
    options.first.wait_for(state="visible")
    assert options.count() == 1
    assert options.first.inner_text().split("\n") == [
        "increased intestinal permeability",
        "also called leaky gut",
        "state",
    ]
    field.press("Enter")
    assert not page.is_visible("#gk-p-concept-options")
    assert field.input_value() == "increased intestinal permeability"
    assert "VALUES (?concept) { (<https://w3id.org/gutkg/concept/permeability>) }" in page.inner_text(
        ".yasqe .CodeMirror-code"
    )
    expect_answer(page)
    page.click("#gk-run")
    rows = result_rows(page)
    expected = [[shown(t) for t in row] for row in run(fixture_store, "direct-causes", ["concept=leaky gut"])]
    assert expected, "the fixture has causes of leaky gut"
    assert [r[1:] for r in rows] == expected
    # typing part of a name offers every concept whose label has it, in order
    for typed, offered in [("dis", ["autoimmune disease", "celiac disease"]), ("GLU", ["gluten", "gluten-free diet"])]:
        field.fill(typed)
        page.wait_for_function(
            "n => document.querySelectorAll('#gk-p-concept-options li').length === n", arg=len(offered)
        )
        assert [o.split("\n")[0] for o in options.all_inner_texts()] == offered
    watched.check_clean()


def test_ui_picks_a_hypothesis_by_its_label(watched, server, fixture_store):
    page = watched.page
    page.goto(server.url)
    page.wait_for_function("() => document.querySelectorAll('#gk-question option').length > 12")
    page.select_option("#gk-question", label="The claims making up a hypothesis")
    field = page.locator("#gk-p-hypothesis")
    field.wait_for(state="visible")
    field.fill("barrier")
    page.wait_for_function("() => document.querySelectorAll('#gk-p-hypothesis-options li').length === 2")
    options = page.locator("#gk-p-hypothesis-options li")
    assert [o.split("\n")[0] for o in options.all_inner_texts()] == [
        "Barrier failure drives autoimmunity",
        "Microbes act through the barrier",
    ]
    assert options.nth(1).inner_text().endswith("hypothesis")
    field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value() == "Microbes act through the barrier"
    assert "VALUES (?hypothesis) { (<https://w3id.org/gutkg/hypothesis/microbes>) }" in page.inner_text(
        ".yasqe .CodeMirror-code"
    )
    expect_answer(page)
    page.click("#gk-run")
    rows = result_rows(page)
    expected = [[shown(t) for t in row] for row in run(fixture_store, "hypothesis-claims", ["hypothesis=gkh:microbes"])]
    assert expected and [r[1:] for r in rows] == expected
    watched.check_clean()


def test_ui_says_which_concept_name_is_unknown_and_sends_nothing(watched, server):
    page = watched.page
    page.goto(server.url)
    page.wait_for_function("() => document.querySelectorAll('#gk-question option').length > 12")
    page.select_option("#gk-question", label="What directly affects a concept?")
    field = page.locator("#gk-p-concept")
    field.wait_for(state="visible")
    field.fill("zonulinn")
    sent = sum("/sparql" in u for u in watched.local)
    page.click("#gk-run")
    message = page.locator("#gk-message")
    message.wait_for(state="visible")
    assert "no concept called “zonulinn”" in message.inner_text()
    assert "zonulin" in message.inner_text().split("did you mean", 1)[1]
    assert field.get_attribute("aria-invalid") == "true"
    assert sum("/sparql" in u for u in watched.local) == sent, "an unresolved name was sent"
    # the next run clears the message
    field.fill("zonulin")
    expect_answer(page)
    page.click("#gk-run")
    result_rows(page)
    assert not message.is_visible()
    assert field.get_attribute("aria-invalid") is None
    watched.check_clean()


def test_ui_shows_literals_plainly_with_their_type_on_hover(watched, server):
    page = watched.page
    page.goto(server.url)
    rows = run_typed(
        page,
        "SELECT ?n ?word ?plain ?when WHERE { BIND (136 AS ?n) "
        'BIND ("perméabilité"@fr AS ?word) BIND ("zonulin" AS ?plain) '
        'BIND ("2024-05-01"^^<http://www.w3.org/2001/XMLSchema#date> AS ?when) }',
    )
    assert [r[1:] for r in rows] == [["136", "perméabilité", "zonulin", "2024-05-01"]]
    page_text = page.inner_text(".yasr table.dataTable tbody")
    assert "^^" not in page_text and '"' not in page_text and "@fr" not in page_text
    assert cell(page, "136").get_attribute("title") == "datatype: xsd:integer"
    assert cell(page, "perméabilité").get_attribute("title") == "language: fr"
    assert cell(page, "2024-05-01").get_attribute("title") == "datatype: xsd:date"
    assert cell(page, "zonulin").get_attribute("title") is None
    watched.check_clean()


def test_ui_table_keeps_double_braces_in_literals(watched, server):
    """YASR's parser replaces {{name}} in literals with another column's value (issue 15.10)."""
    page = watched.page
    page.goto(server.url)
    rows = run_typed(page, 'SELECT ?x ?s WHERE { BIND ("secret" AS ?x) BIND ("a {{x}} b {{ y }} c" AS ?s) }')
    assert [r[1:] for r in rows] == [["secret", "a {{x}} b {{ y }} c"]]
    watched.check_clean()


def test_ui_links_gutkg_entities_to_the_explorer(watched, server):
    page = watched.page
    page.goto(server.url)
    rows = run_typed(
        page,
        "SELECT ?concept ?claim ?hypothesis ?question ?evidence ?outside WHERE { "
        "BIND (gkc:zonulin AS ?concept) BIND (gkcl:c2 AS ?claim) "
        "BIND (gkh:diet AS ?hypothesis) BIND (gkq:association AS ?question) "
        "BIND (gkev:e1 AS ?evidence) BIND (obo:GO_0008150 AS ?outside) }",
    )
    assert [r[1:] for r in rows] == [
        ["gkc:zonulin", "gkcl:c2", "gkh:diet", "gkq:association", "gkev:e1", "obo:GO_0008150"]
    ]
    explore = server.url + "explore#"
    assert cell(page, "gkc:zonulin").get_attribute("href") == explore + "sel=n%3Azonulin"
    assert cell(page, "gkcl:c2").get_attribute("href") == explore + "sel=e%3Ac2"
    assert cell(page, "gkh:diet").get_attribute("href") == explore + "hl=h%3Adiet"
    assert cell(page, "gkq:association").get_attribute("href") == explore + "q=association"
    assert "zonulin: open in the explorer" in cell(page, "gkc:zonulin").get_attribute("title")
    assert cell(page, "gkev:e1").get_attribute("href") is None, "no page of its own: plain text"
    assert cell(page, "obo:GO_0008150").get_attribute("href") == "http://purl.obolibrary.org/obo/GO_0008150"
    hrefs = page.eval_on_selector_all(".yasr table.dataTable tbody a", "as => as.map(a => a.href)")
    assert hrefs and not [h for h in hrefs if "w3id.org" in h]
    cell(page, "gkc:zonulin").click()
    page.wait_for_url(explore + "*", timeout=120_000)
    page.locator("#card h2").wait_for(state="visible", timeout=120_000)
    assert page.inner_text("#card h2") == "zonulin"
    watched.check_clean()


def test_ui_clears_a_stale_error_as_soon_as_a_new_query_runs(watched, server):
    page = watched.page
    page.goto(server.url)
    type_query(page, "SELECT * WHERE { ?s ?p }")
    expect_answer(page)
    page.click(".yasqe .yasqe_queryButton")
    page.wait_for_function("() => window.gkAnswered === true", timeout=30_000)
    error = page.locator(".yasr .errorResult")
    error.wait_for(state="visible")
    assert "?p" in error.inner_text() or "parse" in error.inner_text().lower()
    assert len(watched.errors) == 1 and "400 (Bad Request)" in watched.errors[0]  # the refusal itself
    watched.errors.clear()
    # the next query is held at the network: whatever happens now happens before its answer
    watched.hold_queries = True
    type_query(page, "SELECT (1 AS ?one) WHERE {}")
    expect_answer(page)
    page.click(".yasqe .yasqe_queryButton")
    until(page, lambda: watched.held, "the query to be sent")
    assert error.count() == 0, "the old error is still on screen while the new query runs"
    assert page.evaluate("window.gkAnswered") is False
    watched.hold_queries = False
    watched.held.pop().continue_()
    assert result_rows(page) == [["1", "1"]]
    watched.check_clean()
