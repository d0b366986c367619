"""No aggregate over fewer than the minimum number of respondents can be seen or recovered."""

import numpy as np
import pandas as pd
import pytest

from survey_model.codebook import load_codebook
from survey_model.privacy import COMPLEMENTARY, SMALL_GROUP, SUPPRESSED, hidden_message, shown, suppress
from survey_model.scoring import condition_summary

CB = load_codebook()


def test_group_of_three_shows_no_figure_not_even_its_count():
    """A group below the minimum keeps its name but loses every number."""
    table = pd.DataFrame({"school": ["Oak", "Elm"], "n": [3, 30], "mean": [4.2, 3.1], "pct": [80.0, 55.0]})
    out = suppress(table, keys=["school"])
    oak = out.set_index("school").loc["Oak"]
    assert oak[SUPPRESSED] == SMALL_GROUP
    assert pd.isna(oak["n"]) and pd.isna(oak["mean"]) and pd.isna(oak["pct"])
    assert out.set_index("school").loc["Elm", "mean"] == 3.1


def test_one_hidden_group_forces_a_second_one_to_be_hidden():
    """Hiding one role alone would let the total minus the others reveal it."""
    table = pd.DataFrame({"role": ["Teacher", "Coach", "Admin", "Support"], "n": [50, 4, 7, 12]})
    out = suppress(table, keys=["role"], breakdown="role").set_index("role")[SUPPRESSED]
    assert out.to_dict() == {"Teacher": "", "Coach": SMALL_GROUP, "Admin": COMPLEMENTARY, "Support": ""}


def test_hidden_groups_together_reach_the_minimum():
    """Two hidden groups of 2 and 2 still describe only 4 people: a third must go."""
    table = pd.DataFrame({"role": list("ABCD"), "n": [2, 2, 6, 40]})
    out = suppress(table, keys=["role"], breakdown="role").set_index("role")[SUPPRESSED]
    assert out.to_dict() == {"A": SMALL_GROUP, "B": SMALL_GROUP, "C": COMPLEMENTARY, "D": ""}


def test_complementary_suppression_works_within_each_wave_separately():
    """Each wave's breakdown is its own whole."""
    table = pd.DataFrame({"wave": ["W1"] * 3 + ["W2"] * 3, "role": list("ABC") * 2, "n": [3, 9, 20, 8, 9, 20]})
    out = suppress(table, keys=["wave", "role"], breakdown="role")
    assert out[SUPPRESSED].tolist() == [SMALL_GROUP, COMPLEMENTARY, "", "", "", ""]


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_group_can_be_recovered_by_subtraction(seed):
    """Random breakdowns of random data: total minus shown groups only ever reveals >= min_n people combined."""
    rng = np.random.default_rng(seed)
    min_n = 5
    sizes = rng.choice([1, 2, 3, 4, 5, 6, 8, 15, 40], size=rng.integers(2, 9))
    data = pd.DataFrame(
        {"school": np.repeat([f"S{i}" for i in range(len(sizes))], sizes), "score": rng.normal(3, 1, sizes.sum())}
    )
    groups = data.groupby("school").agg(n=("score", "size"), total=("score", "sum"), mean=("score", "mean"))
    out = suppress(groups.reset_index(), keys=["school"], min_n=min_n, breakdown="school").set_index("school")
    visible = out[out[SUPPRESSED] == ""]
    hidden = out.index[out[SUPPRESSED] != ""]
    if len(hidden) == 0:
        assert (groups["n"] >= min_n).all()
        return
    # What an attacker recovers from the shown total and the shown groups:
    recovered_n = len(data) - visible["n"].sum()
    recovered_sum = data["score"].sum() - (visible["n"] * visible["mean"]).sum()
    assert recovered_n == groups.loc[hidden, "n"].sum()
    assert recovered_sum == pytest.approx(groups.loc[hidden, "total"].sum())
    assert recovered_n >= min_n or len(hidden) == len(groups)  # only a combination of >= min_n people
    assert len(hidden) >= 2 or len(groups) == 1
    assert (groups.loc[groups["n"] < min_n].index.isin(hidden)).all()


def test_condition_table_for_a_tiny_school_hides_every_condition():
    """Scored through the real pipeline: a school of 3 shows no condition figure; its name stays."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({f"SI{i}": rng.integers(1, 6, 40).astype("float32") for i in range(1, 5)})
    frame["school"] = ["Big"] * 30 + ["Mid"] * 7 + ["Tiny"] * 3
    table = suppress(condition_summary(frame, CB, by=["school"]), keys=["school", "condition"], breakdown="school")
    tiny = table[table["school"] == "Tiny"]
    assert (tiny[SUPPRESSED] == SMALL_GROUP).all()
    assert tiny.drop(columns=["school", "condition", SUPPRESSED]).isna().all().all()
    assert (table[table["school"] == "Mid"][SUPPRESSED] == COMPLEMENTARY).all()
    assert set(shown(table)["school"]) == {"Big"}


def test_threshold_is_configurable_upward():
    """With a minimum of 10 a group of 7 is hidden too, and the message says 10."""
    table = pd.DataFrame({"school": ["A", "B"], "n": [7, 50]})
    assert suppress(table, keys=["school"], min_n=10)[SUPPRESSED].tolist() == [SMALL_GROUP, ""]
    assert "fewer than 10" in hidden_message(10)
