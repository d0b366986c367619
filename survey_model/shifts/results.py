"""Result objects for one comparison between two waves, the verdict rule, and the false-discovery-rate correction.

Each result carries everything a reader needs beside a verdict: n per wave, both estimates, the change with its
interval, the p-value, the adjusted p-value when a family of comparisons was corrected, and an effect size.
A comparison where either wave has fewer than ``min_n`` respondents carries no figures at all (not even n).

The builders here take arrays (one element per group) so a breakdown by school is a handful of vectorised calls;
the public one-comparison functions in :mod:`survey_model.shifts.single` wrap them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from survey_model import intervals

CLEAR_INCREASE = "clear increase"
CLEAR_DECREASE = "clear decrease"
NO_CLEAR_CHANGE = "no clear change"
TOO_FEW = "too few"
LIKELY_HIGHER = "likely higher"
LIKELY_LOWER = "likely lower"
COULD_BE_NO_CHANGE = "could be no change"
Verdict = Literal[
    "clear increase",
    "clear decrease",
    "no clear change",
    "too few",
    "likely higher",
    "likely lower",
    "could be no change",
]
#: Verdicts of a judged comparison that claim a change.
CLEAR = (CLEAR_INCREASE, CLEAR_DECREASE)
#: Verdicts of an exploratory comparison (items, schools, subgroups): never "clear", whatever its interval.
EXPLORATORY_VERDICTS = (LIKELY_HIGHER, LIKELY_LOWER, COULD_BE_NO_CHANGE)

# The analysis plan (docs/rules.md, "Change between waves"): the role of each comparison.
PRIMARY = "primary"
"""Leader identity (the whole selection; cohort and comparison schools): judged on its own 95% interval."""
CONDITIONS = "conditions"
"""The seven conditions (mean and percent favorable, whole selection): one family, intervals widened together."""
EXPLORATORY = "exploratory"
"""Items, schools, subgroups: shown with their own 95% interval and n, never called clear."""

SMALL_GROUP = "small_group"
COMPLEMENTARY = "complementary"

NAN = float("nan")
NAN_PAIR = (NAN, NAN)
Group = tuple[tuple[str, str], ...]


@dataclass(frozen=True, kw_only=True)
class ProportionShift:
    """Change in a share (leader identity, an item's or a condition's percent favorable) between two waves.

    Shares are in [0, 1]; ``diff`` and its interval are ``p2 − p1`` in shares (× 100 for percentage points);
    ``ratio`` is ``p2 / p1`` (``ratio − 1`` is the relative change, "57% more"). Wave 1 is the earlier wave.
    """

    label: str
    """What is compared, e.g. ``"Educators who consider themselves leaders"``."""
    verdict: Verdict
    """``"clear increase"`` / ``"clear decrease"`` (interval excludes 0 and, in a corrected family, the adjusted
    p-value is below ``1 − confidence``), ``"no clear change"``, or ``"too few"`` (no figures shown)."""
    n1: int | None = None
    """Respondents behind wave 1 (linked pairs for a matched analysis); ``None`` when too few."""
    n2: int | None = None
    """Respondents behind wave 2."""
    k1: int | None = None
    """Yes (or favorable) answers in wave 1."""
    k2: int | None = None
    """Yes (or favorable) answers in wave 2."""
    m1: int | None = None
    """Valid answers the wave-1 share is out of: ``n1`` for one item per respondent, item responses for a
    condition's pooled percent favorable."""
    m2: int | None = None
    """Valid answers the wave-2 share is out of."""
    p1: float = NAN
    """Share in wave 1, in [0, 1]."""
    p2: float = NAN
    """Share in wave 2, in [0, 1]."""
    diff: float = NAN
    """``p2 − p1``, a share in [−1, 1]."""
    diff_ci: tuple[float, float] = NAN_PAIR
    """Interval for ``diff`` at ``confidence``."""
    ratio: float = NAN
    """``p2 / p1``; ``NaN`` when either share is 0."""
    ratio_ci: tuple[float, float] = NAN_PAIR
    """Interval for ``ratio``."""
    effect_size: float = NAN
    """Cohen's h, ``2·asin√p2 − 2·asin√p1`` (0.2 small, 0.5 medium, 0.8 large by Cohen's convention)."""
    effect_size_name: str = "Cohen's h"
    p_value: float = NAN
    """Two-sided p-value of the test named in ``method``."""
    p_adjusted: float = NAN
    """Benjamini–Hochberg adjusted p-value within the family given to :func:`adjust_fdr`; ``NaN`` if none."""
    family_size: int = 1
    """Number of comparisons in the corrected family (1 when uncorrected)."""
    method: str = ""
    """Interval and test used, in words."""
    confidence: float = 0.95
    min_n: int = 5
    """Minimum respondents per wave applied."""
    suppressed: str = ""
    """Why figures are hidden: ``""``, ``"small_group"`` (fewer than ``min_n`` in a wave) or ``"complementary"``
    (hidden so a small group cannot be recovered by subtraction from a total)."""
    matched: bool = False
    """True for an analysis of the same respondents in both waves (linked by ``respondent_key``)."""
    discordant: tuple[int, int] | None = None
    """Matched only: pairs that went yes → no and no → yes."""
    measure: str = ""
    """``"leader_identity"``, ``"item_favorable"``, ``"condition_favorable"`` (set by :func:`compare_waves`)."""
    target: str = ""
    """Item or condition id."""
    group: Group = ()
    """Breakdown values, e.g. ``(("school", "Oak Elementary"),)``; empty for the whole selection."""
    role: str = PRIMARY
    """Its place in the analysis plan: :data:`PRIMARY`, :data:`CONDITIONS` or :data:`EXPLORATORY` (set by
    :func:`~survey_model.shifts.compare_waves`; a single comparison is judged on its own)."""

    kind = "proportion"


