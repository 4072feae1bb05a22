"""Noun phrase -> actor(s): the resolver's main dispatch over a head token.

`ActorResolver` decides what kind of phrase a head is (a pronoun, a gazetteer or NER entity, a name
the NER cut short, an apposition, a common noun) and hands it to the name look-ups, coreference or
the group resolver; it follows coordination ('Egypt, the US and Qatar') and remembers what it found
as a mention. Collaborators' methods are held as direct references: this runs for every candidate
head of every sentence.
"""
from __future__ import annotations

from spacy.tokens import Token

from ..lexicon.entries import slug
from .actors import PERSON_PRONOUNS, PLURAL_PRONOUNS, THING_PRONOUNS, Actor, Place
from .resolve_coref import Coreference
from .resolve_groups import GroupResolver
from .resolve_names import ArticleNames


class ActorResolver:
    """The actors a head token stands for, with a guard against appositions that point back at their head."""

    def __init__(self, names: ArticleNames, coref: Coreference, groups: GroupResolver) -> None:
        self.doc = names.doc
        self.lex = names.lex
        self.ents = names.ents
        self.short_names = names.short_names
        self._visiting: set[int] = set()
        # direct references, not a lookup through the collaborator on every call
        self._gazetteer = names.gazetteer
        self.country = names.country
        self.country_named = names.country_named
        self.person_named = names.person_named
        self.remember = names.remember
        self.pronoun = coref.pronoun
        self._pair_reference = coref.pair_reference
        self._last_parties = coref.last_parties
        self._last_persons = coref.last_persons
        self.affiliation = groups.affiliation
        self._group = groups.group
        self._affiliated_group = groups.affiliated_group
        self._affiliated_noun = groups.affiliated_noun
        self._office_holder = groups.office_holder
        self._compound_title = groups.compound_title
        self._counterpart = groups.counterpart
        self._described_person = groups.described_person
        self._describe_person = groups.describe_person

    def actors(self, tok: Token) -> list[Actor]:
        """The actors a head token stands for, following coordination ('Egypt, the US and Qatar')."""
        out: list[Actor] = []
        for t in [tok, *self._conjuncts(tok)]:
            if t.lower_ == "two" and any(c.lower_ == "the" for c in t.children):
                out.extend(self._last_persons(t.i, 2))
                continue
            if self._pair_reference(t):
                out.extend(a for a in self._last_parties(t.i) if a not in out)
                continue
            found = self._coordinated_groups(t) or [self.actor(t)]
            if t.i != tok.i and out and found == [None] and t.lemma_.lower() in self.lex.agents and out[0].cls != "Person":
                # 'the Philippine military and coast guard': the second head shares the first one's country
                affil = out[0].represents or out[0]
                found = [self._group(t, t.lemma_.lower(), affil)]
            for a in found:
                if a is not None and a not in out:
                    out.append(a)
        return out

    def _coordinated_groups(self, tok: Token) -> list[Actor]:
        """'US and British activists', 'the Turkish and Greek sides': one group per coordinated affiliation."""
        lemma = tok.lemma_.lower()
        is_agent = lemma in self.lex.agents
        if tok.pos_ != "NOUN" or not is_agent and (tok.tag_ == "VBG" or self.lex.rules_for(lemma, "NOUN")):
            return []
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and self.ents.get(c.i) is not None]
        heads = [m for m in mods if m.conjuncts]
        if not heads:
            return []
        coordinated = [heads[0], *heads[0].conjuncts]
        skip = {t.i for m in coordinated for t in m.subtree}
        rest = [t.text for t in tok.subtree if t.i < tok.i and t.i not in skip and t.dep_ not in ("det", "predet", "nummod")
                and not t.is_punct and t.tag_ != "POS"]
        groups = []
        for m in coordinated:
            ent = self.ents.get(m.i)
            affil = self._gazetteer(ent.ent_id_) if ent is not None and ent.ent_id_ else None
            if isinstance(affil, Place):
                affil = self.country(affil.country) if affil.country else None
            elif affil is None and ent is not None and ent.label_ in ("NORP", "GPE"):
                affil = self.country_named(ent.text)
            if isinstance(affil, Actor) and affil.cls != "Person":
                label = " ".join([m.text, *rest, tok.text])
                g = self._group(tok, lemma, affil, label) if is_agent else self._affiliated_group(tok, lemma, affil, label)
                if g is not None:
                    self.remember(tok, g)
                    groups.append(g)
        return groups

    def _conjuncts(self, tok: Token) -> list[Token]:
        """Coordinated heads after `tok`, also when the parser hung them on another word of the same name."""
        ent = self.ents.get(tok.i)
        words = list(ent) if ent is not None else [tok]
        out = {c for w in words for c in w.conjuncts if c.i > tok.i and c not in words}
        for w in words:  # 'The US, Russia, and Switzerland': the parser may hang the list on an apposition
            out |= {c for a in w.children if a.dep_ == "appos" and a.i in self.ents and a.conjuncts for c in (a, *a.conjuncts)}
        return sorted(out, key=lambda t: t.i)

    def description_agent(self, ent) -> dict | None:
        """The agent entry of an organisation name that only describes a body ('the Supreme Court', 'Ministry of
        Foreign Affairs': an agent word and office words, light_verbs.json), else None (a name: 'Hamas')."""
        words = [t.lower_ for t in ent if not t.is_punct]
        office = self.lex.light.get("office_words", ())
        heads = [t.lemma_.lower() for t in ent if t.lemma_.lower() in self.lex.agents]
        if heads and all(w in office or w in self.lex.agents for w in words):
            return self.lex.agents[heads[-1]]
        return None

    def actor(self, tok: Token) -> Actor | None:
        found = self._actor(tok)
        if found is not None:
            self.remember(tok, found)
        return found

    def _actor(self, tok: Token) -> Actor | None:
        """Guarded: an apposition may point back at its head ('the state, a party to the treaty')."""
        if tok.i in self._visiting:
            return None
        self._visiting.add(tok.i)
        try:
            return self._actor_of(tok)
        finally:
            self._visiting.discard(tok.i)

    def _actor_of(self, tok: Token) -> Actor | None:
        low = tok.lower_
        if tok.pos_ == "PRON" or low in PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS:
            return self.pronoun(tok)
        ent = self.ents.get(tok.i)
        if ent is not None:
            if ent.ent_id_:
                found = self._gazetteer(ent.ent_id_)
                if isinstance(found, Place):
                    return self.country(found.country) if found.country else None
                if found is not None and found.cls == "Country" and ent.label_ == "NORP" and tok.tag_ in ("NNPS", "NNS"):
                    # 'Nigerians', 'Palestinians': the people, who may act against their own state
                    return Actor(key=f"group/{slug(found.iso3 or '')}-people", cls="Group", label=ent.text,
                                 represents=found)
                if found is not None and found.cls == "Person":
                    self._describe_person(found, tok)
                return found
            if ent.label_ == "PERSON" or ent.text in self.short_names or tok.text in self.short_names:
                person = self.person_named(ent)
                if person is not None:
                    self._describe_person(person, tok)
                    for child in tok.children:  # 'Salaheddine Sidhoum, Algeria's leading activist'
                        if child.dep_ == "appos" and person.represents is None:
                            self._counterpart(child, person)
                    return person
            if ent.label_ == "ORG" and tok.pos_ == "PROPN":
                affil, _ = self.affiliation(tok)
                affil = affil if affil is not None and affil.cls != "Person" else None
                agent = self.description_agent(ent)
                if agent is not None:  # 'the Foreign Ministry': Mali's, or this article's; never every article's
                    words = [t.text for t in ent if t.dep_ != "det"]
                    while words and words[-1].lower() in ("of", "for", "and"):  # the NER's span ran on: 'Ministry of'
                        words.pop()
                    name = slug(" ".join(words))
                    key = f"org/{slug(affil.key.split('/', 1)[1])}-{name}" if affil is not None else f"local/org/{name}"
                    cls = agent.get("class", "Organization") if affil is not None and affil.cls == "Country" else "Organization"
                    return Actor(key=key, cls=cls, label=ent.text, represents=affil, sector=agent.get("sector"))
                return Actor(key=f"org/{slug(ent.text)}", cls="Organization", label=ent.text, represents=affil)
            if ent.label_ in ("NORP", "GPE"):
                country = self.country_named(ent.text)
                if country is not None:
                    return country
                if ent.label_ == "NORP" and tok.pos_ in ("PROPN", "NOUN") and tok.i == ent.root.i:
                    # 'Moslems', 'Tamils': a people no country stands for is still an actor; 'Iraqi Kurds' Iraq's
                    affil, _ = self.affiliation(tok)
                    if affil is not None and affil.cls != "Person":
                        label = " ".join(t.text for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "nummod", "quantmod"))
                        return Actor(key=f"group/{slug(affil.key.split('/', 1)[1])}-{slug(ent.text)}", cls="Group",
                                     label=label, represents=affil)
                    return Actor(key=f"group/{slug(ent.text)}", cls="Group", label=ent.text)
        elif tok.pos_ == "PROPN" and tok.text in self.short_names:
            return self.person_named(self.doc[tok.i:tok.i + 1])
        elif tok.pos_ == "PROPN":
            # the head of a name the NER cut short ('Mohammad Zia-Ul-Haq' tagged up to 'Zia'): the name's person
            named = next((self.ents[c.i] for c in tok.children if c.dep_ == "compound" and c.i in self.ents
                          and self.ents[c.i].label_ == "PERSON"), None)
            if named is not None:
                person = self.person_named(named)
                if person is not None:
                    self._describe_person(person, tok)
                    return person
        lemma = tok.lemma_.lower()
        appositive = None
        for child in tok.children:
            if child.dep_ == "appos":
                inner = self._actor(child)
                if inner is not None:
                    if inner.cls == "Person":
                        self._counterpart(tok, inner)
                        return inner
                    if self._coded(inner):
                        return inner
                    appositive = appositive or inner  # 'the UN refugee agency, UNHCR': the head says more
        found = self._head_actor(tok, lemma)
        return found if found is not None else appositive

    @staticmethod
    def _coded(actor: Actor) -> bool:
        """Whether an actor says whose it is: a country, an IGO, or a sector."""
        return bool(actor.country or actor.cls == "IntergovernmentalOrganization" or actor.sector
                    or actor.represents is not None)

    def _head_actor(self, tok: Token, lemma: str) -> Actor | None:
        """The actor a common-noun head describes: a generic head's affiliation, a quantity's 'of' phrase, a
        titled person or office, an agent noun's group, or any noun a country modifies."""
        if lemma in self.lex.light.get("generic_heads", ()):
            if tok.dep_ == "appos":
                return self._actor(tok.head)
            # 'opposition parties in Nepal'; a bare 'the state' is no one
            return self._affiliated_noun(tok, lemma, preps=("of", "from", "in"))
        if lemma in self.lex.light.get("quantity_heads", ()) or tok.pos_ == "NUM":
            of = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), None)
            if of is not None:
                return self._actor(of)  # 'thousands of Georgian protesters', 'a group of activists'
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        if lemma in self.lex.titles or self._compound_title(tok):
            person = self._described_person(tok)
            if person is not None:
                return person
            if tok.tag_ in ("NN", "NNP") and lemma not in ("counterpart", "leader", "chief") :
                office = self._office_holder(tok)
                if office is not None:
                    return office
        if lemma in self.lex.agents:
            return self._group(tok, lemma)
        return self._affiliated_noun(tok, lemma)
