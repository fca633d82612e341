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
