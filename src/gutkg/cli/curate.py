"""Curation commands: ``gutkg add concept``, ``gutkg add claim`` and ``gutkg import``.

Each builds the change in memory on top of the current graph, validates the whole result and only
then replaces the files (canonical Turtle, all or nothing). ``--dry-run`` shows what would change.
Run in a terminal with options missing, the commands ask for them; in scripts they fail naming
the missing options.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from gutkg.cli.common import emit_json, format_option
from gutkg.scales import CATEGORIES, DESIGNS, STATUSES, STRENGTH_NAMES

#: The study designs a curator may give as ``direction``, from the one value set (:mod:`gutkg.scales`).
DESIGN_WORDS = " | ".join(d.name for d in DESIGNS)


def write_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--graph DIR``, ``--dry-run``, ``--diff`` and ``--format`` for commands that change the graph."""
    func = format_option()(func)
    func = click.option("--diff", "show_diff", is_flag=True, help="Also print the unified diff of the changed files.")(
        func
    )
    func = click.option("--dry-run", is_flag=True, help="Validate and show what would change; write nothing.")(func)
    func = click.option(
        "--graph",
        "graph_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Graph folder to change (default: the bundled graph/).",
    )(func)
    return func


def interactive_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--interactive/--no-interactive``: prompt for missing options (default: only in a terminal)."""
    return click.option(
        "--interactive/--no-interactive", default=None, help="Prompt for missing options (default: only in a terminal)."
    )(func)


def _ask(values: dict[str, str | None], needed: list[tuple[str, str, str]], interactive: bool | None) -> None:
    """Fill missing required values by prompting, or fail naming the missing options."""
    missing = [(key, opt, text) for key, opt, text in needed if not values.get(key)]
    if not missing:
        return
    if interactive is None:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if not interactive:
        raise click.UsageError(
            "missing option(s) "
            + ", ".join(opt for _, opt, _ in missing)
            + ": give them, or run the command in a terminal to be asked."
        )
    for key, _opt, text in missing:
        values[key] = click.prompt(text).strip()


def _report(result: Any, fmt: str, show_diff: bool) -> None:
    if fmt == "json":
        emit_json(result.as_dict())
    else:
        click.echo(result.text(diff=show_diff))


@click.group("add")
def add() -> None:
    """Add a concept or a causal claim to the graph (validated, canonical, atomic).

    \b
    gutkg add concept --label "tricellulin" --category molecule --definition "..."
    gutkg add claim --cause alcohol --effect "tight junction" --sign decreases \\
        --status supported --mechanism "..." \\
        --evidence "source=KEY,type=ECO:0000179,species=mouse,model=in-vivo,direction=interventional,strength=moderate"
    """


@add.command("concept")
@click.option("--id", "cid", help="Concept id, e.g. tight_junction (default: the label in snake case).")
@click.option("--label", help="English preferred label.")
@click.option(
    "--category",
    help=", ".join(CATEGORIES[:-1]) + " or " + CATEGORIES[-1] + ".",
)
@click.option("--definition", help="One or two sentences.")
@click.option("--synonym", "synonyms", multiple=True, help="Alternative label (repeatable).")
@click.option("--broader", multiple=True, help="Broader concept: label, synonym, id or CURIE (repeatable).")
@click.option(
    "--exact-match",
    multiple=True,
    metavar="CURIE",
    help="Same thing in another ontology; only rows of identifiers.tsv marked yes (repeatable).",
)
@click.option(
    "--close-match",
    multiple=True,
    metavar="CURIE",
    help="Related term in another ontology; verified rows only (repeatable).",
)
@click.option("--definition-source", metavar="REFKEY", help="Key of the reference the definition follows.")
@interactive_option
@write_options
def add_concept(
    cid: str | None,
    label: str | None,
    category: str | None,
    definition: str | None,
    synonyms: tuple[str, ...],
    broader: tuple[str, ...],
    exact_match: tuple[str, ...],
    close_match: tuple[str, ...],
    definition_source: str | None,
    interactive: bool | None,
    graph_dir: Path | None,
    dry_run: bool,
    show_diff: bool,
    fmt: str,
) -> None:
    """Add a concept (to graph/concepts/<category>.ttl).

    Labels and synonyms must not name another concept; mappings must be verified rows of
    reference/identifiers.tsv; the definition source must be a reference of the graph.
    """
    values = {"label": label, "category": category, "definition": definition}
    _ask(
        values,
        [
            ("label", "--label", "Label"),
            (
                "category",
                "--category",
                "Category (" + ", ".join(CATEGORIES) + ")",
            ),
            ("definition", "--definition", "Definition (one or two sentences)"),
        ],
        interactive,
    )
    from gutkg.curation import ConceptSpec, Draft
    from gutkg.curation import add_concept as run

    draft = Draft(graph_dir)
    run(
        draft,
        ConceptSpec(
            label=values["label"] or "",
            category=values["category"] or "",
            definition=values["definition"] or "",
            id=cid or "",
            synonyms=list(synonyms),
            broader=list(broader),
            exact_match=list(exact_match),
            close_match=list(close_match),
            definition_source=definition_source or "",
        ),
    )
    _report(draft.commit(dry_run=dry_run), fmt, show_diff)


@add.command("claim")
@click.option("--cause", help="Cause concept: label, synonym, id or CURIE.")
@click.option("--effect", help="Effect concept: label, synonym, id or CURIE.")
@click.option("--sign", help="increases, decreases or no-effect (tested, none found).")
@click.option("--status", help=", ".join(STATUSES[:-1]) + " or " + STATUSES[-1] + ".")
@click.option("--mechanism", help="Mechanism note, in your words (needed for a new claim).")
@click.option(
    "--evidence",
    "evidence",
    multiple=True,
    metavar="SPEC",
    help="An evidence item as key=value pairs separated by commas (repeatable): "
    "source=REFKEY, type=ECO:..., species=human|mouse|rat|NCBITaxon:... (empty for "
    "a review), model=in-vivo|ex-vivo|in-vitro|synthesis (a review), direction=the "
    f"study design ({DESIGN_WORDS}), strength=minimal|weak|moderate|"
    "strong (all required); design=OBI:..., stance=supports|opposes, zonulin=yes|no, "
    "description=TEXT (optional). A value may contain commas. Required unless "
    "--status hypothesised.",
)
@click.option(
    "--hypothesis", "hypotheses", multiple=True, help="Hypothesis (id or label) the claim belongs to (repeatable)."
)
@click.option("--topic", default="curated", show_default=True, help="A new claim goes to graph/claims/<topic>.ttl.")
@click.option(
    "--add-evidence-to-existing",
    is_flag=True,
    help="If a claim with the same cause, effect and sign exists, attach the evidence "
    "(and hypotheses) to it instead of refusing.",
)
@interactive_option
@write_options
def add_claim(
    cause: str | None,
    effect: str | None,
    sign: str | None,
    status: str | None,
    mechanism: str | None,
    evidence: tuple[str, ...],
    hypotheses: tuple[str, ...],
    topic: str,
    add_evidence_to_existing: bool,
    interactive: bool | None,
    graph_dir: Path | None,
    dry_run: bool,
    show_diff: bool,
    fmt: str,
) -> None:
    """Add a causal claim with its evidence items.

    A new claim goes to graph/claims/<topic>.ttl. A claim with the same cause, effect and sign
    as an existing one is refused, naming it; rerun with --add-evidence-to-existing to attach
    the evidence to it. Provenance is not optional: give at least one --evidence, or
    --status hypothesised.
    """
    values = {"cause": cause, "effect": effect, "sign": sign, "status": status, "mechanism": mechanism}
    needed = [
        ("cause", "--cause", "Cause"),
        ("effect", "--effect", "Effect"),
        ("sign", "--sign", "Sign (increases, decreases, no-effect)"),
        ("status", "--status", "Status (" + ", ".join(STATUSES) + ")"),
    ]
    if not add_evidence_to_existing:
        needed.append(("mechanism", "--mechanism", "Mechanism note"))
    _ask(values, needed, interactive)
    specs = list(evidence)
    hypothesised = str(values["status"]).strip().casefold() in {"hypothesised", "hypothesized"}
    if not specs and not hypothesised and (interactive or (interactive is None and sys.stdin.isatty())):
        click.echo(
            "Evidence items as key=value,... (source, type, species (none for a review), model, "
            "direction, strength; optional design, stance, zonulin, description). Empty line "
            "to finish."
        )
        while True:
            spec = click.prompt(f"Evidence {len(specs) + 1}", default="", show_default=False).strip()
            if not spec:
                break
            specs.append(spec)
    from gutkg.curation import ClaimSpec, Draft, EvidenceSpec
    from gutkg.curation import add_claim as run

    draft = Draft(graph_dir)
    run(
        draft,
        ClaimSpec(
            cause=values["cause"] or "",
            effect=values["effect"] or "",
            sign=values["sign"] or "",
            status=values["status"] or "",
            mechanism=values["mechanism"] or "",
            evidence=[EvidenceSpec.parse(s) for s in specs],
            hypotheses=list(hypotheses),
        ),
        topic=topic,
        add_to_existing=add_evidence_to_existing,
    )
    _report(draft.commit(dry_run=dry_run), fmt, show_diff)


@click.command("import")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--template",
    type=click.Choice(["concepts", "claims"]),
    help="Print the CSV template for concepts or claims and exit.",
)
@click.option(
    "--topic",
    default="curated",
    show_default=True,
    help="New claims go to graph/claims/<topic>.ttl (a 'topic' column overrides it).",
)
@click.option(
    "--add-evidence-to-existing",
    is_flag=True,
    help="Rows restating an existing claim (same cause, effect, sign) add their evidence "
    "to it instead of being refused.",
)
@write_options
def import_(
    files: tuple[Path, ...],
    template: str | None,
    topic: str,
    add_evidence_to_existing: bool,
    graph_dir: Path | None,
    dry_run: bool,
    show_diff: bool,
    fmt: str,
) -> None:
    """Add concepts and claims from CSV FILES (all rows or nothing).

    A file is a concepts file or a claims file, told apart by its header. Start from a template:
    gutkg import --template claims > my_claims.csv (also in templates/ of the repository).
    UTF-8, comma-separated (.tsv: tabs), column names in any case; rows whose first cell starts
    with # are comments. Lists are separated by semicolons. Every row is checked and every
    problem reported with its line; if any row is wrong, nothing is written. Concepts are added
    before claims, so claims may use concepts of the same import.

    \b
    Concept columns (one row per concept):
      id                 optional; default: the label in snake case
      label              required; English preferred label
      category           required; CATEGORY_LIST
      definition         required; one or two sentences
      synonyms           optional; alternative labels
      broader            optional; broader concepts (label, synonym, id or CURIE)
      exact_match        optional; CURIEs from rows of identifiers.tsv marked yes
      close_match        optional; the same, for related terms
      definition_source  optional; reference key

    \b
    Claim columns (one row per claim and evidence item; rows with the same cause,
    effect and sign are one claim and may leave status/mechanism/topic empty after
    its first row):
      cause, effect      required; concept names
      sign               required; increases, decreases, no-effect
      status             required; STATUS_LIST
      mechanism          required for a new claim; mechanism note
      hypotheses         optional; hypothesis ids the claim belongs to
      topic              optional; claims/<topic>.ttl for a new claim
      source             evidence: reference key (leave all evidence columns empty for a
                         hypothesised claim without evidence)
      evidence_type      evidence: ECO id (ECO:0000180 clinical, ECO:0000179 animal,
                         ECO:0000181 in vitro, ECO:0000304 review)
      study_design       optional: OBI id (OBI:0004001 randomized clinical trial, ...)
      species            evidence: human, mouse, rat or an NCBITaxon id; empty for a review
      model              evidence: in-vivo, ex-vivo, in-vitro, synthesis (a review)
      direction          evidence: the study design, one of
                         DESIGN_LIST
      strength           evidence: STRENGTH_LIST
      stance             optional: supports (default) or opposes
      zonulin_assay      optional: yes if it rests on a serum-zonulin ELISA (strength <= weak)
      description        optional: what the source reports, one sentence
    """
    from gutkg.curation import Draft, import_files
    from gutkg.curation import template as template_text

    if template:
        click.echo(template_text(template), nl=False)
        return
    if not files:
        raise click.UsageError("give one or more CSV files (or --template concepts|claims).")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise click.UsageError("no such file: " + ", ".join(missing))
    draft = Draft(graph_dir)
    import_files(draft, list(files), topic=topic, add_to_existing=add_evidence_to_existing)
    _report(draft.commit(dry_run=dry_run), fmt, show_diff)


def _fill_design_list(help_text: str) -> str:
    """``help_text`` with its placeholders (DESIGN_LIST, CATEGORY_LIST, STATUS_LIST, STRENGTH_LIST) replaced
    by the value sets of :mod:`gutkg.scales`, wrapped."""
    import textwrap

    designs = textwrap.wrap(", ".join(d.name for d in DESIGNS), width=70)
    categories = textwrap.wrap(", ".join(CATEGORIES), width=64)
    return (
        help_text.replace("DESIGN_LIST", ("\n" + " " * 25).join(designs))
        .replace("CATEGORY_LIST", ("\n" + " " * 25).join(categories))
        .replace("STATUS_LIST", ", ".join(STATUSES))
        .replace("STRENGTH_LIST", ", ".join(STRENGTH_NAMES[r] for r in sorted(STRENGTH_NAMES)))
    )


import_.help = _fill_design_list(import_.help or "")

COMMANDS = [add, import_]
