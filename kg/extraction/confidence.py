"""Stage 8, confidence: a score from what supported an event, its trigger, then each role named in the
sentence, inferred from elsewhere or missing (weights in kg/data/confidence.json)."""
from __future__ import annotations

from bisect import bisect_left

from .actors import PERSON_PRONOUNS, PLURAL_PRONOUNS, THING_PRONOUNS
from .event import Event
from .records import EventRecord
from .resolve import ArticleResolver

PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS


def score(rec: EventRecord, ev: Event, r: ArticleResolver, spec: dict) -> None:
    """Set `rec.confidence` and `rec.support` (the reasons, in order) from the event `rec` was made of."""
    support = [ev.origin]
    total = spec["trigger"][ev.origin]
    lo, hi = ev.sentence.start, ev.sentence.end  # r.mentions is in text order: the sentence's are one slice
    in_sentence = r.mentions[bisect_left(r.mentions, lo, key=_index):bisect_left(r.mentions, hi, key=_index)]
    named = {m.actor.key for m in in_sentence if r.doc[m.index].lower_ not in PRONOUNS}
    for role, actors in (("source", ev.sources), ("target", ev.targets)):
        if not actors:
            support.append(f"no {role}")
        elif role == "target" and ev.location_target:
            support.append("location target")
        elif all(a.key in named for a in actors):
            support.append(f"named {role}")
        else:
            support.append(f"inferred {role}")
    total += sum(spec["roles"].get(s, 0.0) for s in support[1:])
    rec.confidence = round(min(spec["max"], max(spec["min"], total)), 2)
    rec.support = support


def _index(mention) -> int:
    return mention.index
