"""Confidence intervals and tests for comparing two waves: proportions, paired proportions and means.

Every function takes scalars or NumPy arrays (broadcast together) and returns the same shape, so a breakdown
over hundreds of schools is one call, not hundreds. Shares are in [0, 1]; differences are *after − before*
(wave 2 − wave 1) and ratios *after / before*.

=============================  =====================================================================  ============
quantity                       method                                                                 reference
=============================  =====================================================================  ============
one proportion                 Wilson score interval                                                  Wilson 1927
difference of two proportions  hybrid score ("square-and-add"), method 10                             Newcombe 1998a
ratio of two proportions       log method: ``exp(log r ± z·√(1/k₁ − 1/n₁ + 1/k₂ − 1/n₂))``            Katz 1978
two-proportion test            pooled (score) z-test, equal to Pearson's χ² without continuity corr.  —
paired difference              hybrid score with the φ correction, method 10                          Newcombe 1998b
paired ratio                   hybrid Wilson score with an adjusted z                                 Bonett 2006
paired test                    McNemar; mid-p by default, exact conditional on request                Fagerland 2013
difference of two means        Welch's t with Welch–Satterthwaite degrees of freedom                  Welch 1947
standardised mean difference   Hedges' g: pooled-SD Cohen's d × (1 − 3 / (4(n₁ + n₂) − 9))            Hedges 1985
paired means                   paired t on the differences                                            —
=============================  =====================================================================  ============

Why closed forms rather than ``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")`` and
``scipy.stats.ttest_ind``: those work on one comparison at a time and cost about a millisecond each (``binomtest``
computes an exact p-value on construction), which is seconds for a breakdown by school. The distributions still
come from :mod:`scipy.stats`; ``tests/test_intervals.py`` checks every formula against scipy's own functions,
statsmodels and published worked examples.

References
----------
Wilson EB (1927). Probable inference, the law of succession, and statistical inference. JASA 22:209–212.
Newcombe RG (1998a). Interval estimation for the difference between independent proportions: comparison of eleven
methods. Statistics in Medicine 17:873–890.
Newcombe RG (1998b). Improved confidence intervals for the difference between binomial proportions based on paired
data. Statistics in Medicine 17:2635–2650.
Katz D, Baptista J, Azen SP, Pike MC (1978). Obtaining confidence intervals for the risk ratio in cohort studies.
Biometrics 34:469–474.
Bonett DG, Price RM (2006). Confidence intervals for a ratio of binomial proportions based on paired data.
Statistics in Medicine 25:3039–3047.
Fagerland MW, Lydersen S, Laake P (2013). The McNemar test for binary matched-pairs data: mid-p and asymptotic are
better than exact conditional. BMC Medical Research Methodology 13:91.
Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis. Academic Press (bias correction, p. 81).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Float",
    "bonett_price_ratio",
    "hedges_g",
    "mcnemar_test",
    "mean_interval",
    "newcombe_difference",
    "newcombe_paired_difference",
    "paired_t_test",
    "ratio_interval",
    "two_proportion_test",
    "welch_test",
    "wilson_interval",
]

Float = float | NDArray[np.float64]


# scipy.stats is imported inside the functions that need it: it adds about 60 MB and a fraction of a second to
# every start, and the first page (Wilson intervals at 95%) needs none of it.
Z_95 = 1.959963984540054
"""``scipy.stats.norm.ppf(0.975)`` to the last bit (checked in the tests): the quantile of every 95% interval."""


def normal_quantile(confidence: float) -> float:
    """Two-sided normal quantile for a confidence level: 1.96 for 0.95."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence}")
    if confidence == 0.95:
        return Z_95
    from scipy import stats

    return float(stats.norm.ppf(0.5 + confidence / 2))


def _out(value: NDArray[np.float64]) -> Float:
    """Plain float for scalar input, array otherwise."""
    return float(value) if np.ndim(value) == 0 else value


