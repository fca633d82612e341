"""Loading and validation: clean graphs pass, each kind of bad input gets a clear message."""

from __future__ import annotations

import os
import shutil

import pytest

from gutkg.errors import InputError, ParseError
from gutkg.loading import find_files, load
from gutkg.validate import validate
from tests.conftest import data


def test_valid_fixture_is_clean():
    report = validate([data("valid_small.ttl")])
    assert report.conforms, report.text()
    assert report.problems == []


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("bad_claim_no_cause.ttl", "A claim needs exactly one gkv:cause"),
        ("bad_missing_reference.ttl", "evidence cites a reference that is not in the graph"),
        ("bad_unknown_concept.ttl", "claim cause or effect is not a concept of the graph"),
        ("bad_duplicate_claims.ttl", "duplicate claims: same cause, effect and sign"),
        ("bad_no_provenance.ttl", "at least one evidence item with a source"),
        ("bad_two_categories.ttl", "exactly one category class"),
    ],
)
def test_invalid_fixtures_fail_with_grouped_messages(fixture, expected):
    report = validate([data(fixture)])
    assert not report.conforms
    messages = [p.message for p in report.problems]
    assert any(expected in m for m in messages), messages
    # grouped: one heading per message, each naming the file and the resource
    assert len(messages) == len(set(messages))
    for problem in report.problems:
        assert problem.places
        for file, resource, _detail in problem.places:
            assert file.endswith(fixture)
            assert ":" in resource


def test_no_provenance_names_the_concept_missing_a_definition():
    report = validate([data("bad_no_provenance.ttl")])
    text = report.text()
    assert "gkc:gamma" in text and "skos:definition" in text


@pytest.mark.parametrize(
    ("fixture", "code", "needle"),
    [
        ("valid_small.ttl", 0, "no problems"),
        ("bad_duplicate_claims.ttl", 1, "duplicate claims"),
        ("bad_syntax.ttl", 2, "line 3, column 22"),
        ("bad_not_utf8.ttl", 2, "not UTF-8"),
    ],
)
def test_validate_exit_codes(run_cli, fixture, code, needle):
    from click.testing import CliRunner

    from gutkg.cli import main

    result = CliRunner().invoke(main, ["validate", str(data(fixture))])
    assert result.exit_code == code, result.output
    assert needle in result.output
    assert "Traceback" not in result.output


def test_validate_json_report(run_cli):
    result = run_cli("validate", str(data("bad_missing_reference.ttl")), "--format", "json")
    import json

    report = json.loads(result.output)
    assert report["conforms"] is False
    assert report["problems"][0]["places"][0]["resource"].startswith("gkev:")


def test_malformed_turtle_reports_file_line_and_column():
    with pytest.raises(ParseError) as err:
        load([data("bad_syntax.ttl")])
    assert (err.value.line, err.value.column) == (3, 22)
    assert "bad_syntax.ttl" in str(err.value)


def test_non_utf8_file_is_refused_with_the_line():
    with pytest.raises(InputError, match=r"line 27: not UTF-8"):
        load([data("bad_not_utf8.ttl")])


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        find_files([tmp_path / "nope"])
    with pytest.raises(InputError, match="no RDF files"):
        find_files([tmp_path])


def test_unreadable_folder_is_a_clear_error(tmp_path, monkeypatch):
    """A folder we may not read. Root reads anything, so as root the OS refusal is simulated."""
    folder = tmp_path / "locked"
    folder.mkdir()
    shutil.copy(data("valid_small.ttl"), folder / "a.ttl")
    if os.geteuid() == 0:
        import pathlib

        def refuse(self, pattern):
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(pathlib.Path, "rglob", refuse)
    else:
        folder.chmod(0)
    try:
        with pytest.raises(InputError, match=r"cannot read folder .*locked: Permission denied"):
            find_files([folder])
    finally:
        folder.chmod(0o755)


def test_unknown_concept_lists_close_matches(run_cli):
    from click.testing import CliRunner

    from gutkg.cli import main

    result = CliRunner().invoke(main, ["show", "alfa", "--graph", str(data("valid_small.ttl"))])
    assert result.exit_code == 1
    assert "unknown concept 'alfa'" in result.output
    assert "'alpha'" in result.output
