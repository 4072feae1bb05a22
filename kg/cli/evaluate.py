"""`kg eval`: the extractor scored on a gold file, on each part of it (working and check)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from .common import EXIT_OK, UsageError, confidence_value

PART_CHOICES = ("both", "working", "check", "all")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = subparsers.add_parser("eval", help="precision and recall of the extractor on a gold file, working and check part")
    ev.add_argument("gold", metavar="GOLD",
                    help="gold records (JSONL: PLOVER records, sentence or article records), ConfliBERT's folder "
                         "(cameo_class_*.tsv, cameo_ner_*.txt), or a same-story manifest (stories.json: happenings)")
    ev.add_argument("--model", metavar="NAME", help="spaCy pipeline to evaluate")
    ev.add_argument("--min-confidence", type=confidence_value, default=0.0, metavar="X",
                    help="score only events whose confidence is at least X")
    ev.add_argument("--part", choices=PART_CHOICES, default="both",
                    help="both (default): the working part and the check part side by side; a dev set's check "
                         "part (one record in three, fixed by a seed) is only ever scored, never read; "
                         "all: every record, unsplit (for your own regression files)")
    ev.add_argument("--json", action="store_true", help="the headline figures of each part as JSON")
    ev.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from ..evaluation.scores import evaluate_parts, headline, render_parts
    from ..evaluation.splits import PARTS

    path = Path(args.gold)
    if path.suffix == ".json" and path.is_file():  # a same-story manifest (tests/fixtures/stories/stories.json)
        return _eval_stories(path, args)
    if path.is_dir() and not any(path.glob("cameo_class_*.tsv")):
        raise UsageError(f"{path}: a folder, but no ConfliBERT cameo_class_*.tsv in it")
    if not path.exists():
        raise UsageError(f"{path}: no such gold file")
    parts = PARTS if args.part == "both" else (args.part,)
    try:
        results = evaluate_parts(path, model=args.model, min_confidence=args.min_confidence, parts=parts)
    except (ValueError, KeyError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a gold file DiploKG reads ({type(exc).__name__}: {exc})") from None
    if args.json:
        print(json.dumps({part: headline(r) for part, r in results.items()}, indent=1))
    else:
        print(render_parts(results))
    return EXIT_OK


def _eval_stories(path: Path, args: argparse.Namespace) -> int:
    """Happenings on same-story sets: one happening per key event, every report linked, no wrong merge."""
    from ..evaluation.stories import as_json, render, score_stories
    from ..pipeline.options import BuildOptions

    try:
        scores = score_stories(path, BuildOptions(model=args.model, min_confidence=args.min_confidence))
    except (ValueError, KeyError) as exc:
        raise UsageError(f"{path}: not a same-story manifest ({type(exc).__name__}: {exc})") from None
    print(json.dumps(as_json(scores), indent=1) if args.json else render(scores))
    return EXIT_OK
