"""Hostile input to the CLI (issue 15, items 7, 9 and 11): a clear message and an exit code, never a
traceback; unsafe text flagged by validate and shown the same, escaped, by every text output.

Fixtures are built from tests/data/valid_small.ttl (concepts alpha, beta, gamma, delta) with one
value changed, so each test shows the one thing it is about.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import DATA, ROOT, data

#: One byte over pyoxigraph's parser limit of 16 MiB for a single token.
HUGE = 16 * 1024 * 1024 + 1
VALID = data("valid_small.ttl").read_text(encoding="utf-8")


def cli(*args: str, env: dict[str, str] | None = None, color: bool = False) -> Result:
    """Run the CLI in-process; exceptions stay in the result (so a traceback is visible, not raised).

    ``color=True`` keeps click from stripping ANSI sequences, as on a terminal.
    """
    from gutkg.cli import main

    return CliRunner().invoke(main, list(args), env=env, color=color)


def assert_clean_refusal(result: Result, *needles: str, code: int = 2) -> None:
    """Refused with ``code`` and a message containing ``needles``; no exception escaped."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.output, result.output


def variant(tmp_path: Path, old: str, new: str, name: str = "g.ttl") -> Path:
    """valid_small.ttl with ``old`` replaced by ``new`` (which must occur), written to ``tmp_path``."""
    assert old in VALID
    path = tmp_path / name
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")
    return path


