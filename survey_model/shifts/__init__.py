"""Honest change statistics between survey waves: intervals, tests, effect sizes, verdicts and statements.

Conventions (``docs/rules.md``, "Change between waves"):

* Wave 1 is the earlier wave; every change is *wave 2 − wave 1*; shares are in [0, 1] (× 100 for percent and
  percentage points); means are in scale points.
* **Leader identity and single items** (one answer per respondent) are binomial: Newcombe's hybrid score interval
  for the difference (method 10), the log (Katz) interval for the ratio ("57% more"), the pooled two-proportion
  z-test, Cohen's h.
* **A condition's percent favorable** pools item responses, but the respondent is the unit of independence: the
  estimate is the pooled share shown on the pages, its interval and test come from Welch's t on respondent-level
  linearised values (exactly Welch's t on respondents' favorable shares when everyone answered every item).
* **Condition means**: Welch's t and Hedges' g.
* **Matched analysis** (the same respondents, linked across waves by ``respondent_key``): Newcombe's paired
  interval, the Bonett–Price ratio, McNemar's test (mid-p); paired t and Cohen's d_z for means.
* **The analysis plan** (:func:`~survey_model.shifts.waves.apply_plan`): leader identity is the primary measure,
  judged on its own 95% interval; the condition comparisons of the whole selection are one family whose intervals
  are widened together (Bonferroni); items, schools and subgroups are exploratory — shown with their own interval
  and n, worded "likely higher", "likely lower" or "could be no change", never "clear". A verdict always agrees
  with the interval shown. (:func:`adjust_fdr`, Benjamini–Hochberg, remains for callers with their own family.)
* **Minimum n**: a comparison where either wave has fewer than ``min_n`` respondents carries no figures at all.

Modules: :mod:`~survey_model.shifts.results` (result objects, verdicts, FDR), :mod:`~survey_model.shifts.single`
(one comparison), :mod:`~survey_model.shifts.waves` (whole frames: :func:`compare_waves`, :func:`trend`),
:mod:`~survey_model.shifts.statements` (:func:`impact_statement`, and :func:`displayed_change`: figures
rounded as shown, so that a shown change is the difference of the shown levels). The formulas live in
:mod:`survey_model.intervals`.
"""

from survey_model.shifts.results import (
    CLEAR,
    CLEAR_DECREASE,
    CLEAR_INCREASE,
    CONDITIONS,
    COULD_BE_NO_CHANGE,
    EXPLORATORY,
    EXPLORATORY_VERDICTS,
    LIKELY_HIGHER,
    LIKELY_LOWER,
    NO_CLEAR_CHANGE,
    PRIMARY,
    TOO_FEW,
    MeanShift,
    ProportionShift,
    Shift,
    adjust_fdr,
    exploratory_verdict,
    verdict_of,
)
from survey_model.shifts.single import (
    matched_mean_shift,
    matched_proportion_shift,
    mean_shift,
    pooled_share_shift,
    proportion_shift,
)
from survey_model.shifts.statements import (
    DisplayedChange,
    displayed_change,
    displayed_shift,
    impact_statement,
    round_half_away,
    signed,
)
from survey_model.shifts.waves import ShiftReport, apply_plan, compare_waves, trend

__all__ = [
    "CLEAR",
    "CLEAR_DECREASE",
    "CLEAR_INCREASE",
    "CONDITIONS",
    "COULD_BE_NO_CHANGE",
    "EXPLORATORY",
    "EXPLORATORY_VERDICTS",
    "LIKELY_HIGHER",
    "LIKELY_LOWER",
    "NO_CLEAR_CHANGE",
    "PRIMARY",
    "TOO_FEW",
    "DisplayedChange",
    "MeanShift",
    "ProportionShift",
    "Shift",
    "ShiftReport",
    "adjust_fdr",
    "apply_plan",
    "compare_waves",
    "displayed_change",
    "displayed_shift",
    "exploratory_verdict",
    "impact_statement",
    "matched_mean_shift",
    "matched_proportion_shift",
    "mean_shift",
    "pooled_share_shift",
    "proportion_shift",
    "round_half_away",
    "signed",
    "trend",
    "verdict_of",
]
