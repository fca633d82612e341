"""SELECT columns follow the query's projection on every store, and ``gutkg query -`` reads stdin.

rdflib answered ``SELECT *`` with the names sorted and Oxigraph in its plan's order; ``query -``
looked for a bundled question called "-".
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import data

BACKENDS = ["memory", "oxigraph", "oxigraph-server"]
STAR = (
    "SELECT * WHERE { ?claim a gkv:CausalClaim ; gkv:effect ?effect ; gkv:cause ?cause . "
    "OPTIONAL { ?claim gkv:status ?status } } ORDER BY ?claim"
)
EXPLICIT = (
    "SELECT ?effect (COUNT(?claim) AS ?n) ?z WHERE { ?claim gkv:effect ?effect BIND(1 AS ?z) } GROUP BY ?effect ?z"
)


def loaded(backend: str):  # type: ignore[no-untyped-def]
    from gutkg.loading import load

    if backend != "oxigraph-server":
        return load([str(data("grading.ttl"))], store=backend)
    from gutkg.push import push
    from tests.servers import remote_store

    target = remote_store(backend)
    push(
        load([str(data("grading.ttl"))], store="memory"),
        target.gsp_url,
        graph=target.graph,
        query_url=target.query_url,
        user=target.http.user,
        password=target.http.password,
    )
    return target


@pytest.mark.parametrize("backend", BACKENDS)
def test_columns_follow_the_projection_on_every_store(backend):
    from gutkg.sparql.runner import run

    store = loaded(backend)
    star = run(store, STAR)
    assert len(star.rows) == 11
    assert star.vars == ["claim", "effect", "cause", "status"]
    first = star.dicts()[0]
    assert str(first["claim"]).endswith("/claim/cohort_exposure__increases__cohort_disease")
    assert str(first["cause"]).endswith("/concept/cohort_exposure")  # values moved with their column
    explicit = run(store, EXPLICIT)
    assert explicit.rows and explicit.vars == ["effect", "n", "z"]


def test_query_reads_the_query_from_stdin(run_cli):
    out = run_cli("query", "-", "--graph", str(data("grading.ttl")), "--format", "json", input=STAR + "\n")
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["head"]["vars"] == ["claim", "effect", "cause", "status"]
    assert len(result["results"]["bindings"]) == 11
    empty = run_cli("query", "-", "--graph", str(data("grading.ttl")), input="  \n")
    assert empty.exit_code == 2 and "no query on standard input" in empty.output


def test_query_help_names_its_real_default_store(run_cli, monkeypatch):
    monkeypatch.delenv("GUTKG_STORE", raising=False)
    text = " ".join(run_cli("query", "--help").output.split())
    assert "[default: (oxigraph)]" in text or "[default: oxigraph]" in text
    assert "memory" not in text.split("--store", 1)[1].split("[default:", 1)[1][:20]
