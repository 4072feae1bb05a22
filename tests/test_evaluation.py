"""The evaluation harness: dev sets split into a working and a check part, ConfliBERT's quads and direction,
the reliability of confidence. The split is what keeps rules honest, so it is tested for what it promises:
a record's part never depends on the file it is read from, its order or its neighbours."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kg.evaluation.calibration import expected_calibration_error, kept_at, reliability
from kg.evaluation.conflibert import QuadScore, Sentence, actor_matches, read_ner_file, score_sentence, span_countries
from kg.evaluation.splits import part_of, record_key, select, sentence_key
from kg.extraction.actors import Actor
from kg.extraction.records import EventRecord, Evidence

DEV_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dev"
CONFLIBERT = DEV_DIR / "conflibert"
needs_dev = pytest.mark.skipif(not CONFLIBERT.exists(), reason="../shared/data/dev is not beside the clone")

SWITZERLAND = Actor("country/che", "Country", "Switzerland", iso3="CHE")
CROATIA_GOV = Actor("org/croatia-government", "Government", "Government of Croatia",
                    represents=Actor("country/hrv", "Country", "Croatia", iso3="HRV"))
POLICE = Actor("org/police", "Organization", "the police")


def _records(name: str) -> list[dict]:
    return [json.loads(line) for line in (DEV_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@needs_dev
@pytest.mark.parametrize("name", ["plover_gsr_dev.jsonl", "petrarch2_gsr_plover.jsonl"])
def test_a_record_keeps_its_part_in_any_order_and_about_one_in_three_is_check(name):
    records = _records(name)
    check = [r["id"] for r in select(records, "check")]
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(r["id"] for r in select(shuffled, "check")) == sorted(check)
    assert sorted(r["id"] for r in select(shuffled[: len(shuffled) // 2], "check")) == sorted(
        r["id"] for r in shuffled[: len(shuffled) // 2] if r["id"] in set(check))
    assert 0.25 <= len(check) / len(records) <= 0.42
    working = {r["id"] for r in select(records, "working")}
    assert not working & set(check) and len(working) + len(check) == len(records)
    assert len(select(records, "all")) == len(records)


def test_a_sentence_keys_the_same_tokenised_or_not():
    assert sentence_key("the Croatian governmentʼs request") == sentence_key("the Croatian government 's request")
    assert part_of(sentence_key("A “quoted” word.")) == part_of(sentence_key('A " quoted " word .'))
    assert record_key({"id": "X-1", "text": "anything"}) == "X-1"
    assert record_key({"text": "Some text."}) == "sometext"


@needs_dev
def test_conflibert_class_and_ner_files_join_on_their_sentences():
    from kg.evaluation.conflibert import read_conflibert

    sentences = read_conflibert(CONFLIBERT)
    classed = [s for s in sentences if s.quad is not None]
    assert len(classed) >= 1500 and {s.quad for s in classed} == {0, 1, 2, 3, 4}
    tagged = [s for s in sentences if s.tagged]
    assert len(tagged) >= 1340  # every sentence of the NER files, joined to its class sentence or on its own
    assert sum(s.tagged for s in classed) >= 1100  # most NER sentences are a class file's sentence, tokenised
    assert sum(bool(s.sources and s.targets) for s in tagged) > 800
    halves = read_conflibert(CONFLIBERT, "working"), read_conflibert(CONFLIBERT, "check")
    assert sum(map(len, halves)) == len(sentences) and 0.25 <= len(halves[1]) / len(sentences) <= 0.42


def test_ner_tags_become_source_and_target_spans(tmp_path):
    ner = tmp_path / "cameo_ner_x.txt"
    ner.write_text("Police B-S\nin O\nLagos O\narrested O\nthree B-T\nstudents I-T\n. O\n\n"
                   "Talks O\nended O\n. O\n", encoding="utf-8")
    spans = read_ner_file(ner)
    assert spans[sentence_key("Police in Lagos arrested three students.")] == (
        "Police in Lagos arrested three students.", ["Police"], ["three students"])
    assert spans[sentence_key("Talks ended.")] == ("Talks ended.", [], [])


def test_an_actor_matches_a_span_by_its_country_or_else_its_words():
    assert actor_matches(SWITZERLAND, "a Swiss court")
    assert not actor_matches(SWITZERLAND, "the Croatian government 's request")
    assert actor_matches(CROATIA_GOV, "the Croatian government")
    assert actor_matches(POLICE, "Police")
    assert not actor_matches(POLICE, "three students")
    assert not actor_matches(POLICE, "Iraqi police")  # the span names a country the actor does not have


@pytest.mark.parametrize("span, iso3", [
    ("Tokyo", "JPN"), ("the beseiged town near Algiers", "DZA"),  # a place of the gazetteer: its country
    ("Washington", "USA"), ("the Kremlin", "RUS"),  # a capital or metonym
    ("the US", "USA"), ("U.S. officials", "USA"), ("the UK", "GBR"),  # short names in capitals
    ("targets in Hebron", "PSE"), ("a market near Kandahar", "AFG"),  # a GeoNames city after a preposition
])
def test_a_span_names_the_country_a_cameo_coder_would_code(span: str, iso3: str):
    assert span_countries(span) == {iso3}


@pytest.mark.parametrize("span", ["us", "a car bomb", "the protesters in it"])
def test_a_short_word_in_lower_case_names_no_country(span: str):
    assert span_countries(span) == set()


def _event(cls: str, sources: list[Actor], targets: list[Actor], confidence: float = 0.9) -> EventRecord:
    return EventRecord(cls=cls, cameo=None, sources=sources, targets=targets,
                       evidence=[Evidence(0, 10, "x", "x", 0)], confidence=confidence)


def test_a_sentence_scores_quad_direction_and_calibration():
    from kg.lexicon.entries import load_lexicon

    by_plover = {p: c for c, p in load_lexicon().class_plover.items()}
    score, pairs = QuadScore(), []
    rejected = Sentence("a Swiss court rejected the Croatian government's request", 3,
                        ["a Swiss court"], ["the Croatian government 's request"], tagged=True)
    score_sentence(score, rejected, [_event(by_plover["REJECT"], [CROATIA_GOV], [SWITZERLAND], 0.8)], pairs)
    assert score.quad_hits[3] == 1 and score.directed_hits == 0 and score.reversed_hits == 1
    assert [p[:2] for p in pairs] == [(0.8, False)]  # the right quad the wrong way round is a wrong count
    score_sentence(score, rejected, [_event(by_plover["REJECT"], [SWITZERLAND], [CROATIA_GOV])], pairs)
    assert score.directed_hits == 1 and pairs[-1][:2] == (0.9, True)
    assert "plover=REJECT" in pairs[-1].features  # what the confidence model reads of the event
    score_sentence(score, Sentence("Nothing happened here.", 0), [_event(by_plover["CONSULT"], [POLICE], [])], pairs)
    assert score.no_event_accuracy == 0.0 and score.quad_precision == pytest.approx(2 / 3)


def test_quads_are_scored_in_both_schemes_and_direction_leaves_quad_0_aside():
    """PLOVER's SANCTION is material conflict (4); CAMEO's 16 REDUCE RELATIONS, as ConfliBERT labels it, verbal
    conflict (3). A quad-0 sentence (a CAMEO statement or appeal) holds no PLOVER dyad to find."""
    from kg.lexicon.entries import load_lexicon

    by_plover = {p: c for c, p in load_lexicon().class_plover.items()}
    score = QuadScore(cameo=QuadScore())
    expelled = Sentence("Croatia expelled the Swiss ambassador", 3, ["Croatia"], ["the Swiss ambassador"], tagged=True)
    score_sentence(score, expelled, [_event("Expulsion", [CROATIA_GOV], [SWITZERLAND])])
    assert by_plover["SANCTION"] and score.quad_hits[3] == 0 and score.cameo.quad_hits[3] == 1
    assert score.cameo.quad_precision == 1.0 and score.quad_precision == 0.0
    urged = Sentence("Croatia urged Switzerland to act", 0, ["Croatia"], ["Switzerland"], tagged=True)
    score_sentence(score, urged, [])
    assert score.dyads == 1 and score.silent[0] == 1 and score.cameo.silent[0] == 1


def test_the_expected_calibration_error_is_the_weighted_gap_per_bin():
    pairs = [(0.95, True)] * 9 + [(0.95, False)] + [(0.55, True)] * 2 + [(0.55, False)] * 8
    bins = reliability(pairs)
    assert [(b.events, round(b.precision, 2)) for b in bins] == [(10, 0.2), (10, 0.9)]
    assert expected_calibration_error(pairs) == pytest.approx(0.5 * 0.35 + 0.5 * 0.05)
    assert kept_at(pairs, 0.9) == (10, 0.9)
    assert expected_calibration_error([(0.9, True)] * 9 + [(0.9, False)]) == pytest.approx(0.0)


@needs_dev
@pytest.mark.slow
def test_kg_eval_reports_both_parts_of_conflibert_side_by_side():
    out = subprocess.run([sys.executable, "-m", "kg.cli", "eval", str(CONFLIBERT), "--json"],
                         capture_output=True, text=True, check=True).stdout
    figures = json.loads(out)
    assert set(figures) == {"working", "check"}
    assert figures["working"]["records"] + figures["check"]["records"] >= 1500
    for part in figures.values():
        assert 0.0 < part["quad_precision"] <= 1.0 and 0.0 <= part["no_event_accuracy"] <= 1.0
        assert 0.0 < part["directed_recall"] <= part["source_recall"] and 0.0 <= part["ece"] <= 1.0
    text = subprocess.run([sys.executable, "-m", "kg.cli", "eval", str(CONFLIBERT), "--part", "check"],
                          capture_output=True, text=True, check=True).stdout
    assert "== check part ==" in text and "working" not in text and "expected calibration error" in text


def test_kg_eval_names_a_folder_that_holds_no_gold(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kg.cli", "eval", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode != 0 and str(tmp_path) in r.stderr and "cameo_class" in r.stderr


def test_a_span_names_an_organisation_by_its_acronym_or_its_name():
    """A coder reads 'the EU' and 'the European Union', 'ISIL' and 'Islamic State' as one actor."""
    eu = Actor("org/eu", "IntergovernmentalOrganization", "European Union")
    isil = Actor("org/isil", "ArmedGroup", "Islamic State")
    assert actor_matches(eu, "The EU") and actor_matches(eu, "the E.U. 's foreign policy chief")
    assert actor_matches(isil, "ISIL") and actor_matches(isil, "Islamic State targets in Syria")
    assert not actor_matches(eu, "ISIL") and not actor_matches(isil, "is")  # 'is' in lower case is a word


def test_a_span_and_a_label_match_with_or_without_accents():
    erdogan = Actor("person/recep-tayyip-erdogan", "Person", "Recep Tayyip Erdogan",
                    represents=Actor("country/tur", "Country", "Turkey", iso3="TUR"))
    assert actor_matches(erdogan, "Erdoğan")
