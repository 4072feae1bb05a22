"""Reports -> happenings: one deterministic clustering per block, and what each happening says.

Within a block, reports are taken in a fixed order (by the first day their event may have happened, then
publication, then IRI) and each joins the first happening every one of whose reports it matches (complete
linkage: a chain of near dates never glues two strikes a week apart), else starts one. The order depends on
the reports only, never on how or when they were built, so the same articles give the same happenings in one
build or many, in any order. A happening whose reports all end before a report's first possible day can take
no more reports and leaves the candidates: near-linear in the block's size.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

from ..namespace import RES
from .matching import Matcher
from .reports import Report

FAR_FUTURE = dt.date.max


@dataclass
class Happening:
    iri: str
    reports: list[Report]  # in clustering order: the first is the anchor the IRI is minted from
    plover: str
    sources: list[str]
    targets: list[str]
    place: str | None
    date: str | None  # lexical; its datatype follows from its length (day, month, year)
    report_count: int
    outlet_count: int
    first_reported: dt.date | None
    last_reported: dt.date | None
    confidence: float
    label: str
    block: str  # the block its reports share (Matcher.block_id)
    periods: list[str]  # the block's days (or months) its reports' days fall on (Matcher.periods)


def happening_iri(anchor: Report) -> str:
    return f"{RES}happening/{hashlib.sha256(anchor.event.encode('utf-8')).hexdigest()[:16]}"


def _order(m: Matcher, r: Report) -> tuple:
    span = m.span(r)
    return (span is None, span.start if span else FAR_FUTURE, r.published or FAR_FUTURE, r.event)


def cluster_block(reports: list[Report], m: Matcher) -> list[list[Report]]:
    """The happenings of one block's reports, each a list of reports in clustering order."""
    clusters: list[list[Report]] = []
    ends: list[dt.date] = []  # the last day any report of the cluster may be about (FAR_FUTURE: undated only)
    active: list[int] = []
    slack = dt.timedelta(days=m.rules.explicit_tolerance_days)
    for r in sorted(reports, key=lambda r: _order(m, r)):  # already in order from blocks_of: a cheap sort
        span = m.span(r)
        if span is not None:
            active = [i for i in active if ends[i] + slack >= span.start]
        candidates = active if span is not None else range(len(clusters))
        for i in candidates:
            if all(m.why_not(r, other) is None for other in clusters[i]):
                clusters[i].append(r)
                if span is not None:
                    ends[i] = span.end if ends[i] == FAR_FUTURE else max(ends[i], span.end)
                break
        else:
            clusters.append([r])
            ends.append(span.end if span is not None else FAR_FUTURE)
            active.append(len(clusters) - 1)
    return clusters


def _most_common(values: list):
    """The value most often given; of equals, the one given first (reports are in clustering order)."""
    if not values:
        return None
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _representative(m: Matcher, key: str, members: list[str]) -> str:
    """The actor a happening names for a matching key: the country itself for a state, else the member actor
    most reports name."""
    country = f"{RES}country/{key}"
    if len(key) == 3 and key.isupper() and country in m.actors:
        return country
    return _most_common([a for a in members if m.actor_key(a) == key])


def summarise(reports: list[Report], m: Matcher) -> Happening:
    """What a cluster of reports says as one happening: the values most reports agree on."""
    anchor = reports[0]
    plover = _most_common([r.plover for r in reports])
    if anchor.plover in m.rules.undirected:
        source_keys, target_keys = _most_common([(m.keys(r.sources), m.keys(r.targets)) for r in reports])
    else:
        source_keys = m.keys(anchor.sources)
        target_keys = next((m.keys(r.targets) for r in reports if r.targets), ())
    named_sources = [a for r in reports for a in r.sources + r.targets]
    sources = [_representative(m, k, named_sources) for k in source_keys]
    targets = [_representative(m, k, named_sources) for k in target_keys]
    days = [r.date for r in reports if r.date and len(r.date) == 10]
    stated = [r.date for r in reports if r.date]
    published = sorted(r.published for r in reports if r.published is not None)
    date = _most_common(days) or _most_common(stated) or (published[0].isoformat() if published else None)
    places = [r.place for r in reports if r.place]
    cities = [p for p in places if not m.is_country(p)]
    place = _most_common(cities) or _most_common(places)
    best: dict[str, float] = {}  # one outlet repeating itself vouches once: its best report counts
    for r in reports:
        best[r.outlet] = max(best.get(r.outlet, 0.0), r.confidence)
    doubt = 1.0
    for c in best.values():
        doubt *= 1.0 - min(max(c, 0.0), 1.0)
    articles = {r.article for r in reports}
    outlets = {r.outlet for r in reports}

    def names(iris: list[str]) -> str:
        return " and ".join((m.actors.get(a).label if a in m.actors and m.actors[a].label else a.rsplit("/", 1)[-1])
                            for a in iris) or "-"

    label = f"{plover}: {names(sources)}" + (f" -> {names(targets)}" if targets else "") + (f", {date}" if date else "")
    return Happening(iri=happening_iri(anchor), reports=reports, plover=plover, sources=sources, targets=targets,
                     place=place, date=date, report_count=len(articles), outlet_count=len(outlets),
                     first_reported=published[0] if published else None,
                     last_reported=published[-1] if published else None,
                     confidence=round(1.0 - doubt, 4), label=label, block=m.block_id(anchor),
                     periods=sorted({p for r in reports for p in m.periods(r)}))


def blocks_of(reports: dict[str, Report], m: Matcher) -> dict[tuple, list[Report]]:
    """The eligible reports in independent groups: by block (type group, factuality, doers), and within a block
    by stretches of time no report of another stretch can meet (a gap longer than any report's span). A group's
    happenings depend on its reports only, so a build redoes the groups it touches and no other."""
    by_block: dict[tuple, list[Report]] = {}
    for r in reports.values():
        if m.eligible(r):
            by_block.setdefault(m.block(r), []).append(r)
    slack = dt.timedelta(days=m.rules.explicit_tolerance_days)
    out: dict[tuple, list[Report]] = {}
    for key, rs in by_block.items():
        rs.sort(key=lambda r: _order(m, r))
        if m.span(rs[-1]) is None:  # an undated report may join any happening of its block: one group
            out[(*key, rs[0].event)] = rs
            continue
        group: list[Report] = []
        end = None
        for r in rs:
            span = m.span(r)
            if group and span.start > end + slack:
                out[(*key, group[0].event)] = group
                group = []
            end = span.end if not group else max(end, span.end)
            group.append(r)
        out[(*key, group[0].event)] = group
    return out


def happenings(blocks: dict[tuple, list[Report]], m: Matcher) -> list[Happening]:
    return [summarise(c, m) for key in sorted(blocks, key=repr) for c in cluster_block(blocks[key], m)]
