"""`kg serve`: a read-only SPARQL endpoint, the saved queries as a REST API, and a web page."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..serving.endpoint import Limits
from .common import EXIT_OK, UsageError, _open_store


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sv = subparsers.add_parser("serve", help="a read-only SPARQL endpoint, the saved queries as a REST API, and a web page",
                               description="Serve the graph: /sparql (SPARQL 1.1 Protocol, read-only), /api/NAME (saved "
                               "queries), /api/openapi.json, and a page for people at /.")
    sv.add_argument("--graph", metavar="FILE", help="graph file to serve (loaded in memory)")
    sv.add_argument("--store", metavar="DIR", help="store to serve, live: what builds add is served once they commit")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=int, default=7879, metavar="N", help="TCP port (default 7879)")
    sv.add_argument("--timeout", type=float, default=30.0, metavar="S", help="time limit per query in seconds (default 30)")
    sv.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="row limit per answer (default 10,000)")
    sv.add_argument("--max-answer-bytes", type=int, default=Limits.bytes, metavar="N",
                    help=f"size limit per answer (default {Limits.bytes:,})")
    sv.add_argument("--workers", type=int, default=Limits.workers, metavar="N",
                    help=f"queries running at once, each in its own process (default {Limits.workers}: the CPUs)")
    sv.add_argument("--reserved", type=int, default=Limits.reserved, metavar="N",
                    help="workers kept for the saved queries of /api, never held by ad hoc /sparql queries (default 1)")
    sv.add_argument("--queue", type=int, default=Limits.queue, metavar="N",
                    help=f"requests of each kind that may wait for a worker; past it 503 + Retry-After (default {Limits.queue})")
    sv.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..serving.endpoint import create_app, serve
    from ..store.files import StoreError

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: not a TCP port")
    if args.timeout <= 0 or args.max_rows <= 0 or args.max_answer_bytes <= 0:
        raise UsageError("--timeout, --max-rows and --max-answer-bytes must be positive")
    if args.workers < 1 or args.queue < 0 or not 0 <= args.reserved < max(args.workers, 2):
        raise UsageError("--workers must be at least 1, --queue at least 0, and --reserved below --workers")
    import socket

    try:  # a clear one-line error now rather than the server's log line later
        with socket.create_server((args.host, args.port)):
            pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    limits = Limits(seconds=args.timeout, rows=args.max_rows, bytes=args.max_answer_bytes, workers=args.workers,
                    reserved=args.reserved, queue=args.queue)
    try:
        if args.store and not args.graph:
            _open_store(None, args.store).close()  # the usual one-line errors for a missing or broken store
            app = create_app(limits=limits, live=Path(args.store))
        else:
            with _open_store(args.graph, None) as store:
                app = create_app(store, limits)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    folders = app.state.endpoint.folders
    what = f"{args.store}, live (builds are served once they commit)" if args.store else args.graph
    print(f"serving {what} ({folders.quads:,} quads) at http://{args.host}:{args.port}/ with {limits.workers} "
          f"query workers (SPARQL endpoint /sparql, API /api/openapi.json); Ctrl+C stops", flush=True)
    try:
        serve(app, host=args.host, port=args.port)
    finally:
        folders.close()
    return EXIT_OK
