"""A curation write validates only what it changes, and is exactly as strict as validating everything.

:meth:`gutkg.curation.draft.Draft.focus` names the nodes whose SHACL results a change can alter; the
write validates those with SHACL and takes every other node's results from the graph as it was
(:mod:`gutkg.curation.shaclcache`). These tests hold that to the whole-graph validation it replaces:

* every refusal the curation tests check gives the same exit code and the same output whether the
  write validates incrementally (with a cold and a warm cache) or the whole graph;
* for a seeded set of valid and invalid raw changes, the incremental report equals the whole-graph
  report (same conforms flag, same problems everywhere), and SHACL on the focus alone gives exactly
  the whole graph's results for those nodes.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import data
from tests.curating import ADD_REFUSALS, CLAIM_HEADER, EVIDENCE, add_claim_args, snapshot

GKC = "https://w3id.org/gutkg/concept/"
GKCL = "https://w3id.org/gutkg/claim/"
GKEV = "https://w3id.org/gutkg/evidence/"
GKV = "https://w3id.org/gutkg/vocab#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test starts with an empty cache of its own."""
    monkeypatch.setenv("GUTKG_CACHE", str(tmp_path / "cache"))


def _claim(graph: Path, cause: str, effect: str, status: str, *evidence: str, extra: tuple[str, ...] = ()) -> list[str]:
    args = ["add", "claim", "--graph", str(graph), "--cause", cause, "--effect", effect, "--sign", "increases"]
    args += ["--status", status, "--mechanism", "Test."]
    for e in evidence:
        args += ["--evidence", e]
    return args + list(extra)


def _concept(graph: Path, label: str, *extra: str) -> list[str]:
    args = ["add", "concept", "--graph", str(graph), "--label", label, "--category", "disease"]
    return [*args, "--definition", "x", *extra]


