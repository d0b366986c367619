"""One comparison between two waves: figures, verdicts, FDR correction and the exact impact-statement wording."""

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from survey_model.shifts import (
    CLEAR_DECREASE,
    CLEAR_INCREASE,
    NO_CLEAR_CHANGE,
    TOO_FEW,
    adjust_fdr,
    impact_statement,
    matched_mean_shift,
    matched_proportion_shift,
    mean_shift,
    pooled_share_shift,
    proportion_shift,
)

LEADERS = "Educators who consider themselves leaders"


def test_leader_share_shift_carries_every_figure_beside_the_verdict():
    """120/400 -> 188/400: Newcombe and Katz limits as statsmodels, z-test p, Cohen's h, n per wave."""
    s = proportion_shift(120, 400, 188, 400, label=LEADERS)
    assert s.verdict == CLEAR_INCREASE
    assert (s.n1, s.n2, s.k1, s.k2, s.p1, s.p2) == (400, 400, 120, 188, 0.30, 0.47)
    assert s.diff == pytest.approx(0.17)
    assert s.diff_ci == pytest.approx(confint_proportions_2indep(188, 400, 120, 400, method="newcomb"))
    assert s.ratio == pytest.approx(0.47 / 0.30)
    assert s.ratio_ci == pytest.approx(confint_proportions_2indep(188, 400, 120, 400, compare="ratio", method="log"))
    assert s.p_value == pytest.approx(proportions_ztest([188, 120], [400, 400])[1])
    # Cohen's h by hand: 2 asin(sqrt(.47)) - 2 asin(sqrt(.30)) = 1.51262 - 1.16114 = 0.35148
    assert s.effect_size == pytest.approx(0.35148, abs=1e-5)
    assert math.isnan(s.p_adjusted)


def test_group_below_minimum_n_gets_no_numbers_at_all():
    """Four answers in the later wave: verdict 'too few' and every figure, even n, is missing."""
    s = proportion_shift(120, 400, 3, 4, label=LEADERS)
    assert s.verdict == TOO_FEW and s.suppressed == "small_group"
    assert s.n1 is None and s.n2 is None and s.k1 is None
    assert all(math.isnan(x) for x in (s.p1, s.p2, s.diff, *s.diff_ci, s.ratio, s.effect_size, s.p_value))


def test_minimum_n_is_configurable_upward():
    """With min_n = 10, nine respondents in a wave are too few."""
    assert proportion_shift(5, 9, 6, 12, label="x", min_n=10).verdict == TOO_FEW
    assert proportion_shift(5, 10, 6, 12, label="x", min_n=10).verdict == NO_CLEAR_CHANGE


# Hand-checkable statements. Figures: 120/400 = 30%, 188/400 = 47%, 128/400 = 32%; Newcombe limits from
# statsmodels (0.1028, 0.2351) and (-0.0440, 0.0838); ratio 1.5667 (1.3056 to 1.8800), so 57% more (31% to 88%
# more); reversed, 1/1.5667 = 0.638 -> 36% fewer, 1/1.88 = 0.532 -> 47% fewer, 1/1.3056 = 0.766 -> 23% fewer.
STATEMENTS = [
    (
        (120, 400, 188, 400),
        "Educators who consider themselves leaders: clear increase, 30% → 47% (+17 points, likely between +10 and +24; "
        "57% more educators, likely between 31% and 88% more). n = 400 and 400.",
    ),
    (
        (188, 400, 120, 400),
        "Educators who consider themselves leaders: clear decrease, 47% → 30% (−17 points, likely between −24 and −10; "
        "36% fewer educators, likely between 23% and 47% fewer). n = 400 and 400.",
    ),
    (
        (120, 400, 128, 400),
        "Educators who consider themselves leaders: no clear change, 30% → 32% (+2 points, likely between −4 and +8). "
        "n = 400 and 400.",
    ),
    (
        (120, 400, 3, 4),
        "Educators who consider themselves leaders: too few responses to say (fewer than 5 in a wave).",
    ),
]


@pytest.mark.parametrize(("counts", "expected"), STATEMENTS)
def test_impact_statement_wording_follows_the_evidence(counts, expected):
    """Clear increase, clear decrease, no clear change and too few each have their exact wording."""
    assert impact_statement(proportion_shift(*counts, label=LEADERS), unit="educators") == expected


