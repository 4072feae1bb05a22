"""Everything after extraction, one article at a time: map to RDF, validate, quarantine what fails,
overlapped with parsing on a second thread.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from spacy.tokens import Doc

from ..extraction.component import doc_events
from ..graph.rdfmap import Mapped, RdfMapper
from ..graph.validate import check
from ..lexicon.entries import load_lexicon
from ..namespace import DIP
from ..reading.article import Article
from ..reading.furniture import verbless_lines
from .options import ArticleError, BuildOptions, stage_error


class ArticleProcessor:
    """Everything after extraction, for one article: mapping and validation. The events come with the doc
    (`doc._.events`, set by the diplokg_events component, in a worker process under --jobs N)."""

    def __init__(self, model: str, run_time: dt.datetime | None = None):
        lex = load_lexicon()
        self.mapper = RdfMapper(model, run_time=run_time, class_plover=lex.class_plover, class_cameo=lex.class_cameo)
        self.last_validation_seconds = 0.0
        self.stage = "extraction"

    ROUNDS = 3  # re-check after quarantining: removing an event can leave an actor or sentence unreferenced

    def process(self, article: Article, doc, validate: bool = True, min_confidence: float = 0.0
                ) -> tuple[Mapped, Graph | None]:
        """The article's valid graph, and a quarantine graph (or None) for what failed the shapes.

        Nothing unchecked comes out: after the last round the remaining events go to quarantine, and
        an article whose graph fails even without events raises ArticleError (the build skips it).
        """
        self.stage = "extraction"  # named in the skip line if this article fails here
        extracted = doc_events(doc)
        captions = verbless_lines(doc, article.title)  # page furniture only the parse shows: no events
        if captions:
            article.furniture += len(captions)
            for ev in extracted.events:
                ev.evidence = [e for e in ev.evidence if e.start not in captions]
            extracted.events = [ev for ev in extracted.events if ev.evidence]
        if min_confidence > 0:
            extracted.events = [ev for ev in extracted.events if ev.confidence >= min_confidence]
        self.stage = "mapping"
        mapped = self.mapper.map(article, extracted)
        self.stage = "validation"
        if not validate:
            return mapped, None
        quarantine: Graph | None = None
        started = time.thread_time()  # CPU time: on the mapping thread, waits for the GIL are not validation
        rounds = 0
        for _ in range(self.ROUNDS + 1):
            report = check(mapped.graph)  # compiled shapes: milliseconds per article
            self.last_validation_seconds = time.thread_time() - started
            if report.conforms:
                return mapped, quarantine
            if not mapped.events:  # nothing left to take out: the article's own description fails
                break
            rounds += 1
            bad = self._events_to_quarantine(mapped, report.violations)
            if not bad or rounds >= self.ROUNDS:  # article-level failure, or the last round: every event out
                bad = set(mapped.events)
            quarantine = quarantine if quarantine is not None else Graph()
            self._quarantine(quarantine, mapped, bad, report)
            extracted.events = [ev for iri, ev in mapped.events.items() if iri not in bad]
            mapped = self.mapper.map(article, extracted)
        first = next(iter(report.violations.items()), (None, ["?"]))
        raise ArticleError(article.path, f"graph fails the shapes even without its events ({first[0]}: {first[1][0]})",
                           "invalid")

    @staticmethod
    def _events_to_quarantine(mapped: Mapped, violations: dict[URIRef, list[str]]) -> set[URIRef]:
        g = mapped.graph
        bad: set[URIRef] = set()
        for focus in violations:
            if focus in mapped.events:
                bad.add(focus)
                continue
            for ev in mapped.events:  # an actor, place or sentence the event points to
                if (ev, None, focus) in g:
                    bad.add(ev)
        return bad

    @staticmethod
    def _quarantine(q: Graph, mapped: Mapped, bad: set[URIRef], report) -> None:
        g = mapped.graph
        for ev in bad:
            for t in g.triples((ev, None, None)):
                q.add(t)
                if t[1] in (DIP.sourceActor, DIP.targetActor, DIP.participant, DIP.mediator, DIP.place, DIP.evidence):
                    for t2 in g.triples((t[2], None, None)):
                        q.add(t2)
        for result in report.graph.subjects(RDF.type, None):
            focus = report.graph.value(result, URIRef("http://www.w3.org/ns/shacl#focusNode"))
            if focus is None or focus in bad or any((ev, None, focus) in g for ev in bad):
                for t in report.graph.triples((result, None, None)):
                    q.add(t)


@dataclass
class Processed:
    """One parsed article after mapping and validation, or the reason it is skipped."""

    article: Article
    doc: Doc
    mapped: Mapped | None = None
    quarantine: Graph | None = None
    validation_seconds: float = 0.0
    error: ArticleError | None = None


def process_one(processor: ArticleProcessor, article: Article, doc: Doc, opts: BuildOptions,
                extractor: Callable[[Doc], Doc] | None = None) -> Processed:
    """Mapping and validation of one parsed article (extraction first, if `extractor` is given: the event
    component, which keeps its own failure on the doc); any failure becomes the article's skip reason."""
    try:
        if extractor is not None:
            processor.stage = "extraction"
            doc = extractor(doc)
        mapped, q = processor.process(article, doc, validate=opts.validate, min_confidence=opts.min_confidence)
    except Exception as exc:  # noqa: BLE001 - per-article isolation
        return Processed(article, doc, error=stage_error(article.path, processor.stage, exc))
    return Processed(article, doc, mapped, q, processor.last_validation_seconds)


class Overlapped:
    """Extraction, mapping and validation on a second thread while spaCy parses the next articles on this
    one (--jobs 1).

    Both are Python and share the GIL, but the parser's matrix products (blis) release it, and the second
    thread runs then: measured side by side, ~0.08 more of bare spaCy's throughput than one thread doing it
    all. The event component is the same (`nlp.get_pipe`), called on each parsed doc. Results come back in
    input order; at most LIMIT articles are in flight (memory stays bounded)."""

    LIMIT = 64

    def __init__(self, processor: ArticleProcessor, opts: BuildOptions, extractor: Callable[[Doc], Doc] | None):
        self.processor, self.opts, self.extractor = processor, opts, extractor
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-process")
        self._in_flight: deque[Future] = deque()

    def submit(self, article: Article, doc: Doc) -> Iterator[Processed]:
        """Queue one article; yield the articles finished by now (or the oldest, when too many are waiting)."""
        self._in_flight.append(self._pool.submit(process_one, self.processor, article, doc, self.opts, self.extractor))
        while self._in_flight and (self._in_flight[0].done() or len(self._in_flight) > self.LIMIT):
            yield self._in_flight.popleft().result()

    def drain(self) -> Iterator[Processed]:
        while self._in_flight:
            yield self._in_flight.popleft().result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
