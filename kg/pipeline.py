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
from collections.abc import Callable, Iterator

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .extract import EventExtractor
from .lexicon import load_lexicon
from .namespace import DIP, PREFIXES, RES
from .nlp import load_nlp, model_label
from .rdfmap import Mapped, RdfMapper, vocabulary_graph
from .read import DEFAULT_MAX_BYTES, Article, InputError, iter_input_files, read_article, verbless_lines
from .store import GraphStore, atomic_output
from .validate import check

Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass
class BuildOptions:
    model: str | None = None
    run_time: dt.datetime | None = None  # one start time for the whole build (and every Dask worker)
    article_date: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = 32
    n_process: int = 1
    validate: bool = True
    min_confidence: float = 0.0  # events below it are left out


@dataclass
class BuildSummary:
    articles: int = 0
    unchanged: int = 0
    events: int = 0
    furniture_lines: int = 0  # page furniture (menus, related headlines, captions, bylines) blanked: no events
    quarantined_events: int = 0
    actors: set[str] = field(default_factory=set)
    by_type: Counter = field(default_factory=Counter)
    by_factuality: Counter = field(default_factory=Counter)
    skipped: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quarantine: Graph | None = None
    seconds: float = 0.0
    words: int = 0
    validation_seconds: float = 0.0

    def record(self, processor: ArticleProcessor, article: Article, doc, mapped: Mapped, q: Graph | None, log: Log) -> None:
        """Count one processed article (and collect its quarantine)."""
        self.articles += 1
        self.furniture_lines += article.furniture
        self.validation_seconds += processor.last_validation_seconds
        self.words += sum(1 for t in doc if not t.is_space and not t.is_punct)
        self.events += len(mapped.events)
        for ev in mapped.events.values():
            self.by_type[processor.mapper.class_plover.get(ev.cls, ev.cls)] += 1
            self.by_factuality[ev.factuality] += 1
            for a in ev.sources + ev.targets + ev.participants + ev.mediators:
                self.actors.add(a.key)
        if q is not None:
            n = len(set(q.subjects(DIP.evidence, None)))
            self.quarantined_events += n
            log(f"quarantined {n} event(s) of {article.name} that failed validation")
            self.quarantine = self.quarantine if self.quarantine is not None else Graph()
            for t in q:
                self.quarantine.add(t)

    def merge(self, other: BuildSummary) -> None:
        """Add a shard's summary (distributed builds)."""
        for name in ("articles", "unchanged", "events", "furniture_lines", "quarantined_events", "words", "validation_seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.actors |= other.actors
        self.by_type.update(other.by_type)
        self.by_factuality.update(other.by_factuality)
        self.skipped += other.skipped
        self.notes += other.notes
        if other.quarantine is not None:
            self.quarantine = self.quarantine if self.quarantine is not None else Graph()
            for t in other.quarantine:
                self.quarantine.add(t)

    def lines(self) -> list[str]:
        out = [f"articles: {self.articles} built, {self.unchanged} unchanged, {len(self.skipped)} skipped",
               f"events: {self.events} ({', '.join(f'{k} {v}' for k, v in sorted(self.by_type.items()))})",
               f"factuality: {', '.join(f'{k} {v}' for k, v in sorted(self.by_factuality.items()))}",
               f"actors: {len(self.actors)}",
               f"quarantined events: {self.quarantined_events}",
               f"page furniture: {self.furniture_lines} lines left out (menus, related headlines, captions, bylines)",
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
        self.last_validation_seconds = 0.0

    def process(self, article: Article, doc, validate: bool = True, min_confidence: float = 0.0
                ) -> tuple[Mapped, Graph | None]:
        """The article's valid graph, and a quarantine graph (or None) for what failed the shapes."""
        extracted = self.extractor.extract(doc, article.date)
        captions = verbless_lines(doc, article.title)  # page furniture only the parse shows: no events
        if captions:
            article.furniture += len(captions)
            for ev in extracted.events:
                ev.evidence = [e for e in ev.evidence if e.start not in captions]
            extracted.events = [ev for ev in extracted.events if ev.evidence]
        if min_confidence > 0:
            extracted.events = [ev for ev in extracted.events if ev.confidence >= min_confidence]
        mapped = self.mapper.map(article, extracted)
        if not validate:
            return mapped, None
        quarantine: Graph | None = None
        started = time.perf_counter()
        for _ in range(3):
            report = check(mapped.graph)  # compiled shapes: milliseconds per article
            self.last_validation_seconds = time.perf_counter() - started
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
        if opts.article_date and not article.date:  # the page's own date comes first
            article.date = opts.article_date
        yield article


def processed(paths: list[str | Path], opts: BuildOptions, summary: BuildSummary, log: Log,
              is_unchanged: Callable[[Article], bool]) -> Iterator[tuple[Article, Mapped, Graph | None]]:
    """The per-article pipeline shared by the local and the distributed engines: read, parse in batches,
    extract, map, validate; yields each new or changed article's graph and quarantine."""
    nlp = load_nlp(opts.model)
    processor = ArticleProcessor(model_label(nlp), run_time=opts.run_time)

    def fresh() -> Iterator[tuple[str, Article]]:
        for article in _read_all(paths, opts, summary, log):
            if is_unchanged(article):
                summary.unchanged += 1
                continue
            yield article.text, article

    # Parsing in a background thread ahead of this loop measured slower: spaCy holds the GIL most of the time.
    for doc, article in nlp.pipe(fresh(), as_tuples=True, batch_size=opts.batch_size, n_process=opts.n_process):
        mapped, q = processor.process(article, doc, validate=opts.validate, min_confidence=opts.min_confidence)
        summary.record(processor, article, doc, mapped, q, log)
        yield article, mapped, q


def build(paths: list[str | Path], store: GraphStore, opts: BuildOptions | None = None, log: Log = _stderr,
          progress: Callable[[int], None] | None = None) -> BuildSummary:
    """Build the graph of every readable article under `paths` into `store` (one process, streaming)."""
    opts = opts or BuildOptions()
    if opts.run_time is None:
        opts.run_time = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    summary = BuildSummary()
    start = time.perf_counter()
    store.put_entities(vocabulary_graph())

    def unchanged(article: Article) -> bool:
        return store.article_hash(RES[f"article/{article.doc_id}"]) == article.content_hash

    for _, mapped, _ in processed(paths, opts, summary, log, unchanged):
        store.put_article(mapped.article, mapped.graph)
        if progress is not None:
            progress(summary.articles + summary.unchanged + len(summary.skipped))
    store.flush()
    summary.seconds = time.perf_counter() - start
    return summary


def write_quarantine(graph: Graph, path: Path) -> None:
    for k, v in PREFIXES.items():
        graph.bind(k, v)
    graph.bind("sh", "http://www.w3.org/ns/shacl#")
    with atomic_output(path) as tmp:
        graph.serialize(destination=str(tmp), format="turtle")


