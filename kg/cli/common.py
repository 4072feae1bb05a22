"""What every `kg` command shares: exit codes, one-line messages, usage errors, opening a graph or store.

Exit codes: 0 ok; 1 the graph does not conform to the shapes; 2 usage or input error (bad file,
malformed RDF, unknown query, bad parameter, unwritable output, disk full); 3 the build finished but
skipped some inputs; 4 an internal error (a bug: one line and a hint to report it); 141 stdout closed.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

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
    from ..store.files import StoreError
    from ..store.graph_store import GraphStore

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


def confidence_value(text: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _stdout_closed() -> int:
    """`kg query ... | head`: the reader went away; end quietly, as a process killed by SIGPIPE would."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not complain
    except (OSError, ValueError):
        pass
    return EXIT_PIPE
