"""Fit the confidence model (kg/extraction/calibration.py) on the WORKING parts of the dev sets.

    python tools/fit_calibration.py [--dev ../shared/data/dev] [--l2 1.0] [--out kg/data/calibration.json]

Runs the extractor over the working part of each dev set (PLOVER's records, PETRARCH2's sentences,
ConfliBERT's folder), takes every scored event as (features, right) the way `kg eval` judges it, and fits
an L2-regularised logistic regression by Newton's method. The check parts are never read: `kg eval`
scores the fitted model there. Rerun after any change to extraction, then `kg eval` both parts.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np

from kg.evaluation.calibration import Judged, expected_calibration_error
from kg.evaluation.scores import evaluate_parts
from kg.extraction.calibration import Calibrator

ROOT = Path(__file__).resolve().parent.parent
DEV_SETS = ("plover_gsr_dev.jsonl", "petrarch2_gsr_plover.jsonl", "conflibert")


def fit(judged: list[Judged], l2: float) -> tuple[float, dict[str, float]]:
    """Bias and per-feature weights maximising the penalised log-likelihood (the bias is not penalised)."""
    names = sorted({f for j in judged for f in j.features})
    index = {n: i + 1 for i, n in enumerate(names)}
    x = np.zeros((len(judged), len(names) + 1))
    x[:, 0] = 1.0
    for row, j in enumerate(judged):
        for f in j.features:
            x[row, index[f]] = 1.0
    y = np.array([float(j.right) for j in judged])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), {n: round(float(w[i]), 4) for n, i in index.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "data" / "dev")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / "calibration.json")
    args = ap.parse_args()
    judged: list[Judged] = []
    counts = {}
    for name in DEV_SETS:
        result = evaluate_parts(args.dev / name, parts=("working",))["working"]
        judged += result.calibration
        counts[name] = len(result.calibration)
        print(f"{name}: {len(result.calibration)} events, {sum(j.right for j in result.calibration)} right")
    bias, weights = fit(judged, args.l2)
    spec = {
        "_comment": "Confidence model of kg/extraction/calibration.py: P(right) = 1 / (1 + exp(-(bias + sum of the "
                    "weights of the event's features))). Fitted by tools/fit_calibration.py on the working parts of "
                    "the dev sets only (kg/evaluation/splits.py); kg eval scores it on the check parts.",
        "fitted": dt.date.today().isoformat(), "l2": args.l2, "events": counts,
        "bias": round(bias, 4), "weights": weights,
    }
    args.out.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
    model = Calibrator(spec)
    refit = [Judged(round(model.probability(j.features), 2), j.right, j.features) for j in judged]
    print(f"wrote {args.out}: {len(weights)} features; working-part ECE {expected_calibration_error(judged):.3f} as extracted "
          f"-> {expected_calibration_error(refit):.3f} refitted")


if __name__ == "__main__":
    main()
