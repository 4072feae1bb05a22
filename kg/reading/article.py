"""Read news articles from files and folders into clean text and metadata, or say in one line why not.

Bytes are decoded whatever their encoding (BOM, UTF-8, stray bytes, charset-normalizer, ftfy for
mojibake); HTML goes through trafilatura, which keeps the article body and reads the page's title,
date, author, site and URL (<meta>, JSON-LD). Page furniture left in the text (menus, related
headlines, captions, bylines, share lines, comments) is told apart from the story by general
features plus the vocabulary in kg/data/boilerplate.json. Offsets in the graph refer to
`Article.text`: furniture lines are blanked with spaces rather than cut, so every character keeps
its place.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .dates import stated_publication_date
from .decode import bom_encoding, decode, english_ratio, strip_invisible_marks
from .files import InputError, article_id, display
from .furniture import HEADLINE_ZONE, clean_text
from .pages import Page, extract_page, html_to_text, looks_like_html

DEFAULT_MAX_BYTES = 5_000_000


@dataclass
class Article:
    """One readable article: its clean text plus the metadata found in it."""

    path: Path
    text: str
    content_hash: str
    title: str | None = None
    source: str | None = None
    date: str | None = None  # ISO publication date: from the page, stated in the text, or --date
    author: str | None = None
    site: str | None = None  # the site's name (og:site_name, JSON-LD publisher)
    url: str | None = None  # the page's canonical URL
    furniture: int = 0  # lines of page furniture left out (blanked in text, or outside an HTML page's body)
    notes: list[str] = field(default_factory=list)
    rel: str | None = None  # path relative to the folder it was found in (its identity); None: the file name

    @property
    def name(self) -> str:
        return display(self.path.name)

    @property
    def doc_id(self) -> str:
        return article_id(self.rel if self.rel is not None else self.path.name)


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
    if not bom_encoding(data) and (b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) * 0.05):
        raise InputError(path, "binary file, not text", "binary")
    text, notes = decode(data, path)
    page: Page | None = None
    if looks_like_html(text):
        page = extract_page(text)
        if page is not None:
            text = page.text
            notes.append(f"{path}: HTML; article body and metadata read from the page")
        else:
            text = html_to_text(text)
            notes.append(f"{path}: HTML with no article body found; markup stripped to text")
        if not text.strip():
            raise InputError(path, "HTML with no text", "empty")
    text, marks = strip_invisible_marks(text)
    if marks:
        notes.append(f"{path}: {marks} invisible formatting mark(s) (bidi, zero-width) removed")
        if not text.strip():
            raise InputError(path, "no visible text (only invisible formatting marks)", "empty")
    ratio = english_ratio(text)
    if ratio < min_english:
        raise InputError(path, f"not English text (English function words {ratio:.0%} of words); skipped", "not-english")
    cleaned = clean_text(text)
    article = Article(path=path, text=cleaned.text, content_hash=hashlib.sha256(data).hexdigest(),
                      title=cleaned.title, source=cleaned.source, furniture=cleaned.furniture, notes=notes)
    if page is not None:
        article.title = page.title or article.title
        article.date, article.author, article.site, article.url = page.date, page.author, page.site, page.url
        article.furniture += page.dropped
    if article.date is None:
        stated = stated_publication_date(text.splitlines()[:HEADLINE_ZONE])
        article.date = stated.isoformat() if stated else None
    return article