def _counts(k: ArrayLike, n: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    k_, n_ = np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64)
    if np.any(n_ <= 0) or np.any(k_ < 0) or np.any(k_ > n_):
        raise ValueError("counts must satisfy 0 <= k <= n and n > 0")
    return k_, n_


def _wilson(k: NDArray[np.float64], n: NDArray[np.float64], z: float | NDArray[np.float64]):
    p = k / n
    centre = (k + z**2 / 2) / (n + z**2)
    half = z * np.sqrt(n) / (n + z**2) * np.sqrt(p * (1 - p) + z**2 / (4 * n))
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def wilson_interval(k: ArrayLike, n: ArrayLike, *, confidence: float = 0.95) -> tuple[Float, Float]:
    """Wilson score interval for a proportion ``k / n``.

    .. math:: \\frac{k + z^2/2}{n + z^2} \\pm \\frac{z\\sqrt{n}}{n + z^2}\\sqrt{\\hat p(1-\\hat p) + z^2/(4n)}

    Parameters
    ----------
    k, n : int or array of int
        Successes and trials, ``0 <= k <= n``, ``n > 0``.
    confidence : float, default=0.95
        Coverage of the interval.

    Returns
    -------
    lo, hi : float or array
        Interval limits in [0, 1]; same as ``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``.

    Examples
    --------
    >>> lo, hi = wilson_interval(81, 263)
    >>> round(lo, 4), round(hi, 4)
    (0.2553, 0.3662)
    """
    k_, n_ = _counts(k, n)
    lo, hi = _wilson(k_, n_, normal_quantile(confidence))
    return _out(lo), _out(hi)


def newcombe_difference(
    k1: ArrayLike, n1: ArrayLike, k2: ArrayLike, n2: ArrayLike, *, confidence: float = 0.95
) -> tuple[Float, Float, Float]:
    """Difference ``p2 − p1`` of two independent proportions with Newcombe's hybrid score interval.

    Method 10 of Newcombe (1998a): with Wilson limits ``(l1, u1)`` and ``(l2, u2)`` for each proportion,

    .. math:: L = d - \\sqrt{(p_2 - l_2)^2 + (u_1 - p_1)^2}, \\quad U = d + \\sqrt{(u_2 - p_2)^2 + (p_1 - l_1)^2}

    Parameters
    ----------
    k1, n1 : int or array
        Yes answers and valid answers in the first (earlier) wave.
    k2, n2 : int or array
        The same in the second (later) wave.
    confidence : float, default=0.95

    Returns
    -------
    diff, lo, hi : float or array
        ``p2 − p1`` and its interval, as shares in [−1, 1] (multiply by 100 for percentage points).

    Examples
    --------
    Newcombe (1998a), example (a), reversed so the later wave is the larger one:

    >>> [round(x, 4) for x in newcombe_difference(48, 80, 56, 70)]
    [0.2, 0.0524, 0.3339]
    """
    k1_, n1_ = _counts(k1, n1)
    k2_, n2_ = _counts(k2, n2)
    z = normal_quantile(confidence)
    p1, p2 = k1_ / n1_, k2_ / n2_
    l1, u1 = _wilson(k1_, n1_, z)
    l2, u2 = _wilson(k2_, n2_, z)
    diff = p2 - p1
    lo = diff - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    hi = diff + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return _out(diff), _out(lo), _out(hi)


