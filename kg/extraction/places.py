"""Where an event happened: the place its rule names, else an 'in/at/around ...' phrase of its clause."""
from __future__ import annotations

from spacy.tokens import Token

from ..lexicon.entries import EventRule
from .actors import Actor, Place
from .resolve import ArticleResolver

# Prepositions that give the place of an event ('air strikes in Gaza City', 'drills around Taiwan').
PLACE_PREPS = ("in", "at", "around", "near", "into", "across", "inside", "on", "over", "outside")


def role_place(tok: Token, rule: EventRule, r: ArticleResolver) -> Place | Actor | None:
    """The place where the rule's `place` list says it is ('visited Cairo': the object)."""
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


def clause_place(trigger: Token, anchor: Token | None, r: ArticleResolver) -> Place | Actor | None:
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
