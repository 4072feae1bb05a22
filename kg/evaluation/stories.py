"""Happenings scored on same-story sets: several outlets' reports of the same events (tests/fixtures/stories).

Each set is built on its own store. A report (an article-level event) belongs to a key event of the
manifest when it comes from a file the manifest lists for it, its type is the key event's (or one with it,
kg/data/happenings.json), its actors are the key event's countries and its date does not disagree. Per key
event: the happenings holding its reports (goal 1), the share of its listed reports linked in the main one,
and the happenings that hold reports of two key events (wrong merges, goal 0).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..happenings.matching import Matcher
from ..happenings.refresh import current_members
from ..happenings.reports import DateSpan, Report, read_reports, stated_span
from ..pipeline.options import BuildOptions
from ..pipeline.runner import build
from ..store.graph_store import GraphStore


@dataclass
class KeyEventScore:
    id: str
    plover: str
    happenings: int  # happenings holding a report of it (goal 1)
    linked: int  # its listed files with a report in the main happening
    listed: int  # the files the manifest lists as reporting it


@dataclass
class SetScore:
    name: str
    shape: str
    articles: int
    happenings: int  # all happenings the set's articles give
    key_events: list[KeyEventScore] = field(default_factory=list)
    wrong_merges: list[str] = field(default_factory=list)  # 'HAPPENING holds a and b'


def _belongs(m: Matcher, r: Report, key: dict, files: dict[str, str]) -> bool:
    if files.get(r.article) not in key["reports"] or m.group(r.plover) != m.group(key["plover"]):
        return False
    actors = set(m.keys(r.sources + r.targets))
    if key.get("symmetric") or key["plover"] in m.rules.undirected:
        if not {key["source"], key["target"]} <= actors:
            return False
    elif key["source"] not in m.keys(r.sources) or (r.targets and key["target"] not in m.keys(r.targets)):
        return False
    day = dt.date.fromisoformat(key["date"])
    span = m.span(r)
    return span is None or span.meets(DateSpan(day, day, True), m.rules.explicit_tolerance_days)


def score_set(folder: Path, spec: dict, opts: BuildOptions | None = None) -> SetScore:
    store = GraphStore()
    build([folder / name for name in spec["articles"]], store, opts or BuildOptions(), log=lambda _msg: None)
    reports, actors = read_reports(store)
    m = Matcher(actors)
    members = current_members(store)
    files = {r.article: None for r in reports.values()}
    for row in store.query("SELECT ?article ?name WHERE { ?article a dip:Article ; dip:fileName ?name }"):
        files[row["article"].value] = row["name"].value
    keys = spec["key_events"]
    owner: dict[str, str] = {}  # report -> the one key event it belongs to (a report fitting two belongs to neither)
    for r in reports.values():
        fits = [k["id"] for k in keys if _belongs(m, r, k, files)]
        if len(fits) > 1:  # the nearest stated date decides, else it stays out
            span = m.span(r)
            if span is not None and span.stated:
                near = sorted(fits, key=lambda k: abs((stated_span(next(x for x in keys if x["id"] == k)["date"]).start
                                                       - span.start).days))
                fits = near[:1]
        if len(fits) == 1:
            owner[r.event] = fits[0]
    out = SetScore(name=spec["name"], shape=spec.get("shape", ""), articles=len(spec["articles"]), happenings=len(members))
    for key in keys:
        holding = {h: {files[reports[e].article] for e in evs if owner.get(e) == key["id"]}
                   for h, evs in members.items()}
        holding = {h: fs for h, fs in holding.items() if fs}
        main = max(holding.values(), key=len, default=set())
        out.key_events.append(KeyEventScore(id=key["id"], plover=key["plover"], happenings=len(holding),
                                            linked=len(main), listed=len(key["reports"])))
    for h, evs in sorted(members.items()):
        held = sorted({owner[e] for e in evs if e in owner})
        if len(held) > 1:
            out.wrong_merges.append(f"{h.rsplit('/', 1)[-1]} holds {' and '.join(held)}")
    return out


def score_stories(manifest: Path, opts: BuildOptions | None = None) -> list[SetScore]:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return [score_set(manifest.parent / spec["name"], spec, opts) for spec in data["sets"]]


def render(scores: list[SetScore]) -> str:
    lines = ["set                 key event              type      happenings  reports linked",
             "------------------  ---------------------  --------  ----------  --------------"]
    for s in scores:
        for k in s.key_events:
            lines.append(f"{s.name:<18}  {k.id:<21}  {k.plover:<8}  {k.happenings:>10}  {k.linked:>6} of {k.listed}")
        for w in s.wrong_merges:
            lines.append(f"{s.name:<18}  WRONG MERGE: {w}")
    keys = [k for s in scores for k in s.key_events]
    one = sum(k.happenings == 1 for k in keys)
    linked = sum(k.linked for k in keys)
    listed = sum(k.listed for k in keys)
    merges = sum(len(s.wrong_merges) for s in scores)
    lines.append(f"key events with exactly one happening: {one} of {len(keys)}; reports linked: {linked} of {listed}; "
                 f"wrong merges: {merges}")
    return "\n".join(lines)


def as_json(scores: list[SetScore]) -> list[dict]:
    return [asdict(s) for s in scores]
