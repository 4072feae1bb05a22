"""The main job: read -> parse -> extract -> map to RDF -> validate per article -> store -> write.

Articles stream through `nlp.pipe` in batches; each article's graph is validated on its own (so
the cost grows linearly with the corpus) and what fails its shapes goes to a quarantine graph with
its report, never into the main graph and never lost. One bad input is skipped with a one-line
reason; the rest of the batch goes on.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from rdflib import Graph

from ..extraction.component import EVENTS_PIPE, load_nlp
from ..graph.rdfmap import Mapped, article_iri, vocabulary_graph
from ..happenings import refresh_happenings
from ..lexicon.geonames import warm_up as warm_up_geonames
from ..namespace import PREFIXES
from ..nlp.dated import dated_text
from ..nlp.model import model_label
from ..reading.article import Article, read_article
from ..reading.files import InputError, InputNote, display, input_files
from ..store.files import StoreWriteError, atomic_output
from ..store.graph_store import GraphStore
from .options import ArticleError, BuildOptions, BuildSummary, Log, _note, _skip, _stderr, stage_error
from .parsing import parse_guarded
from .processor import ArticleProcessor, Overlapped, Processed, process_one


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
        if isinstance(item, InputNote):
            _note(summary, log, item)
            continue
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
            _note(summary, log, note)
        yield article


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
            # The text carries the date to the event component, in a worker under --jobs N (kg/extraction/component.py).
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
    if opts.happenings:
        summary.happenings = refresh_happenings(store)
    summary.seconds = time.perf_counter() - start
    return summary


def write_quarantine(graph: Graph, path: Path) -> None:
    for k, v in PREFIXES.items():
        graph.bind(k, v)
    graph.bind("sh", "http://www.w3.org/ns/shacl#")
    with atomic_output(path) as tmp:
        graph.serialize(destination=str(tmp), format="turtle")
