"""Exploration pages at statewide scale: 5 waves × 100,000 respondents stored, each page run through AppTest.

    python -m bench.bench_pages [--respondents 100000] [--waves 5] [--data-dir DIR]

Builds the waves with the store's API (``Store.save_wave``) in a temporary database, in a child process so that
the peak memory printed is the pages' own. Then, for Overview, Conditions, Schools, Subgroups and Leader identity, it
runs ``app.py`` through Streamlit's AppTest and prints:

* **cold**: empty caches, first run of the app and switch to the page (store read of every wave, scoring,
  drawing);
* **rerun after a filter change**: the Role filter set to *Teacher*, then the School level filter set to
  *Middle* (each a new cache key, so the page's figures are recomputed);
* **rerun, same filters**: the floor, everything answered from the caches;
* the median and the slowest of eight filter changes (the two above and six more, each a new selection), which
  say more than one change on a noisy machine;
* the time of the page's view function alone on the same frame (no Streamlit), to tell computation from the
  app's own work;
* the process's peak resident memory (``ru_maxrss``) after all pages.

Goals: rerun after a filter change ≤ 0.3 s, cold ≤ 5 s, peak memory ≤ 1.5 GB. The figures are printed, not
asserted (speed goals live here, not in tests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ORG = "statewide"
PAGES = {
    "Overview": "views/overview.py",
    "Conditions": "views/conditions.py",
    "Schools": "views/schools.py",
    "Subgroups": "views/subgroups.py",
    "Leader identity": "views/leader_identity.py",
}
ROLES = ("Teacher", "Administrator", "Instructional coach or specialist", "Student support", "Other")
LEVELS = ("Elementary", "Middle", "High", "K-8")
#: Further filter changes after the two in their own columns, each a new selection (so a new cache key).
MORE_CHANGES = (
    ("filter_level", "High"),
    ("filter_role", "Instructional coach or specialist"),
    ("filter_level", "Elementary"),
    ("filter_role", "Administrator"),
    ("filter_level", "K-8"),
    ("filter_role", "Student support"),
)
YEARS = ("First year", "2-3 years", "4-6 years", "7-10 years", "11-20 years", "More than 20 years")


def synthetic_wave(rng: np.random.Generator, respondents: int) -> pd.DataFrame:
    """One wave of a statewide survey: 400 schools, every codebook item, some skips and "Don't know"s."""
    from survey_model.codebook import load_codebook
    from survey_model.responses import NONSUBSTANTIVE, RESPONDENT_ID

    codebook = load_codebook()
    school = rng.integers(0, 400, respondents)
    frame = pd.DataFrame({RESPONDENT_ID: pd.array([f"R{i:07d}" for i in rng.permutation(respondents)], "string")})
    frame["school"] = pd.array(np.char.add("School ", school.astype(str)), "string")
    frame["school_level"] = pd.array(np.asarray(LEVELS)[school % len(LEVELS)], "string")
    frame["role"] = pd.array(rng.choice(ROLES, respondents, p=[0.7, 0.06, 0.08, 0.1, 0.06]), "string")
    frame["years_in_education"] = pd.array(rng.choice(YEARS, respondents), "string")
    frame["years_at_school"] = pd.array(rng.choice(YEARS, respondents), "string")
    frame["leadership_team"] = pd.array(rng.choice(["Yes", "No"], respondents, p=[0.2, 0.8]), "string")
    frame["gender"] = pd.array(rng.choice(["Woman", "Man", "Non-binary"], respondents, p=[0.7, 0.28, 0.02]), "string")
    level = rng.normal(3.3, 0.7, respondents)  # a respondent's general view, so items correlate
    for item in codebook.items:
        scale = codebook.scale(item.scale)
        if scale.ordinal:
            answer = np.clip(np.rint(level + rng.normal(0, 0.9, respondents)), 1, 5)
            if item.reverse:
                answer = 6 - answer
        else:
            answer = rng.integers(1, len(scale.options) + 1, respondents).astype(float)
        draw = rng.random(respondents)
        answer[draw < 0.03] = np.nan
        answer[(draw >= 0.03) & (draw < 0.05)] = NONSUBSTANTIVE
        frame[item.id] = answer.astype(np.float32)
    return frame


def build(folder: Path, *, respondents: int, waves: int) -> None:
    """Store ``waves`` synthetic waves of ``respondents`` each through the store's API."""
    from survey_model.codebook import load_codebook
    from survey_model.settings import Settings
    from survey_model.store import Store

    store = Store.from_settings(Settings(data_dir=folder))
    codebook = load_codebook()
    store.ensure_organization(ORG, "Statewide network (benchmark)", user="bench")
    for index in range(waves):
        label = f"{2021 + index} Spring"
        frame = synthetic_wave(np.random.default_rng([20240415, index]), respondents)
        started = time.perf_counter()
        result = store.save_wave(
            ORG,
            label,
            frame,
            codebook=codebook,
            platform="benchmark",
            file_sha256=hashlib.sha256(f"bench {label} {respondents}".encode()).hexdigest(),
            user="bench",
            date=dt.date(2021 + index, 4, 15),
        )
        print(
            f"  stored {label}: {result.status}, {respondents:,} respondents in {time.perf_counter() - started:.1f} s"
        )
    store.close()