def ratio_interval(
    k1: ArrayLike, n1: ArrayLike, k2: ArrayLike, n2: ArrayLike, *, confidence: float = 0.95
) -> tuple[Float, Float, Float]:
    """Ratio ``p2 / p1`` of two independent proportions with the log (Katz) interval.

    .. math:: \\exp\\left(\\log\\frac{p_2}{p_1} \\pm z\\sqrt{\\tfrac{1}{k_1} - \\tfrac{1}{n_1} + \\tfrac{1}{k_2}
              - \\tfrac{1}{n_2}}\\right)

    ``ratio − 1`` is the relative change ("57% more educators"). The log method needs a yes answer in both waves:
    when either count is zero the ratio and its limits are ``NaN`` (a relative change from or to nobody says
    nothing the percentage points do not say better).

    Parameters
    ----------
    k1, n1, k2, n2 : int or array
        As in :func:`newcombe_difference`.
    confidence : float, default=0.95

    Returns
    -------
    ratio, lo, hi : float or array
        ``p2 / p1`` and its interval (positive; ``NaN`` where a count is zero).

    Examples
    --------
    >>> [round(x, 4) for x in ratio_interval(120, 400, 188, 400)]
    [1.5667, 1.3056, 1.88]
    """
    k1_, n1_ = _counts(k1, n1)
    k2_, n2_ = _counts(k2, n2)
    z = normal_quantile(confidence)
    defined = (k1_ > 0) & (k2_ > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(defined, (k2_ / n2_) / (k1_ / n1_), np.nan)
        se = np.sqrt(1 / k1_ - 1 / n1_ + 1 / k2_ - 1 / n2_)
        lo = np.where(defined, ratio * np.exp(-z * se), np.nan)
        hi = np.where(defined, ratio * np.exp(z * se), np.nan)
    return _out(ratio), _out(lo), _out(hi)


def two_proportion_test(k1: ArrayLike, n1: ArrayLike, k2: ArrayLike, n2: ArrayLike) -> Float:
    """Two-sided p-value of the pooled two-proportion z-test (the score test for ``p1 = p2``).

    .. math:: z = \\frac{p_2 - p_1}{\\sqrt{\\bar p (1 - \\bar p)(1/n_1 + 1/n_2)}}, \\quad
              \\bar p = \\frac{k_1 + k_2}{n_1 + n_2}

    Identical to Pearson's χ² test on the 2×2 table without continuity correction. When everyone (or no one)
    answered yes in both waves the test is undefined and the p-value is 1: there is no evidence of a change.

    Examples
    --------
    >>> round(two_proportion_test(48, 80, 56, 70), 4)  # statsmodels proportions_ztest gives 0.0080
    0.008
    """
    k1_, n1_ = _counts(k1, n1)
    k2_, n2_ = _counts(k2, n2)
    pooled = (k1_ + k2_) / (n1_ + n2_)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1_ + 1 / n2_))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (k2_ / n2_ - k1_ / n1_) / se, 0.0)
    from scipy import stats

    return _out(2 * stats.norm.sf(np.abs(z)))


def _paired_counts(*cells: ArrayLike) -> tuple[NDArray[np.float64], ...]:
    arrays = tuple(np.asarray(cell, dtype=np.float64) for cell in cells)
    if any(np.any(a < 0) for a in arrays):
        raise ValueError("paired counts cannot be negative")
    if np.any(sum(arrays) <= 0):
        raise ValueError("paired counts need at least one pair")
    return arrays


def newcombe_paired_difference(
    yes_yes: ArrayLike, yes_no: ArrayLike, no_yes: ArrayLike, no_no: ArrayLike, *, confidence: float = 0.95
) -> tuple[Float, Float, Float]:
    """Difference ``p_after − p_before`` for the same respondents in two waves, Newcombe's method 10.

    With ``a = yes_yes``, ``b = yes_no`` (yes before, no after), ``c = no_yes``, ``d = no_no`` and ``n`` pairs:
    ``p_before = (a + b) / n``, ``p_after = (a + c) / n``, ``D = (c − b) / n``. Wilson limits ``(l1, u1)`` for
    ``p_before`` and ``(l2, u2)`` for ``p_after`` are combined allowing for their correlation φ:

    .. math:: L = D - \\sqrt{(p_a - l_2)^2 - 2\\phi(p_a - l_2)(u_1 - p_b) + (u_1 - p_b)^2}

    and symmetrically for ``U``; φ is ``(ad − bc − n/2) / √(margins)`` when ``ad − bc > n/2``, 0 when
    ``0 ≤ ad − bc ≤ n/2``, ``(ad − bc) / √(margins)`` when negative, and 0 when a margin is empty
    (Newcombe 1998b).

    Returns
    -------
    diff, lo, hi : float or array
        Shares in [−1, 1].

    Examples
    --------
    Cavo et al. (2012) in Fagerland, Lydersen & Laake (2017), *Statistical Analysis of Contingency Tables*, ch. 8:

    >>> [round(x, 4) for x in newcombe_paired_difference(59, 6, 16, 80)]
    [0.0621, 0.0046, 0.1186]
    """
    a, b, c, d = _paired_counts(yes_yes, yes_no, no_yes, no_no)
    z = normal_quantile(confidence)
    n = a + b + c + d
    before, after = (a + b) / n, (a + c) / n
    l1, u1 = _wilson(a + b, n, z)
    l2, u2 = _wilson(a + c, n, z)
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    cross = a * d - b * c
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(cross > n / 2, (cross - n / 2), np.where(cross < 0, cross, 0.0)) / np.sqrt(margins)
    phi = np.where(margins > 0, phi, 0.0)
    diff = after - before
    lo = diff - np.sqrt((after - l2) ** 2 - 2 * phi * (after - l2) * (u1 - before) + (u1 - before) ** 2)
    hi = diff + np.sqrt((u2 - after) ** 2 - 2 * phi * (u2 - after) * (before - l1) + (before - l1) ** 2)
    return _out(diff), _out(lo), _out(hi)


