"""The demo network: planted effects are recovered, files are reproducible, small and in real platform layouts."""

import csv
import functools
import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from survey_model.codebook import load_codebook, normalise_label
from survey_model.demo import DEFAULT_SEED, generate, write_exports
from survey_model.scoring import condition_summary, item_values, leader_identity

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if not p.name.startswith("."))  # .gitattributes aside
CB = load_codebook()
WAVES = ("2024 Spring", "2025 Spring", "2026 Spring")

# Sampling noise of a change in percent favorable between two waves of one group (about 200-400 respondents):
# the SD of (observed - expected) change was 1.6-3.0 points over seeds 1-40 of this generator (measured while
# writing it). Six points is about two and a half of those SDs: loose enough for sampling noise, tight next to
# the planted 14-16 point rises.
PCT_FAVORABLE_TOLERANCE = 6.0


@pytest.fixture(scope="module")
def truth() -> dict:
    """The committed truth file."""
    return json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def network(truth):
    """The network regenerated in memory from the committed seed."""
    return generate(seed=truth["seed"])


@pytest.fixture(scope="module")
def grouped(network) -> pd.DataFrame:
    """The in-memory responses with each school's group read from the committed schools.csv."""
    schools = pd.read_csv(SAMPLES / "schools.csv", dtype=str, keep_default_na=False)
    group = {
        (o, s): g or "other"
        for o, s, g in zip(schools["organization"], schools["school"], schools["group"], strict=True)
    }
    frame = network.responses.copy()
    frame["group"] = [group[(o, s)] for o, s in zip(frame["organization"], frame["school"], strict=True)]
    return frame


def _planted(truth: dict, organization: str, group: str, wave: str) -> dict:
    (entry,) = [
        p for p in truth["planted"] if (p["organization"], p["group"], p["wave"]) == (organization, group, wave)
    ]
    return entry


GROUPS = (("cedar-valley", "cohort"), ("cedar-valley", "comparison"), ("harbor-point", "other"))


# ---------------------------------------------------------------------------------------------------------------
# Planted effects are recovered by the package's own scoring


def test_leader_identity_share_matches_the_planted_share_in_every_wave_and_group(grouped, truth):
    """Scored Yes share per organization x group x wave is within 3 points of the truth file's planted share."""
    table = leader_identity(grouped, CB, by=["organization", "group", "wave"]).set_index(
        ["organization", "group", "wave"]
    )
    for organization, group in GROUPS:
        for wave in WAVES:
            planted = _planted(truth, organization, group, wave)["leader_identity"]["share_yes"]
            assert table.loc[(organization, group, wave), "share_yes"] == pytest.approx(planted, abs=0.03)


def test_cohort_leader_identity_rises_about_57_percent(grouped, truth):
    """Cohort schools: 30% -> 47% Yes is '57% more'; the scored relative change is within 10% of the planted one."""
    planted = truth["effects"]["cedar-valley"]["cohort"]["leader_share_relative_change"]
    assert planted == pytest.approx(0.57, abs=0.01)  # the headline: 0.47 / 0.30 - 1
    cohort = grouped[grouped["group"] == "cohort"]
    shares = leader_identity(cohort, CB, by=["wave"]).set_index("wave")["share_yes"]
    observed = shares["2026 Spring"] / shares["2024 Spring"] - 1
    assert observed == pytest.approx(planted, rel=0.10)


def test_comparison_and_unmarked_schools_leader_identity_stays_flat(grouped):
    """Comparison schools and Harbor Point: every wave's Yes share is within 3 points of the first wave's."""
    for organization, group in GROUPS[1:]:
        rows = grouped[(grouped["organization"] == organization) & (grouped["group"] == group)]
        shares = leader_identity(rows, CB, by=["wave"])["share_yes"].to_numpy()
        assert np.abs(shares - shares[0]).max() <= 0.03


def _pct_favorable_changes(grouped: pd.DataFrame) -> pd.DataFrame:
    table = condition_summary(grouped, CB, by=["organization", "group", "wave"])
    wide = table.pivot_table(index=["organization", "group", "condition"], columns="wave", values="pct_favorable")
    return wide[list(WAVES)].sub(wide["2024 Spring"], axis=0)


