"""Scoring follows the metric conventions exactly, on examples small enough to check by hand."""

import numpy as np
import pandas as pd
import pytest

from survey_model.codebook import load_codebook
from survey_model.scoring import (
    NOT_ANSWERED,
    condition_summary,
    item_summary,
    item_values,
    leader_identity,
    part_column,
    score_respondents,
    stage_of,
    with_condition_parts,
)

NA = -1.0  # an explicit "N/A" / "Don't know" as stored in the responses frame
CB = load_codebook()


@pytest.fixture
def shared_influence() -> pd.DataFrame:
    """Four respondents on the Shared influence items (SI4 is reverse-worded)."""
    return pd.DataFrame(
        {
            "SI1": [4, 2, 5, 3],
            "SI2": [5, np.nan, np.nan, 3],
            "SI3": [3, NA, np.nan, 4],
            "SI4": [2, 5, np.nan, 4],
            "role": ["Teacher", "Teacher", None, "Administrator"],
        }
    ).astype({f"SI{i}": "float32" for i in range(1, 5)})


def test_reverse_worded_item_is_recoded_six_minus_x():
    """A 'Strongly agree' (5) on a negatively worded item scores 1, and 2 scores 4."""
    frame = pd.DataFrame({"SI4": [5, 2, 3]}, dtype="float32")
    assert item_values(frame, CB, ["SI4"])[:, 0].tolist() == [1.0, 4.0, 3.0]


def test_explicit_non_answer_is_missing_not_zero():
    """'N/A' (stored as -1) never enters a mean as a number."""
    frame = pd.DataFrame({"SI1": [NA, 4.0]}, dtype="float32")
    values = item_values(frame, CB, ["SI1"])[:, 0]
    assert np.isnan(values[0]) and values[1] == 4.0


def test_respondent_score_needs_half_the_items(shared_influence):
    """Hand-worked: R1 (4+5+3+4)/4 = 4.0; R2 answered 2 of 4 -> (2+1)/2 = 1.5; R3 1 of 4 -> none; R4 3.0."""
    scores = score_respondents(shared_influence, CB)["SI"].tolist()
    assert scores[0] == 4.0 and scores[1] == 1.5 and np.isnan(scores[2]) and scores[3] == 3.0


def test_half_answered_rule_on_a_three_item_condition():
    """With three items, two answered are needed (1.5 rounds up): one answer gives no score."""
    cb = load_codebook("school-improvement")
    frame = pd.DataFrame({"CN1": [4, 4], "CN2": [np.nan, 2], "CN3": [np.nan, np.nan]}, dtype="float32")
    scores = score_respondents(frame, cb)["CN"].tolist()
    assert np.isnan(scores[0]) and scores[1] == 3.0


def test_group_summary_matches_hand_calculation(shared_influence):
    """n=3 scored; mean 8.5/3; 11 valid responses of which 5 favorable, 3 unfavorable; 1 N/A."""
    row = condition_summary(shared_influence, CB).set_index("condition").loc["SI"]
    assert row["n"] == 3
    assert row["mean"] == pytest.approx(8.5 / 3)
    # deviations from 2.8333: 1.1667, -1.3333, 0.1667 -> sum of squares 3.16667 / 2
    assert row["sd"] == pytest.approx(np.sqrt(3.1666667 / 2), rel=1e-6)
    assert row["n_responses"] == 11
    assert row["pct_favorable"] == pytest.approx(100 * 5 / 11)
    assert row["pct_unfavorable"] == pytest.approx(100 * 3 / 11)
    assert row["pct_neutral"] == pytest.approx(100 * 3 / 11)
    assert row["n_nonsubstantive"] == 1
    assert row["stage"] == "Emerging"


def test_breakdown_keeps_blank_attribute_as_its_own_group(shared_influence):
    """Respondents who left role blank form a 'Not answered' group, so groups add up to the whole."""
    table = condition_summary(shared_influence, CB, by=["role"])
    assert set(table["role"]) == {"Teacher", "Administrator", NOT_ANSWERED}
    assert table["n_responses"].sum() == 11


def test_item_summary_counts_after_reversal(shared_influence):
    """SI4 answers 2, 5, 4 become 4, 1, 2: one favorable of three valid answers."""
    row = item_summary(shared_influence, CB, items=["SI4"]).iloc[0]
    assert (row["n"], row["count_4"], row["count_1"], row["count_2"]) == (3, 1, 1, 1)
    assert row["pct_favorable"] == pytest.approx(100 / 3)
    assert row["mean"] == pytest.approx(7 / 3)


