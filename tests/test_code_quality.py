"""ruff (lint and format) and mypy --strict, as configured in pyproject.toml, are enforced by the test
suite (and so by CI), at the exact versions the test extra pins."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_ruff_is_clean():
    out = subprocess.run([tool("ruff"), "check", "src", "tests", "scripts"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr + "\nfix: ruff check --fix src tests scripts"


def test_ruff_format_is_clean():
    out = subprocess.run(
        [tool("ruff"), "format", "--check", "src", "tests", "scripts"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr + "\nfix: ruff format src tests scripts"


def test_mypy_is_clean():
    out = subprocess.run([tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