def test_cohort_shared_influence_and_relationships_rise_by_the_planted_size(grouped, truth):
    """Cohort SI and RN percent favorable rise by at least 10 points, within sampling noise of the planted rise."""
    changes = _pct_favorable_changes(grouped)
    effects = truth["effects"]["cedar-valley"]["cohort"]
    for condition in ("SI", "RN"):
        planted = effects[f"{condition}_pct_favorable_change"]
        observed = changes.loc[("cedar-valley", "cohort", condition), "2026 Spring"]
        assert planted >= 10
        assert observed == pytest.approx(planted, abs=PCT_FAVORABLE_TOLERANCE)
        middle = changes.loc[("cedar-valley", "cohort", condition), "2025 Spring"]
        assert 0 < middle < observed  # the rise is gradual across the three waves


def test_conditions_stay_flat_where_nothing_was_planted(grouped, truth):
    """Comparison schools, Harbor Point, and cohort conditions other than SI and RN: no change beyond noise.

    The default seed was chosen for these two organizations (SEED_CHOICE); the network's third and fourth are small
    (about 110 respondents a wave), so their sampling noise is larger than this tolerance and they are left out."""
    changes = _pct_favorable_changes(grouped)
    for (organization, group, condition), row in changes.iterrows():
        if (group == "cohort" and condition in ("SI", "RN")) or organization not in ("cedar-valley", "harbor-point"):
            continue
        planted = truth["effects"][organization][group][f"{condition}_pct_favorable_change"]
        assert abs(planted) < 4, (organization, group, condition)  # only wobble and staff turnover
        assert row["2026 Spring"] == pytest.approx(planted, abs=PCT_FAVORABLE_TOLERANCE)


def test_reverse_worded_items_run_against_their_condition(network):
    """A respondent high on a condition disagrees with its reverse item: raw correlation negative, reversed positive."""
    frame = network.responses
    for condition in CB.conditions:
        items = CB.items_for(condition.id)
        reverse = [item.id for item in items if item.reverse]
        if not reverse:
            continue
        others = [item.id for item in items if not item.reverse]
        values = item_values(frame, CB, others)
        answered = (~np.isnan(values)).sum(axis=1)
        rest = np.where(answered > 0, np.nansum(values, axis=1) / np.maximum(answered, 1), np.nan)
        raw = frame[reverse[0]].to_numpy(dtype=float, na_value=np.nan)
        raw[raw < 0] = np.nan
        keep = ~np.isnan(raw) & ~np.isnan(rest)
        assert np.corrcoef(raw[keep], rest[keep])[0, 1] < -0.25
        reversed_ = item_values(frame, CB, reverse)[:, 0]
        assert np.corrcoef(reversed_[keep], rest[keep])[0, 1] > 0.25


def test_demo_has_small_groups_non_answers_and_linked_respondents(network):
    """Real-data mess: a school under 5 respondents, rare roles, -1 non-answers, and ~60% of IDs seen again."""
    frame = network.responses
    per_school = frame.groupby(["organization", "wave", "school"], observed=True).size()
    assert (per_school < 5).any()
    per_role = frame.groupby(["organization", "wave", "school", "role"], observed=True).size()
    assert (per_role < 5).sum() > 10
    items = frame[list(CB.item_ids)].to_numpy(dtype=float, na_value=np.nan)
    assert (items == -1).sum() > 500 and np.isnan(items).sum() > 500
    for organization in ("cedar-valley", "harbor-point"):
        ids = {
            wave: set(frame.loc[(frame["organization"] == organization) & (frame["wave"] == wave), "respondent_id"])
            - {""}
            for wave in WAVES
        }
        again = len(ids[WAVES[0]] & ids[WAVES[1]]) / len(ids[WAVES[0]])
        assert 0.5 < again < 0.72


def test_demo_refuses_a_codebook_without_a_leader_block():
    """The school-improvement codebook has no leader-identity item, so the demo cannot plant its effect."""
    with pytest.raises(ValueError, match="leader-identity"):
        generate(codebook=load_codebook("school-improvement"))


