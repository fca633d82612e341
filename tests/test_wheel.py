"""The wheel is the product: built from the repository and installed elsewhere, it carries the graph,
the ontology and the reference tables, and answers the main command outside any checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out / "dist")],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (out / "dist").glob("gutkg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    (out / "METADATA").write_bytes(zipfile.ZipFile(wheel).read(metadata))
    for needed in (
        "gutkg/bundled/ontology/gutkg.ttl",
        "gutkg/bundled/ontology/shapes.ttl",
        "gutkg/bundled/graph/hypotheses.ttl",
        "gutkg/bundled/reference/bibliography.tsv",
        "gutkg/bundled/reference/identifiers.tsv",
    ):
        assert needed in names, needed
    site = out / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert install.returncode == 0, install.stderr
    return site


def run(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("GUTKG_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "gutkg", *args], capture_output=True, text=True, cwd=site.parent, env=env
    )


def test_the_installed_wheel_answers_the_main_command_outside_the_checkout(installed):
    info = run(installed, "info", "--format", "json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["claims"] > 200
    explain = run(installed, "explain", "dysbiosis", "autoimmune disease")
    assert explain.returncode == 0, explain.stderr
    assert "primary human evidence only" in explain.stdout
    where = subprocess.run(
        [sys.executable, "-c", "import gutkg.loading as l; print(l.project_root())"],
        capture_output=True,
        text=True,
        cwd=installed.parent,
        env={**os.environ, "PYTHONPATH": str(installed)},
    )
    assert where.stdout.strip().endswith("gutkg/bundled"), where.stdout


def test_the_wheel_declares_a_lean_core_and_the_extras(installed):
    """pip reads the wheel's METADATA: the core needs five distributions; the server, teaching and
    notebook stacks come only with their extras."""
    from email.parser import Parser

    meta = Parser().parsestr((installed.parent / "METADATA").read_text(encoding="utf-8"))
    requires = meta.get_all("Requires-Dist") or []
    core = sorted(r.split(">=")[0] for r in requires if "extra ==" not in r)
    assert core == ["click", "networkx", "pyoxigraph", "pyshacl", "rdflib"]
    assert {"server", "teaching", "notebook", "all", "test"} <= set(meta.get_all("Provides-Extra") or [])
    for dist, extra in (
        ("starlette", "server"),
        ("uvicorn", "server"),
        ("python-pptx", "teaching"),
        ("cairosvg", "teaching"),
        ("pyvis", "notebook"),
        ("pandas", "notebook"),
    ):
        (line,) = [r for r in requires if r.startswith(dist)]
        assert f'extra == "{extra}"' in line, line
