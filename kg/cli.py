"""`kg`: the command line. A thin layer: each command parses its options and calls the library.

Exit codes: 0 ok; 1 the graph does not conform to the shapes; 2 usage or input error (bad file,
malformed RDF, unknown query, bad parameter, unwritable output, disk full); 3 the build finished but
skipped some inputs; 4 an internal error (a bug: one line and a hint to report it); 141 stdout closed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path
from collections.abc import Callable

from . import __version__
from .errors import ModelError

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_SKIPPED, EXIT_INTERNAL, EXIT_PIPE = 0, 1, 2, 3, 4, 141
REPORT_HINT = "this is a bug in DiploKG; please report it with the command and the input that caused it"


class UsageError(Exception):
    """A problem with the command line or its inputs; printed as one line, exit 2."""


def _err(msg: str) -> None:
    print(f"kg: error: {msg}", file=sys.stderr)


def _note(msg: str) -> None:
    print(f"kg: {msg}", file=sys.stderr, flush=True)


def _open_store(graph: str | None, store: str | None, required: bool = True):
    """A GraphStore from --graph FILE (loaded in memory) or --store DIR (opened on disk)."""
    from .store import GraphStore, StoreError

    if graph and store:
        raise UsageError("give --graph FILE or --store DIR, not both")
    if store:
        path = Path(store)
        if not path.is_dir():
            raise UsageError(f"{path}: no such store folder")
        try:
            return GraphStore(path, read_only=True, log=_note)  # waits for a build writing it to finish
        except StoreError as exc:
            raise UsageError(str(exc)) from None
    if graph:
        path = Path(graph)
        if not path.is_file():
            raise UsageError(f"{path}: no such graph file")
        s = GraphStore()
        try:
            s.load_file(path)
        except StoreError as exc:
            raise UsageError(str(exc)) from None
        return s
    if required:
        raise UsageError("give --graph FILE or --store DIR")
    return None


def _progress(enabled: bool, paths: list[str]) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    """A tqdm bar on a terminal (articles/s, ETA); nothing in pipes and CI."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    from .read import iter_input_files

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
    from .read import display, input_files

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
    before they went in and hold disjoint subjects, so only the shared entity graph can conflict."""
    from .store import ENTITY_GRAPH, to_rdflib
    from .validate import check

    if not on_store:
        return check(store.to_rdflib())
    return check((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                 for q in store.ox.quads_for_pattern(None, None, None, ENTITY_GRAPH))


# ---------------------------------------------------------------------- commands
def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import BuildOptions, build, write_quarantine
    from .store import GraphStore, StoreError, format_for
    from .validate import summarize

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
        from .distributed import build_dask

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


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import summarize, validate_graph

    with _open_store(args.graph_file or args.graph, args.store) as store:
        report = validate_graph(store.to_rdflib())
    where = args.store or args.graph_file or args.graph
    if report.conforms:
        print(f"{where}: conforms ({report.warnings} warnings)")
        return EXIT_OK
    print(f"{where}: does not conform: {len(report.violations)} nodes violate the shapes ({report.warnings} warnings)")
    print(summarize(report, limit=args.limit))
    return EXIT_INVALID


def cmd_query(args: argparse.Namespace) -> int:
    from .query import FORMATTERS, QueryError, get_query, run_query

    params: dict[str, str] = {}
    for p in args.param:
        if "=" not in p:
            raise UsageError(f"--param {p!r}: expected NAME=VALUE")
        k, v = p.split("=", 1)
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:  # argv bytes that are not UTF-8 arrive as lone surrogates
            raise UsageError(f"--param {k.strip()}: value is not valid UTF-8 text") from None
        params[k.strip()] = v
    try:
        q = get_query(args.name)
        with _open_store(args.graph, args.store) as store:
            variables, rows = run_query(store, q, params)
    except QueryError as exc:
        raise UsageError(str(exc)) from None
    print(FORMATTERS[args.format](variables, rows))
    return EXIT_OK


def cmd_queries(args: argparse.Namespace) -> int:
    from .query import saved_queries

    for name, q in saved_queries().items():
        params = ", ".join(("" if s["required"] else "[") + n + ("" if s["required"] else "]") for n, s in q.params.items())
        print(f"{name:12} {q.summary}" + (f"  (params: {params})" if params else ""))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .store import StoreError

    if not args.out and not args.events:
        raise UsageError("export needs --out FILE (RDF) or --events FILE (.csv, .tsv, .parquet)")
    with _open_store(args.graph, args.store) as store:
        if args.out:
            try:
                store.export(Path(args.out), args.format)
            except StoreError as exc:
                raise UsageError(str(exc)) from None
            print(f"{args.out}: {len(store):,} quads exported")
        if args.events:
            _export_events(store, Path(args.events))
    return EXIT_OK


def _export_events(store, path: Path) -> None:
    """The events table (kg/events_table.py) as CSV, TSV or Parquet."""
    from .events_table import write_events

    try:
        n = write_events(store, path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"{path}: {n:,} event rows (one per event and source/target pair)")


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import Limits, serve
    from .store import StoreError

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: not a TCP port")
    if args.timeout <= 0 or args.max_rows <= 0:
        raise UsageError("--timeout and --max-rows must be positive")
    import socket

    try:  # a clear one-line error now rather than the server's log line later
        with socket.create_server((args.host, args.port)):
            pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    import shutil
    import tempfile

    snapshot_dir = None
    with _open_store(args.graph, args.store) as opened:
        store = opened
        if args.store:  # serve a snapshot, so the store's lock is free for builds while the server runs
            snapshot_dir = Path(tempfile.mkdtemp(prefix="diplokg-serve-"))
            try:
                store = opened.snapshot(snapshot_dir / "store")
            except StoreError as exc:
                shutil.rmtree(snapshot_dir, ignore_errors=True)
                raise UsageError(str(exc)) from None
    try:
        what = f"a snapshot of {args.store} (restart to see later builds)" if args.store else args.graph
        print(f"serving {what} ({len(store):,} quads) at http://{args.host}:{args.port}/ "
              f"(SPARQL endpoint /sparql, API /api/openapi.json); Ctrl+C stops", flush=True)
        serve(store, host=args.host, port=args.port, limits=Limits(seconds=args.timeout, rows=args.max_rows))
    finally:
        if snapshot_dir is not None:
            store.close()
            shutil.rmtree(snapshot_dir, ignore_errors=True)
    return EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    import os

    import httpx

    from .push import PushError, push

    if not re.match(r"^https?://", args.endpoint):
        raise UsageError(f"{args.endpoint!r}: the endpoint is an http(s) URL of a Graph Store service")
    auth = None
    if args.user:
        if not args.password_env or args.password_env not in os.environ:
            raise UsageError("--user needs --password-env VAR naming an environment variable that holds the password")
        password = os.environ[args.password_env]
        auth = httpx.DigestAuth(args.user, password) if args.digest else httpx.BasicAuth(args.user, password)
    log = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    with _open_store(args.graph, args.store) as store:
        try:
            report = push(store, args.endpoint, auth=auth, log=log)
        except PushError as exc:
            raise UsageError(str(exc)) from None
    for line in report.lines():
        print(line)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_file, render

    path = Path(args.gold)
    if not path.is_file():
        raise UsageError(f"{path}: no such gold file")
    result = evaluate_file(path, model=args.model, min_confidence=args.min_confidence)
    print(render(result))
    return EXIT_OK


# ---------------------------------------------------------------------- parser
def confidence_value(text: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="DiploKG: English diplomacy news -> a validated RDF knowledge graph.")
    ap.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build the graph of articles (.txt/.html files or folders)",
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

    v = sub.add_parser("validate", help="validate a graph file or store against the SHACL shapes")
    v.add_argument("graph_file", nargs="?", metavar="FILE", help="graph file to validate")
    v.add_argument("--graph", metavar="FILE", help="graph file to validate (same as FILE)")
    v.add_argument("--store", metavar="DIR", help="validate the merged graph of a store")
    v.add_argument("--limit", type=int, default=20, help="show at most this many failing nodes")
    v.set_defaults(func=cmd_validate)

    q = sub.add_parser("query", help="run a saved query (see `kg queries`)")
    q.add_argument("name", metavar="NAME", help="saved query name")
    q.add_argument("--graph", metavar="FILE", help="graph file to query")
    q.add_argument("--store", metavar="DIR", help="store to query")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table", help="table, csv or json (SPARQL 1.1 results)")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a query parameter (repeatable)")
    q.set_defaults(func=cmd_query)

    ls = sub.add_parser("queries", help="list the saved queries with their summaries")
    ls.set_defaults(func=cmd_queries)

    e = sub.add_parser("export", help="write a store or graph file in another RDF format")
    e.add_argument("--graph", metavar="FILE", help="graph file to convert")
    e.add_argument("--store", metavar="DIR", help="store to export")
    e.add_argument("--out", metavar="FILE", help="output RDF file")
    e.add_argument("--events", metavar="FILE", help="write the events table, one row per event and source/target "
                   "pair (.csv, .tsv, or .parquet with pyarrow)")
    e.add_argument("--format", metavar="FMT", help="turtle, nt, nq, trig, xml, jsonld, n3 (default: from the suffix)")
    e.set_defaults(func=cmd_export)

    sv = sub.add_parser("serve", help="a read-only SPARQL endpoint, the saved queries as a REST API, and a web page",
                        description="Serve the graph: /sparql (SPARQL 1.1 Protocol, read-only), /api/NAME (saved "
                        "queries), /api/openapi.json, and a page for people at /.")
    sv.add_argument("--graph", metavar="FILE", help="graph file to serve (loaded in memory)")
    sv.add_argument("--store", metavar="DIR", help="store to serve (opened read-only)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=int, default=7879, metavar="N", help="TCP port (default 7879)")
    sv.add_argument("--timeout", type=float, default=30.0, metavar="S", help="time limit per query in seconds (default 30)")
    sv.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="row limit per answer (default 10,000)")
    sv.set_defaults(func=cmd_serve)

    pu = sub.add_parser("push", help="load the graph into a triplestore (SPARQL 1.1 Graph Store HTTP Protocol)",
                        description="Send one named graph per article and the entity graph to a Graph Store endpoint, "
                        "replacing changed graphs and skipping unchanged ones.")
    pu.add_argument("endpoint", metavar="ENDPOINT", help="Graph Store URL, e.g. http://localhost:7878/store "
                    "(Oxigraph), http://localhost:3030/ds/data (Fuseki)")
    pu.add_argument("--graph", metavar="FILE", help="graph file to push")
    pu.add_argument("--store", metavar="DIR", help="store to push")
    pu.add_argument("--user", metavar="U", help="user name for HTTP authentication")
    pu.add_argument("--password-env", metavar="VAR", help="environment variable holding the password")
    pu.add_argument("--digest", action="store_true", help="HTTP digest authentication (Virtuoso) instead of basic")
    pu.add_argument("--quiet", action="store_true", help="no per-graph messages on stderr")
    pu.set_defaults(func=cmd_push)

    ev = sub.add_parser("eval", help="precision, recall and F1 of the extractor on a gold file (JSONL)")
    ev.add_argument("gold", metavar="GOLD", help="gold sentences with coded events (JSONL)")
    ev.add_argument("--model", metavar="NAME", help="spaCy pipeline to evaluate")
    ev.add_argument("--min-confidence", type=confidence_value, default=0.0, metavar="X",
                    help="score only events whose confidence is at least X")
    ev.set_defaults(func=cmd_eval)
    return ap


def _stdout_closed() -> int:
    """`kg query ... | head`: the reader went away; end quietly, as a process killed by SIGPIPE would."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not complain
    except (OSError, ValueError):
        pass
    return EXIT_PIPE


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a file name in Latin-1 must not break a message
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    ap = parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage errors
        return int(exc.code or 0)
    from .store import StoreError

    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except (UsageError, ModelError, StoreError) as exc:  # StoreError here: a write failed (disk full, read-only)
        _err(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        return _stdout_closed()
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except MemoryError:
        _err("out of memory")
        return EXIT_INTERNAL
    except Exception as exc:  # noqa: BLE001 - never a traceback: one line, its own exit code, a hint
        detail = (str(exc).strip().splitlines() or [""])[0][:300]
        _err(f"internal error: {type(exc).__name__}{': ' + detail if detail else ''} ({REPORT_HINT}; "
             "DIPLOKG_DEBUG=1 shows the traceback)")
        if os.environ.get("DIPLOKG_DEBUG"):
            raise
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
