"""The "Where to focus" slide, the workbook sheet and the analytics charts: content from the demo's planted truth."""

from __future__ import annotations

import pytest

from survey_model.analytics import drivers, focus_sheet, focus_slide, instrument_check
from survey_model.charts import analytics as charts
from survey_model.codebook import load_codebook
from survey_model.demo import generate

CODEBOOK = load_codebook()


@pytest.fixture(scope="module")
def cedar_2026():
    responses = generate().responses
    rows = responses[(responses["organization"] == "cedar-valley") & (responses["wave"] == "2026 Spring")]
    return rows, drivers(rows, CODEBOOK, n_boot=100)


def test_the_slide_names_the_planted_drivers_with_n_and_intervals_and_never_a_cause(cedar_2026):
    """Headline names SI and RN (truth.json); points carry intervals and n; notes say association, not cause."""
    _, result = cedar_2026
    slide = focus_slide(result, wave="2026 Spring")
    assert "Shared influence" in slide.headline and "Relationships and social norms" in slide.headline
    assert "causes" not in slide.headline.lower()
    assert any(f"n = {result.n:,}" in point for point in slide.points)
    assert any(" to " in point and "odds ratio" in point for point in slide.points)
    assert "not a cause" in slide.notes and slide.prompt
    assert set(slide.table["condition"]) == {c.id for c in CODEBOOK.conditions}


def test_the_slide_says_why_when_there_are_too_few_answers(cedar_2026):
    """Too few answers: a plain headline and the reason, no chart rows."""
    rows, _ = cedar_2026
    slide = focus_slide(drivers(rows.iloc[:100], CODEBOOK), wave="2026 Spring")
    assert slide.table.empty and "Not enough answers" in slide.headline and "at least 70" in slide.points[0]


def test_the_workbook_sheet_has_one_row_per_condition_with_its_interval(cedar_2026):
    """Seven rows, interval bounds around each odds ratio, the planted two marked as going with Yes."""
    _, result = cedar_2026
    sheet = focus_sheet(result, wave="2026 Spring")
    assert len(sheet) == 7
    low, high = sheet.columns[4], sheet.columns[5]
    assert ((sheet[low] <= sheet["Odds ratio per SD"]) & (sheet["Odds ratio per SD"] <= sheet[high])).all()
    assert set(sheet.loc[sheet["Goes with Yes"] == "yes", "Condition"]) == {
        "Shared influence",
        "Relationships and social norms",
    }
    assert (sheet["n (educators in the model)"] == result.n).all()


def test_every_analytics_chart_has_a_title_a_description_and_n_in_its_tooltips(cedar_2026):
    """Forest, focus quadrant and alpha chart: title, text alternative, n tooltip and interval encodings."""
    rows, result = cedar_2026
    check = instrument_check(rows, CODEBOOK)
    built = [
        charts.driver_forest(result.table, n=result.n, confidence=0.95, title="Forest"),
        charts.focus_quadrant(result.table, n=result.n, confidence=0.95, title="Focus"),
        charts.alpha_intervals(check.conditions, title="Alpha"),
    ]
    for chart in built:
        spec = chart.to_dict()
        assert spec["title"]["text"] and spec["description"]
        text = str(spec)
        assert "n (respondents)" in text or "n (complete answer sets)" in text
        assert "'x2'" in text or "'y2'" in text  # the interval is drawn
