"""Keep the happenings graph in step with the article graphs: after a build, only the groups touched change.

The groups to redo are those of the reports of every article written or removed since the last refresh,
of reports naming an actor whose description is new (a minister now known to act for his country matches
as the country), and of happenings that lost a report. A group is a block's stretch of reports whose days meet
one another; every happening keeps its block (dip:matchingBlock) and the days its reports fall on
(dip:matchingPeriod), so a build finds the reports of the groups it touches by index look-ups and reads only
those, not the whole store. Each touched group is clustered afresh from all its reports, and the happenings
graph changes by the difference, in one transaction. A build stopped between its articles and its happenings
leaves a marker in the store (kg/store/graph_store.py), and a happenings graph clustered under other matching
rules carries their fingerprint (dip:matchingRules): either way the next build redoes every block. Since a
group's happenings depend on its reports only, building articles in any order, at once or in parts, gives the
same graph (tests/test_happenings.py checks it).
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
from .matching import UNDATED, Matcher, rules_fingerprint
from .rdf import happening_quads
from .reports import read_reports

REPORTED_BY = ox.NamedNode(str(DIP.reportedBy))
MATCHING_BLOCK = ox.NamedNode(str(DIP.matchingBlock))
MATCHING_RULES = ox.NamedNode(str(DIP.matchingRules))
MATCHING_PERIOD = ox.NamedNode(str(DIP.matchingPeriod))


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
    (`store.changed_articles`), or, with `everything` (or after a build that stopped before its happenings, or
    under other matching rules), redo every block."""
    start = time.perf_counter()
    rules = list(_in_happenings(store, HAPPENINGS_GRAPH, MATCHING_RULES, None))
    fingerprint = ox.Quad(HAPPENINGS_GRAPH, MATCHING_RULES, ox.Literal(rules_fingerprint()), HAPPENINGS_GRAPH)
    # a first refresh, or one under other rules, reads every report anyway: the whole store in one scan
    everything = everything or store.happenings_stale or rules != [fingerprint]
    if not everything and not store.changed_articles and not store.changed_entities:
        _refreshed(store)
        return Refresh(seconds=time.perf_counter() - start)
    if everything:
        reports, actors = read_reports(store)
        m = Matcher(actors)
        groups = blocks_of(reports, m)
        old = set(current_members(store))
    else:
        groups, m, old = _touched_groups(store)
    new: list[Happening] = happenings(groups, m)
    old_quads: dict[str, set] = {}
    for q in graph_quads(store, HAPPENINGS_GRAPH, old):
        old_quads.setdefault(q.subject.value, set()).add(q)
    removed: list = [q for q in rules if q != fingerprint]
    added: list = [] if fingerprint in rules else [fingerprint]
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
    return Refresh(reports=sum(len(rs) for rs in groups.values()), blocks=len({h.block for h in new}),
                   happenings=len(new), written=len({q.subject.value for q in added} - {HAPPENINGS_GRAPH.value}),
                   dissolved=dissolved, seconds=time.perf_counter() - start)


def _touched_groups(store: GraphStore) -> tuple[dict[tuple, list], Matcher, set[str]]:
    """The groups this build touched, each with all its reports, and the happenings they held.

    The reports touched are those of the articles written, those naming an actor described anew, and those that
    shared a happening with a report now gone or changed. A group is a block's stretch of reports whose days
    meet one another, so its other reports lie in the happenings kept under the days (or months) around a
    touched report's days (dip:matchingPeriod), or anywhere in the block if it holds a report of no date; those are
    looked up, their reports read, and so on until no read report has a neighbour unread. Only these reports
    are read (one look-up each), never the whole store."""
    seeds = _subjects(store, (DIP.article,), store.changed_articles)
    seeds |= _subjects(store, (DIP.sourceActor, DIP.targetActor),
                       store.changed_entities | _subjects(store, (DIP.represents,), store.changed_entities))
    old = _happenings_of(store, seeds | store.replaced_events)
    reports: dict = {}
    actors: dict = {}
    m = Matcher(actors)  # reads `actors` as it grows: an actor's key depends on its own description only
    asked: set[str] = set()  # matching periods and blocks looked up
    tried: set[str] = set()  # events read (a removed article's are gone: read, not found)
    pending = seeds | _members(store, old)
    while pending:
        tried |= pending
        got, described = read_reports(store, pending)
        reports.update(got)
        actors.update(described)
        wanted: set[str] = set()
        whole: set[str] = set()  # blocks with a report of no date: one group, all of it wanted
        for r in got.values():
            if m.eligible(r):
                block = m.block_id(r)
                wanted |= {*m.periods(r, neighbours=True), f"{block}@{UNDATED}"}
                if m.span(r) is None:
                    whole.add(block)
        found: set[str] = set()
        for key in wanted - asked:
            hits = _holding(store, MATCHING_PERIOD, key)
            found |= hits
            if hits and key.endswith(f"@{UNDATED}"):
                whole.add(key.rsplit("@", 1)[0])
        for block in whole - asked:
            found |= _holding(store, MATCHING_BLOCK, block)
        asked |= wanted | whole
        old |= found
        pending = _members(store, found) - tried
    return blocks_of(reports, m), m, old


def _holding(store: GraphStore, prop: ox.NamedNode, value: str) -> set[str]:
    """The happenings that keep this value of a matching property (an index look-up)."""
    return {q.subject.value for q in _in_happenings(store, None, prop, ox.Literal(value))}
