"""What goes with leader identity: the logistic fit against statsmodels, planted drivers, null data, the showing rule.

Expected values come from the planted truth (``survey_model.demo``: Shared influence and Relationships drive
leader identity, the other five conditions do not) or from statsmodels' unpenalised ``Logit``, never from the
code under test.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from sklearn.metrics import roc_auc_score

from survey_model.analytics.drivers import drivers, rank_auc, required_per_outcome
from survey_model.codebook import load_codebook
from survey_model.demo import generate
from survey_model.demo.simulate import simulate_survey
from survey_model.scoring import leader_flags, score_respondents

CODEBOOK = load_codebook()
PLANTED = {"SI", "RN"}


def recovered(table) -> bool:
    """The two planted drivers rank first with intervals above 1; every other interval includes 1."""
    top_two = set(table.loc[table["rank"] <= 2, "condition"])
    drivers_flagged = table.loc[table["condition"].isin(PLANTED), "low"].gt(1).all()
    others_clear = not table.loc[~table["condition"].isin(PLANTED), "flagged"].any()
    return top_two == PLANTED and bool(drivers_flagged) and others_clear


@pytest.fixture(scope="module")
def demo():
    return generate()


def test_logistic_fit_matches_statsmodels_on_standardised_scores():
    """Nearly unpenalised, the odds ratios equal statsmodels' Logit MLE; bootstrap SEs are near its Wald SEs."""
    frame, _ = simulate_survey(respondents=3000, schools=20, seed=11)
    result = drivers(frame, CODEBOOK, n_boot=200, penalty_c=1e6, seed=3)
    # Independent computation: scores and Yes from the scoring module, the fit from statsmodels.
    scores = score_respondents(frame, CODEBOOK)
    flags = leader_flags(frame, CODEBOOK)
    keep = flags["n"].astype(bool) & scores.notna().all(axis=1).to_numpy()
    x = scores[keep]
    x = (x - x.mean()) / x.std(ddof=0)
    fit = sm.Logit(flags["n_yes"][keep].astype(float), sm.add_constant(x)).fit(disp=0)
    table = result.table.set_index("condition")
    assert result.n == int(keep.sum())
    np.testing.assert_allclose(table.loc[x.columns, "coef"], fit.params[x.columns], atol=2e-3)
    ratio = table.loc[x.columns, "se"] / fit.bse[x.columns]
    assert ratio.between(0.8, 1.25).all(), ratio


def test_the_planted_drivers_are_recovered_in_every_demo_organization_and_wave(demo):
    """Demo data (truth.json: SI and RN drive Yes): in all six organization × wave selections large enough for
    the analysis (Cedar Valley, Harbor Point), both rank first; the network's small third and fourth organizations
    (about 110 respondents a wave) get the plain "not shown" message instead."""
    assert set(demo.truth["model"]["leader_identity_drivers"]["drivers"]) == PLANTED
    frame = demo.responses
    for (org, wave), rows in frame.groupby(["organization", "wave"], observed=True):
        result = drivers(rows, CODEBOOK, n_boot=100)
        if org in ("lakeshore", "pine-ridge"):
            assert not result.shown and result.message.startswith("Not shown: this needs at least 70"), (org, wave)
            continue
        assert result.shown, (org, wave)
        assert recovered(result.table), (org, wave, result.table)
        assert 0.6 < result.auc_low < result.auc < result.auc_high < 1


def test_planted_drivers_are_recovered_in_repeated_simulations():
    """600 respondents a selection: the two drivers rank first, flagged, and nothing else flagged.

    Measured with 200 simulations and 200 resamples each: 192/200 (96%) fully recovered; the miss examined (seed
    10,038) was a non-driver whose interval just excluded 1 (lower bound 1.00), the chance the null rate allows.
    This default run: 8 simulations.
    """
    results = []
    for seed in range(8):
        frame, truth = simulate_survey(respondents=600, schools=12, seed=10_000 + seed)
        assert set(truth.drivers) == PLANTED
        results.append(recovered(drivers(frame, CODEBOOK, n_boot=100, seed=seed).table))
    assert all(results), results


def test_null_data_flag_a_condition_in_at_most_five_percent_of_selections():
    """No condition drives Yes: the share of selections with any interval excluding 1 stays at or under 5%.

    The intervals hold for all seven conditions together (Bonferroni). Measured with 200 simulations at 200
    resamples: 8/200 = 4.0% flag any condition. The default run (30 simulations, 100 resamples) allows 1.
    """
    flagged = 0
    for seed in range(30):
        frame, truth = simulate_survey(respondents=600, schools=12, seed=seed, drivers={})
        assert not truth.drivers
        flagged += bool(drivers(frame, CODEBOOK, n_boot=100, seed=seed).table["flagged"].any())
    assert flagged <= 1, flagged


def test_too_few_of_either_answer_shows_a_plain_message_and_no_figures():
    """70 of each answer are needed for seven conditions; 60 Yes is not enough, whatever the total."""
    frame, _ = simulate_survey(respondents=800, schools=10, seed=5)
    yes_rows = np.flatnonzero(frame["LI1"].to_numpy() == CODEBOOK.leader.yes)
    drop = yes_rows[60:]
    few = frame.drop(index=frame.index[drop])
    result = drivers(few, CODEBOOK)
    assert required_per_outcome(7) == 70
    assert not result.shown and result.table.empty and result.n_yes == 60
    assert "at least 70" in result.message and "60" in result.message
    enough = frame.drop(index=frame.index[yes_rows[70:]])
    assert drivers(enough, CODEBOOK, n_boot=20).shown


def test_rank_auc_equals_sklearn_roc_auc_with_ties():
    """The bootstrap's Mann–Whitney AUC is sklearn's roc_auc_score, ties counted one half."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    score = np.round(rng.random(300) + 0.3 * y, 1)  # rounded: many ties
    assert rank_auc(y, score) == pytest.approx(roc_auc_score(y, score), abs=1e-12)