# ---------------------------------------------------------------------------------------------------------------
# Files: reproducible, small, real layouts, and faithful to the in-memory frame


@functools.cache
def _committed_cells(path: Path) -> list[list[object]]:
    """Cells of a committed file, parsed once per test session (callers must not modify them)."""
    return _cells(path)


def _cells(path: Path) -> list[list[object]]:
    """Every cell of a file as parsed: CSV rows of text, XLSX values (typed), JSON/Markdown whole."""
    if path.suffix == ".xlsx":
        sheet = load_workbook(path).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))
    if path.suffix == ".json":
        return [[json.loads(path.read_text(encoding="utf-8"))]]
    return [[path.read_text(encoding="utf-8")]]


def test_regenerating_with_the_same_seed_reproduces_every_cell_of_the_committed_files(network, tmp_path):
    """write_exports(generate(seed)) gives the committed data_samples/ files, cell for cell."""
    written = write_exports(network, tmp_path)
    assert sorted(p.name for p in written) == SAMPLE_NAMES
    for path in written:
        assert _cells(path) == _committed_cells(SAMPLES / path.name), path.name
    xlsx = [p for p in written if p.suffix == ".xlsx"]
    assert all(p.read_bytes() == (SAMPLES / p.name).read_bytes() for p in xlsx)  # byte-stable workbooks


def test_demo_samples_stay_under_two_megabytes():
    """The committed data_samples/ folder is small enough to ship in the repository."""
    total = sum(path.stat().st_size for path in SAMPLES.iterdir())
    assert 0 < total < 2 * 1024 * 1024


def test_demo_command_writes_the_files_and_lists_them(tmp_path, truth):
    """`python -m survey_model demo --out DIR` writes the six exports, schools, truth and README, naming each."""
    assert truth["seed"] == DEFAULT_SEED  # the command's default seed made the committed files
    out = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "survey_model", "demo", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    names = sorted(p.name for p in out.iterdir())
    assert names == SAMPLE_NAMES
    assert len(names) == 16  # twelve exports, schools.csv, rosters.csv, truth.json, README.md
    for name in names:
        assert name in result.stdout
    assert _cells(out / "truth.json") == _cells(SAMPLES / "truth.json")


def _export(truth: dict, organization: str, platform: str) -> Path:
    (entry,) = [f for f in truth["files"] if f["organization"] == organization and f["platform"] == platform]
    return SAMPLES / entry["path"]


def test_google_forms_export_has_timestamp_email_and_grid_columns(truth):
    """One header row starting Timestamp, Email Address; grid rows as 'question [item text]'; US times; CRLF."""
    path = _export(truth, "cedar-valley", "google-forms")
    raw = path.read_bytes()
    assert raw.count(b"\r\n") >= len(_cells(path))
    header, *rows = _cells(path)
    assert header[:3] == ["Timestamp", "Email Address", "Staff ID"]
    for item in CB.condition_items:
        assert sum(h.endswith(f" [{item.text}]") for h in header) == 1
    assert CB.item("LI1").text in header and CB.item("FLR").text in header
    assert all(datetime.strptime(row[0], "%m/%d/%Y %H:%M:%S") for row in rows)
    assert rows[0][0].startswith("4/1") and rows[0][0].count("/") == 2  # 4/15/2024 9:03:11, no leading zero
    assert all(row[1].endswith("@cedarvalley.example") for row in rows)


