"""Keep the happenings graph in step with the article graphs: after a build, only the blocks touched change.

The blocks to redo are those of the reports of every article written or removed since the last refresh,
those of reports naming an actor whose description is new (a minister now known to act for his country
matches as the country), those of happenings that lost a report, and those of reports no happening holds yet (so a build stopped
between its articles and its happenings is mended by the next one). Each such block is clustered afresh from
all its reports, and the happenings graph changes by the difference, in one transaction. Since a block's
happenings depend on its reports only, building articles in any order, at once or in parts, gives the same
graph (tests/test_happenings.py checks it).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..store.graph_store import GraphStore
from ..store.graphs import change_graph, graph_quads
from ..store.quads import HAPPENINGS_GRAPH
from .clustering import Happening, blocks_of, happenings
from .matching import Matcher
from .rdf import happening_quads
from .reports import read_reports

MEMBERS = "SELECT ?happening ?event WHERE { GRAPH <%s> { ?happening dip:reportedBy ?event } }" % HAPPENINGS_GRAPH.value


@dataclass
class Refresh:
    """What a refresh did."""

    reports: int = 0  # article-level events that may report a happening
    blocks: int = 0  # blocks clustered again
    happenings: int = 0  # happenings in those blocks now
    written: int = 0  # happenings added or changed
    dissolved: int = 0  # happenings gone
    seconds: float = 0.0


def current_members(store: GraphStore) -> dict[str, set[str]]:
    members: dict[str, set[str]] = {}
    for row in store.query(MEMBERS):
        members.setdefault(row["happening"].value, set()).add(row["event"].value)
    return members


def refresh_happenings(store: GraphStore, everything: bool = False) -> Refresh:
    """Bring the happenings graph up to date with the articles the store wrote or removed since the last refresh
    (`store.changed_articles`), or, with `everything`, redo every block (`kg happenings --rebuild`)."""
    start = time.perf_counter()
    changed = set(store.changed_articles)
    reports, actors = read_reports(store)
    m = Matcher(actors)
    blocks = blocks_of(reports, m)
    block_of = {r.event: key for key, rs in blocks.items() for r in rs}
    current = current_members(store)
    held = {e for members in current.values() for e in members}
    if everything:
        affected, old = set(blocks), set(current)
    else:
        stale = {h for h, members in current.items()
                 if any(e not in block_of or reports[e].article in changed for e in members)}
        described = set(store.changed_entities)  # 'Blinken' now known to act for the US: his reports' block moves

        def touched(r) -> bool:
            return (r.article in changed or r.event not in held
                    or any(a in described for actor in r.sources + r.targets for a in m.chain(actor)))

        affected = {key for key, rs in blocks.items() if any(touched(r) for r in rs)}
        affected |= {block_of[e] for h in stale for e in current[h] if e in block_of}
        old = stale | {h for h, members in current.items() if any(block_of.get(e) in affected for e in members)}
    new: list[Happening] = happenings({k: blocks[k] for k in affected}, m)
    old_quads: dict[str, set] = {}
    for q in graph_quads(store, HAPPENINGS_GRAPH, old):
        old_quads.setdefault(q.subject.value, set()).add(q)
    removed: list = []
    added: list = []
    for h in new:
        quads = happening_quads(h)
        before = old_quads.pop(h.iri, None)
        if before is None:
            added += quads
        elif before != set(quads):  # changed: its old triples out, its new ones in
            removed += before - set(quads)
            added += set(quads) - before
    dissolved = len(old_quads)
    for quads in old_quads.values():
        removed += quads
    if removed or added:
        change_graph(store, sorted(removed, key=str), added)
    store.changed_articles.clear()
    store.changed_entities.clear()
    return Refresh(reports=len(block_of), blocks=len(affected), happenings=len(new),
                   written=len({q.subject.value for q in added}), dissolved=dissolved,
                   seconds=time.perf_counter() - start)
