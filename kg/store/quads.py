"""How an article's triples become quads: its own named graph, and one shared graph for entities."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from ..graph.terms import to_ox
from ..namespace import DIP, RES

CONTENT_HASH = ox.NamedNode(str(DIP.contentHash))


ENTITY_GRAPH = ox.NamedNode(str(RES["graph/entities"]))
HAPPENINGS_GRAPH = ox.NamedNode(str(RES["graph/happenings"]))  # derived from the article graphs by kg/happenings


LOCAL_ACTORS = str(RES["actor/"])  # res:actor/ARTICLE-ID/...: an article's own actor, described in the article's graph
ARTICLES = str(RES["article/"])
ENTITY_PREFIXES = tuple(str(RES[p]) for p in ("country/", "person/", "org/", "group/", "place/", "agent/", "author/"))


def local_actor_article(iri: str) -> str | None:
    """The article graph an article's own actor is described in (res:actor/ID/... -> res:article/ID), else None."""
    if not iri.startswith(LOCAL_ACTORS):
        return None
    return ARTICLES + iri[len(LOCAL_ACTORS):].split("/", 1)[0]


def is_entity(term: Node) -> bool:
    """Whether a subject is described in the shared entity graph (a country, person, organisation, place, agent)."""
    return isinstance(term, URIRef) and str.startswith(term, ENTITY_PREFIXES)


def article_quads(article: URIRef, triples, known: set | None = None) -> list[ox.Quad]:
    """An article's triples as quads: its own graph, and the entity graph for what articles share.

    Entity triples in `known` (already written by this store) are left out, and the new ones added to it:
    a country's description recurs in most articles, and rewriting a quad costs the store as much as writing it.
    """
    g_article = ox.NamedNode(str(article))
    out = []
    entity_subject: dict = {}  # subject -> is it an entity (an article's triples share few subjects)
    new_entities = []
    for t in triples:
        s = t[0]
        shared = entity_subject.get(s)
        if shared is None:
            shared = entity_subject[s] = is_entity(s)
        if shared:
            if known is not None:
                if t in known:
                    continue
                new_entities.append(t)
            out.append(ox.Quad(to_ox(s), to_ox(t[1]), to_ox(t[2]), ENTITY_GRAPH))
        else:
            out.append(ox.Quad(to_ox(s), to_ox(t[1]), to_ox(t[2]), g_article))
    if known is not None:
        known.update(new_entities)  # converted: no term was refused
    return out


def _replace_update(articles: dict[str, list[ox.Quad]]) -> str:
    """One SPARQL update that drops each article's graph and inserts its new quads (Oxigraph runs an
    update as one transaction). Terms are written by Oxigraph itself (N-Triples syntax), never pasted text."""
    parts = [f"DROP SILENT GRAPH <{iri}> ;" for iri in articles]
    by_graph: dict[str, list[str]] = {}
    for quads in articles.values():
        for q in quads:
            by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())
    return "\n".join(parts) + f"\nINSERT DATA {{\n{body}\n}}"


def described_anew(store: ox.Store, quads: list[ox.Quad]) -> set[str]:
    """The entities these quads describe with a triple the entity graph does not hold yet: only those can change
    an actor's matching key (kg/happenings/refresh.py); a description the store has already changes nothing."""
    return {q.subject.value for q in quads if q.graph_name == ENTITY_GRAPH and q not in store}
