"""PLOVER's coding conventions (kg/data/codebook.jsonl): each entry cites the manual, and each example of an
entry comes out as the entry says, and comes out otherwise with that entry alone switched off, so no entry
is dead weight and none is a restatement of another."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extraction.codebook import Codebook
from kg.extraction.component import load_nlp
from kg.extraction.extractor import EventExtractor
from kg.lexicon.entries import load_lexicon

CODEBOOK = Path(__file__).resolve().parent.parent / "kg" / "data" / "codebook.jsonl"
ENTRIES = [json.loads(line) for line in CODEBOOK.read_text(encoding="utf-8").splitlines() if line.strip()]
MANUAL_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
CASES = [pytest.param(e, x, id=f"{e['id']}-{i}") for e in ENTRIES for i, x in enumerate(e["examples"])]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def outcome(nlp, text: str, disabled: frozenset[str] = frozenset()) -> set[tuple[str, str]]:
    lex = load_lexicon()
    extractor = EventExtractor(lex)
    extractor.codebook = Codebook(lex, disabled)
    return {(lex.plover(e.cls), e.factuality) for e in extractor.extract(nlp(text)).events}


def test_every_entry_cites_the_manual_and_has_examples():
    assert len({e["id"] for e in ENTRIES}) == len(ENTRIES)
    for e in ENTRIES:
        assert any(t in e["section"] for t in MANUAL_TYPES), e["id"]
        assert e["examples"], e["id"]
        if "class" in e["then"]:
            assert load_lexicon().plover(e["then"]["class"]) in MANUAL_TYPES, e["id"]


@pytest.mark.parametrize("entry,example", CASES)
def test_entry_codes_its_example_and_is_needed(nlp, entry, example):
    got = outcome(nlp, example["text"])
    if "plover" in example:
        assert example["plover"] in {t for t, _ in got}, got
        if "factuality" in example:
            assert (example["plover"], example["factuality"]) in got, got
    if "absent" in example:
        assert example["absent"] not in {t for t, _ in got}, got
    assert outcome(nlp, example["text"], frozenset({entry["id"]})) != got, "the entry changes nothing here"


def test_an_unknown_condition_is_an_error():
    from kg.extraction.codebook import Convention
    with pytest.raises(ValueError, match="unknown condition"):
        Convention.from_row({"id": "x", "section": "AGREE", "when": {"tense": ["past"]}, "then": {}})


@pytest.mark.parametrize("text", ["The foreign minister rejected Japan's suggestion that the talks move to Tokyo.",
                                  "Hanoi rejected a proposal by Beijing to share the fishing grounds."])
def test_rejecting_a_proposal_is_not_a_denial(nlp, text):
    """A suggestion is a proposal (CAMEO's proposal list names it): rejecting one is REJECT, not 'deny responsibility'."""
    assert "REJECT" in {t for t, _ in outcome(nlp, text)}
