"""Extraction on text nobody tuned it to: PLOVER's gold dev half, the PETRARCH2 dev set, and the kinds of
sentences issue 11 found giving nothing. Thresholds sit a little under today's figures so a regression fails."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluation.scores import PLOVER, actor_code, evaluate_file, render
from kg.extraction.component import load_nlp
from kg.extraction.extractor import EventExtractor
from kg.extraction.records import from_data, to_data
from kg.lexicon.entries import load_lexicon

DEV_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dev"
PLOVER_DEV = DEV_DIR / "plover_gsr_dev.jsonl"
PETRARCH_DEV = DEV_DIR / "petrarch2_gsr_plover.jsonl"
needs_dev = pytest.mark.skipif(not PLOVER_DEV.exists(), reason="../shared/data/dev is not beside the clone")


@pytest.fixture(scope="module")
def extract():
    nlp, ex = load_nlp(), EventExtractor(load_lexicon())

    def _extract(text: str, date: str | None = None):
        return ex.extract(nlp(text), date).events
    return _extract


def coded(events) -> set[tuple[str, str, str]]:
    """(PLOVER type, source code, target code) of every source/target pair (a country, or IGO/NGO/IMG as CAMEO codes
    organisations); '' where a side is missing."""
    plover = load_lexicon().class_plover
    return {(plover[e.cls], actor_code(s) if s else "", actor_code(t) if t else "")
            for e in events for s in (e.sources or [None]) for t in (e.targets or [None])}


# ---------------------------------------------------------------------------- the dev halves
@needs_dev
@pytest.mark.slow
def test_plover_dev_half():
    """Issue 11's bar: an event of the gold type in >= 75% of records, type precision >= 0.70, the gold dyad
    in >= 55% (today 0.79 / 0.72 / 0.55: the dyad has no margin, so the test guards a point below it)."""
    result = evaluate_file(PLOVER_DEV)
    ps = result.plover
    assert ps is not None and ps.total(ps.records) == 163
    type_recall = ps.total(ps.type_hits) / ps.total(ps.records)
    type_precision = ps.total(ps.predicted_right) / ps.total(ps.predicted)
    dyad_recall = ps.total(ps.dyad_hits) / ps.total(ps.records)
    assert type_recall >= 0.75, render(result)
    assert type_precision >= 0.70, render(result)
    assert dyad_recall >= 0.53, render(result)
    assert ps.silent <= 12  # records that give no event at all (78 of 163 before issue 11)
    assert all(ps.records[t] for t in PLOVER)  # the half covers every type


@needs_dev
@pytest.mark.slow
def test_petrarch2_dev_set():
    result = evaluate_file(PETRARCH_DEV)
    # 0.60 at issue 11, 0.40 before it; 0.54 since issue 23: PETRARCH2's gold codes future meetings CONSULT (CAMEO's
    # convention), PLOVER's manual codes them AGREE, and the manual wins (kg/data/codebook.jsonl)
    assert result.events.f1 >= 0.52, render(result)
    assert result.type_only.f1 >= 0.64 and result.actors.f1 >= 0.85, render(result)


@needs_dev
def test_min_confidence_trades_recall_for_precision():
    loose, strict = evaluate_file(PLOVER_DEV), evaluate_file(PLOVER_DEV, min_confidence=0.8)
    a, b = loose.plover, strict.plover
    assert b.total(b.predicted) < a.total(a.predicted)
    assert b.total(b.predicted_right) / b.total(b.predicted) > a.total(a.predicted_right) / a.total(a.predicted)


# ---------------------------------------------------------------------------- sentences that gave nothing
@pytest.mark.parametrize("text,expected", [
    # an unknown person whose title names the country; a group tied to its country by a demonym
    ("Pakistan President Mohammad Zia-Ul-Haq today rejected a fresh offer from Afghanistan for direct talks.",
     ("REJECT", "PAK", "AFG")),
    ("British aircraft killed 4 Iraqis in an attack on a suspected weapons supply in Basra.", ("ASSAULT", "GBR", "IRQ")),
    ("The Democratic Republic of Congo government has accused Rwanda.", ("ACCUSE", "COD", "RWA")),
    ("The Philippine military and coast guard have accused China.", ("ACCUSE", "PHL", "CHN")),
    # triggers from the CAMEO dictionary and event nouns
    ("China carried out live-fire military drills around Taiwan.", ("MOBILIZE", "CHN", "TWN")),
    ("Mali recalled its ambassador to France.", ("SANCTION", "MLI", "FRA")),
    ("The Nigerian union called off a four-day strike.", ("CONCEDE", "NGA", "")),
    ("Bosnian Serbs completed their withdrawal from Gorazde.", ("RETREAT", "BIH", "")),
    # a location as target; a pronoun resolved to the speaker
    ("Israeli fighter jets conducted air strikes in Gaza City.", ("ASSAULT", "ISR", "PSE")),
    ("Pakistan said it shot down two Indian aircraft.", ("ASSAULT", "PAK", "IND")),
    # PLOVER's conventions: stated intent, stated obligations, refusals
    ("Finland will give Tanzania a grant of 580 million shillings, the ministry said.", ("AGREE", "FIN", "TZA")),
    ("Russia said on Tuesday that Sudan must return a helicopter.", ("REQUEST", "RUS", "SDN")),
    ("Syria says it will not accept any more refugees from Iraq.", ("REJECT", "SYR", "IRQ")),
])
def test_sentences_of_every_region_give_their_event(extract, text, expected):
    assert expected in coded(extract(text)), coded(extract(text))


def test_an_actor_with_no_known_country_stays_in_the_graph(extract):
    events = extract("President Yoweri Museveni has banned opposition candidates.")
    ban = next(e for e in events if load_lexicon().class_plover[e.cls] == "COERCE")
    assert ban.sources[0].country == "UGA"
    assert ban.targets and ban.targets[0].label == "opposition candidates" and ban.targets[0].country is None


def test_the_content_of_a_threat_is_not_coded_as_happening(extract):
    events = extract("Israel threatened to ban voting in East Jerusalem.")
    assert {load_lexicon().class_plover[e.cls] for e in events} == {"THREATEN"}


@pytest.mark.parametrize("text,types", [
    ("Israel and Hamas agreed on a truce in Gaza.", {"AGREE"}),                  # what is agreed on
    ("Russia agreed to a ceasefire in eastern Ukraine.", {"AGREE"}),             # what is agreed to
    ("The foreign ministers called for a ceasefire in Sudan.", set()),           # an appeal's content (CAMEO 02)
    ("Colombia asked the United States for military aid.", set()),               # what an appeal asks for
])
def test_what_an_event_asks_or_settles_for_is_its_content(extract, text, types):
    """The object of 'for'/'on'/'to' under an agreement or an appeal is its content (factuality.json content_preps):
    PLOVER codes the agreement, or nothing for an appeal, never the truce as a RETREAT of its own."""
    assert {load_lexicon().class_plover[e.cls] for e in extract(text)} == types


@pytest.mark.parametrize("text,expected", [
    ("Germany returned a looted bronze sculpture to Nigeria on Tuesday.", {("RETREAT", "DEU", "NGA")}),  # property
    ("The soldiers returned home after the war.", set()),                        # no object: no event
    ("Japan reduced its aid to Myanmar after the coup.", {("SANCTION", "JPN", "MMR")}),  # the aid is what is cut
    ("India removed tariffs on American almonds.", {("CONCEDE", "IND", "USA")}),  # a restriction eased
    ("The United Nations deployed peacekeepers to South Sudan.", {("AID", "IGO", "SSD")}),  # personnel: AID
    ("Kenya sent troops to the border with Somalia.", {("MOBILIZE", "KEN", "SOM")}),          # troops: MOBILIZE
    ("India and France began a joint naval exercise in the Arabian Sea.", {("COOPERATE", "IND", "FRA")}),
    ("China held military exercises around Taiwan.", {("MOBILIZE", "CHN", "TWN")}),          # single-country
    ("Thousands of workers went on strike in Nigeria on Monday.", {("PROTEST", "", "")}),
    ("Iran is suing the United States at the International Court of Justice.", {("ACCUSE", "IRN", "USA")}),  # sue
    ("The United States lifted sanctions imposed on China in 2019.", {("CONCEDE", "USA", "CHN")}),  # via the participle
])
def test_material_acts_by_the_codebook(extract, text, expected):
    """RETREAT 'the return of confiscated property'; SANCTION discontinue 'Curtail, decrease ... material exchanges';
    CONCEDE 'easing of administrative or legal restrictions'; AID 'Military and police assistance including arms and
    personnel'; MOBILIZE 'Joint military operations are coded as COOPERATE but single-country exercises should be
    coded as MOBILIZE'; PROTEST strike 'the abandonment of workplaces'; ACCUSE 'Sue or bring to court' (CAMEO's
    dictionary: 173 arrest, and the manual wins): one event each, of the act."""
    assert coded(extract(text)) == expected


def test_a_dictionary_pattern_can_say_no_event(extract):
    """CAMEO.2.0's 'KILL * (IN ACCIDENT) [---]': a death in an accident is no attack."""
    assert not extract("Three Indian soldiers were killed in an accident near the border.")
    assert extract("Three Indian soldiers were killed by Pakistani troops near the border.")


