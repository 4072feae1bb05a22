"""The compiled shapes flag exactly the nodes pySHACL flags: on the seeds graph and on every mutation kind."""
from __future__ import annotations

import pytest
from rdflib import Graph
from test_trust import MUTATIONS

from kg.graph.shapes_engine import CompiledShapes, UnsupportedShape
from kg.graph.validate import check, validate_graph
from kg.resources import load_ontology


def copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def test_agrees_with_pyshacl_on_the_seeds(seeds_graph):
    fast, slow = check(seeds_graph), validate_graph(seeds_graph)
    assert fast.conforms and slow.conforms
    assert fast.warnings == slow.warnings


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_agrees_with_pyshacl_on_every_mutation(seeds_graph, kind):
    g = copy(seeds_graph)
    MUTATIONS[kind](g)
    fast, slow = check(g), validate_graph(g)
    assert fast.conforms == slow.conforms
    assert set(fast.violations) == set(slow.violations)


def test_refuses_shapes_it_does_not_implement():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
             sh:property [ sh:path ex:p ; sh:qualifiedMinCount 1 ; sh:qualifiedValueShape [ sh:class ex:D ] ] .
    """, format="turtle")
    with pytest.raises(UnsupportedShape):
        CompiledShapes(shapes, load_ontology())


# ---------------------------------------------------------------------------- construct by construct
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
DATA = PREFIXES + """
ex:Sub rdfs:subClassOf ex:C .
ex:a a ex:C ; ex:p "x" , "yy" ; ex:n 5 ; ex:start 9 ; ex:end 3 ; ex:q ex:b .
ex:b a ex:D ; ex:p 7 ; ex:n "five" .
ex:c a ex:Sub ; ex:q ex:a .
ex:d ex:r ex:a .
"""
CONSTRUCTS = {
    "minCount": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:z ; sh:minCount 1 ] .",
    "maxCount": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .",
    "class": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:q ; sh:class ex:C ] .",
    "datatype": "ex:S a sh:NodeShape ; sh:targetClass ex:D ; sh:property [ sh:path ex:p ; sh:datatype xsd:string ] .",
    "in": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:in ( \"x\" \"z\" ) ] .",
    "pattern": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern \"^x$\" ] .",
    "minInclusive": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:n ; sh:minInclusive 6 ] .",
    "maxInclusive": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:n ; sh:maxInclusive 4 ] .",
    "minLength": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minLength 2 ] .",
    "lessThan": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:start ; sh:lessThan ex:end ] .",
    "property-level or": "ex:S a sh:NodeShape ; sh:targetClass ex:D ; sh:property [ sh:path ex:n ; "
                         "sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ] .",
    "node-level or": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
                     "sh:or ( [ sh:path ex:z ; sh:minCount 1 ] [ sh:path ex:y ; sh:minCount 1 ] ) .",
    "not class": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:not [ sh:class ex:Sub ] .",
    "top-level property shape": "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ; sh:maxCount 1 .",
    "untyped shape with a target": "ex:S sh:targetClass ex:D ; sh:property [ sh:path ex:z ; sh:minCount 1 ] .",
    "implicit class target": "ex:D a sh:NodeShape , rdfs:Class ; sh:property [ sh:path ex:z ; sh:minCount 1 ] .",
    "targetNode": "ex:S a sh:NodeShape ; sh:targetNode ex:b ; sh:property [ sh:path ex:z ; sh:minCount 1 ] .",
    "targetSubjectsOf": "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:property [ sh:path ex:z ; sh:minCount 1 ] .",
    "targetObjectsOf": "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:q ; sh:property [ sh:path ex:z ; sh:minCount 1 ] .",
    "subclass instances": "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:n ; sh:minCount 1 ] .",
}


def _results(report: Graph) -> set[tuple]:
    from rdflib.namespace import SH

    return {(report.value(r, SH.focusNode), report.value(r, SH.resultPath), report.value(r, SH.sourceConstraintComponent))
            for r in report.subjects(SH.focusNode, None)}


@pytest.mark.parametrize("construct", sorted(CONSTRUCTS))
def test_agrees_with_pyshacl_construct_by_construct(construct):
    """Same (focus node, path, constraint component) triples as pySHACL, for each construct on its own."""
    from pyshacl import validate as shacl_validate
    from rdflib import RDFS

    shapes = Graph().parse(data=PREFIXES + CONSTRUCTS[construct], format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    conforms, reference, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True)
    expected = _results(reference)
    assert expected, f"{construct}: the fixture must make pySHACL report something"
    hierarchy = Graph()
    for t in data.triples((None, RDFS.subClassOf, None)):
        hierarchy.add(t)
    details: list = []
    CompiledShapes(shapes, hierarchy).violations(data, details)
    assert {(focus, path, component) for focus, path, _, _, _, component in details} == expected


def test_refuses_a_property_shape_inside_a_property_level_or():
    """pySHACL reports a violation here; the engine must not pass it silently, so it refuses the file."""
    shapes = Graph().parse(data=PREFIXES + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
             sh:property [ sh:path ex:q ; sh:or ( [ sh:path ex:z ; sh:minCount 1 ] [ sh:class ex:E ] ) ] .
    """, format="turtle")
    with pytest.raises(UnsupportedShape, match="inside a property-level sh:or"):
        CompiledShapes(shapes, Graph())
