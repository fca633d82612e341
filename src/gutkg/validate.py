"""Validation: SHACL shapes (pySHACL) plus referential checks, as a report people can read.

Results are grouped by problem (one heading per message, the resources under it with the file
each is defined in), not one line per triple.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gutkg.errors import GutKGError
from gutkg.namespaces import prologue
from gutkg.store import Store, Term

_CHECKS = (
    prologue("gkv", "skos", "rdfs", "dcterms", "bibo", "obo")
    + """
"""
)

#: Referential checks: (problem, fix, query selecting ?resource ?value).
REFERENTIAL: list[tuple[str, str, str]] = [
    (
        "claim cause or effect is not a concept of the graph",
        "define the concept (gutkg add concept) or correct the claim's gkv:cause / gkv:effect",
        _CHECKS
        + """SELECT DISTINCT ?resource ?value WHERE {
        ?resource a gkv:CausalClaim ; (gkv:cause|gkv:effect) ?value .
        FILTER NOT EXISTS { ?value a ?cat . ?cat rdfs:subClassOf* gkv:Concept }
     }""",
    ),
    (
        "evidence cites a reference that is not in the graph",
        "add the reference (verified rows of reference/bibliography.tsv only) or correct dcterms:source",
        _CHECKS
        + """SELECT DISTINCT ?resource ?value WHERE {
        ?resource a gkv:Evidence ; dcterms:source ?value .
        FILTER NOT EXISTS { ?value a ?t . ?t rdfs:subClassOf* bibo:Document }
     }""",
    ),
    (
        "claim points to evidence that is not defined",
        "define the evidence item or remove the obo:RO_0002558 link",
        _CHECKS
        + """SELECT DISTINCT ?resource ?value WHERE {
        ?resource a gkv:CausalClaim ; obo:RO_0002558 ?value .
        FILTER NOT EXISTS { ?value a gkv:Evidence }
     }""",
    ),
    (
        "duplicate claims: same cause, effect and sign",
        "merge them: keep one claim and move the other's evidence to it",
        # grouped rather than a self-join, which rdflib evaluates quadratically
        _CHECKS
        + """SELECT (MIN(STR(?claim)) AS ?first) (MAX(STR(?claim)) AS ?last) WHERE {
        ?claim a gkv:CausalClaim ; gkv:cause ?c ; gkv:effect ?e ; gkv:sign ?s .
     } GROUP BY ?c ?e ?s HAVING (COUNT(DISTINCT ?claim) > 1)""",
    ),
    (
        "claim with the same concept as cause and effect",
        "a concept cannot be its own cause here: model the loop through its intermediate steps",
        _CHECKS
        + """SELECT DISTINCT ?resource ?value WHERE {
        ?resource a gkv:CausalClaim ; gkv:cause ?value ; gkv:effect ?value .
     }""",
    ),
    (
        "evidence item not used by any claim",
        "link it from a claim with obo:RO_0002558, or delete it",
        _CHECKS
        + """SELECT DISTINCT ?resource ?value WHERE {
        ?resource a gkv:Evidence .
        FILTER NOT EXISTS { ?claim obo:RO_0002558 ?resource }
     }""",
    ),
    (
        "hypothesis with no claims",
        "list its claims with dcterms:hasPart, or delete it",
        _CHECKS
        + """SELECT DISTINCT ?resource ?value WHERE {
        ?resource a gkv:Hypothesis .
        FILTER NOT EXISTS { ?resource dcterms:hasPart ?claim }
     }""",
    ),
]


_LABELS = (
    _CHECKS
    + """SELECT ?resource ?label WHERE {
    ?resource a ?cat . ?cat rdfs:subClassOf gkv:Concept . ?resource skos:prefLabel|skos:altLabel ?label }"""
)


def shared_labels(store: Store) -> list[tuple[str, str]]:
    """(concept IRI, label) for every label or synonym naming more than one concept.

    Labels are compared by :func:`gutkg.textsafety.label_key` (case, compatibility forms and
    invisible characters ignored), so ``zon\u200bulin`` cannot pass for a second ``zonulin``. Done in
    Python (one pass) rather than as a SPARQL self-join, which is quadratic in rdflib.
    """
    from gutkg.textsafety import label_key, visible

    owners: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for subject, label in store.query(_LABELS).rows:
        if subject and label:
            key = label_key(label.value)
            owners[key].add(subject.value)
            shown.setdefault(key, visible(label.value))
    return sorted((iri, shown[key]) for key, iris in owners.items() if len(iris) > 1 for iri in iris)


#: Predicates whose text is one line (labels, titles); other literals may hold line feeds and tabs.
_ONE_LINE = frozenset(
    {
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://www.w3.org/2004/02/skos/core#altLabel",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://purl.org/dc/terms/title",
    }
)


def unsafe_text(store: Store) -> list[tuple[str, str]]:
    """(resource IRI, detail) for every literal holding a control, bidirectional or invisible character.

    Such characters reorder what a reader sees (U+202E shows ``nilunoz`` as ``zonulin``), hide
    (zero-width spaces) or drive a terminal (ANSI escapes). The rule is :mod:`gutkg.textsafety`'s,
    the one ``add`` and ``import`` apply.
    """
    from gutkg.canonical import qname
    from gutkg.textsafety import problem

    scan = getattr(store, "literals", None)
    if scan is not None:
        triples = scan()
    else:  # a remote store: ask for the literals
        triples = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER isLiteral(?o) }").rows
    out = []
    for s, p, o in triples:
        if s is None or p is None or o is None:
            continue
        found = problem(o.value, multiline=p.value not in _ONE_LINE)
        if found:
            out.append((s.value, f"{qname(p.value)}: {found}"))
    return sorted(set(out))


_MAPPINGS = (
    _CHECKS
    + """SELECT ?resource ?value WHERE {
    ?resource a ?cat . ?cat rdfs:subClassOf gkv:Concept . ?resource skos:exactMatch|skos:closeMatch ?value }"""
)


def unverified_mappings(store: Store) -> tuple[bool, list[tuple[str, str]]]:
    """(table available, [(concept IRI, mapping)]) for every mapping not from a verified identifier.

    A mapping must be the IRI of a row marked ``yes`` in reference/identifiers.tsv, the same rule
    ``gutkg add concept --exact-match`` applies: anything else (a ``javascript:`` IRI, a typo, an
    unverified row) is vouched for by nothing.
    """
    from gutkg.curation.identifiers import VerifiedIdentifiers, key
    from gutkg.mappings import curie_of, iri_of
    from gutkg.textsafety import visible

    table = VerifiedIdentifiers.load()
    if not table.available:
        return False, []
    out = []
    for resource, value in store.query(_MAPPINGS).rows:
        if resource is None or value is None:
            continue
        curie = curie_of(value.value) if value.is_iri else value.value
        if not (value.is_iri and key(curie) in table.rows and iri_of(curie) == value.value):
            out.append((resource.value, visible(value.value)))
    return True, sorted(out)


def curation_problems(store: Store) -> list[tuple[str, str, str, str]]:
    """The curation standard's rules SHACL cannot express: (message, fix, resource IRI, detail).

    1. a directed claim's status follows from its evidence (:data:`gutkg.grading.STATUS_RULE`);
    2. a directed claim carries only direction-showing primary items or review statements;
    3. no item is stronger than its design allows (and serum-zonulin ELISA items are at most weak);
    4. no causal claim (or association) between a concept and its own broader concept or stage.
    """
    from gutkg.concepts import ConceptIndex
    from gutkg.grading import STATUS_RULE, allowed_statuses, ceiling_problem, is_primary
    from gutkg.network import _Items, read_associations, read_claims, read_measurements
    from gutkg.scales import DIRECTIONAL

    items = _Items(store)
    claims = read_claims(store, items)
    out: list[tuple[str, str, str, str]] = []
    for claim in claims.values():
        allowed = allowed_statuses(claim["evidence"])
        if claim["status"] not in allowed:
            out.append(
                (
                    "claim status does not follow from its evidence",
                    f"set gkv:status to an allowed one (in brackets), or add the evidence that would "
                    f"justify it: {STATUS_RULE}",
                    claim["iri"],
                    f"{claim['status']}; allowed: {', '.join(sorted(allowed))}",
                )
            )
        for e in claim["evidence"]:
            if is_primary(e) and e["direction"] not in DIRECTIONAL:
                out.append(
                    (
                        "a directed claim carries evidence whose design cannot show direction",
                        "move the item to an association (gkv:Association, RO:0002610) of the two "
                        "concepts, or to a gkv:Measurement; a directed claim takes only intervention, "
                        "prospective, Mendelian-randomisation, treatment-response, transfer, "
                        "monocolonisation or temporal evidence (or review statements as synthesis)",
                        f"{claim['iri'].rsplit('/', 1)[0]}/{claim['claim']}",
                        f"{e['id']}: {e['direction']}",
                    )
                )
    statements = [
        *((c["iri"], c["evidence"]) for c in claims.values()),
        *((a["iri"], a["evidence"]) for a in read_associations(store, items)),
        *((m["iri"], m["evidence"]) for m in read_measurements(store, items)),
    ]
    for iri, evidence in statements:
        for e in evidence:
            why = ceiling_problem(e)
            if why:
                out.append(
                    (
                        "evidence strength above what its design allows",
                        "lower gkv:strength to the design's gkv:ceiling (ontology/gutkg.ttl)",
                        iri,
                        f"{e['id']}: {why}",
                    )
                )
    index = ConceptIndex.from_store(store)
    above = _above(index)
    for claim in claims.values():
        a, b = claim["cause"], claim["effect"]
        if b in above.get(a, set()) or a in above.get(b, set()):
            out.append(
                (
                    "causal claim between a concept and its own broader concept or stage",
                    "a kind or a stage of B is not a cause of B: remove the claim (the hierarchy is "
                    "skos:broader, the stage gkv:stageOf)",
                    claim["iri"],
                    f"{a} / {b}",
                )
            )
    return out


def _above(index: object) -> dict[str, set[str]]:
    """Every concept's broader concepts and the diseases it is a stage of, transitively."""
    direct: dict[str, set[str]] = {c.id: set(c.broader) | set(c.stage_of) for c in index}  # type: ignore[attr-defined]
    out: dict[str, set[str]] = {}
    for start in direct:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(direct.get(n, ()))
        out[start] = seen
    return out


