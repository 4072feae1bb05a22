"""The event engine as a spaCy pipeline component: `doc._.events` holds the article's events as plain data.

`load_nlp` adds it last, so `nlp.pipe(n_process=N)` extracts inside the worker processes and the
parent only maps, validates and stores. The events are `kg.records.to_data` dicts (strings, numbers,
lists), which spaCy serialises with the Doc (`Doc.to_bytes` keeps extension values) when a worker
sends it back. The article's publication date, against which weekdays and 'yesterday' resolve,
goes in with the text (`dated_text`): a `DatedText` is a string that carries the date to the worker,
and the tokenizer (`DatedTokenizer`, installed by `load_nlp`) puts it on the Doc as `doc._.article_date`.
A Doc made here and sent instead would cost this process the tokenising and both ends its serialisation
(~3 ms an article, more than the event component itself).
"""
from __future__ import annotations

import datetime as dt
import traceback

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from .dates import warm_up as warm_up_dates
from .extract import ArticleEvents, EventExtractor
from .lexicon import load_lexicon
from .records import from_data, to_data

for _name in ("article_date", "events", "reference_date", "events_error"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class DatedText(str):
    """An article's text carrying its publication date (ISO 8601). It is a str to spaCy and to pickle
    (which keeps the attribute), so it reaches nlp.pipe's worker processes as cheaply as a plain text."""

    __slots__ = ("article_date",)

    def __new__(cls, text: str, article_date: str) -> DatedText:
        out = super().__new__(cls, text)
        out.article_date = article_date
        return out

    def __reduce__(self):
        return DatedText, (str(self), self.article_date)


def dated_text(text: str, article_date: str | None) -> str:
    """The text to pass to `nlp.pipe` for an article: a DatedText when the date is known, else the text."""
    return DatedText(text, article_date) if article_date else text


class DatedTokenizer:
    """The model's tokenizer, putting a DatedText's date on the Doc it makes (`doc._.article_date`).
    spaCy calls `nlp.tokenizer(text)` for each text, in the parent or in a worker process; everything else
    (vocab, explain, serialisation) is the wrapped tokenizer's."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if type(text) is str:
            return self.tokenizer(text)
        doc = self.tokenizer(str(text))  # the Cython tokenizer takes an exact str
        doc._.article_date = getattr(text, "article_date", None)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):
        if name == "tokenizer":  # not set yet (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


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
        raise ExtractionError("the pipeline has no diplokg_events component (load it with kg.nlp.load_nlp)")
    ref = doc._.reference_date
    return ArticleEvents(events=[from_data(d) for d in doc._.events],
                         reference_date=dt.date.fromisoformat(ref) if ref else None)
