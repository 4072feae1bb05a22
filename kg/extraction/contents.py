"""Stage 6, contents: what is only the content of another event is no event of its own (PLOVER codes
the demand, offer, refusal or threat, not what it asks for), and a demand stated in reported speech
('Russia said Sudan must return the helicopter') is the speaker's REQUEST of its subject."""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Span, Token

from ..lexicon.entries import Lexicon
from .arguments import ArgumentFinder
from .dating import event_date
from .event import Event
from .resolve import ArticleResolver
from .topics import event_topics

# The dependencies a content clause climbs to the event that governs it.
CONTENT_DEPS = ("xcomp", "ccomp", "dobj", "prep", "pcomp", "pobj", "conj", "advcl", "acl", "compound", "amod")


class Contents:
    """Find stated demands and drop the events that are another's content."""

    def __init__(self, lex: Lexicon, args: ArgumentFinder):
        self.lex = lex
        self.fact = lex.factuality
        self.args = args
        self.future_aux = set(self.fact["future_aux"])
        self.desire = set(lex.light.get("desire_verbs", ()))
        self.governors: dict[str, list[str]] = self.fact.get("content_governors", {})
        self.setting = set(self.fact.get("setting_preps", ()))
        self.asking = set(self.fact.get("content_preps", ()))

    def stated_demands(self, reports: list[Token], sent: Span, r: ArticleResolver, events: list[Event],
                       reference: dt.date | None, topical: list[tuple[Token, set[str]]]) -> list[Event]:
        """'Russia said Sudan must return the helicopter': the speaker demands of Sudan (REQUEST); what Sudan must do
        is the demand's content, not an event. `reports`: the sentence's clausal complements."""
        modals = set(self.fact.get("demand_modals", ()))
        for tok in reports:
            if tok.head.pos_ not in ("VERB", "AUX"):
                continue
            if not any(c.dep_ == "aux" and c.lower_ in modals for c in tok.children):
                continue
            speaker = self.args.subject(tok.head, r)
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            targets = [a for a in (r.actors(subj) if subj is not None else []) if a not in speaker]
            if not speaker or not targets:
                continue
            inside = {t.i for t in tok.subtree}
            events = [e for e in events if e.trigger.i not in inside and (e.anchor is None or e.anchor.i not in inside)
                      and e.trigger.i != tok.head.i]
            ev = Event(cls=self.fact["demand_class"], cameo=None, trigger=tok, sentence=sent, sources=speaker,
                       targets=targets, origin="curated verb")
            ev.factuality = "asserted"
            ev.date = event_date(ev, reference, r, self.future_aux)
            ev.topics = event_topics(ev, topical)
            events.append(ev)
        return events

    def carried_content(self, ev: Event, carrier: Event) -> bool:
        """An event noun that is what its carrying event (the verb it is anchored to) acts on: its object ('ordered an
        investigation') or, for a type whose content reaches prepositional objects, the object of what it asks or
        settles for ('called for a ceasefire', 'agreed on a truce')."""
        trigger, deps = ev.trigger, self.governors.get(self.lex.plover(carrier.cls), ())
        if trigger.head.i == carrier.trigger.i:
            return trigger.dep_ == "dobj" or trigger.dep_ in deps
        return "pobj" in deps and trigger.dep_ == "pobj" and trigger.head.lower_ in self.asking \
            and trigger.head.head.i == carrier.trigger.i

    def drop_contents(self, events: list[Event]) -> list[Event]:
        """Drop events that are only the content of another's offer, demand, refusal or threat."""
        governors, setting = self.governors, self.setting
        by_trigger = {ev.trigger.i: ev for ev in events}
        keep = []
        for ev in events:
            carrier = by_trigger.get(ev.anchor.i) if ev.anchor is not None else None
            direct = carrier is not None and carrier is not ev and self.carried_content(ev, carrier)
            cur = ev.trigger if direct else ev.anchor or ev.trigger
            content = False
            for _ in range(8):
                if cur.head.i == cur.i or cur.dep_ == "prep" and cur.lower_ in setting:
                    break  # 'a reply at their meeting': the meeting is where the promise was made, not its content
                if cur.dep_ in ("xcomp", "ccomp") and cur.head.lemma_.lower() in self.desire and (
                        cur.dep_ == "ccomp" or any(c.dep_ == "dobj" for c in cur.head.children)):
                    content = True  # 'Obama wants Putin to attack Switzerland': a wish about another's act
                    break
                gov = by_trigger.get(cur.head.i)
                deps = governors.get(self.lex.plover(gov.cls), ()) if gov is not None else ()
                purpose = cur.dep_ == "advcl" and "purpose" in deps and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
                if gov is not None and gov is not ev and (cur.dep_ in deps or purpose):
                    content = True
                    break
                if cur.dep_ not in CONTENT_DEPS:
                    break
                cur = cur.head
            if not content:
                keep.append(ev)
        return keep
