"""Validate graphs with the SHACL shapes in ontology/shapes.ttl, in memory, never through the store.

`check` is the per-article path of `kg build` (the compiled shapes of kg.graph.shapes_engine, whose results
also make the quarantine report); `validate_graph` runs pySHACL, the reference, for `kg validate`.

Instead of mixing the whole ontology into every data graph, `prepare` adds just the super-class
types of the nodes present and the typing of the controlled-vocabulary concepts they point to:
the same entailments the shapes need, at a fraction of the cost, so per-article validation stays
cheap and linear in the corpus.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from ..namespace import DIP
from ..resources import load_ontology as ontology
from ..resources import shapes_path


@dataclass
class Report:
    conforms: bool
    graph: Graph
    text: str
    violations: dict[URIRef, list[str]]  # focus node -> messages (severity Violation only)
    warnings: int


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(shapes_path())


@lru_cache(maxsize=1)
def _superclasses() -> dict[URIRef, frozenset[URIRef]]:
    g = ontology()
    out: dict[URIRef, frozenset[URIRef]] = {}
    for cls in set(g.subjects(RDF.type, None)) | set(g.objects(None, RDFS.subClassOf)):
        if isinstance(cls, URIRef):
            out[cls] = frozenset(o for o in g.transitive_objects(cls, RDFS.subClassOf) if isinstance(o, URIRef))
    return out


@lru_cache(maxsize=1)
def _vocabulary() -> Graph:
    """Typing of the SKOS concepts (factuality, sectors, topics) with their super-classes."""
    g = ontology()
    sup = _superclasses()
    vocab = Graph()
    for concept in set(g.subjects(SKOS.inScheme, None)):
        for cls in g.objects(concept, RDF.type):
            for c in sup.get(cls, frozenset({cls})):
                vocab.add((concept, RDF.type, c))
    return vocab


def prepare(data) -> Graph:
    """A copy of `data` (any iterable of triples) with the class entailments the shapes rely on."""
    sup = _superclasses()
    g = Graph()
    for t in data:
        g.add(t)
        if t[1] == RDF.type:
            for c in sup.get(t[2], ()):  # type: ignore[arg-type]
                g.add((t[0], RDF.type, c))
    for t in _vocabulary():
        g.add(t)
    return g


def validate_graph(data) -> Report:
    """pySHACL, the reference validator, over a Graph or any iterable of triples."""
    conforms, report_graph, text = shacl_validate(prepare(data), shacl_graph=shapes(), inference="none",
                                                  allow_warnings=True, advanced=True)
    violations: dict[URIRef, list[str]] = {}
    warnings = 0
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        severity = report_graph.value(result, SH.resultSeverity)
        if severity != SH.Violation:
            warnings += 1
            continue
        focus = report_graph.value(result, SH.focusNode)
        message = report_graph.value(result, SH.resultMessage) or Literal("constraint violated")
        path = report_graph.value(result, SH.resultPath)
        violations.setdefault(focus, []).append(f"{message}" + (f" (path {path.n3(report_graph.namespace_manager)})" if isinstance(path, URIRef) else ""))
    return Report(conforms=bool(conforms), graph=report_graph, text=str(text), violations=violations, warnings=warnings)


def check(data) -> Report:
    """The fast path: the compiled shapes (kg.graph.shapes_engine) over any iterable of triples.

    When something fails, the report graph holds standard sh:ValidationResult nodes (focus node,
    path, message, severity, source shape), as pySHACL would write them.
    """
    from rdflib import BNode

    from .shapes_engine import compiled

    details: list = []
    violations, warnings = compiled().violations(data, details)
    g = Graph()
    if violations:
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(False)))
        for focus, path, message, severity, shape, component in details:
            if severity != SH.Violation:
                continue
            r = BNode()
            g.add((report, SH.result, r))
            g.add((r, RDF.type, SH.ValidationResult))
            g.add((r, SH.focusNode, focus))
            g.add((r, SH.resultMessage, Literal(message)))
            g.add((r, SH.resultSeverity, severity))
            g.add((r, SH.sourceShape, shape))
            g.add((r, SH.sourceConstraintComponent, component))
            if path is not None:
                g.add((r, SH.resultPath, path))
    return Report(conforms=not violations, graph=g, text="", violations=violations, warnings=warnings)


def summarize(report: Report, limit: int = 20) -> str:
    """A readable list of violations: one line per focus node and message."""
    lines = []
    for focus, messages in list(report.violations.items())[:limit]:
        for m in sorted(set(messages)):
            lines.append(f"  {focus}: {m}")
    more = len(report.violations) - limit
    if more > 0:
        lines.append(f"  ... and {more} more nodes")
    return "\n".join(lines)


__all__ = ["Report", "validate_graph", "check", "summarize", "prepare", "ontology", "shapes", "DIP"]
