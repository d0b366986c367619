"""The analyses' privacy gate: only publishable selections, and only schools with at least min_n respondents."""

from __future__ import annotations

import pandas as pd

from survey_model.analytics.release import released_rows


def frame() -> pd.DataFrame:
    """Wave W1: Big 10, Mid 6, Tiny 3 respondents; wave W2: Big 4 (everything else in W1)."""
    schools = ["Big"] * 10 + ["Mid"] * 6 + ["Tiny"] * 3 + ["Big"] * 4
    waves = ["W1"] * 19 + ["W2"] * 4
    return pd.DataFrame({"wave": waves, "school": schools, "role": ["Teacher"] * 23})


def test_schools_under_the_minimum_are_left_out_of_every_analysis():
    """Under min_n 3 nothing is small; under min_n 4 Tiny (3) is dropped and Mid (6) hides with it."""
    assert released_rows(frame(), {}, wave="W1", min_n=3)["school"].value_counts().to_dict() == {
        "Big": 10,
        "Mid": 6,
        "Tiny": 3,
    }
    assert set(released_rows(frame(), {}, wave="W1", min_n=4)["school"]) == {"Big"}


def test_a_school_hidden_on_the_pages_to_protect_a_smaller_one_gives_nothing():
    """Mid (6) is hidden by complementary suppression beside Tiny (3): the analyses get no rows either."""
    assert released_rows(frame(), {"school": "Mid"}, wave="W1", min_n=5).empty
    assert len(released_rows(frame(), {"school": "Big"}, wave="W1", min_n=5)) == 10


def test_a_wave_with_fewer_than_the_minimum_releases_nothing():
    """W2 has 4 respondents in all: nothing, under min_n 5; the same rows are released under min_n 3."""
    assert released_rows(frame(), {}, wave="W2", min_n=5).empty
    assert len(released_rows(frame(), {}, wave="W2", min_n=3)) == 4


def test_a_school_hidden_beside_a_small_one_is_left_out_too():
    """All schools: Tiny (3) is small and Mid (6), the next smallest, is hidden with it, as on the Schools page."""
    rows = released_rows(frame(), {"school": None}, wave="W1", min_n=5)
    assert "Mid" not in set(rows["school"])
