"""The bundled questions: exact answers on a small fixture (both stores), non-empty on the bundled
graph, and documented headers.

The fixture tests/data/sparql_questions.ttl is small enough to work every answer out by hand:
gluten -> zonulin -> permeability -> autoimmunity -> dysbiosis -> permeability (a loop),
dysbiosis <-> autoimmunity (a two-concept loop), permeability -> endotoxaemia -> LBP assay, a
contested claim, a refuted one, animal-only and in-vitro-only claims, two uncited claims.
"""

from __future__ import annotations

import shlex

import pytest

from gutkg.sparql.questions import PARAM_KINDS, catalog
from gutkg.sparql.results import cell
from gutkg.sparql.runner import run
from gutkg.vocab import PREFIXES
from tests.conftest import data

PERM = "increased intestinal permeability"
AUTO = "autoimmune disease"
ASSOC = "What explains dysbiosis and autoimmune disease?"

#: question -> (params, expected rows as table cells). Every row worked out by hand.
EXPECTED: dict[str, tuple[list[str], list[tuple[str, ...]]]] = {
    "upstream-causes": (
        ["concept=gkc:permeability"],
        [
            ("gkc:dysbiosis", "dysbiosis", "true"),
            ("gkc:probiotics", "probiotics", "true"),
            ("gkc:zonulin", "zonulin", "true"),
            ("gkc:autoimmunity", AUTO, "false"),
            ("gkc:gluten", "gluten", "false"),
            ("gkc:gfd", "gluten-free diet", "false"),
        ],
    ),
    "downstream-effects": (
        ["concept=dysbiosis"],
        [
            ("gkc:autoimmunity", AUTO, "true"),
            ("gkc:permeability", PERM, "true"),
            ("gkc:endotoxaemia", "endotoxaemia", "false"),
            ("gkc:lm_test", "lactulose/mannitol test", "false"),
            ("gkc:lbp_assay", "LBP assay", "false"),
        ],
    ),
    "direct-causes": (
        ["concept=leaky gut"],
        [
            ("gkcl:c4", "dysbiosis", "increases", "supported", "1", "0"),
            ("gkcl:c10", "probiotics", "decreases", "refuted", "1", "1"),
            ("gkcl:c2", "zonulin", "increases", "contested", "1", "1"),
        ],
    ),
    "claims-citing": (
        ["reference=gkref:lee2018"],
        [
            ("gkcl:c5", AUTO, "increases", "dysbiosis", "supports", "weak", "gkev:c5.e1"),
            ("gkcl:c7", PERM, "increases", "lactulose/mannitol test", "supports", "strong", "gkev:c7.e1"),
            ("gkcl:c10", "probiotics", "decreases", PERM, "opposes", "moderate", "gkev:c10.e1"),
            ("gkcl:c2", "zonulin", "increases", PERM, "opposes", "moderate", "gkev:c2.e2"),
        ],
    ),
    "non-human-only-claims": (
        [],
        [
            ("gkcl:c4", "dysbiosis", "increases", PERM, "supported", "mouse", "1"),
            ("gkcl:c1", "gluten", "increases", "zonulin", "supported", "in vitro (human cells)", "1"),
            ("gkcl:c8", PERM, "increases", "endotoxaemia", "supported", "rat", "1"),
            ("gkcl:c10", "probiotics", "decreases", PERM, "refuted", "mouse", "1"),
        ],
    ),
    "contested-claims": (
        [],
        [
            ("gkcl:c10", "probiotics", "decreases", PERM, "refuted", "1", "1", "smith2001", "lee2018"),
            ("gkcl:c2", "zonulin", "increases", PERM, "contested", "1", "1", "jones2010", "lee2018"),
        ],
    ),
    "rival-hypotheses": (
        ["question=gkq:association"],
        [
            ("gkq:association", ASSOC, "gkh:reverse", "Autoimmunity alters the microbiota", "1", "1", "0"),
            ("gkq:association", ASSOC, "gkh:barrier", "Barrier failure drives autoimmunity", "2", "0", "1"),
            ("gkq:association", ASSOC, "gkh:microbes", "Microbes act through the barrier", "2", "1", "0"),
        ],
    ),
    "measurement-methods": (
        ["state=gkc:permeability"],
        [
            ("gkc:lm_test", "lactulose/mannitol test", "", "limited", "2"),
            ("gkc:lbp_assay", "LBP assay", "endotoxaemia", "limited", "0"),
        ],
    ),
    "interventions-on": (
        ["concept=gkc:permeability"],
        [("gkc:probiotics", "probiotics", "true", "decreases"), ("gkc:gfd", "gluten-free diet", "false", "")],
    ),
    "unmapped-concepts": (
        [],
        [
            ("gkc:gluten", "gluten", "exposure"),
            ("gkc:gfd", "gluten-free diet", "intervention"),
            ("gkc:probiotics", "probiotics", "intervention"),
            ("gkc:lm_test", "lactulose/mannitol test", "measurement method or biomarker"),
            ("gkc:lbp_assay", "LBP assay", "measurement method or biomarker"),
            ("gkc:dysbiosis", "dysbiosis", "microbial entity or state"),
            ("gkc:endotoxaemia", "endotoxaemia", "physiological state"),
        ],
    ),
    "evidence-by-species-design": (
        [],
        [
            ("human", "in vivo", "OBI:0003698", "4", "3"),
            ("human", "in vivo", "OBI:0004001", "3", "3"),
            ("mouse", "in vivo", "OBI:0003696", "2", "2"),
            ("human", "ex vivo", "not recorded", "1", "1"),
            ("human", "in vitro", "not recorded", "1", "1"),
            ("rat", "in vivo", "not recorded", "1", "1"),
        ],
    ),
    "feedback-loops": (
        [],
        [
            (f"{AUTO} → dysbiosis → {AUTO}", "2", "reinforcing"),
            (f"{AUTO} → dysbiosis → {PERM} → {AUTO}", "3", "reinforcing"),
        ],
    ),
    "common-causes": (
        ["a=dysbiosis", "b=autoimmune disease"],
        [
            ("gkc:gluten", "gluten", "false", "false"),
            ("gkc:gfd", "gluten-free diet", "false", "false"),
            ("gkc:permeability", PERM, "false", "true"),
            ("gkc:probiotics", "probiotics", "false", "false"),
            ("gkc:zonulin", "zonulin", "false", "false"),
        ],
    ),
    "claims-by-status": (["status=contested"], [("gkcl:c2", "zonulin", "increases", PERM, "contested", "2")]),
    "zonulin-assay-evidence": ([], [("gkcl:c2", "zonulin", "increases", PERM, "supports", "weak", "gkref:jones2010")]),
    "hypothesis-claims": (
        ["hypothesis=gkh:barrier"],
        [
            ("gkcl:c3", PERM, "increases", AUTO, "hypothesised", "no evidence"),
            ("gkcl:c2", "zonulin", "increases", PERM, "contested", "weak"),
        ],
    ),
    "uncited-claims": (
        [],
        [
            ("gkcl:c12", "dysbiosis", "increases", AUTO, "hypothesised"),
            ("gkcl:c3", PERM, "increases", AUTO, "hypothesised"),
        ],
    ),
    "concept-search": (
        ["text=gluten"],
        [
            ("gkc:gluten", "gluten", "exposure", "gluten"),
            ("gkc:gfd", "gluten-free diet", "intervention", "gluten-free diet"),
        ],
    ),
}


