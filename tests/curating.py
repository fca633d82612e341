"""File snapshots for the curation tests (the ``graph`` fixture, a private copy, is in conftest)."""

from __future__ import annotations

from pathlib import Path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (temp and backup files included, so leftovers are caught)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
