"""The vocabularies DiploKG writes, in one place: code names terms through these, never by IRI strings.

`DIP` is generated from ontology/diplomacy.ttl by tools/gen_namespace.py and fails fast on a term the
ontology does not define; tests/test_ontology.py regenerates it and diffs, so code and ontology agree.
"""
from __future__ import annotations

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["DIP", "SEM", "NIF", "PROV", "DCTERMS", "SKOS", "RDF", "RDFS", "OWL", "XSD", "RES", "PREFIXES"]

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
RES = Namespace("https://w3id.org/diplokg/resource/")
ONTOLOGY_IRI = URIRef("https://w3id.org/diplokg/ontology")


class DIP(DefinedNamespace):
    """DiploKG ontology terms (https://w3id.org/diplokg/ontology#)."""

    _fail = True
    _NS = Namespace("https://w3id.org/diplokg/ontology#")

    # Classes
    Accusation: URIRef  # An actor accuses another of wrongdoing.
    Accuse: URIRef  # PLOVER ACCUSE: disapprove, criticise, condemn, accuse or allege, sue, investigate.
    Actor: URIRef  # Anyone who can do something in a diplomatic event: a person, a country, an organisation or
    Agree: URIRef  # PLOVER AGREE: agree to, offer, promise or otherwise indicate willingness or commitment to 
    Aid: URIRef  # PLOVER AID: provide material aid whose benefits accrue primarily to the recipient.
    AirStrike: URIRef  # An actor bombs or strikes from the air.
    ArmedGroup: URIRef  # A non-state armed organisation, such as Hamas or Hezbollah.
    Arrest: URIRef  # An actor arrests, detains or jails people.
    Article: URIRef  # A news article that DiploKG read; sentence offsets refer to its text after clean-up.
    Assault: URIRef  # PLOVER ASSAULT: deliberate actions that can cause substantial physical harm: attacks, stri
    Attack: URIRef  # An actor attacks, fights or uses conventional military force.
    Blockade: URIRef  # An actor imposes a blockade or restricts movement.
    Blocking: URIRef  # An actor blocks, vetoes or obstructs a meeting, resolution or decision.
    Ceasefire: URIRef  # An actor declares or observes a truce or ceasefire.
    Coerce: URIRef  # PLOVER COERCE: repression, restrictions on rights, arrests, blockades, coercive uses of po
    Concede: URIRef  # PLOVER CONCEDE: verbal concessions without immediate material consequence, such as a promi
    Condemnation: URIRef  # An actor condemns, criticises or denounces another or its actions.
    Consult: URIRef  # PLOVER CONSULT: consultations and meetings: visiting, hosting, meeting at a third location
    Cooperate: URIRef  # PLOVER COOPERATE: initiate, resume or expand mutual material cooperation or exchange.
    Country: URIRef  # A sovereign or observer state, identified by its ISO 3166-1 alpha-3 code; both an actor an
    Delegation: URIRef  # A group sent to act for a country or organisation, such as an Egyptian mediation delegatio
    Demand: URIRef  # An actor urges, calls on, asks or demands another to act.
    Demonstration: URIRef  # People demonstrate, rally or march.
    Deployment: URIRef  # An actor deploys or mobilises troops or police.
    Easing: URIRef  # An actor eases restrictions or accedes to demands, without immediate material effect.
    EconomicCooperation: URIRef  # Actors trade, invest or cooperate economically.
    Event: URIRef  # An interaction between political actors reported in a sentence of a news article.
    Expulsion: URIRef  # An actor expels diplomats or cuts diplomatic ties.
    ExtractionRun: URIRef  # One run of the DiploKG extractor over one article, recording version, model and time.
    Factuality: URIRef  # Whether an event is reported as having happened: asserted, negated, hypothetical or future
    GovernmentBody: URIRef  # A part of a state's government: a ministry, a cabinet, an intelligence service, a presiden
    Group: URIRef  # Unnamed people acting together, tied to a country or organisation and a sector: 'Israeli t
    HumanitarianAid: URIRef  # An actor sends food, medicine or other humanitarian aid.
    IntergovernmentalOrganization: URIRef  # An organisation of states or one of its organs, such as the UN Security Council, NATO or t
    Investigation: URIRef  # An actor investigates another's conduct.
    Killing: URIRef  # An actor kills people.
    Mediation: URIRef  # A third party mediates between two or more parties (the parties are its targets or partici
    Meeting: URIRef  # Actors meet or hold talks in person.
    MilitaryAid: URIRef  # An actor supplies weapons or other military aid.
    MilitaryCooperation: URIRef  # Actors hold joint exercises or cooperate militarily.
    Mobilize: URIRef  # PLOVER MOBILIZE: military or police moves short of the actual use of force.
    Negotiation: URIRef  # Actors negotiate or hold talks towards a deal.
    Organization: URIRef  # A named organisation: a government body, an armed group, an intergovernmental organisation
    Person: URIRef  # A named individual, such as a head of state, a minister or a spokesperson.
    PhoneCall: URIRef  # Actors discuss by telephone or video call.
    Place: URIRef  # Where an event happens: a city, a territory, a region or a country.
    Praise: URIRef  # An actor praises, welcomes, endorses or backs another.
    Promise: URIRef  # An actor promises, pledges or agrees to cooperate.
    Proposal: URIRef  # An actor proposes or offers a plan, deal or ceasefire.
    Protest: URIRef  # PLOVER PROTEST: civilian demonstrations and collective protest actions against the recipie
    Recognition: URIRef  # A state grants diplomatic recognition to another.
    Reject: URIRef  # PLOVER REJECT: rejections and refusals, including vetoes and blocking.
    Rejection: URIRef  # An actor rejects, refuses or dismisses a proposal or demand.
    Release: URIRef  # An actor frees prisoners or hostages.
    Request: URIRef  # PLOVER REQUEST: requests, demands and orders, less forceful than threats.
    Retreat: URIRef  # PLOVER RETREAT: concessions with immediate material consequences: release prisoners, withd
    RocketFire: URIRef  # An actor fires rockets, missiles or artillery.
    Sanction: URIRef  # PLOVER SANCTION: reductions in existing, routine or cooperative relations, not only formal
    SanctionImposition: URIRef  # An actor imposes an embargo, boycott or sanctions (PLOVER codes CAMEO 163 as COERCE).
    Sector: URIRef  # The part of society a group or body belongs to (CAMEO/PLOVER sector codes: GOV, MIL, COP, 
    Support: URIRef  # PLOVER SUPPORT: diplomatic non-material cooperation: praise, endorse, recognise, sign or r
    Threat: URIRef  # An actor threatens or warns another.
    Threaten: URIRef  # PLOVER THREATEN: threats and coercive warnings with serious potential repercussions.
    Topic: URIRef  # What an event is about: a ceasefire, hostages, aid, a peace deal, ...
    TreatySigning: URIRef  # Actors sign or ratify a formal agreement, such as a peace treaty.
    Visit: URIRef  # An actor travels to a country or to another actor.
    Withdrawal: URIRef  # An actor withdraws or pulls out forces.

    # Object properties
    article: URIRef  # The article an event or sentence comes from.
    evidence: URIRef  # The sentence of the article that reports the event.
    factuality: URIRef  # Whether the sentence asserts, negates, supposes or foresees the event; exactly one per eve
    mediator: URIRef  # A third party who mediates in the event.
    participant: URIRef  # An actor present at or involved in the event who is neither its source nor its target ('ta
    place: URIRef  # Where the event happened.
    represents: URIRef  # The country or organisation a person, group, delegation or body acts for.
    sector: URIRef  # The sector of a group, body or person: government, military, police, rebels, opposition, c
    sourceActor: URIRef  # The actor who does the event (PLOVER 'actor', CAMEO 'source').
    targetActor: URIRef  # The actor the event is done to or with (PLOVER 'recipient', CAMEO 'target').
    topic: URIRef  # What the event is about (a concept of the topic scheme).

    # Datatype properties
    charLength: URIRef  # The length in characters of the article text that sentence offsets refer to.
    confidence: URIRef  # The extractor's confidence in the event, from 0 to 1.
    contentHash: URIRef  # SHA-256 of the article's raw bytes, to tell a changed article from an unchanged one.
    date: URIRef  # When the event happened: an xsd:date for a full date, an xsd:gYear for a year alone.
    fileName: URIRef  # The name of the input file the article was read from.
    iso3: URIRef  # The three-letter ISO 3166-1 code of a country (e.g. 'EGY').
    model: URIRef  # The spaCy pipeline (name and version) an extraction run used.
    position: URIRef  # The office a person holds, as written ('Foreign Minister', 'Secretary of State').
    wikidata: URIRef  # The Wikidata item identifier of an actor (e.g. 'Q79' for Egypt).

    # Annotation properties
    cameoCode: URIRef  # The CAMEO event code (e.g. '041' for a phone call) of an event class or of an extracted ev
    ploverType: URIRef  # The PLOVER event type (upper case, e.g. 'CONSULT') of an event class or of an extracted ev

    # Individuals
    AidTopic: URIRef  # Humanitarian, economic or military aid.
    Asserted: URIRef  # The sentence reports the event as having happened or happening.
    BorderTopic: URIRef  # Borders, border crossings and territory.
    Business: URIRef  # Companies and business people.
    CeasefireTopic: URIRef  # A truce, ceasefire or de-escalation.
    Civilians: URIRef  # Civilians, residents, protesters, refugees.
    FactualityScheme: URIRef  # The closed list of event factuality values.
    Future: URIRef  # The event is announced or expected but has not yet happened ('will head to').
    Government: URIRef  # Executive government: leaders, ministers, officials, diplomats.
    HostagesTopic: URIRef  # Hostages, captives, prisoners and their exchange or release.
    Hypothetical: URIRef  # The event is supposed, conditional or part of a proposal's terms ('would withdraw').
    Intelligence: URIRef  # Intelligence services and their officials.
    Judiciary: URIRef  # Courts, judges and prosecutors.
    Legislature: URIRef  # Parliaments, lawmakers and their members.
    Media: URIRef  # Journalists and news media.
    Military: URIRef  # Armed forces: troops, soldiers, the army, the air force.
    Negated: URIRef  # The sentence says the event did not happen ('did not agree').
    NuclearTopic: URIRef  # Nuclear programmes and weapons.
    Opposition: URIRef  # Political opposition, dissidents and activists.
    PeaceTopic: URIRef  # Peace treaties, peace plans and peace processes.
    Police: URIRef  # Police and security forces.
    Rebels: URIRef  # Armed rebels, insurgents and militants.
    SanctionsTopic: URIRef  # Sanctions, embargoes and boycotts.
    SectorScheme: URIRef  # Actor sectors, after the CAMEO/PLOVER agent codes.
    SecurityTopic: URIRef  # Military operations, weapons and security cooperation.
    TopicScheme: URIRef  # What diplomatic events are about.
    TradeTopic: URIRef  # Trade, investment, energy and economic ties.


PREFIXES: dict[str, Namespace | str] = {
    "dip": str(DIP._NS),
    "res": RES,
    "sem": SEM,
    "nif": NIF,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "xsd": XSD,
    "rdf": RDF,
    "rdfs": RDFS,
}
