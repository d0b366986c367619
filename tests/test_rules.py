"""The product's rules, pinned with figures worked out by hand (see docs/rules.md for the rules themselves).

Each frame below is built so that the expected figure can be checked with pencil and paper; the arithmetic is in
the test's comments. The Collective Leadership Index and the stage bands are read through the Overview page's
public function (:func:`survey_model.dashboard.overview`), on both of its paths (respondent rows and tallies).
"""

import math

import numpy as np
import pandas as pd
import pytest

from survey_model.codebook import load_codebook
from survey_model.dashboard import overview
from survey_model.scoring import index_summary, stage_of, with_condition_parts
from survey_model.settings import DEFAULT_STAGE_BANDS, Settings, load_settings
from survey_model.shifts import compare_waves
from survey_model.tallies import tally
from survey_model.workbook import results_workbook

CODEBOOK = load_codebook()
FAVORABLE, UNFAVORABLE = 5.0, 2.0  # scoring values (after reversal)

#: Favorable answers among each condition's 10 respondents × 4 items (40 cells), and how the cells are answered.
#: VS 40/40 = 100 %, SA 0/20 = 0 % (only SA1-SA2 answered), CR 28/40 = 70 %, WS 20/40 = 50 %, RN 34/40 = 85 %,
#: SI 10/40 = 25 %, OI 8/32 = 25 % (two respondents skip OI entirely, so OI's n is 8).
PLAN = {"VS": 40, "SA": 0, "CR": 28, "WS": 20, "RN": 34, "SI": 10, "OI": 8}


def _stored(item_id: str, value: float) -> float:
    """The answer as stored: reverse-worded items hold 6 − x of the scoring value x."""
    return 6.0 - value if CODEBOOK.item(item_id).reverse else value


def planned_wave(wave: str = "W1") -> pd.DataFrame:
    """Ten respondents of one school answering as :data:`PLAN` says."""
    person = {"wave": wave, "respondent_key": "", "school": "Oak", "school_level": "Elementary", "role": "Teacher"}
    rows = [dict(person) for _ in range(10)]
    for condition, favorable in PLAN.items():
        items = [item.id for item in CODEBOOK.items_for(condition)]
        cells = [(r, i) for r in range(10) for i in items]
        if condition == "SA":
            cells = [(r, i) for r, i in cells if i in items[:2]]
        if condition == "OI":
            cells = [(r, i) for r, i in cells if r < 8]
        for row in rows:
            row.update(dict.fromkeys(items, np.nan))
        for position, (r, i) in enumerate(cells):
            rows[r][i] = _stored(i, FAVORABLE if position < favorable else UNFAVORABLE)
    return _typed(pd.DataFrame(rows), [wave])


def _typed(frame: pd.DataFrame, waves: list[str]) -> pd.DataFrame:
    frame["wave"] = pd.Categorical(frame["wave"], categories=waves, ordered=True)
    for column in ("respondent_key", "school", "school_level", "role"):
        frame[column] = frame[column].astype("string")
    for column in frame.columns:
        if column not in ("wave", "respondent_key", "school", "school_level", "role"):
            frame[column] = frame[column].astype("float32")
    return frame


def both_paths(frame: pd.DataFrame, **options):
    """The Overview from respondent rows and from tallies: the page uses either, and they must agree."""
    rows = overview(frame, CODEBOOK, wave="W1", **options)
    parts = with_condition_parts(frame, CODEBOOK)
    tallied = overview(parts, CODEBOOK, wave="W1", tallies=tally(parts, CODEBOOK), **options)
    return rows, tallied


# ---------------------------------------------------------------------------------------------------------------
# Collective Leadership Index


def test_index_weights_each_condition_equally_and_its_n_is_the_smallest_condition_n():
    """(100 + 0 + 70 + 50 + 85 + 25 + 25) / 7 = 355 / 7 = 50.714…, not the 142 / 260 = 54.6 % of pooled answers;
    n = 8 (OI), not 10."""
    for view in both_paths(planned_wave()):
        row = view.index.iloc[0]
        assert row["index"] == pytest.approx(355 / 7)
        assert row["n"] == 8
        assert row["index_foundational"] == pytest.approx((100 + 0 + 70 + 50) / 4)  # 55
        assert row["index_cultural"] == pytest.approx((85 + 25 + 25) / 3)  # 45
    assert index_summary(planned_wave(), CODEBOOK)["index"].iloc[0] == pytest.approx(355 / 7)


