"""`kg build`: read articles, extract diplomatic events, validate each article's graph and write it
to a file (--out) or a persistent store (--store). A thin layer over the pipeline's build."""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path

from .common import EXIT_INVALID, EXIT_OK, EXIT_SKIPPED, UsageError, _err, _note, confidence_value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = subparsers.add_parser("build", help="build the graph of articles (.txt/.html files or folders)",
                              description="Read articles, extract diplomatic events, validate each article's graph and write it.")
    b.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders of them")
    b.add_argument("--out", metavar="FILE", help="write the graph to FILE (format from --format or the suffix)")
    b.add_argument("--store", metavar="DIR", help="add to a persistent Oxigraph store in DIR (incremental, idempotent)")
    b.add_argument("--format", metavar="FMT", help="turtle (default), nt, nq, trig, xml, jsonld, n3")
    b.add_argument("--model", metavar="NAME", help="spaCy pipeline (default: $DIPLOKG_MODEL or the best installed)")
    b.add_argument("--date", metavar="YYYY-MM-DD", help="publication date of articles that state none (page metadata or a date near the top of the text come first), to resolve weekdays and relative dates")
    b.add_argument("--max-bytes", type=int, default=5_000_000, metavar="N", help="skip files larger than N bytes")
    b.add_argument("--min-confidence", type=confidence_value, default=0.0, metavar="X",
                   help="keep only events whose confidence is at least X (0-1; default keeps every event)")
    b.add_argument("--batch-size", type=int, default=32, metavar="N", help="articles per nlp.pipe batch")
    b.add_argument("--jobs", type=int, default=1, metavar="N", help="parser processes (nlp.pipe n_process)")
    b.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local (streaming, --jobs processes) or dask (shards over Dask workers, then one bulk load)")
    b.add_argument("--scheduler", metavar="ADDR", help="with --engine dask: a running scheduler (tcp://host:8786); "
                   "default a LocalCluster")
    b.add_argument("--workers", type=int, default=2, metavar="N", help="with --engine dask: LocalCluster workers")
    b.add_argument("--quiet", action="store_true", help="no progress bar or per-file messages on stderr")
    b.set_defaults(func=cmd_build)


