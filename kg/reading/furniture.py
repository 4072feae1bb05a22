"""Page furniture left in a text (menus, related headlines, captions, bylines, share lines, comments),
told apart from the story by general features plus the vocabulary in kg/data/boilerplate.json.
Furniture lines are blanked with spaces rather than cut, so every character keeps its offset.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import DATA_DIR
from .dates import stated_publication_date


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
        "dateline": re.compile(rules["dateline"]),
    }


def lede_dateline() -> re.Pattern:
    """The wire dateline that may open a story paragraph ('BAMAKO (Reuters) —'); match it at the paragraph's start."""
    return _boilerplate()["dateline"]


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
