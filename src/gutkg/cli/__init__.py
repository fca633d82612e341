"""The ``gutkg`` command line: thin click commands over the library.

Only click is imported here; each command imports what it needs when it runs, so ``gutkg --help``
stays fast (a test checks that networkx, pyvis, pyshacl and rdflib's SPARQL engine are not
imported). Commands live in one module per area (``core``, ``analysis``, ``sparql``, ``export``,
``curate``, ``scale``); each exposes ``COMMANDS``.
"""

from __future__ import annotations

import importlib

import click

from gutkg.cli.common import GutKGGroup

_AREAS = ("core", "analysis", "sparql", "export", "curate", "scale")


@click.group(cls=GutKGGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="gutkg", prog_name="gutkg")
def main() -> None:
    """gutkg: a cited, computable knowledge graph of the intestinal barrier ("leaky gut").

    \b
    Start with:
      gutkg explain dysbiosis "autoimmune disease"   the founding question
      gutkg info                                     what the graph holds
      gutkg show zonulin                             one concept's card
      gutkg search permeability                      find concepts

    Every command takes --format json for scripts. Shell completion:
    eval "$(_GUTKG_COMPLETE=bash_source gutkg)" (zsh_source / fish_source for other shells).
    """


for _area in _AREAS:  # a missing area module is an install error and fails loudly, never a vanished command
    for _command in importlib.import_module(f"gutkg.cli.{_area}").COMMANDS:
        main.add_command(_command)