def test_raising_verbs_and_wishes_are_no_events(extract):
    plover = load_lexicon().class_plover
    events = extract("Israel is expected to launch a ground offensive.")
    assert [(plover[e.cls], e.factuality) for e in events] == [("ASSAULT", "future")]
    assert not [e for e in extract("The US wants the meeting put off until Tuesday.") if plover[e.cls] == "AGREE"]


# ---------------------------------------------------------------------------- general rules (regression tests:
# sentences written with the rules, so they guard them and measure nothing)
@pytest.mark.parametrize("text,expected", [
    # one actor per coordinated affiliation, for any noun
    ("The Turkish and Greek sides have agreed to share information.", ("AGREE", "TUR", "GRC")),
    # a titled surname of the gazetteer's persons; titles are stripped only before a name
    ("President Bush has threatened further action against Russia.", ("THREATEN", "USA", "RUS")),
    # a people tied to a country
    ("Some 800,000 Iraqi Kurds sought refuge in Germany.", ("REQUEST", "IRQ", "DEU")),
    # the subject of an adjective predicate ('it is willing to')
    ("Syria says it is willing to withdraw its troops from Lebanon.", ("AGREE", "SYR", "LBN")),
    # a stative passive keeps its subject as the doer
    ("Serb forces were engaged in ethnic cleansing in Montenegro against the Albanian population of the province.",
     ("ASSAULT", "SRB", "ALB")),
    # PETRARCH2's historical names; plural demonyms are the people, protesting their own state
    ("Vietnamese forces launched rocket fire against Kampuchean guerrilla camps.", ("ASSAULT", "VNM", "KHM")),
    ("Thousands of Nigerians staged a rally in Lagos to protest the new law.", ("PROTEST", "NGA", "NGA")),
    # a threat aims at the doer of its condition
    ("Russia threatened to stop the negotiations if the United States goes ahead with the deployment.",
     ("THREATEN", "RUS", "USA")),
    # a purpose clause is addressed to the governing verb's object
    ("Nigeria summoned Niger's ambassador on Tuesday to complain about the attacks.", ("ACCUSE", "NGA", "NER")),
    # an appositive name without a country gives way to its head; sending arms is aid
    ("Jakarta forced the UN refugee agency, UNHCR, out of the country.", ("SANCTION", "IDN", "IGO")),
    ("The United States continued to send arms to Pakistan.", ("AID", "USA", "PAK")),
    # Northern Ireland is the United Kingdom's; 'Congolese' is the DRC's, as PETRARCH2 reads it
    ("The British government outlawed a Protestant group in Northern Ireland.", ("COERCE", "GBR", "GBR")),
    ("Burundian militiamen attacked a camp for Congolese refugees.", ("ASSAULT", "BDI", "COD")),
])
def test_general_rules_give_their_event(extract, text, expected):
    assert expected in coded(extract(text)), coded(extract(text))


