"""Changes that add up: a shown change is the difference of the shown figures, whatever the unrounded ones were."""

import re
from dataclasses import replace

import numpy as np
import pytest

from survey_model.shifts import (
    CLEAR_INCREASE,
    NO_CLEAR_CHANGE,
    displayed_change,
    impact_statement,
    mean_shift,
    proportion_shift,
)

LEADERS = "Educators who consider themselves leaders"
STATEMENT = re.compile(r"(\d+(?:\.\d)?)% → (\d+(?:\.\d)?)% \((no change in points|([+−]\d+(?:\.\d)?) points?),")

# (counts, unrounded change in points, what the statement must say). The unrounded change is checked too, so each
# case shows the rounding at work: 32.49% → 42.51% is 10.02 points, shown 32% → 43%, hence +11.
CASES = [
    ((324, 1000, 434, 1000), 11.0, "32% → 43% (+11 points, likely between +7 and +15;"),
    ((3249, 10000, 4251, 10000), 10.02, "32% → 43% (+11 points, likely between +9 and +11;"),
    ((3151, 10000, 4249, 10000), 10.98, "32% → 42% (+10 points, likely between +10 and +12;"),
    ((4251, 10000, 3249, 10000), -10.02, "43% → 32% (−11 points, likely between −11 and −9;"),
]


@pytest.mark.parametrize(("counts", "unrounded", "expected"), CASES)
def test_points_are_the_difference_of_the_shown_percentages(counts, unrounded, expected):
    """0.3249 → 0.4251 reads '32% → 43% (+11 points…)', not the +10 of the unrounded 10.02 points."""
    shift = proportion_shift(*counts, label=LEADERS)
    assert 100 * shift.diff == pytest.approx(unrounded)
    assert expected in impact_statement(shift, unit="educators")


def test_a_change_that_rounds_to_nothing_says_no_change_in_points():
    """30.2% → 29.8%: '30% → 30% (no change in points…)', never '+0' or '−0', and the verdict is the statistics'."""
    shift = proportion_shift(3020, 10000, 2980, 10000, label=LEADERS)
    text = impact_statement(shift, unit="educators")
    assert shift.verdict == NO_CLEAR_CHANGE
    assert "no clear change, 30% → 30% (no change in points, likely between −2 and +1)" in text
    assert not re.search(r"[+−-]0\b(?!\.\d)", text)


def test_a_group_too_large_for_whole_points_gets_a_decimal():
    """100,000 per wave, 30.6% → 31.4%: whole percents (31% → 31%) would hide a clear rise, so one decimal."""
    shift = proportion_shift(30600, 100000, 31400, 100000, label=LEADERS)
    assert shift.verdict == CLEAR_INCREASE and shift.diff_ci[1] - shift.diff_ci[0] < 0.01
    assert "clear increase, 30.6% → 31.4% (+0.8 points, likely between +0.4 and +1.2)." in impact_statement(shift)


def test_a_shown_change_never_falls_outside_its_interval():
    """30.49% → 30.90%, n = 100,000: 30% → 31% (+1) would lie above the interval (+0.006 to +0.8 points)."""
    shift = proportion_shift(30490, 100000, 30900, 100000, label=LEADERS)
    shown = displayed_change(shift.p1, shift.p2, *shift.diff_ci)
    assert (shown.before_text, shown.after_text, shown.points_text) == ("30.5%", "30.9%", "+0.4 points")
    assert 100 * shift.diff_ci[0] <= shown.change <= 100 * shift.diff_ci[1]


def test_mean_changes_are_the_difference_of_the_shown_means():
    """3.4149 → 3.5651 is +0.1502 unrounded; shown 3.41 → 3.57, the change reads +0.16."""
    rng = np.random.default_rng(5)
    shift = mean_shift(rng.normal(3.4, 0.6, 300), rng.normal(3.55, 0.6, 300), label="Shared influence, mean score")
    shift = replace(shift, mean1=3.4149, mean2=3.5651, diff=0.1502)  # the wording only reads these figures
    text = impact_statement(shift)
    assert "3.41 → 3.57 (+0.16, likely between" in text
    same = replace(shift, mean1=3.4951, mean2=3.4979, diff=0.0028, diff_ci=(-0.085, 0.091))
    assert "3.50 → 3.50 (no change, likely between −0.09 and +0.09)" in impact_statement(same)


@pytest.mark.parametrize("seed", range(12))
def test_every_statement_adds_up(seed):
    """Random counts: in 'a% → b% (c points', b − a = c; 'no change in points' exactly when a = b; no signed 0."""
    rng = np.random.default_rng(seed)
    for _ in range(40):
        n1, n2 = rng.integers(5, 3000, 2)
        k1, k2 = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
        text = impact_statement(proportion_shift(int(k1), int(n1), int(k2), int(n2), label=LEADERS), unit="people")
        match = STATEMENT.search(text)
        assert match, text
        before, after = float(match.group(1)), float(match.group(2))
        if match.group(4) is None:
            assert before == after, text
        else:
            assert float(match.group(4).replace("−", "-")) == pytest.approx(after - before), text
        assert not re.search(r"[+−]0(\.0+)?\b(?!\.\d)", text), text


def test_displayed_change_refuses_an_unknown_kind():
    """A programmer error is a ValueError naming the allowed kinds."""
    with pytest.raises(ValueError, match="'proportion' or 'mean'"):
        displayed_change(0.3, 0.4, 0.0, 0.2, kind="ratio")
