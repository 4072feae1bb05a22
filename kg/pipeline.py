"""The main job: read -> parse -> extract -> map to RDF -> validate per article -> store -> write.

Articles stream through `nlp.pipe` in batches; each article's graph is validated on its own (so
the cost grows linearly with the corpus) and what fails its shapes goes to a quarantine graph with
its report, never into the main graph and never lost. One bad input is skipped with a one-line
reason; the rest of the batch goes on.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc

from .component import EVENTS_PIPE, dated_text, doc_events
from .geonames import warm_up as warm_up_geonames
from .lexicon import load_lexicon
from .namespace import DIP, PREFIXES
from .nlp import load_nlp, model_label
from .rdfmap import Mapped, RdfMapper, article_iri, vocabulary_graph
from .read import DEFAULT_MAX_BYTES, Article, InputError, display, input_files, read_article, verbless_lines
from .store import GraphStore, StoreWriteError, atomic_output
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

    def record(self, done: Processed, class_plover: dict[str, str], log: Log) -> None:
        """Count one processed article (and collect its quarantine)."""
        article, doc, mapped, q = done.article, done.doc, done.mapped, done.quarantine
        self.articles += 1
        self.furniture_lines += article.furniture
        self.validation_seconds += done.validation_seconds
        flags = doc.to_array([IS_SPACE, IS_PUNCT]).reshape(-1, 2)  # words: tokens neither space nor punctuation
        self.words += int(((flags[:, 0] == 0) & (flags[:, 1] == 0)).sum())
        self.events += len(mapped.events)
        for ev in mapped.events.values():
            self.by_type[class_plover.get(ev.cls, ev.cls)] += 1
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


class ArticleError(InputError):
    """One article that cannot be built; the build skips it with this one-line reason and goes on."""


def _skip(summary: BuildSummary, log: Log, error: InputError) -> None:
    summary.skipped.append(error)
    log(f"skipped {error}")


def stage_error(path: Path, stage: str, exc: BaseException) -> ArticleError:
    """An unexpected exception in one article's stage as a one-line skip reason (a bug: worth reporting)."""
    if isinstance(exc, InputError):
        return exc if isinstance(exc, ArticleError) else ArticleError(path, str(exc).split(": ", 1)[-1], exc.kind)
    if isinstance(exc, MemoryError):
        return ArticleError(path, f"{stage}: out of memory; skipped", "error")
    detail = (str(exc).strip().splitlines() or [""])[0][:200]
    return ArticleError(path, f"{stage} failed ({type(exc).__name__}{': ' + detail if detail else ''}); "
                        "skipped (a bug: please report it with this file)", "error")


def read_one(path: Path, rel: str, opts: BuildOptions) -> Article:
    """Read one input file; any failure is an InputError naming the file."""
    try:
        article = read_article(path, max_bytes=opts.max_bytes)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - per-article isolation: any failure costs this article only
        raise stage_error(path, "reading", exc) from None
    article.rel = rel
    if opts.article_date and not article.date:  # the page's own date comes first
        article.date = opts.article_date
    return article


def _read_all(paths: list, opts: BuildOptions, summary: BuildSummary, log: Log) -> Iterator[Article]:
    ids: dict[str, str] = {}  # article id -> the file that has it: a second file with the same id is refused
    for item in input_files(paths):
        if isinstance(item, InputError):
            _skip(summary, log, item)
            continue
        path, rel = item
        try:
            article = read_one(path, rel, opts)
        except InputError as exc:
            _skip(summary, log, exc)
            continue
        first = ids.setdefault(article.doc_id, display(path))
        if first != display(path):
            _skip(summary, log, InputError(path, f"same article id {article.doc_id!r} as {first}; rename one of them",
                                           "duplicate-id"))
            continue
        for note in article.notes:
            summary.notes.append(note)
            log(f"note: {note}")
        yield article


def parse_long(nlp, text: str, article_date: str | None = None, extract: bool = True) -> Doc:
    """A text over the model's max_length parsed in paragraph-aligned chunks and joined into one Doc
    (offsets unchanged); the event component then runs once on the whole Doc (unless `extract` is False: the
    caller runs it), so events and coreference see the article whole. A single paragraph over the limit
    cannot be split safely: ValueError."""
    limit = nlp.max_length
    chunks: list[str] = []
    current = ""
    for para in re.split(r"(?<=\n\n)", text):  # keeps the blank lines with the paragraph before them
        if len(para) > limit:
            raise ValueError(f"a paragraph of {len(para):,} characters is over the model's limit of {limit:,}")
        if len(current) + len(para) > limit:
            chunks.append(current)
            current = ""
        current += para
    if current:
        chunks.append(current)
    events = EVENTS_PIPE if EVENTS_PIPE in nlp.pipe_names else None
    with nlp.select_pipes(disable=[events] if events else []):
        docs = list(nlp.pipe(chunks))
    joined = Doc.from_docs(docs, ensure_whitespace=False, exclude=["user_data"])
    if events and extract:
        joined._.article_date = article_date
        joined = nlp.get_pipe(events)(joined)
    return joined


