"""Every example in README.md and in the ``--help`` texts runs and gives a non-empty answer.

Examples are parsed out of the documents, not copied here, so a new or edited example is tested
as written. Each runs in-process on the bundled graph, in a scratch folder (files it writes land
there). "Non-empty" is judged per command: a chain for ``paths``, a loop for ``loops``, rows for
``query``, claims in an export, and so on; an example that answers "nothing found" fails.
Examples that need a server, change the graph or are placeholders are listed in
:data:`NOT_RUN`, each with the reason, and a test checks that the list only names real examples.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
from pathlib import Path

import click
import pytest

from tests.conftest import ROOT

#: Examples not run, by a substring of them, with the reason.
NOT_RUN = {
    "gutkg serve": "starts a server (tests/test_endpoint_server.py runs it)",
    "gutkg push": "needs a triplestore (tests/test_store_remote.py runs it)",
    "--store sparql+http": "needs a triplestore (tests/test_store_remote.py runs it)",
    "--store 'sparql+http": "needs a triplestore (tests/test_store_remote.py runs it)",
    "gutkg add ": "changes the graph (tests/test_curate.py runs it on a copy)",
    "gutkg import claims.csv": "changes the graph (tests/test_curate_import.py runs it on a copy)",
    "gutkg validate": "checks the whole graph with SHACL (tests/test_data.py runs it)",
}
#: Mentions that are not runnable examples (a placeholder or a bare command name).
PLACEHOLDERS = re.compile(r"COMMAND|NAME\b|TEXT\b|…|\.\.\.|^gutkg query$")
#: Extras an example needs, by file suffix it writes.
NEEDS = {".png": "cairosvg", ".pdf": "cairosvg", ".pptx": "pptx"}


def readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    spans = [span.replace("\\|", "|") for span in re.findall(r"`([^`\n]+)`", text)]
    found = [span for span in spans if re.match(r"(echo .*\| )?gutkg ", span)]
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        found += [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith("gutkg ")]
    return found


def help_examples() -> list[str]:
    from gutkg.cli import main

    def walk(cmd: click.Command):  # type: ignore[no-untyped-def]
        if isinstance(cmd, click.Group):
            for sub in cmd.commands.values():
                yield from walk(sub)
        else:
            yield cmd

    found = []
    for cmd in walk(main):
        for line in (cmd.help or "").splitlines():
            m = re.search(r"(?:^\s+|Example: |e\.g\. )((?:echo .*\| )?gutkg \S.*)$", line)
            if m:
                found.append(re.sub(r"\s+\([^)]*\)\.?$", "", m.group(1)).rstrip(" \\"))
    return found


def runnable(example: str) -> bool:
    return not PLACEHOLDERS.search(example) and not any(k in example for k in NOT_RUN)


EXAMPLES = sorted({e for e in readme_examples() + help_examples() if runnable(e)})


def test_examples_were_found():
    assert len(EXAMPLES) >= 30, EXAMPLES
    assert 'gutkg paths "western diet" "type 1 diabetes" --species human' in EXAMPLES
    assert "echo 'ASK { ?c a gkv:CausalClaim }' | gutkg query -" in EXAMPLES
    assert 'gutkg show "Tajik 2020"' in EXAMPLES
    assert any(e.startswith("gutkg export html --question") for e in EXAMPLES)
    skipped = [e for e in readme_examples() + help_examples() if not runnable(e)]
    for key in NOT_RUN:
        assert any(key in e for e in skipped), f"NOT_RUN names {key!r}, which no example uses any more"


def answer_of(args: list[str], out: str, cwd: Path) -> str:
    """What the example answered, or '' when it answered nothing."""
    command = args[0]
    if "-o" in args or "--output" in args:
        path = cwd / args[(args.index("-o") if "-o" in args else args.index("--output")) + 1]
        if not path.exists() or path.stat().st_size == 0:
            return ""
        if command == "export" and re.search(r"\b0 claims\b", out):
            return ""
        return f"{path.name}: {path.stat().st_size} bytes"
    if command == "export":
        wrote = re.search(r"^wrote (\S+)", out, re.M)
        path = cwd / wrote.group(1) if wrote else None
        ok = path is not None and path.exists() and path.stat().st_size > 0 and not re.search(r"\b0 claims\b", out)
        return out if ok else ""
    if command in {"paths", "loops", "explain", "rivals", "rank", "adjust"}:
        return out if not re.search(r"^(no causal chain|no feedback loop|no .* found)", out, re.M) else ""
    if command == "query":
        return "" if re.search(r"^0 rows$", out, re.M) else out
    return out


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs_and_answers(example, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from gutkg.cli import main

    stdin = None
    if " | gutkg " in example:
        source, _, example = example.partition(" | ")
        stdin = shlex.split(source)[1] + "\n"
    args = shlex.split(example)[1:]
    redirect = None
    if ">" in args:
        redirect = tmp_path / args[args.index(">") + 1]
        args = args[: args.index(">")]
    for suffix, module in NEEDS.items():
        if any(a.endswith(suffix) for a in args) and importlib.util.find_spec(module) is None:
            pytest.skip(f"needs {module} (an optional extra)")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my.rq").write_text("SELECT ?c WHERE { ?c a gkv:Disease }\n", encoding="utf-8")
    result = CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, f"{example}\n{result.output}"
    if redirect is not None:
        redirect.write_text(result.stdout, encoding="utf-8")
        assert redirect.stat().st_size > 0
    if "--format" in args and args[args.index("--format") + 1] == "json" and "-o" not in args:
        assert json.loads(result.stdout), example
    assert answer_of(args, result.output, tmp_path).strip(), f"{example} answered nothing:\n{result.output}"


def python_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_python_runs_and_every_expression_answers(monkeypatch):
    """Each expression of the README's Python block gives a non-empty result with a text form."""
    import ast

    blocks = python_examples()
    assert blocks
    monkeypatch.chdir(ROOT)
    for block in blocks:
        scope: dict[str, object] = {}
        for node in ast.parse(block).body:
            if isinstance(node, ast.Expr):
                value = eval(compile(ast.Expression(node.value), "README.md", "eval"), scope)
                shown = value.text() if hasattr(value, "text") else str(value)
                assert shown.strip() and (len(value) if hasattr(value, "__len__") else 1), ast.unparse(node)
                assert len(repr(value)) < 2000, ast.unparse(node)
            else:
                exec(compile(ast.Module([node], []), "README.md", "exec"), scope)
