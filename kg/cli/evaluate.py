"""`kg eval`: precision, recall and F1 of the event extractor on a gold file (JSONL)."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import EXIT_OK, UsageError, confidence_value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = subparsers.add_parser("eval", help="precision, recall and F1 of the extractor on a gold file (JSONL)")
    ev.add_argument("gold", metavar="GOLD", help="gold sentences with coded events (JSONL)")
    ev.add_argument("--model", metavar="NAME", help="spaCy pipeline to evaluate")
    ev.add_argument("--min-confidence", type=confidence_value, default=0.0, metavar="X",
                    help="score only events whose confidence is at least X")
    ev.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from ..evaluation.scores import evaluate_file, render

    path = Path(args.gold)
    if not path.is_file():
        raise UsageError(f"{path}: no such gold file")
    result = evaluate_file(path, model=args.model, min_confidence=args.min_confidence)
    print(render(result))
    return EXIT_OK
