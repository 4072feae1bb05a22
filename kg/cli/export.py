"""`kg export`: write a graph file or store in another RDF format, or its events or happenings table (CSV, TSV, Parquet)."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import EXIT_OK, UsageError, _open_store


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    e = subparsers.add_parser("export", help="write a store or graph file in another RDF format")
    e.add_argument("--graph", metavar="FILE", help="graph file to convert")
    e.add_argument("--store", metavar="DIR", help="store to export")
    e.add_argument("--out", metavar="FILE", help="output RDF file")
    e.add_argument("--events", metavar="FILE", help="write the events table, one row per event and source/target "
                   "pair (.csv, .tsv, or .parquet with pyarrow)")
    e.add_argument("--happenings", metavar="FILE", help="write the happenings table, one row per happening and "
                   "source/target pair, with its numbers of reports and outlets (.csv, .tsv, or .parquet)")
    e.add_argument("--format", metavar="FMT", help="turtle, nt, nq, trig, xml, jsonld, n3 (default: from the suffix)")
    e.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from ..store.files import StoreError

    if not args.out and not args.events and not args.happenings:
        raise UsageError("export needs --out FILE (RDF), --events FILE or --happenings FILE (.csv, .tsv, .parquet)")
    with _open_store(args.graph, args.store) as store:
        if args.out:
            try:
                store.export(Path(args.out), args.format)
            except StoreError as exc:
                raise UsageError(str(exc)) from None
            print(f"{args.out}: {len(store):,} quads exported")
        if args.events:
            _export_table(store, Path(args.events), "events")
        if args.happenings:
            _export_table(store, Path(args.happenings), "happenings")
    return EXIT_OK


def _export_table(store, path: Path, table: str) -> None:
    """The events table (kg/serving/events_table.py) or the happenings table (happenings_table.py)."""
    from ..serving.events_table import write_events
    from ..serving.happenings_table import write_happenings

    write, unit = {"events": (write_events, "event"), "happenings": (write_happenings, "happening")}[table]
    try:
        n = write(store, path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"{path}: {n:,} {unit} rows (one per {unit} and source/target pair)")
