"""Stage 5b, the codebook: PLOVER's conventions for what an event found in a clause is coded as.

PLOVER's manual (its "Potential ambiguities" sections and its auxiliary modes) says how to code an event
whose words alone suggest another type: a meeting reported in the future tense is AGREE, a cancelled meeting
is REJECT, an announced withdrawal is CONCEDE, a mobilisation reported with the fighting it serves is not
coded apart. kg/data/codebook.jsonl holds those conventions as data, each naming the manual section it
implements; this small engine matches an entry's `when` against what the clause holds and applies its
`then`. Entries are tried in file order and the first that matches an event applies, so a more specific
convention is listed before a general one.

`when` keys (all given must hold):
  plover, class, factuality   the event's PLOVER type, ontology class, factuality (lists)
  trigger                     the trigger's lemma
  governor                    the lemma of a clause above the trigger (up to a reported-speech boundary)
  object                      the lemma of the trigger's object: a verb's direct or indirect object, a noun's
                              'to'/'on'/'against'
  complement                  the lemma of the trigger's open clausal complement, adverbial clause, or an infinitive
                              on its object ('ordered the envoy to leave', 'gave him 72 hours to leave')
  with_plover                 another event of the sentence has one of these types
  complement_lacks            the trigger has a clausal complement ('warned that ...') with none of these auxiliaries
                              (an empty list: any clausal complement)
  asks_for                    the lemma of what an appeal or demand asks for: its 'for' object ('called for the
                              removal of') or its complement ('urged him to resign')
  within_plover               the trigger heads a clause with no subject of its own (a participle, an infinitive,
                              a relative clause on a relative pronoun) that hangs on the trigger of another event of
                              the sentence of one of these types: the act it reports is that event's ('protesters
                              marched, demanding his release': the demand is the march's)
`then` keys: class (the type it is coded as), factuality, drop (not coded at all), silent (not coded, but
what it asks for is still its content, not an event of its own: an appeal PLOVER drops keeps 'urged X to
lift sanctions' from coding the lifting).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

from ..lexicon.entries import Lexicon, candidate_lemmas
from .event import Event
from .factuality import Factuality

OBJECT_DEPS = ("dobj", "dative", "nsubjpass", "attr")
COMPLEMENT_DEPS = ("xcomp", "advcl")
NOUN_OBJECT_PREPS = ("to", "on", "against", "of")
LIST_KEYS = ("plover", "class", "factuality", "trigger", "governor", "object", "complement", "with_plover",
             "complement_lacks", "asks_for", "within_plover")
WITHIN_DEPS = ("acl", "advcl", "xcomp", "relcl", "conj")


@dataclass(frozen=True)
class Convention:
    """One codebook entry: when a clause holds `when`, code the event as `then` (manual: `section`)."""

    id: str
    section: str
    when: dict[str, frozenset[str]]
    then: dict[str, Any]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Convention:
        unknown = set(row["when"]) - set(LIST_KEYS)
        if unknown:
            raise ValueError(f"codebook entry {row['id']}: unknown condition(s) {sorted(unknown)}")
        return cls(id=row["id"], section=row["section"],
                   when={k: frozenset(v) for k, v in row["when"].items()}, then=dict(row["then"]))


def objects(tok: Token) -> list[Token]:
    """What an event word acts on: a verb's direct object, a noun's prepositional complement ('a threat to peace')."""
    out = [c for c in tok.children if c.dep_ in OBJECT_DEPS]
    if tok.pos_ in ("NOUN", "PROPN"):
        out += [p for c in tok.children if c.dep_ == "prep" and c.lower_ in NOUN_OBJECT_PREPS
                for p in c.children if p.dep_ == "pobj"]
    return out


def complements(tok: Token) -> list[Token]:
    """The clauses that say what an event word orders or allows: its open complement or adverbial clause, or an
    infinitive on its object ('gave the envoy 72 hours to leave')."""
    out = [c for c in tok.children if c.dep_ in COMPLEMENT_DEPS]
    return out + [k for o in tok.children if o.dep_ in ("dobj", "npadvmod") for k in o.children if k.dep_ in ("relcl", "acl")]


def asked_for(tok: Token) -> list[Token]:
    """What an appeal or demand asks for: 'called for the removal', 'urged him to resign'."""
    out = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "for" for p in c.children if p.dep_ == "pobj"]
    return out + [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")]


def hosts(tok: Token) -> list[int]:
    """Token indexes of the words a subjectless clause hangs on, nearest first, up to three levels
    ('marched in Paris, demanding ...', 'a demonstration calling for ...', 'blocked roads to demand ...'); none
    when the clause has a subject of its own ('marched as the government demanded calm')."""
    if tok.dep_ not in WITHIN_DEPS or any(k.dep_ in ("nsubj", "nsubjpass") and k.tag_ not in ("WDT", "WP")
                                          for k in tok.children):
        return []
    out = []
    for _ in range(3):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        out.append(tok.i)
    return out


def lend_targets(ev: Event, host: Event) -> None:
    """A silenced clause that reports its host's act ('blocked roads to press demands on the government') names
    whom that act is aimed at: the host takes its recipients when it has none of its own, only the country of its
    place, or only its doers' own country (the default recipient of a protest at home)."""
    homes = {a.country for a in host.sources}
    only_places = host.location_target or all(t.cls == "Country" and t.iso3 in homes for t in host.targets)
    if ev.targets and only_places:
        host.targets, host.location_target = list(ev.targets), False


