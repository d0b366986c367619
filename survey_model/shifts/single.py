"""One comparison between two waves, from counts or from respondent-level values.

These are the building blocks :func:`survey_model.shifts.compare_waves` applies to every group at once; use
them directly for a single figure. Wave 1 is the earlier wave; every change is *wave 2 − wave 1*.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from survey_model.shifts.results import (
    MeanShift,
    PooledMoments,
    ProportionShift,
    binomial_shifts,
    matched_binary_shifts,
    paired_mean_shifts,
    pooled_shifts,
    welch_shifts,
)


def _floats(values: ArrayLike | pd.Series) -> np.ndarray:
    """Values as float64 with NaN for missing (accepts booleans and nullable pandas arrays)."""
    if isinstance(values, pd.Series | pd.Index):
        return values.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(values, dtype=np.float64)


def _check_min_n(min_n: int) -> None:
    if min_n < 2:
        raise ValueError(f"min_n must be at least 2 (a spread needs two respondents), got {min_n}")


def proportion_shift(
    k1: int, n1: int, k2: int, n2: int, *, label: str, min_n: int = 5, confidence: float = 0.95
) -> ProportionShift:
    """Change in a share with one answer per respondent (leader identity, one item's percent favorable).

    The answers are independent binomial draws, so the binomial methods are exact in their assumptions:
    Newcombe's hybrid score interval for ``p2 − p1`` (method 10, Newcombe 1998), the log (Katz) interval for
    ``p2 / p1``, the pooled two-proportion z-test and Cohen's h (see :mod:`survey_model.intervals`).

    Parameters
    ----------
    k1, n1 : int
        Yes answers and valid answers in wave 1 (the earlier wave).
    k2, n2 : int
        The same in wave 2.
    label : str
        What is compared, used in statements.
    min_n : int, default=5
        Fewer valid answers than this in either wave gives verdict ``"too few"`` and no figures at all.
    confidence : float, default=0.95

    Returns
    -------
    ProportionShift

    Examples
    --------
    >>> s = proportion_shift(120, 400, 188, 400, label="Educators who consider themselves leaders")
    >>> s.verdict, round(s.diff, 2), [round(x, 4) for x in s.diff_ci], round(s.ratio - 1, 2)
    ('clear increase', 0.17, [0.1028, 0.2351], 0.57)
    >>> proportion_shift(1, 4, 3, 9, label="x").verdict
    'too few'
    """
    _check_min_n(min_n)
    if not (0 <= k1 <= n1 and 0 <= k2 <= n2):
        raise ValueError(f"counts must satisfy 0 <= k <= n, got {k1}/{n1} and {k2}/{n2}")
    return binomial_shifts(k1, n1, k2, n2, labels=label, min_n=min_n, confidence=confidence)[0]


def pooled_moments(favorable: ArrayLike, answered: ArrayLike) -> PooledMoments:
    """Sums of a pooled share over one group of respondents (those with at least one valid answer)."""
    f, m = _floats(favorable), _floats(answered)
    if f.shape != m.shape:
        raise ValueError("favorable and answered must have one value per respondent")
    if np.any(f > m) or np.any(f < 0):
        raise ValueError("each respondent's favorable count must lie between 0 and their answered count")
    keep = m > 0
    f, m = f[keep], m[keep]
    return PooledMoments(
        n=np.array([keep.sum()], dtype=np.float64),
        f=np.array([f.sum()]),
        m=np.array([m.sum()]),
        ff=np.array([(f * f).sum()]),
        fm=np.array([(f * m).sum()]),
        mm=np.array([(m * m).sum()]),
    )


def pooled_share_shift(
    favorable1: ArrayLike,
    answered1: ArrayLike,
    favorable2: ArrayLike,
    answered2: ArrayLike,
    *,
    label: str,
    min_n: int = 5,
    confidence: float = 0.95,
) -> ProportionShift:
    """Change in a condition's percent favorable, with respondents (not responses) as the unit.

    Percent favorable pools a condition's item responses (favorable responses / valid responses), but one
    respondent's answers are not independent of each other. The change keeps the pooled share as its estimate
    (the figure the page shows) and takes its uncertainty from respondents: Welch's t on respondent-level
    linearised values (the ratio-estimator variance, see :class:`~survey_model.shifts.results.PooledMoments`).
    When every respondent answered every item this is Welch's t on each respondent's favorable share, reported
    in points. The relative change uses the same variances on the log scale.

    Parameters
    ----------
    favorable1, answered1 : array of int, one per respondent in wave 1
        Each respondent's favorable item responses and valid item responses in the condition.
    favorable2, answered2 : array of int, one per respondent in wave 2
    label : str
    min_n : int, default=5
        Applied to respondents with at least one valid answer.
    confidence : float, default=0.95

    Returns
    -------
    ProportionShift
        ``k``/``m`` are favorable/valid responses, ``n`` respondents.
    """
    _check_min_n(min_n)
    first, second = pooled_moments(favorable1, answered1), pooled_moments(favorable2, answered2)
    return pooled_shifts(first, second, labels=label, min_n=min_n, confidence=confidence)[0]


def mean_shift(x1: ArrayLike, x2: ArrayLike, *, label: str, min_n: int = 5, confidence: float = 0.95) -> MeanShift:
    """Change in a mean score between two independent waves: Welch's t and Hedges' g.

    Parameters
    ----------
    x1, x2 : array of float
        Respondent scores in wave 1 and wave 2 (NaN = no score, dropped).
    label : str
    min_n : int, default=5
        Fewer scored respondents than this in either wave gives ``"too few"``.
    confidence : float, default=0.95

    Returns
    -------
    MeanShift
        ``diff`` is ``mean2 − mean1`` in scale points with Welch's interval (as
        ``scipy.stats.ttest_ind(x2, x1, equal_var=False)``); ``effect_size`` is Hedges' g.
    """
    _check_min_n(min_n)
    a, b = _floats(x1), _floats(x2)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    stats1 = (a.mean() if a.size else np.nan, a.std(ddof=1) if a.size > 1 else np.nan, a.size)
    stats2 = (b.mean() if b.size else np.nan, b.std(ddof=1) if b.size > 1 else np.nan, b.size)
    return welch_shifts(*stats1, *stats2, labels=label, min_n=min_n, confidence=confidence)[0]


def _pairs(before: ArrayLike | pd.Series, after: ArrayLike | pd.Series) -> tuple[np.ndarray, np.ndarray]:
    b, a = _floats(before), _floats(after)
    if b.shape != a.shape:
        raise ValueError("before and after must hold one value per linked respondent, in the same order")
    both = ~np.isnan(b) & ~np.isnan(a)
    return b[both], a[both]


def matched_proportion_shift(
    before: ArrayLike | pd.Series,
    after: ArrayLike | pd.Series,
    *,
    label: str,
    min_n: int = 5,
    confidence: float = 0.95,
    mcnemar: Literal["mid-p", "exact"] = "mid-p",
) -> ProportionShift:
    """Change in a yes/no answer among the same respondents in both waves (linked by ``respondent_key``).

    Newcombe's paired hybrid score interval for the difference (method 10, Newcombe 1998b), the Bonett–Price
    interval for the ratio, and McNemar's test, mid-p by default (Fagerland et al. 2013 show it keeps the level
    for small discordant counts, where the asymptotic test does not and the exact test is conservative).

    Parameters
    ----------
    before, after : array or Series of bool (or 0/1), aligned by position
        One element per linked respondent; missing (NaN/NA) drops the pair.
    label : str
    min_n : int, default=5
        Fewer complete pairs than this gives ``"too few"``.
    confidence : float, default=0.95
    mcnemar : {"mid-p", "exact"}, default="mid-p"

    Returns
    -------
    ProportionShift
        ``matched=True``; ``n1 == n2`` = pairs; ``discordant`` = (yes → no, no → yes).
    """
    _check_min_n(min_n)
    b, a = _pairs(before, after)
    if np.any((b != 0) & (b != 1)) or np.any((a != 0) & (a != 1)):
        raise ValueError("matched proportions need yes/no (True/False or 1/0) answers")
    counts = [int(np.sum((b == x) & (a == y))) for x, y in ((1, 1), (1, 0), (0, 1), (0, 0))]
    return matched_binary_shifts(*counts, labels=label, min_n=min_n, confidence=confidence, mcnemar=mcnemar)[0]


def matched_mean_shift(
    before: ArrayLike | pd.Series, after: ArrayLike | pd.Series, *, label: str, min_n: int = 5, confidence: float = 0.95
) -> MeanShift:
    """Change in a score among the same respondents in both waves: paired t and Cohen's d_z.

    ``diff`` is the mean of ``after − before`` with its t interval (as ``scipy.stats.ttest_rel(after, before)``);
    ``effect_size`` is d_z = mean difference / SD of the differences (Lakens 2013), which is not on the same footing
    as the independent-waves Hedges' g. Pairs with a missing value are dropped.
    """
    _check_min_n(min_n)
    b, a = _pairs(before, after)
    d = a - b
    sd = d.std(ddof=1) if d.size > 1 else np.nan
    return paired_mean_shifts(
        b.mean() if b.size else np.nan,
        a.mean() if a.size else np.nan,
        sd,
        d.size,
        labels=label,
        min_n=min_n,
        confidence=confidence,
    )[0]  # type: ignore[return-value]


__all__ = [
    "matched_mean_shift",
    "matched_proportion_shift",
    "mean_shift",
    "pooled_moments",
    "pooled_share_shift",
    "proportion_shift",
]
