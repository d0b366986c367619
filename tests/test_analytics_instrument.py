"""Instrument check: a planted misfitting item is flagged and no other; the showing rule; the demo is clean."""

from __future__ import annotations

import numpy as np
import pytest

from survey_model.analytics.instrument import LOADS_WEAKLY, SITS_ELSEWHERE, instrument_check, required_respondents
from survey_model.codebook import load_codebook
from survey_model.demo import generate
from survey_model.demo.simulate import simulate_survey

CODEBOOK = load_codebook()


@pytest.mark.parametrize("seed", range(4))
def test_a_planted_misfitting_item_is_flagged_and_no_other(seed):
    """VS3 truly measures Shared influence: it alone is flagged, as sitting better with Shared influence.

    Measured with 200 simulations (600 respondents): the misfit flagged and no other item in 196/200 (98%); the
    miss examined (seed 20,014) also flagged VS2, left with two true companions, as loading weakly (0.26).
    """
    frame, truth = simulate_survey(respondents=600, schools=12, seed=seed, misfit=("VS3", "SI"))
    check = instrument_check(frame, CODEBOOK)
    flagged = check.items[check.items["flag"] != ""]
    assert truth.misfit == ("VS3", "SI")
    assert flagged["item"].tolist() == ["VS3"]
    row = flagged.iloc[0]
    assert row["flag"] == SITS_ELSEWHERE and row["other_condition"] == "Shared influence"
    assert "Shared influence" in row["note"]


def test_an_item_of_pure_noise_loads_weakly():
    """An item whose answers are random (no condition behind them) is flagged as loading weakly, alone."""
    frame, _ = simulate_survey(respondents=600, schools=12, seed=7)
    frame["OI2"] = np.random.default_rng(1).integers(1, 6, len(frame)).astype("float32")
    check = instrument_check(frame, CODEBOOK)
    flagged = check.items[check.items["flag"] != ""]
    assert flagged["item"].tolist() == ["OI2"]
    assert flagged.iloc[0]["flag"] == LOADS_WEAKLY
    assert check.items.set_index("item").loc["OI2", "item_rest"] < 0.15


def test_the_demo_items_all_sit_with_their_own_condition():
    """The demo plants no misfitting item: in every organization × wave with the 280 respondents the check needs,
    no item is flagged (the network's third and fourth organizations are too small: the check says so)."""
    responses = generate().responses
    for (org, wave), rows in responses.groupby(["organization", "wave"], observed=True):
        check = instrument_check(rows, CODEBOOK)
        if org in ("lakeshore", "pine-ridge"):
            assert not check.shown and "280" in check.message, (org, wave)
            continue
        assert check.shown, (org, wave)
        assert (check.items["flag"] == "").all(), (org, wave, check.items)
        assert len(check.items) == 28 and len(check.conditions) == 7


def test_the_check_is_shown_only_with_ten_respondents_per_item():
    """28 items need 280 respondents with a score on every condition: 279 give the plain message only."""
    assert required_respondents(28) == 280
    frame, _ = simulate_survey(respondents=280, schools=10, seed=3)
    assert instrument_check(frame, CODEBOOK).shown
    fewer = instrument_check(frame.iloc[:279], CODEBOOK)
    assert not fewer.shown and fewer.items.empty and "280" in fewer.message and "279" in fewer.message


def test_a_skipped_item_is_filled_with_the_respondents_own_condition_mean():
    """One blank item does not drop the respondent: n counts everyone with a score on every condition."""
    frame, _ = simulate_survey(respondents=300, schools=10, seed=4)
    frame.loc[frame.index[:50], "SA2"] = np.nan
    frame.loc[frame.index[:5], ["SA1", "SA3", "SA4"]] = np.nan  # 5 respondents answer no SA item: no SA score
    check = instrument_check(frame, CODEBOOK)
    assert check.n == 295
