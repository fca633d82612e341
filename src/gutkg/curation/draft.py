"""A pending change to a graph folder: built in memory, validated, then written atomically.

:class:`Draft` reads every file of the folder once, keeps each file's triples, and loads them (with
the vocabulary) into an in-memory Oxigraph store (its SPARQL answers the curation and referential
checks ten times faster than rdflib; pySHACL reads an rdflib copy of what it checks). Curation
functions (:mod:`gutkg.curation.concepts`, :mod:`gutkg.curation.claims`) add triples to a named
file through :meth:`Draft.add`; the store sees them at once, so later steps of the same change (a
claim on a concept added a moment ago) resolve.

:meth:`Draft.commit` then

1. renders each touched file as canonical Turtle (the old triples plus the new, its header kept),
2. validates the new graph (:func:`gutkg.validate.validate_store`: the referential and curation
   checks on the whole graph, SHACL on the nodes the change can affect, :meth:`Draft.focus`, which
   gives the same results for them as validating everything: tests/test_curate_incremental.py)
   and refuses with the grouped report if the change introduces a violation (violations the graph
   already had are reported as a note, not blamed on the change),
3. unless ``dry_run``, replaces the files with :func:`gutkg.atomic.write_files`: all or nothing,
   definitions before the files that refer to them (concepts, references, claims, hypotheses), and
   only if no file changed on disk in the meantime.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gutkg.curation.shaclcache import read_shacl_cache, shacl_key, write_shacl_cache
from gutkg.errors import InputError, StoreError, ValidationError
from gutkg.store import Store, Term, Triple
from gutkg.vocab import CATEGORIES, CONCEPT, RDF, RDFS

if TYPE_CHECKING:
    from gutkg.concepts import ConceptIndex
    from gutkg.curation.identifiers import VerifiedIdentifiers
    from gutkg.validate import Problem, Report

HYPOTHESES_FILE = "hypotheses.ttl"
_TYPE = str(RDF.type)
#: Predicates that change what a class is: a change adding or removing one is validated whole.
_SCHEMA = frozenset({str(RDFS.subClassOf), str(RDFS.subPropertyOf), str(RDFS.domain), str(RDFS.range)})


@dataclass
class Change:
    """One thing a change adds: ``action`` is ``add concept``, ``add claim``, ``add evidence`` or
    ``add claim to hypothesis``; ``id`` the CURIE it adds (or adds to); ``file`` where it goes."""

    action: str
    id: str
    file: str
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"action": self.action, "id": self.id, "file": self.file, "detail": self.detail}

    def text(self) -> str:
        return f"{self.action} {self.id}" + (f" ({self.detail})" if self.detail else "") + f"  -> {self.file}"


@dataclass
class Result:
    """What a change did (or, with ``dry_run``, would do)."""

    changes: list[Change]
    files: list[str]
    dry_run: bool
    diff: str = ""
    notes: list[str] = field(default_factory=list)
    triples: int = 0

    @property
    def written(self) -> bool:
        return bool(self.files) and not self.dry_run

    def as_dict(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "written": self.written,
            "files": self.files,
            "changes": [c.as_dict() for c in self.changes],
            "notes": self.notes,
            "triples": self.triples,
            "diff": self.diff,
        }

    def text(self, *, diff: bool = False) -> str:
        lines = [c.text() for c in self.changes]
        lines += [f"note: {n}" for n in self.notes]
        if diff and self.diff:
            lines.append(self.diff.rstrip("\n"))
        if not self.files:
            lines.append("nothing to change")
        elif self.dry_run:
            lines.append(
                f"dry run: valid; nothing written ({len(self.files)} file(s) would change: "
                + ", ".join(self.files)
                + ")"
            )
        else:
            lines.append(f"valid; wrote {len(self.files)} file(s): " + ", ".join(self.files))
        return "\n".join(lines)


class Draft:
    """The graph folder ``graph_dir`` (default: the bundled ``graph/``) plus pending additions."""

    def __init__(self, graph_dir: Path | str | None = None, *, identifiers: VerifiedIdentifiers | None = None) -> None:
        from gutkg.loading import RDF_SUFFIXES, default_graph_dir, fmt_of, ontology_files, read_rdf
        from gutkg.store import new_store
        from gutkg.store.oxigraph import parse_triples

        root = Path(graph_dir) if graph_dir else default_graph_dir()
        if not root.is_dir():
            raise InputError(
                f"{root} is not a folder: --graph must name the graph folder to change "
                "(the one holding concepts/, claims/, hypotheses.ttl)."
            )
        self.root = root.resolve()
        self._identifiers = identifiers
        self.files = sorted(
            p for p in self.root.rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file() and not p.name.startswith(".")
        )
        self._bytes: dict[Path, bytes] = {}
        self._triples: dict[Path, list[Triple]] = {}
        self._defined: dict[str, Path] = {}
        self.store: Store = new_store("oxigraph")
        for path in ontology_files():
            self.store.load(read_rdf(path), fmt=fmt_of(path), source=str(path))
        for path in self.files:
            data = self._bytes[path] = read_rdf(path)
            triples = parse_triples(data, fmt=fmt_of(path), source=str(path))
            self._triples[path] = triples
            self.store.load(data, fmt=fmt_of(path), source=str(path))
            for s, p, _o in triples:
                if p.value == _TYPE:
                    self._defined.setdefault(s.value, path)
        self._subjects = {s.value for ts in self._triples.values() for s, _p, _o in ts}
        self.added: dict[Path, list[Triple]] = {}
        self.removed: dict[Path, set[Triple]] = {}
        self.changes: list[Change] = []
        self.notes: list[str] = []
        self._index: ConceptIndex | None = None
        self._refs: set[str] | None = None
        self._on_disk: Store | None = None
        self._found: list[tuple[str, str, str, str]] = []

    # -- what the graph holds (including pending additions) ---------------------------------
    @property
    def identifiers(self) -> VerifiedIdentifiers:
        if self._identifiers is None:
            from gutkg.curation.identifiers import VerifiedIdentifiers

            self._identifiers = VerifiedIdentifiers.load()
        return self._identifiers

    def concepts(self) -> ConceptIndex:
        """Every concept, by every name (rebuilt after a concept is added)."""
        if self._index is None:
            from gutkg.concepts import ConceptIndex

            self._index = ConceptIndex.from_store(self.store)
        return self._index

    def references(self) -> set[str]:
        """Keys of the references a claim may cite."""
        if self._refs is None:
            from gutkg.references import references

            self._refs = set(references(self.store))
        return self._refs

    def defined_in(self, iri: str) -> Path | None:
        """The file that types ``iri`` (``a ...``), if any."""
        return self._defined.get(iri)

    def has_subject(self, iri: str) -> bool:
        return iri in self._subjects

    def subjects_starting(self, prefix: str) -> list[str]:
        return sorted(s for s in self._subjects if s.startswith(prefix))

    def display(self, path: Path) -> str:
        """``graph/claims/x.ttl``: the path as a reviewer reads it."""
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    # -- where things go ----------------------------------------------------------------------
    def concept_file(self, category_iri: str) -> Path:
        short = {str(k): v for k, v in CATEGORIES.items()}[category_iri]
        return self.root / "concepts" / f"{short}.ttl"

    def claim_file(self, topic: str) -> Path:
        from gutkg.curation.values import ID_PATTERN

        if not ID_PATTERN.match(topic.replace("-", "_")):
            raise ValidationError(
                f"topic {topic!r} must be a short lower-case name such as "
                "'curated' or 'barrier_regulation' (it names graph/claims/<topic>.ttl)"
            )
        return self.root / "claims" / f"{topic}.ttl"

    def file_of(self, iri: str, default: Path) -> Path:
        """The file defining ``iri``, else ``default``; refuses files it cannot rewrite."""
        path = self.defined_in(iri) or default
        if path.suffix != ".ttl":
            raise InputError(
                f"{self.display(path)} is not a Turtle file: gutkg rewrites only .ttl "
                "files. Convert it (gutkg export ttl) or edit it by hand."
            )
        return path

    # -- changing -----------------------------------------------------------------------------
    def add(self, path: Path, triples: Iterable[Triple], change: Change | None = None) -> None:
        """Add ``triples`` to the file ``path`` (and to the in-memory store)."""
        triples = list(triples)
        if not triples:
            return
        self.added.setdefault(path, []).extend(triples)
        self.store.load(
            "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples) + "\n", fmt="ntriples", source="<change>"
        )
        for s, p, _o in triples:
            self._subjects.add(s.value)
            if p.value == _TYPE:
                self._defined.setdefault(s.value, path)
                if s.value.startswith(str(CONCEPT)):
                    self._index = None
        if change:
            self.changes.append(change)

    def replace(self, path: Path, subject: Term, predicate: Term, value: Term) -> None:
        """Set ``subject predicate value`` in file ``path``, dropping the values it had there."""
        old = {
            t
            for t in [*self._triples.get(path, []), *self.added.get(path, [])]
            if t[0] == subject and t[1] == predicate
        }
        self.removed.setdefault(path, set()).update(old)
        self.added[path] = [t for t in self.added.get(path, []) if t not in old]
        for s, p, o in old:
            self.store.update(f"DELETE DATA {{ {s.n3()} {p.n3()} {o.n3()} }}")
        self.add(path, [(subject, predicate, value)])

    def texts(self) -> dict[Path, str]:
        """The new canonical text of every touched file."""
        from gutkg.canonical import to_turtle
        from gutkg.curation.files import header_of

        out = {}
        for path, new in self.added.items():
            old = self._bytes.get(path)
            header = header_of(old.decode("utf-8")) if old is not None else self._new_header(path)
            gone = self.removed.get(path, set())
            out[path] = to_turtle([*(t for t in self._triples.get(path, []) if t not in gone), *new], header=header)
        return out

    def _new_header(self, path: Path) -> str:
        rel = path.relative_to(self.root)
        if rel.parts[0] == "concepts":
            cls = next(str(k).rsplit("#", 1)[-1] for k, v in CATEGORIES.items() if v == path.stem)
            return (
                f"gutkg concepts: {path.stem} ({cls}). Mappings only from verified rows of reference/identifiers.tsv."
            )
        if rel.parts[0] == "claims":
            return f"gutkg claims: {path.stem}. Added with gutkg add / gutkg import; keep it canonical (gutkg format)."
        return ""

    def commit(self, *, dry_run: bool = False) -> Result:
        """Validate the changed graph and write it (see the module docstring)."""
        from gutkg.atomic import write_files

        if not self.added:
            return Result(list(self.changes), [], dry_run, notes=[*self.notes, "the graph already holds all of this"])
        texts = self.texts()
        notes = list(self.notes) + self._validate()
        notes += [
            f"{self.display(p)} was not in canonical form: the diff also shows it reformatted"
            for p in texts
            if p in self._bytes and not self._was_canonical(p)
        ]
        diff = "".join(
            "".join(
                difflib.unified_diff(
                    self._bytes.get(p, b"").decode("utf-8").splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile="a/" + self.display(p) if p in self._bytes else "/dev/null",
                    tofile="b/" + self.display(p),
                )
            )
            for p, text in sorted(texts.items())
        )
        ordered = dict(sorted(texts.items(), key=lambda kv: (self._write_rank(kv[0]), str(kv[0]))))
        if not dry_run:
            try:
                write_files(ordered, expected={p: self._bytes.get(p) for p in ordered})
            except OSError as exc:
                raise StoreError(
                    f"writing the graph failed ({exc}); every file was restored to "
                    "what it was, nothing changed. Fix the cause and run it again."
                ) from exc
            written = {**self._bytes, **{p: t.encode("utf-8") for p, t in ordered.items()}}
            write_shacl_cache(self.root, shacl_key(self.root, written), self._found)
        return Result(list(self.changes), [self.display(p) for p in ordered], dry_run, diff, notes, len(self.store))

    def _was_canonical(self, path: Path) -> bool:
        from gutkg.canonical import to_turtle
        from gutkg.curation.files import header_of

        old = self._bytes[path].decode("utf-8")
        return to_turtle(self._triples[path], header=header_of(old)) == old

    def _write_rank(self, path: Path) -> int:
        """Definitions first, so every prefix of the write sequence is a valid graph."""
        part = path.relative_to(self.root).parts[0]
        return {"concepts": 0, "claims": 2}.get(part, 1 if "reference" in part else 3)

    def _validate(self) -> list[str]:
        """Raise :class:`ValidationError` on violations the change introduces; return notes."""
        from gutkg.loading import materialise_plain_edges
        from gutkg.validate import shacl_results, validate_store

        materialise_plain_edges(self.store)
        focus = self.focus()
        known = None if focus is None else self._known_shacl()
        self._found = shacl_results(self.store, focus, known)
        report = validate_store(self.store, self.files, shacl_found=self._found)
        self._place_new_subjects(report)
        if report.conforms:
            return []
        before = self._baseline(focus, known)
        old = {(p.message, r, d) for p in before.problems if p.severity == "violation" for _f, r, d in p.places}
        fresh = _only(report, lambda p, place: p.severity == "violation" and (p.message, place[1], place[2]) not in old)
        if fresh.problems:
            raise ValidationError(
                "refused: the change would make the graph invalid. Nothing was written.\n" + fresh.text(), fresh
            )
        n = sum(len(p.places) for p in before.problems if p.severity == "violation")
        return [f"the graph already had {n} violation(s) unrelated to this change: run gutkg validate"]

    def focus(self) -> set[str] | None:
        """The nodes whose SHACL result the change can alter (``None``: the whole graph).

        The shapes are local (:func:`gutkg.validate.local_shapes`): a node's result reads its own
        triples, its values' types and the class hierarchy. So the change can alter the result of
        every subject it adds or removes triples of, and, where it adds or removes an ``rdf:type``,
        of every node pointing at that subject. The values the change adds are checked too (the
        materialised ``cause RO:0002304 effect`` edges start at them). A change to the class
        hierarchy, or a blank node among these, is validated whole.
        """
        changed = [t for ts in self.added.values() for t in ts] + [t for ts in self.removed.values() for t in ts]
        if any(p.value in _SCHEMA or not s.is_iri for s, p, _o in changed):
            return None
        nodes = {s.value for s, _p, _o in changed}
        nodes |= {o.value for ts in self.added.values() for _s, _p, o in ts if o.is_iri}
        retyped = sorted({s.value for s, p, _o in changed if p.value == _TYPE})
        for start in range(0, len(retyped), 500):
            values = " ".join(Term.iri(i).n3() for i in retyped[start : start + 500])
            for (referrer,) in self.store.query(
                f"SELECT DISTINCT ?x WHERE {{ VALUES ?o {{ {values} }} ?x ?p ?o }}"
            ).rows:
                if referrer is None or not referrer.is_iri:
                    return None
                nodes.add(referrer.value)
        return nodes

    def _baseline(self, focus: set[str] | None, known: list[tuple[str, str, str, str]] | None) -> Report:
        """The report of the graph as it is on disk (to tell old problems from new ones). Its SHACL
        results on ``focus`` are computed afresh (so what a change is refused for never rests on the
        cache), the others' taken from ``known``."""
        from gutkg.validate import shacl_results, validate_store

        store = self._baseline_store()
        return validate_store(store, self.files, shacl_found=shacl_results(store, focus, known))

    def _baseline_store(self) -> Store:
        """The graph as it is on disk (with the vocabulary and the materialised edges)."""
        from gutkg.loading import fmt_of, materialise_plain_edges, ontology_files, read_rdf
        from gutkg.store import new_store

        if self._on_disk is None:
            store = new_store("oxigraph")
            for path in ontology_files():
                store.load(read_rdf(path), fmt=fmt_of(path), source=str(path))
            for path, data in self._bytes.items():
                store.load(data, fmt=fmt_of(path), source=str(path))
            materialise_plain_edges(store)
            self._on_disk = store
        return self._on_disk

    def _known_shacl(self) -> list[tuple[str, str, str, str]]:
        """The SHACL results of the graph on disk: from :mod:`gutkg.curation.shaclcache`, else
        computed (whole graph, once) and cached."""
        from gutkg.validate import shacl_results

        key = shacl_key(self.root, self._bytes)
        found = read_shacl_cache(self.root, key)
        if found is None:
            found = shacl_results(self._baseline_store())
            write_shacl_cache(self.root, key, found)
        return found

    def _place_new_subjects(self, report: Report) -> None:
        """Problems on new resources name the file they would be written to, not ``?``."""
        from gutkg.canonical import qname

        where = {qname(s.value): self.display(path) for path, ts in self.added.items() for s, _p, _o in ts}
        for problem in report.problems:
            problem.places = sorted((where.get(r, f) if f == "?" else f, r, d) for f, r, d in problem.places)


def _only(report: Report, keep: Callable[[Problem, tuple[str, str, str]], bool]) -> Report:
    from gutkg.validate import Problem, Report

    problems: list[Problem] = []
    for p in report.problems:
        places = [pl for pl in p.places if keep(p, pl)]
        if places:
            problems.append(Problem(p.message, p.fix, p.severity, places))
    return Report(problems, report.files, report.triples)


def literal(value: str) -> Term:
    """An English text literal (labels, definitions, notes)."""
    return Term.literal(value, lang="en")
