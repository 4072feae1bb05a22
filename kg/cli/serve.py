"""`kg serve`: a read-only SPARQL endpoint, the saved queries as a REST API, and a web page."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import EXIT_OK, UsageError, _open_store


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sv = subparsers.add_parser("serve", help="a read-only SPARQL endpoint, the saved queries as a REST API, and a web page",
                               description="Serve the graph: /sparql (SPARQL 1.1 Protocol, read-only), /api/NAME (saved "
                               "queries), /api/openapi.json, and a page for people at /.")
    sv.add_argument("--graph", metavar="FILE", help="graph file to serve (loaded in memory)")
    sv.add_argument("--store", metavar="DIR", help="store to serve (opened read-only)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=int, default=7879, metavar="N", help="TCP port (default 7879)")
    sv.add_argument("--timeout", type=float, default=30.0, metavar="S", help="time limit per query in seconds (default 30)")
    sv.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="row limit per answer (default 10,000)")
    sv.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..serving.endpoint import Limits, serve
    from ..store.files import StoreError

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
