"""Who and where, as extraction finds them: the actors, places and mentions every stage hands on.

Plain dataclasses with no spaCy object, so they travel inside event records from a worker process.
"""
from __future__ import annotations

from dataclasses import dataclass

PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "themselves"}


@dataclass(eq=False)
class Actor:
    """An actor as the graph will hold it; `key` becomes its IRI path (res:<key>)."""

    key: str
    cls: str  # ontology class local name: Person, Country, Organization, Group, Delegation, ...
    label: str
    iso3: str | None = None
    wikidata: str | None = None
    position: str | None = None
    represents: Actor | None = None
    sector: str | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Actor) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def country(self) -> str | None:
        """ISO3 of the country this actor is or represents."""
        if self.iso3:
            return self.iso3
        return self.represents.country if self.represents is not None and self.represents is not self else None


@dataclass(eq=False)
class Place:
    key: str
    label: str
    country: str | None = None
    wikidata: str | None = None


@dataclass
class Mention:
    index: int
    actor: Actor
    is_subject: bool
