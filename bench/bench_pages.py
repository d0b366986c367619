"""Every page at statewide scale: 5 waves × 100,000 respondents in 400 schools, each page run through AppTest.

    python -m bench.bench_pages [--respondents 100000] [--waves 5] [--data-dir DIR] [--only NAME ...]

Builds the waves with the store's API (``Store.save_wave``) in a temporary database, and a 100,000-row Qualtrics
export for the Upload page (``bench.bench_import.write_export``). Then each page runs in a **child process of its
own**, so that its cold start has empty caches and the peak memory printed (``VmHWM``) is that page's alone:

* **Overview, Conditions, Schools, Subgroups, Leader identity**, **Shifts** with its default comparison (the
  first wave; the previous wave before issue 14) and **Shifts** comparing with the first wave explicitly: *cold*
  (empty caches: first run of ``app.py`` and the switch to the page: store read of every wave, scoring,
  drawing), two *filter changes* (Role → Teacher, then School level → Middle; each a new cache key), a *rerun
  with the same filters* (the floor, answered from the caches), and the median and slowest of eight filter
  changes (the two shown and six more), which say more than one change on a noisy machine;
* **Workshop**: cold (the deck's first slide), then each slide in turn (*Next*, and a rerun on it), and eight
  changes of the deck (results wave, comparison wave, scope: each a new deck);
* **Upload a wave** with the 100,000-row export: cold (upload; the page reads the file, detects it, maps the
  columns and validates: preview, mapping and report in one run), two *mapping edits* (a column set to "ignore",
  so the file is read again with the edit), the same rerun, and eight mapping edits;
* **Manage data**: cold, the same rerun, and eight changes of the wave picked for deletion.

In the same run, as baselines: a **bare page** (one ``st.write``) through AppTest, the floor of any page; and each
results page's view function alone (no Streamlit, no cache) on the frame as the app holds it against the bare
frame. Goals: rerun after a filter change ≤ 0.3 s, cold ≤ 5 s, peak memory ≤ 1.5 GB. The figures are printed, not
asserted (speed goals live here, not in tests). Wall-clock / CPU seconds: CPU time is the steadier figure on a
shared machine (AppTest runs the script in a thread of the same process).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
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


UPLOAD_FILE = "statewide_2026-spring_qualtrics.csv"
SHIFTS_PAGE = "views/shifts.py"


def _timed(run) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _timed_cpu(run) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of this process (every thread: AppTest runs the script in its own thread)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _app(**query: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    for key, value in {"org": ORG, **query}.items():
        at.query_params[key] = value
    return at.run()


def _select(key: str, value: str):
    return lambda at: at.selectbox(key=key).set_value(value).run()


def _filter_changes():
    return [_select("filter_role", "Teacher"), _select("filter_level", "Middle")] + [
        _select(key, value) for key, value in MORE_CHANGES
    ]


def _results_page(page: str, **query: str):
    return (lambda _: _app(**query).switch_page(page).run()), _filter_changes()


def _upload_cold(folder: Path):
    def cold(_):
        at = _app().switch_page("views/upload.py").run()
        at.selectbox(key="upload_org").set_value(ORG)
        at.text_input(key="upload_wave").set_value("2026 Spring")
        raw = (folder / UPLOAD_FILE).read_bytes()
        return at.file_uploader(key="upload_file").set_value((UPLOAD_FILE, raw, "text/csv")).run()

    return cold


def _mapping_edits(folder: Path) -> list:
    """Eight edits of the mapping, as the page's editor makes them: one more item column set to "ignore"."""
    from survey_model.codebook import load_codebook
    from survey_model.importers import import_export
    from ui.staff import overrides_key

    raw = (folder / UPLOAD_FILE).read_bytes()
    mapped = import_export(raw, UPLOAD_FILE, load_codebook())
    positions = [
        entry.position
        for entry in mapped.mapping.entries
        if entry.target and entry.target.startswith(("VS", "SA", "CR"))
    ]
    key = overrides_key(raw)

    def edit(count: int):
        def run(at):
            at.session_state[key] = {f"c{position}": "" for position in positions[:count]}
            return at.run()

        return run

    return [edit(count) for count in range(1, 9)]


def _pick(key: str, index: int):
    """Choose the option at ``index`` (from the end when negative) of a selectbox, whatever the options are."""

    def run(at):
        options = at.selectbox(key=key).options
        return at.selectbox(key=key).set_value(options[index % len(options)]).run()

    return run


def _workshop_changes() -> list:
    """Eight new decks: scope (a school, then the whole organization), comparison wave, results wave."""
    return [
        _pick("workshop_scope", 8),
        _pick("workshop_compare", -1),
        _pick("workshop_scope", 0),
        _pick("workshop_wave", -2),
        _pick("workshop_compare", 1),
        _pick("workshop_scope", 43),
        _pick("workshop_wave", -3),
        _pick("workshop_compare", 0),
    ]


def _manage_changes() -> list:
    return [_pick("delete_wave", index) for index in (1, 2, 3, 4, 0, 2, 1, 3)]


def scenarios(folder: Path) -> dict:
    """Page name → (cold step, the eight change steps); each step takes the AppTest and returns it after a run."""
    found = {name: _results_page(page) for name, page in PAGES.items()}
    found["Shifts (default comparison: the first wave)"] = _results_page(SHIFTS_PAGE)
    found["Shifts (vs 2021)"] = _results_page(SHIFTS_PAGE, compare="2021 Spring")
    found["Workshop"] = ((lambda _: _app().switch_page("views/workshop.py").run()), _workshop_changes())
    found["Upload (100,000)"] = (_upload_cold(folder), None)  # the edits need the file: made in the child
    found["Manage"] = ((lambda _: _app().switch_page("views/manage.py").run()), _manage_changes())
    return found


