"""Date expressions as news writes them: resolved against the article's date in the clause's tense, or refused."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.reading.dates import parse_date, stated_publication_date

WED = "2024-01-10"  # a Wednesday in January
JUNE = "2024-06-10"  # a Monday in June
REFUSED = None

# (expression, article date, tense, expected (value, kind) or REFUSED)
TABLE = [
    # full dates need no article date
    ("May 13, 2021", None, "past", ("2021-05-13", "date")),
    ("13 May 2021", None, "past", ("2021-05-13", "date")),
    ("2021-05-12", None, "past", ("2021-05-12", "date")),
    ("Monday, May 13, 2021", None, "past", ("2021-05-13", "date")),
    ("Sept. 3, 2023", None, "past", ("2023-09-03", "date")),
    # years and months: own rules give the coarser xsd types
    ("1979", None, "past", ("1979", "gYear")),
    ("in 1979", None, "past", ("1979", "gYear")),
    ("May 2021", None, "past", ("2021-05", "gYearMonth")),
    ("Sept. 2021", None, "past", ("2021-09", "gYearMonth")),
    ("last year", WED, "past", ("2023", "gYear")),
    ("next month", WED, "future", ("2024-02", "gYearMonth")),
    ("early October", JUNE, "future", ("2024-10", "gYearMonth")),
    ("early October", JUNE, "past", ("2023-10", "gYearMonth")),
    # weekdays: the tense picks the direction; the article's own weekday is that day in reporting
    ("on Monday", WED, "past", ("2024-01-08", "date")),
    ("on Monday", WED, "future", ("2024-01-15", "date")),
    ("Late on Wednesday", WED, "past", ("2024-01-10", "date")),
    ("on Friday", WED, "future", ("2024-01-12", "date")),
    ("Friday's", WED, "past", ("2024-01-05", "date")),
    ("Tuesday night", WED, "past", ("2024-01-09", "date")),
    ("next Tuesday", WED, "past", ("2024-01-16", "date")),
    ("next Tuesday", WED, "future", ("2024-01-16", "date")),
    # days without a year: the year that puts them on the tense's side of the article date
    ("December 28", WED, "past", ("2023-12-28", "date")),
    ("December 28", WED, "future", ("2024-12-28", "date")),
    ("Sept. 3", WED, "past", ("2023-09-03", "date")),
    ("Jan. 5", WED, "past", ("2024-01-05", "date")),
    ("May 31", JUNE, "past", ("2024-05-31", "date")),
    # relative days
    ("two days ago", WED, "past", ("2024-01-08", "date")),
    ("a week ago", WED, "past", ("2024-01-03", "date")),
    ("yesterday", WED, "past", ("2024-01-09", "date")),
    ("tomorrow", JUNE, "future", ("2024-06-11", "date")),
    ("today", WED, "past", ("2024-01-10", "date")),
    ("in two weeks", WED, "future", ("2024-01-24", "date")),
    ("in three days", WED, "future", ("2024-01-13", "date")),
    ("in early October", JUNE, "future", ("2024-10", "gYearMonth")),
    ("in May 2021", None, "past", ("2021-05", "gYearMonth")),
    # refusals: nothing relative without the article date
    ("on Monday", None, "past", REFUSED),
    ("Wednesday", None, "future", REFUSED),
    ("May 31", None, "past", REFUSED),
    ("two days ago", None, "past", REFUSED),
    ("yesterday", None, "past", REFUSED),
    ("next month", None, "future", REFUSED),
    # a relative week is the calendar week it names (TIMEX3), never a made-up day in it
    ("last week", WED, "past", ("2024-01-01/2024-01-07", "week")),
    ("earlier this week", WED, "past", ("2024-01-08/2024-01-14", "week")),
    ("next week", WED, "future", ("2024-01-15/2024-01-21", "week")),
    ("last week", None, "past", REFUSED),
    ("the previous week", WED, "past", REFUSED),  # counts from the story's time, not the article's
    # refusals: vague spans are not turned into a made-up day
    ("the weekend", WED, "past", REFUSED),
    ("the past eight months", WED, "past", REFUSED),
    ("eight months", WED, "past", REFUSED),
    ("the 1990s", WED, "past", REFUSED),
    ("last summer", WED, "past", REFUSED),
    ("mid-May", WED, "past", REFUSED),
    ("recently", WED, "past", REFUSED),
    ("in the coming days", WED, "future", REFUSED),
    ("in the past week", WED, "past", REFUSED),
]


def test_the_table_is_large_enough():
    assert len(TABLE) >= 30


@pytest.mark.parametrize("text,reference,tense,expected", TABLE)
def test_date_table(text, reference, tense, expected):
    ref = dt.date.fromisoformat(reference) if reference else None
    assert parse_date(text, ref, tense) == expected


@pytest.mark.parametrize("lines,expected", [
    (["Egypt brokers talks", "Published: 13 May 2021 14:05 GMT", "", "Egypt said on Monday ..."], "2021-05-13"),
    (["CAIRO, May 13, 2021 (Reuters) - Egypt's foreign minister said on Monday ..."], "2021-05-13"),
    (["Ceasefire talks", "Monday 13 May 2021", "Body text."], "2021-05-13"),
    (["Last updated on Jan. 10, 2024, 9:30 a.m. ET"], "2024-01-10"),
    (["CAIRO, May 13 (Reuters) - Egypt's foreign minister said ..."], None),  # no year: refused
    (["Egypt and Israel met on Monday.", "They talked for two hours."], None),
])
def test_stated_publication_date(lines, expected):
    found = stated_publication_date(lines)
    assert (found.isoformat() if found else None) == expected
