"""Push the graph into a running triplestore over the SPARQL 1.1 Graph Store HTTP Protocol.

One named graph per article, one entity graph and the happenings graph, as in the store. Each graph is compared with what
the server holds (GET, as N-Triples) and sent (PUT, which replaces the graph) only when they differ, so a
second push of the same store sends nothing. Works with any Graph Store endpoint: Oxigraph
(`/store`), Fuseki (`/DATASET/data`), GraphDB (`/repositories/REPO/rdf-graphs/service`), Virtuoso
(`/sparql-graph-crud-auth`, digest authentication).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox

from ..namespace import DIP, PROV
from ..store.graph_store import GraphStore
from ..store.quads import ENTITY_GRAPH, HAPPENINGS_GRAPH, local_actor_article

NTRIPLES = "application/n-triples"
ARTICLE = ox.NamedNode(str(DIP.Article))
HAPPENING = ox.NamedNode(str(DIP.Happening))
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
IN_ARTICLE = (ox.NamedNode(str(DIP.article)), ox.NamedNode(str(PROV.used)))  # events and sentences; the run


class PushError(Exception):
    """The server refused a request or cannot be reached; str() names the graph and the answer."""


@dataclass
class PushReport:
    sent: dict[str, int] = field(default_factory=dict)  # graph IRI -> triples sent (graphs replaced)
    unchanged: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"graphs: {len(self.sent)} replaced, {len(self.unchanged)} unchanged",
                f"triples sent: {sum(self.sent.values()):,}"]


def graphs_of(store: GraphStore) -> dict[str, set[ox.Triple]]:
    """The store's triples by named graph. A store loaded from a triples-only file (Turtle, N-Triples) has
    everything in the default graph: it is split back into article graphs and the entity graph the way a
    build lays it out (an article, and what points to it with dip:article or prov:used, in the article's
    graph, and so are the article's own actors, res:actor/ARTICLE-ID/...; happenings in the happenings graph;
    everything else in the entity graph)."""
    out: dict[str, set[ox.Triple]] = defaultdict(set)
    flat: list[ox.Triple] = []
    for q in store.ox.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.DefaultGraph):
            flat.append(q.triple)
        else:
            out[q.graph_name.value].add(q.triple)
    if flat:
        home: dict = {HAPPENINGS_GRAPH: HAPPENINGS_GRAPH.value}  # what the happenings graph says of itself
        for t in flat:
            if t.predicate == RDF_TYPE and t.object == ARTICLE:
                home[t.subject] = t.subject.value
            elif t.predicate == RDF_TYPE and t.object == HAPPENING:
                home[t.subject] = HAPPENINGS_GRAPH.value
        for t in flat:
            if t.predicate in IN_ARTICLE and t.object in home:
                home.setdefault(t.subject, home[t.object])
        for t in flat:
            graph = home.get(t.subject) or local_actor_article(t.subject.value)
            out[graph or ENTITY_GRAPH.value].add(t)
    return dict(out)


def _serialize(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)


def push(store: GraphStore, endpoint: str, auth: httpx.Auth | None = None, log: Callable[[str], None] = lambda m: None,
         timeout: float = 60.0) -> PushReport:
    """Replace each changed graph on the server; skip the ones it already holds as they are."""
    report = PushReport()
    with httpx.Client(auth=auth, timeout=timeout, follow_redirects=True) as client:
        for graph, triples in sorted(graphs_of(store).items()):
            if _remote(client, endpoint, graph) == triples:
                report.unchanged.append(graph)
                continue
            try:
                r = client.put(endpoint, params={"graph": graph}, content=_serialize(triples),
                               headers={"Content-Type": NTRIPLES})
            except httpx.HTTPError as exc:
                raise PushError(f"{endpoint}: cannot send graph {graph}: {exc}") from None
            if r.status_code not in (200, 201, 204):
                raise PushError(f"{endpoint}: graph {graph} refused: HTTP {r.status_code} {r.text.strip()[:200]}")
            report.sent[graph] = len(triples)
            log(f"replaced {graph} ({len(triples):,} triples)")
    return report


def _remote(client: httpx.Client, endpoint: str, graph: str) -> set[ox.Triple] | None:
    """The graph as the server holds it, or None when it has no such graph."""
    try:
        r = client.get(endpoint, params={"graph": graph}, headers={"Accept": NTRIPLES})
    except httpx.HTTPError as exc:
        raise PushError(f"{endpoint}: cannot reach the server: {exc}") from None
    if r.status_code == 404:
        return None
    if r.status_code in (401, 403):
        raise PushError(f"{endpoint}: HTTP {r.status_code}: the server wants credentials (--user, --password-env)")
    if r.status_code != 200:
        raise PushError(f"{endpoint}: reading graph {graph}: HTTP {r.status_code} {r.text.strip()[:200]}")
    try:
        fmt = ox.RdfFormat.from_media_type(r.headers.get("content-type", NTRIPLES).split(";")[0]) or ox.RdfFormat.N_TRIPLES
        return {q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(r.content, format=fmt)}
    except (SyntaxError, ValueError):
        return None  # unreadable: send ours