@dataclass
class Problem:
    """One kind of problem and every place it occurs."""

    message: str
    fix: str = ""
    severity: str = "violation"
    places: list[tuple[str, str, str]] = field(default_factory=list)  # (file, resource, detail)

    def as_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "fix": self.fix,
            "severity": self.severity,
            "count": len(self.places),
            "places": [{"file": f, "resource": r, "detail": d} for f, r, d in self.places],
        }


@dataclass
class Report:
    """A grouped validation report. ``conforms`` is true when there are no violations."""

    problems: list[Problem]
    files: list[str]
    triples: int

    @property
    def conforms(self) -> bool:
        return not any(p.severity == "violation" for p in self.problems)

    def as_dict(self) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "files": self.files,
            "triples": self.triples,
            "problems": [p.as_dict() for p in self.problems],
        }

    def text(self) -> str:
        if not self.problems:
            return f"ok: {len(self.files)} files, {self.triples} triples, no problems"
        out = []
        for p in self.problems:
            out.append(f"{p.severity.upper()}: {p.message} ({len(p.places)})")
            if p.fix:
                out.append(f"  fix: {p.fix}")
            for file, resource, detail in p.places[:50]:
                out.append(f"  - {file}: {resource}" + (f"  [{detail}]" if detail else ""))
            if len(p.places) > 50:
                out.append(f"  ... and {len(p.places) - 50} more")
        verdict = "invalid" if not self.conforms else "valid with warnings"
        out.append(
            f"{verdict}: {sum(len(p.places) for p in self.problems)} problems in "
            f"{len(self.problems)} groups ({len(self.files)} files, {self.triples} triples)"
        )
        return "\n".join(out)


