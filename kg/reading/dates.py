"""Turn a date expression into an xsd value, through dateparser, or refuse.

Refusal policy: a value is given only when the expression fixes it. Relative expressions ("on Monday",
"two days ago", "May 31") resolve against the article's date (dateparser's RELATIVE_BASE) and are refused
when it is unknown (REQUIRE_PARTS, and a check that the value does not move with the base). The clause's
tense picks the direction (PREFER_DATES_FROM): "will meet on Monday" is the coming Monday, "met on
Monday" the last one. Vague spans (weeks, decades, durations, seasons; kg/data/dates.json) are refused
rather than turned into a made-up day; "last week", "this week" and "next week" are the calendar week they name,
an interval. A year alone is an xsd:gYear, a month and year an xsd:gYearMonth.
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Callable
from functools import lru_cache

from dateparser.date import DateDataParser

from ..resources import DATA_DIR

DateValue = tuple[str, str]  # (lexical value, 'date' | 'gYearMonth' | 'gYear' | 'week')
TENSES = ("past", "present", "future")
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower() for d in calendar.day_name}
# Two far-apart bases: a value that differs between them depended on "today", so it needs the article's date.
_PROBES = (dt.datetime(1901, 3, 14), dt.datetime(1957, 10, 2))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(1[5-9]\d\d|20\d\d)"
# Where dateparser gives a day for a coarser value: (pattern, kind, lexical value from the match).
_OWN_RULES: list[tuple[re.Pattern, str, Callable[[re.Match], str]]] = [
    (re.compile(rf"^(?:in )?{_YEAR}$"), "gYear", lambda m: m.group(1)),  # "in 1979"
    (re.compile(rf"^(?:in )?({_MONTH})\.?,?\s+{_YEAR}$"), "gYearMonth",
     lambda m: f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"),  # "May 2021", "Sept. 2021"
    (re.compile(rf"^{_YEAR}-(0[1-9]|1[0-2])$"), "gYearMonth", lambda m: f"{m.group(1)}-{m.group(2)}"),  # "2021-05"
    # Full dates in the two shapes news uses most, read directly: dateparser takes milliseconds for each.
    (re.compile(rf"^(?:\w+,? )?({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? {_YEAR}$"), "date",
     lambda m: _iso(m.group(3), MONTHS[m.group(1)], m.group(2))),  # "Monday, May 13, 2021"
    (re.compile(rf"^(?:\w+,? )?(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH})\.?,? {_YEAR}$"), "date",
     lambda m: _iso(m.group(3), MONTHS[m.group(2)], m.group(1))),  # "13 May 2021"
    (re.compile(rf"^{_YEAR}-(\d\d)-(\d\d)$"), "date", lambda m: _iso(m.group(1), m.group(2), m.group(3))),
]


def _iso(year: str | int, month: str | int, day: str | int) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _rules() -> dict:
    raw = json.loads((DATA_DIR / "dates.json").read_text(encoding="utf-8"))
    drop = sorted(raw["drop"], key=len, reverse=True)
    return {
        "drop": re.compile(r"(?<![\w'’])(" + "|".join(re.escape(w) for w in drop) + r")(?![\w'’])", re.I),
        "refuse": [re.compile(p, re.I) for p in raw["refuse"]],
        "published": sorted(raw["published"], key=len, reverse=True),
        "dateline": re.compile(raw["dateline"]),
        "weeks": raw["weeks"],
        "bounds": (frozenset(raw["bounds"]["preps"]), frozenset(raw["bounds"]["heads"])),
    }


def date_bounds() -> tuple[frozenset[str], frozenset[str]]:
    """The signals ('until', 'by') and nouns ('deadline') under which a date bounds an event instead of dating it."""
    return _rules()["bounds"]


def normalise(text: str) -> str:
    """The date words of an expression: 'Late on Wednesday' -> 'wednesday', "Friday's" -> 'friday'."""
    t = re.sub(r"['’]s\b", "", text.lower())
    t = _rules()["drop"].sub(" ", t)
    t = re.sub(r"[^\w.,/\- ]", " ", t)
    return re.sub(r"\s+", " ", t).strip(" ,-")


def _parse(expr: str, base: dt.datetime, prefer: str, require: tuple[str, ...] = ()) -> DateValue | None:
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first",
                "RETURN_AS_TIMEZONE_AWARE": False, "REQUIRE_PARTS": list(require)}
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(expr)
    when = data.date_obj
    if when is None or when.second or when.microsecond:  # seconds: a misreading ("the 1990s" as 1990 s)
        return None
    if data.period == "day" or (data.period == "week" and (expr.endswith(" ago") or expr.startswith("in "))):
        # "a week ago", "in two weeks": a day counted from the article date
        return when.date().isoformat(), "date"
    if data.period == "month":
        return f"{when.year:04d}-{when.month:02d}", "gYearMonth"
    if data.period == "year":
        return f"{when.year:04d}", "gYear"
    return None  # a week or a time of day alone: no xsd value says it


def warm_up() -> None:
    """Make dateparser load its English data and compile its patterns now (~0.3 s on first use): called when
    the pipeline loads, so --jobs workers forked from that process inherit them instead of each paying."""
    _parse("monday", _PROBES[0], "past")


def _own_rule(expr: str) -> DateValue | None:
    for rx, kind, value in _OWN_RULES:
        m = rx.match(expr)
        if m:
            lexical = value(m)
            return (lexical, kind) if lexical else None
    return None


def parse_date(text: str, reference: dt.date | None, tense: str | None = None) -> DateValue | None:
    """The date an expression names, resolved against the article's date in the clause's tense, or None.

    `tense` is 'future' for a clause about what is to come (dates are then looked for after the
    reference), anything else for reporting (dates on or before it).
    """
    return _resolve(normalise(text), reference, "future" if tense == "future" else "past")


@lru_cache(maxsize=1 << 14)
def _resolve(expr: str, reference: dt.date | None, prefer: str) -> DateValue | None:
    """parse_date on a normalised expression; cached, as news repeats a few expressions and dates."""
    if not expr:
        return None
    weeks = _rules()["weeks"].get(expr)
    if weeks is not None:
        return calendar_week(reference, weeks) if reference is not None else None
    if any(rx.search(expr) for rx in _rules()["refuse"]):
        return None
    if any(rx.match(expr) for rx, _, _ in _OWN_RULES):
        return _own_rule(expr)
    if reference is None:
        found = _parse(expr, _PROBES[0], prefer, require=("day", "month", "year"))
        if found is None or _parse(expr, _PROBES[1], prefer, require=("day", "month", "year")) != found:
            return None  # a weekday, a day without its year, "yesterday": all need the article's date
        return found
    base = dt.datetime.combine(reference, dt.time())
    words = set(expr.split())
    if prefer == "past" and words & WEEKDAYS and not words & {"last", "next", "this", "ago"}:
        base += dt.timedelta(days=1)  # "on Wednesday" in a Wednesday article is that day, not a week before
    return _parse(expr, base, prefer)


def calendar_week(reference: dt.date, offset: int) -> DateValue:
    """The Monday-to-Sunday week `offset` weeks from the reference's own, as an ISO 8601 interval
    ('2022-01-17/2022-01-23'): 'last week' in an article of Wednesday 26 January 2022."""
    monday = reference - dt.timedelta(days=reference.weekday()) + dt.timedelta(weeks=offset)
    return f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}", "week"


def stated_publication_date(lines: list[str]) -> dt.date | None:
    """The publication date a text dump states near its top: a wire dateline, a 'Published ...' line,
    or a full date alone on a line. Only full dates count (a day without its year is refused)."""
    rules = _rules()
    for line in lines:
        line = line.strip()
        m = rules["dateline"].match(line)
        if m:
            found = parse_date(m.group("date"), None)
            if found and found[1] == "date":
                return dt.date.fromisoformat(found[0])
            continue
        if not line or len(line.split()) > 10:
            continue
        candidate = line
        lowered = line.lower()
        for word in rules["published"]:
            if lowered.startswith(word):
                candidate = line[len(word):].lstrip(" :,-–—")
                break
        candidate = re.sub(r"\b\d{1,2}[:.]\d{2}(\s*[ap]\.?m\.?)?(\s+[A-Z]{2,4})?\b", " ", candidate)  # a time of day
        found = parse_date(candidate, None)
        if found and found[1] == "date":
            return dt.date.fromisoformat(found[0])
    return None


def article_reference_date(doc, given: str | None) -> dt.date | None:
    """The date relative dates resolve against: the article's own (page metadata, stated in the text, or
    --date), else the first full date in the text."""
    if given:
        return dt.date.fromisoformat(given)
    for ent in doc.ents:
        if ent.label_ == "DATE":
            parsed = parse_date(ent.text, None)
            if parsed and parsed[1] == "date":
                return dt.date.fromisoformat(parsed[0])
    return None