def test_index_is_hidden_when_its_smallest_condition_is_below_the_minimum():
    """With a minimum of 9, OI's 8 respondents hide the index although 10 people answered."""
    for view in both_paths(planned_wave(), settings=Settings(min_n=9, min_n_sensitive=10)):
        assert pd.isna(view.index["index"].iloc[0])
        assert view.index["suppressed"].iloc[0] != ""


# ---------------------------------------------------------------------------------------------------------------
# Stage bands


def test_a_condition_exactly_on_a_band_edge_is_in_the_higher_band():
    """CR 70 % → Established, WS 50 % → Developing, RN 85 % → Sustaining; SI 25 % → Emerging."""
    expected = {"VS": "Sustaining", "CR": "Established", "WS": "Developing", "RN": "Sustaining", "SI": "Emerging"}
    for view in both_paths(planned_wave()):
        table = view.conditions.set_index("condition")
        assert table.loc[list(expected), "pct_favorable"].tolist() == pytest.approx([100, 70, 50, 85, 25])
        assert table.loc[list(expected), "stage"].to_dict() == expected


@pytest.mark.parametrize(
    ("pct", "stage"),
    [(49.999, "Emerging"), (50, "Developing"), (69.999, "Developing"), (70, "Established"), (85, "Sustaining")],
)
def test_stage_edges_belong_to_the_band_above(pct, stage):
    assert stage_of(pct, DEFAULT_STAGE_BANDS) == stage


# ---------------------------------------------------------------------------------------------------------------
# Settings: CLD_MIN_N, CLD_STAGE_BANDS and the floor of 3


def test_cld_min_n_raises_the_minimum_and_keeps_the_sensitive_minimum_at_least_as_high():
    assert load_settings({}).min_n == 5 and load_settings({}).min_n_sensitive == 10
    assert (load_settings({"CLD_MIN_N": "7"}).min_n, load_settings({"CLD_MIN_N": "7"}).min_n_sensitive) == (7, 10)
    assert load_settings({"CLD_MIN_N": "12"}).min_n_sensitive == 12


def test_the_minimum_n_cannot_go_below_three():
    """3 is the floor: CLD_MIN_N=3 is accepted, 2 is refused with a message."""
    assert load_settings({"CLD_MIN_N": "3"}).min_n == 3
    with pytest.raises(ValueError, match="at least 3"):
        load_settings({"CLD_MIN_N": "2"})
    with pytest.raises(ValueError, match="at least 3"):
        Settings(min_n=2)


def test_cld_min_n_hides_a_selection_smaller_than_it():
    """Ten respondents: shown with CLD_MIN_N=10, hidden with CLD_MIN_N=11."""
    shown = overview(planned_wave(), CODEBOOK, wave="W1", settings=load_settings({"CLD_MIN_N": "10"}))
    hidden = overview(planned_wave(), CODEBOOK, wave="W1", settings=load_settings({"CLD_MIN_N": "11"}))
    assert (shown.hidden, hidden.hidden) == (False, True)


def test_cld_stage_bands_move_the_edges():
    """With 40,60,80: 60 % is Established and 80 % Sustaining; the names stay."""
    bands = load_settings({"CLD_STAGE_BANDS": "40,60,80"}).stage_bands
    assert [(band.name, band.lower) for band in bands] == [
        ("Emerging", 0),
        ("Developing", 40),
        ("Established", 60),
        ("Sustaining", 80),
    ]
    assert [stage_of(x, bands) for x in (39.9, 40, 60, 79.9, 80)] == [
        "Emerging",
        "Developing",
        "Established",
        "Established",
        "Sustaining",
    ]
    settings = load_settings({"CLD_STAGE_BANDS": "40,60,80"})
    table = overview(planned_wave(), CODEBOOK, wave="W1", settings=settings).conditions.set_index("condition")
    assert table.loc["CR", "stage"] == "Established" and table.loc["RN", "stage"] == "Sustaining"  # 70 %, 85 %


