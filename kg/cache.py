"""A cache of what DiploKG compiles from its data files at start-up (the gazetteer, the lexicon).

Each entry is a folder named after what it holds and a fingerprint of everything it was made from
(data files, the code that compiles them, spaCy and model versions), so an edit of any of them
makes a new entry and the stale one is removed. The cache lives in $DIPLOKG_CACHE_DIR, else
$XDG_CACHE_HOME/diplokg, else ~/.cache/diplokg; DIPLOKG_CACHE_DIR=off turns it off. A cache that
cannot be read or written is never an error: DiploKG then compiles as if there were none.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

CACHE_ENV = "DIPLOKG_CACHE_DIR"
T = TypeVar("T")


def cache_dir() -> Path | None:
    """Where entries go, or None when caching is off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "none") else Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "diplokg"


def fingerprint(parts: Iterable[str | Path]) -> str:
    """A short hash of files (a folder counts as all the files in it, by relative name) and strings."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            files = sorted(p for p in part.rglob("*") if p.is_file()) if part.is_dir() else [part]
            for f in files:
                h.update(str(f.relative_to(part) if part.is_dir() else f.name).encode())
                h.update(f.read_bytes())
        else:
            h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:20]


def cached(kind: str, key: str, build: Callable[[], T], save: Callable[[T, Path], None],
           load: Callable[[Path], T]) -> tuple[T, bool]:
    """The value for (kind, key): loaded from the cache when an entry exists, else built and saved.
    Returns the value and whether it came from the cache."""
    root = cache_dir()
    entry = root / f"{kind}--{key}" if root is not None else None
    if entry is not None and (entry / "complete").is_file():
        try:
            return load(entry), True
        except Exception:  # a damaged or foreign entry: rebuild it below
            shutil.rmtree(entry, ignore_errors=True)
    value = build()
    if entry is not None:
        _store(entry, kind, value, save)
    return value, False


def _store(entry: Path, kind: str, value: T, save: Callable[[T, Path], None]) -> None:
    """Write into a temporary folder, then rename it into place, so readers never see half an entry;
    drop older entries of the same kind. Any failure leaves the cache as it was."""
    tmp: Path | None = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
        save(value, tmp)
        (tmp / "complete").write_text("ok\n", encoding="utf-8")
        try:
            os.rename(tmp, entry)
        except OSError:  # another process stored the same entry first
            shutil.rmtree(tmp, ignore_errors=True)
        tmp = None
        for old in entry.parent.glob(f"{kind}--*"):
            if old != entry and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    except Exception:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
