"""The Overview added up from per-cell tallies equals the Overview from the respondents, privacy rules included."""

import numpy as np
import pandas as pd
import pytest

from survey_model.codebook import load_codebook
from survey_model.dashboard import overview
from survey_model.privacy import hidden_waves
from survey_model.scoring import with_condition_parts
from survey_model.tallies import RESPONDENTS, tally

CB = load_codebook()


def _frame(seed: int) -> pd.DataFrame:
    """Three waves, five schools of very different sizes (one tiny), roles with blanks, every item with skips."""
    rng = np.random.default_rng(seed)
    sizes = {"Ash": 60, "Elm": 35, "Oak": 22, "Yew": 9, "Fir": 3}
    rows = [
        (wave, school, level)
        for wave in ("W1", "W2", "W3")
        for school, level in zip(sizes, ("Elementary", "Elementary", "Middle", "Middle", "High"), strict=True)
        for _ in range(sizes[school] + int(rng.integers(-2, 3)))
    ]
    frame = pd.DataFrame(rows, columns=["wave", "school", "school_level"])
    frame["wave"] = pd.Categorical(frame["wave"], categories=["W1", "W2", "W3"], ordered=True)
    frame["role"] = pd.array(rng.choice(["Teacher", "Teacher", "Coach", "Other", None], len(frame)), dtype="str")
    for item in CB.items:
        values = [*CB.scale(item.scale).values, -1.0, np.nan]
        frame[item.id] = rng.choice(values, len(frame)).astype("float32")
    return frame


RESTRICTIONS = [
    {},
    {"role": "Teacher"},
    {"role": "Coach"},
    {"school": "Yew"},  # small: hidden with the next smallest in some waves
    {"school": "Fir"},  # under 5 everywhere
    {"school": "Oak", "role": "Other"},
    {"school_level": "Middle", "role": "Teacher"},
    {"school_level": "High"},
]


@pytest.mark.parametrize("seed", [3, 4])
@pytest.mark.parametrize("restriction", RESTRICTIONS, ids=lambda r: "-".join(f"{k}={v}" for k, v in r.items()) or "all")
def test_overview_from_tallies_equals_overview_from_respondents(seed, restriction):
    frame = with_condition_parts(_frame(seed), CB)
    tallies = tally(frame, CB)
    for wave in ("W2", "W3"):
        rows = overview(frame, CB, wave=wave, restriction=restriction)
        cells = overview(frame, CB, wave=wave, restriction=restriction, tallies=tallies)
        assert (cells.respondents, cells.hidden) == (rows.respondents, rows.hidden)
        for name in ("index", "leader", "conditions"):
            pd.testing.assert_frame_equal(
                getattr(cells, name).reset_index(drop=True),
                getattr(rows, name).reset_index(drop=True),
                check_dtype=False,
                check_categorical=False,
                obj=name,
            )


def test_tallies_count_every_respondent_once_and_hide_the_same_waves():
    frame = _frame(5)
    tallies = tally(frame, CB)
    assert tallies.cells[RESPONDENTS].sum() == len(frame)
    assert tallies.dimensions == ("wave", "school", "school_level", "role", "leader_identity")
    for restriction in RESTRICTIONS[1:]:
        assert hidden_waves(tallies.cells, restriction, weights=RESPONDENTS) == hidden_waves(frame, restriction)
    assert hidden_waves(frame, {"school": "Fir"}) == {"W1", "W2", "W3"}  # the case above is not vacuous
    # As the store loads them: categoricals, with a category no row uses.
    loaded = frame.astype({"school": "category", "school_level": "category", "role": "category"})
    loaded["school"] = loaded["school"].cat.add_categories(["Closed school"])
    for restriction in RESTRICTIONS[1:]:
        assert hidden_waves(loaded, restriction) == hidden_waves(frame, restriction)


def test_a_filter_outside_the_tallies_is_not_answered_from_them():
    tallies = tally(_frame(6), CB)
    assert not tallies.covers({"gender": "Woman"}) and tallies.covers({"gender": None, "role": "Teacher"})
    with pytest.raises(ValueError, match="not by every filter"):
        tallies.select({"gender": "Woman"})
