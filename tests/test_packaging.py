"""Dependencies: a lean core plus extras, exact lint-tool pins, lower bounds on everything; a command
whose extra is missing says which extra to install (clear message, non-zero exit, no traceback).

A missing package is simulated the way Python itself reports one: ``sys.modules[name] = None`` in
a fresh interpreter makes ``import name`` raise ImportError; everything else is the real CLI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from gutkg.extras import EXTRAS, MissingExtraError
from tests.conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
OPTIONAL = PROJECT["optional-dependencies"]
CORE = {"rdflib", "pyoxigraph", "pyshacl", "networkx", "click"}
#: Every module an extra brings (plus the endpoint's optional speed-ups).
EXTRA_MODULES = sorted({m for mods in EXTRAS.values() for m in mods} | {"httptools", "uvloop"})


def name_of(requirement: str) -> str:
    return re.split(r"[<>=!~;\[\s]", requirement.strip(), maxsplit=1)[0].lower()


def test_the_core_is_lean_and_every_extra_matches_the_table_gutkg_uses():
    assert {name_of(r) for r in PROJECT["dependencies"]} == CORE
    for extra, modules in EXTRAS.items():
        assert set(modules.values()) <= {name_of(r) for r in OPTIONAL[extra]}, extra
        assert not set(modules.values()) & CORE
    assert OPTIONAL["all"] == [f"gutkg[{','.join(sorted(EXTRAS, key=list(OPTIONAL).index))}]"]
    assert "gutkg[all]" in OPTIONAL["test"]  # the tests exercise every command


def test_every_dependency_has_a_lower_bound_and_the_lint_tools_an_exact_pin():
    """scripts/test_min_versions.sh installs exactly the lower bounds; ruff and mypy run as tests, so
    a new release must not change their verdict without a change here."""
    for requirement in PROJECT["dependencies"] + [r for e in EXTRAS for r in OPTIONAL[e]]:
        assert re.search(r">=\s*\d", requirement), requirement
    pins = {name_of(r): r.split("==")[1] for r in OPTIONAL["test"] if "==" in r}
    assert set(pins) >= {"ruff", "mypy"}
    for tool, pinned in pins.items():
        try:
            installed = version(tool)
        except PackageNotFoundError:  # e.g. scripts/test_min_versions.sh installs no lint tool
            continue
        assert installed == pinned, f"{tool} {installed} installed, {pinned} pinned: pip install -e '.[test]'"


def gutkg_without(missing: list[str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the gutkg CLI in a fresh interpreter where importing any of ``missing`` fails."""
    code = (
        "import sys\n"
        "for name in sys.argv[1].split(','):\n"
        "    sys.modules[name] = None\n"
        "from gutkg.cli import main\n"
        "main(sys.argv[2:], prog_name='gutkg')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, ",".join(missing), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, "GUTKG_CACHE": str(cwd / "cache")},
    )


@pytest.mark.parametrize(
    ("missing", "command", "extra"),
    [
        ("starlette", ["serve", "--port", "0"], "server"),
        ("uvicorn", ["serve", "--port", "0"], "server"),
        ("cairosvg", ["export", "figure", "--focus", "zonulin", "-o", "zonulin.png"], "teaching"),
        ("cairosvg", ["export", "figure", "--focus", "zonulin", "-o", "zonulin.pdf"], "teaching"),
        ("pptx", ["export", "slides", "--question", "dysbiosis", "-o", "lecture.pptx"], "teaching"),
    ],
)
def test_a_command_whose_extra_is_missing_says_which_extra_to_install(tmp_path, missing, command, extra):
    out = gutkg_without([missing], *command, cwd=tmp_path)
    assert out.returncode != 0
    assert f"pip install 'gutkg[{extra}]'" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and out.stderr.startswith("Error: ")
    assert not any(p.suffix in {".png", ".pdf", ".pptx"} for p in tmp_path.iterdir())  # nothing half-written


def test_the_core_commands_need_no_extra(tmp_path):
    """With every extra's modules missing: information, analysis, queries and the offline pages."""
    info = gutkg_without(EXTRA_MODULES, "info", "--format", "json", cwd=tmp_path)
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["claims"] > 200
    explain = gutkg_without(EXTRA_MODULES, "explain", "dysbiosis", "autoimmune disease", cwd=tmp_path)
    assert explain.returncode == 0 and "primary human evidence only" in explain.stdout, explain.stderr
    query = gutkg_without(
        EXTRA_MODULES,
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a gkv:CausalClaim }",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert query.returncode == 0 and int(json.loads(query.stdout)["results"]["bindings"][0]["n"]["value"]) > 200
    page = gutkg_without(EXTRA_MODULES, "export", "html", "--focus", "zonulin", "-o", "zonulin.html", cwd=tmp_path)
    assert page.returncode == 0, page.stderr
    assert "vis-network" in (tmp_path / "zonulin.html").read_text(encoding="utf-8")
    deck = gutkg_without(
        EXTRA_MODULES, "export", "slides", "--question", "dysbiosis", "--no-map", "-o", "lecture.html", cwd=tmp_path
    )
    assert deck.returncode == 0, deck.stderr
    if shutil.which("dot"):
        svg = gutkg_without(
            EXTRA_MODULES, "export", "figure", "--focus", "zonulin", "--depth", "1", "-o", "zonulin.svg", cwd=tmp_path
        )
        assert svg.returncode == 0, svg.stderr
        assert (tmp_path / "zonulin.svg").read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))


def test_a_dataframe_without_pandas_names_the_notebook_extra(monkeypatch):
    from gutkg.sparql.runner import run, to_frame
    from gutkg.store import new_store

    store = new_store("memory")
    store.load('<http://e.org/a> <http://e.org/p> "x" .', fmt="ntriples")
    result = run(store, "SELECT ?o WHERE { ?s ?p ?o }")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=re.escape("pip install 'gutkg[notebook]'")):
        to_frame(result)


def test_a_package_whose_system_library_is_missing_says_which_library(tmp_path):
    """cairosvg installed but libcairo missing: importing it raises OSError, reported as such."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "cairosvg.py").write_text('raise OSError("no library called \\"cairo-2\\" was found")\n')
    out = subprocess.run(
        [sys.executable, "-m", "gutkg", "export", "figure", "--focus", "zonulin", "-o", "z.png"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(shadow), "GUTKG_CACHE": str(tmp_path / "cache")},
    )
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "cairo" in out.stderr and "apt install libcairo2" in out.stderr, out.stderr
    assert not (tmp_path / "z.png").exists()
