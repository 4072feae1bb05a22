"""The main job: read -> parse -> extract -> map to RDF -> validate per article -> store -> write.

Articles stream through `nlp.pipe` in batches; each article's graph is validated on its own (so
the cost grows linearly with the corpus) and what fails its shapes goes to a quarantine graph with
its report, never into the main graph and never lost. One bad input is skipped with a one-line
reason; the rest of the batch goes on.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .extract import EventExtractor
from .lexicon import load_lexicon
from .namespace import DIP, PREFIXES, RES
from .nlp import load_nlp, model_label
from .rdfmap import Mapped, RdfMapper, vocabulary_graph
from .read import DEFAULT_MAX_BYTES, Article, InputError, iter_input_files, read_article
from .store import GraphStore, atomic_output
from .validate import check

Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass
class BuildOptions:
    model: str | None = None
    article_date: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = 32
    n_process: int = 1
    validate: bool = True


@dataclass
class BuildSummary:
    articles: int = 0
    unchanged: int = 0
    events: int = 0
    quarantined_events: int = 0
    actors: set[str] = field(default_factory=set)
    by_type: Counter = field(default_factory=Counter)
    by_factuality: Counter = field(default_factory=Counter)
    skipped: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quarantine: Graph | None = None
    seconds: float = 0.0
    words: int = 0

    def lines(self) -> list[str]:
        out = [f"articles: {self.articles} built, {self.unchanged} unchanged, {len(self.skipped)} skipped",
               f"events: {self.events} ({', '.join(f'{k} {v}' for k, v in sorted(self.by_type.items()))})",
               f"factuality: {', '.join(f'{k} {v}' for k, v in sorted(self.by_factuality.items()))}",
               f"actors: {len(self.actors)}",
               f"quarantined events: {self.quarantined_events}",
               f"time: {self.seconds:.1f}s ({self.words / self.seconds if self.seconds else 0:,.0f} words/s)"]
        if self.skipped:
            kinds = Counter(e.kind for e in self.skipped)
            out.append("skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        return out


class ArticleProcessor:
    """Everything after parsing, for one article: extraction, mapping and validation."""

    def __init__(self, model: str, run_time: dt.datetime | None = None):
        lex = load_lexicon()
        self.extractor = EventExtractor(lex)
        self.mapper = RdfMapper(model, run_time=run_time, class_plover=lex.class_plover, class_cameo=lex.class_cameo)

    def process(self, article: Article, doc, validate: bool = True) -> tuple[Mapped, Graph | None]:
        """The article's valid graph, and a quarantine graph (or None) for what failed the shapes."""
        extracted = self.extractor.extract(doc, article.date)
        mapped = self.mapper.map(article, extracted)
        if not validate:
            return mapped, None
        quarantine: Graph | None = None
        for _ in range(3):
            report = check(mapped.graph)  # compiled shapes: milliseconds per article
            if report.conforms:
                return mapped, quarantine
            bad = self._events_to_quarantine(mapped, report.violations)
            if not bad:  # article-level failure: quarantine everything from this article
                bad = set(mapped.events)
            quarantine = quarantine if quarantine is not None else Graph()
            self._quarantine(quarantine, mapped, bad, report)
            extracted.events = [ev for iri, ev in mapped.events.items() if iri not in bad]
            mapped = self.mapper.map(article, extracted)
        return mapped, quarantine

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


def _read_all(paths: list[str | Path], opts: BuildOptions, summary: BuildSummary, log: Log) -> Iterator[Article]:
    for item in iter_input_files(paths):
        if isinstance(item, InputError):
            summary.skipped.append(item)
            log(f"skipped {item}")
            continue
        try:
            article = read_article(item, max_bytes=opts.max_bytes)
        except InputError as exc:
            summary.skipped.append(exc)
            log(f"skipped {exc}")
            continue
        for note in article.notes:
            summary.notes.append(note)
            log(f"note: {note}")
        if opts.article_date:
            article.date = opts.article_date
        yield article


def build(paths: list[str | Path], store: GraphStore, opts: BuildOptions | None = None, log: Log = _stderr,
          progress: Callable[[int], None] | None = None) -> BuildSummary:
    """Build the graph of every readable article under `paths` into `store`."""
    opts = opts or BuildOptions()
    summary = BuildSummary()
    start = time.perf_counter()
    nlp = load_nlp(opts.model)
    processor = ArticleProcessor(model_label(nlp))
    quarantine = Graph()
    store.put_entities(vocabulary_graph())

    def fresh() -> Iterator[tuple[str, Article]]:
        for article in _read_all(paths, opts, summary, log):
            iri = RES[f"article/{article.doc_id}"]
            if store.article_hash(iri) == article.content_hash:
                summary.unchanged += 1
                continue
            yield article.text, article

    for doc, article in nlp.pipe(fresh(), as_tuples=True, batch_size=opts.batch_size, n_process=opts.n_process):
        mapped, q = processor.process(article, doc, validate=opts.validate)
        store.put_article(mapped.article, mapped.graph)
        summary.articles += 1
        summary.words += sum(1 for t in doc if not t.is_space and not t.is_punct)
        summary.events += len(mapped.events)
        for ev in mapped.events.values():
            summary.by_type[processor.mapper.class_plover.get(ev.cls, ev.cls)] += 1
            summary.by_factuality[ev.factuality] += 1
            for a in ev.sources + ev.targets + ev.participants + ev.mediators:
                summary.actors.add(a.key)
        if q is not None:
            n = len(set(q.subjects(DIP.evidence, None)))
            summary.quarantined_events += n
            log(f"quarantined {n} event(s) of {article.name} that failed validation")
            for t in q:
                quarantine.add(t)
        if progress is not None:
            progress(summary.articles)
    store.flush()
    summary.quarantine = quarantine if len(quarantine) else None
    summary.seconds = time.perf_counter() - start
    return summary


def write_quarantine(graph: Graph, path: Path) -> None:
    for k, v in PREFIXES.items():
        graph.bind(k, v)
    graph.bind("sh", "http://www.w3.org/ns/shacl#")
    with atomic_output(path) as tmp:
        graph.serialize(destination=str(tmp), format="turtle")


