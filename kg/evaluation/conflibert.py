"""Score the extractor on ConfliBERT's real news sentences: is there an event at all, its quad, its direction.

ConfliBERT's CAMEO-coded sentences (eventdata/ConfliBERT, GPL-3.0) come as two files per split:
- `cameo_class_*.tsv`: `sentence<TAB>quad`, the quad of the sentence's event (0 no event, 1 verbal
  cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict; a line without one is left out);
- `cameo_ner_*.txt`: most of the same sentences token by token (`token TAG`, a blank line between sentences),
  the event's source tagged B-S/I-S and its target B-T/I-T.

The two are joined by the sentence's letters and digits (`splits.sentence_key`), since the NER file is
tokenised ("government 's") and the class file is not ("governmentʼs").

Measures, in the form of the PLOVER record scores (scores.py):
- no-event accuracy: of the sentences with quad 0, the share that give no event;
- quad recall: of the sentences with an event, the share with an event of that quad (a type's quad is the
  manual's, kg/data/plover_quads.json); quad precision: of all events written, the share whose quad is their
  sentence's (any event of a quad-0 sentence is wrong);
- the same two in the labels' own scheme (cameo_quad_*): an event's quad is that of its CAMEO root as the
  labels assign it (kg/data/cameo_quads.json), since PLOVER regroups CAMEO across quads (CONCEDE is verbal
  cooperation, CAMEO's 08 YIELD material; SANCTION material conflict, CAMEO's 16 verbal conflict in the labels);
- directed source / target recall: of the sentences with a tagged source and target and an event PLOVER
  codes (quad 1-4, or none given), the share where one event has an actor matching the source span among its
  sources and one matching the target span among its targets (source and target recall count each side
  alone). Quad 0 is CAMEO's statements and appeals, which PLOVER drops, so their tagged speaker and addressee
  are no PLOVER dyad. An actor matches a span when the span names its country (a name, demonym, capital or
  metonym of it, or a place of the gazetteer in it, as CAMEO codes 'Paris' FRA) or, naming no country, shares a
  content word with the actor's label.

Quad 0 is not "no event" in CAMEO's sense but its neutral class, 01 MAKE PUBLIC STATEMENT and 02 APPEAL:
such sentences have a tagged source and target as often as the others. PLOVER drops both roots (its CAMEO to
PLOVER table), so for a PLOVER coder they hold no event, and no-event accuracy keeps its name.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..extraction.actors import Actor
from ..extraction.calibration import features
from ..extraction.records import EventRecord
from ..lexicon.entries import load_lexicon
from ..lexicon.geonames import city_country
from ..resources import DATA_DIR, fold
from .calibration import Judged
from .splits import Part, select, sentence_key

FUNCTION_WORDS = frozenset("a an the of 's s ' and or in on at to for by with from its his her their this that these "
                           "those some two three several other another".split())


@dataclass
class Sentence:
    text: str
    quad: int | None  # None: a sentence of the NER files only (ConfliBERT edited some), scored for direction alone
    sources: list[str] = field(default_factory=list)  # tagged source spans (text), when the NER file has the sentence
    targets: list[str] = field(default_factory=list)
    tagged: bool = False

    @property
    def has_dyad(self) -> bool:
        """A tagged source and target both: the sentences direction is scored on."""
        return self.tagged and bool(self.sources) and bool(self.targets)


@dataclass
class QuadScore:
    sentences: int = 0
    gold: Counter = field(default_factory=Counter)        # gold quad -> sentences
    quad_hits: Counter = field(default_factory=Counter)   # gold quad -> sentences with an event of that quad
    predicted: Counter = field(default_factory=Counter)   # predicted quad -> events
    predicted_right: Counter = field(default_factory=Counter)  # predicted quad -> events of their sentence's quad
    silent: Counter = field(default_factory=Counter)      # gold quad -> sentences with no event
    dyads: int = 0                                        # sentences with a tagged source and target
    source_hits: int = 0
    target_hits: int = 0
    directed_hits: int = 0
    reversed_hits: int = 0                                # the tagged target as source and source as target
    cameo: QuadScore | None = None                        # the quads again, in the labels' CAMEO scheme

    @property
    def no_event_accuracy(self) -> float:
        return self.silent[0] / self.gold[0] if self.gold[0] else 0.0

    @property
    def quad_recall(self) -> float:
        n = sum(v for q, v in self.gold.items() if q)
        return sum(v for q, v in self.quad_hits.items() if q) / n if n else 0.0

    @property
    def quad_precision(self) -> float:
        n = sum(self.predicted.values())
        return sum(self.predicted_right.values()) / n if n else 0.0

    def share(self, hits: int) -> float:
        return hits / self.dyads if self.dyads else 0.0


@lru_cache(maxsize=1)
def plover_quads() -> dict[str, Any]:
    """kg/data/plover_quads.json: each type's quad ("plover") and each quad's name ("names")."""
    return json.loads((DATA_DIR / "plover_quads.json").read_text(encoding="utf-8"))


def quad_of(event: EventRecord) -> int:
    """The PLOVER manual's quad of the event's type."""
    return plover_quads()["plover"].get(load_lexicon().class_plover.get(event.cls, ""), 0)


@lru_cache(maxsize=1)
def cameo_quads() -> dict[str, int]:
    """kg/data/cameo_quads.json: the quad ConfliBERT's labels give each CAMEO root."""
    return json.loads((DATA_DIR / "cameo_quads.json").read_text(encoding="utf-8"))["roots"]


