"""A compiled validator for the SHACL Core subset ontology/shapes.ttl uses: fast enough for every article.

pySHACL takes about 0.3 s for one article's graph, several times the cost of parsing it. This engine
reads the same shapes file, compiles each shape into checks over a subject index, and answers the
same question (which focus nodes violate which shape) in milliseconds. It refuses shapes that use a
construct it does not implement, so it cannot silently drift from the file; tests/test_shapes_engine.py
checks it flags exactly the nodes pySHACL flags, on the seeds graph and on every mutation kind.
SPARQL-based constraints run on Oxigraph. pySHACL stays the reference: `kg validate` uses it, and
so does the quarantine report of an article this engine rejects.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ..resources import load_ontology, shapes_path
from .terms import to_ox, to_rdflib

MIN_COUNT, MAX_COUNT, CLASS, DATATYPE, IN, PATTERN = SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH["in"], SH.pattern
MIN_INCL, MAX_INCL, MIN_LENGTH, LESS_THAN, OR, VIOLATION = (SH.minInclusive, SH.maxInclusive, SH.minLength, SH.lessThan,
                                                             SH["or"], SH.Violation)
PARAMS = {SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH["in"], SH.pattern, SH.minInclusive,
          SH.maxInclusive, SH.minLength, SH.lessThan, SH["or"]}
RDF_TYPE, LANG_STRING, XSD_STRING = RDF.type, RDF.langString, XSD.string  # looked up once: hot loops below
IGNORED = {SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, RDF.type}
TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
NODE_KEYS = TARGETS | {SH.property, SH.sparql, SH["or"], SH["not"], SH.severity, SH.message, SH.name,
                       SH.description, RDF.type}
CLASS_TYPES = {RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")}  # a shape that is a class targets it
COMPONENT = {SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
             SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
             SH["in"]: SH.InConstraintComponent, SH.pattern: SH.PatternConstraintComponent,
             SH.minInclusive: SH.MinInclusiveConstraintComponent, SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
             SH.minLength: SH.MinLengthConstraintComponent, SH.lessThan: SH.LessThanConstraintComponent,
             SH["or"]: SH.OrConstraintComponent, SH["not"]: SH.NotConstraintComponent}


_NO_VALUES: dict = {}  # a node with no outgoing triples (never written to)


class UnsupportedShape(ValueError):
    """The shapes file uses SHACL this engine does not implement; use pySHACL."""


@dataclass
class Check:
    path: URIRef | None
    severity: URIRef
    message: str
    min_count: int | None  # sh:minCount / sh:maxCount
    max_count: int | None
    tests: list = field(default_factory=list)  # compiled value tests: (index, focus, value) -> bool
    components: list = field(default_factory=list)  # the constraint component of each test, in order
    lo: int = field(init=False)  # min_count, max_count as bounds of the value count (none: 0, no limit)
    hi: int = field(init=False)

    def __post_init__(self) -> None:
        self.lo = self.min_count if self.min_count is not None else 0
        self.hi = self.max_count if self.max_count is not None else sys.maxsize


@dataclass
class SparqlCheck:
    query: str
    message: str
    predicates: frozenset[URIRef] | None  # what the query can see (None: any predicate)


def query_predicates(query: str) -> frozenset[URIRef] | None:
    """The predicates a SELECT's triple patterns use, or None if one is a variable or a path.

    A SPARQL constraint then runs on the article's triples with those predicates only, not on all of them.
    """
    found: set[URIRef] = set()

    def walk(node: Any) -> bool:
        if isinstance(node, CompValue):
            if node.name == "BGP":
                for _, pred, _ in node.triples:
                    if not isinstance(pred, URIRef):
                        return False
                    found.add(pred)
            return all(walk(v) for v in node.values())
        if isinstance(node, (list, tuple)):
            return all(walk(v) for v in node)
        return True

    return frozenset(found) if walk(prepareQuery(query).algebra) else None


@dataclass
class NodeShape:
    iri: Any
    targets: list[URIRef]  # classes (sh:targetClass, or the shape itself when it is a class)
    target_nodes: list = field(default_factory=list)  # sh:targetNode
    subjects_of: list = field(default_factory=list)  # sh:targetSubjectsOf
    objects_of: list = field(default_factory=list)  # sh:targetObjectsOf
    checks: list[Check] = field(default_factory=list)
    any_of: list[list[Check]] = field(default_factory=list)  # node-level sh:or
    not_class: list[URIRef] = field(default_factory=list)
    sparql: list[SparqlCheck] = field(default_factory=list)
    severity: URIRef = SH.Violation
    message: str = ""


@dataclass
class Index:
    """Subject -> predicate -> values, and every node's classes with their super-classes."""

    out: dict[Any, dict[Any, list]]
    types: dict[Any, set]