@dataclass(frozen=True, kw_only=True)
class MeanShift:
    """Change in a mean score (a condition's mean of respondent scores) between two waves.

    Means, ``diff`` (``mean2 − mean1``) and its interval are in scale points (1–5 on an agreement scale).
    """

    label: str
    verdict: Verdict
    """As in :class:`ProportionShift`."""
    n1: int | None = None
    """Respondents with a score in wave 1 (linked pairs for a matched analysis); ``None`` when too few."""
    n2: int | None = None
    mean1: float = NAN
    mean2: float = NAN
    sd1: float = NAN
    """Standard deviation of respondent scores (``ddof=1``); for a matched analysis, SD of the differences."""
    sd2: float = NAN
    diff: float = NAN
    """``mean2 − mean1`` in scale points."""
    diff_ci: tuple[float, float] = NAN_PAIR
    effect_size: float = NAN
    """Hedges' g (independent waves) or Cohen's d_z (matched: mean difference / SD of differences)."""
    effect_size_name: str = "Hedges' g"
    p_value: float = NAN
    p_adjusted: float = NAN
    family_size: int = 1
    method: str = ""
    confidence: float = 0.95
    min_n: int = 5
    suppressed: str = ""
    matched: bool = False
    measure: str = ""
    """``"condition_mean"`` (set by :func:`compare_waves`)."""
    target: str = ""
    group: Group = ()
    role: str = PRIMARY

    kind = "mean"


Shift = ProportionShift | MeanShift


def verdict_of(lo: float, hi: float, p_adjusted: float, confidence: float) -> Verdict:
    """The wording the evidence allows.

    A change is *clear* when its interval excludes zero and, if the comparison belongs to a corrected family,
    its Benjamini–Hochberg adjusted p-value is also below ``1 − confidence``. The interval and the test are
    different (asymptotically equivalent) methods; near the boundary they can disagree, and then the verdict is
    the cautious one.
    """
    if np.isnan(lo) or np.isnan(hi):
        return NO_CLEAR_CHANGE
    survives = bool(np.isnan(p_adjusted) or p_adjusted < 1 - confidence)
    if lo > 0 and survives:
        return CLEAR_INCREASE
    if hi < 0 and survives:
        return CLEAR_DECREASE
    return NO_CLEAR_CHANGE


def exploratory_verdict(lo: float, hi: float) -> Verdict:
    """The wording of an exploratory comparison: where its own interval lies, never "clear".

    >>> exploratory_verdict(0.02, 0.2), exploratory_verdict(-0.1, 0.05), exploratory_verdict(-0.3, -0.01)
    ('likely higher', 'could be no change', 'likely lower')
    """
    if np.isnan(lo) or np.isnan(hi) or lo <= 0 <= hi:
        return COULD_BE_NO_CHANGE
    return LIKELY_HIGHER if lo > 0 else LIKELY_LOWER


