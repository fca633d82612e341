"""The bundled questions: named, documented SPARQL files shipped in ``gutkg/sparql/queries/``.

Each ``.rq`` file opens with a comment block that documents it::

    # name: upstream-causes
    # title: Everything that leads to a concept (upstream causes)
    # description: Every concept causally upstream of a concept ...
    # param: concept (concept) - the concept whose causes are listed
    # example: gutkg query upstream-causes --param concept=gkc:dysbiosis

A parameter's kind is ``concept`` (a label, synonym, CURIE or IRI, resolved strictly), ``IRI``
(a CURIE or IRI), ``literal`` or ``integer``; ``optional`` parameters may be left out, leaving
the variable free. Values are bound as RDF terms by the store, never pasted into the text. The
title is what a reader picks the question by (the query UI lists titles, not names); without a
``# title:`` line it is made from the name.

>>> q = get("upstream-causes")
>>> q.name, [p.name for p in q.params], q.params[0].kind
('upstream-causes', ['concept'], 'concept')
>>> q.title
'Everything that leads to a concept (upstream causes)'
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from gutkg.errors import QueryError

PARAM_KINDS = ("concept", "IRI", "literal", "integer")
_PARAM = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>[^)]*)\)\s*(?:-\s*(?P<doc>.*))?")


@dataclass(frozen=True)
class Param:
    """A documented query parameter."""

    name: str
    kind: str
    description: str = ""
    optional: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "kind": self.kind, "description": self.description, "optional": self.optional}


@dataclass(frozen=True)
class Question:
    """A bundled, named SPARQL query with its documentation."""

    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = field(default=())
    #: What a reader picks the question by; defaults to the name made readable.
    title: str = ""

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", self.name.replace("-", " ").capitalize())

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def as_dict(self, *, text: bool = False) -> dict[str, object]:
        out: dict[str, object] = {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [p.as_dict() for p in self.params],
            "examples": list(self.examples),
        }
        if text:
            out["query"] = self.text
        return out


def parse_header(text: str, *, source: str = "") -> dict[str, object]:
    """The ``# key: value`` lines at the top of a query (until the first line of SPARQL).

    >>> h = parse_header("# name: x\\n# title: T\\n# description: y\\n# param: c (IRI, optional) - z\\nSELECT * {}")
    >>> h["name"], h["title"], h["description"], h["params"]
    ('x', 'T', 'y', [Param(name='c', kind='IRI', description='z', optional=True)])
    """
    header: dict[str, object] = {"params": [], "examples": []}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        key, sep, value = stripped.lstrip("#").strip().partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "param":
            header["params"].append(_param(value, source))  # type: ignore[attr-defined]
        elif key == "example":
            header["examples"].append(value)  # type: ignore[attr-defined]
        elif key in {"name", "title", "description"}:
            header[key] = value
    return header


def _param(spec: str, source: str) -> Param:
    match = _PARAM.fullmatch(spec)
    if not match:
        raise QueryError(
            f"{source}: bad '# param:' line {spec!r}; write '# param: NAME (KIND[, optional]) - what it is'"
        )
    flags = [f.strip() for f in match["kind"].split(",")]
    kind = flags[0]
    if kind not in PARAM_KINDS:
        raise QueryError(
            f"{source}: parameter {match['name']} has unknown kind {kind!r}; use one of " + ", ".join(PARAM_KINDS)
        )
    return Param(match["name"], kind, (match["doc"] or "").strip(), "optional" in flags[1:])


@cache
def catalog() -> dict[str, Question]:
    """Every bundled question by name, read once from the package data."""
    out: dict[str, Question] = {}
    folder = resources.files("gutkg.sparql").joinpath("queries")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        header = parse_header(text, source=entry.name)
        name = str(header.get("name") or entry.name.removesuffix(".rq"))
        out[name] = Question(
            name,
            str(header.get("description", "")),
            text,
            tuple(header["params"]),  # type: ignore[arg-type]
            tuple(header["examples"]),  # type: ignore[arg-type]
            str(header.get("title", "")),
        )
    return out


def names() -> list[str]:
    """The names of the bundled questions, sorted."""
    return sorted(catalog())


def get(name: str) -> Question:
    """The bundled question ``name``; an unknown name lists the closest ones."""
    try:
        return catalog()[name]
    except KeyError:
        close = difflib.get_close_matches(name, names(), n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise QueryError(f"no bundled question named {name!r}.{hint} List them with: gutkg queries") from None


def find(name: str) -> Question | None:
    """The bundled question ``name``, or None (:func:`get` raises instead)."""
    return catalog().get(name)