def _literal_ok(value: Any) -> bool:
    return isinstance(value, Literal) and not getattr(value, "ill_typed", False)


def _datatype(value: Literal) -> URIRef:
    if value.language:
        return LANG_STRING
    return value.datatype or XSD_STRING


class CompiledShapes:
    def __init__(self, shapes: Graph, ontology: Graph):
        # One object per IRI for every term the checks compare against, and the data's predicates and IRIs
        # mapped onto them while indexing: dict and set lookups then match by identity and never call rdflib's
        # Python-level __eq__ (most of the engine's time before).
        self.canon: dict[URIRef, URIRef] = {RDF_TYPE: RDF_TYPE}
        c = self._canonical
        self.supers: dict[Any, frozenset] = {}
        for cls in set(ontology.objects(None, RDF.type)) | set(ontology.subjects(RDFS.subClassOf, None)) | \
                set(ontology.objects(None, RDFS.subClassOf)):
            self.supers[c(cls)] = frozenset(c(x) for x in ontology.transitive_objects(cls, RDFS.subClassOf))
        self.vocabulary: dict[Any, set] = {}
        for concept in set(ontology.subjects(SKOS.inScheme, None)):
            for cls in ontology.objects(concept, RDF.type):
                self.vocabulary.setdefault(c(concept), set()).update(self.supers.get(c(cls), {c(cls)}))
        self.prefixes = {str(p): str(ns) for p, ns in shapes.namespaces()}
        declared = {}
        for decl in shapes.objects(None, SH.declare):
            declared[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
        self.shapes = [self._shape(shapes, s, declared) for s in self._top_level_shapes(shapes)]

    @staticmethod
    def _top_level_shapes(g: Graph) -> list:
        """Every shape that has focus nodes of its own, as pySHACL finds them: declared node and property
        shapes, and anything with a target (typed or not). Property shapes reached through sh:property
        (or a list) are validated inside their parent, never on their own."""
        found = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
        for t in TARGETS:
            found |= set(g.subjects(t, None))
        nested = set(g.objects(None, SH.property))
        return sorted((s for s in found if s not in nested or any(g.triples((s, t, None)) for t in TARGETS)), key=str)

    def _shape(self, g: Graph, s: Any, declared: dict[str, str]) -> NodeShape:
        """A node shape, or a top-level property shape with a target (compiled as a node shape with one check)."""
        if g.value(s, SH.path) is None:
            return self._node_shape(g, s, declared)
        shape = NodeShape(iri=s, targets=[], severity=g.value(s, SH.severity) or SH.Violation,
                          message=str(g.value(s, SH.message) or ""))
        self._targets(g, s, shape)
        shape.checks.append(self._check(g, s, exclude=TARGETS))
        return shape

    def _targets(self, g: Graph, s: Any, shape: NodeShape) -> None:
        c = self._canonical
        shape.targets = [c(t) for t in g.objects(s, SH.targetClass)]
        if any((s, RDF.type, k) in g for k in CLASS_TYPES):  # SHACL 2.1.3.3: implicit class target
            shape.targets.append(c(s))
        shape.target_nodes = [c(n) for n in g.objects(s, SH.targetNode)]
        shape.subjects_of = [c(p) for p in g.objects(s, SH.targetSubjectsOf)]
        shape.objects_of = [c(p) for p in g.objects(s, SH.targetObjectsOf)]

    def _canonical(self, term: Any) -> Any:
        return self.canon.setdefault(term, term) if type(term) is URIRef else term

    # ------------------------------------------------------------------ compile
    def _node_shape(self, g: Graph, s: Any, declared: dict[str, str]) -> NodeShape:
        unknown = {p for p in g.predicates(s, None) if str(p).startswith(str(SH))} - NODE_KEYS
        if unknown:
            raise UnsupportedShape(f"{s}: unsupported node-level SHACL {sorted(unknown)}")
        shape = NodeShape(iri=s, targets=[], severity=g.value(s, SH.severity) or SH.Violation,
                          message=str(g.value(s, SH.message) or ""))
        self._targets(g, s, shape)
        for p in g.objects(s, SH.property):
            shape.checks.append(self._check(g, p))
        for lst in g.objects(s, SH["or"]):
            shape.any_of.append([self._check(g, alt) for alt in Collection(g, lst)])
        for neg in g.objects(s, SH["not"]):
            classes = list(g.objects(neg, SH["class"]))
            if set(g.predicates(neg, None)) - {SH["class"]} or not classes:
                raise UnsupportedShape(f"{s}: sh:not supports only [ sh:class C ]")
            shape.not_class += [self._canonical(c) for c in classes]
        for c in g.objects(s, SH.sparql):
            select = str(g.value(c, SH.select))
            prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in declared.items())
            query = prefixes + select.replace("$this", "?this")
            seen = query_predicates(query)
            seen = frozenset(self._canonical(p) for p in seen) if seen is not None else None
            shape.sparql.append(SparqlCheck(query, str(g.value(c, SH.message) or ""), seen))
        return shape

    def _check(self, g: Graph, node: Any, exclude: frozenset | set = frozenset(), inside_or: bool = False) -> Check:
        preds = set(g.predicates(node, None)) - set(exclude)
        unknown = {p for p in preds if str(p).startswith(str(SH))} - PARAMS - IGNORED
        if unknown:
            raise UnsupportedShape(f"{node}: unsupported SHACL {sorted(unknown)}")
        path = self._canonical(g.value(node, SH.path))
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShape(f"{node}: only IRI paths are supported")
        if path is not None and inside_or:
            raise UnsupportedShape(f"{node}: a property shape (sh:path) inside a property-level sh:or is not supported")
        params: dict[URIRef, Any] = {}
        for p in preds & PARAMS:
            value = g.value(node, p)
            if p == SH["in"]:
                value = frozenset(self._canonical(v) for v in Collection(g, value))
            elif p == SH["or"]:
                value = [self._check(g, alt, inside_or=path is not None) for alt in Collection(g, value)]
            elif p == SH.pattern:
                value = re.compile(str(value))
            elif p in (SH.minCount, SH.maxCount, SH.minLength):
                value = int(value)
            elif p in (SH.minInclusive, SH.maxInclusive):
                value = value.toPython()
            params[p] = self._canonical(value)
        return Check(path=path, severity=g.value(node, SH.severity) or SH.Violation,
                     message=str(g.value(node, SH.message) or ""),
                     min_count=params.get(MIN_COUNT), max_count=params.get(MAX_COUNT),
                     tests=[self._compile(p, v) for p, v in params.items() if p not in (MIN_COUNT, MAX_COUNT)],
                     components=[COMPONENT[p] for p in params if p not in (MIN_COUNT, MAX_COUNT)])

    def _compile(self, p: URIRef, want: Any):
        """One SHACL value constraint as a function of (index, focus node, value)."""
        if p == CLASS:
            return lambda idx, focus, v: want in idx.types.get(v, ())
        if p == DATATYPE:
            def datatype(idx, focus, v):  # _literal_ok(v) and _datatype(v) == want, in one call
                if not isinstance(v, Literal) or getattr(v, "ill_typed", False):
                    return False
                return str.__eq__(LANG_STRING if v.language else v.datatype or XSD_STRING, want)  # C-level compare
            return datatype
        if p == IN:
            return lambda idx, focus, v: v in want
        if p == PATTERN:
            return lambda idx, focus, v: not isinstance(v, BNode) and want.search(str(v)) is not None
        if p in (MIN_INCL, MAX_INCL):
            above = p == MIN_INCL

            def bound(idx, focus, v):
                try:
                    x = v.toPython()
                    return x >= want if above else x <= want
                except (AttributeError, TypeError):
                    return False
            return bound
        if p == MIN_LENGTH:
            return lambda idx, focus, v: not isinstance(v, BNode) and len(str(v)) >= want
        if p == LESS_THAN:
            def less(idx, focus, v):
                try:
                    return all(v.toPython() < w.toPython() for w in idx.out.get(focus, {}).get(want, ()))
                except (AttributeError, TypeError):
                    return False
            return less
        if p == OR:
            return lambda idx, focus, v: any(all(t(idx, focus, v) for t in alt.tests) for alt in want)
        raise UnsupportedShape(f"unsupported constraint {p}")

    # ------------------------------------------------------------------ validate
    def index(self, triples: Iterable[tuple]) -> Index:
        out: dict[Any, dict[Any, list]] = {}
        types: dict[Any, set] = {}
        canon = self.canon
        for s, p, o in triples:
            p = canon.get(p, p)
            if type(o) is URIRef:
                o = canon.get(o, o)
            out.setdefault(s, {}).setdefault(p, []).append(o)
            if p is RDF_TYPE:
                types.setdefault(s, set()).update(self.supers.get(o, (o,)))
        for concept, classes in self.vocabulary.items():
            types.setdefault(concept, set()).update(classes)
        return Index(out=out, types=types)

    @staticmethod
    def _check_ok(idx: Index, focus: Any, check: Check, by_p: dict | None = None) -> bool:
        """Whether `focus` passes `check` (`by_p`: the focus node's predicate -> values, if already looked up)."""
        if check.path is not None:
            values = (idx.out.get(focus, _NO_VALUES) if by_p is None else by_p).get(check.path, ())
        else:
            values = (focus,)
        if not check.lo <= len(values) <= check.hi:
            return False
        tests = check.tests
        if tests:
            for v in values:  # loops, not all() over a generator: most checks see one value
                for t in tests:
                    if not t(idx, focus, v):
                        return False
        return True

    @staticmethod
    def failed_components(idx: Index, focus: Any, check: Check) -> list[URIRef]:
        """Which constraint components of a failed check fail (only called on failure: the slow path)."""
        values = idx.out.get(focus, {}).get(check.path, ()) if check.path is not None else (focus,)
        out = []
        if check.min_count is not None and len(values) < check.min_count:
            out.append(SH.MinCountConstraintComponent)
        if check.max_count is not None and len(values) > check.max_count:
            out.append(SH.MaxCountConstraintComponent)
        for test, component in zip(check.tests, check.components):
            if not all(test(idx, focus, v) for v in values):
                out.append(component)
        return out

    def focus_nodes(self, shape: NodeShape, idx: Index, by_class: dict) -> list:
        nodes = [n for t in shape.targets for n in by_class.get(t, ())]
        nodes += shape.target_nodes
        if shape.subjects_of or shape.objects_of:
            for s, by_p in idx.out.items():
                for p in shape.subjects_of:
                    if p in by_p:
                        nodes.append(s)
                for p in shape.objects_of:
                    nodes.extend(by_p.get(p, ()))
        return list(dict.fromkeys(nodes))

    def violations(self, triples: Iterable[tuple], details: list | None = None) -> tuple[dict[Any, list[str]], int]:
        """Focus nodes that violate a shape (with messages), and the number of warnings.

        With `details`, appends (focus, path, message, severity, shape, component) for every failed
        constraint component.
        """
        idx = self.index(triples)
        bad: dict[Any, list[str]] = {}
        warnings = 0
        by_class: dict[Any, list] = {}
        for node, classes in idx.types.items():
            for c in classes:
                by_class.setdefault(c, []).append(node)
        check_ok, out = self._check_ok, idx.out
        for shape in self.shapes:
            focus_nodes = self.focus_nodes(shape, idx, by_class)
            for focus in focus_nodes:
                by_p = out.get(focus, _NO_VALUES)
                failed: list[tuple[URIRef, str, Any, URIRef]] = []
                for check in shape.checks:
                    if not check_ok(idx, focus, check, by_p):
                        for component in self.failed_components(idx, focus, check):
                            failed.append((check.severity, check.message, check.path, component))
                for alternatives in shape.any_of:
                    if not any(check_ok(idx, focus, alt, by_p) for alt in alternatives):
                        failed.append((shape.severity, shape.message, None, SH.OrConstraintComponent))
                for c in shape.not_class:
                    if c in idx.types.get(focus, ()):
                        failed.append((shape.severity, shape.message, None, SH.NotConstraintComponent))
                for severity, message, path, component in failed:
                    if details is not None:
                        details.append((focus, path, message, severity, shape.iri, component))
                    if severity == VIOLATION:
                        bad.setdefault(focus, []).append(message)
                    else:
                        warnings += 1
            for constraint in shape.sparql if focus_nodes else ():
                seen = constraint.predicates
                store = ox.Store()
                store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph())
                             for s, by_p in idx.out.items() for p, values in by_p.items()
                             if seen is None or p in seen for o in values)
                targets = set(focus_nodes)
                message = constraint.message
                for row in store.query(constraint.query):
                    node = to_rdflib(row["this"])
                    if node in targets:
                        bad.setdefault(node, []).append(message)
                        if details is not None:
                            details.append((node, None, message, VIOLATION, shape.iri,
                                            SH.SPARQLConstraintComponent))
        return bad, warnings


@lru_cache(maxsize=1)
def compiled() -> CompiledShapes:
    return CompiledShapes(Graph().parse(shapes_path()), load_ontology())
