"""The article-level events of a store as reports: what matching needs of each, read in three queries.

A report is one event with its article's publication date and outlet, its source and target actors, its
date and place. Reading them all is one pass over the store's indexes (Oxigraph answers it in Rust); the
clustering that follows is what blocking keeps small.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..store.graph_store import GraphStore

EVENTS = """
SELECT ?event ?article ?plover ?factuality ?date ?place ?confidence ?published ?publisher WHERE {
  ?event dip:article ?article ;
         dip:ploverType ?plover ;
         dip:factuality/skos:notation ?factuality .
  ?article a dip:Article .
  OPTIONAL { ?event dip:confidence ?confidence }
  OPTIONAL { ?event dip:date ?date }
  OPTIONAL { ?event dip:place ?place }
  OPTIONAL { ?article dcterms:date ?published }
  OPTIONAL { ?article dcterms:publisher ?publisher }
}"""

ROLES = """
SELECT ?event ?role ?actor WHERE {
  VALUES ?role { dip:sourceActor dip:targetActor }
  ?event ?role ?actor ; dip:article ?article .
}"""

ACTORS = """
SELECT ?actor ?property ?value WHERE {
  VALUES ?property { dip:iso3 dip:sector dip:represents rdfs:label rdf:type }
  ?actor ?property ?value .
  FILTER EXISTS { ?event dip:sourceActor|dip:targetActor|dip:represents ?actor }
}"""


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
    """An xsd:date, xsd:gYearMonth or xsd:gYear value as the days it covers."""
    try:
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


@dataclass
class Report:
    """One article-level event as matching sees it."""

    event: str
    article: str
    plover: str
    factuality: str
    confidence: float
    date: str | None  # the event's stated date (lexical), if any
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


def read_reports(store: GraphStore) -> tuple[dict[str, Report], dict[str, ActorInfo]]:
    """Every article-level event in the store as a Report, and what the store says of their actors."""
    reports: dict[str, Report] = {}
    for row in store.query(EVENTS):
        event = row["event"].value
        if event in reports:
            continue  # a second value of a single-valued property: the shapes report it, one row is enough
        confidence = row["confidence"]
        reports[event] = Report(
            event=event, article=row["article"].value, plover=row["plover"].value, factuality=row["factuality"].value,
            confidence=float(confidence.value) if confidence is not None else 0.5,
            date=row["date"].value if row["date"] is not None else None,
            published=parse_day(row["published"].value if row["published"] is not None else None),
            publisher=row["publisher"].value if row["publisher"] is not None else None,
            place=row["place"].value if row["place"] is not None else None)
    roles: dict[tuple[str, str], list[str]] = {}
    for row in store.query(ROLES):
        roles.setdefault((row["event"].value, _local(row["role"].value)), []).append(row["actor"].value)
    for event, report in reports.items():
        report.sources = tuple(sorted(roles.get((event, "sourceActor"), ())))
        report.targets = tuple(sorted(roles.get((event, "targetActor"), ())))
    actors: dict[str, ActorInfo] = {}
    for row in store.query(ACTORS):
        info = actors.setdefault(row["actor"].value, ActorInfo())
        prop, value = _local(row["property"].value), row["value"].value
        if prop == "iso3":
            info.iso3 = value
        elif prop == "sector":
            info.sector = _local(value)
        elif prop == "represents":
            info.represents = value
        elif prop == "label":
            info.label = info.label or value
        else:
            info.types.add(_local(value))
    return reports, actors
