"""Keep the happenings graph in step with the article graphs: after a build, only the blocks touched change.

The groups to redo are those of the reports of every article written or removed since the last refresh,
of reports naming an actor whose description is new (a minister now known to act for his country matches
as the country), and of happenings that lost a report. Each touched group is clustered afresh from all its
reports (read in one scan of the store), and
the happenings graph changes by the difference, in one transaction. A build stopped between its articles and
its happenings leaves a marker in the store (kg/store/graph_store.py), and the next one redoes every group. Since a block's
happenings depend on its reports only, building articles in any order, at once or in parts, gives the same
graph (tests/test_happenings.py checks it).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespace import DIP
from ..store.graph_store import GraphStore
from ..store.graphs import change_graph, graph_quads
from ..store.quads import HAPPENINGS_GRAPH
from .clustering import Happening, blocks_of, happenings
from .matching import Matcher
from .rdf import happening_quads
from .reports import read_reports

REPORTED_BY = ox.NamedNode(str(DIP.reportedBy))


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
    """Every happening of the happenings graph and the events that report it."""
    members: dict[str, set[str]] = {}
    for q in _in_happenings(store, None, REPORTED_BY, None):
        members.setdefault(q.subject.value, set()).add(q.object.value)
    return members


def _happenings_of(store: GraphStore, events: set[str]) -> set[str]:
    return {q.subject.value for e in events for q in _in_happenings(store, None, REPORTED_BY, ox.NamedNode(e))}


def _members(store: GraphStore, happenings: set[str]) -> set[str]:
    return {q.object.value for h in happenings for q in _in_happenings(store, ox.NamedNode(h), REPORTED_BY, None)}


def _in_happenings(store: GraphStore, s, p, o):
    """The happenings graph's quads that match a pattern."""
    return store.ox.quads_for_pattern(s, p, o, HAPPENINGS_GRAPH)


def _subjects(store: GraphStore, props: tuple, objects: set[str]) -> set[str]:
    return {q.subject.value for o in objects for p in props
            for q in store.ox.quads_for_pattern(None, ox.NamedNode(str(p)), ox.NamedNode(o), None)}


def _refreshed(store: GraphStore) -> None:
    """The happenings graph is up to date with every article: forget the changes, remove the store's marker (a
    build's articles and its happenings are two transactions; the marker says a stopped build left the second)."""
    store.changed_articles.clear()
    store.changed_entities.clear()
    store.replaced_events.clear()
    store.happenings_stale = False
    if store.marker is not None and store.marker.exists():
        store.marker.unlink()


def refresh_happenings(store: GraphStore, everything: bool = False) -> Refresh:
    """Bring the happenings graph up to date with the articles the store wrote or removed since the last refresh
    (`store.changed_articles`), or, with `everything` (or after a build that stopped before its happenings), redo
    every group."""
    start = time.perf_counter()
    everything = everything or store.happenings_stale
    if not everything and not store.changed_articles and not store.changed_entities:
        _refreshed(store)
        return Refresh(seconds=time.perf_counter() - start)
    # one scan of the store's reports: measured at 10k articles, faster than looking up the events of the touched
    # blocks one by one (a build's articles name the big countries, whose blocks are a large share)
    reports, actors = read_reports(store)
    m = Matcher(actors)
    groups = blocks_of(reports, m)
    if everything:
        affected, old = set(groups), set(current_members(store))
    else:
        # the reports this build touched: of the articles written, naming an actor described anew, and those
        # that shared a happening with a report now gone or changed
        seeds = _subjects(store, (DIP.article,), store.changed_articles)
        seeds |= _subjects(store, (DIP.sourceActor, DIP.targetActor),
                           store.changed_entities | _subjects(store, (DIP.represents,), store.changed_entities))
        stale = _happenings_of(store, seeds | store.replaced_events)
        seeds |= _members(store, stale)
        affected = {k for k, rs in groups.items() if any(r.event in seeds for r in rs)}
        old = stale | _happenings_of(store, {r.event for k in affected for r in groups[k]})
    new: list[Happening] = happenings({k: groups[k] for k in affected}, m)
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
    _refreshed(store)
    return Refresh(reports=sum(len(groups[k]) for k in affected), blocks=len(affected), happenings=len(new),
                   written=len({q.subject.value for q in added}), dissolved=dissolved,
                   seconds=time.perf_counter() - start)