def subject_files(files: Sequence[Path]) -> dict[str, str]:
    """Which file defines each subject (first file wins), for pointing users at the right place."""
    from gutkg.loading import fmt_of, read_rdf
    from gutkg.store.oxigraph import parse_triples

    where: dict[str, str] = {}
    for path in files:
        for s, _p, _o in parse_triples(read_rdf(path), fmt=fmt_of(path), source=str(path)):
            where.setdefault(s.value, _short(path))
    return where


def _short(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def validate_store(
    store: Store,
    files: Sequence[Path] = (),
    *,
    shacl: bool = True,
    focus: Iterable[str] | None = None,
    shacl_found: Sequence[tuple[str, str, str, str]] | None = None,
) -> Report:
    """Check ``store`` against the shapes and the referential checks.

    ``focus`` (IRIs) makes the SHACL part incremental: only those nodes are checked against the
    shapes (see :func:`shacl_results`). ``shacl_found`` gives the SHACL results instead of running
    pySHACL (a curation write passes the graph's known results updated on the nodes it changes).
    The referential and curation checks always look at the whole graph. ``gutkg validate`` passes
    neither: everything is checked.
    """
    from gutkg.canonical import qname
    from gutkg.textsafety import visible

    where = subject_files(files) if files else {}
    groups: dict[tuple[str, str], Problem] = {}

    def add(message: str, fix: str, resource: str, detail: str, severity: str = "violation") -> None:
        key = (severity, message)
        if key not in groups:
            groups[key] = Problem(message, fix, severity)
        # every value from the data is shown escaped: the report goes to terminals
        groups[key].places.append((where.get(resource, "?"), visible(qname(resource)), visible(detail)))

    seen: set[tuple[str, str]] = set()
    for message, fix, sparql in REFERENTIAL:
        severity = "warning" if message.startswith(("evidence item not used", "hypothesis with no")) else "violation"
        for row in store.query(sparql).rows:
            subject, value = row
            if value is not None and value.kind == "literal" and value.value.startswith("http"):
                value = Term.iri(value.value)  # grouped queries return IRIs as strings
            res = subject.value if subject else "?"
            seen.add((res, value.value if value else ""))
            add(
                message,
                fix,
                res,
                qname(value.value) if value and value.is_iri else (value.value if value else ""),
                severity,
            )
    for iri, label in shared_labels(store):
        add(
            "two concepts share a label or synonym",
            "labels and synonyms must name one concept: rename or merge",
            iri,
            label,
        )
    for iri, detail in unsafe_text(store):
        add(
            "text holds an invisible or control character",
            "retype the text without it (shown as \\uNNNN): such characters reorder or "
            "hide what a reader sees, or drive the terminal",
            iri,
            detail,
        )
    checked, mappings = unverified_mappings(store)
    for iri, mapping in mappings:
        add(
            "mapping is not a verified identifier",
            "map only to rows marked 'yes' in reference/identifiers.tsv (gutkg add concept "
            "--exact-match checks it), or remove the skos:exactMatch / closeMatch",
            iri,
            mapping,
        )
    if not checked:
        add(
            "mappings not checked: the verified identifier table is missing",
            "set GUTKG_IDENTIFIERS to reference/identifiers.tsv",
            "?",
            "",
            "warning",
        )
    for message, fix, iri, detail in curation_problems(store):
        add(message, fix, iri, detail)
    if shacl:
        found = shacl_found if shacl_found is not None else shacl_results(store, focus)
        for resource, message, detail, severity in found:
            if (resource, detail) in seen:  # already reported, with its fix, by a referential check
                continue
            shown = "" if detail == resource else (qname(detail) if detail.startswith("http") else detail)
            add(message, "", resource, shown, severity)
    problems = sorted(groups.values(), key=lambda p: (p.severity != "violation", p.message))
    for p in problems:
        p.places.sort()
    return Report(problems, [_short(f) for f in files], len(store))


def shacl_results(
    store: Store, focus: Iterable[str] | None = None, known: Sequence[tuple[str, str, str, str]] | None = None
) -> list[tuple[str, str, str, str]]:
    """(focus node, message, value, severity) for every SHACL result.

    With ``focus`` (IRIs), only those nodes are validated, on a subgraph holding what the shapes
    read about them (:func:`shacl_subgraph`): exact for them when the shapes are local
    (:func:`local_shapes`), else the whole graph is validated. ``known``, the results of the graph
    before a change that can alter only the results of ``focus``, then supplies every other node's
    results, so the answer is the whole graph's.
    """
    import rdflib
    from pyshacl import validate as shacl_validate

    from gutkg.loading import shapes_file
    from gutkg.vocab import SH

    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    nodes = None if focus is None or not local_shapes(shapes) else set(focus)
    if nodes is not None and not nodes:
        return list(known or [])
    data = store.to_rdflib() if nodes is None else shacl_subgraph(store, nodes)
    _conforms, results, _text = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True)
    out = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus_node = results.value(result, SH.focusNode)
        if nodes is not None and str(focus_node) not in nodes:
            continue  # a value node typed in the subgraph, without its own triples: not checked here
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        sev = "violation" if severity == SH.Violation else "warning"
        detail = ""
        if value is not None:
            detail = str(value) if not isinstance(value, rdflib.BNode) else ""
        out.append((str(focus_node), str(message or "constraint violated"), detail, sev))
    if nodes is not None and known is not None:
        out = [r for r in known if r[0] not in nodes] + out
    return out


