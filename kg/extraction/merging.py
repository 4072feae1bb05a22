"""Stage 7, merging: one event per happening. In a sentence, one event per class, source and target set;
in an article, the mentions of one happening (same type, actors and factuality; places and dates that do
not disagree) become one event with several evidence sentences."""
from __future__ import annotations

from ..lexicon.entries import Lexicon
from .actors import Actor, Place
from .event import Event
from .records import EventRecord


class Merger:
    """Deduplicate a sentence's events and merge an article's reports of one happening."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.reciprocal_types = set(lex.light.get("reciprocal_types", ()))
        self.same_happening = [set(family) for family in lex.light.get("same_happening_classes", ())]
        # the classes named after a PLOVER type ('Agree', 'Assault'): a finer class merged into one of them wins
        self.generic_classes = {plover.capitalize() for plover in lex.class_plover.values()}

    def dedupe(self, events: list[Event]) -> list[Event]:
        """One event per class, source and sentence: keep the one with the most roles filled; an event with no
        target gives way to one of the same PLOVER type and source that has one."""
        plover = self.lex.plover
        with_targets = {(plover(e.cls), tuple(a.key for a in e.sources)) for e in events if e.targets}
        events = [e for e in events if e.targets or (plover(e.cls), tuple(a.key for a in e.sources)) not in with_targets]
        best: dict[tuple, Event] = {}
        for ev in events:
            k = (ev.cls, tuple(a.key for a in ev.sources), tuple(sorted(a.key for a in ev.targets)))
            score = len(ev.targets) + len(ev.participants) + (ev.place is not None)
            if k not in best or score > len(best[k].targets) + len(best[k].participants) + (best[k].place is not None):
                best[k] = ev
        return sorted(best.values(), key=lambda e: e.trigger.i)

    def happening(self, rec: EventRecord) -> tuple | None:
        """What identifies a happening across sentences: type, factuality and actors (either order for
        reciprocal types, where 'A met B' and 'B and A met' are one meeting); None when too little is known."""
        plover = self.lex.plover(rec.cls)
        src = frozenset(a.key for a in rec.sources)
        tgt = frozenset(a.key for a in rec.targets)
        if not src or not tgt:
            return None
        if plover in self.reciprocal_types:
            return plover, rec.factuality, src | tgt
        return plover, rec.factuality, src, tgt

    def same_kind(self, a: str, b: str) -> bool:
        if a == b or a in self.generic_classes or b in self.generic_classes:
            return True
        return any(a in family and b in family for family in self.same_happening)

    def merge(self, records: list[EventRecord]) -> list[EventRecord]:
        """The article's records with each happening's mentions folded into its first report."""
        out: list[EventRecord] = []
        seen: dict[tuple, list[EventRecord]] = {}
        generic = self.generic_classes
        spec = self.lex.confidence
        for rec in records:
            key = self.happening(rec)
            host = None
            if key is not None:
                host = next((h for h in seen.get(key, ()) if compatible(h.place, rec.place) and
                             (h.date is None or rec.date is None or h.date == rec.date) and
                             self.same_kind(h.cls, rec.cls)), None)
            if host is None:
                out.append(rec)
                if key is not None:
                    seen.setdefault(key, []).append(rec)
                continue
            host.evidence.extend(e for e in rec.evidence if e not in host.evidence)
            host.classes.append(rec.cls)
            for name in ("participants", "mediators"):
                have = getattr(host, name)
                have.extend(a for a in getattr(rec, name) if a not in have)
            host.place = host.place or rec.place
            host.date = host.date or rec.date
            host.topics = sorted(set(host.topics) | set(rec.topics))
            if host.cls in generic and rec.cls not in generic:
                host.cls, host.cameo = rec.cls, rec.cameo
            host.confidence = round(min(spec["max"], max(host.confidence, rec.confidence) + spec["per_mention"]), 2)
            host.support = [s for s in host.support if not s.endswith(" mentions")] + [f"{len(host.evidence)} mentions"]
        return out


def compatible(a: Place | Actor | None, b: Place | Actor | None) -> bool:
    """Two places that do not disagree: the same, or one unknown."""
    return a is None or b is None or a.key == b.key
