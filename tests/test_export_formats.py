"""Interchange formats, each read back by an independent tool, never by our own writer:
networkx's GraphML/GEXF readers, pyoxigraph and Debian's rapper for RDF, Graphviz for DOT,
cytoscape.js and mermaid in headless Chromium for Cytoscape JSON and Mermaid."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from gutkg.errors import GutKGError, InputError
from tests.browser import CHROMIUM, chromium_context
from tests.conftest import ROOT, data

FIXTURE = str(data("export_teaching.ttl"))
ODD = 'IL-1β <"odd" & {label}|[x]>; %% end'
NODE_MODULES = ROOT / "assets" / "teaching" / "node_modules"


@pytest.fixture(scope="module")
def store():
    from gutkg.loading import load

    return load([FIXTURE])


@pytest.fixture(scope="module")
def network(store):
    from gutkg.network import to_network

    return to_network(store)


def export(network, fmt, store=None, **kw):
    from gutkg.export.graph_formats import export_graph

    return export_graph(network, fmt, store=store, **kw)


# --- GraphML and GEXF: networkx's readers ---------------------------------------------------------


def test_graphml_reads_back_with_the_same_counts_and_attributes(network, tmp_path):
    import networkx as nx

    from gutkg.export.graph_formats import flat_edge, flat_node

    path = tmp_path / "g.graphml"
    path.write_bytes(export(network, "graphml"))
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == network.number_of_nodes() == 9
    assert back.number_of_edges() == network.number_of_edges() == 11
    for node in network.nodes:
        assert back.nodes[node] == flat_node(network, node)
    for u, v, key, d in network.edges(keys=True, data=True):
        assert back.edges[u, v, key] == flat_edge(d)
    claim = back.edges[
        "increased_intestinal_permeability",
        "autoimmune_disease",
        "increased_intestinal_permeability__increases__autoimmune_disease",
    ]
    assert claim["citations"] == "Poe 2020; Roe & Moe 2018"  # citations kept
    assert claim["references"] == "poe2020; roe2018" and claim["opposed"] is True
    assert json.loads(claim["evidence"])[1]["stance"] == "opposes"  # nothing lost
    assert back.nodes["odd_label"]["label"] == ODD


def test_gexf_reads_back_with_the_same_counts_and_attributes(network, tmp_path):
    import networkx as nx

    from gutkg.export.graph_formats import flat_edge, flat_node

    path = tmp_path / "g.gexf"
    path.write_bytes(export(network, "gexf"))
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == network.number_of_nodes()
    assert back.number_of_edges() == network.number_of_edges()
    for node in network.nodes:
        got = {k: v for k, v in back.nodes[node].items() if k != "viz"}
        assert got == flat_node(network, node)
        assert set(back.nodes[node]["viz"]["color"]) >= {"r", "g", "b"}  # Gephi colours
    for u, v, key, d in network.edges(keys=True, data=True):
        got = dict(back.edges[u, v])
        assert got.pop("id") == key
        assert got == flat_edge(d)


# --- RDF: pyoxigraph and rapper agree on the triple count -----------------------------------------


def _oxigraph_count(payload: bytes, fmt: str) -> int:
    import pyoxigraph

    kind = {
        "turtle": pyoxigraph.RdfFormat.TURTLE,
        "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
        "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    }[fmt]
    return len(list(pyoxigraph.parse(payload, format=kind)))


def _rapper_count(path: Path, syntax: str) -> int:
    done = subprocess.run(["rapper", "-q", "-i", syntax, "-o", "ntriples", str(path)], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return len([line for line in done.stdout.decode().splitlines() if line.strip()])


needs_rapper = pytest.mark.skipif(
    shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) is not installed"
)


@needs_rapper
@pytest.mark.parametrize("selection", ["whole", "question", "human"])
def test_turtle_ntriples_and_jsonld_parse_to_the_same_triple_count(network, store, tmp_path, selection):
    """raptor2 has no JSON-LD parser: JSON-LD is parsed by pyoxigraph and its N-Triples by rapper."""
    import pyoxigraph

    from gutkg.analysis.filters import EvidenceFilter
    from gutkg.export.selection import select

    if selection == "whole":
        graph = network
    elif selection == "question":
        graph = select(network, question="dysbiosis").graph
    else:
        graph = select(network, evidence=EvidenceFilter(species=("human",))).graph
    counts = {}
    for fmt, syntax, suffix in [("turtle", "turtle", "ttl"), ("ntriples", "ntriples", "nt")]:
        payload = export(graph, fmt, store)
        path = tmp_path / f"g.{suffix}"
        path.write_bytes(payload)
        counts[f"{fmt} oxigraph"] = _oxigraph_count(payload, fmt)
        counts[f"{fmt} rapper"] = _rapper_count(path, syntax)
    jsonld = export(graph, "jsonld", store)
    counts["jsonld oxigraph"] = _oxigraph_count(jsonld, "jsonld")
    nt = tmp_path / "from-jsonld.nt"
    nt.write_bytes(
        pyoxigraph.serialize(
            pyoxigraph.parse(jsonld, format=pyoxigraph.RdfFormat.JSON_LD), format=pyoxigraph.RdfFormat.N_TRIPLES
        )
    )
    counts["jsonld rapper"] = _rapper_count(nt, "ntriples")
    assert min(counts.values()) > 50, counts
    assert len(set(counts.values())) == 1, counts


def test_rdf_of_a_selection_holds_its_claims_evidence_and_references_only(network, store):
    import pyoxigraph

    from gutkg.analysis.filters import EvidenceFilter
    from gutkg.export.selection import select

    human = select(network, evidence=EvidenceFilter(species=("human",))).graph
    triples = list(pyoxigraph.parse(export(human, "ntriples", store), format=pyoxigraph.RdfFormat.N_TRIPLES))
    subjects = {t.subject.value for t in triples}
    objects = {t.object.value for t in triples}
    base = "https://w3id.org/gutkg/"
    kept = "mucosal_inflammation__increases__increased_intestinal_permeability"
    assert base + "claim/" + kept in subjects  # human evidence e2 survives
    assert base + "evidence/" + kept + ".e2" in subjects
    assert base + "evidence/" + kept + ".e1" not in subjects | objects  # in vitro item dropped, links too
    assert base + "claim/gliadin__increases__zonulin" not in subjects  # in vitro only
    assert base + "claim/butyrate__decreases__increased_intestinal_permeability" not in subjects  # mouse
    assert base + "ref/doe2019" in subjects and base + "ref/li2017" not in subjects
    plain = {(t.subject.value, t.object.value) for t in triples if t.predicate.value.endswith("RO_0002304")}
    assert (base + "concept/mucosal_inflammation", base + "concept/increased_intestinal_permeability") in plain
    assert (base + "concept/gliadin", base + "concept/zonulin") not in plain  # only selected claims' edges


# --- DOT, CSV, Mermaid, Cytoscape JSON ------------------------------------------------------------


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_dot_renders_with_graphviz_without_warnings(network):
    payload = export(network, "dot", title="Teaching fixture")
    done = subprocess.run(["dot", "-Tsvg"], input=payload, capture_output=True, check=False)
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    svg = done.stdout.decode("utf-8")
    assert "Teaching fixture" in svg and "Roe &amp; Moe 2018" in svg
    assert "IL&#45;1β &lt;&quot;odd&quot; &amp;" in svg or "IL-1β &lt;&quot;odd&quot; &amp;" in svg


def test_csv_has_one_row_per_claim_with_its_citations(network):
    rows = list(csv.DictReader(io.StringIO(export(network, "csv").decode("utf-8"))))
    assert len(rows) == network.number_of_edges() == 11
    by_claim = {r["claim"]: r for r in rows}
    row = by_claim["increased_intestinal_permeability__increases__autoimmune_disease"]
    assert row["citations"] == "Poe 2020; Roe & Moe 2018" and row["status"] == "contested"
    assert by_claim["odd_label__increases__mucosal_inflammation"]["cause_label"] == ODD


def test_mermaid_escapes_every_label(network):
    text = export(network, "mermaid").decode("utf-8")
    assert text.splitlines()[0] == "flowchart LR"
    assert '"' not in ODD.replace('"', "") or "#quot;odd#quot;" in text
    assert '<"odd"' not in text and "%% end" not in text


@contextmanager
def _browser_page():
    """A blank page that may load nothing from outside, with its console errors recorded."""
    with chromium_context() as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route(
            "**/*",
            lambda route: route.abort() if not route.request.url.startswith(("about:", "data:")) else route.continue_(),
        )
        yield page, errors


def _needs_js(package: str, dist: str):
    path = NODE_MODULES / package / "dist" / dist
    return pytest.mark.skipif(
        not path.is_file() or not Path(CHROMIUM).exists(),
        reason=f"{path} or {CHROMIUM} missing: run scripts/test.sh (npm ci in assets/teaching)",
    )


@pytest.mark.browser
@_needs_js("cytoscape", "cytoscape.min.js")
def test_cytoscape_json_loads_in_cytoscape_js(network):
    doc = json.loads(export(network, "cyjs", title="Teaching fixture"))
    with _browser_page() as (page, errors):
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(NODE_MODULES / "cytoscape" / "dist" / "cytoscape.min.js"))
        got = page.evaluate(
            """(doc) => {
            const cy = cytoscape({headless: true, elements: doc.elements});
            const claim = cy.getElementById('increased_intestinal_permeability__increases__autoimmune_disease');
            return {nodes: cy.nodes().length, edges: cy.edges().length,
                    label: cy.getElementById('odd_label').data('label'),
                    source: claim.source().id(), citations: claim.data('citations'),
                    evidence: claim.data('evidence').length};
        }""",
            doc,
        )
    assert got == {
        "nodes": 9,
        "edges": 11,
        "label": ODD,
        "source": "increased_intestinal_permeability",
        "citations": ["Poe 2020", "Roe & Moe 2018"],
        "evidence": 2,
    }
    assert errors == []


@pytest.mark.browser
@_needs_js("mermaid", "mermaid.min.js")
def test_mermaid_parses_and_renders_in_mermaid(network):
    source = export(network, "mermaid", title="Teaching fixture").decode("utf-8")
    with _browser_page() as (page, errors):
        page.set_content("<!doctype html><html><body><div id='out'></div></body></html>")
        page.add_script_tag(path=str(NODE_MODULES / "mermaid" / "dist" / "mermaid.min.js"))
        got = page.evaluate(
            """async (src) => {
            mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
            const parsed = await mermaid.parse(src);
            const {svg} = await mermaid.render('gutkg', src);
            const out = document.getElementById('out');
            out.innerHTML = svg;
            return {parsed: Boolean(parsed), nodes: out.querySelectorAll('g.node').length,
                    edges: out.querySelectorAll('.edgePaths path, path.flowchart-link').length,
                    text: out.textContent};
        }""",
            source,
        )
    assert got["parsed"] is True
    assert got["nodes"] == 9 and got["edges"] >= 11
    assert ODD in got["text"] and "Roe & Moe 2018" in got["text"]
    assert errors == []


# --- bad input -----------------------------------------------------------------------------------


def test_unknown_formats_and_suffixes_are_refused():
    from gutkg.export.graph_formats import graph_format

    with pytest.raises(InputError, match="unknown format 'xls'"):
        graph_format("xls")
    with pytest.raises(InputError, match="cannot tell the format"):
        graph_format(None, "out.xyz")
    assert graph_format(None, "out.TTL").name == "turtle"


def test_an_empty_selection_is_refused(network):
    with pytest.raises(GutKGError, match="empty"):
        export(network.subgraph([]).copy(), "graphml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xls"], "xls"),
        (["--loop", "gliadin"], "empty"),
        (["--focus", "zonulin", "--species", "martian"], "unknown species or model 'martian'"),
        (["--question", "no such question"], "unknown question"),
    ],
)
def test_cli_bad_input_gives_a_clear_message_and_no_file(run_cli, tmp_path, args, message):
    out = tmp_path / "g.graphml"
    result = run_cli("export", "graph", *args, "-o", str(out), "--graph", FIXTURE)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_an_unwritable_path(run_cli, tmp_path):
    (tmp_path / "a-file").write_text("x")
    result = run_cli("export", "graph", "-o", str(tmp_path / "a-file" / "g.ttl"), "--graph", FIXTURE)
    assert result.exit_code != 0 and "cannot write" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("graphml", "graphml"),
        ("gexf", "gexf"),
        ("cyjs", "cyjs"),
        ("jsonld", "jsonld"),
        ("turtle", "ttl"),
        ("ntriples", "nt"),
        ("csv", "csv"),
        ("mermaid", "mmd"),
        ("dot", "dot"),
    ],
)
def test_cli_writes_every_format_from_its_suffix(run_cli, tmp_path, name, suffix):
    out = tmp_path / f"loops.{suffix}"
    result = run_cli("export", "graph", "--loop", "leaky gut", "-o", str(out), "--report", "json", "--graph", FIXTURE)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["format"] == name and report["concepts"] == 4 and report["claims"] == 6
    assert out.stat().st_size == report["bytes"] > 0


@pytest.mark.parametrize("suffix", ["graphml", "gexf", "cyjs", "jsonld", "ttl", "nt", "csv", "mmd", "dot"])
def test_the_exporter_registry_picks_every_format_from_its_suffix(network, store, tmp_path, suffix):
    from gutkg.export import format_for_path, write

    out = write(network, tmp_path / f"g.{suffix}", store=store)
    assert out.stat().st_size > 0
    assert format_for_path(out) in {"graphml", "gexf", "cyjs", "jsonld", "turtle", "ntriples", "csv", "mermaid", "dot"}


def test_interchange_dot_keeps_a_long_label_whole_while_figures_clip_it():
    """Issue 15.10: figures and decks cut a 10,000-character label; an interchange file is data
    and keeps it."""
    import networkx as nx

    from gutkg.export.diagrams import to_dot
    from gutkg.export.figure import MAX_LABEL, wrap_label

    label = "leaky " * 1666 + "gut"
    g = nx.MultiDiGraph()
    g.add_node("a", label=label, category="state")
    g.add_node("b", label="b", category="state")
    g.add_edge("a", "b", key="a__increases__b", sign=1, status="supported", strength=2)
    dot = to_dot(g).decode("utf-8")
    assert dot.replace("\\n", " ").count("leaky") == 1666
    clipped = " ".join(wrap_label(label))
    assert clipped.endswith("…") and len(clipped) <= MAX_LABEL + 1


@pytest.mark.parametrize("name", ["graphml", "gexf", "cyjs", "csv", "mermaid", "dot", "dagitty", "turtle"])
def test_a_mistyped_option_is_an_error_not_silently_ignored(network, store, name):
    """Writers declare the options they take (no ``**_`` catch-all): a typo raises, while the
    dispatcher still gives every format only what it declares (title, store)."""
    from gutkg.export.graph_formats import GRAPH_FORMATS, export_graph

    assert export_graph(network, name, store=store, title="T")
    with pytest.raises(TypeError):
        GRAPH_FORMATS[name].writer(network, titel="T", store=store)
