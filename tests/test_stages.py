"""Each extraction stage on its own, on real parses: what it reads from the one before and what it adds."""
from __future__ import annotations

from dataclasses import fields

import pytest

from kg.extraction.component import load_nlp
from kg.extraction.event import Event, to_record
from kg.extraction.extractor import EventExtractor
from kg.extraction.records import EventRecord, EventRoles, from_data, to_data
from kg.extraction.resolve import ArticleResolver
from kg.lexicon.entries import load_lexicon


@pytest.fixture(scope="module")
def stages():
    return load_nlp(), EventExtractor(load_lexicon())


def parse(stages, text: str):
    nlp, ex = stages
    doc = nlp(text)
    return doc, ex, ArticleResolver(doc, ex.lex)


def only_sentence(doc):
    (sent,) = list(doc.sents)
    return sent


def test_both_event_forms_take_their_roles_from_one_declaration():
    roles = {f.name for f in fields(EventRoles)}
    assert roles <= {f.name for f in fields(Event)} and roles <= {f.name for f in fields(EventRecord)}
    assert not roles & ({f.name for f in fields(Event)} - roles | {f.name for f in fields(EventRecord)} - roles)


def test_triggers_stage_finds_curated_and_dictionary_triggers(stages):
    doc, ex, _ = parse(stages, "Egypt condemned the attack and Qatar hosted talks between the two sides.")
    found = {(tok.lemma_, pos) for tok, _, pos in ex.triggers.scan(only_sentence(doc)).triggers}
    assert ("condemn", "VERB") in found and ("talk", "NOUN") in found


def test_triggers_stage_notes_reported_clauses_and_topics(stages):
    doc, ex, _ = parse(stages, "Russia said Sudan must return the helicopter under the nuclear deal.")
    cues = ex.triggers.scan(only_sentence(doc))
    assert [t.lower_ for t in cues.reports] == ["return"]


def test_roles_stage_reads_passive_agent_as_source(stages):
    doc, ex, r = parse(stages, "The French ambassador was expelled by Mali on Monday.")
    sent = only_sentence(doc)
    (ev,) = ex.roles.events(ex.triggers.scan(sent), sent, r)
    assert [a.iso3 for a in ev.sources] == ["MLI"] and ev.targets and ev.targets[0].iso3 != "MLI"


def test_roles_stage_noun_between_parties_gives_the_dyad(stages):
    doc, ex, r = parse(stages, "Qatar hosted talks between Israel and Hamas.")
    sent = only_sentence(doc)
    events = ex.roles.events(ex.triggers.scan(sent), sent, r)
    talks = next(e for e in events if e.trigger.lower_ == "talks")
    assert [a.label for a in talks.sources] == ["Israel"] and [a.label for a in talks.targets] == ["Hamas"]
    assert "Qatar" in [a.label for a in talks.participants]


@pytest.mark.parametrize("text, expected", [
    ("France did not condemn Mali.", "negated"),
    ("France will condemn Mali.", "future"),
    ("France may condemn Mali.", "hypothetical"),
    ("France condemned Mali.", "asserted"),
])
def test_factuality_stage(stages, text, expected):
    doc, ex, r = parse(stages, text)
    sent = only_sentence(doc)
    (ev,) = [e for e in ex.roles.events(ex.triggers.scan(sent), sent, r) if e.trigger.lemma_ == "condemn"]
    assert ex.factuality.of(ev) == expected


def test_factuality_stage_turns_a_stated_intention_into_a_threat(stages):
    doc, ex, r = parse(stages, "Iran said it will attack Israel unless the strikes stop.")
    (ev,) = [e for e in ex.sentence_events(only_sentence(doc), r, None) if e.trigger.lemma_ == "attack"]
    assert ex.lex.plover(ev.cls) == "THREATEN" and ev.factuality == "asserted"


def test_inferred_stage_takes_the_country_of_the_place_as_target(stages):
    doc, ex, r = parse(stages, "Russian forces launched air strikes in Kharkiv.")
    (ev,) = ex.sentence_events(only_sentence(doc), r, None)
    assert ev.location_target and [a.iso3 for a in ev.targets] == ["UKR"]


def test_contents_stage_keeps_the_demand_not_its_content(stages):
    doc, ex, r = parse(stages, "Russia said Sudan must return the helicopter.")
    events = ex.sentence_events(only_sentence(doc), r, None)
    assert [(ex.lex.plover(e.cls), [a.iso3 for a in e.sources], [a.iso3 for a in e.targets]) for e in events] == [
        ("REQUEST", ["RUS"], ["SDN"])]


def test_merging_stage_folds_two_reports_of_one_meeting(stages):
    text = "Blinken met Wang Yi in Beijing on Monday.\nThe US Secretary of State Antony Blinken met Wang Yi in Beijing."
    doc, ex, r = parse(stages, text)
    records = [to_record(ev, doc.text) for sent in doc.sents for ev in ex.sentence_events(sent, r, None)]
    merged = ex.merger.merge(records)
    assert len(records) == 2 and len(merged) == 1 and len(merged[0].evidence) == 2


def test_merging_stage_keeps_meetings_in_two_cities_apart(stages):
    text = "Blinken met Wang Yi in Beijing.\nBlinken met Wang Yi in Geneva."
    doc, ex, r = parse(stages, text)
    records = [to_record(ev, doc.text) for sent in doc.sents for ev in ex.sentence_events(sent, r, None)]
    assert len(ex.merger.merge(records)) == 2


def test_confidence_stage_and_plain_data_round_trip(stages):
    nlp, ex = stages
    (rec,) = ex.extract(nlp("Egypt condemned Israel."), None).events
    assert rec.support[:3] == ["curated verb", "named source", "named target"] and 0 < rec.confidence <= 1
    back = from_data(to_data(rec))
    assert to_data(back) == to_data(rec)
