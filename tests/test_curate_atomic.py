"""Interrupted and failed writes leave the previous files byte-identical and the graph valid.

A change touching several files (a new concept, a new claim on it, hypothesis membership) is
made to fail at each step of :func:`gutkg.atomic.write_files`: while staging (``fsync``), on the
second ``os.replace``, on every replace after the first (so the rollback itself must fall back to
copying), and by Ctrl-C between two replacements.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.curating import snapshot


def folders(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_dir())


def three_file_change(graph: Path):  # type: ignore[no-untyped-def]
    """A draft adding a concept, a claim on it in a new file, and hypothesis membership."""
    from gutkg.curation import ClaimSpec, ConceptSpec, Draft, EvidenceSpec, add_claim, add_concept

    draft = Draft(graph)
    add_concept(draft, ConceptSpec("epsilon", "disease", "A test disease."))
    add_claim(
        draft,
        ClaimSpec(
            "alpha",
            "epsilon",
            "increases",
            "supported",
            "Alpha harms.",
            [
                EvidenceSpec.parse(
                    "source=testref2021,type=ECO:0000180,species=human,model=in-vivo,direction=temporal,strength=weak"
                )
            ],
            ["a_via_b"],
        ),
        topic="new_topic",
    )
    return draft


def test_the_change_touches_three_files_in_dependency_order(graph, monkeypatch):
    order = []
    real = os.replace

    def recording(src, dst):  # type: ignore[no-untyped-def]
        order.append(Path(dst).relative_to(graph).as_posix())
        real(src, dst)

    monkeypatch.setattr(os, "replace", recording)
    result = three_file_change(graph).commit()
    assert result.written
    assert order == ["concepts/disease.ttl", "claims/new_topic.ttl", "hypotheses.ttl"]


def test_failing_second_replace_restores_every_file(graph, monkeypatch):
    from gutkg.errors import StoreError
    from gutkg.validate import validate

    before, dirs = snapshot(graph), folders(graph)
    draft = three_file_change(graph)
    real = os.replace
    second = str(graph / "claims" / "new_topic.ttl")

    def failing(src, dst):  # type: ignore[no-untyped-def]
        if str(dst) == second:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(StoreError, match="every file was restored"):
        draft.commit()
    assert snapshot(graph) == before
    assert folders(graph) == dirs
    monkeypatch.setattr(os, "replace", real)
    assert validate([graph]).conforms


def test_rollback_works_even_when_every_later_replace_fails(graph, monkeypatch):
    from gutkg.errors import StoreError

    before = snapshot(graph)
    draft = three_file_change(graph)
    real = os.replace
    calls = []

    def first_only(src, dst):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) > 1:
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", first_only)
    with pytest.raises(StoreError):
        draft.commit()
    assert len(calls) >= 3  # the failing replace, then the rollback's attempt on the first file
    assert snapshot(graph) == before


def test_failing_fsync_while_staging_changes_nothing(graph, monkeypatch):
    from gutkg.errors import StoreError

    before = snapshot(graph)
    draft = three_file_change(graph)
    calls = []
    real = os.fsync

    def failing(fd):  # type: ignore[no-untyped-def]
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real(fd)

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(StoreError):
        draft.commit()
    assert snapshot(graph) == before


def test_ctrl_c_between_replacements_restores_and_reraises(graph, monkeypatch):
    before = snapshot(graph)
    draft = three_file_change(graph)
    real = os.replace
    calls = []

    def interrupted(src, dst):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        draft.commit()
    assert snapshot(graph) == before


def test_a_new_folder_is_removed_on_failure(tmp_path, monkeypatch):
    from gutkg.atomic import write_files

    root = tmp_path / "g"
    root.mkdir()
    (root / "old.ttl").write_text("old\n")
    real = os.replace

    def failing(src, dst):  # type: ignore[no-untyped-def]
        if Path(dst).name == "old.ttl":
            raise OSError(13, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="Permission denied"):
        write_files({root / "claims" / "new.ttl": "new\n", root / "old.ttl": "changed\n"})
    assert snapshot(root) == {"old.ttl": b"old\n"}
    assert folders(root) == []


def test_cli_reports_a_failed_write_cleanly(graph, run_cli, monkeypatch):
    before = snapshot(graph)

    def failing(src, dst):  # type: ignore[no-untyped-def]
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", failing)
    result = run_cli(
        "add", "concept", "--graph", str(graph), "--label", "epsilon", "--category", "disease", "--definition", "x"
    )
    assert result.exit_code == 1
    assert "writing the graph failed" in result.output and "Traceback" not in result.output
    assert snapshot(graph) == before
