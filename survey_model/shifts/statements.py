"""Plain-language impact statements, with the wording chosen by the evidence and figures that add up.

=====================  ======================================================================================
verdict                wording
=====================  ======================================================================================
clear increase         "Educators who consider themselves leaders: clear increase, 30% → 47% (+17 points, likely
                       between +10 and +24; 57% more educators, likely between 31% and 88% more). n = 400 and
                       400."
clear decrease         the same with "clear decrease", negative points and "fewer"
no clear change        "…: no clear change, 30% → 32% (+2 points, likely between −4 and +8). n = 400 and 400." No
                       relative change is given when the change is not clear.
likely higher / lower  an exploratory comparison (an item, a school, a subgroup): "…: likely higher, 30% → 47%
could be no change     (+17 points, likely between +10 and +24). n = 40 and 42." Never "clear", whatever its
                       interval, and no relative change.
too few                "…: too few responses to say (fewer than 5 in a wave)." No number at all, not even n.
=====================  ======================================================================================

"Likely between" is the interval the verdict is read from (95%; for the family of condition comparisons, widened
so that the whole family holds together), so a statement never calls a change clear while its interval includes
zero, nor "no clear change" while its interval lies wholly on one side of zero. Partners read no "95% CI";
``analysts=True`` names the confidence level, the effect size of a mean and the adjusted p-value.

**Changes add up.** A partner checks "32% → 43% (+11 points)" by subtracting, so the change shown is the
difference of the *shown* figures (:func:`displayed_change`): shares in whole percent, means to two decimals, both
rounded half away from zero. A change that is 0 as shown reads "no change in points". The interval, the verdict and
every test are computed on the unrounded figures (:mod:`survey_model.shifts.results`); only when the shown change
would fall outside its own interval (possible with very large groups, whose intervals are narrower than the
rounding) are the figures shown with one more decimal, then two. A relative change ("57% more") is computed from
the unrounded shares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from survey_model.shifts.results import (
    CLEAR_DECREASE,
    CLEAR_INCREASE,
    COMPLEMENTARY,
    CONDITIONS,
    TOO_FEW,
    MeanShift,
    ProportionShift,
    Shift,
)

MINUS = "−"
#: Wording of a change that is 0 as shown (the verdict still comes from the statistics).
NO_CHANGE_IN_POINTS = "no change in points"
#: Extra decimals tried when the shown change would fall outside its interval.
_EXTRA_DECIMALS = 2


def round_half_away(value: float) -> int:
    """Round half away from zero, as every shown figure is (Python's round() rounds half to even: 0.5 → 0).

    The value is first rounded to 9 decimals so that an exact half computed in floating point (100 × 0.285 is
    28.499999999999996) counts as the half it is.

    >>> round_half_away(40.5), round_half_away(-0.5), round_half_away(100 * 0.285), round_half_away(2.4999)
    (41, -1, 29, 2)
    """
    value = round(value, 9)
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def signed(value: float, decimals: int) -> str:
    """'+0.35', '−0.21' (true minus sign, rounded half away from zero); a value that rounds to zero is written
    without a sign, so '+0' and '−0.0' never appear.

    >>> signed(0.349, 2), signed(-0.2051, 2), signed(-0.004, 2), signed(12.5, 0)
    ('+0.35', '−0.21', '0.00', '+13')
    """
    steps = round_half_away(value * 10**decimals)
    if steps == 0:
        return f"{0:.{decimals}f}"
    text = f"{abs(steps) / 10**decimals:.{decimals}f}"
    return ("+" if steps > 0 else MINUS) + text


def shown_difference(before: float, after: float) -> str:
    """The change between two figures shown as whole numbers, as their shown difference: '+27', '−3', '0'; ``""``
    when either is missing. For a change shown without its interval (badges, table columns).

    >>> shown_difference(12.5, 40.0), shown_difference(40.4, 39.6), shown_difference(float("nan"), 3.0)
    ('+27', '0', '')
    """
    if math.isnan(before) or math.isnan(after):
        return ""
    return signed(round_half_away(after) - round_half_away(before), 0)


@dataclass(frozen=True)
class DisplayedChange:
    """A change as it is shown: both levels and the change between them, rounded so that they add up.

    Figures are in display units: percent (0–100) and percentage points for a share, scale points for a mean.
    ``change`` is exactly ``after − before`` as shown (computed on whole rounding steps, so no floating-point
    remainder); ``low`` and ``high`` are the interval of the unrounded change, in the same units, unrounded.

    >>> shown = displayed_change(0.324, 0.434, 0.04, 0.18)
    >>> shown.before_text, shown.after_text, shown.change_text, shown.interval_text
    ('32%', '43%', '+11', '+4 to +18')
    """

    before: float
    after: float
    change: float
    low: float
    high: float
    decimals: int
    """Decimals the levels and the change are shown with (0 for whole percent, 2 for means, more if needed)."""
    percent: bool
    """True for a share (shown as percent and percentage points), False for a mean (scale points)."""

    def level_text(self, value: float) -> str:
        """A level as shown: '32%' or '3.41'."""
        return f"{value:.{self.decimals}f}" + ("%" if self.percent else "")

    @property
    def before_text(self) -> str:
        return self.level_text(self.before)

    @property
    def after_text(self) -> str:
        return self.level_text(self.after)

    @property
    def unchanged(self) -> bool:
        """True when both levels are shown as the same figure."""
        return self.change == 0

    @property
    def change_text(self) -> str:
        """'+11', '−0.15'; '0' when the levels are shown the same (never '+0' or '−0')."""
        return signed(self.change, self.decimals)

    def bound_text(self, value: float) -> str:
        """An interval bound: as many decimals as the change, one more when that would write a non-zero bound as 0
        (so '+0.3' still says which side of zero it lies); 'just above 0' or 'just below 0' when it is 0 even then.

        >>> shown = displayed_change(3.02, 3.10, 0.00004, 0.16, kind="mean")
        >>> shown.bound_text(0.00004), shown.bound_text(-0.004), shown.bound_text(0.0)
        ('just above 0', '−0.004', '0')
        """
        for decimals in (self.decimals, self.decimals + 1):
            if round_half_away(value * 10**decimals) != 0:
                return signed(value, decimals)
        return "just above 0" if value > 0 else "just below 0" if value < 0 else "0"

    def bound(self, value: float) -> float:
        """An interval bound as a number, rounded as :meth:`bound_text` writes it (unrounded when that says
        'just above 0' or 'just below 0')."""
        for decimals in (self.decimals, self.decimals + 1):
            steps = round_half_away(value * 10**decimals)
            if steps != 0:
                return steps / 10**decimals
        return value

    @property
    def interval_text(self) -> str:
        """'+4 to +18' (the interval of the change, in the unit of the change)."""
        return f"{self.bound_text(self.low)} to {self.bound_text(self.high)}"

    @property
    def points_text(self) -> str:
        """The change of a share in words: '+11 points', '−1 point', or 'no change in points'."""
        if self.unchanged:
            return NO_CHANGE_IN_POINTS
        text = self.change_text
        return f"{text} {'point' if text.lstrip('+' + MINUS) == '1' else 'points'}"


def displayed_change(
    estimate1: float, estimate2: float, diff_lo: float, diff_hi: float, *, kind: str = "proportion"
) -> DisplayedChange:
    """The two levels of a comparison and their change, rounded as shown so that the change is their difference.

    Parameters
    ----------
    estimate1, estimate2 : float
        The earlier and later level: a share in [0, 1] (``kind="proportion"``) or a mean in scale points.
    diff_lo, diff_hi : float
        The interval of the unrounded change ``estimate2 − estimate1``, in the same units.
    kind : {"proportion", "mean"}
        A share is shown in whole percent, a mean to two decimals.

    Returns
    -------
    DisplayedChange
        Shown levels and change. When the shown change would lie outside ``[diff_lo, diff_hi]`` (an interval
        narrower than the rounding, as with very large groups), one more decimal is used, then two.

    Examples
    --------
    0.3244 → 0.4336 is a change of 10.92 points; shown as 32% → 43%, it is written +11.

    >>> displayed_change(0.3244, 0.4336, 0.04, 0.18).points_text
    '+11 points'
    >>> displayed_change(0.302, 0.298, -0.04, 0.04).points_text
    'no change in points'
    >>> shown = displayed_change(0.3046, 0.3110, 0.0050, 0.0078)  # 100,000 per wave: 30% → 31% would say +1
    >>> shown.before_text, shown.after_text, shown.points_text, shown.interval_text
    ('30.5%', '31.1%', '+0.6 points', '+0.5 to +0.8')
    """
    if kind not in ("proportion", "mean"):
        raise ValueError(f"kind must be 'proportion' or 'mean', not {kind!r}")
    percent = kind == "proportion"
    unit = 100.0 if percent else 1.0
    base = 0 if percent else 2
    low, high = unit * diff_lo, unit * diff_hi
    for decimals in range(base, base + _EXTRA_DECIMALS + 1):
        step = 10**decimals
        before, after = round_half_away(unit * estimate1 * step), round_half_away(unit * estimate2 * step)
        change = (after - before) / step
        fits = math.isnan(low) or math.isnan(high) or (low - 1e-9 <= change <= high + 1e-9)
        if fits:
            break
    return DisplayedChange(
        before=before / step,
        after=after / step,
        change=change,
        low=low,
        high=high,
        decimals=decimals,
        percent=percent,
    )


def displayed_shift(shift: Shift) -> DisplayedChange:
    """:func:`displayed_change` of a comparison that carries figures."""
    if isinstance(shift, MeanShift):
        return displayed_change(shift.mean1, shift.mean2, *shift.diff_ci, kind="mean")
    return displayed_change(shift.p1, shift.p2, *shift.diff_ci, kind="proportion")


def _confidence(shift: Shift) -> str:
    """'95% interval' (analysts' wording; partners read 'likely between')."""
    return f"{100 * shift.confidence:.3g}% interval"


def _relative(shift: ProportionShift, unit: str) -> str:
    """'57% more educators, likely between 31% and 88% more' (or fewer, or '5% fewer and 20% more')."""
    change = shift.ratio - 1
    lo, hi = shift.ratio_ci[0] - 1, shift.ratio_ci[1] - 1
    head = f"{round_half_away(100 * abs(change))}% {'more' if change >= 0 else 'fewer'} {unit}"
    if lo >= 0:
        bounds = f"{round_half_away(100 * lo)}% and {round_half_away(100 * hi)}% more"
    elif hi <= 0:
        bounds = f"{round_half_away(-100 * hi)}% and {round_half_away(-100 * lo)}% fewer"
    else:
        bounds = f"{round_half_away(-100 * lo)}% fewer and {round_half_away(100 * hi)}% more"
    return f"{head}, likely between {bounds}"


def _demoted(shift: Shift) -> bool:
    """True when the interval excludes zero but the false-discovery-rate correction did not confirm the change."""
    lo, hi = shift.diff_ci
    unclear = shift.verdict not in (CLEAR_INCREASE, CLEAR_DECREASE) and (lo > 0 or hi < 0)
    return unclear and not math.isnan(shift.p_adjusted)


def _verdict_phrase(shift: Shift) -> str:
    if _demoted(shift):
        return f"no clear change once the {shift.family_size} comparisons shown are taken into account"
    return shift.verdict


def _sample(shift: Shift, unit: str | None) -> str:
    if shift.matched:
        return f"n = {shift.n1} {unit or 'respondents'} linked across the two waves."
    return f"n = {shift.n1} and {shift.n2}."


def impact_statement(
    shift: Shift, *, subject: str | None = None, unit: str | None = None, analysts: bool = False
) -> str:
    """One plain-language sentence describing a shift, for reports and workshops.

    Parameters
    ----------
    shift : ProportionShift or MeanShift
        A comparison, ideally after :func:`~survey_model.shifts.adjust_fdr` when several are shown together.
    subject : str, optional
        What the sentence is about; defaults to ``shift.label``. Group values (``shift.group``) are prefixed.
    unit : str, optional
        Plural noun for a relative change of a share, e.g. ``"educators"`` gives "57% more educators". Without
        it (e.g. for percent favorable, a share of responses) only percentage points are given.
    analysts : bool, default False
        Add the effect size of a mean ("Hedges' g = 1.59") and, for a change the false-discovery-rate correction
        did not confirm, its adjusted p-value. Partners read the sentence without them.

    Returns
    -------
    str
        See the module docstring for the wording of each verdict. The change shown is the difference of the
        figures shown (:func:`displayed_change`).

    Examples
    --------
    >>> from survey_model.shifts import proportion_shift
    >>> s = proportion_shift(120, 400, 188, 400, label="Educators who consider themselves leaders")
    >>> impact_statement(s, unit="educators")
    'Educators who consider themselves leaders: clear increase, 30% → 47% (+17 points, likely between +10 and +24; 57% more educators, likely between 31% and 88% more). n = 400 and 400.'
    """  # noqa: E501
    name = subject if subject is not None else shift.label
    prefix = ", ".join(value for _, value in shift.group)
    lead = f"{prefix} — {name}" if prefix else name
    if shift.matched:
        lead = f"{lead}, same {unit or 'respondents'} in both waves"
    if shift.verdict == TOO_FEW:
        if shift.suppressed == COMPLEMENTARY:
            return f"{lead}: not shown, so that a smaller group's figures cannot be worked out from the others."
        return f"{lead}: too few responses to say (fewer than {shift.min_n} in a wave)."
    shown = displayed_shift(shift)
    phrase = _verdict_phrase(shift)
    note = f"; adjusted p = {shift.p_adjusted:.2f}" if analysts and _demoted(shift) else ""
    if analysts and shift.role == CONDITIONS and shift.family_size > 1:  # widened: say how far
        note = f"; {_confidence(shift)}, widened for {shift.family_size} condition comparisons{note}"
    interval = f"likely between {shown.bound_text(shown.low)} and {shown.bound_text(shown.high)}"
    if _demoted(shift):  # the interval excludes zero on its own; say so, or it reads as contradicting the verdict
        interval = f"{interval} for this comparison alone"
    if isinstance(shift, MeanShift):
        effect = ""
        if analysts and not math.isnan(shift.effect_size):
            effect = f"; {shift.effect_size_name} = {signed(shift.effect_size, 2).lstrip('+')}"
        change = "no change" if shown.unchanged else shown.change_text
        levels = f"{shown.before_text} → {shown.after_text}"
        return f"{lead}: {phrase}, {levels} ({change}, {interval}{effect}{note}). {_sample(shift, unit)}"
    relative = ""
    clear = shift.verdict in (CLEAR_INCREASE, CLEAR_DECREASE)
    if clear and unit and not math.isnan(shift.ratio):
        relative = f"; {_relative(shift, unit)}"
    levels = f"{shown.before_text} → {shown.after_text}"
    return f"{lead}: {phrase}, {levels} ({shown.points_text}, {interval}{relative}{note}). {_sample(shift, unit)}"


__all__ = [
    "MINUS",
    "NO_CHANGE_IN_POINTS",
    "DisplayedChange",
    "displayed_change",
    "displayed_shift",
    "impact_statement",
    "round_half_away",
    "shown_difference",
    "signed",
]
