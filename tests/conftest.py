"""Shared fixtures: the bundled graph and tiny named fixture graphs in tests/data/."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]

# The tests never read or write the user's own cache (~/.cache/gutkg): every cache (Oxigraph stores,
# projected networks, SHACL results) goes to a private folder for this session, removed at the end.
# Child processes (CLI and server tests) inherit it. A test that is about the cache sets its own.
if "GUTKG_CACHE" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="gutkg-test-cache-")
    os.environ["GUTKG_CACHE"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)


def data(name: str) -> Path:
    """Path of a fixture file in tests/data/."""
    return DATA / name


@pytest.fixture(scope="session")
def bundled_store():
    """The bundled graph loaded once into the in-memory store (read-only: do not modify)."""
    from gutkg.loading import load

    return load()


@pytest.fixture(scope="session")
def bundled_network(bundled_store):
    """The bundled graph projected to a MultiDiGraph (read-only: copy before modifying)."""
    from gutkg.network import to_network

    return to_network(bundled_store)


@pytest.fixture
def small_store():
    """tests/data/valid_small.ttl loaded into a fresh in-memory store."""
    from gutkg.loading import load

    return load([data("valid_small.ttl")])


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    """A writable copy of tests/data/curate_graph for curation tests (never the real graph/)."""
    import shutil

    target = tmp_path / "graph"
    shutil.copytree(data("curate_graph"), target)
    return target


@pytest.fixture
def run_cli():
    """Run the gutkg CLI in-process: run_cli("show", "zonulin") -> click Result."""
    from click.testing import CliRunner

    from gutkg.cli import main

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


#: Test modules that start servers, browsers, notebooks, wheels or many CLI processes, or run long
#: property and cross-engine checks: marked ``slow`` as a whole, so ``pytest -m "not slow"`` is the
#: quick subset (under a minute on 2 cores) to run while working; CI runs everything.
SLOW_MODULES = frozenset({
    "test_analysis_notebook.py", "test_analysis_properties.py", "test_causal_dagitty.py",
    "test_causal_identify.py", "test_cli_references.py", "test_curate_incremental.py",
    "test_docs_examples.py", "test_endpoint_browser.py", "test_endpoint_fairness.py",
    "test_endpoint_hostile.py", "test_export_figure.py", "test_export_formats.py",
    "test_export_html_browser.py", "test_export_slides.py", "test_hardening_cli.py", "test_netcache.py",
    "test_packaging.py", "test_sparql_notebook.py", "test_store_remote.py", "test_teaching_notebook.py",
    "test_wheel.py",
})  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of :data:`SLOW_MODULES` as ``slow``."""
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
