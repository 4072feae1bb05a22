"""Find diplomatic events in a parsed article: the extraction stages, run in order over each sentence.

    resolve    ArticleResolver        noun phrases -> actors and places, coreference in the article
    1 triggers TriggerMatcher.scan    which words trigger an event, under which rule (events.jsonl, CAMEO)
    2 roles    RoleBuilder.events     source, targets, participants, mediators, the rule's place
    3          Factuality             asserted / negated / hypothetical / future; intentions as promises, threats
    4          event_date, topics     the clause's date, read against the article's; its topic words
      places   clause_place           where, when the rule names no place
    5          InferredRoles          the targets the codebook infers (location, condition, domestic, reciprocal)
    5b         Codebook               PLOVER's conventions: what the event is coded as (codebook.jsonl)
    6          Contents               demands in reported speech; contents of another event dropped
    7          Merger                 one event per happening, in a sentence and in the article
    8          confidence.score       a score from what supported the event
    9          Calibrator             that score as the share of such events that are right (calibration.json)

Each stage reads the `Event`s the previous ones filled and adds one kind of knowledge; `to_record`
turns them into the plain `EventRecord`s the rest of the flow takes.
"""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc, Span

from ..lexicon.entries import Lexicon
from ..reading.dates import article_reference_date
from .arguments import ArgumentFinder
from .calibration import Calibrator
from .codebook import Codebook
from .confidence import score
from .contents import Contents
from .dating import event_date
from .event import Event, to_record
from .factuality import Factuality
from .inferred import InferredRoles
from .merging import Merger
from .places import clause_place
from .records import ArticleEvents, EventRecord
from .resolve import ArticleResolver
from .roles import RoleBuilder
from .topics import event_topics
from .triggers import TriggerMatcher


class EventExtractor:
    """Apply the event lexicon to one parsed article."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.triggers = TriggerMatcher(lex)
        self.arguments = ArgumentFinder(lex, self.triggers.is_light)
        self.roles = RoleBuilder(lex, self.arguments)
        self.factuality = Factuality(lex)
        self.inferred = InferredRoles(lex)
        self.codebook = Codebook(lex, factuality=self.factuality)
        self.contents = Contents(lex, self.arguments)
        self.merger = Merger(lex)
        self.calibrator = Calibrator(lex.calibration)
        self.future_aux = set(lex.factuality["future_aux"])

    def extract(self, doc: Doc, article_date: str | None = None) -> ArticleEvents:
        resolver = ArticleResolver(doc, self.lex)
        reference = article_reference_date(doc, article_date)
        records: list[EventRecord] = []
        text = resolver.text
        for sent in doc.sents:
            if not text[sent.start_char:sent.end_char].strip():  # sent.text, without building it from its tokens
                continue
            for ev in self.sentence_events(sent, resolver, reference):
                rec = to_record(ev, text)
                score(rec, ev, resolver, self.lex.confidence)
                records.append(rec)
        events = self.merger.merge(records)
        for rec in events:
            self.calibrator.calibrate(rec, self.lex.plover(rec.cls))
        return ArticleEvents(events=events, reference_date=reference)

    def sentence_events(self, sent: Span, r: ArticleResolver, reference: dt.date | None) -> list[Event]:
        cues = self.triggers.scan(sent)
        events = self.roles.events(cues, sent, r)
        for ev in events:
            ev.factuality = self.factuality.of(ev)
            self.factuality.intent(ev)
            ev.date = ev.date or event_date(ev, reference, r, self.future_aux)
            ev.topics = event_topics(ev, cues.topical)
            if ev.place is None:
                ev.place = clause_place(ev.trigger, ev.anchor, r)
            self.inferred.complete(ev, r)
        events = self.codebook.apply(events)
        events = self.contents.stated_demands(cues.reports, sent, r, events, reference, cues.topical)
        events = [ev for ev in self.contents.drop_contents(events) if not ev.silent]
        return self.merger.dedupe(events)
