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

import codecs
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

from .dates import stated_publication_date
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


BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, if the data starts with one."""
    return next((codec for bom, codec in BOMS if data.startswith(bom)), None)


def _stray_byte(exc: UnicodeError) -> tuple[str, int]:
    """A byte that is not UTF-8 in a UTF-8 file: a Windows-1252 punctuation mark (curly quote, dash) where it
    is one (what word processors paste), else U+FFFD."""
    byte = exc.object[exc.start]
    return (bytes([byte]).decode("cp1252") if 0x80 <= byte <= 0x9f and byte not in (0x81, 0x8d, 0x8f, 0x90, 0x9d)
            else "\ufffd"), exc.start + 1


codecs.register_error("diplokg-stray-byte", _stray_byte)


def decode(data: bytes, path: Path) -> tuple[str, list[str]]:
    """Text from bytes: a BOM decides; else UTF-8, with stray bytes replaced when most of the file is UTF-8;
    else the encoding charset-normalizer finds; then ftfy repairs mojibake (UTF-8 read as Windows-1252)."""
    import ftfy

    notes: list[str] = []
    codec = bom_encoding(data)
    if codec:
        text = data.decode(codec, errors="replace")
        if codec != "utf-8-sig":
            notes.append(f"{path}: {codec.upper()} with a byte-order mark")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text, note = _decode_not_utf8(data, exc.start)
            notes.append(f"{path}: {note}")
    fixed = ftfy.fix_encoding(text)
    if fixed != text:
        notes.append(f"{path}: mojibake repaired (text that had been decoded with the wrong encoding)")
    return fixed, notes


def _decode_not_utf8(data: bytes, bad_at: int) -> tuple[str, str]:
    stray = len(data) - len(data.decode("utf-8", errors="ignore").encode("utf-8"))
    if len(_UTF8_MULTIBYTE.findall(data)) >= stray:  # a UTF-8 file with a few stray bytes, not a legacy encoding
        return (data.decode("utf-8", errors="diplokg-stray-byte"),
                f"not UTF-8 throughout ({stray} stray byte(s), first at {bad_at}); decoded as UTF-8, stray bytes "
                "read as Windows-1252 punctuation or replaced with U+FFFD")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), f"not UTF-8 (first bad byte at {bad_at}); decoded as {best.encoding} (charset-normalizer)"
    return (data.decode("utf-8", errors="replace"),
            f"not UTF-8 (first bad byte at {bad_at}); undecodable bytes replaced with U+FFFD")


@lru_cache(maxsize=1)
def _boilerplate() -> dict:
    rules = json.loads((DATA_DIR / "boilerplate.json").read_text(encoding="utf-8"))
    return {
        "skip": [re.compile(p, re.I) for p in rules["skip"] + rules["furniture"]],
        "source": [re.compile(p, re.I) for p in rules["source"]],
        "credit": re.compile(rules["credit"], re.I),
        "tail": [re.compile(p, re.I) for p in rules["tail"]],
        "section": [re.compile(p, re.I) for p in rules["section"]],
        "closing": re.compile(rules["closing"]),
    }


@dataclass
class Cleaned:
    text: str
    title: str | None
    source: str | None
    furniture: int  # furniture lines blanked


WRAPPED = 55  # a line this long that runs on without closing punctuation is a hard-wrapped paragraph
HEADLINE_ZONE = 15  # the headline is among the first lines


def _story_units(lines: list[str]) -> list[list[int]]:
    """Line numbers grouped into units: a hard-wrapped paragraph is one unit, every other line its own."""
    closing = _boilerplate()["closing"]
    units: list[list[int]] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        unit = [i]
        if len(line) >= WRAPPED and not closing.search(line):
            j = i + 1
            while j < len(lines) and lines[j].strip():
                unit.append(j)
                if closing.search(lines[j].strip()):
                    break
                if len(lines[j].strip()) < WRAPPED:
                    unit = [i]  # a long headline above a short line, not a wrapped paragraph
                    break
                j += 1
            else:
                unit = [i]
        units.append(unit)
        i = unit[-1] + 1
    return units


def _title_case(words: list[str]) -> bool:
    """Most words capitalised: 'Israel Rejects Calls For Truce' (headline lists, menus)."""
    content = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return len(content) >= 3 and all(w[0].isupper() for w in content)


SHORT_LINE, SHORT_RUN = 10, 3  # a run of at least 3 lines of at most 10 words each, one under the other, is a list


def _short_runs(lines: list[str]) -> set[int]:
    """Lines in a run of short lines with no blank line between them: a list of headlines or links, not a story."""
    out: set[int] = set()
    run: list[int] = []
    for i, line in enumerate(lines + [""]):
        if line.strip() and len(line.split()) <= SHORT_LINE:
            run.append(i)
            continue
        if len(run) >= SHORT_RUN:
            out.update(run)
        run = []
    return out


def _furniture(lines: list[str]) -> tuple[set[int], int | None]:
    """Which lines are page furniture, and which line is the headline.

    General features decide: the story is sentences, which close with a period (or ! ? : and a quote);
    a line that does not, below the headline, is a related headline, a caption, a byline or a menu item.
    Short title-case lines, and runs of short lines one under the other, are lists of other stories' headlines
    even with a period. After a comment-section
    line everything is furniture; after a related/most-read line, everything up to the next paragraph of
    the story. The vocabulary (bylines, credits, share lines) is in kg/data/boilerplate.json.
    """
    rules = _boilerplate()
    out: set[int] = set()
    headline: int | None = None
    in_section = in_tail = False
    seen_story = False
    short_run = _short_runs(lines)
    for unit in _story_units(lines):
        text = " ".join(lines[i].strip() for i in unit)
        if not text:
            continue
        words = text.split()
        closes = bool(rules["closing"].search(text))
        vocabulary = any(rx.match(text) for rx in rules["skip"])
        if in_tail or any(rx.match(text) for rx in rules["tail"]):
            in_tail = True
            out.update(unit)
            continue
        if any(rx.match(text) for rx in rules["section"]):
            in_section = True
            out.update(unit)
            continue
        story = closes and len(words) >= 6 and not (len(words) <= 12 and _title_case(words)) and not vocabulary \
            and unit[0] not in short_run
        if headline is None and not seen_story and not vocabulary and not closes and len(words) >= 3 \
                and unit[0] < HEADLINE_ZONE and not stated_publication_date([text]):
            headline = unit[0]  # the headline: the first line of words above the story
            continue
        if story and not in_section or story and len(words) > 25:
            in_section = False
            seen_story = True
            continue
        if vocabulary or not closes or in_section or unit[0] in short_run or (len(words) <= 12 and _title_case(words)):
            out.update(unit)
    return out, headline


def clean_text(text: str) -> Cleaned:
    """Blank boilerplate and page furniture in place; find the headline and the credited source."""
    rules = _boilerplate()
    lines = text.splitlines(keepends=True)
    bodies = [ln.rstrip("\r\n") for ln in lines]
    furniture, headline = _furniture(bodies)
    blank: set[int] = set()
    sources: list[str] = []
    seen: set[str] = set()
    for i, body in enumerate(bodies):
        stripped = body.strip()
        for rx in rules["source"]:
            m = rx.match(stripped)
            if m:
                sources.append(m.group(1).strip())
                blank.add(i)
                break
        if i not in blank and stripped:
            key = re.sub(r"\s+", " ", rules["credit"].sub("", stripped)).lower()
            if key in seen and len(key) > 40:  # a caption or paragraph repeated word for word
                blank.add(i)
            seen.add(key)
    blank |= furniture
    out = [" " * len(body) + line[len(body):] if i in blank else line for i, (line, body) in enumerate(zip(lines, bodies))]
    title = bodies[headline].strip() if headline is not None and len(bodies[headline].strip()) <= 200 else None
    if title is None:  # a first line that is a sentence, set apart as its own paragraph
        first = next((ln.strip() for ln in bodies if ln.strip()), "")
        paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
        title = first if first and len(first) <= 200 and len(paragraphs) > 1 and paragraphs[0].strip() == first else None
    return Cleaned("".join(out), title, "; ".join(sources) or None, len(furniture))


def clean(text: str) -> tuple[str, str | None, str | None]:
    """Blank boilerplate lines in place; return (text, title, source)."""
    c = clean_text(text)
    return c.text, c.title, c.source


FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
CAPTION_TOKENS = 20  # a caption or label is short; a long verbless line is more likely a parser slip


def verbless_lines(doc, title: str | None) -> set[int]:
    """Start offsets of lines that stand alone as one short sentence with no finite verb: captions and labels
    ('Smoke over Gaza City after an Israeli air strike.'), told apart once the text is parsed. The headline,
    which may have no verb, is not one."""
    import numpy as np
    from spacy.attrs import IS_PUNCT, IS_SPACE

    text = doc.text
    out: set[int] = set()
    flags = doc.to_array([IS_SPACE, IS_PUNCT]).reshape(-1, 2)
    words_before = np.concatenate(([0], np.cumsum((flags[:, 0] == 0) & (flags[:, 1] == 0))))  # per token index
    for sent in doc.sents:
        raw = text[sent.start_char:sent.end_char]  # sent.text, without joining its tokens' texts
        start = sent.start_char + len(raw) - len(raw.lstrip())
        end = sent.start_char + len(raw.rstrip())
        line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
        if text[line_start:start].strip() or text[end:line_end if line_end >= 0 else len(text)].strip():
            continue  # not a whole line
        words = int(words_before[sent.end] - words_before[sent.start])  # tokens neither space nor punctuation
        if not words or words > CAPTION_TOKENS or (title and raw.strip() == title.strip()):
            continue
        if not any(t.tag_ in FINITE_TAGS or "Fin" in t.morph.get("VerbForm") for t in sent):
            out.add(start)
    return out


@dataclass
class Page:
    """What trafilatura reads off an HTML page: the article body and its metadata."""

    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    dropped: int = 0  # lines of the page's text that are not the article body (menus, banners, comments...)


def _json_ld_url(markup: str) -> str | None:
    """The article's URL from its JSON-LD (trafilatura reads the rest of JSON-LD, not the URL)."""
    for block in re.findall(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", markup, re.S | re.I):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []:
            if not isinstance(item, dict) or "Article" not in str(item.get("@type", "")):
                continue
            url = item.get("url") or item.get("mainEntityOfPage")
            url = url.get("@id") if isinstance(url, dict) else url
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                return url
    return None


def extract_page(markup: str) -> Page | None:
    """The article body (no menus, banners, comments or tickers) and metadata of an HTML page, or None."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=False, include_images=False,
            favor_precision=True, date_extraction_params={"extensive_search": False, "original_date": True,
                                                          "outputformat": "%Y-%m-%d"})
    except Exception:  # trafilatura/lxml on hostile markup: fall back to the plain stripper
        return None
    if doc is None or not (doc.text or "").strip():
        return None
    date = doc.date if doc.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date) else None
    url = doc.url if doc.url and doc.url.startswith(("http://", "https://")) else _json_ld_url(markup)
    body = {re.sub(r"\s+", " ", ln).strip() for ln in doc.text.splitlines()}
    dropped = sum(1 for ln in html_to_text(markup).splitlines()
                  if ln.strip() and re.sub(r"\s+", " ", ln).strip() not in body and ln.strip() != doc.title)
    return Page(text=doc.text, title=doc.title or None, date=date, author=doc.author or None,
                site=doc.sitename or None, url=url, dropped=dropped)


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
