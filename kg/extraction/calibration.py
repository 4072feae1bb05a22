"""Stage 9, calibration: dip:confidence as the share of such events that come out right.

The raw score (confidence.py) adds up what supported an event; it ranks events but its numbers are not
probabilities. A logistic model over the same evidence (the trigger's origin, whether source and target were
named, inferred or missing, the PLOVER type, the factuality, several mentions) turns it into one: of the
events given 0.7, about 70% should have the right type and actors. tools/fit_calibration.py fits the model
on the working parts of the dev sets only and writes kg/data/calibration.json; `kg eval` scores it on the
check parts (reliability table, expected calibration error). Without that file the raw score stands.
"""
from __future__ import annotations

import math
from typing import Any

from .records import EventRecord


def features(rec: EventRecord, plover: str) -> tuple[str, ...]:
    """What the model reads of an event: its support (origin, then source and target status), type and factuality."""
    out = [f"origin={rec.support[0]}" if rec.support else "origin=?"]
    out += rec.support[1:3]  # 'named source', 'inferred target', 'no target', 'location target'
    out += [f"plover={plover}", f"factuality={rec.factuality}"]
    if len(rec.evidence) > 1:
        out.append("several mentions")
    if rec.reciprocal:
        out.append("reciprocal")
    return tuple(out)


class Calibrator:
    """A fitted logistic model: bias plus one weight per feature, squashed to (0, 1)."""

    def __init__(self, spec: dict[str, Any] | None):
        spec = spec or {}
        self.weights: dict[str, float] = dict(spec.get("weights", {}))
        self.bias: float = float(spec.get("bias", 0.0))
        self.fitted = bool(self.weights)

    def probability(self, feats: tuple[str, ...]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-z))

    def calibrate(self, rec: EventRecord, plover: str) -> None:
        """Replace the raw score by the model's probability, when a model was fitted."""
        if self.fitted:
            rec.confidence = round(self.probability(features(rec, plover)), 2)