@pytest.mark.parametrize("value", ["50,70", "70,50,85", "fifty,70,85", "50,70,85,95"])
def test_cld_stage_bands_that_are_not_three_rising_edges_are_refused(value):
    with pytest.raises(ValueError, match=r"CLD_STAGE_BANDS|rise"):
        load_settings({"CLD_STAGE_BANDS": value})


# ---------------------------------------------------------------------------------------------------------------
# Relative change


def leader_waves() -> pd.DataFrame:
    """100 educators per wave; 20 say Yes in W1 and 50 in W2 (the rest No). Condition answers repeat unchanged."""
    base = planned_wave()
    rows = []
    for wave, yes in (("W1", 20), ("W2", 50)):
        for k in range(100):
            row = base.iloc[k % 10].to_dict()
            row.update(wave=wave, school=f"School {k % 4}", LI1=1.0 if k < yes else 2.0, FLR=2.0)
            rows.append(row)
    return _typed(pd.DataFrame(rows), ["W1", "W2"])


# By hand (Katz log interval, z = 1.959964): ratio = 0.50 / 0.20 = 2.5, so +150 %;
# se = √(1/20 − 1/100 + 1/50 − 1/100) = √0.05 = 0.223607; z·se = 0.438261; e^0.438261 = 1.550010;
# ratio / 1.550010 = 1.612893 and ratio × 1.550010 = 3.875025, so +61.29 % to +287.50 %.
RELATIVE, RELATIVE_LO, RELATIVE_HI = 150.0, 61.2893, 287.5025


def test_relative_change_of_the_leader_share_in_the_shift_report():
    report = compare_waves(leader_waves(), CODEBOOK, from_wave="W1", to_wave="W2", min_n=5, matched=False)
    rows = report.to_frame()
    leader = rows[rows["measure"] == "leader_identity"].iloc[0]
    assert (leader["estimate1"], leader["estimate2"]) == pytest.approx((0.20, 0.50))
    assert 100 * (leader["ratio"] - 1) == pytest.approx(RELATIVE)
    assert 100 * (leader["ratio_lo"] - 1) == pytest.approx(RELATIVE_LO, abs=1e-3)
    assert 100 * (leader["ratio_hi"] - 1) == pytest.approx(RELATIVE_HI, abs=1e-3)
    assert "150% more" in leader["statement"]


def test_relative_change_in_the_workbook_changes_sheets():
    """Changes: whole percent (+150, +61, +288); Changes (analysts): unrounded."""
    book = results_workbook(leader_waves(), CODEBOOK, org_name="Test", wave="W2", compare="W1")
    columns = ["Relative change (%)", "Relative, likely from (%)", "Relative, likely to (%)"]
    shown = book.sheet("Changes").table
    row = shown[shown["Unit"].str.startswith("%") & shown["What"].str.contains("leader", case=False)].iloc[0]
    assert [row[c] for c in columns] == [150, 61, 288]
    assert [row["Before"], row["After"], row["Change"]] == [20, 50, 30]
    analysts = book.sheet("Changes (analysts)").table
    row = analysts[analysts["What"] == row["What"]].iloc[0]
    assert [row[c] for c in columns] == pytest.approx([RELATIVE, RELATIVE_LO, RELATIVE_HI], abs=1e-3)
    assert math.isclose(row["After"] - row["Before"], 30.0)


def test_relative_change_in_the_shifts_page_statistics_table():
    """The Shifts page's analyst table prints the relative change as whole percent with its interval."""
    from survey_model.shifts.display import shift_statistics

    rows = compare_waves(leader_waves(), CODEBOOK, from_wave="W1", to_wave="W2", min_n=5).to_frame()
    table = shift_statistics(rows, measures=("leader_identity",))
    assert table["Relative change (interval)"].iloc[0] == "+150% (+61% to +288%)"