def _bare(_):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_string('import streamlit as st\nst.write("A bare page.")', default_timeout=60).run()


def run_scenario(name: str, folder: Path) -> None:
    """In a child process: one page's timings and its peak memory, printed as one JSON line."""
    import streamlit  # noqa: F401  (imports are not the page's cost; the caches start empty)

    import ui.data  # noqa: F401

    if name == "bare page":
        cold, changes = _bare, [lambda at: at.run()] * 8
    else:
        cold, changes = scenarios(folder)[name]
        if changes is None:
            changes = _mapping_edits(folder)
    problems: list[str] = []
    row: dict = {"name": name, "slides": []}

    def step(run, at):
        seconds, cpu, at = _timed_cpu(lambda: run(at))
        problems.extend(str(element.message) for element in at.exception)
        return seconds, cpu, at

    seconds, cpu, at = step(cold, None)
    row["cold"] = (seconds, cpu)
    if name == "Workshop":
        for number in range(1, _slide_count(at)):
            arrive = step(lambda at: at.button(key="workshop_next").click().run(), at)
            at = arrive[2]
            same = step(lambda at: at.run(), at)
            row["slides"].append({"slide": number + 1, "arrive": arrive[:2], "same": same[:2]})
    timings = []
    for index, change in enumerate(changes):
        seconds, cpu, at = step(change, at)
        timings.append(seconds)
        if index < 2:
            row[f"change{index + 1}"] = (seconds, cpu)
        if index == 1:
            seconds, cpu, at = step(lambda at: at.run(), at)
            row["same"] = (seconds, cpu)
    row["changes"] = (statistics.median(timings), max(timings))
    row["peak_mb"] = _peak_mb()
    row["problems"] = problems[:1]
    print("ROW " + json.dumps(row), flush=True)


def _peak_mb() -> float:
    """This process's peak resident memory since it started (``VmHWM``; ``ru_maxrss`` would carry the parent's
    peak across ``exec``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _slide_count(at) -> int:
    text = next(m.value for m in at.markdown if str(m.value).startswith("Slide 1 of"))
    return int(text.rsplit(" ", 1)[1])


def _cell(pair) -> str:
    return f"{pair[0]:5.2f}/{pair[1]:5.2f}" if pair else ""


def measure_pages(folder: Path, only: list[str] | None) -> None:
    """Each page in its own child process; one table."""
    names = ["bare page", *scenarios(folder)]
    if only:
        names = [name for name in names if name in only or name == "bare page"]
    print("wall-clock / CPU seconds; peak resident memory of the page's own process (VmHWM).")
    print("Results pages: change 1 = Role → Teacher, change 2 = School level → Middle. Upload: mapping edits.")
    print("Workshop: changes of the deck (wave, comparison, scope). Manage: the wave picked for deletion.")
    header = ("cold", "change 1", "change 2", "same", "8 changes: med/max", "peak MB")
    print(f"{'page':<24}" + "".join(f"{title:>19}" for title in header))
    for name in names:
        command = [sys.executable, "-m", "bench.bench_pages", "--scenario", name, "--data-dir", str(folder)]
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        lines = [line[4:] for line in out.stdout.splitlines() if line.startswith("ROW ")]
        if not lines:
            print(f"{name:<24} FAILED: {out.stderr.strip().splitlines()[-1:]}")
            continue
        row = json.loads(lines[0])
        cells = [_cell(row["cold"]), _cell(row.get("change1")), _cell(row.get("change2")), _cell(row.get("same"))]
        cells += [f"{row['changes'][0]:5.2f}/{row['changes'][1]:5.2f}", f"{row['peak_mb']:,.0f}"]
        flag = f"   EXCEPTION: {row['problems'][0][:80]}" if row["problems"] else ""
        print(f"{name:<24}" + "".join(f"{cell:>19}" for cell in cells) + flag)
        for slide in row["slides"]:
            label = f"  slide {slide['slide']} (Next, same)"
            print(f"{label:<24}{_cell(slide['arrive']):>19}{'':>19}{'':>19}{_cell(slide['same']):>19}")


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
    parser.add_argument("--only", nargs="*", help="page names to run (as printed), e.g. Shifts Workshop")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scenario", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.data_dir, respondents=args.respondents, waves=args.waves)
        return
    if args.scenario:
        os.environ["CLD_DATA_DIR"] = str(args.data_dir)
        os.environ.pop("CLD_DATABASE_URL", None)
        run_scenario(args.scenario, args.data_dir)
        return
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as temporary:
        folder = args.data_dir or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "survey.db").exists():
            print(f"building {args.waves} waves × {args.respondents:,} respondents in 400 schools in {folder} ...")
            command = [sys.executable, "-m", "bench.bench_pages", "--build-only", "--data-dir", str(folder)]
            command += ["--respondents", str(args.respondents), "--waves", str(args.waves)]
            subprocess.run(command, check=True, cwd=ROOT)
        if not (folder / UPLOAD_FILE).exists():
            from bench.bench_import import write_export

            write_export(folder / UPLOAD_FILE, 100_000)
            size = (folder / UPLOAD_FILE).stat().st_size / 1e6
            print(f"  wrote a 100,000-row Qualtrics export for the Upload page ({size:.0f} MB)")
        os.environ["CLD_DATA_DIR"] = str(folder)
        os.environ.pop("CLD_DATABASE_URL", None)
        measure_pages(folder, args.only)
        measure_views()
        print("goals: rerun after a filter change <= 0.3 s, cold <= 5 s, peak memory <= 1,536 MB")


if __name__ == "__main__":
    main()
