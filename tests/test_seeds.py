"""The seed articles yield their key diplomatic events with the right actors, roles and factuality."""
from __future__ import annotations

import pytest


def find(events, event_type, source=None, target=None, factuality=None):
    """Rows of `events` matching a class local name and (substring of) source/target labels."""
    out = []
    for r in events:
        if not r["eventType"].endswith("#" + event_type):
            continue
        if source is not None and source not in r.get("sourceLabel", ""):
            continue
        if target is not None and target not in r.get("targetLabel", ""):
            continue
        if factuality is not None and r["factuality"] != factuality:
            continue
        out.append(r)
    return out


def test_egyptian_delegation_meets_hamas_officials(events):
    rows = find(events, "Meeting", "Egyptian delegation", "Hamas officials")
    assert rows, "the delegation's meeting with Hamas officials is missing"
    assert rows[0]["sourceCountry"] == "EGY"
    assert rows[0]["placeLabel"] == "Gaza"
    assert rows[0]["factuality"] == "asserted"


def test_egyptian_delegation_talks_with_israeli_officials_in_tel_aviv(events):
    rows = find(events, "Negotiation", "Egyptian delegation", "Israeli officials")
    assert rows
    assert rows[0]["targetCountry"] == "ISR"
    assert rows[0]["placeLabel"] == "Tel Aviv"


def test_shukry_ashkenazi_phone_call(events):
    rows = find(events, "PhoneCall", "Sameh Shukry", "Gabi Ashkenazi")
    assert rows
    r = rows[0]
    assert (r["sourceCountry"], r["targetCountry"]) == ("EGY", "ISR")
    assert r["plover"] == "CONSULT" and r["cameo"] == "041"
    assert r["date"] == "2021-05-12"  # 'Late on Wednesday' against the caption's 13 May 2021 (a Thursday)


def test_shukry_condemns_israel(events):
    rows = find(events, "Condemnation", "Sameh Shukry", "Israel")
    assert rows and rows[0]["plover"] == "ACCUSE" and rows[0]["targetCountry"] == "ISR"


def test_us_blocks_security_council_meeting(events):
    rows = find(events, "Blocking", "United States", "UN Security Council")
    assert rows and rows[0]["sourceCountry"] == "USA" and rows[0]["plover"] == "REJECT"


def test_israeli_air_strikes_and_rockets_from_gaza(events):
    strikes = find(events, "AirStrike")
    assert any(r["sourceCountry"] == "ISR" and r.get("placeLabel") == "Gaza City" and r.get("date") == "2021-05-13"
               for r in strikes)
    rockets = find(events, "RocketFire")
    assert any(r["sourceCountry"] == "PSE" and "Gaza groups" in r["sourceLabel"] for r in rockets)
    assert any(r["sourceCountry"] == "PSE" and r.get("targetCountry") == "ISR" for r in rockets)


def test_repeated_caption_gives_one_air_strike(events):
    strikes = {r["event"] for r in find(events, "AirStrike") if r.get("placeLabel") == "Gaza City"}
    assert len(strikes) == 1


def test_blinken_meets_sisi_and_netanyahu(events):
    consult = [r for r in events if r["plover"] == "CONSULT" and r["factuality"] == "asserted"]
    pairs = {frozenset((r.get("source"), r.get("target"))) for r in consult}
    res = "https://w3id.org/diplokg/resource/person/"
    blinken, sisi, netanyahu = res + "antony-blinken", res + "abdel-fattah-el-sisi", res + "benjamin-netanyahu"
    assert frozenset((blinken, sisi)) in pairs
    assert frozenset((blinken, netanyahu)) in pairs
    assert {r["targetCountry"] for r in consult if r.get("target") == sisi} == {"EGY"}
    blinken = [r for r in consult if r.get("sourceLabel") == "Antony Blinken"]
    assert all(r["sourceCountry"] == "USA" for r in blinken)


def test_egypt_us_qatar_mediate_between_hamas_and_israel(run):
    rows = run("mediations")
    mediators = {r["mediatorLabel"] for r in rows}
    parties = {r["partyLabel"] for r in rows}
    assert {"Egypt", "United States", "Qatar"} <= mediators
    assert {"Hamas", "Israel"} <= parties


def test_1979_peace_treaty(events):
    rows = find(events, "TreatySigning", "Egypt", "Israel")
    assert rows
    assert rows[0]["date"] == "1979"


@pytest.mark.parametrize("event_type,source,factuality", [
    ("Withdrawal", "Israel", "hypothetical"),   # 'Israel would withdraw' under the proposal
    ("Release", "Hamas", "hypothetical"),       # 'Hamas would free hostages'
    ("Promise", "United States", "negated"),    # 'The United States did not agree'
    ("Agree", "Antony Blinken", "future"),      # 'Blinken will head to Jordan and Qatar' (PLOVER: future CONSULT is AGREE)
    ("Attack", "Israel", "future"),             # 'Israel is expected to launch a ground offensive'
])
def test_factuality_never_asserts_what_did_not_happen(events, event_type, source, factuality):
    rows = find(events, event_type, source, factuality=factuality)
    assert rows, f"{event_type} by {source} should be {factuality}"
    sentences = {r["sentence"] for r in rows}
    assert not [r for r in events if r["sentence"] in sentences and r["eventType"].endswith("#" + event_type)
                and r["factuality"] == "asserted" and r.get("sourceLabel") == source]


def test_responding_to_a_plan_is_no_event(events):
    """'Hamas has not formally responded to the plan': no consultation, said or denied (issue 23)."""
    assert not [r for r in events if "formally responded" in r["sentence"]]


def test_read_more_lines_yield_nothing(events):
    assert not [r for r in events if "READ MORE" in r["sentence"]]


def test_netanyahu_is_one_node_across_both_articles(events):
    iris = {r["source"] for r in events if r.get("sourceLabel") == "Benjamin Netanyahu"} | \
           {r["target"] for r in events if r.get("targetLabel") == "Benjamin Netanyahu"}
    docs = {r["docName"] for r in events if "Benjamin Netanyahu" in (r.get("sourceLabel"), r.get("targetLabel"))}
    assert len(iris) == 1 and len(docs) == 2


def test_every_event_has_sentence_and_document(events):
    assert len({r["event"] for r in events}) >= 25
    for r in events:
        assert r["sentence"] and r["docName"].endswith(".txt")
        assert r["factuality"] in {"asserted", "negated", "hypothetical", "future"}
