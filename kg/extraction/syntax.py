"""Reading the dependency parse: the dependency sets and walks every extraction stage shares."""
from __future__ import annotations

from spacy.tokens import Token

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Dependencies an infinitive, purpose clause or conjunct climbs to find the subject it shares.
# Not ccomp (reported speech has its own subject) nor nsubj (a verb-noun subject of another clause).
WALK_UP_DEPS = {"xcomp", "acomp", "advcl", "conj", "acl", "relcl", "pcomp", "pobj", "prep", "dobj", "amod", "attr", "appos",
                "npadvmod", "compound", "dep"}


def clause(tok: Token) -> list[Token]:
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
