"""The compiled shapes flag exactly the nodes pySHACL flags: on the seeds graph and on every mutation kind."""
from __future__ import annotations

import pytest
from rdflib import Graph

from kg.shapes_engine import CompiledShapes, UnsupportedShape
from kg.resources import load_ontology
from kg.validate import check, validate_graph

from test_trust import MUTATIONS


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