#: SHACL terms whose checks read only the focus node's own triples, its values' types and the
#: class hierarchy. A shapes graph using anything else (sh:node, sh:sparql, inverse or sequence
#: paths, targets other than classes, ...) is validated whole.
_LOCAL_TERMS = frozenset(
    {
        "NodeShape",
        "PropertyShape",
        "targetClass",
        "property",
        "path",
        "alternativePath",
        "minCount",
        "maxCount",
        "uniqueLang",
        "languageIn",
        "datatype",
        "class",
        "nodeKind",
        "in",
        "hasValue",
        "not",
        "or",
        "xone",
        "and",
        "message",
        "name",
        "description",
        "severity",
        "order",
        "group",
        "deactivated",
        "IRI",
        "Literal",
        "BlankNode",
        "BlankNodeOrIRI",
        "IRIOrLiteral",
        "BlankNodeOrLiteral",
        "Violation",
        "Warning",
        "Info",
    }
)


def local_shapes(shapes: Any) -> bool:
    """Whether every shape's result for a node depends only on that node's own triples, the types
    of their values and ``rdfs:subClassOf`` (so validating some nodes alone gives their results).

    True when the shapes use only :data:`_LOCAL_TERMS`, every path is a property or an
    alternative of properties, no shape is also a class (implicit targets), and the shapes a
    property shape applies to its values (through sh:not / or / and / xone) check only those
    values themselves (no sh:path, sh:property): they may read a value's type, not its triples.
    """
    return _local_terms(shapes) and _simple_paths(shapes) and _values_checked_alone(shapes)