def test_a_titled_first_name_is_not_a_surname(extract):
    """'Defence Secretary Tom King': 'King' stays part of the name, and 'Tom' is no known person's surname."""
    events = extract("British Defence Secretary Tom King has promised to continue military aid to Mozambique.")
    promise = next(e for e in events if e.sources)
    assert promise.sources[0].label == "Tom King" and promise.sources[0].country == "GBR"


def test_background_clauses_and_wishes_about_others_are_no_events(extract):
    plover = load_lexicon().class_plover
    assert not extract("Adli Yaish, who had been arrested by Israel 15 months ago, spoke to reporters.")
    assert not [e for e in extract("Obama wants Putin to attack Switzerland.") if plover[e.cls] == "ASSAULT"]
    # but a present participle and a headline are what is happening now
    assert ("REQUEST", "TUR", "TUR") in coded(extract(
        "The rebel Kurdistan Workers' Party issued a declaration demanding that the Turkish government provide information."))
    assert ("ASSAULT", "", "PSE") in coded(extract("Three Palestinians killed in Gaza clashes"))


def test_a_reciprocal_dictionary_verb_keeps_its_coordinated_doers(extract):
    events = extract("Brazil and the United States are seeking to deepen a partnership.")
    assert any(e.reciprocal and {a.country for a in e.sources + e.targets} == {"BRA", "USA"} for e in events)