def _csv(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _break_barrier(graph: Path) -> None:
    broken = graph / "claims" / "barrier.ttl"
    broken.write_text(broken.read_text().replace("    gkv:status gkv:Supported ;\n", ""))


Args = Callable[[Path, Path], list[str]]

#: Every add/import refusal (and the notes) the curation tests check: args, a text the output must
#: hold, and a change to the graph before the run (for the "already invalid" case).
CASES: dict[str, tuple[Args, str, Callable[[Path], None] | None]] = {
    **{
        f"evidence model: {name}": (
            lambda g, _t, s=status, e=evidence: _claim(g, "alpha", "gamma", s, e),
            message,
            None,
        )
        for name, (status, evidence, message) in ADD_REFUSALS.items()
    },
    "new claim needs a mechanism": (
        lambda g, _t: [
            a
            for a in _claim(g, "alpha", "delta", "supported", EVIDENCE, extra=("--add-evidence-to-existing",))
            if a not in {"--mechanism", "Test."}
        ],
        "a new claim needs a mechanism note",
        None,
    ),
    "concept name clash": (lambda g, _t: _concept(g, "A"), "already names gkc:", None),
    "existing concept id": (lambda g, _t: _concept(g, "beta"), "gkc:beta already exists", None),
    "unverified mapping": (
        lambda g, _t: _concept(g, "epsilon", "--exact-match", "MESH:D064806"),
        "marked 'partial'",
        None,
    ),
    "unknown reference and broader": (
        lambda g, _t: _concept(g, "epsilon", "--broader", "deltta", "--definition-source", "testref2022"),
        "unknown concept 'deltta'",
        None,
    ),
    "duplicate claim": (
        lambda g, _t: _claim(g, "alpha", "beta", "supported", EVIDENCE),
        "--add-evidence-to-existing",
        None,
    ),
    "unknown concept": (lambda g, _t: _claim(g, "alpah", "gamma", "supported", EVIDENCE), "unknown concept", None),
    "claim without evidence": (lambda g, _t: _claim(g, "alpha", "gamma", "supported"), "Provenance is not", None),
    "evidence above its ceiling": (
        lambda g, _t: _claim(g, "alpha", "delta", "supported", EVIDENCE.replace("weak", "moderate") + ",zonulin=yes"),
        "at most weak",
        None,
    ),
    "unknown evidence reference": (
        lambda g, _t: _claim(g, "alpha", "delta", "supported", EVIDENCE.replace("testref2021", "nosuchref")),
        "unknown reference 'nosuchref'",
        None,
    ),
    "claim its own cause": (lambda g, _t: _claim(g, "A", "alpha", "hypothesised"), "its own cause", None),
    "unknown hypothesis": (
        lambda g, _t: add_claim_args(g, "--hypothesis", "a_via_c"),
        "unknown hypothesis 'a_via_c'",
        None,
    ),
    "control character in a label": (lambda g, _t: _concept(g, "be\x1bta"), "U+", None),
    "bidi override in a label": (lambda g, _t: _concept(g, "\u202enilunoz"), "U+", None),
    "zero-width space in a label": (lambda g, _t: _concept(g, "zon\u200bulin"), "U+", None),
    "import: bad rows": (
        lambda g, t: [
            "import",
            "--graph",
            str(g),
            _csv(
                t,
                "bad.csv",
                CLAIM_HEADER + "alpha,delta,increases,supported,ok,,,testref2020,ECO:0000180,,human,in-vivo,"
                "interventional,weak,,,fine row\n"
                "beta,delta,increases,supported,no evidence,,,,,,,,,,,,\n",
            ),
        ],
        "nothing was written",
        None,
    ),
    "import: restating a claim": (
        lambda g, t: [
            "import",
            "--graph",
            str(g),
            _csv(
                t,
                "again.csv",
                CLAIM_HEADER + "A,beta,increases,supported,,,,testref2021,ECO:0000179,OBI:0003696,mouse,"
                "in-vivo,interventional,weak,,,Mice too.\n",
            ),
        ],
        "--add-evidence-to-existing",
        None,
    ),
    "import: status the evidence does not carry": (
        lambda g, t: [
            "import",
            "--graph",
            str(g),
            _csv(
                t,
                "strong.csv",
                CLAIM_HEADER + "alpha,delta,increases,established,m,,,testref2021,ECO:0000179,OBI:0003696,"
                "mouse,in-vivo,interventional,weak,,,Mice.\n",
            ),
        ],
        "claim status does not follow from its evidence",
        None,
    ),
    "a valid claim (dry run)": (lambda g, _t: add_claim_args(g, "--dry-run", "--diff"), "dry run: valid", None),
    "a valid claim with a hypothesis": (
        lambda g, _t: add_claim_args(g, "--hypothesis", "A acts through B"),
        "valid; wrote",
        None,
    ),
    "a valid concept": (lambda g, _t: _concept(g, "epsilon", "--broader", "delta"), "valid; wrote", None),
    "violations already in the graph (note)": (
        lambda g, _t: _concept(g, "epsilon"),
        "already had 1 violation(s) unrelated to this change",
        _break_barrier,
    ),
}


def _run(graph: Path, tmp_path: Path, case: str, monkeypatch, *, whole: bool) -> tuple[int, str, dict[str, bytes]]:
    """Run ``case`` on a fresh copy of the fixture graph at ``graph``: (exit code, output, files after)."""
    from click.testing import CliRunner

    from gutkg.cli import main
    from gutkg.curation.draft import Draft

    args, _needle, prepare = CASES[case]
    if graph.exists():
        shutil.rmtree(graph)
    shutil.copytree(data("curate_graph"), graph)
    if prepare:
        prepare(graph)
    with monkeypatch.context() as m:
        if whole:
            m.setattr(Draft, "focus", lambda self: None)  # the whole-graph validation, as before
        result = CliRunner().invoke(main, args(graph, tmp_path), catch_exceptions=False)
    return result.exit_code, result.output, snapshot(graph)


@pytest.mark.parametrize("case", sorted(CASES))
def test_incremental_write_answers_exactly_as_whole_graph_validation(case, tmp_path, monkeypatch):
    from gutkg.curation.draft import Draft

    foci: list[set[str] | None] = []
    focus = Draft.focus
    monkeypatch.setattr(Draft, "focus", lambda self: foci.append(focus(self)) or foci[-1])
    graph = tmp_path / "graph"
    cold = _run(graph, tmp_path, case, monkeypatch, whole=False)
    warm = _run(graph, tmp_path, case, monkeypatch, whole=False)
    whole = _run(graph, tmp_path, case, monkeypatch, whole=True)
    assert CASES[case][1] in cold[1], cold[1]
    assert cold == warm == whole
    # where the change reached validation, it was validated incrementally, not whole
    assert all(f is not None and f for f in foci)


# -- property: random raw changes ------------------------------------------------------------------

NODES = [
    GKC + "alpha",
    GKC + "beta",
    GKC + "gamma",
    GKC + "delta",
    GKCL + "alpha__increases__beta",
    GKCL + "beta__increases__gamma",
    GKEV + "alpha__increases__beta.e1",
    "https://w3id.org/gutkg/ref/testref2020",
    "https://w3id.org/gutkg/hypothesis/a_via_b",
    GKC + "new_concept",
    GKCL + "new_claim",
    GKEV + "new_claim.e1",
]
PREDICATES = [
    RDF_TYPE,
    GKV + "cause",
    GKV + "effect",
    GKV + "sign",
    GKV + "status",
    GKV + "stageOf",
    "http://www.w3.org/2004/02/skos/core#broader",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://purl.obolibrary.org/obo/RO_0002558",
    "http://purl.org/dc/terms/hasPart",
    "http://purl.org/dc/terms/source",
    GKV + "model",
    GKV + "strength",
]
CLASSES = [
    GKV + "CausalClaim",
    GKV + "Evidence",
    GKV + "Disease",
    GKV + "MeasurementMethod",
    GKV + "Exposure",
    GKV + "Hypothesis",
    "http://purl.org/ontology/bibo/Document",
]
VALUES = [*(GKV + v for v in ("Increases", "Supported", "Hypothesised", "Synthesis", "Weak", "InVivo"))]


def _random_change(rng: random.Random) -> list[tuple[str, str, str | tuple[str, str]]]:
    """One to three triples: (subject, predicate, IRI or (literal, language))."""
    out: list[tuple[str, str, str | tuple[str, str]]] = []
    for _ in range(rng.randint(1, 3)):
        s, p = rng.choice(NODES), rng.choice(PREDICATES)
        o: str | tuple[str, str]
        if p == RDF_TYPE:
            o = rng.choice(CLASSES)
        elif p.endswith(("prefLabel", "definition")):
            o = (rng.choice(["alpha", "a new thing", "x"]), rng.choice(["en", "fr"]))
        else:
            o = rng.choice(NODES + VALUES)
        out.append((s, p, o))
    return out


#: Changes worth naming: a type added to a concept claims point at (their results change through it),
#: a claim completed or left half, a hypothesis joining a non-claim, a status replaced.
NAMED: dict[str, list[tuple[str, str, str | tuple[str, str]]]] = {
    "an effect becomes a test": [(GKC + "beta", RDF_TYPE, GKV + "MeasurementMethod")],
    "a cause becomes a test": [(GKC + "alpha", RDF_TYPE, GKV + "MeasurementMethod")],
    "half a claim": [
        (GKCL + "new_claim", RDF_TYPE, GKV + "CausalClaim"),
        (GKCL + "new_claim", GKV + "cause", GKC + "alpha"),
    ],
    "a whole hypothesised claim": [
        (GKCL + "new_claim", RDF_TYPE, GKV + "CausalClaim"),
        (GKCL + "new_claim", GKV + "cause", GKC + "gamma"),
        (GKCL + "new_claim", GKV + "effect", GKC + "delta"),
        (GKCL + "new_claim", GKV + "sign", GKV + "Increases"),
        (GKCL + "new_claim", GKV + "status", GKV + "Hypothesised"),
    ],
    "a hypothesis joins a concept": [
        ("https://w3id.org/gutkg/hypothesis/a_via_b", "http://purl.org/dc/terms/hasPart", GKC + "delta")
    ],
    "a concept gets a second category": [(GKC + "delta", RDF_TYPE, GKV + "Exposure")],
    "a claim gets a second sign": [(GKCL + "alpha__increases__beta", GKV + "sign", GKV + "Decreases")],
}
CHANGES = {**NAMED, **{f"random {i}": _random_change(random.Random(i)) for i in range(24)}}
REPLACED = {"random 3", "random 7", "a claim gets a second sign"}  # these replace the values instead of adding


def _apply(graph: Path, change: list[tuple[str, str, str | tuple[str, str]]], replace: bool):  # type: ignore[no-untyped-def]
    from gutkg.curation import Draft
    from gutkg.store import Term

    draft = Draft(graph)
    target = graph / "claims" / "barrier.ttl"
    for s, p, o in change:
        value = Term.iri(o) if isinstance(o, str) else Term.literal(o[0], lang=o[1])
        if replace:
            draft.replace(target, Term.iri(s), Term.iri(p), value)
        else:
            draft.add(target, [(Term.iri(s), Term.iri(p), value)])
    return draft


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_incremental_report_equals_the_whole_graph_report(name, graph):
    from gutkg.loading import load, materialise_plain_edges
    from gutkg.validate import shacl_results, validate_store

    draft = _apply(graph, CHANGES[name], name in REPLACED)
    materialise_plain_edges(draft.store)
    focus = draft.focus()
    assert focus, "every change here is local: it must be validated incrementally"
    known = shacl_results(load([graph]))  # the graph on disk, validated whole
    incremental = validate_store(draft.store, draft.files, shacl_found=shacl_results(draft.store, focus, known))
    whole = validate_store(draft.store, draft.files)
    assert incremental.as_dict() == whole.as_dict()
    everything = shacl_results(draft.store)
    assert sorted(set(shacl_results(draft.store, focus))) == sorted({r for r in everything if r[0] in focus})


@pytest.mark.parametrize("name", ["an effect becomes a test", "half a claim", "a whole hypothesised claim", "random 5"])
def test_commit_refuses_or_accepts_a_raw_change_as_whole_validation_does(name, graph, monkeypatch):
    from gutkg.curation.draft import Draft
    from gutkg.errors import ValidationError

    def outcome(whole: bool) -> str:
        with monkeypatch.context() as m:
            if whole:
                m.setattr(Draft, "focus", lambda self: None)
            draft = _apply(graph, CHANGES[name], name in REPLACED)
            try:
                return draft.commit(dry_run=True).text()
            except ValidationError as exc:
                return "refused: " + str(exc)

    assert outcome(False) == outcome(False) == outcome(True)  # cold cache, warm cache, whole graph
    if name in {"an effect becomes a test", "half a claim"}:
        assert outcome(False).startswith("refused")


def test_shapes_that_read_beyond_a_node_make_the_write_validate_everything():
    """A shapes graph the locality argument does not cover is recognised (and then validated whole)."""
    import rdflib

    from gutkg.loading import shapes_file
    from gutkg.validate import local_shapes

    assert local_shapes(rdflib.Graph().parse(shapes_file(), format="turtle"))
    prefix = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix : <http://e.org/> .\n"
    for shape in (
        ":s sh:targetObjectsOf :p ; sh:class :C .",
        ":s sh:targetClass :C ; sh:property [ sh:path [ sh:inversePath :p ] ; sh:minCount 1 ] .",
        ":s sh:targetClass :C ; sh:property [ sh:path ( :p :q ) ; sh:minCount 1 ] .",
        ":s sh:targetClass :C ; sh:property [ sh:path :p ; sh:node :t ] .",
        ":s sh:targetClass :C ; sh:property [ sh:path :p ; sh:not [ sh:path :q ; sh:minCount 1 ] ] .",
        ":s sh:targetClass :C ; sh:sparql [ sh:select 'SELECT $this WHERE { }' ] .",
    ):
        assert not local_shapes(rdflib.Graph().parse(data=prefix + shape, format="turtle")), shape


def test_a_corrupt_or_stale_cache_is_recomputed_and_never_decides_a_refusal(graph, tmp_path, monkeypatch):
    """The cache only supplies untouched nodes' results: poisoning it cannot let a bad change through."""
    from gutkg.curation.draft import Draft
    from gutkg.curation.shaclcache import _entry, read_shacl_cache, shacl_key, write_shacl_cache
    from gutkg.errors import ValidationError

    draft = Draft(graph)
    key = shacl_key(draft.root, draft._bytes)
    entry = _entry(draft.root)
    entry.parent.mkdir(parents=True)
    entry.write_text("{not json", "utf-8")
    assert read_shacl_cache(draft.root, key) is None
    # an entry claiming the broken claim's violation was already there
    claim = GKCL + "new_claim"
    write_shacl_cache(
        draft.root,
        key,
        [(claim, "A claim needs exactly one gkv:cause that is a concept of the graph.", "", "violation")],
    )
    with pytest.raises(ValidationError, match="A claim needs exactly one gkv:cause"):
        _apply(graph, NAMED["half a claim"][:1], False).commit(dry_run=True)
    assert read_shacl_cache(draft.root, "0" * 64) is None  # another key: stale