# -- 7. a literal over 16 MiB, in every pyoxigraph path -----------------------------------------


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A graph folder (the curation fixture) whose concept beta has a definition over 16 MiB."""
    root = tmp_path_factory.mktemp("huge")
    shutil.copytree(DATA / "curate_graph", root / "graph")
    state = root / "graph" / "concepts" / "state.ttl"
    text = state.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if "skos:definition" in line)
    assert '"' in old
    huge_line = old.split('"')[0] + '"' + "x" * HUGE + '"@en ;'
    state.write_text(text.replace(old, huge_line), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{graph}"],
        ["validate", "--store", "oxigraph", "{graph}"],
        ["query", "--graph", "{graph}", "ASK { ?s ?p ?o }"],
        ["info", "--store", "oxigraph", "--graph", "{graph}"],
        ["format", "--check", "{graph}"],
        [
            "add",
            "claim",
            "--graph",
            "{graph}",
            "--cause",
            "alpha",
            "--effect",
            "gamma",
            "--sign",
            "increases",
            "--status",
            "hypothesised",
            "--mechanism",
            "Alpha inflames gamma.",
        ],
    ],
    ids=["validate", "validate-oxigraph", "query", "info-oxigraph", "format-check", "add-claim"],
)
def test_literal_over_16_mib_is_refused_with_a_message(huge, tmp_path, command):
    before = (huge / "graph" / "concepts" / "state.ttl").stat().st_mtime_ns
    args = [a.replace("{graph}", str(huge / "graph")) for a in command]
    result = cli(*args, env={"GUTKG_CACHE": str(tmp_path / "cache")})
    assert_clean_refusal(result, "16 MiB", "state.ttl")
    assert (huge / "graph" / "concepts" / "state.ttl").stat().st_mtime_ns == before  # nothing rewritten


# -- 7. -o where nothing can be written, long file names -----------------------------------------


@pytest.mark.parametrize("command", [["export", "graph"], ["query", "ASK {}"]], ids=["export", "query"])
@pytest.mark.parametrize("target", ["/proc/gutkg-test.graphml", "/sys/gutkg-test.graphml"])
def test_output_under_proc_or_sys_is_refused_with_a_message(tmp_path, command, target):
    result = cli(
        *command, "--graph", str(data("valid_small.ttl")), "-o", target, env={"GUTKG_CACHE": str(tmp_path / "cache")}
    )
    assert_clean_refusal(result, f"cannot write {target}", "-o")
    assert not os.path.exists(target)


def test_valid_250_character_file_name_is_written(tmp_path):
    from gutkg.atomic import write_atomic

    name = "a" * 246 + ".csv"  # 250 characters: valid, but the old temp name added 14 more
    assert len(name) == 250
    result = cli("export", "graph", "--graph", str(data("valid_small.ttl")), "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_text(encoding="utf-8").startswith("claim,cause,")
    # a multi-byte name at the limit (255 bytes) too; nothing else is left in the folder
    wide = "é" * 125 + "x.svg"
    assert len(wide.encode()) == 255
    write_atomic(tmp_path / wide, "<svg/>")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, wide])


def test_format_rewrites_a_graph_file_with_a_250_character_name(tmp_path):
    from gutkg.curation.files import canonicalise_files

    graph = tmp_path / ("g" * 246 + ".ttl")
    graph.write_text(VALID + "\n\n", encoding="utf-8")  # not canonical: trailing blank lines
    result = cli("format", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert canonicalise_files([tmp_path], check=True) == []
    assert [p.name for p in tmp_path.iterdir()] == [graph.name]  # no temp or backup file left


def test_file_name_longer_than_the_system_allows_is_refused(tmp_path):
    target = tmp_path / ("b" * 300 + ".csv")
    result = cli("export", "graph", "--graph", str(data("valid_small.ttl")), "-o", str(target))
    assert_clean_refusal(result, "file name is too long")
    assert list(tmp_path.iterdir()) == []


# -- 7 and 9. control characters: GraphML, CSV, GEXF and the terminal agree ---------------------

CONTROL_LABEL = "be\\u001B[2Jta\\u0007"  # as written in Turtle: ESC [2J (clear screen) and BEL
SHOWN = "be\\u001b[2Jta\\u0007"  # how every output shows it (the same escape in JSON)


def test_control_characters_in_a_label_are_flagged_and_escaped_in_every_output(tmp_path):
    import networkx as nx

    graph = variant(tmp_path, '"beta"@en', f'"{CONTROL_LABEL}"@en')
    checked = cli("validate", str(graph))
    assert_clean_refusal(checked, "control character", "U+001B", code=1)
    assert "\x1b" not in checked.output

    outputs = {}
    for fmt in ("graphml", "gexf", "csv"):
        out = tmp_path / f"g.{fmt}"
        result = cli("export", "graph", "--graph", str(graph), "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.output
        outputs[fmt] = out.read_text(encoding="utf-8")
        assert "\x1b" not in outputs[fmt] and "\x07" not in outputs[fmt]
        assert SHOWN in outputs[fmt], (fmt, outputs[fmt][:400])
    labels = nx.get_node_attributes(nx.read_graphml(tmp_path / "g.graphml"), "label")
    assert labels["beta"] == SHOWN

    # on a terminal (click strips nothing): every renderer's output passes the same escape
    for command in (
        ["explain", "alpha", "gamma"],
        ["show", "alpha"],
        ["show", "beta"],
        ["paths", "alpha", "gamma"],
        ["search", "be"],
        ["query", "SELECT ?l { ?c skos:prefLabel ?l }"],
    ):
        printed = cli(command[0], "--graph", str(graph), *command[1:], color=True)
        assert printed.exit_code == 0, (command, printed.output)
        assert "\x1b" not in printed.output and "\x07" not in printed.output, command
        assert SHOWN in printed.output, (command, printed.output)


def test_bidi_override_in_a_label_is_flagged_and_cannot_spoof_the_shared_label_check(tmp_path):
    # "\u202enilunoz" is displayed as "zonulin"; "zon\u200bulin" (a zero-width space) looks like it
    graph = variant(tmp_path, '"beta"@en', '"zonulin"@en')
    text = graph.read_text(encoding="utf-8").replace('"gamma"@en', '"zon\\u200Bulin"@en', 1)
    text = text.replace('"delta"@en', '"\\u202Enilunoz"@en', 1)
    graph.write_text(text, encoding="utf-8")
    result = cli("validate", str(graph), "--format", "json")
    assert result.exit_code == 1, result.output
    problems = {p["message"]: p for p in json.loads(result.output)["problems"]}
    unsafe = next(p for m, p in problems.items() if "invisible" in m)
    details = " ".join(place["detail"] for place in unsafe["places"])
    assert "U+202E" in details and "U+200B" in details
    assert {place["resource"] for place in unsafe["places"]} == {"gkc:gamma", "gkc:delta"}
    shared = problems["two concepts share a label or synonym"]
    assert {place["resource"] for place in shared["places"]} == {"gkc:beta", "gkc:gamma"}
    assert "\u202e" not in result.output and "\u200b" not in result.output


def test_add_concept_refuses_the_text_validate_flags(graph):
    for label in ("\u202enilunoz", "zon\u200bulin", "be\x1bta"):
        result = cli(
            "add",
            "concept",
            "--graph",
            str(graph),
            "--label",
            label,
            "--category",
            "disease",
            "--definition",
            "A test disease.",
        )
        assert result.exit_code != 0, (label, result.output)
        assert "Traceback" not in result.output
        assert "U+" in result.output, result.output


def test_byte_order_mark_is_named(tmp_path):
    graph = tmp_path / "bom.ttl"
    graph.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    for args in (
        ["validate", str(graph)],
        ["validate", "--store", "oxigraph", str(graph)],
        ["format", "--check", str(graph)],
    ):
        result = cli(*args, env={"GUTKG_CACHE": str(tmp_path / "cache")})
        assert_clean_refusal(result, "byte-order mark", "re-save", "without BOM")
        assert "\ufeff" not in result.output


def test_mapping_iri_not_from_the_verified_table_is_flagged(tmp_path):
    graph = variant(tmp_path, "skos:exactMatch obo:GO_0070160", "skos:exactMatch <javascript:alert(1)>")
    result = cli("validate", str(graph))
    assert_clean_refusal(result, "mapping is not a verified identifier", "gkc:beta", "javascript:alert(1)", code=1)
    assert cli("validate", str(data("valid_small.ttl"))).exit_code == 0  # a verified mapping passes


# -- 7. SIGINT while cairo encodes a PNG --------------------------------------------------------

SIGINT_DURING_ENCODE = """
import os, signal, sys
from gutkg.cli import main

