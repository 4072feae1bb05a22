"""`kg why HAPPENING`: the reports of a happening, each with its outlet, date and sentence, and what matched."""
from __future__ import annotations

import argparse

from .common import EXIT_INVALID, EXIT_OK, _open_store


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    w = subparsers.add_parser("why", help="why a happening holds its reports: each report and what matched")
    w.add_argument("happening", metavar="HAPPENING", help="a happening's IRI, 'happening/ID' or its ID")
    w.add_argument("--store", metavar="DIR", help="the store to read")
    w.add_argument("--graph", metavar="FILE", help="a graph file to read instead")
    w.set_defaults(func=cmd_why)


def cmd_why(args: argparse.Namespace) -> int:
    from ..happenings.explain import explain

    with _open_store(args.graph, args.store) as store:
        why = explain(store, args.happening)
    if why is None:
        print(f"{args.happening}: no such happening in {args.store or args.graph}")
        return EXIT_INVALID
    print(f"{why.happening}\n  {why.label}: {len(why.reports)} reports")
    for i, r in enumerate(why.reports, 1):
        print(f"{i}. {r.file} ({r.outlet or 'outlet unknown'}, published {r.published or 'undated'}): {r.plover} "
              f"{', '.join(r.sources) or '-'} -> {', '.join(r.targets) or '-'}; date {r.date or 'none'}")
        print(f"   \"{r.sentence}\"")
        print("   " + ("the first report: the others are matched to it" if not r.matched else "; ".join(r.matched)))
    return EXIT_OK
