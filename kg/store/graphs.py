"""Reading and changing one named graph of a store: an article's graph with the entities it names (validation),
and a derived graph (the happenings) read by subject and changed in one transaction."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..graph.terms import to_rdflib
from .graph_store import GraphStore
from .quads import ENTITY_GRAPH, ENTITY_PREFIXES


def article_graph(store: GraphStore, article: URIRef) -> Graph:
    """An article's own triples plus the entity descriptions it points to (for validation)."""
    store.settle()
    g = Graph()
    g_article = ox.NamedNode(str(article))
    for q in store.ox.quads_for_pattern(None, None, None, g_article):
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    seen: set = set()
    frontier = [o for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(ENTITY_PREFIXES)]
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in store.ox.quads_for_pattern(ox.NamedNode(str(node)), None, None, ENTITY_GRAPH):
            o = to_rdflib(q.object)
            g.add((node, to_rdflib(q.predicate), o))
            if isinstance(o, URIRef) and str(o).startswith(ENTITY_PREFIXES):
                frontier.append(o)
    return g


def graph_quads(store: GraphStore, graph: ox.NamedNode, subjects: set[str] | None = None) -> list[ox.Quad]:
    """The quads of one named graph, or of the given subjects in it."""
    store.settle()
    if subjects is None:
        return list(store.ox.quads_for_pattern(None, None, None, graph))
    return [q for s in sorted(subjects) for q in store.ox.quads_for_pattern(ox.NamedNode(s), None, None, graph)]


def change_graph(store: GraphStore, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
    """Remove and add quads in one transaction (a derived graph's update: all of it or none)."""
    store.settle()
    if not removed:
        # new quads only: Oxigraph's bulk ingestion, atomic across its indexes like a transaction, at a fraction
        # of the cost of a transactional insert (the first build of a store writes every happening)
        store.ox.bulk_extend(added)
        return
    store.ox.update(f"DELETE DATA {{ {_data(removed)} }} ;\nINSERT DATA {{ {_data(added)} }}")


def _data(quads: list[ox.Quad]) -> str:
    """Quads in SPARQL's DATA syntax; Oxigraph writes each term escaped as N-Triples."""
    return "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)
