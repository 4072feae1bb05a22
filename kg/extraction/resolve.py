"""Resolve noun phrases of a parsed article to actors and places, with coreference inside the article.

Named entities come from the gazetteer ruler (countries, organisations, places: ids like
`country:EGY`) and the statistical NER (persons). Titles, agent nouns and sectors come from
kg/data. One `ArticleResolver` lives for one article, so 'Blinken', 'he' and 'the top US diplomat'
find the 'US Secretary of State Antony Blinken' met earlier, and a name seen as a person anywhere
in the article is a person everywhere in it.

`ArticleResolver` is the entry point; the work is split by concern into collaborators that share
the article's registries (built by `ArticleNames`):

- resolve_names.ArticleNames: registries of persons, short names and mentions; gazetteer, name,
  title and place look-ups.
- resolve_actors.ActorResolver: noun phrase -> actor(s), coordination, appositions.
- resolve_groups.GroupResolver: affiliations, groups, office holders, counterparts, described persons.
- resolve_coref.Coreference: pronouns, 'the two sides', 'the two'.

The public methods are the collaborators' bound methods stored on the instance, so a call costs
no more than it did when they were one class.
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from ..lexicon.entries import Lexicon
from .actors import Actor, Mention, Place
from .resolve_actors import ActorResolver
from .resolve_coref import Coreference
from .resolve_groups import GroupResolver
from .resolve_names import ArticleNames


class ArticleResolver:
    """One article's resolver: builds the registries, wires the collaborators, exposes their entry points."""

    doc: Doc
    lex: Lexicon
    persons: dict[str, Actor]  # full name -> person
    short_names: dict[str, str]  # surname / short form -> full name
    mentions: list[Mention]  # in text order
    ents: dict[int, Span]  # token index -> its entity
    entities: list[Span]  # doc.ents, read once: spaCy rebuilds it on every access
    text: str  # doc.text, read once: spaCy joins the tokens' texts on every access

    actors: Callable[[Token], list[Actor]]
    actor: Callable[[Token], Actor | None]
    affiliation: Callable[..., tuple[Actor | None, list[str]]]
    pronoun: Callable[[Token], Actor | None]
    place: Callable[[Token], Place | Actor | None]
    country: Callable[[str], Actor | None]
    country_named: Callable[[str], Actor | None]
    organization: Callable[[str], Actor | None]
    known_person: Callable[[str], Actor | None]
    place_of_id: Callable[[str], Place | None]
    person_named: Callable[[Span], Actor | None]
    entities_in: Callable[[Span], list[Span]]
    remember: Callable[[Token, Actor], None]

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        names = ArticleNames(doc, lex)  # reads the article and registers its persons and named mentions
        coref = Coreference(names)
        groups = GroupResolver(names, coref)
        actors = ActorResolver(names, coref, groups)
        coref._actor = actors._actor  # pronouns of parallel clauses and reported speech resolve their antecedent phrase
        self.names, self.coref, self.groups, self.resolver = names, coref, groups, actors

        self.doc = doc
        self.lex = lex
        self.persons = names.persons
        self.short_names = names.short_names
        self.mentions = names.mentions
        self.ents = names.ents
        self.entities = names.entities
        self.text = names.text

        self.actors = actors.actors
        self.actor = actors.actor
        self.affiliation = groups.affiliation
        self.pronoun = coref.pronoun
        self.place = names.place
        self.country = names.country
        self.country_named = names.country_named
        self.organization = names.organization
        self.known_person = names.known_person
        self.place_of_id = names.place_of_id
        self.person_named = names.person_named
        self.entities_in = names.entities_in
        self.remember = names.remember
