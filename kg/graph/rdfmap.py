"""Map one article's extracted events and actors to RDF, with deterministic IRIs and provenance.

IRIs depend only on content: an event on its article, sentence offset, trigger and class; a country
on its ISO3 code; a person on the normalised full name; an outlet or author on its name (kg/reading/bylines.py).
The same input always gives the same graph, and the same entity in two articles is one node.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF as _RDF
from rdflib.namespace import RDFS as _RDFS
from rdflib.namespace import XSD as _XSD

from .. import __version__
from ..extraction.actors import Actor, Place
from ..extraction.records import ArticleEvents, EventRecord, Evidence
from ..namespace import DCTERMS as _DCTERMS
from ..namespace import DIP, NIF, PREFIXES, PROV, RES, Cached
from ..namespace import SEM as _SEM
from ..reading.article import Article
from ..reading.bylines import PERSON, Agent, creators, outlet

SOFTWARE = RES["agent/diplokg"]
LOCAL = "local/"  # an actor key's prefix for an actor of one article only (kg/extraction/resolve_actors.py)
FACTUALITY = {"asserted": DIP.Asserted, "negated": DIP.Negated, "hypothetical": DIP.Hypothetical, "future": DIP.Future}
SECTOR = {"GOV": DIP.Government, "MIL": DIP.Military, "COP": DIP.Police, "SPY": DIP.Intelligence, "REB": DIP.Rebels,
          "OPP": DIP.Opposition, "CVL": DIP.Civilians, "LEG": DIP.Legislature, "JUD": DIP.Judiciary, "MED": DIP.Media,
          "BUS": DIP.Business}
TOPIC = {"ceasefire": DIP.CeasefireTopic, "hostages": DIP.HostagesTopic, "aid": DIP.AidTopic, "peace": DIP.PeaceTopic,
         "sanctions": DIP.SanctionsTopic, "nuclear": DIP.NuclearTopic, "border": DIP.BorderTopic,
         "trade": DIP.TradeTopic, "security": DIP.SecurityTopic}


_RES = str(RES)
DATE_TYPES = {"date": _XSD.date, "gYearMonth": _XSD.gYearMonth, "gYear": _XSD.gYear}
D, N, P, SEM = Cached(DIP), Cached(NIF), Cached(PROV), Cached(_SEM)
RDF, RDFS, XSD, DCTERMS = Cached(_RDF), Cached(_RDFS), Cached(_XSD), Cached(_DCTERMS)  # same terms, looked up once


@lru_cache(maxsize=1 << 16)
def plain(value: str) -> Literal:
    """A plain literal for a value that recurs across articles (labels, codes, positions): built once."""
    return Literal(value)


@lru_cache(maxsize=1 << 16)
def typed(lexical: str, datatype: URIRef) -> Literal:
    """A typed literal whose values recur (dates, offsets, confidences): built once, keyed by its lexical form."""
    return Literal(lexical, datatype=datatype)


@lru_cache(maxsize=None)
def _term(local: str) -> URIRef:
    return DIP[local]


def _iri_char_ok(ch: str) -> bool:
    """RFC 3987 iunreserved (plus '/'): what may stand unescaped in a minted IRI path."""
    o = ord(ch)
    if o < 0x80:
        return ch.isalnum() or ch in "-._~/"
    return (0xA0 <= o <= 0xD7FF or 0xF900 <= o <= 0xFDCF or 0xFDF0 <= o <= 0xFFEF
            or (0x10000 <= o <= 0xEFFFD and (o & 0xFFFF) < 0xFFFE))


_ASCII_SAFE = re.compile(r"[A-Za-z0-9\-._~/]*")  # _iri_char_ok's ASCII characters, tested in C


def safe_path(path: str) -> str:
    """`path` with every character an IRI may not hold (U+FFFD, controls, spaces, '%', lone surrogates)
    percent-encoded as UTF-8: deterministic and injective, so any text mints a valid IRI."""
    if _ASCII_SAFE.fullmatch(path) if path.isascii() else all(_iri_char_ok(ch) for ch in path):
        return path
    return "".join(ch if _iri_char_ok(ch) else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
                   for ch in path)


def res(path: str) -> URIRef:
    return URIRef(_RES + safe_path(path))


@lru_cache(maxsize=50_000)
def entity(key: str) -> URIRef:
    """An actor's or place's IRI, cached: they recur across articles (events and sentences do not)."""
    return URIRef(_RES + safe_path(key))


class Triples:
    """A light triple set for one article: what the pipeline needs of a Graph at a fraction of the cost."""

    __slots__ = ("_all", "_by_subject")

    def __init__(self) -> None:
        self._all: set[tuple] = set()
        self._by_subject: dict = {}

    def add(self, triple: tuple) -> None:
        n = len(self._all)
        self._all.add(triple)  # hashed once (a Literal's hash is Python code), not once to test and once to add
        if len(self._all) != n:
            self._by_subject.setdefault(triple[0], []).append(triple)

    def __iter__(self):
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def triples(self, pattern: tuple):
        s, p, o = pattern
        pool = self._by_subject.get(s, ()) if s is not None else self._all
        # `is` first: terms are mostly shared objects, and rdflib's == is Python code
        return [t for t in pool if (p is None or t[1] is p or t[1] == p) and (o is None or t[2] is o or t[2] == o)]

    def __contains__(self, pattern: tuple) -> bool:
        if None not in pattern:
            return pattern in self._all
        s, p, o = pattern
        for t in self._by_subject.get(s, ()) if s is not None else self._all:  # a loop: stops at the first
            if (p is None or t[1] is p or t[1] == p) and (o is None or t[2] is o or t[2] == o):
                return True
        return False

    def value(self, s, p):
        found = self.triples((s, p, None))
        return found[0][2] if found else None

    def subjects(self, p, o):
        return [t[0] for t in self._all if t[1] == p and (o is None or t[2] == o)]

    def to_graph(self) -> Graph:
        g = new_graph()
        for t in self._all:
            g.add(t)
        return g


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def vocabulary_graph() -> Graph:
    """The SKOS vocabularies events point to (factuality, sectors, topics), shipped with every graph."""
    from rdflib.namespace import SKOS

    from ..resources import load_ontology

    ont = load_ontology()
    g = new_graph()
    concepts = set(ont.subjects(SKOS.inScheme, None)) | set(ont.objects(None, SKOS.inScheme))
    for c in concepts:
        for t in ont.triples((c, None, None)):
            g.add(t)
    return g


def article_iri(article: Article) -> URIRef:
    return res(f"article/{article.doc_id}")


@dataclass
class Mapped:
    """An article's graph, and which subjects are events (for quarantine and counting)."""

    graph: Triples
    article: URIRef
    events: dict[URIRef, EventRecord]
    sentences: dict[URIRef, str]


