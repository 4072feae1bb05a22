"""What a build is given (`BuildOptions`) and what it reports (`BuildSummary`, the one-line skip reasons)."""
from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph
from spacy.attrs import IS_PUNCT, IS_SPACE

from ..happenings import Refresh
from ..namespace import DIP
from ..reading.article import DEFAULT_MAX_BYTES
from ..reading.files import InputError

if TYPE_CHECKING:  # a build's results are recorded here; processing imports these options
    from .processor import Processed

Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass
class BuildOptions:
    model: str | None = None
    run_time: dt.datetime | None = None  # one start time for the whole build (and every Dask worker)
    article_date: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    batch_size: int = 32
    n_process: int = 1
    validate: bool = True
    min_confidence: float = 0.0  # events below it are left out
    happenings: bool = True  # refresh the happenings graph after the articles (kg/happenings)


@dataclass
class BuildSummary:
    articles: int = 0
    unchanged: int = 0
    events: int = 0
    furniture_lines: int = 0  # page furniture (menus, related headlines, captions, bylines) blanked: no events
    quarantined_events: int = 0
    actors: set[str] = field(default_factory=set)
    by_type: Counter = field(default_factory=Counter)
    by_factuality: Counter = field(default_factory=Counter)
    skipped: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quarantine: Graph | None = None
    seconds: float = 0.0
    words: int = 0
    validation_seconds: float = 0.0
    happenings: Refresh | None = None  # what the happenings refresh did, when it ran

    def record(self, done: Processed, class_plover: dict[str, str], log: Log) -> None:
        """Count one processed article (and collect its quarantine)."""
        article, doc, mapped, q = done.article, done.doc, done.mapped, done.quarantine
        self.articles += 1
        self.furniture_lines += article.furniture
        self.validation_seconds += done.validation_seconds
        flags = doc.to_array([IS_SPACE, IS_PUNCT]).reshape(-1, 2)  # words: tokens neither space nor punctuation
        self.words += int(((flags[:, 0] == 0) & (flags[:, 1] == 0)).sum())
        self.events += len(mapped.events)
        for ev in mapped.events.values():
            self.by_type[class_plover.get(ev.cls, ev.cls)] += 1
            self.by_factuality[ev.factuality] += 1
            for a in ev.sources + ev.targets + ev.participants + ev.mediators:
                self.actors.add(a.key)
        if q is not None:
            n = len(set(q.subjects(DIP.evidence, None)))
            self.quarantined_events += n
            log(f"quarantined {n} event(s) of {article.name} that failed validation")
            self.quarantine = self.quarantine if self.quarantine is not None else Graph()
            for t in q:
                self.quarantine.add(t)

    def merge(self, other: BuildSummary) -> None:
        """Add a shard's summary (distributed builds)."""
        for name in ("articles", "unchanged", "events", "furniture_lines", "quarantined_events", "words", "validation_seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.actors |= other.actors
        self.by_type.update(other.by_type)
        self.by_factuality.update(other.by_factuality)
        self.skipped += other.skipped
        self.notes += other.notes
        if other.quarantine is not None:
            self.quarantine = self.quarantine if self.quarantine is not None else Graph()
            for t in other.quarantine:
                self.quarantine.add(t)

    def lines(self) -> list[str]:
        out = [f"articles: {self.articles} built, {self.unchanged} unchanged, {len(self.skipped)} skipped",
               f"events: {self.events} ({', '.join(f'{k} {v}' for k, v in sorted(self.by_type.items()))})",
               f"factuality: {', '.join(f'{k} {v}' for k, v in sorted(self.by_factuality.items()))}",
               f"actors: {len(self.actors)}",
               f"quarantined events: {self.quarantined_events}",
               *([f"happenings: {h.happenings} in the {h.blocks} blocks this build touched "
                  f"({h.written} written, {h.dissolved} dissolved; {h.seconds:.1f}s)"] if (h := self.happenings) else []),
               f"page furniture: {self.furniture_lines} lines left out (menus, related headlines, captions, bylines)",
               f"time: {self.seconds:.1f}s ({self.words / self.seconds if self.seconds else 0:,.0f} words/s)"]
        if self.skipped:
            kinds = Counter(e.kind for e in self.skipped)
            out.append("skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        return out


class ArticleError(InputError):
    """One article that cannot be built; the build skips it with this one-line reason and goes on."""


def _skip(summary: BuildSummary, log: Log, error: InputError) -> None:
    summary.skipped.append(error)
    log(f"skipped {error}")


def _note(summary: BuildSummary, log: Log, note: str) -> None:
    summary.notes.append(note)
    log(f"note: {note}")


def stage_error(path: Path, stage: str, exc: BaseException) -> ArticleError:
    """An unexpected exception in one article's stage as a one-line skip reason (a bug: worth reporting)."""
    if isinstance(exc, InputError):
        return exc if isinstance(exc, ArticleError) else ArticleError(path, str(exc).split(": ", 1)[-1], exc.kind)
    if isinstance(exc, MemoryError):
        return ArticleError(path, f"{stage}: out of memory; skipped", "error")
    detail = (str(exc).strip().splitlines() or [""])[0][:200]
    return ArticleError(path, f"{stage} failed ({type(exc).__name__}{': ' + detail if detail else ''}); "
                        "skipped (a bug: please report it with this file)", "error")
