"""Find the input files of a build, name them, and say in one line why one cannot be used."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..resources import slug

TEXT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".md"}


def display(path: Path | str) -> str:
    """A path as printable text: file names are bytes, and a Latin-1 name must not break a message or a literal."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def article_id(rel: str) -> str:
    """The article's key from its path relative to the input folder ('a/report.txt' -> 'a-report').

    Two files with one key (`Gaza Talks.txt`, `gaza-talks.txt`) are refused by the build, not merged.
    A name with nothing ASCII left ('日本.txt') keys on a hash of its bytes rather than collapsing to one id.
    """
    stem = display(rel).rsplit(".", 1)[0] if "." in Path(display(rel)).name else display(rel)
    key = slug(stem)
    if key == "x" or not re.search(r"[a-z0-9]", stem.lower()):
        key = "x-" + hashlib.sha1(os.fsencode(rel)).hexdigest()[:12]
    return key


class InputError(Exception):
    """An input that cannot be used; str() is the one-line message naming the file and the problem."""

    def __init__(self, path: Path | str, problem: str, kind: str):
        super().__init__(re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", f"{display(path)}: {problem}"))
        self.path = display(path)
        self.kind = kind


class InputNote(str):
    """Something in an input folder worth a line that costs nothing: a folder named like an article."""


def _unusable_entry(f: Path) -> InputError | InputNote | None:
    """Why an entry named like an article (x.txt) under an input folder is not one, or None if it is a file."""
    if f.is_file():
        return None
    if f.is_dir():
        return InputNote(f"{display(f)}: a folder named like an article; read as a folder (the articles inside "
                         "it are built), not as an article")
    if f.is_symlink():
        return InputError(f, f"broken symbolic link (its target {display(os.readlink(f))} does not exist)",
                          "unreadable")
    return InputError(f, "not a regular file (a device, socket or pipe)", "unreadable")


def input_files(paths: list) -> Iterator[tuple[Path, str] | InputError | InputNote]:
    """(file, path relative to the folder given) for files named directly and the text/HTML files under
    each folder, in a stable order. Items already given as (file, rel) pairs pass through (Dask shards).
    An entry under a folder that is named like an article but is not a readable file gets its own line:
    an InputError (skipped) or an InputNote (a folder, whose articles are read anyway)."""
    for raw in paths:
        if isinstance(raw, tuple):
            yield Path(raw[0]), raw[1]
            continue
        p = Path(raw)
        try:
            if p.is_dir():
                found = [f for f in p.rglob("*") if f.suffix.lower() in TEXT_SUFFIXES and not f.name.startswith(".")]
                for f in sorted(found, key=lambda f: os.fsencode(str(f))):
                    unusable = _unusable_entry(f)
                    yield (f, f.relative_to(p).as_posix()) if unusable is None else unusable
            elif p.is_file():
                yield p, p.name
            elif p.exists():
                yield InputError(p, "not a regular file", "unreadable")
            else:
                yield InputError(p, "no such file or folder", "unreadable")
        except OSError as exc:
            yield InputError(p, f"cannot list: {exc.strerror or exc}", "unreadable")


def iter_input_files(paths: list) -> Iterator[Path | InputError]:
    """The files `input_files` finds, without their relative paths (and without its notes)."""
    for item in input_files(paths):
        if not isinstance(item, InputNote):
            yield item if isinstance(item, InputError) else item[0]
