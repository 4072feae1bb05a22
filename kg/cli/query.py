"""`kg query` runs a saved query on a graph file or store; `kg queries` lists the saved queries."""
from __future__ import annotations

import argparse

from .common import EXIT_OK, UsageError, _open_store


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    q = subparsers.add_parser("query", help="run a saved query (see `kg queries`)")
    q.add_argument("name", metavar="NAME", help="saved query name")
    q.add_argument("--graph", metavar="FILE", help="graph file to query")
    q.add_argument("--store", metavar="DIR", help="store to query")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table", help="table, csv or json (SPARQL 1.1 results)")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a query parameter (repeatable)")
    q.set_defaults(func=cmd_query)

    ls = subparsers.add_parser("queries", help="list the saved queries with their summaries")
    ls.set_defaults(func=cmd_queries)


def cmd_query(args: argparse.Namespace) -> int:
    from ..serving.queries import FORMATTERS, QueryError, get_query, run_query

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
    from ..serving.queries import saved_queries

    for name, q in saved_queries().items():
        params = ", ".join(("" if s["required"] else "[") + n + ("" if s["required"] else "]") for n, s in q.params.items())
        print(f"{name:12} {q.summary}" + (f"  (params: {params})" if params else ""))
    return EXIT_OK
