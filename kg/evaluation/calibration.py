"""Does dip:confidence mean what it says? A reliability table and the expected calibration error.

Each scored event is a (confidence, right) pair: right when its type is the gold one and, where the gold
names them, its actors are too (scores.py and conflibert.py decide). Events are binned by confidence; in a
calibrated extractor each bin's observed precision is its mean confidence. The expected calibration error
(ECE) is the events-weighted mean gap between the two; "kept at >= c" gives, for each threshold, the share
of right events among those an analyst keeps with `--min-confidence c`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)  # [lo, hi): the top bin holds 0.9 to 1.0
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


class Judged(NamedTuple):
    """One scored event: its confidence, whether it was right, and what the confidence model read of it."""

    confidence: float
    right: bool
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bin:
    lo: float
    hi: float
    events: int
    mean_confidence: float
    precision: float


def reliability(pairs: list[Judged]) -> list[Bin]:
    out = []
    for lo, hi in zip(BINS, BINS[1:]):
        inside = [(c, ok) for c, ok, *_ in pairs if lo <= c < hi]
        if inside:
            out.append(Bin(lo, min(hi, 1.0), len(inside), sum(c for c, _ in inside) / len(inside),
                           sum(ok for _, ok in inside) / len(inside)))
    return out


def expected_calibration_error(pairs: list[Judged]) -> float:
    total = len(pairs)
    return sum(b.events / total * abs(b.precision - b.mean_confidence) for b in reliability(pairs)) if total else 0.0


def kept_at(pairs: list[Judged], threshold: float) -> tuple[int, float]:
    kept = [ok for c, ok, *_ in pairs if c >= threshold]
    return len(kept), (sum(kept) / len(kept) if kept else 0.0)


def render_calibration(pairs: list[Judged]) -> list[str]:
    lines = [f"calibration ({len(pairs)} events; right = gold type and, where the gold names them, its actors)",
             f"{'confidence':12} {'events':>7} {'mean conf':>9} {'precision':>9}"]
    for b in reliability(pairs):
        lines.append(f"[{b.lo:.1f}, {b.hi:.1f}{']' if b.hi >= 1.0 else ')'}  {b.events:7} {b.mean_confidence:9.2f} {b.precision:9.2f}")
    lines.append(f"expected calibration error: {expected_calibration_error(pairs):.3f}")
    lines.append("kept at >= c: " + "   ".join(f"{t:.1f}: {kept_at(pairs, t)[1]:.2f} of {kept_at(pairs, t)[0]}"
                                             for t in THRESHOLDS))
    return lines