def adjust_fdr(shifts: Sequence[Shift]) -> list[Shift]:
    """Benjamini–Hochberg adjusted p-values across a family of comparisons, with verdicts updated.

    .. math:: \\tilde p_{(i)} = \\min_{j \\ge i} \\min\\left(1, \\frac{m}{j} p_{(j)}\\right)

    computed by ``scipy.stats.false_discovery_control(method="bh")`` over the ``m`` comparisons that have a
    p-value (those with too few responses are not part of the family and are returned unchanged). Controls the
    expected share of false "clear change" claims among those made at ``1 − confidence`` (Benjamini &
    Hochberg 1995, JRSS B 57:289–300), assuming independent or positively dependent tests.

    Parameters
    ----------
    shifts : sequence of ProportionShift or MeanShift
        Every comparison shown together (e.g. all conditions and items of all schools on one page).

    Returns
    -------
    list
        The same comparisons in the same order with ``p_adjusted``, ``family_size`` and ``verdict`` set.
    """
    tested = [i for i, shift in enumerate(shifts) if not np.isnan(shift.p_value)]
    result = list(shifts)
    if not tested:
        return result
    from scipy import stats  # here: importing it costs every start about 60 MB

    adjusted = stats.false_discovery_control([shifts[i].p_value for i in tested], method="bh")
    for i, p_adj in zip(tested, adjusted, strict=True):
        shift = shifts[i]
        lo, hi = shift.diff_ci
        result[i] = replace(
            shift,
            p_adjusted=float(p_adj),
            family_size=len(tested),
            verdict=verdict_of(lo, hi, float(p_adj), shift.confidence),
        )
    return result


def _as_arrays(*values: ArrayLike) -> list[np.ndarray]:
    return [np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in values]


def _int(value: float) -> int:
    return round(float(value))


def _reasons(n1: np.ndarray, n2: np.ndarray, min_n: int, suppressed: Sequence[str] | None) -> list[str]:
    """Suppression reason per element: given by the caller, else the minimum-n rule on both waves."""
    if suppressed is not None:
        return list(suppressed)
    return [SMALL_GROUP if min(a, b) < min_n else "" for a, b in zip(n1, n2, strict=True)]


@dataclass(frozen=True)
class _Family:
    """What every builder needs per element before its formulas: label, extra fields, and whether it is shown."""

    names: list[str]
    metas: list[dict]
    reasons: list[str]
    shown: np.ndarray
    """True where the comparison carries figures."""
    confidence: float
    min_n: int
    matched: bool

    def results(self, cls: type, shown_result: Callable[[int, dict], Shift]) -> list[Shift]:
        """One result per element: ``shown_result(i, common)`` where shown, else a ``cls`` with no figures.

        ``common`` holds the fields every shown result shares (label, confidence, minimum n, matched and the
        caller's meta), so a builder names only its figures.
        """
        results: list[Shift] = []
        for i, (name, reason) in enumerate(zip(self.names, self.reasons, strict=True)):
            common = {
                "label": name,
                "confidence": self.confidence,
                "min_n": self.min_n,
                "matched": self.matched,
                **self.metas[i],
            }
            results.append(shown_result(i, common) if not reason else cls(verdict=TOO_FEW, suppressed=reason, **common))
        return results


def _family(
    n1: np.ndarray,
    n2: np.ndarray,
    *,
    labels: Sequence[str] | str,
    meta: Sequence[dict] | None,
    suppressed: Sequence[str] | None,
    min_n: int,
    confidence: float,
    matched: bool,
) -> _Family:
    count = len(n1)
    reasons = _reasons(n1, n2, min_n, suppressed)
    return _Family(
        names=[labels] * count if isinstance(labels, str) else list(labels),
        metas=list(meta) if meta is not None else [{} for _ in range(count)],
        reasons=reasons,
        shown=np.array([reason == "" for reason in reasons], dtype=bool),
        confidence=confidence,
        min_n=min_n,
        matched=matched,
    )