def cameo_quad_of(event: EventRecord) -> int:
    """The labels' quad of the event's CAMEO code (its own, else its class's)."""
    code = event.cameo or load_lexicon().class_cameo.get(event.cls, "")
    return cameo_quads().get(code[:2], 0)


def read_class_file(path: Path) -> list[Sentence]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text, _, quad = line.rpartition("\t")
        if not text.strip() or not quad.strip():
            continue
        if not re.fullmatch(r"[0-4]", quad.strip()):
            raise ValueError(f"{path}:{n}: quad {quad.strip()!r} is not 0-4")
        out.append(Sentence(text.strip(), int(quad)))
    return out


def read_ner_file(path: Path) -> dict[str, tuple[str, list[str], list[str]]]:
    """Sentence key -> (sentence, source spans, target spans), from BIO tags of S and T."""
    out: dict[str, tuple[str, list[str], list[str]]] = {}
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        tokens, spans = [], {"S": [], "T": []}
        current: tuple[str, list[str]] | None = None
        for line in block.splitlines():
            token, _, tag = line.rpartition(" ")
            if not token:
                continue
            tokens.append(token)
            role = tag[2:] if tag[:2] in ("B-", "I-") else ""
            if tag.startswith("B-") and role in spans:
                current = (role, [token])
                spans[role].append(current[1])
            elif tag.startswith("I-") and current is not None and current[0] == role:
                current[1].append(token)
            else:
                current = None
        if tokens:
            text = re.sub(r" (?=[.,;:!?%)]|'s\b|n't\b)|(?<=[($]) ", "", " ".join(tokens))  # "government 's" -> "government's"
            out[sentence_key(text)] = (text, [" ".join(s) for s in spans["S"]], [" ".join(t) for t in spans["T"]])
    return out


def read_conflibert(folder: Path, part: Part = "all") -> list[Sentence]:
    """Every class-file sentence of the folder (train and test), with its tagged spans where the NER files have
    the same sentence; then the NER files' other sentences (cut or reworded versions of class sentences, about
    one in six), scored for direction only. A reworded sentence is split by its own text, so it may fall in the
    other part than its original: a small leak from check to working that `kg eval` accepts for direction."""
    sentences = [s for f in sorted(folder.glob("cameo_class_*.tsv")) for s in read_class_file(f)]
    tagged: dict[str, tuple[str, list[str], list[str]]] = {}
    for f in sorted(folder.glob("cameo_ner_*.txt")):
        tagged.update(read_ner_file(f))
    for s in sentences:
        spans = tagged.pop(sentence_key(s.text), None)
        if spans is not None:
            s.sources, s.targets, s.tagged = spans[1], spans[2], True
    sentences += [Sentence(text, None, sources, targets, True) for text, sources, targets in tagged.values()]
    return select(sentences, part, key=lambda s: sentence_key(s.text))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text).lower()) if w not in FUNCTION_WORDS}


def _names_in(span: str, index: dict[str, str]) -> set[str]:
    """What the span's names stand for in `index` (names lower case, letters only). A name of three letters or
    fewer counts only in capitals ('US', 'U.S.', 'UN'): 'us' and 'car' are words."""
    words = re.findall(r"[A-Za-z]+", fold(span))
    found = set()
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + 5) + 1):
            key = "".join(words[i:j])
            if len(key) <= 3 and not key.isupper():
                continue
            value = index.get(key.lower())
            if value:
                found.add(value)
    return found


def _unique(names: list[tuple[str, str]]) -> dict[str, str]:
    """Every name that stands for exactly one thing, lower case without spaces or dots."""
    by_name: dict[str, set[str]] = {}
    for name, value in names:
        by_name.setdefault(re.sub(r"[^a-z]", "", fold(name).lower()), set()).add(value)
    return {name: next(iter(values)) for name, values in by_name.items() if len(values) == 1 and len(name) > 1}


def span_countries(span: str) -> set[str]:
    """ISO3 of every country the span names, as a CAMEO coder codes it: by a name, alias or demonym ('a Swiss
    court': CHE), a capital or metonym ('Washington', 'the Kremlin'), a place of the gazetteer ('Tokyo': JPN), or
    else a GeoNames city named after a preposition ('targets in Hebron': PSE)."""
    found = _names_in(span, span_countries_index())
    if not found:
        for name in re.findall(r"\b(?:in|near|of|at|from|outside)\s+((?:[A-Z][a-z]+[ -]?){1,3})", fold(span)):
            iso3 = city_country(name.strip(" -"))
            if iso3:
                found.add(iso3)
    return found