def test_surveymonkey_export_has_two_header_rows_and_real_dates(truth):
    """Row 1: nine metadata headers then question text over merged matrix columns; row 2: Response / item text."""
    path = _export(truth, "harbor-point", "surveymonkey")
    sheet = load_workbook(path).worksheets[0]
    first, second, data = (list(r) for r in sheet.iter_rows(min_row=1, max_row=3, values_only=True))
    assert first[:9] == [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    assert second[:9] == [None] * 9
    assert second.count("Response") >= 8 and "Open-Ended Response" in second
    for item in CB.condition_items:
        column = second.index(item.text)
        assert first[column] is None or first[column].startswith("How much do you agree")
    assert len(sheet.merged_cells.ranges) == len(CB.conditions) + 1  # one per matrix question
    assert isinstance(data[0], int) and isinstance(data[2], datetime) and isinstance(data[3], datetime)


def test_qualtrics_export_has_three_header_rows_a_preview_and_two_partials(truth):
    """Export tags, labels, ImportId JSON; one Survey Preview; partials with Finished False, one past half-way."""
    condition_texts = {item.text for item in CB.condition_items}
    for organization in ("cedar-valley", "harbor-point"):
        path = _export(truth, organization, "qualtrics")
        tags, labels, import_ids, *rows = _cells(path)
        assert tags[:3] == ["StartDate", "EndDate", "Status"] and tags[-1] == "StaffID"
        assert labels[2] == "Response Type" and labels[-1] == "Staff ID"
        parsed = [json.loads(cell) for cell in import_ids]
        assert parsed[0] == {"ImportId": "startDate", "timeZone": "America/Chicago"}
        for tag, entry in zip(tags, parsed, strict=True):
            if re.fullmatch(r"Q\d+(_\d+)?", tag):
                assert entry == {"ImportId": "QID" + tag[1:]}  # Q7_2 -> QID7_2
        status, finished, progress = tags.index("Status"), tags.index("Finished"), tags.index("Progress")
        assert [row[status] for row in rows].count("Survey Preview") == 1
        assert {row[status] for row in rows} == {"IP Address", "Survey Preview"}
        item_columns = [k for k, label in enumerate(labels) if label.split(" - ", 1)[-1] in condition_texts]
        assert len(item_columns) == 28
        partial = [row for row in rows if row[finished] == "False"]
        assert len(partial) == 2 and all(int(row[progress]) < 100 for row in partial)
        answered = sorted(sum(row[k] != "" for k in item_columns) for row in partial)
        assert answered[0] < 14 <= answered[1]
        (entry,) = [f for f in truth["files"] if f["path"] == path.name]
        assert sorted(p["file_row"] for p in entry["partial"]) == sorted(
            3 + 1 + k for k, row in enumerate(rows) if row[finished] == "False"
        )


def _read_items(path: Path, platform: str) -> tuple[list[str], dict[str, list[str]]]:
    """Staff IDs and answer texts per item id of one export, read from its own headers (previews dropped)."""
    cells = _committed_cells(path)
    if platform == "google-forms":
        labels, rows = cells[0], cells[1:]
    elif platform == "surveymonkey":
        first, second, rows = cells[0], cells[1], cells[2:]
        labels = [
            s if s not in (None, "Response", "Open-Ended Response") else f for f, s in zip(first, second, strict=True)
        ]
    else:
        labels = cells[1]
        rows = [row for row in cells[3:] if row[cells[0].index("Status")] != "Survey Preview"]
    texts = {item.text: item.id for item in CB.items}
    columns = {}
    for k, label in enumerate(labels):
        for text in (label, str(label).split(" - ", 1)[-1], str(label).rpartition(" [")[2].rstrip("]")):
            if text in texts:
                columns[texts[text]] = k
    staff = labels.index("Staff ID")
    return [row[staff] or "" for row in rows], {i: [row[k] or "" for row in rows] for i, k in columns.items()}


def test_export_cells_recode_to_the_in_memory_responses(network, truth):
    """Reading each export's labels back through the codebook's scales gives the in-memory responses frame."""
    for entry in truth["files"]:
        staff_ids, texts = _read_items(SAMPLES / entry["path"], entry["platform"])
        expected = network.responses[
            (network.responses["organization"] == entry["organization"]) & (network.responses["wave"] == entry["wave"])
        ]
        assert staff_ids == expected["respondent_id"].tolist()
        assert sorted(texts) == sorted(CB.item_ids)
        for item_id, column in texts.items():
            scale = CB.scale_of(item_id)
            recode = {"": np.nan}
            for text in set(column) - {""}:
                key = normalise_label(text)
                recode[text] = -1.0 if key in scale.missing_lookup else scale.label_lookup[key]
            values = [recode[t] for t in column]
            np.testing.assert_array_equal(np.array(values, dtype=float), expected[item_id].to_numpy(dtype=float))