class Codebook:
    """Apply kg/data/codebook.jsonl to the events of one sentence."""

    def __init__(self, lex: Lexicon, disabled: frozenset[str] = frozenset(), factuality: Factuality | None = None):
        self.lex = lex
        self.factuality = factuality or Factuality(lex)  # for the clauses above a trigger (its governors)
        self.conventions = [Convention.from_row(r) for r in lex.codebook if r["id"] not in disabled]

    def apply(self, events: list[Event]) -> list[Event]:
        types = [self.lex.plover(ev.cls) for ev in events]
        owners: dict[int, list[int]] = {}  # token index -> the events whose trigger or anchor it is, in order
        for j, e in enumerate(events):
            for tok in (e.trigger, e.anchor):
                if tok is not None:
                    owners.setdefault(tok.i, []).append(j)
        keep = []
        for i, ev in enumerate(events):
            others = {tok: types[j] for tok, js in owners.items() for j in js if j != i}
            clause = Clause(ev, types[i], others, self.factuality)
            rule = next((c for c in self.conventions if clause.holds(c)), None)
            if rule is None:
                keep.append(ev)
                continue
            if rule.then.get("drop"):
                continue
            ev.silent = bool(rule.then.get("silent"))
            if ev.silent and "within_plover" in rule.when:
                host = next((events[j] for t in hosts(ev.trigger) for j in owners.get(t, ())
                             if j != i and types[j] in rule.when["within_plover"]), None)
                if host is not None:
                    lend_targets(ev, host)
            if "class" in rule.then and rule.then["class"] != ev.cls:
                ev.cls, ev.cameo = rule.then["class"], rule.then.get("cameo")
            ev.factuality = rule.then.get("factuality", ev.factuality)
            keep.append(ev)
        return keep


class Clause:
    """What a convention's conditions read of one event, each part computed at most once."""

    def __init__(self, ev: Event, plover: str, others: dict[int, str], factuality: Factuality):
        """`others`: the PLOVER type of every other event of the sentence, by the token index of its trigger and
        of its anchor (the light verb of 'staged a demonstration')."""
        self.ev, self.plover, self.others, self.factuality = ev, plover, others, factuality
        self.lemmas = frozenset(candidate_lemmas(ev.trigger))
        self._governors: frozenset[str] | None = None

    @property
    def governors(self) -> frozenset[str]:
        """The lemmas of the clauses above the trigger."""
        if self._governors is None:
            self._governors = frozenset(g.lemma_.lower() for g in self.factuality.governors(self.ev)[1:])
        return self._governors

    def holds(self, c: Convention) -> bool:
        w, ev = c.when, self.ev
        if "plover" in w and self.plover not in w["plover"]:
            return False
        if "class" in w and ev.cls not in w["class"]:
            return False
        if "factuality" in w and ev.factuality not in w["factuality"]:
            return False
        if "trigger" in w and not self.lemmas & w["trigger"]:
            return False
        if "with_plover" in w and not set(self.others.values()) & w["with_plover"]:
            return False
        if "governor" in w and not self.governors & w["governor"]:
            return False
        if "complement_lacks" in w:
            said = [k for k in ev.trigger.children if k.dep_ == "ccomp"]
            if not said or any(a.dep_ in ("aux", "auxpass") and a.lower_ in w["complement_lacks"]
                               for k in said for a in k.children):
                return False
        if "object" in w and not any(o.lemma_.lower() in w["object"] for o in objects(ev.trigger)):
            return False
        if "complement" in w and not any(k.lemma_.lower() in w["complement"] for k in complements(ev.trigger)):
            return False
        if "asks_for" in w and not any(k.lemma_.lower() in w["asks_for"] for k in asked_for(ev.trigger)):
            return False
        if "within_plover" in w and not any(self.others.get(i) in w["within_plover"] for i in hosts(ev.trigger)):
            return False
        return True