def _local_terms(shapes: Any) -> bool:
    import rdflib

    from gutkg.vocab import SH

    sh = str(SH)
    used = {
        str(t)[len(sh) :]
        for _s, p, o in shapes
        for t in (p, o)
        if isinstance(t, rdflib.URIRef) and str(t).startswith(sh)
    }
    classes = (rdflib.RDFS.Class, rdflib.OWL.Class)
    implicit = any((s, rdflib.RDF.type, c) in shapes for s in shapes.subjects(SH.targetClass) for c in classes)
    return used <= _LOCAL_TERMS and not implicit


def _simple_paths(shapes: Any) -> bool:
    import rdflib
    from rdflib.collection import Collection

    from gutkg.vocab import SH

    for path in shapes.objects(None, SH.path):
        if isinstance(path, rdflib.URIRef):
            continue
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is None or set(shapes.predicate_objects(path)) != {(SH.alternativePath, alternatives)}:
            return False  # a sequence, inverse or repeated path
        if not all(isinstance(m, rdflib.URIRef) for m in Collection(shapes, alternatives)):
            return False
    return True


def _values_checked_alone(shapes: Any) -> bool:
    from rdflib.collection import Collection

    from gutkg.vocab import SH

    def applied(shape: Any) -> list[Any]:
        """The shapes ``shape`` applies to the nodes it checks."""
        out = list(shapes.objects(shape, SH["not"]))
        for kind in ("or", "and", "xone"):
            for head in shapes.objects(shape, SH[kind]):
                out.extend(Collection(shapes, head))
        return out

    for prop in set(shapes.subjects(SH.path, None)):
        todo, seen = applied(prop), set()
        while todo:
            inner = todo.pop()
            if inner in seen:
                continue
            seen.add(inner)
            if (inner, SH.path, None) in shapes or (inner, SH.property, None) in shapes:
                return False
            todo.extend(applied(inner))
    return True