def parse_guarded(nlp, items: Iterator[tuple[str, Article]], batch_size: int, n_process: int,
                  on_error: Callable[[ArticleError], None], extract: bool = True) -> Iterator[tuple[Doc, Article]]:
    """`nlp.pipe` that one article cannot stop: long texts are parsed in chunks, and if the pipe raises,
    the articles it held are parsed one by one (the one that fails is skipped) and the pipe restarts.
    With `extract` False the event component is left out (the caller runs it on each doc)."""
    skip = [EVENTS_PIPE] if not extract and EVENTS_PIPE in nlp.pipe_names else []
    pending: deque = deque()  # (what was sent, article): in the pipe, not yet out
    ready: list[tuple[Doc, Article]] = []  # parsed apart (long texts)
    source_error: list[BaseException] = []  # an error of the input itself (the store, the disk): not an article's

    def feed() -> Iterator[str]:
        try:
            for text, article in items:
                if len(article.text) > nlp.max_length:
                    try:
                        ready.append((parse_long(nlp, article.text, article.date, extract), article))
                    except Exception as exc:  # noqa: BLE001
                        on_error(stage_error(article.path, "parsing", exc))
                    continue
                pending.append((text, article))
                yield text
        except Exception as exc:
            source_error.append(exc)
            raise

    source = feed()
    while True:
        try:
            # Not as_tuples: spaCy would then make a Doc of every text here and send it to the workers serialised
            # (tokenising and msgpack in this process, ~1/8 of a --jobs 2 build); a text goes to them as it is.
            # Docs come out in the order their texts went in, so the oldest pending article is this doc's.
            for doc in nlp.pipe(source, batch_size=batch_size, n_process=n_process, disable=skip):
                article = pending[0][1]
                if _char_length(doc) != len(article.text):  # never seen: a doc the pipe dropped would shift them
                    raise RuntimeError("nlp.pipe returned a doc out of order")  # redone one by one below
                pending.popleft()
                yield from _drain(ready)
                yield doc, article
            yield from _drain(ready)
            return
        except Exception:  # noqa: BLE001 - the pipe is dead: redo what it held, one at a time
            if source_error:
                raise source_error[0] from None
        held = list(pending)
        pending.clear()
        for sent, article in held:
            try:
                doc = nlp(sent, disable=skip)  # the text, with the article's date
            except Exception as exc:  # noqa: BLE001
                on_error(stage_error(article.path, "parsing", exc))
                continue
            yield doc, article
        yield from _drain(ready)


def _char_length(doc: Doc) -> int:
    """len(doc.text) without building the text."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def _drain(ready: list) -> Iterator:
    while ready:
        yield ready.pop(0)


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


def processed(paths: list[str | Path], opts: BuildOptions, summary: BuildSummary, log: Log,
              is_unchanged: Callable[[Article], bool]) -> Iterator[tuple[Article, Mapped, Graph | None]]:
    """The per-article pipeline shared by the local and the distributed engines: read, parse and extract in
    batches (in `opts.n_process` processes), map, validate; yields each new or changed article's graph and
    quarantine."""
    nlp = load_nlp(opts.model)
    processor = ArticleProcessor(model_label(nlp), run_time=opts.run_time)

    def fresh() -> Iterator[tuple[str, Article]]:
        for article in _read_all(paths, opts, summary, log):
            if is_unchanged(article):
                summary.unchanged += 1
                continue
            # The text carries the date to the event component, in a worker under --jobs N (kg/component.py).
            yield dated_text(article.text, article.date), article

    def settled(done: Processed) -> Iterator[tuple[Article, Mapped, Graph | None]]:
        if done.error is not None:
            _skip(summary, log, done.error)
            return
        summary.record(done, processor.mapper.class_plover, log)
        yield done.article, done.mapped, done.quarantine

    def skip(error: ArticleError) -> None:
        _skip(summary, log, error)

    if opts.n_process > 1:  # the workers parse and extract; this process maps as the docs come (no thread: forks)
        warm_up_geonames()  # loaded once here, inherited by the forked workers
        for doc, article in parse_guarded(nlp, fresh(), opts.batch_size, opts.n_process, skip):
            yield from settled(process_one(processor, article, doc, opts))
        return
    extractor = nlp.get_pipe(EVENTS_PIPE) if EVENTS_PIPE in nlp.pipe_names else None
    parsed = parse_guarded(nlp, fresh(), opts.batch_size, 1, skip, extract=extractor is None)
    overlapped = Overlapped(processor, opts, extractor)
    try:
        for doc, article in parsed:
            for done in overlapped.submit(article, doc):
                yield from settled(done)
        for done in overlapped.drain():
            yield from settled(done)
    finally:
        overlapped.close()


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
        return store.article_hash(article_iri(article)) == article.content_hash

    for article, mapped, _ in processed(paths, opts, summary, log, unchanged):
        try:
            store.put_article(mapped.article, mapped.graph)
        except StoreWriteError:
            raise  # the disk, not the article: the build stops with one line
        except Exception as exc:  # noqa: BLE001 - e.g. a term the store refuses: this article only
            summary.articles -= 1
            _skip(summary, log, stage_error(article.path, "store write", exc))
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