def cells(result) -> list[tuple[str, ...]]:
    return [tuple(cell(t, PREFIXES) for t in row) for row in result.rows]


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def fixture_store(request):
    from gutkg.loading import load

    return load([data("sparql_questions.ttl")], store=request.param)


@pytest.fixture(scope="module")
def bundled_oxigraph():
    from gutkg.loading import load

    return load(store="oxigraph")


def test_there_are_at_least_twelve_documented_questions():
    questions = catalog()
    assert len(questions) >= 12
    for q in questions.values():
        assert q.description, f"{q.name}.rq needs a '# description:' line"
        assert q.examples, f"{q.name}.rq needs an '# example:' line"
        assert all(p.kind in PARAM_KINDS and p.description for p in q.params), q.name


def test_every_question_has_an_expected_answer():
    assert set(EXPECTED) == set(catalog())


def test_file_names_match_question_names():
    from importlib import resources

    folder = resources.files("gutkg.sparql").joinpath("queries")
    stems = {e.name.removesuffix(".rq") for e in folder.iterdir() if e.name.endswith(".rq")}
    assert stems == set(catalog())


def test_questions_declare_only_the_projects_prefixes():
    import re

    for q in catalog().values():
        declared = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", q.text))
        assert declared, q.name
        for name, iri in declared.items():
            assert PREFIXES.get(name) == iri, f"{q.name}: PREFIX {name}: differs from gutkg.vocab.PREFIXES"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_answer_on_fixture(fixture_store, name):
    params, expected = EXPECTED[name]
    result = run(fixture_store, name, params)
    assert result.kind == "select"
    got = cells(result)
    assert got, f"{name} returned nothing on the fixture"
    assert got == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_are_non_empty_on_bundled_graph(bundled_oxigraph, name):
    question = catalog()[name]
    for example in question.examples:
        words = shlex.split(example)
        params = [words[i + 1] for i, w in enumerate(words[:-1]) if w in {"--param", "-p"}]
        result = run(bundled_oxigraph, name, params)
        assert len(result) > 0, f"{name} (example: {example}) is empty on the bundled graph"
        assert len(result.vars) == len(result.rows[0])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_ui_version_runs_as_is_on_bundled_graph(bundled_oxigraph, name):
    """The query UI loads each question with its first example's values bound in a VALUES line."""
    from gutkg.sparql.endpoint import ui_query
    from gutkg.sparql.runner import default_prefixes

    question = catalog()[name]
    text = ui_query(question)
    if question.params and not all(p.optional for p in question.params):
        assert "VALUES (" in text
    result = bundled_oxigraph.query(text, prefixes=default_prefixes())
    assert len(result) > 0, f"{name}: the UI's version is empty on the bundled graph"


def test_optional_parameter_left_out_widens_the_answer(fixture_store):
    everything = run(fixture_store, "rival-hypotheses")
    assert {c[2] for c in cells(everything)} == {"gkh:reverse", "gkh:barrier", "gkh:microbes", "gkh:diet"}
    statuses = {c[4] for c in cells(run(fixture_store, "claims-by-status"))}
    assert statuses == {"supported", "contested", "hypothesised", "established", "refuted"}