def test_relative_change_never_appears_without_its_interval_and_n():
    """Every statement that says 'x% more' or 'fewer' also gives a CI for it and both n."""
    for counts in [(120, 400, 188, 400), (188, 400, 120, 400), (30, 60, 45, 61), (10, 50, 4, 52)]:
        text = impact_statement(proportion_shift(*counts, label=LEADERS), unit="educators")
        if "% more educators" in text or "% fewer educators" in text:
            relative = text.split(";")[1]
            assert "likely between" in relative and " n = " in text


def test_no_clear_change_gives_no_relative_change():
    """An unclear change is never headlined as 'x% more': only its points and interval are given."""
    text = impact_statement(proportion_shift(120, 400, 128, 400, label=LEADERS), unit="educators")
    assert "more" not in text and "fewer" not in text


def test_percent_favorable_statement_without_a_unit_gives_points_only():
    """Without a unit (a share of responses, not of people) the relative change is left out."""
    s = proportion_shift(164, 400, 220, 400, label="Shared influence, percent favorable")
    assert impact_statement(s).startswith("Shared influence, percent favorable: clear increase, 41% → 55% (+14 points")
    assert "more" not in impact_statement(s)


def test_mean_shift_statement_gives_effect_size_to_analysts():
    """Means are written with two decimals, the difference and its CI; analysts also get Hedges' g."""
    before = np.array([3.0, 3.5, 2.5, 3.0, 4.0, 3.0])  # mean 3.1667, sd 0.5164
    after = np.array([4.0, 4.5, 3.5, 4.0, 4.5, 3.5])  # mean 4.0, sd 0.4472
    s = mean_shift(before, after, label="Shared influence, mean score")
    result = stats.ttest_ind(after, before, equal_var=False)
    ci = result.confidence_interval()
    # Hedges' g by hand: pooled sd sqrt((5 * 0.26667 + 5 * 0.2) / 10) = 0.48305; d = 0.83333 / 0.48305 = 1.72516;
    # correction 1 - 3 / (4 * 12 - 9) = 0.92308 -> g = 1.59245
    assert s.effect_size == pytest.approx(1.59245, abs=1e-5)
    assert (s.diff, *s.diff_ci, s.p_value) == pytest.approx((5 / 6, ci.low, ci.high, result.pvalue))
    lo, hi = f"{ci.low:+.2f}", f"{ci.high:+.2f}"
    assert impact_statement(s, analysts=True) == (
        f"Shared influence, mean score: clear increase, 3.17 → 4.00 (+0.83, likely between {lo} and {hi}; "
        "Hedges' g = 1.59). n = 6 and 6."
    )
    assert impact_statement(s) == (
        f"Shared influence, mean score: clear increase, 3.17 → 4.00 (+0.83, likely between {lo} and {hi}). n = 6 and 6."
    )


def test_decrease_in_a_mean_is_worded_as_a_decrease():
    """A lower mean gets 'clear decrease', a minus sign and a negative effect size."""
    rng = np.random.default_rng(11)
    s = mean_shift(rng.normal(3.6, 0.6, 200), rng.normal(3.2, 0.6, 200), label="Work structures, mean score")
    text = impact_statement(s, analysts=True)
    assert s.verdict == CLEAR_DECREASE and "clear decrease" in text and "Hedges' g = −" in text
    assert "clear decrease" in impact_statement(s) and "Hedges" not in impact_statement(s)


def test_breakdown_group_is_named_before_the_subject():
    """A school's statement starts with the school, and the subject can be overridden."""
    s = proportion_shift(20, 60, 40, 62, label=LEADERS)
    s = replace(s, group=(("school", "Oak Elementary"),))
    assert impact_statement(s, subject="Staff who see themselves as leaders", unit="staff").startswith(
        "Oak Elementary — Staff who see themselves as leaders: clear increase, 33% → 65%"
    )


