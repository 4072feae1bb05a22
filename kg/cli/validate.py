"""`kg validate`: check a graph file or a store against the SHACL shapes; exit 1 if it does not conform."""
from __future__ import annotations

import argparse

from .common import EXIT_INVALID, EXIT_OK, _open_store


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    v = subparsers.add_parser("validate", help="validate a graph file or store against the SHACL shapes")
    v.add_argument("graph_file", nargs="?", metavar="FILE", help="graph file to validate")
    v.add_argument("--graph", metavar="FILE", help="graph file to validate (same as FILE)")
    v.add_argument("--store", metavar="DIR", help="validate the merged graph of a store")
    v.add_argument("--limit", type=int, default=20, help="show at most this many failing nodes")
    v.set_defaults(func=cmd_validate)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..graph.validate import summarize, validate_graph

    with _open_store(args.graph_file or args.graph, args.store) as store:
        report = validate_graph(store.to_rdflib())
    where = args.store or args.graph_file or args.graph
    if report.conforms:
        print(f"{where}: conforms ({report.warnings} warnings)")
        return EXIT_OK
    print(f"{where}: does not conform: {len(report.violations)} nodes violate the shapes ({report.warnings} warnings)")
    print(summarize(report, limit=args.limit))
    return EXIT_INVALID
