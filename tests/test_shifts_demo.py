"""On the demo data as stored through the importer, the planted shifts are found and the flat schools are not."""

import json
from pathlib import Path

import pytest

from survey_model.dashboard import shifts_view
from survey_model.settings import Settings
from survey_model.store import Store

ROOT = Path(__file__).resolve().parents[1]
TRUTH = json.loads((ROOT / "data_samples" / "truth.json").read_text(encoding="utf-8"))["effects"]["cedar-valley"]


@pytest.fixture(scope="module")
def by_group(demo_data_dir):
    """Cedar Valley's cohort-vs-comparison report, first wave to last, as the Shifts page computes it."""
    store = Store.from_settings(Settings(data_dir=demo_data_dir), create=False)
    frame, codebook = store.load_responses("cedar-valley"), store.codebook_for("cedar-valley")
    groups = store.school_groups("cedar-valley")
    store.close()
    view = shifts_view(frame, codebook, from_wave="2024 Spring", to_wave="2026 Spring", school_groups=groups)
    table = view.by_group.to_frame()
    return {(row.school_group, row.measure, row.target): row for row in table.itertuples()}


def test_cohort_leader_identity_rise_is_a_clear_increase_of_the_planted_size(by_group):
    """Planted 30% -> 47% (+17 points, 57% more): reported as a clear increase within 3 points and 10%."""
    truth = TRUTH["cohort"]
    row = by_group[("cohort", "leader_identity", "LI1")]
    assert row.verdict == "clear increase"
    assert abs(100 * row.diff - truth["leader_share_change_points"]) <= 3
    assert abs((row.ratio - 1) - truth["leader_share_relative_change"]) <= 0.10 * truth["leader_share_relative_change"]
    assert row.diff_lo < truth["leader_share_change_points"] / 100 < row.diff_hi


@pytest.mark.parametrize("condition", ["SI", "RN"])
def test_cohort_shared_influence_and_relationships_rise_clearly(by_group, condition):
    """Shared influence and relationships rise in cohort schools by roughly the planted number of points; a
    condition within a school group is exploratory (the analysis plan), so it reads 'likely higher', not 'clear'."""
    planted = TRUTH["cohort"][f"{condition}_pct_favorable_change"]
    row = by_group[("cohort", "condition_favorable", condition)]
    assert row.verdict == "likely higher" and row.role == "exploratory"
    assert abs(100 * row.diff - planted) <= 6


@pytest.mark.parametrize(
    ("measure", "target"), [("leader_identity", "LI1"), ("condition_favorable", "SI"), ("condition_favorable", "RN")]
)
def test_flat_comparison_schools_are_not_reported_as_changing(by_group, measure, target):
    """Comparison schools had nothing planted: no change is claimed (leader identity is primary and judged; the
    conditions within a group are exploratory and read 'could be no change')."""
    expected = "no clear change" if measure == "leader_identity" else "could be no change"
    assert by_group[("comparison", measure, target)].verdict == expected
