"""Extracted events as plain data: what extraction hands to mapping.

An `EventRecord` holds no spaCy object, only strings, numbers and actors, so it can travel from a
worker process (`doc._.events` under `nlp.pipe(n_process=N)`) to the process that maps and stores,
and it can be compared and merged across the sentences of an article. `to_data`/`from_data` turn
records into JSON-like dicts and back (spaCy serialises a Doc's extension values with msgpack).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields
from typing import Any

from .actors import Actor, Place


@dataclass
class Evidence:
    """One sentence that reports the event: character offsets into the article text, and its trigger."""

    start: int
    end: int
    text: str
    trigger: str
    trigger_start: int


@dataclass(kw_only=True)
class EventRoles:
    """What an event is and who took part: the one declaration of its roles. The token-bound `Event` that
    extraction works on and the plain `EventRecord` it hands on both extend it; `roles_of` copies it across."""

    cls: str
    cameo: str | None
    sources: list[Actor] = field(default_factory=list)
    targets: list[Actor] = field(default_factory=list)
    participants: list[Actor] = field(default_factory=list)
    mediators: list[Actor] = field(default_factory=list)
    place: Place | Actor | None = None
    date: tuple[str, str] | None = None  # (lexical value, 'date' | 'gYearMonth' | 'gYear')
    factuality: str = "asserted"
    topics: list[str] = field(default_factory=list)  # sorted
    location_target: bool = False  # the target is the country of the place, no actor being named
    reciprocal: bool = False  # 'A and B agreed': each acts on the other; A is source, B target by convention


ROLE_FIELDS = tuple(f.name for f in fields(EventRoles))


def roles_of(event: EventRoles) -> dict[str, Any]:
    """The roles of an event, as keyword arguments for another form of it."""
    return {name: getattr(event, name) for name in ROLE_FIELDS}


@dataclass(kw_only=True)
class EventRecord(EventRoles):
    """An event as plain data: its roles, the sentences that report it and the confidence they give."""

    evidence: list[Evidence]
    confidence: float = 0.9
    support: list[str] = field(default_factory=list)  # what the confidence rests on
    classes: list[str] = field(default_factory=list)  # the class of each merged mention, first the event's own

    @property
    def sentence(self) -> Evidence:
        return self.evidence[0]

    def key(self, doc_id: str) -> str:
        """Stable within an article: where it was first reported and as what."""
        first = self.evidence[0]
        raw = f"{doc_id}|{first.start}|{first.trigger_start - first.start}|{self.cls}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]


@dataclass
class ArticleEvents:
    """What extraction finds in one article: its events and the date its relative dates were read against."""

    events: list[EventRecord]
    reference_date: dt.date | None


# ----------------------------------------------------------------------------- plain data
def actor_to_data(a: Actor) -> dict[str, Any]:
    d: dict[str, Any] = {"key": a.key, "cls": a.cls, "label": a.label}
    for name in ("iso3", "wikidata", "position", "sector"):
        value = getattr(a, name)
        if value:
            d[name] = value
    if a.represents is not None and a.represents is not a and a.represents.key != a.key:
        d["represents"] = actor_to_data(a.represents)
    return d


def actor_from_data(d: dict[str, Any]) -> Actor:
    rep = d.get("represents")
    return Actor(key=d["key"], cls=d["cls"], label=d["label"], iso3=d.get("iso3"), wikidata=d.get("wikidata"),
                 position=d.get("position"), sector=d.get("sector"),
                 represents=actor_from_data(rep) if rep else None)


def to_data(ev: EventRecord) -> dict[str, Any]:
    place: dict[str, Any] | None = None
    if isinstance(ev.place, Actor):
        place = {"actor": actor_to_data(ev.place)}
    elif isinstance(ev.place, Place):
        place = {"key": ev.place.key, "label": ev.place.label, "country": ev.place.country,
                 "wikidata": ev.place.wikidata}
    return {
        "cls": ev.cls, "cameo": ev.cameo,
        "evidence": [[e.start, e.end, e.text, e.trigger, e.trigger_start] for e in ev.evidence],
        "sources": [actor_to_data(a) for a in ev.sources], "targets": [actor_to_data(a) for a in ev.targets],
        "participants": [actor_to_data(a) for a in ev.participants],
        "mediators": [actor_to_data(a) for a in ev.mediators],
        "place": place, "date": list(ev.date) if ev.date else None, "factuality": ev.factuality,
        "topics": list(ev.topics), "confidence": ev.confidence, "support": list(ev.support),
        "location_target": ev.location_target, "classes": list(ev.classes), "reciprocal": ev.reciprocal,
    }


def from_data(d: dict[str, Any]) -> EventRecord:
    place: Place | Actor | None = None
    if d.get("place"):
        p = d["place"]
        place = actor_from_data(p["actor"]) if "actor" in p else Place(p["key"], p["label"], p.get("country"), p.get("wikidata"))
    return EventRecord(
        cls=d["cls"], cameo=d.get("cameo"), evidence=[Evidence(*e) for e in d["evidence"]],
        sources=[actor_from_data(a) for a in d["sources"]], targets=[actor_from_data(a) for a in d["targets"]],
        participants=[actor_from_data(a) for a in d["participants"]],
        mediators=[actor_from_data(a) for a in d["mediators"]],
        place=place, date=tuple(d["date"]) if d.get("date") else None, factuality=d["factuality"],  # type: ignore[arg-type]
        topics=list(d.get("topics", ())), confidence=d["confidence"], support=list(d.get("support", ())),
        location_target=d.get("location_target", False), classes=list(d.get("classes", ())),
        reciprocal=d.get("reciprocal", False),
    )
