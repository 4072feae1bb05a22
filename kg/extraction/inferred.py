"""Stage 5, inferred roles: the targets the codebook infers when the sentence names none, and the last
clean-up of the roles (no actor both source and target).

- a threat's target is whoever must meet its condition ('threatened to quit unless Baghdad accepted');
- for attacks, coercion, mobilisation, threats, sanctions, protests and concessions, the country of the
  place (PLOVER, ICEWS and POLECAT code the location's country);
- protesters of a domestic type protest their own authorities;
- coordinated doers of a reciprocal type act on each other ('A and B agreed': A source, B target).
"""
from __future__ import annotations

from spacy.tokens import Token

from ..lexicon.entries import Lexicon
from .actors import Actor, Place
from .event import Event
from .resolve import ArticleResolver
from .syntax import SUBJECT_DEPS

# PLOVER types whose target, when no actor is named, is the country of the place (PLOVER, ICEWS, POLECAT).
LOCATION_TARGET_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "THREATEN", "SANCTION", "PROTEST", "CONCEDE"}


class InferredRoles:
    """Fill the targets a sentence leaves unnamed, as the codebook does, and tidy the roles."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.condition_marks = set(lex.light.get("condition_marks", ()))
        self.condition_target_types = set(lex.light.get("condition_target_types", ()))
        self.domestic_types = set(lex.light.get("domestic_types", ()))
        self.reciprocal_types = set(lex.light.get("reciprocal_types", ()))

    def complete(self, ev: Event, r: ArticleResolver) -> None:
        plover = self.lex.plover(ev.cls)
        if not ev.targets and plover in self.condition_target_types:
            ev.targets = [a for a in self._condition_subjects(ev.trigger, r) if a not in ev.sources]
        if not ev.targets and ev.place is not None and plover in LOCATION_TARGET_TYPES:
            target = ev.place if isinstance(ev.place, Actor) else r.country(ev.place.country) if ev.place.country else None
            if target is not None and target not in ev.sources:
                ev.targets = [target]
                ev.location_target = True
        if not ev.targets and plover in self.domestic_types:
            home = next((r.country(a.country) for a in ev.sources if a.country), None)
            at_home = ev.place is None or home is not None and (ev.place.country if isinstance(ev.place, Place)
                                                                 else ev.place.iso3) == home.iso3
            if home is not None and at_home and home not in ev.sources:  # protesters protest their own authorities
                ev.targets = [home]
                ev.location_target = True
        ev.targets = [t for t in ev.targets if t not in ev.sources]  # first: a doer found again as a target is none
        if not ev.targets and len(ev.sources) > 1 and plover in self.reciprocal_types:
            ev.sources, ev.targets = ev.sources[:1], ev.sources[1:]
            ev.reciprocal = True
        ev.participants = [p for p in ev.participants if p not in ev.sources + ev.targets]

    def _condition_subjects(self, trigger: Token, r: ArticleResolver) -> list[Actor]:
        """The doers of a threat's condition: 'threatened to stop negotiations if the United States goes ahead',
        '... unless Baghdad accepted its conditions' - the one the threat is aimed at."""
        for tok in trigger.subtree:
            if tok.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in self.condition_marks for m in tok.children):
                found = [a for c in tok.children if c.dep_ in SUBJECT_DEPS for a in r.actors(c)]
                if found:
                    return found
        return []