@lru_cache(maxsize=1)
def span_countries_index() -> dict[str, str]:
    lex = load_lexicon()
    names = list(lex.country_index)
    names += [(n, iso3) for iso3, c in lex.countries.items() for n in (c.get("capital"), *c.get("metonyms", ())) if n]
    names += [(n, p["country"]) for p in lex.places.values() for n in (p["name"], *p.get("aliases", ()))
              if p.get("country")]
    return _unique(names)


def span_organizations(span: str) -> set[str]:
    """Actor keys of the organisations the span names by their name or an alias ('the EU', 'ISIL', 'the U.N.'),
    as a coder reads an acronym and a full name as one actor."""
    return _names_in(span, span_organizations_index())


@lru_cache(maxsize=1)
def span_organizations_index() -> dict[str, str]:
    return _unique([(n, f"org/{oid}") for oid, o in load_lexicon().organizations.items()
                    for n in (o["name"], *o.get("aliases", ()))])


def actor_matches(actor: Actor, span: str) -> bool:
    chain, node = [], actor
    while node is not None and node not in chain:
        chain.append(node)
        node = node.represents
    if span_organizations(span) & {a.key for a in chain}:
        return True
    countries = span_countries(span)
    if countries:
        return actor.country in countries
    return bool(_words(span) & set().union(*(_words(a.label) for a in chain)))


def score_sentence(score: QuadScore, sentence: Sentence, events: list[EventRecord],
                   calibration: list[Judged] | None = None) -> None:
    """One sentence's scores; each event's (confidence, right, features) goes to `calibration`: right when its quad is the
    sentence's and, where a source and target are tagged, it has them in that direction."""
    quads = [quad_of(ev) for ev in events]
    right = [sentence.quad is None or q == sentence.quad for q in quads]  # per event: its quad, then its direction
    if sentence.quad is not None:
        tally_quads(score, sentence.quad, quads)
        if score.cameo is not None:
            tally_quads(score.cameo, sentence.quad, [cameo_quad_of(ev) for ev in events])
    if sentence.has_dyad and sentence.quad != 0:
        score.dyads += 1

        def has(side: list[Actor], spans: list[str]) -> bool:
            return any(actor_matches(a, s) for a in side for s in spans)

        sides = []  # per event: (source found, target found, reversed), a reciprocal event counting both ways
        for ev in events:
            src = ev.sources + (ev.targets if ev.reciprocal else [])
            tgt = ev.targets + (ev.sources if ev.reciprocal else [])
            found = has(src, sentence.sources), has(tgt, sentence.targets)
            sides.append((*found, has(src, sentence.targets) and has(tgt, sentence.sources) and not all(found)))
        score.source_hits += any(s for s, _, _ in sides)
        score.target_hits += any(t for _, t, _ in sides)
        score.directed_hits += any(s and t for s, t, _ in sides)
        score.reversed_hits += any(r for _, _, r in sides)
        right = [ok and s and t for ok, (s, t, _) in zip(right, sides)]
    if calibration is not None and (sentence.quad is not None or sentence.has_dyad):
        lex = load_lexicon()
        calibration += [Judged(ev.confidence, ok, features(ev, lex.plover(ev.cls))) for ev, ok in zip(events, right)]


def tally_quads(score: QuadScore, gold: int, quads: list[int]) -> None:
    """One sentence's quad counts: its gold quad, and the quad of each event written for it."""
    score.sentences += 1
    score.gold[gold] += 1
    if not quads:
        score.silent[gold] += 1
    for q in quads:
        score.predicted[q] += 1
        score.predicted_right[q] += q == gold and q != 0
    if gold and gold in quads:
        score.quad_hits[gold] += 1


def render_quads(score: QuadScore) -> list[str]:
    names = plover_quads()["names"]
    lines = [f"ConfliBERT sentences with a quad: {score.sentences}",
             f"{'quad':24} {'sentences':>9} {'R':>6} {'events':>7} {'P':>6} {'silent':>7}"]
    for q in range(5):
        n, pred = score.gold[q], score.predicted[q]
        recall = (score.silent[q] if q == 0 else score.quad_hits[q]) / n if n else 0.0
        precision = score.predicted_right[q] / pred if pred and q else 0.0
        lines.append(f"{q} {names[str(q)]:22} {n:9} {recall:6.2f} {pred:7} {precision:6.2f} {score.silent[q]:7}")
    lines += [f"no-event accuracy {score.no_event_accuracy:.2f}   quad recall {score.quad_recall:.2f}   "
              f"quad precision {score.quad_precision:.2f}   (PLOVER's quads)"]
    if score.cameo is not None:
        lines.append(f"in the labels' CAMEO quads (kg/data/cameo_quads.json): quad recall {score.cameo.quad_recall:.2f}   "
                     f"quad precision {score.cameo.quad_precision:.2f}")
    lines.append(f"direction ({score.dyads} sentences with a tagged source and target, quad 0 aside): "
                 f"source R {score.share(score.source_hits):.2f}   target R {score.share(score.target_hits):.2f}   "
                 f"directed R {score.share(score.directed_hits):.2f}   reversed {score.share(score.reversed_hits):.2f}")
    return lines
