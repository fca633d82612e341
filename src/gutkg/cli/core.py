"""Core commands: info, show, search, validate, format."""

from __future__ import annotations

import click

from gutkg.cli.common import dim, emit_json, format_option, graph_options, heading, open_store


@click.command()
@graph_options
@format_option()
def info(graph: tuple[str, ...], store: str, fmt: str) -> None:
    """Counts by category, status, evidence strength and species; version."""
    from gutkg.info import summary

    data = summary(open_store(graph, store))
    if fmt == "json":
        emit_json(data)
        return
    click.echo(heading(f"gutkg {data['version']}") + dim(f"  ({data['backend']} store, {data['triples']} triples)"))
    click.echo(
        f"{data['concepts']} concepts ({data['mapped_concepts']} mapped), {data['claims']} claims "
        f"({data['cited_claims']} cited), {data['evidence']} evidence items, "
        f"{data['references']} references, {data['questions']} questions, "
        f"{data['hypotheses']} hypotheses"
    )
    click.echo(
        f"dissent: {data['dissenting_claims']} claims contested, refuted, no-effect or with "
        f"opposing evidence ({data['dissent_share']:.0%})"
    )
    for key, title in [
        ("concepts_by_category", "concepts by category"),
        ("claims_by_status", "claims by status"),
        ("claims_by_sign", "claims by sign"),
        ("evidence_by_strength", "evidence by strength"),
        ("evidence_by_species", "evidence by species"),
        ("evidence_by_model", "evidence by model system"),
        ("evidence_by_stance", "evidence by stance"),
    ]:
        counts = data[key]
        assert isinstance(counts, dict)
        click.echo(heading(title + ":") + " " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@click.command()
@click.argument("concept")
@graph_options
@format_option()
def show(concept: str, graph: tuple[str, ...], store: str, fmt: str) -> None:
    """A concept's card (definition, synonyms, mappings, claims in and out), a claim's, or a reference's.

    CONCEPT is a label, synonym, id or CURIE (gkc:zonulin, MONDO:0005130), any case; or a claim,
    association or measurement id (gkcl:..., gkas:..., gkm:...), whose card gives its grade with the
    reasons and every evidence item with its citation and DOI; or a reference ("Tajik 2020", a key,
    a DOI or a PMID), whose card lists every statement citing it with the stance.
    """
    from gutkg.cards import lookup

    found = lookup(open_store(graph, store), concept)
    if fmt == "json":
        emit_json(found.as_dict())
        return
    lines = found.text().splitlines()
    click.echo(heading(lines[0]))
    for line in lines[1:]:
        click.echo(heading(line) if line.endswith(":") and not line.startswith(" ") else line)


@click.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@graph_options
@format_option()
def search(text: str, limit: int, graph: tuple[str, ...], store: str, fmt: str) -> None:
    """Concepts whose label or synonym matches TEXT, best first, and references by author or title."""
    from gutkg.cards import find_references
    from gutkg.concepts import ConceptIndex

    st = open_store(graph, store)
    hits = ConceptIndex.from_store(st).search(text, limit=limit)
    refs = find_references(st, text)[:limit]
    if fmt == "json":
        emit_json(
            [
                {
                    "score": s,
                    "id": c.id,
                    "curie": c.curie,
                    "label": c.label,
                    "category": c.category,
                    "synonyms": c.synonyms,
                }
                for c, s in hits
            ]
            + [
                {"reference": r.key, "citation": r.citation, "title": r.title, "doi": r.doi, "pmid": r.pmid}
                for r in refs
            ]
        )
        return
    if not hits and not refs:
        click.echo(f"no concept or reference matches {text!r}", err=True)
        raise SystemExit(1)
    for r in refs:
        link = f"doi:{r.doi}" if r.doi else f"PMID:{r.pmid}"
        click.echo(f"reference  {r.citation}: {r.title}  " + dim(link))
    for c, score in hits:
        syn = dim("  (" + ", ".join(c.synonyms[:4]) + ")") if c.synonyms else ""
        click.echo(f"{score:5.1f}  {c.label}" + dim(f"  {c.curie} · {c.category}") + syn)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--store", default="memory", show_default=True, help="memory or oxigraph.")
@format_option()
def validate(paths: tuple[str, ...], store: str, fmt: str) -> None:
    """Check the graph (or PATHS) against the shapes and referential checks.

    Exit 0 when clean, 1 on violations, 2 on unreadable input.
    """
    from gutkg.validate import validate as run

    report = run(list(paths) or None, store=store)
    if fmt == "json":
        emit_json(report.as_dict())
    else:
        click.echo(report.text())
    if not report.conforms:
        raise SystemExit(1)


@click.command("format")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--check", is_flag=True, help="Only report files not in canonical form (exit 1 if any).")
@format_option()
def format_(paths: tuple[str, ...], check: bool, fmt: str) -> None:
    """Rewrite graph Turtle files in canonical form (stable order and prefixes)."""
    from gutkg.curation.files import canonicalise_files

    changed = canonicalise_files(list(paths) or None, check=check)
    if fmt == "json":
        emit_json({"changed": changed, "check": check})
    elif changed:
        verb = "not canonical" if check else "rewrote"
        for path in changed:
            click.echo(f"{verb}: {path}")
        if check:
            click.echo("fix: gutkg format", err=True)
    else:
        click.echo("all files canonical")
    if check and changed:
        raise SystemExit(1)


COMMANDS = [info, show, search, validate, format_]
