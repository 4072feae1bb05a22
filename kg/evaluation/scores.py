"""Measure the extractor against gold files: precision, recall and F1 per PLOVER type and for actors.

Three gold formats, one record per line (JSONL):
- a PLOVER gold-standard record (`plover_v08` type; `source`/`target` lists of actors with an ISO3 or
  IGO/NGO `code`; a reciprocal pair, marked SRC/TAR, is listed as two sources and no target); scored per
  record: is there an event of the gold type (type recall), one with a gold source and target (dyad
  recall), and how many predicted events have the record's type (type precision);
- a sentence record, as in the PETRARCH2 dev set: {"id", "text", "events": [{"plover", "source": {"country"},
  "target": {"country"}, "factuality"?}]}; events with plover null (CAMEO 01/02 statements) are not scored;
- an article record: {"id", "article": "path relative to the gold file", "date"?, "must": [...], "must_not": [...]}
  whose events say what the article must and must not yield.

An actor is scored by its country code (ISO3, or "IGO" for an intergovernmental organisation); a gold
actor with an empty country matches anything. Every predicted event counts, whatever its factuality
(PETRARCH codes intentions too); factuality is scored separately where the gold gives it.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..extraction.actors import Actor
from ..extraction.calibration import features
from ..extraction.component import doc_events, load_nlp
from ..extraction.records import EventRecord
from ..lexicon.entries import load_lexicon
from ..nlp.dated import dated_text
from ..nlp.model import model_label
from ..reading.article import read_article
from .calibration import Judged, expected_calibration_error, render_calibration
from .conflibert import QuadScore, read_conflibert, render_quads, score_sentence
from .splits import PARTS, Part, in_part, record_key, sentence_key

PLOVER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]


@dataclass(frozen=True)
class Coded:
    plover: str
    source: str
    target: str
    factuality: str = ""
    cls: str = ""
    sentence: str = ""  # gold: a phrase the event's sentence must contain; predicted: the sentence
    event_id: str = ""  # predicted: which event the pair belongs to
    confidence: float = 0.0  # predicted: the event's dip:confidence
    features: tuple[str, ...] = ()  # predicted: what the confidence model reads of the event (calibration.py)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Result:
    model: str
    records: int = 0
    by_type: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in PLOVER})
    events: Score = field(default_factory=Score)
    type_only: Score = field(default_factory=Score)
    actors: Score = field(default_factory=Score)
    factuality_right: int = 0
    factuality_scored: int = 0
    must_not_violations: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    plover: PloverScore | None = None
    quads: QuadScore | None = None  # ConfliBERT sentences
    part: Part = "all"
    calibration: list[Judged] = field(default_factory=list)  # (confidence, right, features) per predicted event


@dataclass
class PloverScore:
    """Per-record scores on PLOVER gold-standard records (one gold event type per record)."""

    records: Counter = field(default_factory=Counter)       # gold type -> records
    type_hits: Counter = field(default_factory=Counter)     # gold type -> records with an event of that type
    dyad_hits: Counter = field(default_factory=Counter)     # gold type -> ... with a gold source and target
    predicted: Counter = field(default_factory=Counter)     # predicted type -> events
    predicted_right: Counter = field(default_factory=Counter)  # predicted type -> events of the record's type
    dyad_right: Counter = field(default_factory=Counter)    # predicted type -> events with gold type and dyad
    silent: int = 0                                           # records with no event at all

    def total(self, c: Counter) -> int:
        return sum(c.values())

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0


def actor_code(a: Actor) -> str:
    """ISO3 of the actor's country, or 'IGO'/'NGO'/'IMG' for an intergovernmental or non-governmental
    organisation or an armed group of no one country (or its people), as CAMEO codes them."""
    node: Actor | None = a
    while node is not None:
        if node.cls == "IntergovernmentalOrganization" and not node.country:
            return "IGO"
        if node.sector == "NGO" and not node.country:
            return "NGO"
        if node.cls == "ArmedGroup" and not node.country:
            return "IMG"  # an armed group of no one country: CAMEO's international militarised group
        if node.country:
            return node.country
        node = node.represents if node.represents is not node else None
    return ""


def coded_events(events: list[EventRecord], min_confidence: float = 0.0) -> list[Coded]:
    """Events as (PLOVER, source, target) pairs, as the graph has them (a location target is already the
    place's country); a reciprocal event ('A and B agreed') both ways round, as PLOVER and PETRARCH code it."""
    out = []
    for ev in events:
        if ev.confidence < min_confidence:
            continue
        plover = load_lexicon().class_plover.get(ev.cls, "")
        feats = features(ev, plover)
        pairs = [(s, t) for s in ev.sources or [None] for t in ev.targets or [None]]
        if ev.reciprocal:  # every party acts on every other ('the US, Russia and Switzerland met')
            parties = list(ev.sources) + [t for t in ev.targets if t not in ev.sources]
            pairs = [(s, t) for s in parties for t in parties if s is not t]
        for s, t in pairs:
            out.append(Coded(plover, actor_code(s) if s else "", actor_code(t) if t else "", ev.factuality,
                             "|".join(ev.classes or [ev.cls]), " ".join(e.text for e in ev.evidence), str(id(ev)),
                             ev.confidence, feats))
    return out


def _gold_event(e: dict[str, Any]) -> Coded | None:
    if not e.get("plover"):
        return None
    side = lambda k: (e.get(k) or {}).get("country", "") if isinstance(e.get(k), dict) else (e.get(k) or "")  # noqa: E731
    return Coded(e["plover"], side("source"), side("target"), e.get("factuality", ""), e.get("class", ""),
                 e.get("sentence", ""))


def _matches(gold: Coded, pred: Coded) -> bool:
    if gold.plover != pred.plover or (gold.cls and gold.cls not in pred.cls.split("|")):
        return False
    if gold.sentence and gold.sentence not in pred.sentence:
        return False
    return (not gold.source or gold.source == pred.source) and (not gold.target or gold.target == pred.target)


def score_record(result: Result, rid: str, gold: list[Coded], pred: list[Coded]) -> None:
    unmatched = list(pred)
    right: set[str] = set()  # events one of whose pairs matched a gold event
    for g in gold:
        hit = next((p for p in unmatched if _matches(g, p)), None)
        if hit is None:
            result.by_type[g.plover].fn += 1
            result.events.fn += 1
            result.misses.append(f"{rid}: missed {g.plover} {g.source or '*'} -> {g.target or '*'}")
            continue
        unmatched.remove(hit)
        right.add(hit.event_id)
        result.by_type[g.plover].tp += 1
        result.events.tp += 1
        if g.factuality:
            result.factuality_scored += 1
            result.factuality_right += g.factuality == hit.factuality
            if g.factuality != hit.factuality:
                result.misses.append(f"{rid}: {g.plover} {g.source} -> {g.target or '*'} is {hit.factuality}, gold {g.factuality}")
    for p in unmatched:
        if p.plover in result.by_type:
            result.by_type[p.plover].fp += 1
        result.events.fp += 1
    judged = {p.event_id: p for p in pred}
    result.calibration += [Judged(p.confidence, event in right, p.features) for event, p in judged.items()]
    gold_types, pred_types = Counter(g.plover for g in gold), Counter(p.plover for p in pred)
    overlap = sum((gold_types & pred_types).values())
    result.type_only.tp += overlap
    result.type_only.fp += sum(pred_types.values()) - overlap
    result.type_only.fn += sum(gold_types.values()) - overlap
    gold_actors = {c for g in gold for c in (g.source, g.target) if c}
    pred_actors = {c for p in pred for c in (p.source, p.target) if c}
    result.actors.tp += len(gold_actors & pred_actors)
    result.actors.fp += len(pred_actors - gold_actors)
    result.actors.fn += len(gold_actors - pred_actors)


def _codes(actors: list[dict[str, Any]]) -> set[str]:
    return {a.get("code", "") for a in actors if a.get("code")}


def score_plover_record(result: Result, rec: dict[str, Any], pred: list[Coded]) -> None:
    """One PLOVER record: type and dyad hits, and which predicted events have the record's type."""
    ps = result.plover
    assert ps is not None
    gold = rec["plover_v08"]
    sources, targets = _codes(rec.get("source", [])), _codes(rec.get("target", []))
    reciprocal = not targets and len(sources) > 1

    def dyad(p: Coded) -> bool:
        if p.plover != gold:
            return False
        if sources and p.source not in sources:
            return False
        if targets:
            return p.target in targets
        if reciprocal:
            return p.target in sources and p.target != p.source
        return True

    ps.records[gold] += 1
    if not pred:
        ps.silent += 1
    events: dict[str, list[Coded]] = {}
    for p in pred:  # one predicted event may have several source/target pairs
        events.setdefault(p.event_id, []).append(p)
    type_hit = dyad_hit = False
    for pairs in events.values():
        plover = pairs[0].plover
        ps.predicted[plover] += 1
        if plover == gold:
            ps.predicted_right[plover] += 1
            type_hit = True
        right = any(dyad(p) for p in pairs)  # dyad() holds only for events of the record's type
        if right:
            ps.dyad_right[plover] += 1
            dyad_hit = True
        result.calibration.append(Judged(pairs[0].confidence, right, pairs[0].features))
    ps.type_hits[gold] += type_hit
    ps.dyad_hits[gold] += dyad_hit
    if not dyad_hit:
        got = "; ".join(f"{p.plover} {p.source or '*'}->{p.target or '*'}" for p in pred) or "nothing"
        result.misses.append(f"{rec['id']}: gold {gold} {'/'.join(sorted(sources)) or '*'} -> "
                             f"{'/'.join(sorted(targets)) or '*'}; got {got}")


def evaluate_file(path: Path, model: str | None = None, min_confidence: float = 0.0, part: Part = "all") -> Result:
    """Scores on one part of a gold file (all of it by default)."""
    return evaluate_parts(path, model, min_confidence, (part,))[part]


def evaluate_parts(path: Path, model: str | None = None, min_confidence: float = 0.0,
                   parts: tuple[Part, ...] = PARTS) -> dict[Part, Result]:
    """Scores on each part of a gold file (a JSONL file, or ConfliBERT's folder), from one pass of the pipeline."""
    nlp = load_nlp(model)
    results = {part: Result(model=model_label(nlp), part=part) for part in parts}

    def owners(key: str) -> list[Result]:
        return [results[p] for p in parts if in_part(key, p)]

    if path.is_dir():
        sentences = read_conflibert(path)
        for r in results.values():
            r.quads = QuadScore(cameo=QuadScore())
        for sentence, doc in zip(sentences, nlp.pipe(s.text for s in sentences)):
            events = [ev for ev in doc_events(doc).events if ev.confidence >= min_confidence]
            for result in owners(sentence_key(sentence.text)):
                result.records += 1
                score_sentence(result.quads, sentence, events, result.calibration)
        return results
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    plover = [r for r in records if "plover_v08" in r]
    for r in results.values():
        r.records = sum(in_part(record_key(rec), r.part) for rec in records)
        r.plover = PloverScore() if plover else None
    for rec, doc in zip(plover, nlp.pipe(r["text"] for r in plover)):
        pred = coded_events(doc_events(doc).events, min_confidence)
        for result in owners(record_key(rec)):
            score_plover_record(result, rec, pred)
    sentences = [r for r in records if "text" in r and "plover_v08" not in r]
    for rec, doc in zip(sentences, nlp.pipe(r["text"] for r in sentences)):
        gold = [g for g in (_gold_event(e) for e in rec.get("events", [])) if g is not None]
        pred = coded_events(doc_events(doc).events, min_confidence)
        for result in owners(record_key(rec)):
            score_record(result, rec["id"], gold, pred)
    for rec in (r for r in records if "article" in r):
        targets = owners(record_key(rec))
        if not targets:
            continue
        article = read_article((path.parent / rec["article"]).resolve())
        pred = coded_events(doc_events(nlp(dated_text(article.text, rec.get("date")))).events, min_confidence)
        gold = [g for g in (_gold_event(e) for e in rec.get("must", [])) if g is not None]
        for result in targets:
            score_record(result, rec["id"], gold, pred)
            for e in rec.get("must_not", []):
                bad = _gold_event(e)
                if bad is not None and any(_matches(bad, p) and (not bad.factuality or p.factuality == bad.factuality)
                                           for p in pred):
                    result.must_not_violations.append(f"{rec['id']}: yielded forbidden {bad}")
    return results


def render_plover(ps: PloverScore) -> list[str]:
    r = ps.ratio
    lines = ["PLOVER records: per gold type, the share of records with an event of that type (type R) and with its",
             "gold source and target (dyad R); per predicted type, the share of events that have the record's type",
             "(type P) and its dyad too (dyad P)",
             f"{'type':10} {'records':>7} {'type R':>7} {'type P':>7} {'type F1':>7} {'dyad R':>7} {'dyad P':>7} {'dyad F1':>7}"]

    def f1(p: float, q: float) -> float:
        return 2 * p * q / (p + q) if p + q else 0.0

    for t in PLOVER:
        n, pred = ps.records[t], ps.predicted[t]
        if not n and not pred:
            continue
        tr, tp = r(ps.type_hits[t], n), r(ps.predicted_right[t], pred)
        dr, dp = r(ps.dyad_hits[t], n), r(ps.dyad_right[t], pred)
        lines.append(f"{t:10} {n:7} {tr:7.2f} {tp:7.2f} {f1(tp, tr):7.2f} {dr:7.2f} {dp:7.2f} {f1(dp, dr):7.2f}")
    n, pred = ps.total(ps.records), ps.total(ps.predicted)
    tr, tp = r(ps.total(ps.type_hits), n), r(ps.total(ps.predicted_right), pred)
    dr, dp = r(ps.total(ps.dyad_hits), n), r(ps.total(ps.dyad_right), pred)
    lines.append(f"{'ALL':10} {n:7} {tr:7.2f} {tp:7.2f} {f1(tp, tr):7.2f} {dr:7.2f} {dp:7.2f} {f1(dp, dr):7.2f}")
    lines.append(f"records with no event: {ps.silent}/{n}; predicted events: {pred}")
    return lines


def headline(result: Result) -> dict[str, float]:
    """The figures an analyst reads first, for the side-by-side summary and `kg eval --json`."""
    out: dict[str, float] = {"records": result.records}
    ps, r = result.plover, PloverScore.ratio
    if ps is not None:
        n, pred = ps.total(ps.records), ps.total(ps.predicted)
        out.update({"type_recall": r(ps.total(ps.type_hits), n), "type_precision": r(ps.total(ps.predicted_right), pred),
                    "dyad_recall": r(ps.total(ps.dyad_hits), n), "dyad_precision": r(ps.total(ps.dyad_right), pred),
                    "silent_records": r(ps.silent, n)})
    q = result.quads
    if q is not None:
        out.update({"no_event_accuracy": q.no_event_accuracy, "quad_recall": q.quad_recall,
                    "quad_precision": q.quad_precision, "source_recall": q.share(q.source_hits),
                    "target_recall": q.share(q.target_hits), "directed_recall": q.share(q.directed_hits),
                    "reversed": q.share(q.reversed_hits)})
        if q.cameo is not None:
            out.update({"cameo_quad_recall": q.cameo.quad_recall, "cameo_quad_precision": q.cameo.quad_precision})
    if result.events.tp + result.events.fp + result.events.fn:
        out.update({"event_precision": result.events.precision, "event_recall": result.events.recall,
                    "event_f1": result.events.f1, "type_only_f1": result.type_only.f1, "actor_f1": result.actors.f1})
    if result.calibration:
        out["ece"] = expected_calibration_error(result.calibration)
    return out


def render(result: Result) -> str:
    lines = [f"model: {result.model}   part: {result.part}   records: {result.records}"]
    if result.plover is not None:
        lines += render_plover(result.plover)
    if result.quads is not None:
        lines += render_quads(result.quads)
    if result.events.tp + result.events.fp + result.events.fn:
        lines.append(f"{'type':10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
        for t in PLOVER:
            s = result.by_type[t]
            if s.tp + s.fp + s.fn:
                lines.append(f"{t:10} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.tp:4} {s.fp:4} {s.fn:4}")
        for name, s in (("EVENTS", result.events), ("TYPE ONLY", result.type_only), ("ACTORS", result.actors)):
            lines.append(f"{name:10} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.tp:4} {s.fp:4} {s.fn:4}")
    if result.factuality_scored:
        lines.append(f"factuality accuracy on matched events: {result.factuality_right}/{result.factuality_scored}")
    if result.calibration:
        lines += render_calibration(result.calibration)
    for v in result.must_not_violations:
        lines.append(f"MUST NOT: {v}")
    return "\n".join(lines)


def render_parts(results: dict[Part, Result]) -> str:
    """Each part in full, then its headline figures side by side: a working figure far above the check
    figure is a rule fitted to sentences."""
    blocks = [f"== {part} part ==\n{render(result)}" for part, result in results.items()]
    if len(results) > 1:
        figures = {part: headline(result) for part, result in results.items()}
        names = list(dict.fromkeys(k for f in figures.values() for k in f))
        table = [f"{'':20}" + "".join(f"{part:>10}" for part in results)]
        for name in names:
            cells = [figures[part].get(name) for part in results]
            table.append(f"{name:20}" + "".join(f"{'-':>10}" if c is None else
                                                 f"{c:10d}" if name == "records" else f"{c:10.2f}" for c in cells))
        blocks.append("== side by side ==\n" + "\n".join(table))
    return "\n\n".join(blocks)