def bonett_price_ratio(
    yes_yes: ArrayLike, yes_no: ArrayLike, no_yes: ArrayLike, no_no: ArrayLike, *, confidence: float = 0.95
) -> tuple[Float, Float, Float]:
    """Ratio ``p_after / p_before`` for the same respondents in two waves, Bonett–Price hybrid Wilson interval.

    With ``n* = a + b + c`` (pairs with a yes in some wave), ``y_after = a + c`` and ``y_before = a + b``, the
    Wilson limits of ``y / n*`` are computed with an adjusted quantile

    .. math:: z' = z\\,\\frac{\\sqrt{(b + c + 2) / ((y_a + 1)(y_b + 1))}}
              {\\sqrt{(1 - \\frac{y_a + 1}{n^* + 2}) / (y_a + 1)} + \\sqrt{(1 - \\frac{y_b + 1}{n^* + 2}) / (y_b + 1)}}

    and combined as ``L = l_after / u_before``, ``U = u_after / l_before`` (Bonett & Price 2006). ``NaN`` when
    nobody said yes before (no ratio to speak of). ``no_no`` does not enter; it is taken for symmetry of calls.

    Examples
    --------
    Cavo et al. (2012) in Fagerland, Lydersen & Laake (2017), ch. 8 (first over second measurement):

    >>> [round(x, 4) for x in bonett_price_ratio(59, 16, 6, 80)]
    [0.8667, 0.7579, 0.991]
    """
    a, b, c, _ = _paired_counts(yes_yes, yes_no, no_yes, no_no)
    z = normal_quantile(confidence)
    n_star = a + b + c
    y_after, y_before = a + c, a + b
    spread = np.sqrt((b + c + 2) / ((y_after + 1) * (y_before + 1)))
    part_after = np.sqrt((1 - (y_after + 1) / (n_star + 2)) / (y_after + 1))
    part_before = np.sqrt((1 - (y_before + 1) / (n_star + 2)) / (y_before + 1))
    z_adj = z * spread / (part_after + part_before)
    with np.errstate(divide="ignore", invalid="ignore"):
        l_after, u_after = _wilson(y_after, n_star, z_adj)
        l_before, u_before = _wilson(y_before, n_star, z_adj)
        defined = y_before > 0
        ratio = np.where(defined, y_after / y_before, np.nan)
        lo = np.where(defined, l_after / u_before, np.nan)
        hi = np.where(defined, u_after / l_before, np.nan)
    return _out(ratio), _out(lo), _out(hi)


