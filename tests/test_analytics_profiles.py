"""School profiles: planted groups recovered (adjusted Rand ≥ 0.8), pure noise reports no stable groups."""

from __future__ import annotations

import pytest
from sklearn.metrics import adjusted_rand_score

from survey_model.analytics.profiles import MIN_SCHOOLS, school_profiles
from survey_model.codebook import load_codebook
from survey_model.demo.simulate import simulate_survey

CODEBOOK = load_codebook()


@pytest.mark.parametrize("seed", range(5))
def test_planted_groups_of_schools_are_recovered(seed):
    """Three planted profiles (0.3 scale points apart per condition) among 40 schools: found, ARI ≥ 0.8.

    Measured with 100 simulations: stable and ARI ≥ 0.8 in 100/100.
    """
    frame, truth = simulate_survey(respondents=3000, schools=40, seed=seed, profiles=3, profile_gap=0.3)
    found = school_profiles(frame, CODEBOOK, n_boot=30, seed=seed)
    assert found.stable, found.message
    planted = [truth.profile_of_school[school] for school in found.schools["school"]]
    assert adjusted_rand_score(planted, found.schools["profile"]) >= 0.8
    assert found.profiles["n_schools"].sum() == 40
    assert found.profiles["profile"].str.contains("strongest").all()


def test_pure_noise_reports_no_stable_groups_in_at_least_90_percent():
    """School climates with no groups: "no stable groups", no profiles drawn, in ≥ 90% of simulations.

    Measured with 100 simulations: 100/100 report no stable groups (this default run: 10).
    """
    stable = 0
    for seed in range(10):
        frame, _ = simulate_survey(respondents=3000, schools=40, seed=1000 + seed, profiles=0)
        found = school_profiles(frame, CODEBOOK, n_boot=30, seed=seed)
        stable += found.stable
        if not found.stable:
            assert found.profiles.empty and (found.schools["profile"] == "").all()
            assert "No stable groups" in found.message
    assert stable <= 1


def test_fewer_than_ten_schools_shows_a_plain_message():
    """Nine schools are too few to look for profiles at all."""
    frame, _ = simulate_survey(respondents=900, schools=MIN_SCHOOLS - 1, seed=2, profiles=3)
    found = school_profiles(frame, CODEBOOK)
    assert not found.shown and not found.stable and found.n_schools == 9 and "at least 10" in found.message


def test_the_profile_chart_carries_schools_and_n_in_its_tooltips():
    """The heatmap of stable profiles: title, text alternative, n and schools per profile in the tooltip."""
    from survey_model.charts.analytics import profile_heatmap

    frame, _ = simulate_survey(respondents=3000, schools=40, seed=0, profiles=3, profile_gap=0.3)
    found = school_profiles(frame, CODEBOOK, n_boot=20)
    names = {c.id: c.name for c in CODEBOOK.conditions}
    spec = profile_heatmap(found.profiles, names, title="Profiles").to_dict()
    assert spec["title"]["text"] == "Profiles" and spec["description"]
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 3 * 7 and sum(r["n"] for r in rows) == 7 * 3000
