"""A school hidden in the schools grid stays hidden when picked in the filter, so no subtraction reveals another."""

import pandas as pd

from survey_model.codebook import load_codebook
from survey_model.dashboard import overview
from survey_model.privacy import hidden_waves, restrict

CB = load_codebook()


def _frame() -> pd.DataFrame:
    """Two waves: in W2 Tiny has 3 respondents, so Mid (the next smallest) is hidden with it."""
    rows = [
        ("W1", "Big", 20),
        ("W1", "Mid", 8),
        ("W1", "Tiny", 7),
        ("W2", "Big", 20),
        ("W2", "Mid", 8),
        ("W2", "Tiny", 3),
    ]
    frame = pd.DataFrame([(w, s) for w, s, n in rows for _ in range(n)], columns=["wave", "school"])
    for item in CB.condition_items:
        frame[item.id] = pd.Series(4.0, index=frame.index, dtype="float32")
    return frame


def test_a_school_hidden_to_protect_another_is_hidden_when_selected():
    """Mid is complementary-suppressed in W2: selecting it shows nothing for W2, and everything for W1."""
    frame = _frame()
    assert hidden_waves(frame, {"school": "Mid"}) == {"W2"}
    assert set(restrict(frame, {"school": "Mid"})["wave"]) == {"W1"}
    assert hidden_waves(frame, {"school": "Big"}) == set()


def test_no_combination_of_shown_views_recovers_the_small_school():
    """Whole minus every school the Overview will show for W2 leaves at least 5 people in at least 2 schools."""
    frame = _frame()
    whole = len(frame[frame["wave"] == "W2"])
    shown = {
        school: overview(frame, CB, wave="W2", restriction={"school": school}).respondents
        for school in ("Big", "Mid", "Tiny")
        if not overview(frame, CB, wave="W2", restriction={"school": school}).hidden
    }
    assert set(shown) == {"Big"}
    assert whole - sum(shown.values()) >= 5


def test_overview_of_a_protecting_school_in_the_demo_shows_the_message(app):
    """Demo data: Dogwood is hidden in 2026 to protect Juniper Hollow (4 respondents); picking it shows no figure."""
    at = app(org="cedar-valley", wave="2026 Spring", school="Dogwood Elementary School").run()
    assert not at.exception, at.exception
    assert any("hidden to protect confidentiality" in w.value for w in at.warning)
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart")
