"""Cronbach's alpha, its Feldt interval and item-rest correlations, checked by hand and by a second route."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from survey_model.codebook import load_codebook
from survey_model.reliability import condition_reliability, cronbach_alpha, item_reliability, item_rest_correlations
from survey_model.responses import NONSUBSTANTIVE, WAVE
from survey_model.scoring import item_values

CB = load_codebook()

# Five respondents, three items. By hand: item variances 10/4 = 2.5, 7.2/4 = 1.8, 7.2/4 = 1.8 (sum 6.1);
# totals 5, 7, 10, 13, 15 (mean 10) have variance 68/4 = 17; alpha = 3/2 * (1 - 6.1/17) = 16.35/17 = 0.961765.
HAND = np.array([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5], [5, 5, 5]], dtype=float)


def _hoyt(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Alpha and its interval the other way round: two-way ANOVA (Hoyt 1941) and the ICC(C,k) interval.

    Alpha equals 1 - MS_error / MS_respondents, the average-measures consistency ICC (McGraw & Wong 1996, case
    3A), whose interval is 1 - F_crit / F_obs with F_obs = MS_respondents / MS_error on (n - 1, (n - 1)(k - 1)).
    """
    n, k = values.shape
    grand = values.mean()
    ss_rows = k * ((values.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((values.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((values - grand) ** 2).sum() - ss_rows - ss_cols
    ms_rows, ms_error = ss_rows / (n - 1), ss_error / ((n - 1) * (k - 1))
    f_obs = ms_rows / ms_error
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    return 1 - 1 / f_obs, 1 - stats.f.ppf(1 - tail, df1, df2) / f_obs, 1 - stats.f.ppf(tail, df1, df2) / f_obs


def test_alpha_matches_hand_calculation():
    """Five respondents by three items: alpha = 16.35 / 17 = 0.9618."""
    alpha, _ = cronbach_alpha(HAND)
    assert alpha == pytest.approx(16.35 / 17)


def test_feldt_interval_matches_printed_f_table_values():
    """F(0.975; 4, 8) = 5.053 and F(0.975; 8, 4) = 8.980 (printed F tables) give 0.8068 to 0.9957."""
    _, (lo, hi) = cronbach_alpha(HAND)
    one_minus = 1 - 16.35 / 17
    assert lo == pytest.approx(1 - one_minus * 5.053, abs=1e-4)
    assert hi == pytest.approx(1 - one_minus / 8.980, abs=1e-4)


@pytest.mark.parametrize("confidence", [0.95, 0.90])
def test_alpha_and_interval_agree_with_the_anova_route(confidence):
    """On seeded survey-like data, alpha and its Feldt interval equal Hoyt's ANOVA alpha and ICC(C,k) limits."""
    rng = np.random.default_rng(8)
    values = np.clip(np.rint(3 + rng.normal(0, 0.7, (60, 1)) + rng.normal(0, 0.9, (60, 4))), 1, 5)
    alpha, (lo, hi) = cronbach_alpha(values, confidence=confidence)
    assert (alpha, lo, hi) == pytest.approx(_hoyt(values, confidence))


def test_missing_answers_are_deleted_listwise():
    """A respondent with a missing item is left out entirely: alpha equals that of the complete rows."""
    with_gap = np.vstack([HAND, [[5, np.nan, 1]]])
    assert cronbach_alpha(with_gap) == cronbach_alpha(HAND)


def test_item_rest_correlations_match_hand_calculation():
    """Item a against b + c: covariance sum 16 over sqrt(10 * 26) = 0.99228; b and c: 13.8 / sqrt(7.2 * 33.2)."""
    table = pd.DataFrame(HAND, columns=["a", "b", "c"])
    result = item_rest_correlations(table)
    assert result.index.tolist() == ["a", "b", "c"]
    assert result.tolist() == pytest.approx([16 / np.sqrt(260), 13.8 / np.sqrt(7.2 * 33.2), 13.8 / np.sqrt(7.2 * 33.2)])


def test_one_item_has_no_alpha():
    """Alpha is not defined for a single item: a programmer error, not a number."""
    with pytest.raises(ValueError, match="at least two items"):
        cronbach_alpha(HAND[:, :1])
    with pytest.raises(ValueError, match="at least two items"):
        item_rest_correlations(HAND[:, :1])


def test_zero_variance_gives_nan_not_a_division_error():
    """Everyone answered 4 to everything: alpha, its interval and item-rest correlations are NaN."""
    flat = np.full((10, 4), 4.0)
    alpha, (lo, hi) = cronbach_alpha(flat)
    assert np.isnan(alpha) and np.isnan(lo) and np.isnan(hi)
    assert item_rest_correlations(flat).isna().all()


def test_all_missing_gives_nan():
    """No complete answer set: alpha NaN, item-rest correlations NaN."""
    empty = np.full((6, 3), np.nan)
    alpha, (lo, hi) = cronbach_alpha(empty)
    assert np.isnan(alpha) and np.isnan(lo) and np.isnan(hi)
    assert item_rest_correlations(empty).isna().all()


def consistent_frame(seed: int, waves: dict[str, int]) -> pd.DataFrame:
    """Condition items driven by one latent level per condition; reverse items exported as answered."""
    rng = np.random.default_rng(seed)
    items = [item.id for item in CB.condition_items]
    parts = []
    for wave, n in waves.items():
        latent = 3 + rng.normal(0, 0.8, (n, 7)).repeat(4, axis=1)
        answers = np.clip(np.rint(latent + rng.normal(0, 0.6, (n, 28))), 1, 5)
        for j, item_id in enumerate(items):
            if CB.item(item_id).reverse:
                answers[:, j] = 6 - answers[:, j]
        part = pd.DataFrame(answers, columns=items)
        part[WAVE] = wave
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame[items] = frame[items].astype("float32")
    frame[WAVE] = pd.Categorical(frame[WAVE], categories=list(waves), ordered=True)
    return frame


def test_condition_alpha_per_wave_uses_reversed_scoring_values():
    """Per wave and condition, alpha equals cronbach_alpha on item_values (reverse items reversed)."""
    frame = consistent_frame(1, {"W1": 80, "W2": 70})
    table = condition_reliability(frame, CB)
    assert table[WAVE].unique().tolist() == ["W1", "W2"] and len(table) == 14
    row = table[(table[WAVE] == "W2") & (table["condition"] == "SI")].iloc[0]
    ids = [item.id for item in CB.items_for("SI")]
    expected, (lo, hi) = cronbach_alpha(item_values(frame[frame[WAVE] == "W2"], CB, ids))
    assert (row["alpha"], row["ci_lo"], row["ci_hi"]) == pytest.approx((expected, lo, hi))
    assert row["n"] == 70 and row["alpha"] > 0.8 and not row["below_floor"]
    raw = frame.loc[frame[WAVE] == "W2", ids].to_numpy(dtype=float)
    assert cronbach_alpha(raw)[0] < row["alpha"] - 0.3  # unreversed SI4 would wreck the scale


def test_condition_below_the_floor_is_flagged():
    """Items answered independently of each other give alpha far below 0.70, flagged with a note."""
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(rng.integers(1, 6, (60, 4)), columns=["SI1", "SI2", "SI3", "SI4"]).astype("float32")
    row = condition_reliability(frame, CB).iloc[0]
    assert row["below_floor"] and row["note"] == "below 0.70" and row["alpha"] < 0.70


def test_non_answers_are_missing_and_counted_out_of_n():
    """A 'Don't know' (-1) drops the respondent from that condition's alpha (listwise), never scores as 0."""
    frame = consistent_frame(3, {"W1": 30})
    frame.loc[0, "SI2"] = NONSUBSTANTIVE
    row = condition_reliability(frame, CB).set_index("condition").loc["SI"]
    assert row["n"] == 29


def test_small_group_alpha_is_hidden():
    """A wave with four respondents shows no alpha and no n."""
    frame = consistent_frame(4, {"W1": 40, "W2": 4})
    table = condition_reliability(frame, CB)
    small = table[table[WAVE] == "W2"]
    assert set(small["suppressed"]) == {"small_group"} and small[["n", "alpha", "ci_lo"]].isna().all().all()


def test_single_item_condition_is_reported_without_alpha():
    """A condition with one item in the export gets a row saying alpha is not defined."""
    frame = consistent_frame(5, {"W1": 30})[["SI1", "VS1", "VS2", WAVE]]
    table = condition_reliability(frame, CB).set_index("condition")
    assert np.isnan(table.loc["SI", "alpha"]) and table.loc["SI", "note"] == "one item: alpha is not defined"
    assert not np.isnan(table.loc["VS", "alpha"])


def test_item_reliability_flags_an_item_that_does_not_fit():
    """An item answered at random has the lowest item-rest correlation and alpha rises without it."""
    frame = consistent_frame(6, {"W1": 120})
    frame["SI3"] = np.random.default_rng(0).integers(1, 6, len(frame)).astype("float32")
    table = item_reliability(frame, CB)
    si = table[table["condition"] == "SI"].set_index("item")
    alpha = condition_reliability(frame, CB).set_index("condition").loc["SI", "alpha"]
    assert si["item_rest"].idxmin() == "SI3" and si.loc["SI3", "alpha_if_deleted"] > alpha
    assert si.loc["SI4", "reverse"] and si.loc["SI4", "item_rest"] > 0.3  # reversed first; raw it would be negative
