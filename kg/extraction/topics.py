"""Stage 4, topics: what an event is about, from the topic words (kg/data/topics.json) under its trigger."""
from __future__ import annotations

from spacy.tokens import Token

from .event import Event


def event_topics(ev: Event, topical: list[tuple[Token, set[str]]]) -> list[str]:
    """The topics of the words in the subtree of the trigger or its anchor (names left out), sorted."""
    nodes = [n for n in (ev.trigger, ev.anchor) if n is not None]
    return sorted({topic for tok, found in topical if any(tok.i == n.i or n.is_ancestor(tok) for n in nodes) for topic in found})
