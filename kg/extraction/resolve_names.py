"""The per-article registries and name look-ups the resolver shares between its parts.

`ArticleNames` reads the article once (text, entities, token -> entity), registers every person
named in it and every named mention, and turns gazetteer ids, person names and titles into actors
and places. It owns the article's state (the dicts and the mention list): the other parts of the
resolver hold direct references to these same objects, so they all see one registry.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from operator import attrgetter

from spacy.tokens import Doc, Span, Token

from ..lexicon.entries import Lexicon, slug
from ..lexicon.geonames import city_country
from .actors import Actor, Mention, Place

HONORIFICS = {"mr", "mrs", "ms", "dr", "madame", "monsieur"}
NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "van", "von", "der", "-"}


class ArticleNames:
    """One article's persons, short names and mentions, and the gazetteer's actors and places for it."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.lex = lex
        self.persons: dict[str, Actor] = {}  # full name -> person
        self.short_names: dict[str, str] = {}  # surname / short form -> full name
        self.mentions: list[Mention] = []
        self.ents: dict[int, Span] = {}  # token index -> its entity
        self.text = doc.text  # read once: spaCy joins the tokens' texts on every access
        self.entities: list[Span] = list(doc.ents)  # read once: spaCy rebuilds it on every access; in text order, never overlapping
        self._countries: dict[str, Actor] = {}
        self._known_people: dict[str, Actor] = {}
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
            words = [re.sub(r"^(al|el|ad|as|ash)-", "", t.text, flags=re.IGNORECASE) for t in toks if t.lower_ not in NAME_PARTICLES]
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

    def gazetteer(self, ent_id: str) -> Actor | Place | None:
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
            found = self.gazetteer(ent.ent_id_)
            if isinstance(found, Place):
                return self.country(found.country) if found.country else None
            return found
        text = ent.text
        if ent.label_ == "PERSON" or text in self.short_names or text in self.persons:
            return self.person_named(ent)
        return None

    def country_named(self, text: str) -> Actor | None:
        """A country for a name or demonym the gazetteer lacks ('Serb', 'Kampuchean'): the one country one of whose
        names starts like it (a name of five letters or more, a text of four or more, one a prefix of the other
        but for a letter)."""
        iso3 = self.lex.country_by_name(text)
        return self.country(iso3) if iso3 else None

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

    def title_keys(self, title: str) -> list[str]:
        words = title.lower().split()
        return [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]

    def title_sector(self, title: str) -> str | None:
        best = None
        for key in self.title_keys(title):
            row = self.lex.titles.get(key)
            if row is not None and (best is None or len(key) > len(best[0])):
                best = (key, row.get("sector"))
        return best[1] if best else None

    # ----------------------------------------------------------------- places
    def place(self, tok: Token) -> Place | Actor | None:
        ent = self.ents.get(tok.i)
        if ent is None:
            return None
        if ent.ent_id_:
            found = self.gazetteer(ent.ent_id_)
            if isinstance(found, Place) or (isinstance(found, Actor) and found.cls == "Country"):
                return found
            return None
        if ent.label_ in ("GPE", "LOC", "FAC") and ent.text not in self.short_names:
            return Place(key=f"place/{slug(ent.text)}", label=ent.text,
                         country=city_country(ent.text) if ent.label_ == "GPE" else None)
        return None
