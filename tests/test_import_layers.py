"""The layering holds: no import cycle between gutkg's modules, counting imports inside functions too.

An import inside a function or under ``if TYPE_CHECKING:`` hides a cycle from Python (it runs later,
or never) but not from a reader or from mypy: a result that imports its renderer when asked for text
is as tied to it as one that imports it at the top. So every import of a gutkg module counts. The
CLI's lazy imports of heavy libraries are not gutkg modules and so never form a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from tests.conftest import ROOT

SRC = ROOT / "src"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> nx.DiGraph:
    """gutkg module -> gutkg modules it imports (anywhere in the file)."""
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # "from gutkg.export import style" imports the module gutkg.export.style
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                if target in modules and target != name and not _is_package_of(target, name):
                    graph.add_edge(name, target)
    return graph


def _is_package_of(package: str, module: str) -> bool:
    """``gutkg.export`` is the package of ``gutkg.export.html``: importing it is not a cycle."""
    return module.startswith(package + ".")


def test_the_import_graph_is_read():
    graph = import_graph()
    assert graph.number_of_nodes() > 80
    assert graph.has_edge("gutkg.analysis.explain", "gutkg.analysis.core")
    assert graph.has_edge("gutkg.store.remote", "gutkg.sparqltext")


def test_no_import_cycles():
    graph = import_graph()
    # a package's __init__ re-exporting its modules is the package's face, not a layer: leave it out
    packages = [n for n in graph if (SRC / n.replace(".", "/") / "__init__.py").exists()]
    graph.remove_nodes_from(packages)
    cycles = sorted(sorted(c) for c in nx.simple_cycles(graph, length_bound=6))
    assert not cycles, "import cycles (a result importing its renderer, or two modules using each other): " + "; ".join(
        " <-> ".join(c) for c in cycles
    )


def test_test_modules_share_helpers_through_helper_modules():
    """Shared test helpers live in helper modules (tests/conftest.py, browser.py, servers.py,
    endpoint.py, curating.py, notebooks.py), never in another test module: importing a test module
    collects its tests twice and ties unrelated test files together."""
    offenders = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests.test_"):
                offenders.append(f"{path.name} imports {node.module}")
    assert not offenders, "; ".join(offenders)
