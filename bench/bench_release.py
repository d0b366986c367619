"""What the release decision costs: groups shown before and after it, and how long it takes.

Run with ``python -m bench.bench_release`` (``--statewide-only`` or ``--demo-only`` for one part).

*Before* is the per-view rule the pages used until the release decision: a breakdown shows every group of at least
``min_n`` (10 for sensitive attributes) less complementary suppression, computed on the stored answers.
*After* is what the released frame (:mod:`survey_model.release`) lets a page show. Both are counted for the
organization as a whole and within each school, for every breakdown attribute, every wave: groups shown and
respondents inside a shown group. The time of the decision is printed beside the time to load the responses
(measured in the same run), since it runs once per load and is cached by data version.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from survey_model.codebook import load_codebook
from survey_model.release import WITHHELD, SchoolInfo, release, school_info
from survey_model.responses import NOT_ANSWERED, WAVE
from survey_model.scoring import IDENTITY, identity_groups


def shown_groups(
    frame: pd.DataFrame, column: str, *, within: str | None, min_n: int, released: bool
) -> tuple[int, int]:
    """Groups shown and respondents in them, over every wave (and every ``within`` group)."""
    values = frame[column].astype("string").fillna(NOT_ANSWERED).replace("", NOT_ANSWERED)
    keys = [frame[WAVE].astype("string")] + ([frame[within].astype("string")] if within else [])
    counts = values.groupby([*keys, values]).size().rename("n").reset_index()
    counts.columns = [*(f"k{i}" for i in range(len(keys))), "group", "n"]
    counts = counts[counts["n"] > 0]
    if released:
        counts = counts[counts["group"] != WITHHELD]
        if within:
            counts = counts[counts["k1"] != WITHHELD]
        return len(counts), int(counts["n"].sum())
    shown_groups_, shown_respondents = 0, 0
    for sizes in counts.groupby([f"k{i}" for i in range(len(keys))], sort=False)["n"]:
        shown = _complementary(sizes[1].to_numpy(), min_n)
        shown_groups_ += int(shown.sum())
        shown_respondents += int(sizes[1].to_numpy()[shown].sum())
    return shown_groups_, shown_respondents


def _complementary(sizes: np.ndarray, min_n: int) -> np.ndarray:
    """Which groups of one breakdown the per-view rule showed (survey_model.privacy.suppress, for counts alone)."""
    hidden = sizes < min_n
    if hidden.any():
        for index in np.argsort(sizes, kind="stable"):
            if hidden.sum() >= 2 and sizes[hidden].sum() >= min_n:
                break
            hidden[index] = True
    return ~hidden


def information_loss(frame: pd.DataFrame, codebook, schools: dict[str, SchoolInfo], *, label: str) -> None:
    """Print groups shown before and after the release, per attribute, and time the decision."""
    started, cpu = time.perf_counter(), time.process_time()
    released = release(frame, codebook, schools=schools)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    raw = frame.assign(**{IDENTITY: identity_groups(frame, codebook)})
    sensitive = {a.id for a in codebook.attributes if a.sensitive}
    print(
        f"\n{label}: {len(frame):,} respondents in {frame[WAVE].nunique()} waves; "
        f"release decision {seconds:.2f} s ({cpu:.2f} s CPU)"
    )
    print(f"  respondents in a published cell: {len(released.frame):,} of {len(frame):,}")
    print("  | attribute | within | groups shown before → after | respondents in a shown group before → after |")
    for column in ["school", *released.attributes]:
        min_n = 10 if column in sensitive else 5
        for within in (None, "school") if column != "school" else (None,):
            before = shown_groups(raw, column, within=within, min_n=min_n, released=False)
            after = shown_groups(released.frame, column, within=within, min_n=min_n, released=True)
            place = "organization" if within is None else "each school"
            print(
                f"  | {column} | {place} | {before[0]:,} → {after[0]:,} | {before[1]:,} → {after[1]:,}"
                f" ({after[1] / max(before[1], 1):.0%}) |"
            )


def demo() -> None:
    from survey_model.samples import load_samples
    from survey_model.settings import Settings
    from survey_model.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store.from_settings(Settings(data_dir=Path(folder)))
        load_samples(store, user="bench")
        for org in ("cedar-valley", "harbor-point"):
            started = time.perf_counter()
            frame = store.load_responses(org)
            loading = time.perf_counter() - started
            print(f"\n(loading {org} from the store: {loading:.2f} s)")
            information_loss(frame, store.codebook_for(org), school_info(store.schools(org)), label=f"Demo {org}")
        store.close()


def statewide(waves: int, respondents: int) -> None:
    from bench.bench_pages import LEVELS, synthetic_wave
    from survey_model.responses import RESPONDENT_ID, RESPONDENT_KEY

    codebook = load_codebook()
    parts = []
    for index in range(waves):
        part = synthetic_wave(np.random.default_rng([20240415, index]), respondents)
        part[RESPONDENT_KEY] = part.pop(RESPONDENT_ID)
        part[WAVE] = f"{2021 + index} Spring"
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame[WAVE] = pd.Categorical(frame[WAVE], ordered=True)
    for column in ("school", "school_level", "role", "years_in_education", "years_at_school", "leadership_team"):
        frame[column] = frame[column].astype("category")
    schools = {f"School {i}": SchoolInfo(level=LEVELS[i % len(LEVELS)], group="") for i in range(400)}
    started = time.perf_counter()
    frame.groupby([WAVE, "school"], observed=True).size()  # a floor: one group-by over the same frame
    floor = time.perf_counter() - started
    print(f"\n(one group-by of the frame by wave and school: {floor:.2f} s)")
    information_loss(frame, codebook, schools, label=f"Statewide {waves} × {respondents:,} in 400 schools")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--demo-only", action="store_true")
    parser.add_argument("--statewide-only", action="store_true")
    args = parser.parse_args()
    if not args.statewide_only:
        demo()
    if not args.demo_only:
        statewide(args.waves, args.respondents)


if __name__ == "__main__":
    main()
