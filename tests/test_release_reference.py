"""The fast release decision decides exactly what the old one did (tests/reference_release.py, frozen before the
speed-up): same released frame, attributes, loss table, notes and withheld values, on the demo data, on random
small networks, and on a synthetic network big enough that every cell has well over a hundred crossings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import reference_release
from test_release import CB, network

from survey_model.release import SchoolInfo, release
from survey_model.responses import RESPONDENT_KEY, WAVE


def assert_same_decision(frame: pd.DataFrame, schools: dict[str, SchoolInfo], **limits: int) -> None:
    """The new decision equals the reference one on ``frame``, field by field."""
    new = release(frame, CB, schools=schools, **limits)
    old = reference_release.release(frame, CB, schools=schools, **limits)
    # the school list's further attributes (school:title_i, ...) came after the reference (test_school_attributes)
    pd.testing.assert_frame_equal(new.frame.drop(columns=list(new.listed)), old.frame)
    pd.testing.assert_frame_equal(new.loss, old.loss)
    assert new.attributes == old.attributes
    assert new.notes == old.notes
    assert new.schools == old.schools
    assert dict(new.withheld) == dict(old.withheld)


@pytest.mark.parametrize("seed", range(0, 120))
def test_random_networks_get_the_reference_decision(seed):
    """120 random small networks (blank answers, tiny schools, panels, gaps in the school list), at min_n 5."""
    frame, info = network(seed)
    assert_same_decision(frame, info)


@pytest.mark.parametrize(("seed", "min_n", "sensitive"), [(3, 3, 3), (7, 2, 4), (11, 7, 10), (19, 10, 12), (23, 1, 1)])
def test_other_thresholds_get_the_reference_decision(seed, min_n, sensitive):
    """Thresholds other than five (where fewer or more atoms count as small) decide as before."""
    frame, info = network(seed, waves=4)
    assert_same_decision(frame, info, min_n=min_n, min_n_sensitive=sensitive)


def crowded(seed: int, *, respondents: int, schools: int, waves: int) -> tuple[pd.DataFrame, dict[str, SchoolInfo]]:
    """A network with many crossings per school: five attributes of three to five values, a panel that stays in
    its school (so linked splits are checked too), some blanks."""
    rng = np.random.default_rng(seed)
    people = pd.DataFrame(
        {
            RESPONDENT_KEY: [f"P{i}" for i in range(respondents)],
            "school": [f"School {i}" for i in rng.integers(0, schools, respondents)],
        }
    )
    parts = []
    for w in range(waves):
        part = people.sample(frac=0.8, random_state=seed * 10 + w).reset_index(drop=True)
        n = len(part)
        part[WAVE] = f"W{w + 1}"
        part["school_level"] = ""
        roles = ["Teacher", "Administrator", "Coach", "Support", ""]
        part["role"] = rng.choice(roles, n, p=[0.7, 0.1, 0.1, 0.05, 0.05])
        part["years_in_education"] = rng.choice(["1", "2-3", "4-6", "7-10", "11+"], n)
        part["years_at_school"] = rng.choice(["1", "2-3", "4-6", "7+"], n)
        part["leadership_team"] = rng.choice(["Yes", "No", ""], n, p=[0.2, 0.75, 0.05])
        part["gender"] = rng.choice(["Woman", "Man", "Non-binary"], n, p=[0.7, 0.27, 0.03])
        part["LI1"] = rng.choice([1.0, 2.0, 3.0, np.nan], n)
        part["FLR"] = rng.choice([1.0, 2.0], n)
        part.loc[rng.random(n) < 0.1, RESPONDENT_KEY] = ""
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    for item in CB.condition_items:
        frame[item.id] = rng.integers(1, 6, len(frame)).astype("float32")
    frame[WAVE] = pd.Categorical(frame[WAVE], categories=[f"W{w + 1}" for w in range(waves)], ordered=True)
    for column in ("school", "role", "years_in_education"):
        frame[column] = frame[column].astype("category")  # the store hands some attributes over as categories
    levels = ["Elementary", "Middle", "High", ""]
    info = {f"School {i}": SchoolInfo(level=levels[i % 4], group=["cohort", ""][i % 2]) for i in range(schools - 1)}
    return frame, info


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "respondents", "schools"), [(1, 6000, 30), (2, 3000, 60)])
def test_crowded_networks_get_the_reference_decision(seed, respondents, schools):
    """Schools of about 50 to 200 respondents over five attributes: most crossings hold one or two people."""
    frame, info = crowded(seed, respondents=respondents, schools=schools, waves=3)
    assert_same_decision(frame, info)


@pytest.mark.slow
@pytest.mark.parametrize("org", ["cedar-valley", "harbor-point"])
def test_the_demo_network_gets_the_reference_decision(demo_data_dir, org):
    """Both demo organizations, every wave, from the store the app reads."""
    from survey_model.release import school_info
    from survey_model.settings import Settings
    from survey_model.store import Store

    store = Store.from_settings(Settings(data_dir=demo_data_dir))
    try:
        frame = store.load_responses(org)
        schools = school_info(store.schools(org))
        new = release(frame, store.codebook_for(org), schools=schools)
        old = reference_release.release(frame, store.codebook_for(org), schools=schools)
    finally:
        store.close()
    # the school list's further attributes (school:title_i, ...) came after the reference (test_school_attributes)
    pd.testing.assert_frame_equal(new.frame.drop(columns=list(new.listed)), old.frame)
    pd.testing.assert_frame_equal(new.loss, old.loss)
    assert (new.attributes, new.notes, new.schools) == (old.attributes, old.notes, old.schools)
    assert dict(new.withheld) == dict(old.withheld)


@pytest.mark.parametrize("missing", ["school", RESPONDENT_KEY, "school_level", "role"])
def test_a_frame_without_a_column_gets_the_reference_decision(missing):
    """No school, no respondent keys, no self-reported level or no role column: decided as before."""
    frame, info = network(3)
    assert_same_decision(frame.drop(columns=[missing]), info)
