"""Scoring speed: 500,000 respondents x 28 condition items against a bare row mean of the same matrix.

    python -m bench.bench_scoring [--respondents 500000] [--repeat 3]

Prints the best-of-N time of ``score_respondents`` (reversal, non-answers, half-answered rule, seven
conditions) beside ``DataFrame.mean(axis=1)`` over the same numeric matrix, measured in the same run, and the
ratio. Goal: within 5x of that floor.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from bench.timing import best_of
from survey_model.codebook import load_codebook
from survey_model.scoring import condition_summary, score_respondents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    codebook = load_codebook()
    items = [item.id for item in codebook.condition_items]
    rng = np.random.default_rng(0)
    values = rng.integers(1, 6, size=(args.respondents, len(items))).astype(np.float32)
    values[rng.random(values.shape) < 0.05] = np.nan  # skipped answers
    values[rng.random(values.shape) < 0.02] = -1.0  # "Don't know"
    frame = pd.DataFrame(values, columns=items)
    frame["school"] = rng.choice([f"School {i}" for i in range(40)], size=args.respondents)
    numeric = frame[items]

    floor = best_of(args.repeat, lambda: numeric.mean(axis=1))
    scored = best_of(args.repeat, lambda: score_respondents(frame, codebook))
    summary = best_of(args.repeat, lambda: condition_summary(frame, codebook, by=["school"]))
    print(f"respondents x items         : {args.respondents:,} x {len(items)}")
    print(f"DataFrame.mean(axis=1) floor: {floor:.3f} s")
    print(f"score_respondents           : {scored:.3f} s   ratio {scored / floor:.2f}x   (goal <= 5x)")
    print(f"condition_summary by school : {summary:.3f} s   ratio {summary / floor:.2f}x   (for information)")


if __name__ == "__main__":
    main()