def test_places_the_gazetteer_lacks_get_their_country_from_geonames(extract):
    events = extract("Israeli jets bombed targets in Khan Younis.")
    strike = next(e for e in events if load_lexicon().class_plover[e.cls] == "ASSAULT")
    assert strike.place is not None and strike.place.country == "PSE" and strike.targets[0].country == "PSE"


# ---------------------------------------------------------------------------- coreference
def test_the_two_sides_are_the_last_two_parties_never_a_place(extract):
    events = extract("Israeli and Palestinian negotiators met in Cairo. The two sides agreed to a ceasefire.")
    agree = next(e for e in events if load_lexicon().class_plover[e.cls] == "AGREE")
    assert {a.country for a in agree.sources + agree.targets} == {"ISR", "PSE"}


def test_mr_xi_is_the_xi_met_before(extract):
    events = extract("Chinese President Xi Jinping arrived in Moscow on Monday. "
                     "Mr Xi met Russian President Vladimir Putin on Tuesday.")
    meeting = next(e for e in events if e.cls == "Meeting")
    assert meeting.sources[0].label == "Xi Jinping" and meeting.sources[0].country == "CHN"


def test_a_pronoun_with_no_fitting_antecedent_stays_unresolved(extract):
    """'they' cannot be a country or a person named alone: no actor rather than a wrong one."""
    events = extract("Egypt hosted the talks. They condemned the attack on the convoy.")
    condemn = [e for e in events if e.cls == "Condemnation"]
    assert all(not e.sources for e in condemn)


# ---------------------------------------------------------------------------- one event per happening
def test_mentions_of_one_meeting_are_one_event_with_several_sentences(extract):
    text = ("US Secretary of State Antony Blinken met Egyptian President Abdel Fattah al-Sisi in Cairo on Monday. "
            "Blinken and Sisi discussed a ceasefire in Gaza. "
            "Sisi told Blinken that the fighting must end.")
    meetings = [e for e in extract(text) if load_lexicon().class_plover[e.cls] == "CONSULT"]
    assert len(meetings) == 1, [(e.cls, [x.text for x in e.evidence]) for e in meetings]
    assert len(meetings[0].evidence) >= 2
    assert any(s.endswith("mentions") for s in meetings[0].support)


def test_two_different_happenings_stay_apart(extract):
    text = "Egypt signed a peace treaty with Israel. Egypt also recognised Israel."
    support = [e for e in extract(text) if load_lexicon().class_plover[e.cls] == "SUPPORT"]
    assert {e.cls for e in support} == {"TreatySigning", "Recognition"}


def test_dated_mentions_on_different_days_stay_apart(extract):
    text = "Blinken visited Israel on 12 June 2024. Blinken visited Israel on 20 June 2024."
    visits = [e for e in extract(text) if e.cls == "Visit"]
    assert len(visits) == 2 and {e.date for e in visits} == {("2024-06-12", "date"), ("2024-06-20", "date")}


# ---------------------------------------------------------------------------- confidence and plain data
def test_confidence_says_what_supported_the_event(extract):
    events = extract("Israel attacked Gaza. Four children were killed in Israeli shelling in Gaza City.")
    for ev in events:
        assert 0 < ev.confidence < 1 and ev.support and ev.support[0] in load_lexicon().confidence["trigger"]
    named = [e for e in events if "named source" in e.support and "named target" in e.support]
    weaker = [e for e in events if "no source" in e.support or "location target" in e.support]
    assert named and weaker and min(e.confidence for e in named) > max(e.confidence for e in weaker)


def test_records_are_plain_data_that_round_trip(extract):
    import json

    for ev in extract("Egypt condemned Israeli air strikes on Gaza City on Monday, 3 June 2024."):
        data = to_data(ev)
        assert json.loads(json.dumps(data)) == data
        assert to_data(from_data(data)) == data
