"""The confidence model: fitted on the working parts (tools/fit_calibration.py), applied to every event."""
from __future__ import annotations

import importlib.util
import json
import random
import shutil
from pathlib import Path

import pytest

from kg.evaluation.calibration import Judged, expected_calibration_error
from kg.extraction.calibration import Calibrator, features
from kg.extraction.component import load_nlp
from kg.extraction.extractor import EventExtractor
from kg.lexicon.entries import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "Egypt hosted talks between Israeli and Hamas negotiators in Cairo on Sunday."


def fitter():
    spec = importlib.util.spec_from_file_location("fit_calibration", ROOT / "tools" / "fit_calibration.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_fit_recovers_the_rates_it_was_drawn_from():
    rng = random.Random(7)
    rates = {("origin=curated verb", "named source"): 0.9, ("origin=dictionary verb", "no source"): 0.2,
             ("origin=curated verb", "no source"): 0.5, ("origin=dictionary verb", "named source"): 0.6}
    judged = [Judged(0.5, rng.random() < rate, feats) for feats, rate in rates.items() for _ in range(2000)]
    bias, weights = fitter().fit(judged, l2=0.01)
    model = Calibrator({"bias": bias, "weights": weights})
    for feats, rate in rates.items():
        assert model.probability(feats) == pytest.approx(rate, abs=0.04)
    refit = [Judged(model.probability(j.features), j.right) for j in judged]
    assert expected_calibration_error(refit) < 0.03 < expected_calibration_error(judged)


def test_every_weight_is_a_feature_the_extractor_gives():
    lex = load_lexicon()
    assert lex.calibration is not None, "kg/data/calibration.json: run tools/fit_calibration.py"
    possible = {f"origin={o}" for o in lex.confidence["trigger"]} | set(lex.confidence["roles"])
    possible |= {f"plover={p}" for p in set(lex.class_plover.values())}
    possible |= {f"factuality={f}" for f in ("asserted", "negated", "hypothetical", "future")}
    possible |= {"several mentions", "reciprocal"}
    assert set(lex.calibration["weights"]) <= possible


def test_confidence_is_the_fitted_probability_and_the_raw_score_without_a_model(tmp_path):
    nlp, lex = load_nlp(), load_lexicon()
    doc = nlp(SENTENCE)
    calibrated = EventExtractor(lex).extract(doc).events
    assert calibrated
    model = Calibrator(lex.calibration)
    for ev in calibrated:
        assert ev.confidence == round(model.probability(features(ev, lex.plover(ev.cls))), 2)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "kg" / "data", data)
    (data / "calibration.json").unlink()
    raw = EventExtractor(load_lexicon(data)).extract(doc).events
    spec = json.loads((data / "confidence.json").read_text())
    assert [e.support for e in raw] == [e.support for e in calibrated]
    for ev in raw:  # the raw score: the trigger's worth plus each role's adjustment
        expected = spec["trigger"][ev.support[0]] + sum(spec["roles"].get(s, 0.0) for s in ev.support[1:3])
        assert ev.confidence == pytest.approx(min(spec["max"], max(spec["min"], expected)), abs=0.051)
