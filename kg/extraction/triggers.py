"""Stage 1, candidates: which words of a sentence trigger an event, and under which rule.

A word triggers an event when a curated entry of the event lexicon (kg/data/event_lexicon.jsonl) matches its
lemma, part of speech and requirements, or, for a verb no entry covers, when the CAMEO verb dictionary
(PETRARCH2's, kg/data) codes its phrase. The scan also notes the sentence's topic words and reported
clauses, which later stages read, so every token's attributes are read once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ..lexicon.entries import EventRule, Lexicon, candidate_lemmas
from .syntax import clause


@dataclass
class SentenceCues:
    """What the scan of one sentence found: its triggers in text order, its topic words, its reported clauses."""

    triggers: list[tuple[Token, EventRule, str]] = field(default_factory=list)  # (token, rule, 'VERB' | 'NOUN')
    topical: list[tuple[Token, set[str]]] = field(default_factory=list)  # an event's topics are those under it
    reports: list[Token] = field(default_factory=list)  # clausal complements: what a speaker said


def _dated(prep: Token) -> bool:
    """A preposition whose object is a date or time ('on Tuesday', 'for two hours')."""
    return any(p.dep_ == "pobj" and p.ent_type_ in ("DATE", "TIME") for p in prep.children)


class TriggerMatcher:
    """Match a sentence's words against the event lexicon and the CAMEO dictionary."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.light = set(lex.light["light_verbs"])
        self.background_deps = set(lex.light.get("background_deps", ()))
        self.background_participles = set(lex.light.get("background_participle_deps", ()))
        self._dictionary_rules: dict[tuple[str, str], EventRule] = {}

    def scan(self, sent: Span) -> SentenceCues:
        cues = SentenceCues()
        topics = self.lex.topics
        for tok in sent:  # every token of the article passes here: each attribute is read once
            if not tok.ent_type:
                lemma, lower = tok.lemma_.lower(), tok.lower_
                if lemma in topics or lower in topics:
                    cues.topical.append((tok, {topics[w] for w in (lemma, lower) if w in topics}))
            if tok.dep_ == "ccomp":
                cues.reports.append(tok)
            upos = tok.pos_
            if upos in ("VERB", "AUX") or (upos == "NOUN" and tok.tag_ == "VBZ"):
                pos = "VERB"
            elif upos in ("NOUN", "PROPN"):
                pos = "NOUN"
            else:
                continue
            rule = self.match(tok, pos)
            if rule is not None and pos == "VERB" and not rule.requires and self.dictionary_says_no_event(tok):
                continue  # a curated entry with requirements is more specific than the dictionary's pattern
            if rule is None and pos == "VERB":
                rule = self.dictionary_rule(tok)
            if rule is None or pos == "VERB" and self.background(tok):
                continue
            cues.triggers.append((tok, rule, pos))
        return cues

    def match(self, tok: Token, pos: str) -> EventRule | None:
        for lemma in candidate_lemmas(tok):
            rules = self.lex.rules_for(lemma, pos)
            for rule in rules:
                if self.requirements_met(tok, rule):
                    return rule
            if rules:
                return None
        return None

    def is_light(self, tok: Token) -> bool:
        return tok.pos_ in ("VERB", "AUX") and any(l in self.light for l in candidate_lemmas(tok))

    @staticmethod
    def requirements_met(tok: Token, rule: EventRule) -> bool:
        req = rule.requires
        if "prep" in req and not any(c.dep_ in ("prep", "agent", "dative") and c.lower_ in req["prep"] and not _dated(c)
                                     for c in tok.children):
            return False  # 'called on X to', not 'called his counterpart on Tuesday'
        if "particle" in req and not any(c.dep_ in ("prt", "prep") and c.lower_ in req["particle"] for c in tok.children):
            return False
        if "prep_object" in req and not any(p.lemma_.lower() in req["prep_object"] for c in tok.children if c.dep_ == "prep"
                                            for p in c.subtree):
            return False
        if "compound" in req and not any(c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() in req["compound"]
                                         for c in tok.children):
            return False
        if "child_lemma" in req and not any(t.lemma_.lower() in req["child_lemma"] for t in tok.subtree if t.i != tok.i):
            return False
        if "object_lemma" in req:
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
            if not any(t.lemma_.lower() in req["object_lemma"] for o in objs for t in o.subtree):
                return False
        return True

    def background(self, tok: Token) -> bool:
        """A verb that only modifies a noun mid-sentence: background, not an event of its own (light_verbs.json)."""
        head = tok.head
        if head.pos_ not in ("NOUN", "PROPN") or head.dep_ == "ROOT":
            return False
        if tok.tag_ in ("VB", "VBG") or tok.dep_ not in self.background_deps and not (
                tok.dep_ in self.background_participles and tok.tag_ == "VBN"):
            return False  # 'a declaration demanding', 'the first state to recognize Israel': not background
        existential = head.dep_ == "attr" and any(c.dep_ == "expl" for c in head.head.children)
        return not existential

    # ------------------------------------------------------------------ the CAMEO verb dictionary
    def _dictionary_codes(self, tok: Token):
        lemmas = candidate_lemmas(tok)
        if not any(lemma in self.lex.cameo for lemma in lemmas):
            return None  # most verbs are not in the dictionary: no need to read their clause
        words = sorted(clause(tok), key=lambda t: t.i)
        return self.lex.cameo.code(tok, lemmas, [t for t in words if t.i < tok.i], [t for t in words if t.i > tok.i])

    def dictionary_says_no_event(self, tok: Token) -> bool:
        """A dictionary pattern that marks the phrase as no event ('killed in an accident') holds for curated verbs too."""
        if not self.lex.cameo.may_veto(candidate_lemmas(tok)):
            return False  # no such pattern for this verb: its clause need not be read
        coding = self._dictionary_codes(tok)  # a phrase of two words or more: one word ('* ELECTION') says too little
        return coding is not None and coding.how == "pattern" and coding.cameo is None and coding.words >= 2

    def dictionary_rule(self, tok: Token) -> EventRule | None:
        """The CAMEO dictionary's reading of a verb no curated entry covers: its phrase patterns, else the verb."""
        kids = list(tok.children)
        if tok.dep_ in ("amod", "acl", "prep", "pcomp", "agent") and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in kids):
            return None  # a participle modifying a noun or a phrase ('a body linked to', 'according to'): no clause
        if any(c.dep_ == "auxpass" for c in kids) and any(c.dep_ == "xcomp" for c in kids):
            return None  # raising, not an act: 'is expected to launch', 'is said to have met'
        if tok.lemma_.lower() in self.lex.light.get("desire_verbs", ()) and (
                not any(c.dep_ == "xcomp" for c in kids) or any(c.dep_ in ("dobj", "ccomp") for c in kids)):
            return None  # a wish about others, not the subject's own intended act
        coding = self._dictionary_codes(tok)
        if coding is None or coding.cameo is None:
            return None
        key = (coding.cameo, coding.how)
        rule = self._dictionary_rules.get(key)
        if rule is None:
            cls = self.lex.class_of_code(coding.cameo)
            if cls is None:
                return None
            rule = EventRule(lemma=tok.lemma_, pos="VERB", cls=cls, cameo=coding.cameo, target=("generic",), fallback=True,
                             origin=f"dictionary {coding.how}")
            self._dictionary_rules[key] = rule
        return rule
