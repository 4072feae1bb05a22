"""The ontology and shapes are well formed, documented, and define every term code, shapes and queries use."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.lexicon.entries import load_lexicon
from kg.namespace import DIP, PREFIXES
from kg.resources import load_ontology, ontology_path, queries_dir, shapes_path

ROOT = Path(__file__).resolve().parent.parent
PLOVER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
CHECKED_NS = {str(v) for k, v in PREFIXES.items() if k in ("dip", "sem", "nif", "prov", "dcterms", "skos")}


@pytest.fixture(scope="module")
def ont() -> Graph:
    return load_ontology()


def defined_terms(ont: Graph) -> set[URIRef]:
    return {s for s in ont.subjects(RDFS.label, None) if isinstance(s, URIRef)}


def test_header(ont):
    header = next(ont.subjects(RDF.type, OWL.Ontology))
    for prop in (OWL.versionIRI, OWL.versionInfo, RDFS.label, RDFS.comment, URIRef("http://purl.org/dc/terms/license")):
        assert ont.value(header, prop) is not None, prop


def test_every_class_and_property_is_documented(ont):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {s for k in kinds for s in ont.subjects(RDF.type, k)}
    assert len(terms) > 80
    for t in terms:
        assert ont.value(t, RDFS.label) is not None, f"{t} has no rdfs:label"
        assert ont.value(t, RDFS.comment) is not None, f"{t} has no rdfs:comment"


def test_sixteen_plover_classes_and_cameo_codes(ont):
    top = {str(ont.value(c, DIP.ploverType)): c for c in ont.subjects(RDFS.subClassOf, DIP.Event)}
    assert sorted(top) == sorted(PLOVER)
    finer = [c for p in top.values() for c in ont.subjects(RDFS.subClassOf, p)]
    assert len(finer) >= 25
    for c in finer:
        code = ont.value(c, DIP.cameoCode)
        assert code is not None and re.fullmatch(r"\d{3,4}", str(code)), c
        parent = next(p for p in top.values() if (c, RDFS.subClassOf, p) in ont)
        assert ont.value(c, DIP.ploverType) == ont.value(parent, DIP.ploverType), c  # stated = inherited


def test_reuses_sem_prov_nif(ont):
    assert (DIP.Event, RDFS.subClassOf, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")) in ont
    assert (DIP.sourceActor, RDFS.subPropertyOf, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasActor")) in ont
    assert (DIP.Article, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in ont


def test_namespace_module_matches_ontology():
    sys.path.insert(0, str(ROOT / "tools"))
    from gen_namespace import generated_region, render

    source = (ROOT / "kg" / "namespace.py").read_text(encoding="utf-8")
    assert generated_region(source) == render(), "kg/namespace.py is stale: run python tools/gen_namespace.py"


def _iris_in(text: str) -> set[URIRef]:
    prefixes = dict(re.findall(r"(?:PREFIX|@prefix)\s+(\w+):\s*<([^>]+)>", text, re.I))
    found = {URIRef(i) for i in re.findall(r"<([^>]+)>", text)}
    for prefix, local in re.findall(r"\b(\w+):([A-Za-z][\w-]*)", text):
        if prefix in prefixes:
            found.add(URIRef(prefixes[prefix] + local))
    return {i for i in found if any(str(i).startswith(ns) and str(i) != ns for ns in CHECKED_NS)}


def test_shapes_and_queries_use_only_defined_terms(ont):
    defined = defined_terms(ont)
    texts = [shapes_path().read_text(encoding="utf-8")] + [p.read_text(encoding="utf-8") for p in queries_dir().glob("*.rq")]
    used = set().union(*(_iris_in(t) for t in texts))
    assert used, "no terms found"
    assert sorted(used - defined) == []


def test_code_uses_only_defined_terms(ont):
    defined = defined_terms(ont)
    used = set()
    for path in (ROOT / "kg").glob("*.py"):
        for name in re.findall(r"\bDIP\.(\w+)", path.read_text(encoding="utf-8")):
            if not name.startswith("_"):
                used.add(DIP[name])
    lex = load_lexicon()
    for rules in lex.rules.values():
        for rule in rules:
            used.add(DIP[rule.cls])
    assert sorted(u for u in used if u not in defined) == []


def test_shapes_are_valid_shacl():
    conforms, _, text = validate(Graph().parse(shapes_path()), meta_shacl=True)
    assert conforms, text


def test_every_actor_and_event_class_is_targeted_by_a_shape(ont):
    shapes = Graph().parse(shapes_path())
    targeted = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    for cls in ont.transitive_subjects(RDFS.subClassOf, DIP.Actor):
        supers = set(ont.transitive_objects(cls, RDFS.subClassOf))
        assert supers & targeted, f"no shape reaches {cls}"
    for cls in ont.transitive_subjects(RDFS.subClassOf, DIP.Event):
        assert set(ont.transitive_objects(cls, RDFS.subClassOf)) & targeted, cls


def test_ontology_file_parses_standalone():
    assert len(Graph().parse(ontology_path())) > 500
