"""When two reports are one happening: the rules of kg/data/happenings.json, applied to Reports.

Two reports are one happening when their PLOVER types are one (the same, or a pair the codebook makes one),
their factuality is the same, their actors are the same after resolution (a country, its government and
a minister acting for it are one actor), their dates do not disagree and their places do not disagree.
Every test returns its reason, so a merge can be explained (`kg why`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from ..resources import DATA_DIR
from .reports import ActorInfo, DateSpan, Report, stated_span

COUNTRY_PREFIX = "/country/"


@dataclass(frozen=True)
class Rules:
    window_days: int
    explicit_tolerance_days: int
    factualities: frozenset[str]
    type_group: dict[str, str]  # PLOVER type -> the name of the group it matches in
    undirected: frozenset[str]
    state_sectors: frozenset[str]


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    data = json.loads((DATA_DIR / "happenings.json").read_text(encoding="utf-8"))
    group: dict[str, str] = {}
    for entry in data["same_happening_types"]:
        name = "+".join(sorted(entry["types"]))
        for t in entry["types"]:
            group[t] = name
    return Rules(window_days=int(data["window_days"]), explicit_tolerance_days=int(data["explicit_tolerance_days"]),
                 factualities=frozenset(data["factualities"]), type_group=group,
                 undirected=frozenset(data["undirected_types"]), state_sectors=frozenset(data["state_sectors"]))


BLOCK_FORMAT = "3"  # what a block key holds (Matcher.block, .periods); a new format makes older stores redo it all
UNDATED = "undated"  # the period of a report with no date at all: it may join any happening of its block


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """The matching rules and the block format a happenings graph was clustered under (dip:matchingRules)."""
    raw = (DATA_DIR / "happenings.json").read_bytes() + BLOCK_FORMAT.encode("ascii")
    return hashlib.sha256(raw).hexdigest()[:16]


DAYS_KEPT = 31  # a span of at most a month is kept day by day; a longer one (a year) month by month


def _days(start: dt.date, end: dt.date) -> list[str]:
    return [(start + dt.timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def _months(start: dt.date, end: dt.date) -> list[str]:
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


class Matcher:
    """Keys and tests over one store's reports and actors."""

    def __init__(self, actors: dict[str, ActorInfo], rules: Rules | None = None):
        self.actors = actors
        self.rules = rules or load_rules()
        self._keys: dict[str, str] = {}
        self._key_sets: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._spans: dict[str, DateSpan | None] = {}

    # ------------------------------------------------------------------ actors
    def country(self, iri: str) -> str | None:
        """The ISO3 of the country an actor is or acts for (the first along its dip:represents chain)."""
        return next((self.actors[a].iso3 for a in self.chain(iri) if a in self.actors and self.actors[a].iso3), None)

    def chain(self, iri: str) -> list[str]:
        """The actor and those it acts for (dip:represents), which its matching key depends on."""
        out = [iri]
        while len(out) < 5 and (nxt := self.actors.get(out[-1], ActorInfo()).represents) and nxt not in out:
            out.append(nxt)
        return out

    def actor_key(self, iri: str) -> str:
        """Who an actor is for matching: its state ('MLI' for Mali, its government, army or a minister), the
        state and sector of a non-state group ('MLI/Rebels'), else the actor itself."""
        key = self._keys.get(iri)
        if key is None:
            info = self.actors.get(iri, ActorInfo())
            country = self.country(iri)
            if country is None:
                key = iri
            elif info.sector is None or info.sector in self.rules.state_sectors:
                key = country
            else:
                key = f"{country}/{info.sector}"
            self._keys[iri] = key
        return key

    def keys(self, actors: tuple[str, ...]) -> tuple[str, ...]:
        found = self._key_sets.get(actors)
        if found is None:
            found = self._key_sets[actors] = tuple(sorted({self.actor_key(a) for a in actors}))
        return found

    # ------------------------------------------------------------------ reports
    def eligible(self, r: Report) -> bool:
        return r.factuality in self.rules.factualities and bool(r.sources or r.targets)

    def group(self, plover: str) -> str:
        return self.rules.type_group.get(plover, plover)

    def block(self, r: Report) -> tuple:
        """Reports that may be one happening share a block: the type group, the factuality and the doers (for
        undirected types, everyone involved). Clustering never looks across blocks."""
        if r.plover in self.rules.undirected:
            return (self.group(r.plover), r.factuality, "all", self.keys(r.sources + r.targets))
        if not r.sources:  # a doer the text leaves out: such reports match one another by their target
            return (self.group(r.plover), r.factuality, "target", self.keys(r.targets))
        return (self.group(r.plover), r.factuality, "source", self.keys(r.sources))

    def block_id(self, r: Report) -> str:
        """The block as the text a happening keeps of it (dip:matchingBlock), which finds the block's happenings."""
        group, factuality, mode, keys = self.block(r)
        return json.dumps([group, factuality, mode, list(keys)], separators=(",", ":"))

    def periods(self, r: Report, neighbours: bool = False) -> list[str]:
        """Where a happening keeps the report's days, with its block (dip:matchingPeriod): each day of a span of
        a month at most ('BLOCK@2022-01-21'), each month of a longer one (a year: 'BLOCK@2021-05'). With
        `neighbours`, the keys under which a report it may meet is kept: every day and month of its span widened
        by the date tolerance. Days are exact: a report found is one whose days meet this one's."""
        block, span = self.block_id(r), self.span(r)
        if span is None:
            return [f"{block}@{UNDATED}"]
        if neighbours:
            slack = dt.timedelta(days=self.rules.explicit_tolerance_days)
            lo, hi = span.start - slack, span.end + slack
            return [f"{block}@{key}" for key in (*_days(lo, hi), *_months(lo, hi))]
        keys = _days(span.start, span.end) if (span.end - span.start).days <= DAYS_KEPT else _months(span.start, span.end)
        return [f"{block}@{key}" for key in keys]

    def span(self, r: Report) -> DateSpan | None:
        """When the reported event may have happened: its stated date, else the window before publication."""
        if r.event not in self._spans:
            self._spans[r.event] = self._span(r)
        return self._spans[r.event]

    def _span(self, r: Report) -> DateSpan | None:
        if r.date:
            stated = stated_span(r.date)
            if stated is not None:
                return stated
        if r.published is not None:
            return DateSpan(r.published - dt.timedelta(days=self.rules.window_days), r.published, False)
        return None

    def why_not(self, a: Report, b: Report) -> str | None:
        """None when `a` and `b` may be one happening (same block assumed), else the reason they are not."""
        if a.plover not in self.rules.undirected:
            ta, tb = self.keys(a.targets), self.keys(b.targets)
            if ta and tb and ta != tb:
                return f"targets differ ({', '.join(ta)} / {', '.join(tb)})"
        sa, sb = self.span(a), self.span(b)
        if sa is not None and sb is not None:
            tolerance = self.rules.explicit_tolerance_days if sa.stated and sb.stated else 0
            if not sa.meets(sb, tolerance):
                return f"dates disagree ({sa} / {sb})"
        if a.place and b.place and a.place != b.place and not (self.is_country(a.place) or self.is_country(b.place)):
            return f"places differ ({a.place.rsplit('/', 1)[-1]} / {b.place.rsplit('/', 1)[-1]})"
        return None

    @staticmethod
    def is_country(iri: str) -> bool:
        """A country as a place ('talks in Egypt') does not disagree with a city in it."""
        return COUNTRY_PREFIX in iri

    def agreement(self, anchor: Report, r: Report) -> list[str]:
        """What makes `r` one happening with `anchor`, in words (for `kg why`)."""
        said = []
        said.append("same type" if r.plover == anchor.plover else f"{r.plover} is one with {anchor.plover} (codebook)")
        said.append(f"same factuality ({r.factuality})")
        if r.plover in self.rules.undirected:
            said.append(f"same actors ({', '.join(self.keys(r.sources + r.targets))})")
        else:
            said.append(f"same source ({', '.join(self.keys(r.sources)) or '-'})")
            ta, tb = self.keys(anchor.targets), self.keys(r.targets)
            said.append(f"same target ({', '.join(tb)})" if ta == tb else
                        f"target {', '.join(tb) or 'not stated'} does not disagree with {', '.join(ta) or 'none'}")
        sa, sb = self.span(anchor), self.span(r)
        if sa is None or sb is None:
            said.append("no date to compare")
        elif sa.stated and sb.stated:
            said.append(f"stated dates agree ({sb})")
        else:
            said.append(f"dates meet ({sb} {'stated' if sb.stated else 'by publication'} / "
                        f"{sa} {'stated' if sa.stated else 'by publication'})")
        if r.place and anchor.place and r.place != anchor.place:
            said.append("places do not disagree (one is a country)")
        elif r.place and r.place == anchor.place:
            said.append("same place")
        return said
