"""The Shifts page's display rows, pinned to what the row-by-row implementation showed before the column-wise one.

``fixtures/shifts_display_demo.json`` and ``fixtures/shifts_display_edges.json`` were captured once from the old
``ui/tables.py`` (``displayed_rows``, ``shift_table``, ``shift_statistics``, built one row at a time) on the demo
data and on hand-made report rows; the edge rows' figures are also worked out by hand below. Nothing here is
recomputed by the code under test.

The analysis plan of issue 14 changed what a verdict and an interval mean (conditions widened together, items
exploratory), so the verdict, interval and analysts' columns were re-captured once then, after checking that every
measure, level, shown change, n, effect size and p was exactly as the old fixtures pinned it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from survey_model import dashboard
from survey_model.scoring import with_condition_parts
from survey_model.settings import Settings
from survey_model.shifts.display import (
    MAIN,
    all_hidden,
    displayed_rows,
    shift_statistics,
    shift_table,
    shifts_page,
    shown_shifts,
)
from survey_model.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = json.loads((FIXTURES / "shifts_display_demo.json").read_text(encoding="utf-8"))
EDGES = json.loads((FIXTURES / "shifts_display_edges.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo_store(demo_data_dir: Path) -> Store:
    store = Store.from_settings(Settings(data_dir=demo_data_dir))
    yield store
    store.close()


def _view(store: Store, case: dict) -> dashboard.ShiftsView:
    codebook = store.codebook_for(case["org"])
    frame = with_condition_parts(store.load_responses(case["org"]), codebook)
    restriction = {"school": None, "school_level": None, "role": None, **case["restriction"]}
    return dashboard.shifts_view(
        frame,
        codebook,
        from_wave=case["from"],
        to_wave=case["to"],
        restriction=restriction,
        school_groups={school.name: school.group for school in store.schools(case["org"])},
        settings=Settings(),
    )


def _rounded_rows(rows: pd.DataFrame) -> list[dict]:
    keep = ["label", *(["school"] if "school" in rows.columns else []), "estimate1", "estimate2", "diff"]
    return [
        {key: (None if isinstance(value, float) and math.isnan(value) else value) for key, value in record.items()}
        for record in rows[keep].to_dict(orient="records")
    ]


def _same_rows(actual: list[dict], expected: list[dict]) -> None:
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got.keys() == want.keys()
        for key, value in want.items():
            assert got[key] == pytest.approx(value, abs=1e-12) if isinstance(value, float) else got[key] == value


@pytest.mark.parametrize("case", DEMO, ids=lambda case: f"{case['org']}-{case['from']}-{case['to']}")
def test_shifts_tables_show_what_they_showed_before(demo_store: Store, case: dict) -> None:
    """Every cell of the Shifts tables and every rounded chart figure is as the old implementation showed it."""
    view = _view(demo_store, case)
    report = view.report.to_frame()
    _same_rows(_rounded_rows(displayed_rows(shown_shifts(report, measure="condition_favorable"))), case["favorable"])
    if case["by_school"] is None:
        assert view.by_school is None
    else:
        by_school = displayed_rows(shown_shifts(view.by_school.to_frame(), measure="condition_favorable"))
        _same_rows(_rounded_rows(by_school), case["by_school"])
    assert all_hidden(report) is case["all_hidden"]
    assert list(shift_table(report, measures=MAIN).columns) == case["columns"]["table"]
    assert shift_table(report, measures=MAIN).astype(str).values.tolist() == case["main_table"]
    assert shift_table(report, measures=("item_favorable",)).astype(str).values.tolist() == case["item_table"]
    statistics = shift_statistics(report, measures=(*MAIN, "item_favorable"))
    assert list(statistics.columns) == case["columns"]["statistics"]
    assert statistics.astype(str).values.tolist() == case["statistics"]


def test_shifts_page_object_carries_the_same_rows(demo_store: Store) -> None:
    """The cached page object holds the pinned tables, with ", percent favorable" taken off chart labels."""
    case = DEMO[0]
    page = shifts_page(_view(demo_store, case))
    assert page.main_table.astype(str).values.tolist() == case["main_table"]
    assert page.statistics.astype(str).values.tolist() == case["statistics"]
    expected = [{**row, "label": row["label"].replace(", percent favorable", "")} for row in case["by_school"]]
    _same_rows(_rounded_rows(page.school_cells), expected)
    assert not any("percent favorable" in label for label in page.favorable["label"])
    assert page.headline.startswith("Educators who consider themselves leaders")


def _edge_rows() -> pd.DataFrame:
    frame = pd.DataFrame(EDGES["rows"])
    for column in ("n1", "n2"):
        frame[column] = frame[column].astype("Int64")
    return frame


def test_edge_rows_show_what_they_showed_before() -> None:
    """Hand-made rows (extra decimals, 'just above 0', hidden, means) are shown exactly as before."""
    rows = _edge_rows()
    measures = ("condition_favorable", "condition_mean")
    assert shift_table(rows, measures=measures).astype(str).values.tolist() == EDGES["table"]
    assert shift_statistics(rows, measures=measures).astype(str).values.tolist() == EDGES["statistics"]
    shown = displayed_rows(rows)[["estimate1", "estimate2", "diff"]].to_numpy().tolist()
    for got, want in zip(shown, EDGES["displayed"], strict=True):
        assert [None if math.isnan(x) else x for x in got] == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # 32.44% → 43.36%: shown 32% → 43%, so +11 points (not the unrounded 10.92).
        (0, ["A, percent favorable", "32%", "43%", "+11 points (+4 to +18)", "400", "400", "clear increase"]),
        # Interval +0.50 to +0.78 points is narrower than a whole point: one more decimal, 30.5% → 31.1%.
        (1, ["B, percent favorable", "30.5%", "31.1%", "+0.6 points (+0.5 to +0.8)", "100000", "100000"]),
        # 28.5% rounds half away to 29%, 12.5% to 13%: −16 points.
        (7, ["H, percent favorable", "29%", "13%", "−16 points (−20 to −12)", "400", "400", "clear decrease"]),
        # A lower bound of 0.00004 scale points is written, not rounded to 0.
        (5, ["F mean", "3.02", "3.10", "+0.08 (just above 0 to +0.16)", "400", "400", "clear increase"]),
        (4, ["E, percent favorable", "", "", "", "", "", "Too few responses to say"]),
    ],
)
def test_edge_rows_by_hand(row: int, expected: list[str]) -> None:
    """Figures worked out by hand from the hand-made rows."""
    table = shift_table(_edge_rows(), measures=("condition_favorable", "condition_mean"))
    assert table.astype(str).values.tolist()[row][: len(expected)] == expected
