"""Where a trigger's actors are in the parse: its subject, agent, objects, prepositional phrases, the noun
phrase an event noun heads and the clause that carries it. `roles` assembles events from these look-ups."""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from ..lexicon.entries import EventRule, Lexicon, candidate_lemmas
from .actors import Actor
from .resolve import ArticleResolver
from .syntax import SUBJECT_DEPS, WALK_UP_DEPS

# Prepositions whose object is a verb's target when its own rule names none ('fired at X', 'moved against X').
TARGET_PREPS = ("to", "with", "against", "on", "upon", "into", "toward", "towards", "from", "over", "for", "of", "at")


class ArgumentFinder:
    """The parse look-ups that find a trigger's source, targets, co-actors and attendees."""

    def __init__(self, lex: Lexicon, is_light: Callable[[Token], bool]):
        self.lex = lex
        self.is_light = is_light
        self.anchor_preps = set(lex.light["anchor_preps"])
        self.anchor_heads = set(lex.light["anchor_heads"])
        self.subject_preps = set(lex.light["subject_sharing_preps"])
        self.object_control = set(lex.light["object_control_verbs"])
        self.place_heads = set(lex.light.get("place_heads", ()))
        self.setting_heads = set(lex.light.get("setting_heads", ()))

    def subject(self, tok: Token, r: ArticleResolver, depth: int = 0) -> list[Actor]:
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
            if cur.dep_ not in WALK_UP_DEPS or cur.head.i == cur.i:
                return []
            if cur.dep_ == "pcomp" and cur.head.lower_ not in self.subject_preps:
                return []  # 'jailed X for helping militants': the helper is X, not the court
            if cur.dep_ == "acl" and cur.tag_ == "VBN":
                return []  # a participle's head noun is its patient, not its doer
            cur = cur.head
        return []

    def cause(self, tok: Token, r: ArticleResolver) -> list[Actor]:
        """'killed in Israeli tank shelling', 'hit by a Russian missile': the doer named in the cause."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "by", "during", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        found = self.np_source(p, r)
                        if found:
                            return found
        return []

    def attendees(self, tok: Token, r: ArticleResolver) -> list[Actor]:
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

    def coactors(self, tok: Token, r: ArticleResolver) -> list[Actor]:
        """'Egypt has, along with the US and Qatar, been engaged ...': co-sources of the clause."""
        out: list[Actor] = []
        clause = tok
        while clause.dep_ in ("xcomp", "conj", "pcomp", "pobj", "prep") and clause.head.i != clause.i:
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

    def targets(self, tok: Token, rule: EventRule, r: ArticleResolver, generic: bool = True) -> list[Actor]:
        """The targets where the rule's `target` list says they are, tried in order; else the generic reading."""
        out: list[Actor] = []
        for spec in rule.target:
            kind, _, prep = spec.partition(":")
            if kind == "dobj_named":
                out += [a for c in tok.children if c.dep_ == "dobj" for a in r.actors(c) if c.ent_type_]
            elif kind in ("dobj", "dobj_actor"):
                for obj in (c for c in tok.children if c.dep_ in ("dobj", "attr")):
                    out += self.actors_in_np(obj, r)
            elif kind == "dative":
                out += [a for c in tok.children if c.dep_ in ("dative", "iobj") for a in r.actors(c)]
            elif kind == "prep":
                out += self.prep_actors(tok, prep, r)
            elif kind == "dobj_prep":
                for obj in (c for c in tok.children if c.dep_ == "dobj"):
                    found = self.prep_actors(obj, prep, r)
                    # 'lifted sanctions imposed on China': the phrase hangs on the object's participle
                    out += found or [a for k in obj.children if k.dep_ in ("acl", "relcl")
                                     for a in self.prep_actors(k, prep, r)]
            elif kind == "relcl_dobj":
                for rel in (c for c in tok.children if c.dep_ in ("relcl", "acl")):
                    out += [a for c in rel.children if c.dep_ == "dobj" for a in self.actors_in_np(c, r)]
            elif kind == "anchor_dobj":
                anchor = self.anchor(tok)
                if anchor is not None:
                    out += [a for c in anchor.children if c.dep_ == "dobj" and c.i != tok.i for a in self.actors_in_np(c, r)]
            elif kind == "ccomp_subject":
                for comp in (c for c in tok.children if c.dep_ == "ccomp"):
                    out += [a for c in comp.children if c.dep_ in SUBJECT_DEPS for a in r.actors(c)]
            elif kind == "generic" and generic:
                out += self.generic_targets(tok, r)
            if out:
                break
        if not out and generic and tok.pos_ in ("VERB", "AUX") and "generic" not in rule.target:
            out = self.generic_targets(tok, r, places=not rule.symmetric)
        return _unique(out)

    def generic_targets(self, tok: Token, r: ArticleResolver, depth: int = 0, places: bool = True) -> list[Actor]:
        """The first actor among a verb's objects: direct object, dative, a prepositional phrase, then the
        complement clause it governs ('threatened to break relations with Russia', 'demanded that Hamas renounce').
        Without `places`, a prepositional phrase headed by a place noun is where, not whom ('met on the
        Indonesian island of Bali')."""
        kids = list(tok.children)
        objects = [c for c in kids if c.dep_ in ("dobj", "attr", "oprd")]
        objects += [cj for o in objects for cj in o.conjuncts]  # 'launched artillery, mortar and rocket fire against X'
        for deps in (("dobj", "attr", "oprd"), ("dative", "iobj")):
            for c in kids:
                if c.dep_ in deps:
                    found = self.actors_in_np(c, r)
                    if found:
                        return found
        for c in [*kids, *(p for o in objects for p in o.children)]:  # 'aid to Mozambique', 'a program for Bosnia'
            if c.dep_ in ("prep", "dative") and c.lower_ in TARGET_PREPS:
                for p in c.children:
                    if p.dep_ in ("pobj", "pcomp") and (places or p.lemma_.lower() not in self.place_heads):
                        found = self.actors_in_np(p, r)
                        if found:
                            return found
        if depth >= 2:
            return []
        for c in kids:
            if c.dep_ == "xcomp":
                found = self.generic_targets(c, r, depth + 1, places)
                if found:
                    return found
        for c in kids:
            if c.dep_ == "ccomp":
                subj = [a for s in c.children if s.dep_ in SUBJECT_DEPS for a in r.actors(s)]
                if subj:
                    return subj
                found = self.generic_targets(c, r, depth + 1, places)
                if found:
                    return found
        return []

    def prep_actors(self, tok: Token, prep: str, r: ArticleResolver) -> list[Actor]:
        out: list[Actor] = []
        for c in tok.children:
            if c.dep_ in ("prep", "agent", "dative") and c.lower_ == prep:
                for p in c.children:
                    if p.dep_ in ("pobj", "pcomp"):
                        out += self.actors_in_np(p, r)
        return out

    def actors_in_np(self, tok: Token, r: ArticleResolver) -> list[Actor]:
        """The actors a noun phrase names: its head, else the actor of its 'of/by/for ...' phrase ('crimes by
        Croatian extremists'), else the country or organisation its modifiers name ('an Indian proposal')."""
        if tok.lemma_.lower() in self.setting_heads or tok.lower_ in self.setting_heads:
            return []  # 'on the sidelines of the G20 summit': where they met, not whom
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

    def np_source(self, tok: Token, r: ArticleResolver) -> list[Actor]:
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

    def anchor(self, tok: Token) -> Token | None:
        """The clause an event noun belongs to: its light verb, or the verb its preposition hangs on."""
        if tok.dep_ in ("dobj", "nsubjpass", "attr", "conj") and self.is_light(tok.head):
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
                and self.is_light(tok.head.head.head):
            return tok.head.head.head  # a quantity of events: 'launched a wave of strikes', 'a series of raids'
        return None


def _unique(actors: list[Actor]) -> list[Actor]:
    out: list[Actor] = []
    for a in actors:
        if a not in out:
            out.append(a)
    return out
