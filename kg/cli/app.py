"""`kg`: the command line. A thin layer: each command, in its own module, parses its options and calls
the library; here are the top-level parser and main(), which turns every failure into one line and an
exit code (see kg/cli/common.py for the codes).
"""
from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..errors import ModelError
from . import build, evaluate, export, push, query, serve, validate, why
from .common import EXIT_INTERNAL, EXIT_USAGE, REPORT_HINT, UsageError, _err, _stdout_closed

COMMANDS = (build, validate, query, why, export, serve, push, evaluate)  # the order `kg --help` lists them in


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="DiploKG: English diplomacy news -> a validated RDF knowledge graph.")
    ap.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a file name in Latin-1 must not break a message
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    ap = parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage errors
        return int(exc.code or 0)
    from ..store.files import StoreError

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
