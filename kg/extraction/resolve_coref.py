"""Coreference inside one article: pronouns, 'the two sides', 'the two'.

`Coreference` reads the article's mention list (kept in text order by `ArticleNames`) backwards to
find what a pronoun or a pair reference stands for. It needs the resolver's guarded phrase -> actor
look-up for parallel clauses and reported speech; `ArticleResolver` wires that in after building
the actor resolver, as the two call each other.
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from .actors import PERSON_PRONOUNS, PLURAL_PRONOUNS, THING_PRONOUNS, Actor
from .resolve_names import ArticleNames


class Coreference:
    """Pronoun and pair-reference resolution over one article's mentions."""

    _actor: Callable[[Token], Actor | None]  # ActorResolver._actor, set by ArticleResolver

    def __init__(self, names: ArticleNames) -> None:
        self.doc = names.doc
        self.lex = names.lex
        self.ents = names.ents
        self.mentions = names.mentions

    def pronoun(self, tok: Token) -> Actor | None:
        low = tok.lower_
        # parallel clauses: 'the US has said ..., but it also called for' -> the subject of the first clause
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "conj":
            first = next((c for c in tok.head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if first is not None and first.i != tok.i:
                found = self._actor(first)
                if found is not None and self._compatible(found, low):
                    return found
        # reported speech: 'Pakistan said it shot down ...', 'the rebels said they will release ...'
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ccomp":
            speaker = next((c for c in tok.head.head.children if c.dep_ == "nsubj" and c.i < tok.i), None)
            if speaker is not None and speaker.pos_ != "PRON":
                found = self._actor(speaker)
                if found is not None and self._compatible(found, low):
                    return found
        before = [m for m in reversed(self.mentions) if m.index < tok.i]
        if low in PERSON_PRONOUNS:
            # salience: the subject of the current or previous sentence before the nearest mention
            sents = {tok.sent.start}
            prev = tok.doc[tok.sent.start - 1].sent.start if tok.sent.start > 0 else None
            if prev is not None:
                sents.add(prev)
            for m in before:
                if m.is_subject and self._compatible(m.actor, low) and self.doc[m.index].sent.start in sents:
                    return m.actor
        for m in before:
            if self._compatible(m.actor, low):
                return m.actor
        return None

    @staticmethod
    def _compatible(actor: Actor, pronoun: str) -> bool:
        if pronoun in PERSON_PRONOUNS:
            return actor.cls == "Person"
        if pronoun in THING_PRONOUNS:  # 'the union ... it', not 'the protesters ... it'
            return actor.cls != "Person" and not (actor.cls == "Group" and _plural(actor.label))
        if pronoun in PLURAL_PRONOUNS:
            return actor.cls in ("Group", "Delegation")
        return False

    def pair_reference(self, tok: Token) -> bool:
        """'the two sides', 'both parties', 'the two countries': a reference to the last two parties."""
        if tok.lemma_.lower() not in self.lex.light.get("pair_heads", ()) or tok.tag_ not in ("NNS", "NNPS"):
            return False
        return any(c.lower_ in ("two", "both") for c in tok.children)

    def last_parties(self, before: int) -> list[Actor]:
        """The two most recent actors of different countries within the last three sentences; none if unclear."""
        doc = self.doc
        first_sent = doc[before].sent
        window_start = first_sent.start
        for _ in range(3):
            if window_start == 0:
                break
            window_start = doc[window_start - 1].sent.start
        out: list[Actor] = []
        countries: set[str] = set()
        for m in reversed(self.mentions):
            if m.index >= before or m.index < window_start or m.actor.cls == "Person" and m.actor.country is None:
                continue
            ent = self.ents.get(m.index)
            tok = doc[m.index]
            if ent is not None and ent.ent_id_.startswith("place:") or any(
                    t.dep_ == "pobj" and t.head.lower_ in ("in", "at", "near", "to", "from")
                    for t in (tok, tok.head if tok.dep_ in ("amod", "compound") else tok)):
                continue  # 'met in Cairo', 'talks in the Omani capital': a place, not a party
            country = m.actor.country or m.actor.key
            if country in countries:
                continue
            countries.add(country)
            out.append(m.actor)
            if len(out) == 2:
                return list(reversed(out))
        return []

    def last_persons(self, before: int, n: int) -> list[Actor]:
        out: list[Actor] = []
        for m in reversed(self.mentions):
            if m.index < before and m.actor.cls == "Person" and m.actor not in out:
                out.append(m.actor)
                if len(out) == n:
                    break
        return out


def _plural(label: str) -> bool:
    """Whether a group's label ends in a plural noun ('Israeli troops', 'the Kurds'; not 'the Nigerian Union')."""
    last = label.split()[-1].lower() if label.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))
