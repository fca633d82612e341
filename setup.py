"""Build hook: the wheel carries the curated graph, the ontology and the reference tables.

They live at the top of the repository (graph/, ontology/, reference/), where curators edit them; a
wheel built from the repository copies them into ``gutkg/bundled/``, which
:func:`gutkg.loading.project_root` falls back to when gutkg is installed outside a checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("graph", "ontology", "reference")


class BuildPyWithGraph(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "gutkg" / "bundled"
        for name in BUNDLED:
            if (root / name).is_dir():
                shutil.copytree(root / name, target / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("*.pyc", "__pycache__", ".*"))


setup(cmdclass={"build_py": BuildPyWithGraph})
