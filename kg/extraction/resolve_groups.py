"""Actors a common noun and its modifiers describe: affiliations, groups, office holders, described persons.

`GroupResolver` reads the modifiers and 'of'/'for' phrases of a head ('Iraq's national security
advisor', 'US and British activists', 'the top US diplomat') to find whose the head is, and builds
the group, office holder or person it stands for. It also takes a person's position and country
from the words around the name. Split from the actor resolver to keep each part small; it calls the
name look-ups and coreference through direct references to their methods.
"""
from __future__ import annotations

from spacy.tokens import Token

from ..lexicon.entries import slug
from ..lexicon.geonames import city_country
from .actors import Actor, Place
from .resolve_coref import Coreference
from .resolve_names import ArticleNames

MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod", "nummod"}


class GroupResolver:
    """Affiliation of a head, and the groups, offices and persons a described head stands for."""

    def __init__(self, names: ArticleNames, coref: Coreference) -> None:
        self.lex = names.lex
        self.ents = names.ents
        self.mentions = names.mentions
        self.short_names = names.short_names
        # direct references, not a lookup through the collaborator on every call
        self._gazetteer = names.gazetteer
        self.country = names.country
        self.country_named = names.country_named
        self.person_named = names.person_named
        self._title_keys = names.title_keys
        self._title_sector = names.title_sector
        self.pronoun = coref.pronoun

    def describe_person(self, person: Actor, head: Token) -> None:
        """Take position and affiliation from the words before the name ('Egypt's Foreign Minister')."""
        name_ent = self.ents.get(head.i)
        start = name_ent.start if name_ent is not None else head.i
        left = [t for t in head.subtree if t.i < start]
        affil = None
        title_toks: list[Token] = []
        for t in left:
            ent = self.ents.get(t.i)
            if ent is not None and ent.ent_id_:
                found = self._gazetteer(ent.ent_id_)
                if isinstance(found, Actor) and affil is None:
                    affil = found
                continue
            if t.pos_ in ("DET", "PRON", "PUNCT", "NUM") or t.tag_ == "POS" or t.dep_ == "poss":
                continue
            title_toks.append(t)
        title = " ".join(t.text for t in title_toks).strip()
        if title and any(w in self.lex.titles for w in self._title_keys(title)):
            if person.position is None or len(title) > len(person.position):
                person.position = title
            sector = self._title_sector(title)
            if sector and person.sector is None:
                person.sector = sector
        if affil is not None and person.represents is None and affil is not person:
            person.represents = affil

    def affiliated_noun(self, tok: Token, lemma: str, preps: tuple[str, ...] = ("of", "from")) -> Actor | None:
        """Any noun phrase a country or organisation modifies stands for it, as event coders read news
        ('Danish Web sites', 'an Indian proposal', 'Russian Jewish immigrants'): a group tied to that actor."""
        if not (tok.pos_ == "NOUN" or tok.tag_ == "NNPS") or tok.tag_ == "VBG" or self.lex.rules_for(lemma, "NOUN"):
            return None  # 'the fighting in Gaza', 'Israeli attacks': happenings, not actors
        affil, _ = self.affiliation(tok, preps=preps)
        if affil is None or affil.cls == "Person":
            return None
        return self.affiliated_group(tok, lemma, affil)

    def affiliated_group(self, tok: Token, lemma: str, affil: Actor, label: str | None = None) -> Actor:
        label = label or " ".join(t.text for t in tok.subtree if t.i <= tok.i and t.dep_ not in (
            "det", "predet", "nummod", "advmod", "quantmod") and not t.is_punct and t.tag_ != "POS")
        return Actor(key=f"group/{slug(affil.key.split('/', 1)[1])}-{slug(lemma)}", cls="Group", label=label or tok.text,
                     represents=affil)

    def office_holder(self, tok: Token) -> Actor | None:
        """'Iraq's national security advisor' with no name: the holder of that office, tied to its country."""
        affil, _ = self.affiliation(tok)
        if affil is None or affil.cls == "Person":
            return None
        title = " ".join(t.text for t in tok.subtree if t.i <= tok.i and t.pos_ in ("NOUN", "ADJ", "PROPN")
                         and not self.ents.get(t.i) and t.dep_ != "poss")
        if not title:
            return None
        label = f"{affil.label} {title}"
        return Actor(key=f"person/{slug(affil.key.split('/', 1)[1])}-{slug(title)}", cls="Person", label=label,
                     position=title, represents=affil, sector=self._title_sector(title))

    def compound_title(self, tok: Token) -> bool:
        words = [c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")] + [tok.lower_]
        return " ".join(words[-2:]) in self.lex.titles

    def counterpart(self, head: Token, person: Actor) -> None:
        """'his Israeli counterpart, Gabi Ashkenazi': same office as 'his' person, country from the modifier."""
        affil, _ = self.affiliation(head)
        if affil is not None and person.represents is None and affil is not person:
            person.represents = affil
        if head.lemma_.lower() == "counterpart" and person.position is None:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            other = self.pronoun(owner) if owner is not None and owner.pos_ == "PRON" else None
            if other is not None and other.position:
                person.position = other.position
        elif person.position is None:
            person.position = " ".join(t.text for t in head.subtree if t.i <= head.i and t.pos_ in ("NOUN", "PROPN", "ADJ")
                                       and not self.ents.get(t.i))

    def described_person(self, tok: Token) -> Actor | None:
        """'the top US diplomat', 'President Sisi' without a name entity: find the person in the article."""
        affil, _ = self.affiliation(tok)
        words = " ".join(t.lower_ for t in tok.subtree if t.i <= tok.i and t.pos_ in ("NOUN", "ADJ", "PROPN")
                         and not self.ents.get(t.i))
        implied: set[str] = set()
        for key in self._title_keys(words):
            implied.update(self.lex.titles.get(key, {}).get("implies", ()))
        candidates = [m.actor for m in reversed(self.mentions) if m.index < tok.i and m.actor.cls == "Person"]
        for person in candidates:
            pos = (person.position or "").lower()
            if affil is not None and person.country not in (None, affil.country):
                continue
            if pos and (tok.lower_ in pos or tok.lemma_.lower() in pos or any(i in pos for i in implied)):
                return person
        return None

    def group(self, tok: Token, lemma: str, affil: Actor | None = None, label: str | None = None) -> Actor | None:
        agent = self.lex.agents[lemma]
        found, modifiers = self.affiliation(tok)
        affil = affil or found
        det = next((c.lower_ for c in tok.children if c.dep_ == "det"), None)
        if affil is None:
            # 'the same delegation', 'the officials': the last group of that kind in the article
            same = [m.actor for m in reversed(self.mentions) if m.index < tok.i and m.actor.cls in ("Group", "Delegation")
                    and m.actor.key.endswith("-" + lemma)]
            if det in ("the", "this", "that", "these", "those") and same:
                return same[0]
            if (tok.tag_ == "NNS" or det == "the") and agent.get("sector") in self.lex.light.get("unaffiliated_sectors", ()):
                # 'Insurgents bombarded Aleppo': a group of no known country is still an actor
                # described, not named: this article's insurgents, not every article's (an article-local actor)
                return Actor(key=f"local/group/{'-'.join(modifiers + [lemma])}", cls="Group", label=tok.text.lower()
                             if tok.i == tok.sent.start else " ".join(t.text for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "nummod", "predet")),
                             sector=agent.get("sector"))
            return None
        sector = agent.get("sector")
        for m in modifiers:
            if m in self.lex.agents:
                sector = self.lex.agents[m].get("sector", sector)
        cls = agent.get("class", "Group")
        if cls == "GovernmentBody" and affil.cls != "Country":
            cls = "Group"
        mods = "-".join(modifiers)
        key = f"group/{slug(affil.key.split('/', 1)[1])}-{mods + '-' if mods else ''}{lemma}"
        label = label or " ".join(t.text for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "predet", "nummod")
                                  and not t.is_punct and t.tag_ != "POS")
        return Actor(key=key, cls=cls, label=label or tok.text, represents=affil, sector=sector)

    def affiliation(self, tok: Token, preps: tuple[str, ...] = ("of", "for", "from", "in", "by", "with")
                    ) -> tuple[Actor | None, list[str]]:
        """The country or organisation named in a head's modifiers or 'of'/'for' phrase, and other modifier lemmas."""
        affil: Actor | None = None
        modifiers: list[str] = []
        stack = [c for c in tok.children if c.dep_ in MODIFIER_DEPS]
        stack += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in preps
                  for g in c.children if g.dep_ == "pobj"]
        while stack:
            t = stack.pop(0)
            ent = self.ents.get(t.i)
            found: Actor | Place | None = None
            if ent is not None and ent.ent_id_:
                found = self._gazetteer(ent.ent_id_)
                if isinstance(found, Place):
                    found = self.country(found.country) if found.country else None
            elif ent is not None and ent.label_ in ("NORP", "GPE"):
                found = self.country_named(ent.text)
                if found is None and ent.label_ == "GPE":  # 'Lagos police', 'demonstrators in Lagos'
                    iso3 = city_country(ent.text)
                    found = self.country(iso3) if iso3 else None
            elif t.pos_ == "PRON" and t.dep_ == "poss":
                found = None
            elif ent is not None and (ent.label_ == "PERSON" or ent.text in self.short_names):
                found = self.person_named(ent)
            if found is not None and (affil is None or affil.cls == "Person" and found.cls != "Person"):
                affil = found  # a state or organisation over a person ("bin Laden's al-Qaeda terror network")
            elif ent is None and t.pos_ in ("NOUN", "ADJ", "PROPN") and t.dep_ in ("amod", "compound"):
                modifiers.append(t.lemma_.lower())
            stack.extend(c for c in t.children if c.dep_ in ("compound", "amod", "poss", "npadvmod"))
        return affil, sorted(set(modifiers))
