"""What goes with leader identity: a regularised logistic regression of *Yes* on the condition scores.

For the respondents of one selection and wave (see :func:`survey_model.analytics.release.released_rows`) who
answered the leader-identity question (Yes, No or Not sure) and have a score on every condition:

* **Association.** ``LogisticRegression`` (L2, ``C=1``) of Yes (1) against No or Not sure (0) on the
  standardised condition scores. A condition's association is its **odds ratio per standard deviation**:
  ``exp(β)``, the factor by which the odds of answering Yes differ between two educators one SD apart on that
  condition and alike on the others.
* **Intervals.** A bootstrap over respondents (``n_boot`` resamples of respondents, not of schools) gives each
  coefficient's standard error; the interval is ``β ± z·SE`` with ``z`` Bonferroni-adjusted for the number of
  conditions, so that on data where no condition goes with Yes, all of them include "no association" (odds
  ratio 1) together in about 95% of selections. A condition is **flagged** when its interval excludes 1. Above
  :data:`BOOT_ROWS` respondents each resample draws :data:`BOOT_ROWS` rows and the SE is rescaled by
  ``sqrt(m / n)`` (the m-out-of-n bootstrap, valid for this smooth estimator), which keeps a statewide selection
  within about ten bare fits (``bench/bench_analytics.py``).
* **How much it explains.** The cross-validated AUC (5 folds; 0.5 = no better than chance, 1 = perfect) with a
  bootstrap interval, and **permutation importance** (``sklearn.inspection``): the drop in AUC when one
  condition's scores are shuffled.
* **Where to focus.** Each condition's percent favorable beside its association: a condition flagged as going
  with Yes and below the median percent favorable of the conditions is a place to focus.

Rule for showing anything (:func:`enough_answers`): at least :data:`EVENTS_PER_CONDITION` respondents with Yes
*and* as many with No or Not sure per condition in the model (70 of each for seven conditions, the
"ten events per variable" rule of Peduzzi et al. 1996). This is an association among respondents at one time;
it never says what causes what.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import norm, rankdata
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from threadpoolctl import threadpool_limits

from survey_model.codebook import Codebook
from survey_model.scoring import MIN_SHARE, leader_flags, respondent_parts

#: Respondents needed per outcome (Yes; No or Not sure) for each condition in the model.
EVENTS_PER_CONDITION = 10
#: Rows per bootstrap resample above which the m-out-of-n bootstrap is used.
BOOT_ROWS = 2_000
#: Rows used for the cross-validated AUC (a seeded sample above this).
CHECK_ROWS = 20_000
#: Rows used for permutation importance (the first of that sample).
IMPORTANCE_ROWS = 10_000


@dataclass(frozen=True)
class DriverResult:
    """The driver analysis of one selection, or why it is not shown."""

    shown: bool
    """Whether the selection met the rule; when ``False`` only ``message`` and the counts are meaningful."""
    message: str
    """Plain words: why nothing is shown, or what the figures are."""
    n: int
    """Respondents in the model (valid leader-identity answer and a score on every condition)."""
    n_yes: int
    n_other: int
    """Respondents answering No or Not sure."""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    """One row per condition: ``condition``, ``name``, ``coef`` (log odds per SD), ``se`` (bootstrap),
    ``odds_ratio``, ``low``, ``high`` (its interval), ``flagged`` (interval excludes 1), ``importance`` and
    ``importance_sd`` (drop in AUC), ``pct_favorable`` (0–100), ``focus`` and ``rank`` (1 = largest odds ratio)."""
    auc: float = float("nan")
    auc_low: float = float("nan")
    auc_high: float = float("nan")
    confidence: float = 0.95
    """Family-wise confidence of the condition intervals together (Bonferroni), and of the AUC interval."""
    n_boot: int = 0


def rank_auc(y: np.ndarray, score: np.ndarray) -> float:
    """AUC as the Mann–Whitney statistic: ``(R₁ − n₁(n₁+1)/2) / (n₁·n₀)`` with ``R₁`` the positives' rank sum.

    The same value as ``sklearn.metrics.roc_auc_score`` (ties count one half), without its input checks, which
    cost more than the sum itself in a bootstrap loop.

    >>> rank_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    ranks = rankdata(score)
    positive = y.astype(bool)
    n1 = int(positive.sum())
    n0 = len(y) - n1
    return float((ranks[positive].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def required_per_outcome(n_conditions: int) -> int:
    """Respondents needed with Yes, and with No or Not sure, for a model of ``n_conditions`` conditions."""
    return EVENTS_PER_CONDITION * n_conditions


def enough_answers(n_yes: int, n_other: int, n_conditions: int) -> bool:
    """The showing rule: at least :func:`required_per_outcome` respondents on each side."""
    need = required_per_outcome(n_conditions)
    return n_yes >= need and n_other >= need


def model_data(frame: pd.DataFrame, codebook: Codebook) -> tuple[list[str], np.ndarray, np.ndarray, pd.DataFrame]:
    """Conditions, scores (respondent × condition, complete rows), Yes (0/1) and percent favorable per condition.

    Percent favorable counts every respondent of ``frame`` (as on the Conditions page), not only the model's rows.
    """
    conditions, parts = respondent_parts(frame, codebook, min_share=MIN_SHARE)
    flags = leader_flags(frame, codebook)
    scores = parts["score"]
    keep = flags["n"].astype(bool) & ~np.isnan(scores).any(axis=1)
    responses = parts["responses"].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        favorable = 100 * parts["favorable"].sum(axis=0) / responses
    names = {c.id: c.name for c in codebook.conditions}
    summary = pd.DataFrame(
        {"condition": conditions, "name": [names[c] for c in conditions], "pct_favorable": favorable}
    )
    return conditions, scores[keep], flags["n_yes"][keep].astype(np.int64), summary


def drivers(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    n_boot: int = 200,
    confidence: float = 0.95,
    penalty_c: float = 1.0,
    seed: int = 0,
) -> DriverResult:
    """Which conditions go with educators answering Yes to the leader-identity question, and how sure we are.

    Parameters
    ----------
    frame : DataFrame
        Released respondents of one wave (:func:`survey_model.analytics.release.released_rows`), items or stored
        condition parts, and the leader-identity item.
    codebook : Codebook
        The instrument; it needs a leader-identity block.
    n_boot : int, default=200
        Bootstrap resamples for the intervals.
    confidence : float, default=0.95
        Family-wise confidence of the condition intervals (Bonferroni over conditions) and of the AUC interval.
    penalty_c : float, default=1.0
        Inverse L2 penalty of ``LogisticRegression`` on standardised scores (large = nearly unpenalised).
    seed : int, default=0
        Seed of the bootstrap, folds and permutations: the same data give the same figures.

    Returns
    -------
    DriverResult
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    if n_boot < 20:
        raise ValueError(f"n_boot must be at least 20 for a bootstrap standard error, got {n_boot}")
    conditions, scores, yes, summary = model_data(frame, codebook)
    with threadpool_limits(1):  # hundreds of small fits: BLAS threads only contend (6x slower on 2 busy cores)
        return _drivers(
            conditions, scores, yes, summary, n_boot=n_boot, confidence=confidence, penalty_c=penalty_c, seed=seed
        )


def _drivers(
    conditions: list[str],
    scores: np.ndarray,
    yes: np.ndarray,
    summary: pd.DataFrame,
    *,
    n_boot: int,
    confidence: float,
    penalty_c: float,
    seed: int,
) -> DriverResult:
    n, n_yes = len(yes), int(yes.sum())
    n_other = n - n_yes
    k = len(conditions)
    if not enough_answers(n_yes, n_other, k):
        need = required_per_outcome(k)
        return DriverResult(
            shown=False,
            message=(
                f"Not shown: this needs at least {need} educators answering Yes and {need} answering No or Not "
                f"sure, each with a score on all {k} conditions (10 per condition); this selection has {n_yes} "
                f"and {n_other}. Choose a broader selection."
            ),
            n=n,
            n_yes=n_yes,
            n_other=n_other,
        )
    rng = np.random.default_rng(seed)
    spread = scores.std(axis=0)
    spread[spread == 0] = 1.0  # a constant condition keeps coefficient 0 instead of dividing by zero
    x = (scores - scores.mean(axis=0)) / spread
    model = LogisticRegression(C=penalty_c, max_iter=500).fit(x, yes)
    coef = model.coef_[0]

    m = min(n, BOOT_ROWS)
    boot = np.empty((n_boot, k))
    # The same penalty per respondent as the full fit; each fit starts from the last one's solution (warm start).
    resample = LogisticRegression(C=penalty_c * n / m, max_iter=500, warm_start=True)
    resample.coef_, resample.intercept_ = model.coef_.copy(), model.intercept_.copy()
    for b in range(n_boot):
        rows = rng.integers(0, n, m)
        boot[b] = resample.fit(x[rows], yes[rows]).coef_[0]
    se = boot.std(axis=0, ddof=1) * np.sqrt(m / n)
    z = norm.ppf(1 - (1 - confidence) / (2 * k))
    low, high = coef - z * se, coef + z * se

    check = rng.permutation(n)[:CHECK_ROWS]  # a seeded random sample, in random order
    xc, yc = x[check], yes[check]
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    predicted = cross_val_predict(
        LogisticRegression(C=penalty_c, max_iter=500), xc, yc, cv=folds, method="predict_proba"
    )
    predicted = predicted[:, 1]
    auc = float(roc_auc_score(yc, predicted))
    mc = min(len(yc), BOOT_ROWS)
    aucs = []
    for _ in range(n_boot):
        rows = rng.integers(0, len(yc), mc)
        if 0 < yc[rows].sum() < mc:
            aucs.append(rank_auc(yc[rows], predicted[rows]))
    auc_se = float(np.std(aucs, ddof=1)) * np.sqrt(mc / len(yc))
    z_auc = norm.ppf(1 - (1 - confidence) / 2)
    shuffled = check[:IMPORTANCE_ROWS]  # already in random order when sampled
    importance = permutation_importance(
        model, x[shuffled], yes[shuffled], scoring="roc_auc", n_repeats=5, random_state=seed
    )

    table = summary.copy()
    table["coef"] = coef
    table["se"] = se
    table["odds_ratio"] = np.exp(coef)
    table["low"] = np.exp(low)
    table["high"] = np.exp(high)
    table["flagged"] = (low > 0) | (high < 0)
    table["importance"] = importance.importances_mean
    table["importance_sd"] = importance.importances_std
    median = float(np.nanmedian(table["pct_favorable"]))
    table["focus"] = (low > 0) & (table["pct_favorable"].to_numpy() < median)
    table["rank"] = table["odds_ratio"].rank(ascending=False, method="first").astype(int)
    table = table.sort_values("rank").reset_index(drop=True)
    return DriverResult(
        shown=True,
        message=(
            f"{n:,} educators ({n_yes:,} Yes, {n_other:,} No or Not sure). Odds ratios per standard deviation "
            f"with {100 * confidence:.0f}% intervals holding for all {k} conditions together."
        ),
        n=n,
        n_yes=n_yes,
        n_other=n_other,
        table=table,
        auc=auc,
        auc_low=max(0.0, auc - z_auc * auc_se),
        auc_high=min(1.0, auc + z_auc * auc_se),
        confidence=confidence,
        n_boot=n_boot,
    )


__all__ = [
    "BOOT_ROWS",
    "CHECK_ROWS",
    "EVENTS_PER_CONDITION",
    "IMPORTANCE_ROWS",
    "DriverResult",
    "drivers",
    "enough_answers",
    "model_data",
    "rank_auc",
    "required_per_outcome",
]