def interrupt_in_encoder(frame, event, arg):  # the first write of PNG bytes by cairo
    if event == "call" and frame.f_code.co_name == "write_func":
        sys.setprofile(None)
        os.kill(os.getpid(), signal.SIGINT)

sys.setprofile(interrupt_in_encoder)
main(["export", "figure", "--graph", sys.argv[1], "-o", sys.argv[2]])
"""


def test_sigint_while_cairo_encodes_a_png_leaves_nothing_and_no_traceback(tmp_path):
    pytest.importorskip("cairosvg")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    out = tmp_path / "figure.png"
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SIGINT_DURING_ENCODE), str(data("valid_small.ttl")), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert "Aborted" in proc.stderr
    assert list(tmp_path.iterdir()) == []


# -- 11. an overlong concept name is refused before any matching --------------------------------


def test_overlong_concept_name_is_refused_before_fuzzy_matching(monkeypatch):
    import difflib

    from gutkg.concepts import MAX_NAME

    calls = []
    real = difflib.SequenceMatcher

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(difflib, "SequenceMatcher", Counting)
    name = "z" * (128 * 1024)
    for command in (["show", name], ["explain", name, "gamma"], ["search", name]):
        result = cli(*command[:1], "--graph", str(data("valid_small.ttl")), *command[1:])
        assert_clean_refusal(result, "too long", str(MAX_NAME))
    assert calls == []
    # a misspelt name of ordinary length still gets suggestions (the matcher runs)
    result = cli("show", "--graph", str(data("valid_small.ttl")), "alpah")
    assert result.exit_code != 0 and "alpha" in result.output and calls