def test_leader_identity_share_counts_not_sure_as_valid():
    """Yes, Yes, No, Not sure, Prefer-not, blank -> n=4, 50% yes, 25% not sure; informal = Yes without a role."""
    frame = pd.DataFrame(
        {"LI1": [1, 1, 2, 3, NA, np.nan], "FLR": [2, 1, 2, np.nan, 2, 2], "role": ["T", "T", "T", "A", "A", "A"]},
    ).astype({"LI1": "float32", "FLR": "float32"})
    row = leader_identity(frame, CB).iloc[0]
    assert (row["n"], row["n_yes"], row["n_no"], row["n_unsure"]) == (4, 2, 1, 1)
    assert (row["share_yes"], row["share_unsure"], row["share_no"]) == (0.5, 0.25, 0.25)
    assert (row["n_informal"], row["share_informal"], row["n_nonsubstantive"]) == (1, 0.25, 1)
    by_role = leader_identity(frame, CB, by=["role"]).set_index("role")
    assert by_role.loc["T", "n"] == 3 and by_role.loc["A", "n"] == 1


def test_leader_identity_needs_a_leader_block():
    """An instrument without a leader-identity block says so instead of inventing a number."""
    cb = load_codebook("school-improvement")
    with pytest.raises(ValueError, match="no leader-identity block"):
        leader_identity(pd.DataFrame({"CN1": [1.0]}), cb)


@pytest.mark.parametrize(
    ("pct", "stage"),
    [
        (0, "Emerging"),
        (49.99, "Emerging"),
        (50, "Developing"),
        (69.9, "Developing"),
        (70, "Established"),
        (84.99, "Established"),
        (85, "Sustaining"),
        (100, "Sustaining"),
    ],
)
def test_stage_bands_follow_project_defaults(pct, stage):
    """Emerging < 50, Developing 50-69, Established 70-84, Sustaining >= 85."""
    assert stage_of(pct) == stage


def test_scoring_at_limits_all_missing_and_single_respondent():
    """All answers missing gives n = 0 and no percentages; a single respondent has no sd."""
    empty = pd.DataFrame({f"RN{i}": [np.nan, np.nan] for i in range(1, 5)}, dtype="float32")
    row = condition_summary(empty, CB).iloc[0]
    assert row["n"] == 0 and np.isnan(row["mean"]) and np.isnan(row["pct_favorable"]) and row["stage"] == ""
    single = pd.DataFrame({f"RN{i}": [4.0] for i in range(1, 5)}, dtype="float32")
    row = condition_summary(single, CB).iloc[0]
    assert row["n"] == 1 and np.isnan(row["sd"])


def _random_responses(seed: int, rows: int = 400) -> pd.DataFrame:
    """Every codebook item with skips and non-answers, and two breakdown attributes with blanks."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "role": pd.array(rng.choice(["Teacher", "Coach", "", None], rows), dtype="string"),
            "school": pd.Categorical(rng.choice(["Ash", "Elm", "Oak"], rows)),
        }
    )
    for item in CB.items:
        scale = CB.scale(item.scale)
        answers = rng.choice([*scale.values, NA, np.nan], rows).astype("float32")
        frame[item.id] = answers
    return frame


@pytest.mark.parametrize("seed", [1, 2])
def test_breakdowns_equal_scoring_each_group_on_its_own(seed):
    """A breakdown's row for a group is exactly the summary of that group's respondents scored alone."""
    frame = _random_responses(seed)
    keys = frame["role"].fillna(NOT_ANSWERED).replace("", NOT_ANSWERED).astype(str) + "|" + frame["school"].astype(str)
    for summarise, index in (
        (condition_summary, ["condition"]),
        (item_summary, ["item"]),
        (leader_identity, []),
    ):
        grouped = summarise(frame, CB, by=["role", "school"])
        assert len(grouped[["role", "school"]].drop_duplicates()) == keys.nunique()
        for key, rows in frame.groupby(keys):
            role, school = key.split("|")
            alone = summarise(rows, CB).reset_index(drop=True)
            mine = grouped[(grouped["role"] == role) & (grouped["school"] == school)].reset_index(drop=True)
            assert len(mine) == len(alone) > 0, key
            pd.testing.assert_frame_equal(
                mine.drop(columns=["role", "school"])[alone.columns], alone, check_dtype=False, rtol=1e-12
            )
            if index:
                assert mine[index[0]].tolist() == alone[index[0]].tolist()


def test_stored_parts_give_the_summaries_of_the_items():
    """A frame carrying each respondent's parts summarises exactly as scoring its items, even without the items."""
    frame = _random_responses(3)
    with_parts = with_condition_parts(frame, CB)
    assert part_column("SI", "score") in with_parts.columns
    items_gone = with_parts.drop(columns=[item.id for item in CB.condition_items])
    for by in ([], ["role"], ["role", "school"]):
        expected = condition_summary(frame, CB, by=by)
        pd.testing.assert_frame_equal(condition_summary(with_parts, CB, by=by), expected)
        pd.testing.assert_frame_equal(condition_summary(items_gone, CB, by=by), expected)
    # Another half-answered rule scores the items again instead of using the stored parts.
    strict = condition_summary(with_parts, CB, min_share=1.0)
    pd.testing.assert_frame_equal(strict, condition_summary(frame, CB, min_share=1.0))
    assert (strict["n"] < condition_summary(frame, CB)["n"]).all()
