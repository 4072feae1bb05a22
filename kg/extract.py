"""Find diplomatic events in a parsed article: a small engine over the event lexicon in kg/data.

A lexicon entry names a trigger (lemma and part of speech), its ontology class and where in the
dependency parse its roles are: the grammatical subject (or 'by' agent) is the source; the entry's
`target` list says which object or prepositional phrase gives the target; `place` the same for
where. Event nouns ('talks', 'air strikes', 'phone call') take their source from the clause that
carries them ('held talks', 'in a phone call with') or from a possessive or demonym ('Israeli
attacks'). Factuality, dates and topics are read off the clause with cue lists from kg/data.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .dates import article_reference_date, parse_date  # noqa: F401 (parse_date: re-exported)
from .lexicon import EventRule, Lexicon, candidate_lemmas
from .records import EventRecord, Evidence
from .resolve import PERSON_PRONOUNS, PLURAL_PRONOUNS, THING_PRONOUNS, Actor, ArticleResolver, Place

# Prepositions whose object is a verb's target when its own rule names none ('fired at X', 'moved against X').
TARGET_PREPS = ("to", "with", "against", "on", "upon", "into", "toward", "towards", "from", "over", "for", "of", "at")
# Prepositions that give the place of an event ('air strikes in Gaza City', 'drills around Taiwan').
PLACE_PREPS = ("in", "at", "around", "near", "into", "across", "inside", "on", "over", "outside")
# PLOVER types whose target, when no actor is named, is the country of the place (PLOVER, ICEWS, POLECAT).
LOCATION_TARGET_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "THREATEN", "SANCTION", "PROTEST", "CONCEDE"}
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS
# Dependencies an infinitive, purpose clause or conjunct climbs to find the subject it shares.
# Not ccomp (reported speech has its own subject) nor nsubj (a verb-noun subject of another clause).
WALK_UP_DEPS = {"xcomp", "acomp", "advcl", "conj", "acl", "relcl", "pcomp", "pobj", "prep", "dobj", "amod", "attr", "appos", "npadvmod", "compound", "dep"}


@dataclass
class Event:
    """An event as found in one sentence, with its spaCy tokens; `EventExtractor._record` turns it into plain data."""

    cls: str
    cameo: str | None
    trigger: Token
    sentence: Span
    sources: list[Actor] = field(default_factory=list)
    targets: list[Actor] = field(default_factory=list)
    participants: list[Actor] = field(default_factory=list)
    mediators: list[Actor] = field(default_factory=list)
    place: Place | Actor | None = None
    date: tuple[str, str] | None = None  # (lexical value, 'date' | 'gYearMonth' | 'gYear')
    factuality: str = "asserted"
    topics: set[str] = field(default_factory=set)
    anchor: Token | None = None
    location_target: bool = False  # the target is the country of the place, no actor being named
    origin: str = "curated verb"  # what triggered it, a key of kg/data/confidence.json's "trigger"
    reciprocal: bool = False  # 'A and B agreed': each acts on the other; A is source, B target by convention


@dataclass
class ArticleEvents:
    events: list[EventRecord]
    reference_date: dt.date | None


# --------------------------------------------------------------------------- the engine
class EventExtractor:
    """Apply the event lexicon to one parsed article."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.light = set(lex.light["light_verbs"])
        self.anchor_preps = set(lex.light["anchor_preps"])
        self.anchor_heads = set(lex.light["anchor_heads"])
        self.subject_preps = set(lex.light["subject_sharing_preps"])
        self.object_control = set(lex.light["object_control_verbs"])
        self.stative_passives = set(lex.light.get("stative_passives", ()))
        self.background_deps = set(lex.light.get("background_deps", ()))
        self.condition_marks = set(lex.light.get("condition_marks", ()))
        self.background_participles = set(lex.light.get("background_participle_deps", ()))
        self.fact = lex.factuality
        self._dictionary_rules: dict[tuple[str, str], EventRule] = {}
        # the classes named after a PLOVER type ('Agree', 'Assault'): a finer class merged into one of them wins
        self._generic_classes = {plover.capitalize() for plover in lex.class_plover.values()}

    def extract(self, doc: Doc, article_date: str | None = None) -> ArticleEvents:
        resolver = ArticleResolver(doc, self.lex)
        reference = article_reference_date(doc, article_date)
        records: list[EventRecord] = []
        text = resolver.text
        for sent in doc.sents:
            if not text[sent.start_char:sent.end_char].strip():  # sent.text, without building it from its tokens
                continue
            for ev in self._sentence_events(sent, resolver, reference):
                records.append(self._record(ev, resolver))
        return ArticleEvents(events=self._merge(records), reference_date=reference)

    # ------------------------------------------------------------------ records, confidence, one event per happening
    def _record(self, ev: Event, r: ArticleResolver) -> EventRecord:
        span = ev.sentence
        text = r.text[span.start_char:span.end_char]  # span.text, without building it from its tokens
        start = span.start_char + (len(text) - len(text.lstrip()))
        end = span.end_char - (len(text) - len(text.rstrip()))
        rec = EventRecord(cls=ev.cls, cameo=ev.cameo,
                          evidence=[Evidence(start, end, text.strip(), ev.trigger.text, ev.trigger.idx)],
                          sources=ev.sources, targets=ev.targets, participants=ev.participants, mediators=ev.mediators,
                          place=ev.place, date=ev.date, factuality=ev.factuality, topics=sorted(ev.topics),
                          location_target=ev.location_target, classes=[ev.cls], reciprocal=ev.reciprocal)
        self._confidence(rec, ev, r)
        return rec

    def _confidence(self, rec: EventRecord, ev: Event, r: ArticleResolver) -> None:
        """A score from what supported the event: its trigger, then each role named, inferred or missing."""
        spec = self.lex.confidence
        support = [ev.origin]
        score = spec["trigger"][ev.origin]
        lo, hi = ev.sentence.start, ev.sentence.end  # r.mentions is in text order: the sentence's are one slice
        in_sentence = r.mentions[bisect_left(r.mentions, lo, key=_index):bisect_left(r.mentions, hi, key=_index)]
        named = {m.actor.key for m in in_sentence if r.doc[m.index].lower_ not in _PRONOUNS}
        for role, actors in (("source", ev.sources), ("target", ev.targets)):
            if not actors:
                support.append(f"no {role}")
            elif role == "target" and ev.location_target:
                support.append("location target")
            elif all(a.key in named for a in actors):
                support.append(f"named {role}")
            else:
                support.append(f"inferred {role}")
        score += sum(spec["roles"].get(s, 0.0) for s in support[1:])
        rec.confidence = round(min(spec["max"], max(spec["min"], score)), 2)
        rec.support = support

    def _happening(self, rec: EventRecord) -> tuple | None:
        """What identifies a happening across sentences: type, factuality and actors (either order for
        reciprocal types, where 'A met B' and 'B and A met' are one meeting); None when too little is known."""
        plover = self._plover(rec.cls)
        src = frozenset(a.key for a in rec.sources)
        tgt = frozenset(a.key for a in rec.targets)
        if not src or not tgt:
            return None
        if plover in self.lex.light.get("reciprocal_types", ()):
            return plover, rec.factuality, src | tgt
        return plover, rec.factuality, src, tgt

    def _same_kind(self, a: str, b: str, generic: set[str]) -> bool:
        if a == b or a in generic or b in generic:
            return True
        return any(a in family and b in family for family in self.lex.light.get("same_happening_classes", ()))

    def _merge(self, records: list[EventRecord]) -> list[EventRecord]:
        """One event per happening: mentions of the same happening in an article (same type, actors and
        factuality; places and dates that do not disagree) become one event with several evidence sentences."""
        out: list[EventRecord] = []
        seen: dict[tuple, list[EventRecord]] = {}
        generic = self._generic_classes
        for rec in records:
            key = self._happening(rec)
            host = None
            if key is not None:
                host = next((h for h in seen.get(key, ()) if _compatible(h.place, rec.place) and
                             (h.date is None or rec.date is None or h.date == rec.date) and
                             self._same_kind(h.cls, rec.cls, generic)), None)
            if host is None:
                out.append(rec)
                if key is not None:
                    seen.setdefault(key, []).append(rec)
                continue
            host.evidence.extend(e for e in rec.evidence if e not in host.evidence)
            host.classes.append(rec.cls)
            for name in ("participants", "mediators"):
                have = getattr(host, name)
                have.extend(a for a in getattr(rec, name) if a not in have)
            host.place = host.place or rec.place
            host.date = host.date or rec.date
            host.topics = sorted(set(host.topics) | set(rec.topics))
            if host.cls in generic and rec.cls not in generic:
                host.cls, host.cameo = rec.cls, rec.cameo
            bonus = self.lex.confidence["per_mention"]
            host.confidence = round(min(self.lex.confidence["max"], max(host.confidence, rec.confidence) + bonus), 2)
            host.support = [s for s in host.support if not s.endswith(" mentions")] + [f"{len(host.evidence)} mentions"]
        return out

    # ------------------------------------------------------------------ per sentence
    def _sentence_events(self, sent: Span, r: ArticleResolver, reference: dt.date | None) -> list[Event]:
        verbs: list[Event] = []
        nouns: list[Event] = []
        topical: list[tuple[Token, set[str]]] = []  # the sentence's topic words: an event's are those under its trigger
        topics = self.lex.topics
        reports: list[Token] = []  # clausal complements: what a speaker said (see _stated_demands)
        for tok in sent:  # every token of the article passes here: each attribute is read once
            if not tok.ent_type:
                lemma, lower = tok.lemma_.lower(), tok.lower_
                if lemma in topics or lower in topics:
                    topical.append((tok, {topics[w] for w in (lemma, lower) if w in topics}))
            if tok.dep_ == "ccomp":
                reports.append(tok)
            upos = tok.pos_
            if upos in ("VERB", "AUX") or (upos == "NOUN" and tok.tag_ == "VBZ"):
                pos = "VERB"
            elif upos in ("NOUN", "PROPN"):
                pos = "NOUN"
            else:
                continue
            rule = self._match(tok, pos)
            if rule is not None and pos == "VERB" and not rule.requires and self._dictionary_says_no_event(tok):
                continue  # a curated entry with requirements is more specific than the dictionary's pattern
            if rule is None and pos == "VERB":
                rule = self._dictionary_rule(tok)
            if rule is None or pos == "VERB" and self._background(tok):
                continue
            ev = self._verb_event(tok, rule, sent, r) if pos == "VERB" else self._noun_event(tok, rule, sent, r)
            if ev is None:
                continue
            (verbs if pos == "VERB" else nouns).append(ev)
        # a dictionary verb that only carries an event noun ('conducted air strikes') gives way to the noun
        carriers = {ev.anchor.i for ev in nouns if ev.anchor is not None}
        verbs = [v for v in verbs if not (v.trigger.i in carriers and self._is_dictionary(v))]
        events = list(verbs)
        for ev in nouns:
            host = next((v for v in verbs if ev.anchor is not None and v.trigger.i == ev.anchor.i), None)
            same_targets = not ev.targets or {a.key for a in ev.targets} <= {a.key for a in host.targets + host.sources} \
                if host is not None else False
            if host is not None and self._plover(host.cls) == self._plover(ev.cls) and same_targets:
                for a in ev.participants:
                    if a not in host.participants and a not in host.sources + host.targets:
                        host.participants.append(a)
                if not host.targets:
                    host.targets = ev.targets
                continue
            events.append(ev)
        events = [e for e in events if e.sources or e.targets]
        for ev in events:
            if not ev.targets:
                for other in events:
                    clause = other.anchor or other.trigger
                    if other is not ev and other.targets and clause.dep_ == "xcomp" and clause.head is ev.trigger:
                        ev.targets = [t for t in other.targets if t not in ev.sources]
                        break
        for ev in events:
            ev.factuality = self._factuality(ev)
            self._intent(ev)
            ev.date = ev.date or self._date(ev, reference, r)
            ev.topics = self._topics(ev, topical)
            if ev.place is None:
                ev.place = self._place(ev.trigger, ev.anchor, r)
            if not ev.targets and self._plover(ev.cls) in self.lex.light.get("condition_target_types", ()):
                ev.targets = [a for a in self._condition_subjects(ev.trigger, r) if a not in ev.sources]
            if not ev.targets and ev.place is not None and self._plover(ev.cls) in LOCATION_TARGET_TYPES:
                target = ev.place if isinstance(ev.place, Actor) else r.country(ev.place.country) if ev.place.country else None
                if target is not None and target not in ev.sources:
                    ev.targets = [target]
                    ev.location_target = True
            if not ev.targets and self._plover(ev.cls) in self.lex.light.get("domestic_types", ()):
                home = next((r.country(a.country) for a in ev.sources if a.country), None)
                at_home = ev.place is None or home is not None and (ev.place.country if isinstance(ev.place, Place)
                                                                     else ev.place.iso3) == home.iso3
                if home is not None and at_home and home not in ev.sources:  # protesters protest their own authorities
                    ev.targets = [home]
                    ev.location_target = True
            if not ev.targets and len(ev.sources) > 1 and self._plover(ev.cls) in self.lex.light.get("reciprocal_types", ()):
                ev.sources, ev.targets = ev.sources[:1], ev.sources[1:]
                ev.reciprocal = True
            ev.targets = [t for t in ev.targets if t not in ev.sources]
            ev.participants = [p for p in ev.participants if p not in ev.sources + ev.targets]
        events = self._stated_demands(reports, sent, r, events, reference, topical)
        events = self._drop_contents(events)
        return self._dedupe(events)

    def _condition_subjects(self, trigger: Token, r: ArticleResolver) -> list[Actor]:
        """The doers of a threat's condition: 'threatened to stop negotiations if the United States goes ahead',
        '... unless Baghdad accepted its conditions' - the one the threat is aimed at."""
        for tok in trigger.subtree:
            if tok.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in self.condition_marks for m in tok.children):
                found = [a for c in tok.children if c.dep_ in SUBJECT_DEPS for a in r.actors(c)]
                if found:
                    return found
        return []

    def _background(self, tok: Token) -> bool:
        """A verb that only modifies a noun mid-sentence: background, not an event of its own (light_verbs.json)."""
        head = tok.head
        if head.pos_ not in ("NOUN", "PROPN") or head.dep_ == "ROOT":
            return False
        if tok.tag_ in ("VB", "VBG") or tok.dep_ not in self.background_deps and not (
                tok.dep_ in self.background_participles and tok.tag_ == "VBN"):
            return False  # 'a declaration demanding', 'the first state to recognize Israel': not background
        existential = head.dep_ == "attr" and any(c.dep_ == "expl" for c in head.head.children)
        return not existential

    def _stated_demands(self, reports: list[Token], sent: Span, r: ArticleResolver, events: list[Event],
                        reference: dt.date | None, topical: list[tuple[Token, set[str]]]) -> list[Event]:
        """'Russia said Sudan must return the helicopter': the speaker demands of Sudan (REQUEST); what Sudan must do
        is the demand's content, not an event. `reports`: the sentence's clausal complements."""
        modals = set(self.fact.get("demand_modals", ()))
        for tok in reports:
            if tok.head.pos_ not in ("VERB", "AUX"):
                continue
            if not any(c.dep_ == "aux" and c.lower_ in modals for c in tok.children):
                continue
            speaker = self._subject(tok.head, r)
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            targets = [a for a in (r.actors(subj) if subj is not None else []) if a not in speaker]
            if not speaker or not targets:
                continue
            inside = {t.i for t in tok.subtree}
            events = [e for e in events if e.trigger.i not in inside and (e.anchor is None or e.anchor.i not in inside)
                      and e.trigger.i != tok.head.i]
            ev = Event(cls=self.fact["demand_class"], cameo=None, trigger=tok, sentence=sent, sources=speaker,
                       targets=targets, origin="curated verb")
            ev.factuality = "asserted"
            ev.date = self._date(ev, reference, r)
            ev.topics = self._topics(ev, topical)
            events.append(ev)
        return events

    def _intent(self, ev: Event) -> None:
        """A stated intention is an event of its own: 'will give' is a promise (AGREE), 'will boycott' and
        'will withdraw unless ...' are threats (THREATEN); the statement itself is asserted."""
        spec = self.fact.get("intent")
        if not spec:
            return
        clause = ev.anchor or ev.trigger
        own = [c for node in {ev.trigger, clause} for c in node.children]
        # 'would' is a stated intention only in reported speech ('said they would boycott'); on its own
        # ('Israel would withdraw under the plan') it is hypothetical
        reported = clause.dep_ == "ccomp" or ev.trigger.dep_ == "ccomp"
        stated = any(c.dep_ in ("aux", "auxpass") and c.lower_ in spec["aux"] and (reported or c.lower_ not in spec["reported_aux"])
                     for c in own)
        # 'Syria says it is willing to withdraw', 'prepared to lift the ban': a readiness stated as such
        ready = clause.dep_ == "xcomp" and clause.head.lemma_.lower() in spec.get("predicates", ())
        if not stated and not ready:
            return
        if ev.factuality == "negated":
            if self._plover(ev.cls) in spec["refused"] and any(c.dep_ == "neg" for c in own):
                ev.cls, ev.cameo, ev.factuality = spec["refusal_class"], None, "asserted"
            return
        if any(c.dep_ == "mark" and c.lower_ in self.fact["hypothetical_marks"] for c in (clause, *clause.children)) \
                or clause.dep_ == "advcl":
            return  # inside a condition: 'if it would attack'
        marks = {m.lower_ for c in own if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"}
        conditional = bool(marks & set(spec["condition_marks"]))
        if not conditional and marks & set(self.fact["hypothetical_marks"]):
            return  # 'would ease the blockade if the hostages are freed': a hypothetical, not a pledge
        plover = self._plover(ev.cls)
        if conditional and plover != "CONSULT" or plover in spec["conflictual"]:
            ev.cls, ev.cameo = spec["conflictual_class"], None
        elif plover in spec["cooperative"]:
            ev.cls, ev.cameo = spec["cooperative_class"], None
        else:
            return
        ev.factuality = "asserted"

    def _drop_contents(self, events: list[Event]) -> list[Event]:
        """Drop events that are only the content of another's offer, demand, refusal or threat."""
        governors = self.fact.get("content_governors", {})
        by_trigger = {ev.trigger.i: ev for ev in events}
        desire = set(self.lex.light.get("desire_verbs", ()))
        keep = []
        for ev in events:
            carrier = by_trigger.get(ev.anchor.i) if ev.anchor is not None else None
            # 'ordered an investigation': the noun is the content of its carrying verb when that is an event too
            direct = carrier is not None and carrier is not ev and ev.trigger.dep_ == "dobj" and ev.trigger.head is ev.anchor
            cur = ev.trigger if direct else ev.anchor or ev.trigger
            content = False
            for _ in range(8):
                if cur.head is cur:
                    break
                if cur.dep_ in ("xcomp", "ccomp") and cur.head.lemma_.lower() in desire and (
                        cur.dep_ == "ccomp" or any(c.dep_ == "dobj" for c in cur.head.children)):
                    content = True  # 'Obama wants Putin to attack Switzerland': a wish about another's act
                    break
                gov = by_trigger.get(cur.head.i)
                deps = governors.get(self._plover(gov.cls), ()) if gov is not None else ()
                purpose = cur.dep_ == "advcl" and "purpose" in deps and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
                if gov is not None and gov is not ev and (cur.dep_ in deps or purpose):
                    content = True
                    break
                if cur.dep_ not in ("xcomp", "ccomp", "dobj", "prep", "pcomp", "pobj", "conj", "advcl", "acl", "compound", "amod"):
                    break
                cur = cur.head
            if not content:
                keep.append(ev)
        return keep

    @staticmethod
    def _is_dictionary(ev: Event) -> bool:
        return ev.origin.startswith("dictionary")

    def _plover(self, cls: str) -> str:
        return self.lex.class_plover.get(cls, cls)

    def _dictionary_codes(self, tok: Token):
        lemmas = candidate_lemmas(tok)
        if not any(lemma in self.lex.cameo for lemma in lemmas):
            return None  # most verbs are not in the dictionary: no need to read their clause
        clause = sorted(self._clause(tok), key=lambda t: t.i)
        return self.lex.cameo.code(tok, lemmas, [t for t in clause if t.i < tok.i], [t for t in clause if t.i > tok.i])

    def _dictionary_says_no_event(self, tok: Token) -> bool:
        """A dictionary pattern that marks the phrase as no event ('killed in an accident') holds for curated verbs too."""
        if not self.lex.cameo.may_veto(candidate_lemmas(tok)):
            return False  # no such pattern for this verb: its clause need not be read
        coding = self._dictionary_codes(tok)  # a phrase of two words or more: one word ('* ELECTION') says too little
        return coding is not None and coding.how == "pattern" and coding.cameo is None and coding.words >= 2

    def _dictionary_rule(self, tok: Token) -> EventRule | None:
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

    def _match(self, tok: Token, pos: str) -> EventRule | None:
        for lemma in candidate_lemmas(tok):
            rules = self.lex.rules_for(lemma, pos)
            for rule in rules:
                if self._requirements_met(tok, rule):
                    return rule
            if rules:
                return None
        return None

    def _is_light(self, tok: Token) -> bool:
        return tok.pos_ in ("VERB", "AUX") and any(l in self.light for l in candidate_lemmas(tok))

    def _requirements_met(self, tok: Token, rule: EventRule) -> bool:
        req = rule.requires
        if "prep" in req and not any(c.dep_ in ("prep", "agent", "dative") and c.lower_ in req["prep"] for c in tok.children):
            return False
        if "particle" in req and not any(c.dep_ in ("prt", "prep") and c.lower_ in req["particle"] for c in tok.children):
            return False
        if "prep_object" in req and not any(p.lemma_.lower() in req["prep_object"] for c in tok.children if c.dep_ == "prep"
                                            for p in c.subtree):
            return False
        if "compound" in req and not any(c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() in req["compound"]
                                         for c in tok.children):
            return False
        if "child_lemma" in req and not any(t.lemma_.lower() in req["child_lemma"] for t in tok.subtree if t is not tok):
            return False
        if "object_lemma" in req:
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
            if not any(t.lemma_.lower() in req["object_lemma"] for o in objs for t in o.subtree):
                return False
        return True

    # ------------------------------------------------------------------ verbs
    def _verb_event(self, tok: Token, rule: EventRule, sent: Span, r: ArticleResolver) -> Event | None:
        ev = Event(cls=rule.cls, cameo=rule.cameo, trigger=tok, sentence=sent,
                   origin=rule.origin if rule.fallback else "curated verb")
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        passive_subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if passive_subj is not None and tok.lemma_.lower() in self.stative_passives:
            passive_subj = None  # 'forces were engaged in ethnic cleansing': the subject is the doer
        patients: list[Actor] = []
        if passive_subj is not None:  # 'X was released by Y': X is the target
            # 'a camp for Congolese refugees was attacked': the actor the patient's phrase names
            patients = self._actors_in_np(passive_subj, r) if passive_subj.tag_ not in ("WDT", "WP") else r.actors(tok.head)
        elif tok.dep_ == "acl" and tok.tag_ == "VBN":  # 'soldiers killed in Ukraine', 'officials accused of'
            patients = r.actors(tok.head)
        if agent is not None:
            ev.sources = [a for p in agent.children if p.dep_ == "pobj" for a in r.actors(p)]
        elif passive_subj is not None or patients:
            ev.sources = self._cause(tok, r)
        else:
            ev.sources = self._subject(tok, r)
        for p in rule.source_preps:
            if not ev.sources:
                ev.sources = self._prep_actors(tok, p, r)
        ev.sources += [a for a in self._coactors(tok, r) if a not in ev.sources]
        ev.participants = self._attendees(tok, r)
        if any(a not in ev.participants for a in ev.sources):
            ev.sources = [a for a in ev.sources if a not in ev.participants]
        if passive_subj is not None:  # 'X was arrested in Lebanon for collaborating with Israel': X is the target
            ev.targets = patients or self._targets(tok, rule, r, generic=False)
        else:
            ev.targets = self._targets(tok, rule, r) or patients
        if not ev.targets and tok.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
                and not any(l in self.object_control for l in candidate_lemmas(tok.head)):
            # 'summoned Niger's ambassador to complain of inaction': a purpose addressed to the object
            ev.targets = [a for c in tok.head.children if c.dep_ == "dobj" for a in r.actors(c) if a not in ev.sources]
        if rule.origin == "dictionary verb" and not ev.targets and not (
                len(ev.sources) > 1 and self._plover(rule.cls) in self.lex.light.get("reciprocal_types", ())):
            # a dictionary verb's bare reading is too weak alone ('issued', 'went', 'prepared'), unless its
            # coordinated doers act on each other ('Brazil and the United States are seeking to deepen a partnership')
            return None
        if rule.mediation:
            ev.mediators = list(ev.sources)
        if rule.target_types:
            ev.targets = [t for t in ev.targets if t.cls in rule.target_types]
            if not ev.targets:
                return None
        if rule.symmetric and not ev.targets and len(ev.sources) > 1:
            ev.sources, ev.targets = ev.sources[:1], ev.sources[1:]
            ev.reciprocal = True
        ev.place = self._role_place(tok, rule, r)
        return ev

    def _subject(self, tok: Token, r: ArticleResolver, depth: int = 0) -> list[Actor]:
        """The clause subject; for infinitives, purpose clauses and conjuncts, the nearest governing one."""
        cur = tok
        for _ in range(8):
            if cur.dep_ == "xcomp" and any(l in self.object_control for l in candidate_lemmas(cur.head)):
                obj = next((c for c in cur.head.children if c.dep_ in ("dobj", "dative")), None)
                if obj is not None:
                    found = r.actors(obj)
                    if found:
                        return found
            subj = next((c for c in cur.children if c.dep_ in SUBJECT_DEPS), None)
            if subj is not None:
                if subj.tag_ == "WDT" or subj.lower_ in ("that", "which", "who"):
                    found = r.actors(cur.head) if cur.dep_ == "relcl" else []
                else:
                    found = r.actors(subj)
                if found:
                    return found
                if cur.dep_ not in ("conj", "xcomp"):
                    return []
            if cur.dep_ in ("acl", "relcl") and cur.head.pos_ in ("NOUN", "PROPN"):
                found = r.actors(cur.head)
                if found:
                    return found
            if cur.dep_ not in WALK_UP_DEPS or cur.head is cur:
                return []
            if cur.dep_ == "pcomp" and cur.head.lower_ not in self.subject_preps:
                return []  # 'jailed X for helping militants': the helper is X, not the court
            if cur.dep_ == "acl" and cur.tag_ == "VBN":
                return []  # a participle's head noun is its patient, not its doer
            cur = cur.head
        return []

    def _cause(self, tok: Token, r: ArticleResolver) -> list[Actor]:
        """'killed in Israeli tank shelling', 'hit by a Russian missile': the doer named in the cause."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "by", "during", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        found = self._np_source(p, r)
                        if found:
                            return found
        return []

    def _attendees(self, tok: Token, r: ArticleResolver) -> list[Actor]:
        """'talks also attended by X': the agents of a participation verb tied to the trigger."""
        verbs = set(self.lex.light.get("participation_verbs", ()))
        nodes = [c for c in tok.children if c.dep_ in ("acl", "relcl")]
        if tok.dep_ == "conj":
            nodes.append(tok.head)
        out: list[Actor] = []
        for node in nodes:
            if node.lemma_.lower() in verbs:
                for by in (c for c in node.children if c.dep_ == "agent"):
                    out += [a for p in by.children if p.dep_ == "pobj" for a in r.actors(p)]
        return out

    def _coactors(self, tok: Token, r: ArticleResolver) -> list[Actor]:
        """'Egypt has, along with the US and Qatar, been engaged ...': co-sources of the clause."""
        out: list[Actor] = []
        clause = tok
        while clause.dep_ in ("xcomp", "conj", "pcomp", "pobj", "prep") and clause.head is not clause:
            clause = clause.head
        nodes = {tok, clause, clause.head}
        nodes |= {c for n in list(nodes) for c in n.children if c.dep_ in ("aux", "auxpass")}
        for node in nodes:
            for c in node.children:
                if c.dep_ == "prep" and c.lower_ in ("along", "together", "alongside"):
                    for w in c.children:
                        if w.dep_ == "prep" and w.lower_ == "with":
                            out += [a for p in w.children if p.dep_ == "pobj" for a in r.actors(p)]
                        elif w.dep_ == "pobj":
                            out += r.actors(w)
        return out

    def _targets(self, tok: Token, rule: EventRule, r: ArticleResolver, generic: bool = True) -> list[Actor]:
        out: list[Actor] = []
        for spec in rule.target:
            kind, _, prep = spec.partition(":")
            if kind == "dobj_named":
                out += [a for c in tok.children if c.dep_ == "dobj" for a in r.actors(c) if c.ent_type_]
            elif kind in ("dobj", "dobj_actor"):
                for obj in (c for c in tok.children if c.dep_ in ("dobj", "attr")):
                    out += self._actors_in_np(obj, r)
            elif kind == "dative":
                out += [a for c in tok.children if c.dep_ in ("dative", "iobj") for a in r.actors(c)]
            elif kind == "prep":
                out += self._prep_actors(tok, prep, r)
            elif kind == "dobj_prep":
                for obj in (c for c in tok.children if c.dep_ == "dobj"):
                    out += self._prep_actors(obj, prep, r)
            elif kind == "relcl_dobj":
                for rel in (c for c in tok.children if c.dep_ in ("relcl", "acl")):
                    out += [a for c in rel.children if c.dep_ == "dobj" for a in self._actors_in_np(c, r)]
            elif kind == "anchor_dobj":
                anchor = self._anchor(tok)
                if anchor is not None:
                    out += [a for c in anchor.children if c.dep_ == "dobj" and c is not tok for a in self._actors_in_np(c, r)]
            elif kind == "ccomp_subject":
                for comp in (c for c in tok.children if c.dep_ == "ccomp"):
                    out += [a for c in comp.children if c.dep_ in SUBJECT_DEPS for a in r.actors(c)]
            elif kind == "generic" and generic:
                out += self._generic_targets(tok, r)
            if out:
                break
        if not out and generic and tok.pos_ in ("VERB", "AUX") and "generic" not in rule.target:
            out = self._generic_targets(tok, r)
        return _unique(out)

    def _generic_targets(self, tok: Token, r: ArticleResolver, depth: int = 0) -> list[Actor]:
        """The first actor among a verb's objects: direct object, dative, a prepositional phrase, then the
        complement clause it governs ('threatened to break relations with Russia', 'demanded that Hamas renounce')."""
        kids = list(tok.children)
        objects = [c for c in kids if c.dep_ in ("dobj", "attr", "oprd")]
        objects += [cj for o in objects for cj in o.conjuncts]  # 'launched artillery, mortar and rocket fire against X'
        for deps in (("dobj", "attr", "oprd"), ("dative", "iobj")):
            for c in kids:
                if c.dep_ in deps:
                    found = self._actors_in_np(c, r)
                    if found:
                        return found
        for c in [*kids, *(p for o in objects for p in o.children)]:  # 'aid to Mozambique', 'a program for Bosnia'
            if c.dep_ in ("prep", "dative") and c.lower_ in TARGET_PREPS:
                for p in c.children:
                    if p.dep_ in ("pobj", "pcomp"):
                        found = self._actors_in_np(p, r)
                        if found:
                            return found
        if depth >= 2:
            return []
        for c in kids:
            if c.dep_ == "xcomp":
                found = self._generic_targets(c, r, depth + 1)
                if found:
                    return found
        for c in kids:
            if c.dep_ == "ccomp":
                subj = [a for s in c.children if s.dep_ in SUBJECT_DEPS for a in r.actors(s)]
                if subj:
                    return subj
                found = self._generic_targets(c, r, depth + 1)
                if found:
                    return found
        return []

    def _prep_actors(self, tok: Token, prep: str, r: ArticleResolver) -> list[Actor]:
        out: list[Actor] = []
        for c in tok.children:
            if c.dep_ in ("prep", "agent", "dative") and c.lower_ == prep:
                for p in c.children:
                    if p.dep_ in ("pobj", "pcomp"):
                        out += self._actors_in_np(p, r)
        return out

    def _actors_in_np(self, tok: Token, r: ArticleResolver) -> list[Actor]:
        """The actors a noun phrase names: its head, else the actor of its 'of/by/for ...' phrase ('crimes by
        Croatian extremists'), else the country or organisation its modifiers name ('an Indian proposal')."""
        found = r.actors(tok)
        if found:
            return found
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "by", "for", "from", "against", "with", "to", "toward", "towards"):
                for p in c.children:
                    if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN"):
                        found = r.actors(p)
                        if found:
                            return found
        if self.lex.rules_for(tok.lemma_.lower(), "NOUN"):
            # 'condemned Israeli strikes' is Israel, but in 'discussed a ceasefire in Gaza' the place is no target
            affil, _ = r.affiliation(tok, preps=("of", "for", "from", "by", "with"))
            return [affil] if affil is not None else []
        affil, _ = r.affiliation(tok)
        return [affil] if affil is not None else []

    def _role_place(self, tok: Token, rule: EventRule, r: ArticleResolver) -> Place | Actor | None:
        for spec in rule.place:
            kind, _, prep = spec.partition(":")
            cands: list[Token] = []
            if kind == "dobj":
                cands = [c for c in tok.children if c.dep_ == "dobj"]
            elif kind == "prep":
                cands = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == prep for p in c.children if p.dep_ == "pobj"]
            elif kind == "dobj_prep":
                cands = [p for o in tok.children if o.dep_ == "dobj" for c in o.children
                         if c.dep_ == "prep" and c.lower_ == prep for p in c.children if p.dep_ == "pobj"]
            for c in cands:
                place = r.place(c)
                if place is not None:
                    return place
        return None

    def _place(self, trigger: Token, anchor: Token | None, r: ArticleResolver) -> Place | Actor | None:
        """Where: an 'in/at/around ...' phrase of the trigger or its carrier verb, else of the clause it governs
        ('threatened to ban voting in East Jerusalem')."""
        content = [c for c in trigger.children if c.dep_ == "xcomp"]
        content += [o for c in content for o in c.children if o.dep_ == "dobj"]  # 'to ban voting in East Jerusalem'
        for node in (trigger, anchor, *content):
            if node is None:
                continue
            for c in node.children:
                if c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            place = r.place(p)
                            if place is not None:
                                return place
        return None

    # ------------------------------------------------------------------ nouns
    def _noun_event(self, tok: Token, rule: EventRule, sent: Span, r: ArticleResolver) -> Event | None:
        ev = Event(cls=rule.cls, cameo=rule.cameo, trigger=tok, sentence=sent, origin="curated noun")
        head = tok
        if tok.dep_ in ("compound", "amod") and tok.head.lemma_.lower() in self.anchor_heads:
            head = tok.head  # 'mediation efforts between A and B'
        ev.sources = self._np_source(head, r) if rule.np_source else []
        for p in (*rule.source_preps, "by"):
            for node in [head] + [c for c in head.children if c.dep_ in ("relcl", "acl")]:
                found = self._prep_actors(node, p, r)
                if found and not ev.sources:
                    ev.sources = found
        anchor = self._anchor(head)
        if anchor is not None:
            ev.anchor = anchor
            if not ev.sources:
                ev.sources = self._subject(anchor, r) if anchor.pos_ in ("VERB", "AUX") else self._np_source(anchor, r)
            ev.sources += [a for a in self._coactors(anchor, r) if a not in ev.sources]
        elif rule.needs_anchor and not ev.sources:
            return None
        ev.targets = self._targets(head, rule, r) or (self._targets(tok, rule, r) if head is not tok else [])
        if not ev.targets and anchor is not None:  # "held exercises around Taiwan"
            prep_rule = EventRule(lemma=rule.lemma, pos=rule.pos, cls=rule.cls, cameo=rule.cameo,
                                  target=tuple(t for t in rule.target if t.startswith("prep:")))
            ev.targets = [a for a in self._targets(anchor, prep_rule, r) if a not in ev.sources]
        ev.participants = self._attendees(head, r)
        ev.sources = [a for a in ev.sources if a not in ev.participants]  # 'the summit, attended by X': X took part
        if rule.mediation:
            ev.mediators = list(ev.sources)
        else:
            parties = self._prep_actors(head, "between", r)
            if len(parties) >= 2:  # 'talks between Russia and Ukraine' hosted by someone else
                if ev.sources and ev.sources[0] not in parties:
                    ev.participants = ev.participants + ev.sources
                ev.sources, ev.targets = parties[:1], parties[1:]
        if rule.symmetric and not ev.targets and len(ev.sources) > 1:
            ev.sources, ev.targets = ev.sources[:1], ev.sources[1:]
            ev.reciprocal = True
        ev.place = self._role_place(head, rule, r)
        return ev

    def _np_source(self, tok: Token, r: ArticleResolver) -> list[Actor]:
        """'Israel's aggression', 'Israeli attacks', 'the top US diplomat's visit': the doer inside the noun phrase."""
        for c in tok.children:
            if c.dep_ == "poss":
                return r.actors(c)
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "nmod"):
                ent = r.ents.get(c.i)
                if ent is not None and ent.ent_id_ and ent.ent_id_.startswith("country:") and ent.label_ == "NORP":
                    a = r.actor(c)
                    return [a] if a is not None else []
        return []

    def _anchor(self, tok: Token) -> Token | None:
        """The clause an event noun belongs to: its light verb, or the verb its preposition hangs on."""
        if tok.dep_ in ("dobj", "nsubjpass", "attr", "conj") and self._is_light(tok.head):
            return tok.head
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ in self.anchor_preps:
            host = tok.head.head
            if host.pos_ in ("VERB", "AUX"):
                return host
            if host.dep_ == "pobj" and host.lemma_.lower() in self.anchor_heads and host.head.dep_ == "prep" \
                    and host.head.head.pos_ in ("VERB", "AUX"):
                return host.head.head  # a frame noun between: 'in a bid for talks', 'as part of efforts to'
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.dep_ == "dobj" \
                and tok.head.head.lemma_.lower() in self.lex.light.get("quantity_heads", ()) \
                and self._is_light(tok.head.head.head):
            return tok.head.head.head  # a quantity of events: 'launched a wave of strikes', 'a series of raids'
        return None

    # ------------------------------------------------------------------ factuality, dates, topics
    def _governors(self, ev: Event) -> list[Token]:
        """The trigger and the clauses above it up to a reported-speech boundary."""
        chain = [ev.trigger]
        cur = ev.anchor or ev.trigger
        if cur is not ev.trigger:
            chain.append(cur)
        for _ in range(6):
            if cur.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "acl", "pcomp", "prep", "pobj", "dobj", "compound", "amod", "auxpass", "relcl") or cur.head is cur:
                break
            cur = cur.head
            chain.append(cur)
        return chain

    def _factuality(self, ev: Event) -> str:
        f = self.fact
        chain = self._governors(ev)
        neg = hyp = fut = False
        for node in chain:
            kids = [(c, c.dep_, c.lower_) for c in node.children]  # each read once: spaCy builds the strings per access
            is_trigger = node is ev.trigger
            lemma = node.lemma_.lower()
            if any(dep in f["negation_deps"] or (dep == "det" and low == "no") for _, dep, low in kids):
                neg = True
            if not is_trigger and lemma in f["negating_governors"] and \
                    any(c in chain and dep in ("dobj", "xcomp", "ccomp") for c, dep, _ in kids):
                neg = True  # "blocked the meeting", "refused to meet"; not "blocked roads to protest"
            aux = [low for _, dep, low in kids if dep in ("aux", "auxpass")]
            if any(a in f["future_aux"] for a in aux):
                fut = True
            if any(a in f["hypothetical_aux"] for a in aux):
                hyp = True
            if is_trigger and any(dep == "advcl" and any(m.dep_ == "mark" and m.lower_ in f["hypothetical_marks"]
                                                         for m in c.children) for c, dep, _ in kids):
                hyp = True
            if any(dep == "mark" and low in f["hypothetical_marks"] for _, dep, low in kids):
                hyp = True
            if not is_trigger and lemma in f["future_governors"] and any(dep == "xcomp" for _, dep, _ in kids):
                fut = True
            if not is_trigger and lemma in f["hypothetical_governors"] and node.pos_ == "VERB":
                hyp = True
            for c, dep, low in kids:
                if dep == "prep":
                    for p in c.children:
                        if [low, p.lemma_.lower()] in f["hypothetical_preps"]:
                            hyp = True
        if neg:
            return "negated"
        if hyp:
            return "hypothetical"
        if fut:
            return "future"
        return "asserted"

    def _date(self, ev: Event, reference: dt.date | None, r: ArticleResolver) -> tuple[str, str] | None:
        dates = [ent for ent in r.entities_in(ev.sentence) if ent.label_ == "DATE"]
        if not dates:
            return None  # most sentences: no need to read the clause
        clause = {t.i for node in (ev.trigger, ev.anchor) if node is not None for t in self._clause(node)}
        for ent in dates:
            if ent.root.i in clause:
                parsed = parse_date(ent.text, reference, self._tense(ev))
                if parsed:
                    return parsed
        return None

    def _tense(self, ev: Event) -> str:
        """'future' when the clause looks ahead (will, is to, expected to, would), so its dates do too."""
        aux = {c.lower_ for c in ev.trigger.children if c.dep_ in ("aux", "auxpass")}
        return "future" if ev.factuality in ("future", "hypothetical") or aux & set(self.fact["future_aux"]) else "past"

    @staticmethod
    def _clause(tok: Token) -> list[Token]:
        """The trigger's own words, leaving out clauses of other verbs under it."""
        out = [tok]
        stack = list(tok.children)
        while stack:
            t = stack.pop()
            if t.dep_ in ("ccomp", "advcl", "relcl", "acl", "conj", "parataxis") and t.pos_ in ("VERB", "AUX"):
                continue
            out.append(t)
            stack.extend(t.children)
        return out

    @staticmethod
    def _topics(ev: Event, topical: list[tuple[Token, set[str]]]) -> set[str]:
        """The topics of the words in the subtree of the trigger or its anchor (names left out)."""
        nodes = [n for n in (ev.trigger, ev.anchor) if n is not None]
        return {topic for tok, found in topical if any(tok.i == n.i or n.is_ancestor(tok) for n in nodes) for topic in found}

    def _dedupe(self, events: list[Event]) -> list[Event]:
        """One event per class, source and sentence: keep the one with the most roles filled; an event with no
        target gives way to one of the same PLOVER type and source that has one."""
        with_targets = {(self._plover(e.cls), tuple(a.key for a in e.sources)) for e in events if e.targets}
        events = [e for e in events if e.targets or (self._plover(e.cls), tuple(a.key for a in e.sources)) not in with_targets]
        best: dict[tuple, Event] = {}
        for ev in events:
            k = (ev.cls, tuple(a.key for a in ev.sources), tuple(sorted(a.key for a in ev.targets)))
            score = len(ev.targets) + len(ev.participants) + (ev.place is not None)
            if k not in best or score > len(best[k].targets) + len(best[k].participants) + (best[k].place is not None):
                best[k] = ev
        return sorted(best.values(), key=lambda e: e.trigger.i)


def _index(mention) -> int:
    return mention.index


def _compatible(a: Place | Actor | None, b: Place | Actor | None) -> bool:
    return a is None or b is None or a.key == b.key


def _unique(actors: list[Actor]) -> list[Actor]:
    out: list[Actor] = []
    for a in actors:
        if a not in out:
            out.append(a)
    return out