def mcnemar_test(yes_no: ArrayLike, no_yes: ArrayLike, *, method: Literal["mid-p", "exact"] = "mid-p") -> Float:
    """Two-sided p-value of McNemar's test from the discordant pairs.

    Under no change, ``no_yes`` is Binomial(``yes_no + no_yes``, 1/2). ``"exact"`` is the exact conditional
    test, ``2·P(X ≤ min(b, c))`` capped at 1 (equal to ``scipy.stats.binomtest(c, b + c).pvalue``);
    ``"mid-p"`` subtracts half the probability of the observed count, ``2·[P(X ≤ min) − P(X = min)/2]``, which
    keeps the exact test's validity for small counts without its conservatism (Fagerland et al. 2013). With no
    discordant pair the p-value is 1.

    Examples
    --------
    Bentur et al. (2009), 1 vs 7 discordant pairs (Fagerland et al. 2013: exact 0.070, mid-p 0.039):

    >>> round(mcnemar_test(1, 7, method="exact"), 4), round(mcnemar_test(1, 7), 4)
    (0.0703, 0.0391)
    """
    b, c = np.asarray(yes_no, dtype=np.float64), np.asarray(no_yes, dtype=np.float64)
    if np.any(b < 0) or np.any(c < 0):
        raise ValueError("discordant counts cannot be negative")
    if method not in ("mid-p", "exact"):
        raise ValueError(f"method must be 'mid-p' or 'exact', got {method!r}")
    total, low = b + c, np.minimum(b, c)
    from scipy import stats

    tail = stats.binom.cdf(low, total, 0.5)
    if method == "mid-p":
        tail = tail - stats.binom.pmf(low, total, 0.5) / 2
    return _out(np.where(total > 0, np.minimum(2 * tail, 1.0), 1.0))


def _moments(mean: ArrayLike, sd: ArrayLike, n: ArrayLike) -> tuple[NDArray[np.float64], ...]:
    mean_, sd_, n_ = (np.asarray(x, dtype=np.float64) for x in (mean, sd, n))
    if np.any(n_ < 2):
        raise ValueError("each sample needs at least two observations")
    if np.any(sd_ < 0):
        raise ValueError("standard deviations cannot be negative")
    return mean_, sd_, n_


def welch_test(
    mean1: ArrayLike,
    sd1: ArrayLike,
    n1: ArrayLike,
    mean2: ArrayLike,
    sd2: ArrayLike,
    n2: ArrayLike,
    *,
    confidence: float = 0.95,
) -> tuple[Float, Float, Float, Float]:
    """Difference ``mean2 − mean1`` with Welch's t interval and two-sided p-value, from summary statistics.

    .. math:: t = \\frac{\\bar x_2 - \\bar x_1}{\\sqrt{s_1^2/n_1 + s_2^2/n_2}}, \\quad
              \\nu = \\frac{(s_1^2/n_1 + s_2^2/n_2)^2}{\\frac{(s_1^2/n_1)^2}{n_1 - 1} + \\frac{(s_2^2/n_2)^2}{n_2 - 1}}

    The p-value comes from ``scipy.stats.ttest_ind_from_stats(equal_var=False)``. Same results as
    ``scipy.stats.ttest_ind(x2, x1, equal_var=False)`` and its ``confidence_interval()``. When both samples have
    zero spread the interval collapses to the difference and the p-value is 1 if the means agree, else 0.

    Parameters
    ----------
    mean1, sd1, n1 : float or array
        Mean, standard deviation (``ddof=1``) and size of the first (earlier) sample.
    mean2, sd2, n2 : float or array
        The same for the second (later) sample.
    confidence : float, default=0.95

    Returns
    -------
    diff, lo, hi, p_value : float or array

    Examples
    --------
    >>> [round(x, 4) for x in welch_test(3.0, 1.0, 50, 3.5, 1.2, 40)]
    [0.5, 0.0287, 0.9713, 0.0379]
    """
    from scipy import stats

    mean1_, sd1_, n1_ = _moments(mean1, sd1, n1)
    mean2_, sd2_, n2_ = _moments(mean2, sd2, n2)
    z = normal_quantile(confidence)  # validates confidence
    v1, v2 = sd1_**2 / n1_, sd2_**2 / n2_
    se = np.sqrt(v1 + v2)
    diff = mean2_ - mean1_
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (v1 + v2) ** 2 / (v1**2 / (n1_ - 1) + v2**2 / (n2_ - 1))
        crit = np.where(se > 0, stats.t.ppf(0.5 + confidence / 2, df), z)
        p = stats.ttest_ind_from_stats(mean2_, sd2_, n2_, mean1_, sd1_, n1_, equal_var=False).pvalue
    p = np.where(se > 0, p, np.where(diff == 0, 1.0, 0.0))
    return _out(diff), _out(diff - crit * se), _out(diff + crit * se), _out(np.asarray(p, dtype=np.float64))


