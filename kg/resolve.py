"""Resolve noun phrases of a parsed article to actors and places, with coreference inside the article.

Named entities come from the gazetteer ruler (countries, organisations, places: ids like
`country:EGY`) and the statistical NER (persons). Titles, agent nouns and sectors come from
kg/data. One `ArticleResolver` lives for one article, so 'Blinken', 'he' and 'the top US diplomat'
find the 'US Secretary of State Antony Blinken' met earlier, and a name seen as a person anywhere
in the article is a person everywhere in it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from operator import attrgetter

from spacy.tokens import Doc, Span, Token

from .geonames import city_country
from .lexicon import Lexicon, slug

PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "themselves"}
HONORIFICS = {"mr", "mrs", "ms", "dr", "madame", "monsieur"}
NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "van", "von", "der", "-"}
MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod", "nummod"}


@dataclass(eq=False)
class Actor:
    """An actor as the graph will hold it; `key` becomes its IRI path (res:<key>)."""

    key: str
    cls: str  # ontology class local name: Person, Country, Organization, Group, Delegation, ...
    label: str
    iso3: str | None = None
    wikidata: str | None = None
    position: str | None = None
    represents: Actor | None = None
    sector: str | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Actor) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def country(self) -> str | None:
        """ISO3 of the country this actor is or represents."""
        if self.iso3:
            return self.iso3
        return self.represents.country if self.represents is not None and self.represents is not self else None


@dataclass(eq=False)
class Place:
    key: str
    label: str
    country: str | None = None
    wikidata: str | None = None


@dataclass
class Mention:
    index: int
    actor: Actor
    is_subject: bool


@dataclass
class ArticleResolver:
    doc: Doc
    lex: Lexicon
    persons: dict[str, Actor] = field(default_factory=dict)  # full name -> person
    short_names: dict[str, str] = field(default_factory=dict)  # surname / short form -> full name
    mentions: list[Mention] = field(default_factory=list)
    ents: dict[int, Span] = field(default_factory=dict)  # token index -> its entity
    entities: list[Span] = field(default_factory=list)  # doc.ents, read once: spaCy rebuilds it on every access
    text: str = ""  # doc.text, read once: spaCy joins the tokens' texts on every access
    _countries: dict[str, Actor] = field(default_factory=dict)
    _visiting: set[int] = field(default_factory=set)
    _known_people: dict[str, Actor] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.text = self.doc.text
        self.entities = list(self.doc.ents)  # in text order, never overlapping
        for ent in self.entities:
            for i in range(ent.start, ent.end):  # indices, not Token objects
                self.ents[i] = ent
        self._register_people()
        self._register_named_mentions()

    # ----------------------------------------------------------------- registries
    def _name_tokens(self, span: Span) -> list[Token]:
        toks = list(span)
        while toks and self._title_word(toks[0]):  # 'President Bush', 'Mr. Putin'; but 'Tom King' keeps 'King'
            toks.pop(0)
        toks = [t for t in toks if not (t.is_punct and t.text != "-")]
        while toks and toks[-1].tag_ == "POS":
            toks.pop()
        return toks

    def _register_people(self) -> None:
        """Pre-pass over the whole article: every multi-word PERSON name and its short forms."""
        for ent in self.entities:
            if ent.label_ != "PERSON":
                continue
            toks = self._name_tokens(ent)
            if len(toks) < 2:
                continue
            if ent.ent_id_.startswith("person:"):
                known = self.known_person(ent.ent_id_.split(":", 1)[1])
                if known is None:
                    continue
                full = known.label
            else:
                full = self._join(toks)
                self.persons.setdefault(full, Actor(key=f"person/{slug(full)}", cls="Person", label=full))
            words = [re.sub(r"^(al|el|ad|as|ash)-", "", t.text, flags=re.I) for t in toks if t.lower_ not in NAME_PARTICLES]
            if words:
                self.short_names.setdefault(words[-1], full)
                self.short_names.setdefault(self._join(toks[-2:]) if len(toks) > 2 else words[-1], full)

    @staticmethod
    def _join(toks: list[Token]) -> str:
        out = ""
        for t in toks:
            out += t.text + (t.whitespace_ if t is not toks[-1] else "")
        return out.strip()

    def entities_in(self, span: Span) -> list[Span]:
        """The entities inside `span` (Span.ents would rebuild all of doc.ents to find them)."""
        out = []
        for k in range(bisect_left(self.entities, span.start, key=attrgetter("start")), len(self.entities)):
            ent = self.entities[k]
            if ent.start >= span.end:
                break
            if ent.end <= span.end:
                out.append(ent)
        return out

    def _register_named_mentions(self) -> None:
        for ent in self.entities:
            actor = self._actor_of_entity(ent)
            if actor is not None:
                self.mentions.append(Mention(ent.start, actor, ent.root.dep_ in ("nsubj", "nsubjpass")))
        self.mentions.sort(key=lambda m: m.index)

    def remember(self, tok: Token, actor: Actor) -> None:
        # kept in text order; insort places it after mentions at the same index, as append-then-sort would
        insort(self.mentions, Mention(tok.i, actor, tok.dep_ in ("nsubj", "nsubjpass")), key=lambda m: m.index)

    # ----------------------------------------------------------------- gazetteer
    def country(self, iso3: str) -> Actor | None:
        if iso3 in self._countries:
            return self._countries[iso3]
        c = self.lex.countries.get(iso3)
        if c is None:
            return None
        actor = Actor(key=f"country/{iso3}", cls="Country", label=c["name"], iso3=iso3, wikidata=c.get("wikidata"))
        self._countries[iso3] = actor
        return actor

    def organization(self, oid: str) -> Actor | None:
        o = self.lex.organizations.get(oid)
        if o is None:
            return None
        rep = self.country(o["country"]) if o.get("country") else None
        return Actor(key=f"org/{oid}", cls=o.get("type", "Organization"), label=o["name"],
                     wikidata=o.get("wikidata"), represents=rep, sector=o.get("sector"))

    def known_person(self, pid: str) -> Actor | None:
        """A person of the gazetteer, with the country and sector it gives; one object per article."""
        if pid in self._known_people:
            return self._known_people[pid]
        p = self.lex.persons.get(pid)
        if p is None:
            return None
        actor = Actor(key=f"person/{pid}", cls="Person", label=p["name"],
                      represents=self.country(p["country"]) if p.get("country") else None, sector=p.get("sector"))
        self._known_people[pid] = actor
        self.persons.setdefault(p["name"], actor)
        return actor

    def place_of_id(self, name: str) -> Place | None:
        p = self.lex.places.get(name)
        if p is None:
            return None
        return Place(key=f"place/{slug(name)}", label=name, country=p.get("country"), wikidata=p.get("wikidata"))

    def _gazetteer(self, ent_id: str) -> Actor | Place | None:
        kind, _, value = ent_id.partition(":")
        if kind == "country":
            return self.country(value)
        if kind == "org":
            return self.organization(value)
        if kind == "place":
            return self.place_of_id(value)
        if kind == "person":
            return self.known_person(value)
        return None

    def _actor_of_entity(self, ent: Span) -> Actor | None:
        if ent.ent_id_:
            found = self._gazetteer(ent.ent_id_)
            if isinstance(found, Place):
                return self.country(found.country) if found.country else None
            return found
        text = ent.text
        if ent.label_ == "PERSON" or text in self.short_names or text in self.persons:
            return self.person_named(ent)
        return None

    # ----------------------------------------------------------------- persons
    def person_named(self, span: Span) -> Actor | None:
        toks = self._name_tokens(span)
        if not toks:
            return None
        text = self._join(toks)
        full = text if text in self.persons else self.short_names.get(text) or self.short_names.get(toks[-1].text)
        if full is None and len(toks) == 1:
            # 'Mr Xi' after 'Xi Jinping': an honorific and one part of a name met earlier, if only one name has it
            hits = {name for name in self.persons if toks[0].text in name.split()}
            full = hits.pop() if len(hits) == 1 else None
        if full is None and len(toks) == 1 and self._titled(span):
            known = self._titled_surname(toks[0].text)
            if known is not None:
                return known
        if full is None:
            if not any(t.pos_ == "PROPN" for t in toks):
                return None
            full = text
            self.persons[full] = Actor(key=f"person/{slug(full)}", cls="Person", label=full)
        return self.persons[full]

    def _title_word(self, tok: Token) -> bool:
        low = tok.lower_
        return low in self.lex.titles or low.rstrip(".") in HONORIFICS or low in self.lex.title_first_words or \
            tok.is_punct and tok.text != "-"

    def _titled(self, span: Span) -> bool:
        """'President Bush', 'Mr. Putin': one name, the span's last word, right after a title or an honorific."""
        prev = self.doc[span.start - 1] if span.start > 0 else None
        names = [t for t in span if not self._title_word(t)]
        return len(names) == 1 and names[0].i == span.end - 1 and \
            any(t is not None and self._title_word(t) and not t.is_punct for t in (prev, span[0]))

    def _titled_surname(self, surname: str) -> Actor | None:
        """A titled surname the article never spelled out ('President Bush'): the gazetteer's person of that
        surname, or, when several share it and one country, a person of that country; none if countries differ."""
        pids = self.lex.persons_by_surname(surname)
        countries = {self.lex.persons[p].get("country") for p in pids}
        if not pids or len(countries) != 1 or None in countries:
            return None
        if len(pids) == 1:
            return self.known_person(pids[0])
        person = self.persons.setdefault(surname, Actor(key=f"person/{slug(surname)}", cls="Person", label=surname,
                                                         represents=self.country(countries.pop())))
        return person

    def _describe_person(self, person: Actor, head: Token) -> None:
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

    def _title_keys(self, title: str) -> list[str]:
        words = title.lower().split()
        return [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]

    def _title_sector(self, title: str) -> str | None:
        best = None
        for key in self._title_keys(title):
            row = self.lex.titles.get(key)
            if row is not None and (best is None or len(key) > len(best[0])):
                best = (key, row.get("sector"))
        return best[1] if best else None

    # ----------------------------------------------------------------- main entry points
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
            if t is not tok and out and found == [None] and t.lemma_.lower() in self.lex.agents and out[0].cls != "Person":
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
                return Actor(key=f"org/{slug(ent.text)}", cls="Organization", label=ent.text,
                             represents=affil if affil is not None and affil.cls != "Person" else None)
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

    def _affiliated_noun(self, tok: Token, lemma: str, preps: tuple[str, ...] = ("of", "from")) -> Actor | None:
        """Any noun phrase a country or organisation modifies stands for it, as event coders read news
        ('Danish Web sites', 'an Indian proposal', 'Russian Jewish immigrants'): a group tied to that actor."""
        if not (tok.pos_ == "NOUN" or tok.tag_ == "NNPS") or tok.tag_ == "VBG" or self.lex.rules_for(lemma, "NOUN"):
            return None  # 'the fighting in Gaza', 'Israeli attacks': happenings, not actors
        affil, _ = self.affiliation(tok, preps=preps)
        if affil is None or affil.cls == "Person":
            return None
        return self._affiliated_group(tok, lemma, affil)

    def _affiliated_group(self, tok: Token, lemma: str, affil: Actor, label: str | None = None) -> Actor:
        label = label or " ".join(t.text for t in tok.subtree if t.i <= tok.i and t.dep_ not in (
            "det", "predet", "nummod", "advmod", "quantmod") and not t.is_punct and t.tag_ != "POS")
        return Actor(key=f"group/{slug(affil.key.split('/', 1)[1])}-{slug(lemma)}", cls="Group", label=label or tok.text,
                     represents=affil)

    def country_named(self, text: str) -> Actor | None:
        """A country for a name or demonym the gazetteer lacks ('Serb', 'Kampuchean'): the one country one of whose
        names starts like it (a name of five letters or more, a text of four or more, one a prefix of the other
        but for a letter)."""
        iso3 = self.lex.country_by_name(text)
        return self.country(iso3) if iso3 else None

    def _office_holder(self, tok: Token) -> Actor | None:
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

    def _compound_title(self, tok: Token) -> bool:
        words = [c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")] + [tok.lower_]
        return " ".join(words[-2:]) in self.lex.titles

    def _counterpart(self, head: Token, person: Actor) -> None:
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

    def _described_person(self, tok: Token) -> Actor | None:
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

    def _group(self, tok: Token, lemma: str, affil: Actor | None = None, label: str | None = None) -> Actor | None:
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
                return Actor(key=f"group/{'-'.join(modifiers + [lemma])}", cls="Group", label=tok.text.lower()
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

    # ----------------------------------------------------------------- coreference
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

    def _pair_reference(self, tok: Token) -> bool:
        """'the two sides', 'both parties', 'the two countries': a reference to the last two parties."""
        if tok.lemma_.lower() not in self.lex.light.get("pair_heads", ()) or tok.tag_ not in ("NNS", "NNPS"):
            return False
        return any(c.lower_ in ("two", "both") for c in tok.children)

    def _last_parties(self, before: int) -> list[Actor]:
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
            if ent is not None and ent.ent_id_.startswith("place:") or doc[m.index].dep_ == "pobj" and \
                    doc[m.index].head.lower_ in ("in", "at", "near", "to", "from"):
                continue  # 'met in Cairo': a place, not a party
            country = m.actor.country or m.actor.key
            if country in countries:
                continue
            countries.add(country)
            out.append(m.actor)
            if len(out) == 2:
                return list(reversed(out))
        return []

    def _last_persons(self, before: int, n: int) -> list[Actor]:
        out: list[Actor] = []
        for m in reversed(self.mentions):
            if m.index < before and m.actor.cls == "Person" and m.actor not in out:
                out.append(m.actor)
                if len(out) == n:
                    break
        return out

    # ----------------------------------------------------------------- places
    def place(self, tok: Token) -> Place | Actor | None:
        ent = self.ents.get(tok.i)
        if ent is None:
            return None
        if ent.ent_id_:
            found = self._gazetteer(ent.ent_id_)
            if isinstance(found, Place) or (isinstance(found, Actor) and found.cls == "Country"):
                return found
            return None
        if ent.label_ in ("GPE", "LOC", "FAC") and ent.text not in self.short_names:
            return Place(key=f"place/{slug(ent.text)}", label=ent.text,
                         country=city_country(ent.text) if ent.label_ == "GPE" else None)
        return None


def _plural(label: str) -> bool:
    """Whether a group's label ends in a plural noun ('Israeli troops', 'the Kurds'; not 'the Nigerian Union')."""
    last = label.split()[-1].lower() if label.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))
