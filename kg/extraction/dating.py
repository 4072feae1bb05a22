"""Stage 4, dates: the date a DATE entity of the event's own clause gives, read against the article's date
(`kg.reading.dates`), forward when the clause looks ahead."""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Span

from ..reading.dates import date_bounds, parse_date
from .event import Event
from .resolve import ArticleResolver
from .syntax import clause


def event_date(ev: Event, reference: dt.date | None, r: ArticleResolver, future_aux: set[str]) -> tuple[str, str] | None:
    dates = [ent for ent in r.entities_in(ev.sentence) if ent.label_ == "DATE"]
    if not dates:
        return None  # most sentences: no need to read the clause
    own = {t.i for node in (ev.trigger, ev.anchor) if node is not None for t in clause(node)}
    for ent in dates:
        if ent.root.i in own and not bounds_the_event(ent):
            parsed = parse_date(ent.text, reference, tense(ev, future_aux))
            if parsed:
                return parsed
    return None


def tense(ev: Event, future_aux: set[str]) -> str:
    """'future' when the clause looks ahead (will, is to, expected to, would), so its dates do too."""
    aux = {c.lower_ for c in ev.trigger.children if c.dep_ in ("aux", "auxpass")}
    return "future" if ev.factuality in ("future", "hypothetical") or aux & future_aux else "past"


def bounds_the_event(ent: Span) -> bool:
    """Whether a date is a limit of the event rather than its time: on the way up to the clause's verb it hangs on
    a temporal signal ('until', 'by', 'before') or sits inside a deadline (kg/data/dates.json, 'bounds')."""
    preps, heads = date_bounds()
    tok = ent.root
    for _ in range(6):
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ in preps:
            return True
        if head.pos_ == "NOUN" and head.lemma_.lower() in heads:
            return True
        if head.i == tok.i or head.pos_ in ("VERB", "AUX"):
            return False
        tok = head
    return False
