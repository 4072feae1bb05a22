"""HTML pages: the article body and its metadata (title, date, author, site, URL) through trafilatura,
or the markup stripped to text when trafilatura finds no body.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser


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
