"""`kg push`: load the graph into a triplestore over the SPARQL 1.1 Graph Store HTTP Protocol."""
from __future__ import annotations

import argparse
import re
import sys

from .common import EXIT_OK, UsageError, _open_store


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pu = subparsers.add_parser("push", help="load the graph into a triplestore (SPARQL 1.1 Graph Store HTTP Protocol)",
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


def cmd_push(args: argparse.Namespace) -> int:
    import os

    import httpx

    from ..serving.push import PushError, push

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
