"""The event as extraction works on it: the roles of `records.EventRoles` bound to the sentence's tokens.

Each stage reads and fills an `Event`; `to_record` turns it into the plain `EventRecord` the rest of the
flow takes, the roles copied from their one declaration.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .records import EventRecord, EventRoles, Evidence, roles_of


@dataclass(kw_only=True)
class Event(EventRoles):
    """An event as found in one sentence, with the spaCy tokens its stages read."""

    trigger: Token
    sentence: Span
    anchor: Token | None = None  # the clause an event noun belongs to ('held talks': held)
    origin: str = "curated verb"  # what triggered it, a key of kg/data/confidence.json's "trigger"
    silent: bool = False  # not coded (the codebook's `silent`), yet what it asks for stays its content


def to_record(ev: Event, text: str) -> EventRecord:
    """The plain record of an event; `text` is the article's text (a span's text is built from its tokens)."""
    span = ev.sentence
    said = text[span.start_char:span.end_char]
    start = span.start_char + (len(said) - len(said.lstrip()))
    end = span.end_char - (len(said) - len(said.rstrip()))
    return EventRecord(**roles_of(ev), evidence=[Evidence(start, end, said.strip(), ev.trigger.text, ev.trigger.idx)],
                       classes=[ev.cls])
