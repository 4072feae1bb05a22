"""Read news articles from files and folders into clean text, or say in one line why not.

Offsets in the graph refer to `Article.text`: boilerplate lines (READ MORE links, source credits,
repeated captions) are blanked with spaces rather than cut, so every character keeps its place.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from collections.abc import Iterator

from .lexicon import slug
from .resources import DATA_DIR

TEXT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".md"}
DEFAULT_MAX_BYTES = 5_000_000


@dataclass
class Article:
    """One readable article: its clean text plus the metadata found in it."""

    path: Path
    text: str
    content_hash: str
    title: str | None = None
    source: str | None = None
    date: str | None = None  # ISO date, when given on the command line
    notes: list[str] = field(default_factory=list)
    rel: str | None = None  # path relative to the folder it was found in (its identity); None: the file name

    @property
    def name(self) -> str:
        return display(self.path.name)

    @property
    def doc_id(self) -> str:
        return article_id(self.rel if self.rel is not None else self.path.name)


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


def input_files(paths: list) -> Iterator[tuple[Path, str] | InputError]:
    """(file, path relative to the folder given) for files named directly and the text/HTML files under
    each folder, in a stable order. Items already given as (file, rel) pairs pass through (Dask shards)."""
    for raw in paths:
        if isinstance(raw, tuple):
            yield Path(raw[0]), raw[1]
            continue
        p = Path(raw)
        try:
            if p.is_dir():
                found = [f for f in p.rglob("*")
                         if f.suffix.lower() in TEXT_SUFFIXES and not f.name.startswith(".") and f.is_file()]
                for f in sorted(found, key=lambda f: os.fsencode(str(f))):
                    yield f, f.relative_to(p).as_posix()
            elif p.is_file():
                yield p, p.name
            elif p.exists():
                yield InputError(p, "not a regular file", "unreadable")
            else:
                yield InputError(p, "no such file or folder", "unreadable")
        except OSError as exc:
            yield InputError(p, f"cannot list: {exc.strerror or exc}", "unreadable")


def iter_input_files(paths: list) -> Iterator[Path | InputError]:
    """The files `input_files` finds, without their relative paths."""
    for item in input_files(paths):
        yield item if isinstance(item, InputError) else item[0]


class _TextExtractor(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "title", "header"}
    SKIP = {"script", "style", "noscript", "nav", "footer", "aside", "form"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or len(re.findall(r"</?(p|div|span|a|body|br)\b", head)) >= 3


@lru_cache(maxsize=1)
def _english_stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def english_ratio(text: str) -> float:
    """Share of words that are English function words (about 0.4 in news, near 0 in other languages)."""
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if not words:
        return 0.0
    stop = _english_stopwords()
    return sum(w in stop for w in words) / len(words)


def decode(data: bytes, path: Path) -> tuple[str, list[str]]:
    notes: list[str] = []
    try:
        return data.decode("utf-8-sig"), notes
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    try:
        text = data.decode("cp1252")
        notes.append(f"{path}: not UTF-8 (first bad byte at {bad_at}); decoded as Windows-1252")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        notes.append(f"{path}: not UTF-8 (first bad byte at {bad_at}); undecodable bytes replaced with U+FFFD")
    return text, notes


@lru_cache(maxsize=1)
def _boilerplate() -> dict:
    rules = json.loads((DATA_DIR / "boilerplate.json").read_text(encoding="utf-8"))
    return {
        "skip": [re.compile(p, re.I) for p in rules["skip"]],
        "source": [re.compile(p, re.I) for p in rules["source"]],
        "credit": re.compile(rules["credit"], re.I),
    }


def clean(text: str) -> tuple[str, str | None, str | None]:
    """Blank boilerplate lines in place; return (text, title, source)."""
    rules = _boilerplate()
    out: list[str] = []
    sources: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        blank = False
        for rx in rules["source"]:
            m = rx.match(stripped)
            if m:
                sources.append(m.group(1).strip())
                blank = True
                break
        if not blank and any(rx.match(stripped) for rx in rules["skip"]):
            blank = True
        if not blank and stripped:
            key = re.sub(r"\s+", " ", rules["credit"].sub("", stripped)).lower()
            if key in seen and len(key) > 40:  # a caption or paragraph repeated word for word
                blank = True
            seen.add(key)
        out.append(" " * len(body) + line[len(body):] if blank else line)
    cleaned = "".join(out)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    title = first if first and len(first) <= 200 and len(paragraphs) > 1 and paragraphs[0].strip() == first else None
    return cleaned, title, "; ".join(sources) or None


def read_article(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, min_english: float = 0.12) -> Article:
    """Read one file into an Article, or raise InputError with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(path, f"too large ({size:,} bytes > limit {max_bytes:,}); split it or raise --max-bytes", "too-large")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except PermissionError:
        raise InputError(path, "cannot read: permission denied", "unreadable") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file", "unreadable") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}", "unreadable") from None
    if not data.strip():
        raise InputError(path, "empty file", "empty")
    sample = data[:8192]
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) * 0.05:
        raise InputError(path, "binary file, not text", "binary")
    text, notes = decode(data, path)
    if looks_like_html(text):
        text = html_to_text(text)
        notes.append(f"{path}: HTML; markup stripped to text")
        if not text.strip():
            raise InputError(path, "HTML with no text", "empty")
    ratio = english_ratio(text)
    if ratio < min_english:
        raise InputError(path, f"not English text (English function words {ratio:.0%} of words); skipped", "not-english")
    cleaned, title, source = clean(text)
    return Article(path=path, text=cleaned, content_hash=hashlib.sha256(data).hexdigest(),
                   title=title, source=source, notes=notes)