def cohens_h(p1: ArrayLike, p2: ArrayLike) -> np.ndarray:
    """Cohen's h for ``p2`` against ``p1``: ``2·asin√p2 − 2·asin√p1`` (Cohen 1988, ch. 6)."""
    return 2 * np.arcsin(np.sqrt(np.asarray(p2, dtype=float))) - 2 * np.arcsin(np.sqrt(np.asarray(p1, dtype=float)))


def binomial_shifts(
    k1: ArrayLike,
    n1: ArrayLike,
    k2: ArrayLike,
    n2: ArrayLike,
    *,
    labels: Sequence[str] | str,
    min_n: int,
    confidence: float,
    meta: Sequence[dict] | None = None,
    suppressed: Sequence[str] | None = None,
) -> list[ProportionShift]:
    """One :class:`ProportionShift` per element: Newcombe difference, Katz ratio, pooled z-test, Cohen's h."""
    k1_, n1_, k2_, n2_ = _as_arrays(k1, n1, k2, n2)
    family = _family(
        n1_, n2_, labels=labels, meta=meta, suppressed=suppressed, min_n=min_n, confidence=confidence, matched=False
    )
    shown = family.shown
    # Only groups that will be shown reach the formulas (a zero-size group would be a ValueError there).
    safe = np.where(shown, 1.0, 0.0)
    n1s, n2s = np.where(shown, n1_, 1.0), np.where(shown, n2_, 1.0)
    k1s, k2s = k1_ * safe, k2_ * safe
    diff, lo, hi = intervals.newcombe_difference(k1s, n1s, k2s, n2s, confidence=confidence)
    ratio, rlo, rhi = intervals.ratio_interval(k1s, n1s, k2s, n2s, confidence=confidence)
    p = intervals.two_proportion_test(k1s, n1s, k2s, n2s)
    h = cohens_h(k1s / n1s, k2s / n2s)
    method = "Newcombe hybrid score interval (method 10); ratio by the log (Katz) method; pooled two-proportion z-test"

    def shown_result(i: int, common: dict) -> ProportionShift:
        return ProportionShift(
            verdict=verdict_of(lo[i], hi[i], NAN, confidence),
            n1=_int(n1_[i]),
            n2=_int(n2_[i]),
            k1=_int(k1_[i]),
            k2=_int(k2_[i]),
            m1=_int(n1_[i]),
            m2=_int(n2_[i]),
            p1=float(k1_[i] / n1_[i]),
            p2=float(k2_[i] / n2_[i]),
            diff=float(diff[i]),
            diff_ci=(float(lo[i]), float(hi[i])),
            ratio=float(ratio[i]),
            ratio_ci=(float(rlo[i]), float(rhi[i])),
            effect_size=float(h[i]),
            p_value=float(p[i]),
            method=method,
            **common,
        )

    return family.results(ProportionShift, shown_result)