class RdfMapper:
    def __init__(self, model: str, run_time: dt.datetime | None = None, class_plover: dict[str, str] | None = None,
                 class_cameo: dict[str, str] | None = None):
        self.model = model
        self.run_time = run_time or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self.class_plover = class_plover or {}
        self.class_cameo = class_cameo or {}
        self._doc_id = ""  # the article being mapped (article-local actors' IRIs)

    def map(self, article: Article, extracted: ArticleEvents) -> Mapped:
        g = Triples()
        doc_id = self._doc_id = article.doc_id  # computed from the file name on each use: once here
        art = res(f"article/{doc_id}")  # article_iri(article)
        self._article(g, art, article, extracted)
        run = res(f"run/{doc_id}-{article.content_hash[:12]}")
        g.add((run, RDF.type, D.ExtractionRun))
        g.add((run, RDFS.label, Literal(f"DiploKG {__version__} extraction of {article.name}")))
        g.add((run, P.used, art))
        g.add((run, P.wasAssociatedWith, SOFTWARE))
        g.add((run, P.startedAtTime, Literal(self.run_time.isoformat(), datatype=XSD.dateTime)))
        g.add((run, D.model, plain(self.model)))
        g.add((run, D.extractorVersion, plain(__version__)))
        g.add((SOFTWARE, RDF.type, P.SoftwareAgent))
        g.add((SOFTWARE, RDFS.label, Literal(f"DiploKG {__version__}")))
        events: dict[URIRef, EventRecord] = {}
        sentences: dict[URIRef, str] = {}
        described: dict[tuple[int, int], URIRef] = {}  # a sentence's triples depend on its offsets only: added once

        def sentence(e: Evidence) -> URIRef:
            sent = described.get((e.start, e.end))
            if sent is None:
                sent = described[e.start, e.end] = self._sentence(g, art, article, e, doc_id)
            return sent

        for ev in extracted.events:
            iri = res(f"event/{ev.key(doc_id)}")
            sents = [sentence(e) for e in ev.evidence]
            for sent, e in zip(sents, ev.evidence):
                sentences[sent] = e.text
            self._event(g, iri, ev, art, run, sents)
            events[iri] = ev
        return Mapped(graph=g, article=art, events=events, sentences=sentences)

    # ------------------------------------------------------------------ pieces
    @staticmethod
    def _article(g: Triples, art: URIRef, article: Article, extracted: ArticleEvents) -> None:
        g.add((art, RDF.type, D.Article))
        g.add((art, RDFS.label, Literal(article.name)))
        g.add((art, D.fileName, Literal(article.name)))
        g.add((art, D.contentHash, Literal(article.content_hash)))
        g.add((art, D.charLength, Literal(len(article.text), datatype=XSD.integer)))
        g.add((art, N.isString, Literal(article.text)))  # the text the sentence offsets index (NIF)
        for value, prop, datatype in ((article.title, DCTERMS.title, None), (article.source, DCTERMS.source, None),
                                      (article.date, DCTERMS.date, XSD.date), (article.author, D.byline, None),
                                      (article.url, DCTERMS.identifier, XSD.anyURI)):
            if value:  # what the page or the text states about itself (kg/reading/pages.py)
                g.add((art, prop, Literal(value, datatype=datatype)))
        publisher = outlet(article.site)
        if publisher is not None:
            g.add((art, DCTERMS.publisher, RdfMapper._agent(g, publisher)))
        for author in creators(article.author, article.site):
            g.add((art, DCTERMS.creator, RdfMapper._agent(g, author)))

    @staticmethod
    def _agent(g: Triples, agent: Agent) -> URIRef:
        """An outlet or author: a Dublin Core agent that is a PROV person or organisation, named by its label."""
        iri = entity(agent.key)
        g.add((iri, RDF.type, DCTERMS.Agent))
        g.add((iri, RDF.type, P.Person if agent.kind == PERSON else P.Organization))
        g.add((iri, RDFS.label, plain(agent.label)))
        return iri

    @staticmethod
    def _sentence(g: Triples, art: URIRef, article: Article, evidence: Evidence, doc_id: str) -> URIRef:
        start, end = evidence.start, evidence.end
        sent = res(f"sentence/{doc_id}-{start}-{end}")
        # Offsets are xsd:integer, not NIF's nonNegativeInteger: Oxigraph stores derived integer types
        # as xsd:integer, and a graph must read back exactly as it was written.
        g.add((sent, RDF.type, N.Sentence))
        g.add((sent, N.anchorOf, Literal(article.text[start:end])))
        g.add((sent, N.beginIndex, typed(str(start), XSD.integer)))
        g.add((sent, N.endIndex, typed(str(end), XSD.integer)))
        g.add((sent, N.referenceContext, art))
        g.add((sent, D.article, art))
        return sent

    def _event(self, g: Triples, iri: URIRef, ev: EventRecord, art: URIRef, run: URIRef, sents: list[URIRef]) -> None:
        g.add((iri, RDF.type, _term(ev.cls)))
        cameo = ev.cameo or self.class_cameo.get(ev.cls)
        plover = self.class_plover.get(ev.cls)
        g.add((iri, RDFS.label, Literal(self._label(ev))))
        if plover:
            g.add((iri, D.ploverType, plain(plover)))
        if cameo:
            g.add((iri, D.cameoCode, plain(cameo)))
        for prop, actors in ((D.sourceActor, ev.sources), (D.targetActor, ev.targets),
                             (D.participant, ev.participants), (D.mediator, ev.mediators)):
            for a in actors:
                g.add((iri, prop, self._actor(g, a)))
        if ev.place is not None:
            g.add((iri, D.place, self._place(g, ev.place)))
        if ev.date is not None:
            value, kind = ev.date
            if kind == "week":  # "last week": the interval it names, not a made-up day (SEM's uncertain time)
                first, last = value.split("/")
                g.add((iri, SEM.hasEarliestBeginTimeStamp, typed(first, XSD.date)))
                g.add((iri, SEM.hasLatestEndTimeStamp, typed(last, XSD.date)))
            else:
                g.add((iri, D.date, typed(value, DATE_TYPES[kind])))
        g.add((iri, D.factuality, FACTUALITY[ev.factuality]))
        for topic in sorted(ev.topics):
            g.add((iri, D.topic, TOPIC[topic]))
        g.add((iri, D.confidence, typed(str(Decimal(str(ev.confidence))), XSD.decimal)))
        for sent in sents:
            g.add((iri, D.evidence, sent))
        g.add((iri, D.article, art))
        g.add((iri, P.wasGeneratedBy, run))

    @staticmethod
    def _label(ev: EventRecord) -> str:
        who = " and ".join(a.label for a in ev.sources)
        whom = " and ".join(a.label for a in ev.targets)
        return f"{ev.cls}: {who}" + (f" -> {whom}" if whom else "")

    def _actor(self, g: Triples, a: Actor) -> URIRef:
        # an actor only described ('the Foreign Ministry' of no named country) is its article's own, in its graph
        iri = res(f"actor/{self._doc_id}/{a.key[len(LOCAL):]}") if a.key.startswith(LOCAL) else entity(a.key)
        if (iri, RDF.type, None) in g:
            return iri
        g.add((iri, RDF.type, _term(a.cls)))
        g.add((iri, RDFS.label, plain(a.label)))
        if a.iso3:
            g.add((iri, D.iso3, plain(a.iso3)))
        if a.wikidata:
            g.add((iri, D.wikidata, plain(a.wikidata)))
        if a.position:
            g.add((iri, D.position, plain(a.position)))
        if a.sector and a.sector in SECTOR:
            g.add((iri, D.sector, SECTOR[a.sector]))
        if a.represents is not None and a.represents.key != a.key:
            g.add((iri, D.represents, self._actor(g, a.represents)))
        return iri

    def _place(self, g: Triples, p: Place | Actor) -> URIRef:
        if isinstance(p, Actor):
            return self._actor(g, p)
        iri = entity(p.key)
        g.add((iri, RDF.type, D.Place))
        g.add((iri, RDFS.label, plain(p.label)))
        if p.wikidata:
            g.add((iri, D.wikidata, plain(p.wikidata)))
        return iri