def test_fdr_adjustment_matches_statsmodels_benjamini_hochberg():
    """Adjusted p-values equal statsmodels multipletests(method='fdr_bh'); too-few comparisons stay out."""
    counts = [(120, 400, 188, 400), (120, 400, 131, 400), (50, 100, 62, 100), (1, 3, 2, 4), (200, 400, 190, 400)]
    shifts = adjust_fdr([proportion_shift(*c, label=f"c{i}") for i, c in enumerate(counts)])
    raw = [s.p_value for s in shifts if s.verdict != TOO_FEW]
    expected = multipletests(raw, method="fdr_bh")[1]
    got = [s.p_adjusted for s in shifts if s.verdict != TOO_FEW]
    assert got == pytest.approx(expected)
    assert shifts[3].verdict == TOO_FEW and math.isnan(shifts[3].p_adjusted)
    assert {s.family_size for s in shifts if s.verdict != TOO_FEW} == {4}


def test_change_that_does_not_survive_fdr_is_not_called_clear():
    """An interval excluding zero with an adjusted p above 0.05 becomes 'no clear change', saying why, and its
    interval is labelled as the comparison's alone, so verdict and interval do not read as a contradiction."""
    borderline = proportion_shift(120, 400, 148, 400, label=LEADERS)  # p = 0.036, interval excludes 0
    assert borderline.verdict == CLEAR_INCREASE
    assert borderline.p_value == pytest.approx(proportions_ztest([148, 120], [400, 400])[1])
    nulls = [proportion_shift(120, 400, 120 + i, 400, label=f"item {i}") for i in range(1, 10)]
    first, *_ = adjust_fdr([borderline, *nulls])
    assert first.verdict == NO_CLEAR_CHANGE and first.p_adjusted > 0.05
    assert impact_statement(first, unit="educators", analysts=True) == (
        "Educators who consider themselves leaders: no clear change once the 10 comparisons shown are taken into "
        "account, 30% → 37% (+7 points, likely between +0.5 and +13 for this comparison alone; "
        f"adjusted p = {first.p_adjusted:.2f}). n = 400 and 400."
    )
    assert impact_statement(first, unit="educators") == (
        "Educators who consider themselves leaders: no clear change once the 10 comparisons shown are taken into "
        "account, 30% → 37% (+7 points, likely between +0.5 and +13 for this comparison alone). n = 400 and 400."
    )
    # Alone, the same comparison is clear and its interval needs no such label.
    assert "for this comparison alone" not in impact_statement(borderline, unit="educators")


def test_pooled_share_with_complete_answers_is_welch_on_respondent_shares():
    """When everyone answers all 4 items, the pooled change equals scipy Welch t on each respondent's share."""
    rng = np.random.default_rng(2)
    f1, f2 = rng.binomial(4, rng.beta(2, 3, 150)), rng.binomial(4, rng.beta(3, 3, 170))
    s = pooled_share_shift(f1, np.full(150, 4), f2, np.full(170, 4), label="Shared influence, percent favorable")
    result = stats.ttest_ind(f2 / 4, f1 / 4, equal_var=False)
    ci = result.confidence_interval()
    assert (s.p1, s.p2) == pytest.approx((f1.sum() / 600, f2.sum() / 680))
    assert (s.diff, *s.diff_ci, s.p_value) == pytest.approx((s.p2 - s.p1, ci.low, ci.high, result.pvalue))
    assert (s.n1, s.n2, s.m1, s.m2) == (150, 170, 600, 680)


def test_pooled_share_standard_error_is_the_cluster_robust_one():
    """With unequal answered counts, each wave's SE equals statsmodels OLS with respondent-clustered SEs."""
    rng = np.random.default_rng(4)
    answered = rng.integers(1, 5, 90)
    favorable = rng.binomial(answered, rng.beta(2, 2, 90))
    # Response-level data: one row per item response, clustered by respondent.
    y = np.concatenate([np.r_[np.ones(f), np.zeros(m - f)] for f, m in zip(favorable, answered, strict=True)])
    cluster = np.repeat(np.arange(90), answered)
    fit = sm.OLS(y, np.ones_like(y)).fit(cov_type="cluster", cov_kwds={"groups": cluster})
    same = pooled_share_shift(favorable, answered, favorable, answered, label="x")
    # Same data twice: diff 0; Welch half-width = t(df) * sqrt(2) * SE, df = 2 (n - 1) when both SDs are equal.
    half = (same.diff_ci[1] - same.diff_ci[0]) / 2
    se = half / stats.t.ppf(0.975, 2 * 89) / np.sqrt(2)
    assert same.p1 == pytest.approx(fit.params[0])
    assert se == pytest.approx(fit.bse[0], rel=1e-9)


