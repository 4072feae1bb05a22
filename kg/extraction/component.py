"""The event engine as a spaCy pipeline component, and `load_nlp`: the parser with the component last.

`doc._.events` holds the article's events as plain data (`kg.extraction.records.to_data` dicts), so
`nlp.pipe(n_process=N)` extracts inside the worker processes and the parent only maps, validates and
stores: spaCy serialises extension values with the Doc (`Doc.to_bytes`) when a worker sends it back.
The article's date comes in with the text (`kg.nlp.dated`).
"""
from __future__ import annotations

import datetime as dt
import gc
import traceback
from functools import lru_cache

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from ..lexicon.entries import load_lexicon
from ..nlp.model import default_model, load_model
from ..reading.dates import warm_up as warm_up_dates
from .extractor import EventExtractor
from .records import ArticleEvents, from_data, to_data

for _name in ("events", "reference_date", "events_error"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class ExtractionError(RuntimeError):
    """Extraction failed on one article (the message carries the worker's traceback)."""


EVENTS_PIPE = "diplokg_events"  # the component's name in the pipeline


class EventComponent:
    """Runs `EventExtractor` on each doc; a failure is kept on the doc (`doc._.events_error`), not raised,
    so one bad article does not take its batch down with it in a worker process."""

    def __init__(self, nlp: Language, name: str = EVENTS_PIPE):
        self.name = name
        self.extractor = EventExtractor(load_lexicon())
        warm_up_dates()  # once here, not in each --jobs worker

    def __call__(self, doc: Doc) -> Doc:
        try:
            found = self.extractor.extract(doc, doc._.article_date)
        except Exception:
            doc._.events, doc._.reference_date = None, None
            doc._.events_error = traceback.format_exc(limit=-3)
        else:
            doc._.events = [to_data(ev) for ev in found.events]
            doc._.reference_date = found.reference_date.isoformat() if found.reference_date else None
            doc._.events_error = None
        # tok2vec's output, kept on the Doc for the components that read it: none comes after this one, and
        # nothing downstream reads it; dropped, a Doc a worker sends back is ~70% smaller (44 kB, not 144 kB).
        doc.tensor = numpy.zeros((0,), dtype="float32")
        return doc


@Language.factory(EVENTS_PIPE, assigns=["doc._.events", "doc._.reference_date"],
                  requires=["token.dep", "token.lemma", "doc.ents"], default_config={})
def make_event_component(nlp: Language, name: str) -> EventComponent:
    return EventComponent(nlp, name)


def doc_events(doc: Doc) -> ArticleEvents:
    """The events `diplokg_events` set on `doc`, as records; raises ExtractionError if extraction failed."""
    if doc._.events_error:
        raise ExtractionError(doc._.events_error.strip().splitlines()[-1])
    if doc._.events is None:
        raise ExtractionError("the pipeline has no diplokg_events component (load it with kg.extraction.component.load_nlp)")
    ref = doc._.reference_date
    return ArticleEvents(events=[from_data(d) for d in doc._.events],
                         reference_date=dt.date.fromisoformat(ref) if ref else None)


def load_nlp(model: str | None = None) -> Language:
    """The parser with the gazetteer ahead of the statistical NER and the event engine last (`doc._.events`);
    loaded once per process and model, the gazetteer and lexicon from the start-up cache."""
    return _load(model or default_model())


@lru_cache(maxsize=2)
def _load(name: str) -> Language:
    nlp = load_model(name)
    nlp.add_pipe(EVENTS_PIPE, last=True)
    # The model, gazetteer and lexicon (~200k objects) live as long as the process: moved out of the cyclic
    # collector's reach, its full passes (a few per hundred articles) no longer walk them. Forked --jobs
    # workers inherit this. A frozen object is never collected: garbage is collected first.
    gc.collect()
    gc.freeze()
    return nlp
