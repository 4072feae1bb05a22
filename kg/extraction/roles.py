"""Stage 2, roles: each candidate trigger becomes an `Event` with its source, targets, participants,
mediators and the place its rule names.

A verb's source is its grammatical subject or 'by' agent, its target where its rule's `target` list says
(a passive's subject is its target); an event noun ('talks', 'air strikes') takes its source from the
clause that carries it ('held talks') or from a possessive or demonym ('Israeli attacks'). Then an event
noun carried by an event verb of the same type is one event, and a verb without a target shares the one
of the clause it governs.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from ..lexicon.entries import EventRule, Lexicon, candidate_lemmas
from .actors import Actor
from .arguments import ArgumentFinder
from .event import Event
from .places import role_place
from .resolve import ArticleResolver
from .triggers import SentenceCues


class RoleBuilder:
    """Turn a sentence's triggers into events with their roles."""

    def __init__(self, lex: Lexicon, args: ArgumentFinder):
        self.lex = lex
        self.args = args
        self.stative_passives = set(lex.light.get("stative_passives", ()))
        self.reciprocal_types = set(lex.light.get("reciprocal_types", ()))

    def events(self, cues: SentenceCues, sent: Span, r: ArticleResolver) -> list[Event]:
        """The sentence's events with their roles; events with neither source nor target are dropped."""
        verbs: list[Event] = []
        nouns: list[Event] = []
        for tok, rule, pos in cues.triggers:
            ev = self.verb_event(tok, rule, sent, r) if pos == "VERB" else self.noun_event(tok, rule, sent, r)
            if ev is not None:
                (verbs if pos == "VERB" else nouns).append(ev)
        return self._combine(verbs, nouns)

    def _combine(self, verbs: list[Event], nouns: list[Event]) -> list[Event]:
        plover = self.lex.plover
        # a dictionary verb that only carries an event noun ('conducted air strikes') gives way to the noun
        carriers = {ev.anchor.i for ev in nouns if ev.anchor is not None}
        verbs = [v for v in verbs if not (v.trigger.i in carriers and v.origin.startswith("dictionary"))]
        events = list(verbs)
        for ev in nouns:
            host = next((v for v in verbs if ev.anchor is not None and v.trigger.i == ev.anchor.i), None)
            same_targets = not ev.targets or {a.key for a in ev.targets} <= {a.key for a in host.targets + host.sources} \
                if host is not None else False
            if host is not None and plover(host.cls) == plover(ev.cls) and same_targets:
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
                    if other is not ev and other.targets and clause.dep_ == "xcomp" and clause.head.i == ev.trigger.i:
                        ev.targets = [t for t in other.targets if t not in ev.sources]
                        break
        return events

    def verb_event(self, tok: Token, rule: EventRule, sent: Span, r: ArticleResolver) -> Event | None:
        args = self.args
        ev = Event(cls=rule.cls, cameo=rule.cameo, trigger=tok, sentence=sent,
                   origin=rule.origin if rule.fallback else "curated verb")
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        passive_subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if passive_subj is not None and tok.lemma_.lower() in self.stative_passives:
            passive_subj = None  # 'forces were engaged in ethnic cleansing': the subject is the doer
        patients: list[Actor] = []
        if passive_subj is not None:  # 'X was released by Y': X is the target
            # 'a camp for Congolese refugees was attacked': the actor the patient's phrase names
            patients = args.actors_in_np(passive_subj, r) if passive_subj.tag_ not in ("WDT", "WP") else r.actors(tok.head)
        elif tok.dep_ == "acl" and tok.tag_ == "VBN":  # 'soldiers killed in Ukraine', 'officials accused of'
            patients = r.actors(tok.head)
        if agent is not None:
            ev.sources = [a for p in agent.children if p.dep_ == "pobj" for a in r.actors(p)]
        elif passive_subj is not None or patients:
            ev.sources = args.cause(tok, r)
        else:
            ev.sources = args.subject(tok, r)
        for p in rule.source_preps:
            if not ev.sources:
                ev.sources = args.prep_actors(tok, p, r)
        ev.sources += [a for a in args.coactors(tok, r) if a not in ev.sources]
        ev.participants = args.attendees(tok, r)
        if any(a not in ev.participants for a in ev.sources):
            ev.sources = [a for a in ev.sources if a not in ev.participants]
        if passive_subj is not None:  # 'X was arrested in Lebanon for collaborating with Israel': X is the target
            ev.targets = patients or args.targets(tok, rule, r, generic=False)
        else:
            ev.targets = args.targets(tok, rule, r) or patients
        if not ev.targets and tok.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
                and not any(l in args.object_control for l in candidate_lemmas(tok.head)):
            # 'summoned Niger's ambassador to complain of inaction': a purpose addressed to the object
            ev.targets = [a for c in tok.head.children if c.dep_ == "dobj" for a in r.actors(c) if a not in ev.sources]
        if rule.origin == "dictionary verb" and not ev.targets and not (
                len(ev.sources) > 1 and self.lex.plover(rule.cls) in self.reciprocal_types):
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
        elif rule.converse and ev.targets:
            ev.sources, ev.targets = ev.targets, ev.sources  # 'Turkey hosted Hungary's president': the visitor acts
        ev.place = role_place(tok, rule, r)
        return ev

    def noun_event(self, tok: Token, rule: EventRule, sent: Span, r: ArticleResolver) -> Event | None:
        args = self.args
        ev = Event(cls=rule.cls, cameo=rule.cameo, trigger=tok, sentence=sent, origin="curated noun")
        head = tok
        if tok.dep_ in ("compound", "amod") and tok.head.lemma_.lower() in args.anchor_heads:
            head = tok.head  # 'mediation efforts between A and B'
        ev.sources = args.np_source(head, r) if rule.np_source else []
        if not ev.sources and rule.symmetric and any(c.dep_ == "poss" and c.lower_ == "their" for c in head.children):
            ev.sources = r.coref.last_parties(head.i)  # 'their meeting in Geneva': the pair named last (reciprocal)
        for p in (*rule.source_preps, "by"):
            for node in [head] + [c for c in head.children if c.dep_ in ("relcl", "acl")]:
                found = args.prep_actors(node, p, r)
                if found and not ev.sources:
                    ev.sources = found
        anchor = args.anchor(head)
        if anchor is not None:
            ev.anchor = anchor
            if not ev.sources:
                ev.sources = args.subject(anchor, r) if anchor.pos_ in ("VERB", "AUX") else args.np_source(anchor, r)
            ev.sources += [a for a in args.coactors(anchor, r) if a not in ev.sources]
        elif rule.needs_anchor and not ev.sources:
            return None
        ev.targets = args.targets(head, rule, r) or (args.targets(tok, rule, r) if head is not tok else [])
        if not ev.targets and anchor is not None:  # "held exercises around Taiwan"
            prep_rule = EventRule(lemma=rule.lemma, pos=rule.pos, cls=rule.cls, cameo=rule.cameo,
                                  target=tuple(t for t in rule.target if t.startswith("prep:")))
            ev.targets = [a for a in args.targets(anchor, prep_rule, r) if a not in ev.sources]
        ev.participants = args.attendees(head, r)
        ev.sources = [a for a in ev.sources if a not in ev.participants]  # 'the summit, attended by X': X took part
        if rule.mediation:
            ev.mediators = list(ev.sources)
        else:
            parties = args.prep_actors(head, "between", r)
            if len(parties) >= 2:  # 'talks between Russia and Ukraine' hosted by someone else
                if ev.sources and ev.sources[0] not in parties:
                    ev.participants = ev.participants + ev.sources
                ev.sources, ev.targets = parties[:1], parties[1:]
        if rule.symmetric and not ev.targets and len(ev.sources) > 1:
            ev.sources, ev.targets = ev.sources[:1], ev.sources[1:]
            ev.reciprocal = True
        ev.place = role_place(head, rule, r)
        return ev