_SUBGRAPH = """SELECT ?s ?p ?o ?t WHERE { VALUES ?s { %s } ?s ?p ?o OPTIONAL { ?o a ?t } }"""
_HIERARCHY = """SELECT ?a ?b WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?b }"""


def shacl_subgraph(store: Store, nodes: Iterable[str]) -> Any:
    """An rdflib graph holding what local shapes read about ``nodes``: their own triples, the
    ``rdf:type`` of every value, and the class hierarchy."""
    import rdflib

    def node(term: Term) -> Any:
        if term.kind == "uri":
            return rdflib.URIRef(term.value)
        if term.kind == "bnode":
            return rdflib.BNode(term.value)
        return rdflib.Literal(term.value, lang=term.lang, datatype=term.datatype)

    graph = rdflib.Graph()
    iris = sorted(nodes)
    for start in range(0, len(iris), 500):
        values = " ".join(Term.iri(i).n3() for i in iris[start : start + 500])
        for s, p, o, t in store.query(_SUBGRAPH % values).rows:
            if s is None or p is None or o is None:
                continue
            graph.add((node(s), node(p), node(o)))
            if t is not None:
                graph.add((node(o), rdflib.RDF.type, node(t)))
    for a, b in store.query(_HIERARCHY).rows:
        if a is not None and b is not None:
            graph.add((node(a), rdflib.RDFS.subClassOf, node(b)))
    return graph


def validate(paths: Sequence[Path | str] | None = None, *, store: str = "memory") -> Report:
    """Load ``paths`` (default: the bundled graph) with the vocabulary and validate them."""
    from gutkg.loading import input_files, load

    files = input_files(paths)
    loaded = load(paths, store=store)
    return validate_store(loaded, [f for f in files if f.name != "gutkg.ttl"])


def ensure_valid(store: Store, files: Sequence[Path] = ()) -> Report:
    """Raise a :class:`~gutkg.errors.ValidationError` carrying the report if ``store`` is invalid."""
    from gutkg.errors import ValidationError

    report = validate_store(store, files)
    if not report.conforms:
        raise ValidationError("the change would make the graph invalid:\n" + report.text(), report)
    return report


__all__ = [
    "GutKGError",
    "Problem",
    "Report",
    "ensure_valid",
    "local_shapes",
    "shacl_results",
    "shacl_subgraph",
    "validate",
    "validate_store",
]
