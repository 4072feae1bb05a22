"""The working and check parts of every dev set: which records may be read, and which are only ever scored.

Rules fitted to the sentences they were tuned on score well there and worse on any other text (issue 23: 0.79
type recall on the dev half of PLOVER's gold, 0.62 on its unseen half). So every dev file is split once, by a
fixed seed, into a working part (error analysis, by people and helpers, sentence by sentence) and a check part
(about every third record) that is scored and reported beside it, never read. A rule that lifts the working
part and not the check part is a fit to sentences.

A record's part depends on its key alone, never on the file's order or size, so adding records, shuffling a
file or reading one record through another file (ConfliBERT's class and NER files hold the same sentences,
tokenised differently) puts it in the same part:
- a record with an `id` (PLOVER's gold-standard records, PETRARCH2's validation sentences) is keyed by it;
- a bare sentence (ConfliBERT) by its letters and digits, lower-cased and without accents, so that
  "governmentʼs" and the tokens "government 's" key the same.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any, Iterable, Literal, TypeVar

Part = Literal["working", "check", "all"]
PARTS: tuple[Part, ...] = ("working", "check")
SEED = "diplokg-dev-split-1"  # changing it reshuffles every dev set: never, once rules have been written
CHECK_EVERY = 3  # one record in three is check

T = TypeVar("T")


def sentence_key(text: str) -> str:
    """A sentence's key whatever its tokenisation, quotes or apostrophes."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")  # Erdoğan ~ Erdogan
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def record_key(record: dict[str, Any]) -> str:
    """The key a record's part is drawn from: its id, else its sentence."""
    if record.get("id"):
        return str(record["id"])
    return sentence_key(str(record.get("text", "")))


def part_of(key: str) -> Part:
    digest = hashlib.sha256(f"{SEED}\0{key}".encode("utf-8")).digest()
    return "check" if int.from_bytes(digest[:8], "big") % CHECK_EVERY == 0 else "working"


def in_part(key: str, part: Part) -> bool:
    return part == "all" or part_of(key) == part


def select(records: Iterable[T], part: Part, key=record_key) -> list[T]:  # noqa: ANN001 - key: T -> str
    """The records of one part (all of them for "all")."""
    return [r for r in records if in_part(key(r), part)]
