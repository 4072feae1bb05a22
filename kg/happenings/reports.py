"""The article-level events of a store as reports: what matching needs of each.

A report is one event with its article's publication date and outlet, its source and target actors, its
date and place. Reading them all is one scan of the store's index per property; the clustering that follows
is what blocking keeps small.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespace import DCTERMS, DIP, RDF, RDFS, SEM
from ..store.graph_store import GraphStore


@dataclass(frozen=True)
class DateSpan:
    """The days an event may have happened on: a stated date (a day, a month or a year), or the window before a
    report's publication when it states none."""

    start: dt.date
    end: dt.date
    stated: bool

    def meets(self, other: DateSpan, tolerance: int = 0) -> bool:
        slack = dt.timedelta(days=tolerance)
        return self.start - slack <= other.end and other.start - slack <= self.end

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def stated_span(lexical: str) -> DateSpan | None:
    """An xsd:date, xsd:gYearMonth or xsd:gYear value, or an interval of two days ('2022-01-17/2022-01-23': a
    week), as the days it covers."""
    try:
        if "/" in lexical:
            first, last = (dt.date.fromisoformat(x[:10]) for x in lexical.split("/", 1))
            return DateSpan(first, last, True)
        parts = [int(p) for p in lexical[:10].split("-")]
        if len(parts) == 3:
            day = dt.date(*parts)
            return DateSpan(day, day, True)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            after = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return DateSpan(first, after - dt.timedelta(days=1), True)
        return DateSpan(dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31), True)
    except (ValueError, IndexError):
        return None


def parse_day(lexical: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(lexical[:10]) if lexical else None
    except ValueError:
        return None


@dataclass
class ActorInfo:
    iso3: str | None = None
    sector: str | None = None  # the sector concept's local name: Government, Rebels, ...
    represents: str | None = None
    label: str | None = None
    types: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Report:
    """One article-level event as matching sees it."""

    event: str
    article: str
    plover: str
    factuality: str
    confidence: float
    date: str | None  # the event's stated date (lexical; a week as 'first/last'), if any
    published: dt.date | None
    publisher: str | None
    place: str | None
    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()

    @property
    def outlet(self) -> str:
        """Who vouches for the report: its publisher, or the article itself when no outlet is known."""
        return self.publisher or self.article


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _values(store: GraphStore, prop) -> dict[str, str]:
    """Subject -> object value of one property over every graph (one index scan; a subject's first value)."""
    out: dict[str, str] = {}
    for q in store.ox.quads_for_pattern(None, ox.NamedNode(str(prop)), None, None):
        out.setdefault(q.subject.value, q.object.value)
    return out


def _lists(store: GraphStore, prop) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for q in store.ox.quads_for_pattern(None, ox.NamedNode(str(prop)), None, None):
        out.setdefault(q.subject.value, []).append(q.object.value)
    return out


def _described(store: GraphStore, subjects: set[str], props: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """For each subject, the values of the wanted properties (one look-up per subject)."""
    out: dict[str, dict[str, list[str]]] = {name: {} for name in props.values()}
    for s in subjects:
        for q in store.ox.quads_for_pattern(ox.NamedNode(s), None, None, None):
            name = props.get(q.predicate.value)
            if name is not None:
                out[name].setdefault(s, []).append(q.object.value)
    return out


EVENT_PROPS = {str(DIP.ploverType): "plover", str(DIP.article): "article", str(DIP.factuality): "factuality",
               str(DIP.confidence): "confidence", str(DIP.date): "date", str(DIP.place): "place",
               str(DIP.sourceActor): "sources", str(DIP.targetActor): "targets",
               str(SEM.hasEarliestBeginTimeStamp): "earliest", str(SEM.hasLatestEndTimeStamp): "latest"}
ARTICLE_PROPS = {str(DCTERMS.date): "published", str(DCTERMS.publisher): "publisher"}


def read_reports(store: GraphStore, events: set[str] | None = None) -> tuple[dict[str, Report], dict[str, ActorInfo]]:
    """Every article-level event in the store (or those of `events` it holds) as a Report, and what the store says
    of their actors.

    The whole store is read by index scans, one property at a time, and joined here (at 100k articles many times
    faster than one SPARQL query with an OPTIONAL per property); a few events, one look-up each."""
    store.settle()
    if events is None:
        plover, article = _values(store, DIP.ploverType), _values(store, DIP.article)
        factuality, confidence = _values(store, DIP.factuality), _values(store, DIP.confidence)
        date, place = _values(store, DIP.date), _values(store, DIP.place)
        published, publisher = _values(store, DCTERMS.date), _values(store, DCTERMS.publisher)
        sources, targets = _lists(store, DIP.sourceActor), _lists(store, DIP.targetActor)
        earliest, latest = _values(store, SEM.hasEarliestBeginTimeStamp), _values(store, SEM.hasLatestEndTimeStamp)
    else:
        got = _described(store, events, EVENT_PROPS)
        first = {name: {s: v[0] for s, v in values.items()} for name, values in got.items()}
        plover, article, factuality = first["plover"], first["article"], first["factuality"]
        confidence, date, place = first["confidence"], first["date"], first["place"]
        earliest, latest = first["earliest"], first["latest"]
        sources, targets = got["sources"], got["targets"]
        arts = _described(store, set(article.values()), ARTICLE_PROPS)
        published = {s: v[0] for s, v in arts["published"].items()}
        publisher = {s: v[0] for s, v in arts["publisher"].items()}
    for event, day in earliest.items():  # dated by a week: the interval as one ISO 8601 value
        if event in latest:
            date.setdefault(event, f"{day}/{latest[event]}")
    reports: dict[str, Report] = {}
    for event, kind in plover.items():
        art = article.get(event)
        if art is None or event not in factuality:  # a happening (no article) or a sentence (no type)
            continue
        conf = confidence.get(event)
        reports[event] = Report(
            event=event, article=art, plover=kind, factuality=_local(factuality[event]).lower(),
            confidence=float(conf) if conf is not None else 0.5, date=date.get(event),
            published=parse_day(published.get(art)), publisher=publisher.get(art), place=place.get(event),
            sources=tuple(sorted(sources.get(event, ()))), targets=tuple(sorted(targets.get(event, ()))))
    actors: dict[str, ActorInfo] = {}
    frontier = {a for r in reports.values() for a in r.sources + r.targets}
    wanted = {str(DIP.iso3): "iso3", str(DIP.sector): "sector", str(DIP.represents): "represents",
              str(RDFS.label): "label", str(RDF.type): "type"}
    while frontier:
        iri = frontier.pop()
        if iri in actors:
            continue
        info = actors[iri] = ActorInfo()
        for q in store.ox.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            prop = wanted.get(q.predicate.value)
            if prop == "iso3":
                info.iso3 = q.object.value
            elif prop == "sector":
                info.sector = _local(q.object.value)
            elif prop == "represents":
                info.represents = info.represents or q.object.value
                frontier.add(q.object.value)
            elif prop == "label":
                info.label = info.label or q.object.value
            elif prop == "type":
                info.types.add(_local(q.object.value))
    return reports, actors