def test_pooled_share_without_any_respondent_variation_falls_back_to_binomial():
    """Everyone 100% favorable in both waves: no division by zero, a Newcombe interval around 0."""
    s = pooled_share_shift(np.full(8, 4), np.full(8, 4), np.full(9, 4), np.full(9, 4), label="x")
    assert s.verdict == NO_CLEAR_CHANGE and s.diff == 0 and s.diff_ci[0] < 0 < s.diff_ci[1]
    assert "binomial" in s.method


def test_matched_leader_identity_uses_mcnemar_on_linked_pairs():
    """Linked pairs: 30 stay yes, 4 go yes->no, 16 go no->yes, 50 stay no; missing answers drop the pair."""
    before = [True] * 34 + [False] * 66 + [None, True]
    after = [True] * 30 + [False] * 4 + [True] * 16 + [False] * 50 + [True, None]
    s = matched_proportion_shift(pd.Series(before, dtype="boolean"), pd.Series(after, dtype="boolean"), label=LEADERS)
    assert s.matched and (s.n1, s.n2, s.k1, s.k2, s.discordant) == (100, 100, 34, 46, (4, 16))
    assert s.diff == pytest.approx(0.12)
    # mid-p by hand: 2 * (P(X <= 4) - P(X = 4) / 2) for X ~ Binomial(20, 1/2)
    expected = 2 * (stats.binom.cdf(4, 20, 0.5) - stats.binom.pmf(4, 20, 0.5) / 2)
    assert s.p_value == pytest.approx(expected)
    assert s.verdict == CLEAR_INCREASE
    assert impact_statement(s, unit="educators") == (
        "Educators who consider themselves leaders, same educators in both waves: clear increase, 34% → 46% "
        f"(+12 points, likely between +{100 * s.diff_ci[0]:.0f} and +{100 * s.diff_ci[1]:.0f}; 35% more educators, "
        f"likely between {100 * (s.ratio_ci[0] - 1):.0f}% and {100 * (s.ratio_ci[1] - 1):.0f}% more). "
        "n = 100 educators linked across the two waves."
    )


def test_matched_mean_shift_matches_scipy_paired_t():
    """Paired t interval and p as scipy ttest_rel(after, before); d_z = mean difference / SD of differences."""
    rng = np.random.default_rng(9)
    before = rng.normal(3.0, 0.7, 40)
    after = before + rng.normal(0.25, 0.4, 40)
    before[3] = np.nan  # dropped pair
    s = matched_mean_shift(before, after, label="Shared influence, mean score")
    keep = ~np.isnan(before)
    result = stats.ttest_rel(after[keep], before[keep])
    ci = result.confidence_interval()
    d = after[keep] - before[keep]
    assert s.n1 == 39 and (s.diff, *s.diff_ci, s.p_value) == pytest.approx((d.mean(), ci.low, ci.high, result.pvalue))
    assert s.effect_size == pytest.approx(d.mean() / d.std(ddof=1)) and s.effect_size_name == "Cohen's d_z"


def test_matched_analysis_with_too_few_pairs_shows_nothing():
    """Four linked respondents are too few: no figures, 'too few' wording."""
    s = matched_proportion_shift([1, 0, 1, 1], [1, 1, 1, 1], label=LEADERS)
    assert s.verdict == TOO_FEW and s.n1 is None
    assert impact_statement(s).endswith("too few responses to say (fewer than 5 in a wave).")


@pytest.mark.parametrize(
    "call",
    [
        lambda: proportion_shift(5, 4, 1, 10, label="x"),
        lambda: proportion_shift(1, 10, 1, 10, label="x", min_n=1),
        lambda: pooled_share_shift([3], [2], [1], [1], label="x"),
        lambda: matched_proportion_shift([1, 0], [1], label="x"),
        lambda: matched_proportion_shift([2, 0, 1, 1, 1], [1, 1, 1, 1, 1], label="x"),
    ],
)
def test_impossible_inputs_raise_value_error(call):
    """More yes than answers, a min_n below 2, unequal pair lengths or non-binary answers are programmer errors."""
    with pytest.raises(ValueError):
        call()