@dataclass(frozen=True)
class PooledMoments:
    """Per-group sums over respondents ``i`` of a pooled share: favorable ``f_i`` out of answered ``m_i``.

    Each field is an array with one element per group; only respondents with ``m_i > 0`` count.
    """

    n: np.ndarray
    """Respondents with at least one valid answer."""
    f: np.ndarray
    """Σ f_i (favorable answers)."""
    m: np.ndarray
    """Σ m_i (valid answers)."""
    ff: np.ndarray
    """Σ f_i²."""
    fm: np.ndarray
    """Σ f_i·m_i."""
    mm: np.ndarray
    """Σ m_i²."""

    def share_and_sd(self) -> tuple[np.ndarray, np.ndarray]:
        """Pooled share ``Σf / Σm`` and the SD of the respondent-level linearised values.

        The pooled share is a ratio estimator; its variance is that of the mean of
        ``u_i = p + (f_i − p·m_i) / m̄`` (Taylor linearisation; Cochran 1977, §6.4), whose mean is exactly ``p``.
        So a t-based comparison of the ``u_i`` respects respondents as the unit of independence.
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            share = self.f / self.m
            residual_ss = np.clip(self.ff - 2 * share * self.fm + share**2 * self.mm, 0, None)
            mean_m = self.m / self.n
            sd = np.sqrt(residual_ss / (self.n - 1)) / mean_m
        return share, sd


def pooled_shifts(
    first: PooledMoments,
    second: PooledMoments,
    *,
    labels: Sequence[str] | str,
    min_n: int,
    confidence: float,
    meta: Sequence[dict] | None = None,
    suppressed: Sequence[str] | None = None,
) -> list[ProportionShift]:
    """Change in a pooled percent favorable with respondents as the unit (Welch's t on linearised values).

    The share shown is the page's: favorable item responses over valid item responses, pooled over the
    condition's items. Its interval and test treat *respondents*, not responses, as independent: Welch's t on the
    linearised values of :meth:`PooledMoments.share_and_sd` (for respondents who all answered every item this is
    exactly Welch's t on each respondent's favorable share). The relative change uses the same variances on the
    log scale (delta method, normal quantile). When no respondent varies from the pooled share in either wave
    (e.g. everyone 100% favorable) the clustered variance is zero, and the interval falls back to Newcombe's on
    the pooled responses treated as binomial.
    """
    family = _family(
        first.n,
        second.n,
        labels=labels,
        meta=meta,
        suppressed=suppressed,
        min_n=min_n,
        confidence=confidence,
        matched=False,
    )
    p1, sd1 = first.share_and_sd()
    p2, sd2 = second.share_and_sd()
    z = intervals.normal_quantile(confidence)
    method = (
        "pooled share of item responses; Welch's t on respondent-level linearised values (respondent as unit); "
        "ratio by the delta method on the log scale"
    )
    binomial_method = "pooled responses treated as binomial (no respondent-level variation): Newcombe interval, z-test"
    # Every group at once: Welch where respondents vary, Newcombe where nobody does; placeholders elsewhere keep
    # the formulas away from empty or hidden groups (their results are never read).
    binomial = family.shown & (sd1 == 0) & (sd2 == 0)
    welch = family.shown & ~binomial
    w_diff, w_lo, w_hi, w_p = (
        np.atleast_1d(x)
        for x in intervals.welch_test(
            np.where(welch, p1, 0.0),
            np.where(welch, sd1, 1.0),
            np.where(welch, first.n, 2.0),
            np.where(welch, p2, 0.0),
            np.where(welch, sd2, 1.0),
            np.where(welch, second.n, 2.0),
            confidence=confidence,
        )
    )
    b_args = (
        np.where(binomial, first.f, 0.0),
        np.where(binomial, first.m, 1.0),
        np.where(binomial, second.f, 0.0),
        np.where(binomial, second.m, 1.0),
    )
    b_diff, b_lo, b_hi = (np.atleast_1d(x) for x in intervals.newcombe_difference(*b_args, confidence=confidence))
    b_p = np.atleast_1d(intervals.two_proportion_test(*b_args))
    diff, lo, hi, p = (np.where(binomial, b, w) for b, w in ((b_diff, w_diff), (b_lo, w_lo), (b_hi, w_hi), (b_p, w_p)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = p2 / p1
        se_log = np.sqrt(sd1**2 / first.n / p1**2 + sd2**2 / second.n / p2**2)
        rlo, rhi = ratio * np.exp(-z * se_log), ratio * np.exp(z * se_log)
    has_ratio = (p1 > 0) & (p2 > 0)
    ratio, rlo, rhi = (np.where(has_ratio, x, NAN) for x in (ratio, rlo, rhi))
    h = cohens_h(np.where(family.shown, p1, 0.0), np.where(family.shown, p2, 0.0))

    def shown_result(i: int, common: dict) -> ProportionShift:
        return ProportionShift(
            verdict=verdict_of(lo[i], hi[i], NAN, confidence),
            n1=_int(first.n[i]),
            n2=_int(second.n[i]),
            k1=_int(first.f[i]),
            k2=_int(second.f[i]),
            m1=_int(first.m[i]),
            m2=_int(second.m[i]),
            p1=float(p1[i]),
            p2=float(p2[i]),
            diff=float(diff[i]),
            diff_ci=(float(lo[i]), float(hi[i])),
            ratio=float(ratio[i]),
            ratio_ci=(float(rlo[i]), float(rhi[i])),
            effect_size=float(h[i]),
            p_value=float(p[i]),
            method=binomial_method if binomial[i] else method,
            **common,
        )

    return family.results(ProportionShift, shown_result)


def welch_shifts(
    mean1: ArrayLike,
    sd1: ArrayLike,
    n1: ArrayLike,
    mean2: ArrayLike,
    sd2: ArrayLike,
    n2: ArrayLike,
    *,
    labels: Sequence[str] | str,
    min_n: int,
    confidence: float,
    meta: Sequence[dict] | None = None,
    suppressed: Sequence[str] | None = None,
) -> list[MeanShift]:
    """One :class:`MeanShift` per element: Welch's t interval and p-value, Hedges' g."""
    mean1_, sd1_, n1_, mean2_, sd2_, n2_ = _as_arrays(mean1, sd1, n1, mean2, sd2, n2)
    family = _family(
        n1_, n2_, labels=labels, meta=meta, suppressed=suppressed, min_n=min_n, confidence=confidence, matched=False
    )
    shown = family.shown
    # Placeholders where hidden so the vectorised formulas never see an empty group.
    m1 = np.where(shown, mean1_, 0.0)
    s1 = np.where(shown, np.nan_to_num(sd1_), 1.0)
    c1 = np.where(shown, n1_, 2.0)
    m2 = np.where(shown, mean2_, 0.0)
    s2 = np.where(shown, np.nan_to_num(sd2_), 1.0)
    c2 = np.where(shown, n2_, 2.0)
    diff, lo, hi, p = (np.atleast_1d(x) for x in intervals.welch_test(m1, s1, c1, m2, s2, c2, confidence=confidence))
    g = np.atleast_1d(intervals.hedges_g(m1, s1, c1, m2, s2, c2))
    method = "Welch's t (unequal variances); Hedges' g on the pooled SD"

    def shown_result(i: int, common: dict) -> MeanShift:
        return MeanShift(
            verdict=verdict_of(lo[i], hi[i], NAN, confidence),
            n1=_int(n1_[i]),
            n2=_int(n2_[i]),
            mean1=float(mean1_[i]),
            mean2=float(mean2_[i]),
            sd1=float(s1[i]),
            sd2=float(s2[i]),
            diff=float(diff[i]),
            diff_ci=(float(lo[i]), float(hi[i])),
            effect_size=float(g[i]),
            effect_size_name="Hedges' g",
            p_value=float(p[i]),
            method=method,
            **common,
        )

    return family.results(MeanShift, shown_result)


def matched_binary_shifts(
    yes_yes: ArrayLike,
    yes_no: ArrayLike,
    no_yes: ArrayLike,
    no_no: ArrayLike,
    *,
    labels: Sequence[str] | str,
    min_n: int,
    confidence: float,
    mcnemar: Literal["mid-p", "exact"] = "mid-p",
    meta: Sequence[dict] | None = None,
    suppressed: Sequence[str] | None = None,
) -> list[ProportionShift]:
    """Matched shares from the paired 2×2 counts: Newcombe paired difference, Bonett–Price ratio, McNemar."""
    a, b, c, d = _as_arrays(yes_yes, yes_no, no_yes, no_no)
    pairs = a + b + c + d
    family = _family(
        pairs, pairs, labels=labels, meta=meta, suppressed=suppressed, min_n=min_n, confidence=confidence, matched=True
    )
    dd = np.where(family.shown, d, np.where(pairs > 0, d, 1.0))  # a hidden empty group gets one dummy pair
    diff, lo, hi = intervals.newcombe_paired_difference(a, b, c, dd, confidence=confidence)
    ratio, rlo, rhi = intervals.bonett_price_ratio(a, b, c, dd, confidence=confidence)
    p = intervals.mcnemar_test(b, c, method=mcnemar)
    diff, lo, hi, ratio, rlo, rhi, p = (np.atleast_1d(x) for x in (diff, lo, hi, ratio, rlo, rhi, p))
    method = (
        f"same respondents in both waves: Newcombe paired hybrid score interval (method 10); "
        f"Bonett–Price ratio interval; McNemar test ({mcnemar})"
    )

    def shown_result(i: int, common: dict) -> ProportionShift:
        n = pairs[i]
        before, after = (a[i] + b[i]) / n, (a[i] + c[i]) / n
        return ProportionShift(
            verdict=verdict_of(lo[i], hi[i], NAN, confidence),
            n1=_int(n),
            n2=_int(n),
            k1=_int(a[i] + b[i]),
            k2=_int(a[i] + c[i]),
            m1=_int(n),
            m2=_int(n),
            p1=float(before),
            p2=float(after),
            diff=float(diff[i]),
            diff_ci=(float(lo[i]), float(hi[i])),
            ratio=float(ratio[i]),
            ratio_ci=(float(rlo[i]), float(rhi[i])),
            effect_size=float(cohens_h(before, after)),
            p_value=float(p[i]),
            method=method,
            discordant=(_int(b[i]), _int(c[i])),
            **common,
        )

    return family.results(ProportionShift, shown_result)


def paired_mean_shifts(
    mean_before: ArrayLike,
    mean_after: ArrayLike,
    sd_diff: ArrayLike,
    n: ArrayLike,
    *,
    labels: Sequence[str] | str,
    min_n: int,
    confidence: float,
    proportion: bool = False,
    meta: Sequence[dict] | None = None,
    suppressed: Sequence[str] | None = None,
) -> list[Shift]:
    """Matched means from summary statistics of the pairs: paired t interval and p-value, Cohen's d_z.

    With ``proportion=True`` the means are pooled shares and a :class:`ProportionShift` is returned (its
    effect size is then Cohen's h of the two shares, for comparability with the independent analysis).
    """
    before, after, sd_, n_ = _as_arrays(mean_before, mean_after, sd_diff, n)
    family = _family(
        n_, n_, labels=labels, meta=meta, suppressed=suppressed, min_n=min_n, confidence=confidence, matched=True
    )
    shown = family.shown
    mean_d = np.where(shown, after - before, 0.0)
    sd_s = np.where(shown, np.nan_to_num(sd_), 1.0)
    n_s = np.where(shown, n_, 2.0)
    diff, lo, hi, p = (np.atleast_1d(x) for x in intervals.paired_t_test(mean_d, sd_s, n_s, confidence=confidence))
    with np.errstate(divide="ignore", invalid="ignore"):
        dz = np.where(sd_s > 0, mean_d / sd_s, np.nan)
    if proportion:
        method = (
            "same respondents in both waves: pooled share of item responses; paired t on respondent-level "
            "linearised values"
        )
    else:
        method = "same respondents in both waves: paired t; Cohen's d_z (mean difference / SD of differences)"

    def shown_result(i: int, common: dict) -> Shift:
        figures = {
            "verdict": verdict_of(lo[i], hi[i], NAN, confidence),
            "n1": _int(n_[i]),
            "n2": _int(n_[i]),
            "diff": float(diff[i]),
            "diff_ci": (float(lo[i]), float(hi[i])),
            "p_value": float(p[i]),
            "method": method,
            **common,
        }
        if proportion:
            effect = float(cohens_h(before[i], after[i]))
            return ProportionShift(p1=float(before[i]), p2=float(after[i]), effect_size=effect, **figures)
        return MeanShift(
            mean1=float(before[i]),
            mean2=float(after[i]),
            sd1=float(sd_s[i]),
            sd2=float(sd_s[i]),
            effect_size=float(dz[i]),
            effect_size_name="Cohen's d_z",
            **figures,
        )

    return family.results(ProportionShift if proportion else MeanShift, shown_result)


__all__ = [
    "CLEAR",
    "CLEAR_DECREASE",
    "CLEAR_INCREASE",
    "COMPLEMENTARY",
    "CONDITIONS",
    "COULD_BE_NO_CHANGE",
    "EXPLORATORY",
    "EXPLORATORY_VERDICTS",
    "LIKELY_HIGHER",
    "LIKELY_LOWER",
    "NAN",
    "NAN_PAIR",
    "NO_CLEAR_CHANGE",
    "PRIMARY",
    "SMALL_GROUP",
    "TOO_FEW",
    "MeanShift",
    "PooledMoments",
    "ProportionShift",
    "adjust_fdr",
    "binomial_shifts",
    "cohens_h",
    "exploratory_verdict",
    "matched_binary_shifts",
    "paired_mean_shifts",
    "pooled_shifts",
    "verdict_of",
    "welch_shifts",
]
