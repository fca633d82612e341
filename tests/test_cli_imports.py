"""The CLI starts light: importing gutkg.cli pulls in no heavy library, and every --help works."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from gutkg.cli import main

HEAVY = [
    "networkx",
    "pyvis",
    "pyshacl",
    "rdflib.plugins.sparql",
    "pyoxigraph",
    "graphviz",
    "starlette",
    "uvicorn",
    "pptx",
    "playwright",
    "SPARQLWrapper",
    "rich",
]


def test_importing_the_cli_imports_no_heavy_library():
    code = "import sys, json, gutkg.cli; print(json.dumps(sorted(m for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(json.loads(out.stdout))
    assert "gutkg.cli" in modules
    loaded = [h for h in HEAVY if h in modules or any(m.startswith(h + ".") for m in modules)]
    assert not loaded, f"gutkg.cli imports {loaded} at start-up: move the import inside the command"


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from _all_commands(cmd, (*prefix, name))


COMMANDS = list(_all_commands(main))


def test_the_core_commands_exist():
    names = {c[0] for c in COMMANDS}
    assert {"info", "show", "search", "validate", "format"} <= names


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_works_for_every_command(run_cli, command):
    result = run_cli(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if not isinstance(main.commands[c[0]], click.Group) or len(c) > 1], ids=" ".join
)
def test_every_command_offers_json(command):
    cmd: click.Command = main
    for part in command:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[part]
    if isinstance(cmd, click.Group):
        pytest.skip("a group, not a command")
    fmt = [p for p in cmd.params if p.name == "fmt"]
    assert fmt, f"gutkg {' '.join(command)} has no --format option"
    assert "json" in fmt[0].type.choices  # type: ignore[attr-defined]