def _progress(enabled: bool, paths: list[str]) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """A tqdm bar on a terminal (articles/s, ETA); nothing in pipes and CI."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    from ..reading.files import iter_input_files

    total = sum(1 for f in iter_input_files(paths) if isinstance(f, Path))
    bar = tqdm(total=total, unit="article", file=sys.stderr, dynamic_ncols=True)
    state = {"n": 0}

    def update(n: int) -> None:
        bar.update(n - state["n"])
        state["n"] = n

    return update, bar.close


def _writable_target(path: Path, what: str) -> None:
    """Refuse an output before any work: a folder where a file is wanted, a missing or read-only folder."""
    if what == "file" and path.is_dir():
        raise UsageError(f"{path}: is a folder; --out needs a file name")
    if what == "folder" and path.exists() and not path.is_dir():
        raise UsageError(f"{path}: is a file; --store needs a folder")
    import tempfile

    folder = path if what == "folder" and path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the nearest folder that exists must let us create the rest
    try:  # a real probe: os.access says yes to root on a read-only mount or /proc
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UsageError(f"{path}: cannot write there ({exc.strerror or exc})") from None


def check_build_args(args: argparse.Namespace) -> None:
    """Every option and input checked before any work (a model load, a parse, a write)."""
    from ..reading.files import display, input_files

    if not args.out and not args.store:
        raise UsageError("build needs --out FILE or --store DIR")
    for name in ("batch_size", "jobs", "workers", "max_bytes"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} {getattr(args, name)}: must be 1 or more")
    if args.date:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.date):
                raise ValueError
            dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date {args.date!r}: not a real date (YYYY-MM-DD)") from None
    for raw in args.paths:
        if not Path(raw).exists():
            raise UsageError(f"{display(raw)}: no such file or folder")
    if not any(isinstance(item, tuple) for item in input_files(args.paths)):
        raise UsageError(f"{', '.join(map(display, args.paths))}: no .txt/.html articles found; nothing to build")
    if args.out:
        _writable_target(Path(args.out), "file")
    if args.store:
        _writable_target(Path(args.store), "folder")


def _whole_graph_check(store, on_store: bool):
    """The check that needs every article at once (one person representing two countries across articles).

    For a file build it runs on the whole graph in memory; a store's article graphs were each checked
    before they went in and hold disjoint subjects, so only the shared entity graph and the happenings graph
    (with the article-local actors its happenings name, described in their articles' graphs) can conflict."""
    from itertools import chain

    from ..graph.terms import to_rdflib
    from ..graph.validate import check
    from ..namespace import DIP
    from ..store.quads import ENTITY_GRAPH, HAPPENINGS_GRAPH, LOCAL_ACTORS

    ACTOR_ROLES = {str(DIP.sourceActor), str(DIP.targetActor)}

    if not on_store:
        return check(store.to_rdflib())
    happenings = list(store.ox.quads_for_pattern(None, None, None, HAPPENINGS_GRAPH))
    # an article's own actor a happening names is described in its article's graph
    local = {q.object for q in happenings if q.predicate.value in ACTOR_ROLES and str(q.object.value).startswith(LOCAL_ACTORS)}
    described = (q for actor in local for q in store.ox.quads_for_pattern(actor, None, None, None))
    return check((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                 for q in chain(store.ox.quads_for_pattern(None, None, None, ENTITY_GRAPH), happenings, described))


def cmd_build(args: argparse.Namespace) -> int:
    from ..graph.validate import summarize
    from ..pipeline.options import BuildOptions
    from ..pipeline.runner import build, write_quarantine
    from ..store.files import StoreError
    from ..store.formats import format_for
    from ..store.graph_store import GraphStore

    check_build_args(args)
    out = Path(args.out) if args.out else None
    try:
        format_for(args.format, out)
        store = GraphStore(Path(args.store), log=_note) if args.store else GraphStore()
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    opts = BuildOptions(model=args.model, article_date=args.date, max_bytes=args.max_bytes,
                        min_confidence=args.min_confidence,
                        batch_size=args.batch_size, n_process=args.jobs)
    log = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    if args.engine == "dask":
        from ..pipeline.distributed import build_dask

        summary = build_dask(args.paths, store, opts, scheduler=args.scheduler, workers=args.workers, log=log)
    else:
        update, close = _progress(not args.quiet, args.paths)
        try:
            summary = build(args.paths, store, opts, log=log, progress=update)
        finally:
            close()
    code = EXIT_OK
    report = _whole_graph_check(store, on_store=bool(args.store))  # on top of per-article validation
    if not report.conforms:
        _err(f"{out or args.store}: the built graph does not conform to the shapes:\n{summarize(report)}")
        code = EXIT_INVALID
    nothing_built = summary.articles + summary.unchanged == 0
    if out is not None and nothing_built and out.exists():
        _err(f"{out}: no article was built; the existing file is left as it was")
        out = None
    try:
        if out is not None:
            store.export(out, args.format)
        quarantine_path = Path(str(out or args.out or Path(args.store) / "graph") + ".quarantine.ttl")
        if summary.quarantine is not None:
            write_quarantine(summary.quarantine, quarantine_path)
        elif quarantine_path.exists() and out is not None:
            quarantine_path.unlink()  # a stale quarantine from an earlier build of the same output
    except StoreError as exc:
        store.close()
        raise UsageError(str(exc)) from None
    for line in summary.lines():
        print(line)
    if out is not None:
        print(f"graph: {out} ({len(store):,} quads in store)")
    if args.store:
        print(f"store: {args.store} ({len(store):,} quads)")
    store.close()
    if summary.quarantine is not None:
        print(f"quarantine: {quarantine_path} ({summary.quarantined_events} events that failed validation, with reports)")
    for skipped in summary.skipped:
        print(f"skipped: {skipped}")
    if code == EXIT_OK and (summary.skipped or nothing_built):
        code = EXIT_SKIPPED
    return code
