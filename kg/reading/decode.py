"""Bytes to text whatever their encoding (BOM, UTF-8, stray bytes, charset-normalizer, ftfy for mojibake),
and how much of a text is English.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache
from pathlib import Path


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


# Invisible formatting characters (Unicode category Cf) that text copied from right-to-left pages, CMSs and
# word processors carries between or inside words: bidi marks, embeddings and isolates, zero-width characters,
# the word joiner, a BOM in mid-text, the soft hyphen. spaCy takes them for letters, so "Mali\u200f expelled"
# has no token "Mali" and the sentence no event.
INVISIBLE_MARKS = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_ZERO_WIDTH_SPACE_IN_WORD = re.compile(r"(?<=\w)\u200b(?=\w)")


def strip_invisible_marks(text: str) -> tuple[str, int]:
    """The text without invisible formatting marks, and how many there were. A zero-width space between two
    word characters is a word break, so it becomes a space; every other mark goes. The graph stores this text
    and its offsets index it."""
    found = len(INVISIBLE_MARKS.findall(text))
    if not found:
        return text, 0
    return INVISIBLE_MARKS.sub("", _ZERO_WIDTH_SPACE_IN_WORD.sub(" ", text)), found


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
