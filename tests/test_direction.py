"""Who did what to whom: one row per direction construction of English news prose, with the PLOVER type
and the dyad the codebook gives it (PLOVER_MANUAL.tex: the actor initiates, the recipient is whom the event
is directed at; 'Compound and Reciprocal Actors'; each type's definition and ambiguities).

The sentences are written for this table from English grammar and the codebook, not taken from any gold or
dev-set file. Each row is run through the real pipeline (`load_nlp`, `doc_events`) and checked the way the
scorer codes events (`kg.evaluation.scores.coded_events`: an actor is its `actor_code`, a reciprocal event
counts both ways round):

- directed rows: some event of the type has the expected source and target, and no event of the type has
  them reversed (a reciprocal reading of a directed event is a reversal too); coordinated sources (or
  targets) must not act on each other;
- mutual rows (meetings, talks, agreements, two-sided fire: the codebook lists every party as actor, with no
  recipient, when no host or visitor is clear): some event of the type links the two parties, either way
  round, or lists both as its actors;
- source None (an agentless passive): the target is found and no event of the type names a source for it;
  target None (the codebook requires no recipient): the source is found.

A row that fails is marked xfail(strict=True) with the cause, not weakened: the table is a measurement.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from kg.evaluation.scores import actor_code, coded_events
from kg.extraction.component import doc_events, load_nlp
from kg.lexicon.entries import load_lexicon

Codes = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    plover: str
    source: Codes
    target: Codes
    mutual: bool = False              # either way round, or both as actors (codebook: no host/visitor clear)
    not_sources: tuple[str, ...] = ()  # countries that must not be a source of an event of this type
    not_parties: tuple[str, ...] = ()  # countries (a meeting's venue) that must not be source or target
    xfail: str = ""                    # the cause, when the extractor gets the row wrong


ROWS = [
    # ------------------------------------------------------------------ verbs: active, passive
    Row("active_transitive", "Russia invaded Ukraine in February 2022.", "ASSAULT", "RUS", "UKR"),
    Row("active_possessive_object", "Israel struck Iran's nuclear facilities on Friday.", "ASSAULT", "ISR", "IRN"),
    Row("active_demonym_subject_place_object", "Russian troops shelled the Ukrainian city of Kharkiv overnight.",
        "ASSAULT", "RUS", "UKR"),
    Row("passive_by_agent", "A Syrian air base was struck by Israel on Sunday.", "ASSAULT", "ISR", "SYR"),
    Row("passive_by_agent_aid", "Humanitarian aid was sent to Turkey by Japan after the earthquake.", "AID", "JPN", "TUR"),
    Row("agentless_passive", "Several Ukrainian cities were shelled overnight.", "ASSAULT", None, "UKR"),
    Row("coordinated_targets", "Turkey launched air strikes on Syria and Iraq on Sunday.", "ASSAULT", "TUR", ("SYR", "IRQ")),
    Row("coordinated_sources_compound_actor", "The United States and Britain struck military targets in Yemen on Thursday.",
        "ASSAULT", ("USA", "GBR"), "YEM"),
    Row("two_sided_violence", "Thai and Cambodian troops exchanged fire along the disputed border on Thursday.",
        "ASSAULT", "THA", "KHM", mutual=True),
    # ------------------------------------------------------------------ event nouns
    Row("nominal_possessive_attack_on", "Russia's attack on Ukraine has forced millions of people from their homes.",
        "ASSAULT", "RUS", "UKR"),
    Row("nominal_attack_on_by", "The attack on Georgia by Russia in August 2008 lasted five days.", "ASSAULT", "RUS", "GEO"),
    Row("came_under_attack_from", "Armenian border posts came under attack from Azerbaijan overnight.",
        "ASSAULT", "AZE", "ARM",
        xfail="no event: 'attack' triggers but RoleBuilder drops it with no roles - noun_event takes no source from 'from' (only rule source_preps and 'by'), 'under' is not an anchor_prep, so the subject of 'came' is never read as the target"),
    Row("demonym_strike_on_place", "An Israeli strike on Gaza killed 12 people on Monday.", "ASSAULT", "ISR", "PSE",
        xfail="no event: bare noun 'strike' triggers nothing (the AirStrike entry requires a compound air/drone/missile), and 'killed' finds no source in its event-noun subject (ArgumentFinder.subject reads r.actors, not np_source) and no actor in '12 people'"),
    Row("passive_hit_by_possessive_missiles", "Ukraine's power grid was hit by Russia's missiles on Thursday.",
        "ASSAULT", "RUS", "UKR"),
    # ------------------------------------------------------------------ reported speech: the speaker is no doer
    Row("reported_speech_said", "The United States said Russia attacked Ukraine's power grid overnight.",
        "ASSAULT", "RUS", "UKR", not_sources=("USA",)),
    Row("reported_speech_according_to", "Russian forces shelled Kharkiv overnight, according to Britain's defence ministry.",
        "ASSAULT", "RUS", "UKR", not_sources=("GBR",)),
    Row("in_response_to_main_clause", "In response to Russia's attack on Ukraine, Japan imposed sanctions on Russia.",
        "SANCTION", "JPN", "RUS"),
    Row("in_response_to_embedded_attack", "In response to Russia's attack on Ukraine, Japan imposed sanctions on Russia.",
        "ASSAULT", "RUS", "UKR", not_sources=("JPN",)),
    # ------------------------------------------------------------------ accusations and condemnations
    Row("accused_of", "Armenia accused Azerbaijan of shelling its border villages.", "ACCUSE", "ARM", "AZE"),
    Row("passive_accused_by_of", "Iran was accused by Britain of supplying drones to Russia.", "ACCUSE", "GBR", "IRN"),
    Row("condemned_for", "France condemned Iran for detaining two French citizens.", "ACCUSE", "FRA", "IRN"),
    Row("passive_condemned_possessive_subject", "North Korea's missile launch was condemned by South Korea.",
        "ACCUSE", "KOR", "PRK"),
    Row("compound_actor_accused", "The United States and France accused Russia of violating the treaty.",
        "ACCUSE", ("USA", "FRA"), "RUS"),
    Row("summoned_possessive_ambassador", "Poland's foreign ministry summoned Russia's ambassador over the drone incursion.",
        "ACCUSE", "POL", "RUS"),
    Row("passive_summoned_demonym_title", "The Chinese ambassador was summoned by the Philippine foreign ministry on Monday.",
        "ACCUSE", "PHL", "CHN"),
    Row("two_sentences_the_ministry", "Japan said the missile landed inside its exclusive economic zone. The foreign ministry condemned North Korea over the launch.",
        "ACCUSE", "JPN", "PRK",
        xfail="missing source: 'The foreign ministry' is not resolved to the country of the previous sentence (Coreference only handles pronouns and 'the two sides'); the event is '- -> PRK'"),
    # ------------------------------------------------------------------ requests
    Row("demanded_that", "Ukraine demanded that Russia withdraw its forces from the Zaporizhzhia nuclear plant.",
        "REQUEST", "UKR", "RUS"),
    # An appeal (CAMEO 02: 'urged X to', 'called on X to', 'asked X for') is dropped by PLOVER's CAMEO table, except
    # a call for an official's dismissal (REQUEST 'change'); codebook.jsonl appeal-is-no-event.
    Row("urged_to", "Poland urged the Belarusian defence minister to resign.", "REQUEST", "POL", "BLR"),
    Row("called_on_to", "India called on Pakistan to remove its army chief.", "REQUEST", "IND", "PAK"),
    Row("demanded_from", "Ukraine demanded more air defence systems from Germany.", "REQUEST", "UKR", "DEU"),
    # ------------------------------------------------------------------ threats
    Row("warned_of", "Russia warned Finland of retaliatory military measures if it joined NATO.", "THREATEN", "RUS", "FIN"),
    Row("threatened_with", "North Korea threatened South Korea with merciless retaliation.", "THREATEN", "PRK", "KOR"),
    Row("threatened_to_infinitive", "Turkey threatened to block Sweden's bid to join NATO.", "THREATEN", "TUR", "SWE"),
    # ------------------------------------------------------------------ reciprocal and compound
    Row("reciprocal_agreed", "Saudi Arabia and Iran agreed to restore diplomatic relations.", "AGREE", "SAU", "IRN", mutual=True),
    Row("reciprocal_ceasefire_agreed", "India and Pakistan agreed to a ceasefire along the Line of Control.",
        "AGREE", "IND", "PAK", mutual=True),
    Row("reciprocal_met_coordinated_subjects", "Indian Prime Minister Narendra Modi and Chinese President Xi Jinping met in Kazan.",
        "CONSULT", "IND", "CHN", mutual=True, not_parties=("RUS",)),
    Row("reciprocal_signed", "Japan and the Philippines signed a trade agreement on Monday.", "SUPPORT", "JPN", "PHL", mutual=True),
    Row("joint_exercises", "Russia and China held joint naval exercises in the Sea of Japan.", "COOPERATE", "RUS", "CHN",
        mutual=True, not_parties=("JPN",)),
    # ------------------------------------------------------------------ meetings, talks, visits
    Row("met_in_third_country", "US Secretary of State Antony Blinken met Chinese Foreign Minister Wang Yi in Jakarta.",
        "CONSULT", "USA", "CHN", mutual=True, not_parties=("IDN",)),
    Row("met_in_hosts_capital", "US Secretary of State Antony Blinken met Chinese Foreign Minister Wang Yi in Beijing.",
        "CONSULT", "USA", "CHN", mutual=True),
    Row("talks_between", "Talks between Armenia and Azerbaijan began in Washington on Monday.", "CONSULT", "ARM", "AZE",
        mutual=True, not_parties=("USA",)),
    Row("possessive_talks_with", "Iran's talks with the United States resumed in Muscat on Saturday.", "CONSULT", "IRN", "USA",
        mutual=True, not_parties=("OMN",)),
    Row("phone_call", "US President Joe Biden spoke by telephone with Chinese President Xi Jinping on Thursday.",
        "CONSULT", "USA", "CHN", mutual=True),
    Row("titles_counterpart", "The French foreign minister met his Italian counterpart on Tuesday.", "CONSULT", "FRA", "ITA",
        mutual=True),
    Row("visited", "Indian Prime Minister Narendra Modi visited Ukraine on Friday.", "CONSULT", "IND", "UKR"),
    Row("hosted_visitor_is_actor", "Turkish President Recep Tayyip Erdogan hosted Hungarian Prime Minister Viktor Orban in Ankara.",
        "CONSULT", "HUN", "TUR"),
    Row("nominal_possessive_visit_to", "German Chancellor Olaf Scholz's visit to Beijing drew criticism at home.",
        "CONSULT", "DEU", "CHN"),
    Row("at_the_invitation_of", "At the invitation of Chinese President Xi Jinping, Brazilian President Luiz Inacio Lula da Silva visited Beijing.",
        "CONSULT", "BRA", "CHN"),
    # ------------------------------------------------------------------ diplomatic sanctions and expulsions
    Row("expelled_possessive_diplomat", "Britain expelled Russia's defence attache on Monday.", "SANCTION", "GBR", "RUS"),
    Row("expelled_demonym_diplomats", "The Czech Republic expelled 18 Russian diplomats.", "SANCTION", "CZE", "RUS"),
    Row("imposed_sanctions_on", "The United States imposed new sanctions on North Korea.", "SANCTION", "USA", "PRK"),
    Row("nominal_possessive_sanctions_on", "Britain's new sanctions on Iran target its drone industry.", "SANCTION", "GBR", "IRN"),
    Row("passive_sanctioned_by", "Iran was sanctioned by Australia over its crackdown on protesters.", "SANCTION", "AUS", "IRN"),
    Row("cut_ties_with", "Bolivia cut diplomatic ties with Israel on Tuesday.", "SANCTION", "BOL", "ISR"),
    # ------------------------------------------------------------------ aid
    Row("sent_aid_to", "India sent humanitarian aid to Sri Lanka.", "AID", "IND", "LKA"),
    Row("received_aid_from", "Ukraine received air defence systems from Germany.", "AID", "DEU", "UKR"),
    Row("ditransitive_gave", "The Netherlands gave Ukraine 24 F-16 fighter jets.", "AID", "NLD", "UKR"),
    Row("relative_clause_object", "The tanks, which Poland sent to Ukraine in April, are already at the front.",
        "AID", "POL", "UKR",
        xfail="no event: TriggerMatcher.background skips relative-clause verbs (light_verbs.json background_deps: relcl) as background; the object is 'which'"),
    Row("relative_clause_subject", "Iran, which has supplied hundreds of drones to Russia, faces growing Western pressure.",
        "AID", "IRN", "RUS",
        xfail="no event: the relcl verb 'supplied' is skipped as background (background_deps: relcl); a spurious REQUEST IRN from 'faces ... pressure' instead"),
    # ------------------------------------------------------------------ retreats and concessions
    Row("withdrew_troops_from", "The United States withdrew its troops from Afghanistan in August 2021.", "RETREAT", "USA", "AFG"),
    Row("released_demonym_prisoners", "Russia released 90 Ukrainian prisoners of war on Friday.", "RETREAT", "RUS", "UKR"),
    Row("resigned_no_recipient", "Ukraine's foreign minister Dmytro Kuleba resigned on Wednesday.", "RETREAT", "UKR", None),
    Row("apologised_to", "Japan apologised to South Korea for its wartime forced labour.", "CONCEDE", "JPN", "KOR"),
    # ------------------------------------------------------------------ support, rejection, coercion, mobilisation
    Row("rejected_possessive_proposal", "Ukraine rejected Russia's proposal for a Christmas truce.", "REJECT", "UKR", "RUS"),
    Row("praised_possessive_stance", "Serbia praised China's stance on Kosovo.", "SUPPORT", "SRB", "CHN"),
    Row("recognised_state", "Spain formally recognised the State of Palestine on Tuesday.", "SUPPORT", "ESP", "PSE"),
    Row("arrested_demonym_object", "Russia arrested an American journalist on spying charges.", "COERCE", "RUS", "USA"),
    Row("passive_detained_by", "Two Canadian citizens were detained by China in December 2018.", "COERCE", "CHN", "CAN"),
    Row("deployed_along_border_with", "Russia deployed troops along its border with Ukraine.", "MOBILIZE", "RUS", "UKR"),
    Row("drills_around", "China held large-scale military drills around Taiwan on Monday.", "MOBILIZE", "CHN", "TWN"),
    # REQUEST: 'demands that take the form of demonstrations, protests, etc. are coded as PROTEST': whom the demand
    # is pressed on is the protest's recipient
    Row("protest_pressing_demands_on", "Kenyan students blocked roads in Nairobi to press their demands on the "
        "government of Uganda.", "PROTEST", "KEN", "UGA"),
]

assert len({r.id for r in ROWS}) == len(ROWS)


def _codes(value: Codes) -> tuple[str | None, ...]:
    return (None,) if value is None else (value,) if isinstance(value, str) else value


def _params():
    for row in ROWS:
        marks = [pytest.mark.xfail(strict=True, reason=row.xfail)] if row.xfail else []
        yield pytest.param(row, id=row.id, marks=marks)


@pytest.fixture(scope="module")
def events_of():
    nlp = load_nlp()
    cache: dict[str, list] = {}

    def _events(text: str):
        if text not in cache:
            cache[text] = doc_events(nlp(text)).events
        return cache[text]
    return _events


def _describe(events) -> str:
    plover = load_lexicon().class_plover
    out = []
    for ev in events:
        src = ",".join(actor_code(a) or "?" for a in ev.sources) or "-"
        tgt = ",".join(actor_code(a) or "?" for a in ev.targets) or "-"
        out.append(f"{plover.get(ev.cls, '?')}({ev.cls}{', reciprocal' if ev.reciprocal else ''}) {src} -> {tgt}")
    return "; ".join(out) or "no events"


@pytest.mark.parametrize("row", list(_params()))
def test_direction(row: Row, events_of):
    events = events_of(row.text)
    plover = load_lexicon().class_plover
    typed = [ev for ev in events if plover.get(ev.cls) == row.plover]
    pairs = {(c.source, c.target) for c in coded_events(typed)}
    got = _describe(events)
    sources, targets = _codes(row.source), _codes(row.target)

    if row.mutual:
        (a,), (b,) = sources, targets
        linked = (a, b) in pairs or (b, a) in pairs or any(
            {a, b} <= {actor_code(x) for x in ev.sources} for ev in typed)  # the codebook's compound actor
        assert linked, f"no {row.plover} event between {a} and {b}; got {got}"
    else:
        for s in sources:
            for t in targets:
                if s is None:
                    assert any(pt == t for _, pt in pairs), f"no {row.plover} event on {t}; got {got}"
                    wrong = {ps for ps, pt in pairs if pt == t and ps}
                    assert not wrong, f"agentless {row.plover} on {t} given source(s) {wrong}; got {got}"
                elif t is None:
                    assert any(ps == s for ps, _ in pairs), f"no {row.plover} event by {s}; got {got}"
                else:
                    assert (s, t) in pairs, f"no {row.plover} {s} -> {t}; got {got}"
                    assert (t, s) not in pairs, f"{row.plover} reversed: {t} -> {s}; got {got}"
        for side in (sources, targets):  # coordinated actors act together, not on each other
            for x in side:
                for y in side:
                    if x and y and x != y:
                        assert (x, y) not in pairs, f"co-ordinated {x} and {y} coded as acting on each other; got {got}"
    for c in row.not_sources:
        assert all(ps != c for ps, _ in pairs), f"{c} wrongly a source of {row.plover}; got {got}"
    for c in row.not_parties:
        assert all(c not in p for p in pairs), f"venue {c} wrongly a party to {row.plover}; got {got}"