def hedges_g(mean1: ArrayLike, sd1: ArrayLike, n1: ArrayLike, mean2: ArrayLike, sd2: ArrayLike, n2: ArrayLike) -> Float:
    """Hedges' g for ``mean2 − mean1``: Cohen's d on the pooled SD, corrected for small-sample bias.

    .. math:: g = \\left(1 - \\frac{3}{4(n_1 + n_2) - 9}\\right)\\frac{\\bar x_2 - \\bar x_1}{s_p}, \\quad
              s_p = \\sqrt{\\frac{(n_1 - 1)s_1^2 + (n_2 - 1)s_2^2}{n_1 + n_2 - 2}}

    (Hedges & Olkin 1985; the same approximation as statsmodels ``effectsize_smd`` and pingouin). ``NaN`` when
    the pooled SD is zero. In SD units: 0.2 is often called small, 0.5 medium, 0.8 large (Cohen 1988).

    Examples
    --------
    >>> round(hedges_g(3.0, 1.0, 50, 3.5, 1.2, 40), 4)
    0.4535
    """
    mean1_, sd1_, n1_ = _moments(mean1, sd1, n1)
    mean2_, sd2_, n2_ = _moments(mean2, sd2, n2)
    pooled = np.sqrt(((n1_ - 1) * sd1_**2 + (n2_ - 1) * sd2_**2) / (n1_ + n2_ - 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(pooled > 0, (mean2_ - mean1_) / pooled, np.nan) * (1 - 3 / (4 * (n1_ + n2_) - 9))
    return _out(g)


def paired_t_test(
    mean_diff: ArrayLike, sd_diff: ArrayLike, n: ArrayLike, *, confidence: float = 0.95
) -> tuple[Float, Float, Float, Float]:
    """Mean of paired differences (after − before) with its t interval and the paired t-test p-value.

    .. math:: t = \\frac{\\bar d}{s_d / \\sqrt n}, \\quad \\nu = n - 1

    Same results as ``scipy.stats.ttest_rel(after, before)`` and its ``confidence_interval()``, from summary
    statistics of the differences. Zero spread: the interval collapses and p is 1 if ``mean_diff`` is 0, else 0.

    Returns
    -------
    diff, lo, hi, p_value : float or array
    """
    mean_, sd_, n_ = _moments(mean_diff, sd_diff, n)
    normal_quantile(confidence)
    se = sd_ / np.sqrt(n_)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, mean_ / se, 0.0)
    from scipy import stats

    p = np.where(se > 0, 2 * stats.t.sf(np.abs(t), n_ - 1), np.where(mean_ == 0, 1.0, 0.0))
    crit = stats.t.ppf(0.5 + confidence / 2, n_ - 1)
    return _out(mean_), _out(mean_ - crit * se), _out(mean_ + crit * se), _out(p)


def mean_interval(mean: ArrayLike, sd: ArrayLike, n: ArrayLike, *, confidence: float = 0.95) -> tuple[Float, Float]:
    """t interval for one mean, ``mean ± t(n − 1) · sd / √n`` (``ddof=1`` standard deviation)."""
    mean_, sd_, n_ = _moments(mean, sd, n)
    normal_quantile(confidence)
    from scipy import stats

    half = stats.t.ppf(0.5 + confidence / 2, n_ - 1) * sd_ / np.sqrt(n_)
    return _out(mean_ - half), _out(mean_ + half)