class Attribution:
    """Time spent in app-wide helpers during a run, to tell the pages' own work from the router's.

    Wraps ``survey_model.dashboard.filter_options`` (the sidebar's choices, computed by ``app.py`` on every run)
    and ``ui.data.org_data`` (the organization's frame, read from ``st.cache_data``) with timers; behaviour is
    unchanged.
    """

    def __init__(self) -> None:
        from survey_model import dashboard
        from ui import data

        self.seconds = {"filter_options": 0.0, "org_data": 0.0}
        for module, name in ((dashboard, "filter_options"), (data, "org_data")):
            setattr(module, name, self._wrap(name, getattr(module, name)))

    def _wrap(self, name: str, function):
        def timed(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        return timed

    def reset(self) -> None:
        self.seconds = dict.fromkeys(self.seconds, 0.0)

    def app_share(self) -> float:
        return sum(self.seconds.values())


def _timed(run) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _timed_cpu(run) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of this process (every thread: AppTest runs the script in its own thread)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure_pages() -> None:
    """Cold and warm AppTest runs of each page on the stored data (``CLD_DATA_DIR`` must point at it)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    attribution = Attribution()
    print("wall-clock seconds / CPU seconds of this process (CPU time is the steadier figure on a shared machine);")
    print("in brackets the part spent in app.py's filter_options and ui.data.org_data reads. The last column is the")
    print(f"median and slowest wall-clock second of {len(MORE_CHANGES) + 2} filter changes (the two shown and more).")
    header = ("cold", "role → Teacher", "level → Middle", "same filters", "changes: median/max")
    print(f"{'page':<16}" + "".join(f"{title:>21}" for title in header))
    for name, page in PAGES.items():
        st.cache_data.clear()
        st.cache_resource.clear()

        def cold(_: AppTest | None, page: str = page) -> AppTest:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
            at.query_params["org"] = ORG
            at.run()
            return at.switch_page(page).run()

        def change(key: str, value: str):
            return lambda test: test.selectbox(key=key).set_value(value).run()

        steps = (cold, change("filter_role", "Teacher"), change("filter_level", "Middle"), lambda at: at.run())
        cells, changes, problems, at = [], [], [], None
        for index, step in enumerate((*steps, *(change(key, value) for key, value in MORE_CHANGES))):
            attribution.reset()
            seconds, cpu, at = _timed_cpu(lambda step=step, at=at: step(at))
            problems += list(at.exception)
            if index < len(steps):
                cells.append(f"{seconds:5.2f}/{cpu:5.2f} ({attribution.app_share():4.2f})")
            if index in (1, 2) or index >= len(steps):
                changes.append(seconds)
        cells.append(f"{statistics.median(changes):5.2f}/{max(changes):5.2f}")
        flag = f"   EXCEPTION: {problems[0].message}" if problems else ""
        print(f"{name:<16}" + "".join(f"{cell:>21}" for cell in cells) + flag)


def measure_views() -> None:
    """Each page's view function alone (no Streamlit, no cache), role = Teacher, latest wave.

    Timed on the frame as the app holds it (with each respondent's condition parts and the per-cell tallies, both
    made once on load) and, as the baseline of the same run, on the bare frame (every summary scores the items
    again, the Overview adds up respondents).
    """
    from survey_model import dashboard, explore
    from survey_model.scoring import with_condition_parts
    from survey_model.settings import load_settings
    from survey_model.store import Store
    from survey_model.tallies import tally

    settings = load_settings()
    store = Store.from_settings(settings)
    load_s, bare = _timed(lambda: store.load_responses(ORG))
    codebook = store.codebook_for(ORG)
    parts_s, held = _timed(lambda: with_condition_parts(bare, codebook))
    tally_s, tallies = _timed(lambda: tally(held, codebook))
    wave = bare["wave"].cat.categories[-1]
    teacher = {"school": None, "school_level": None, "role": "Teacher"}

    def kept(f: pd.DataFrame) -> dict:
        """The tallies go with the frame the app holds; the bare frame has none (the baseline)."""
        return {"settings": settings, "tallies": tallies if f is held else None}

    views = {
        "Overview": lambda f: dashboard.overview(f, codebook, wave=wave, restriction=teacher, **kept(f)),
        "Conditions": lambda f: explore.condition_detail(
            f, codebook, condition="SI", wave=wave, restriction=teacher, **kept(f)
        ),
        "Schools": lambda f: explore.schools_view(f, codebook, wave=wave, restriction=teacher, **kept(f)),
        "Subgroups": lambda f: explore.subgroup_view(
            f, codebook, attribute="years_in_education", wave=wave, restriction=teacher, **kept(f)
        ),
        "Leader identity": lambda f: explore.leader_view(f, codebook, wave=wave, restriction=teacher, **kept(f)),
    }
    print(
        f"\nstore.load_responses (all {len(bare):,} rows): {load_s:.2f} s; then once per load: condition parts ", end=""
    )
    print(f"{parts_s:.2f} s, tallies {tally_s:.2f} s ({len(tallies.cells):,} cells)")
    print("view function alone, role = Teacher, latest wave (best of 3), as the app holds the frame vs the bare frame:")
    for name, view in views.items():
        held_s = min(_timed(lambda view=view: view(held))[0] for _ in range(3))
        bare_s = min(_timed(lambda view=view: view(bare))[0] for _ in range(3))
        print(f"  {name:<16} {held_s:.3f} s   bare frame {bare_s:.3f} s   ratio {held_s / bare_s:.2f}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="reuse (or build once in) this folder instead of a temp one")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.data_dir, respondents=args.respondents, waves=args.waves)
        return
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as temporary:
        folder = args.data_dir or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "survey.db").exists():
            print(f"building {args.waves} waves × {args.respondents:,} respondents in {folder} ...")
            command = [sys.executable, "-m", "bench.bench_pages", "--build-only", "--data-dir", str(folder)]
            command += ["--respondents", str(args.respondents), "--waves", str(args.waves)]
            subprocess.run(command, check=True, cwd=ROOT)
        os.environ["CLD_DATA_DIR"] = str(folder)
        os.environ.pop("CLD_DATABASE_URL", None)
        measure_pages()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\npeak resident memory of this process (pages only): {peak_mb:,.0f} MB   (goal <= 1,536 MB)")
        measure_views()
        print("goals: rerun after a filter change <= 0.3 s, cold <= 5 s")


if __name__ == "__main__":
    main()
