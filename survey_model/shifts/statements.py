"""Plain-language impact statements, with the wording chosen by the evidence.

=================  ==========================================================================================
verdict            wording
=================  ==========================================================================================
clear increase     "Educators who consider themselves leaders: clear increase, 30% → 47% (+17 points, 95% CI +10
                   to +24; 57% more educators, 95% CI 31% to 88% more). n = 400 and 400."
clear decrease     the same with "clear decrease", negative points and "fewer"
no clear change    "…: no clear change, 30% → 32% (+2 points, 95% CI −4 to +8). n = 400 and 400." No relative
                   change is given when the change is not clear. When the interval excludes zero but the
                   false-discovery-rate correction does not confirm it: "no clear change once the 43 comparisons
                   shown are taken into account" and the adjusted p-value.
too few            "…: too few responses to say (fewer than 5 in a wave)." No number at all, not even n.
=================  ==========================================================================================

A relative change ("57% more") never appears without its interval and the n of both waves.
"""

from __future__ import annotations

import math

from survey_model.shifts.results import (
    CLEAR_DECREASE,
    CLEAR_INCREASE,
    COMPLEMENTARY,
    TOO_FEW,
    MeanShift,
    ProportionShift,
    Shift,
)

MINUS = "−"


def _round(value: float) -> int:
    """Round half away from zero (Python's round() rounds half to even: 0.5 → 0)."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def _signed(value: float, decimals: int) -> str:
    """'+0.35', '−0.21' (true minus sign); a value that rounds to zero is written without a sign."""
    text = f"{value:+.{decimals}f}"
    if float(text) == 0:
        return f"{0:.{decimals}f}"
    return text.replace("-", MINUS)


def _percent(share: float) -> str:
    return f"{_round(100 * share)}%"


def _points(share: float) -> str:
    """Signed percentage points; one decimal when whole points would show a non-zero change as 0."""
    value = 100 * share
    whole = _round(value)
    if whole == 0:
        tenths = _signed(value, 1)
        return "0" if tenths == "0.0" else tenths
    return _signed(whole, 0)


def _point_word(share: float) -> str:
    """ "point" for a change shown as ±1, else "points"."""
    return "point" if _points(share).lstrip("+−-") == "1" else "points"


def _confidence(shift: Shift) -> str:
    return f"{100 * shift.confidence:g}% CI"


def _relative(shift: ProportionShift, unit: str) -> str:
    """'57% more educators, 95% CI 31% to 88% more' (or fewer, or 'x% fewer to y% more')."""
    change = shift.ratio - 1
    lo, hi = shift.ratio_ci[0] - 1, shift.ratio_ci[1] - 1
    head = f"{_round(100 * abs(change))}% {'more' if change >= 0 else 'fewer'} {unit}"
    if lo >= 0:
        bounds = f"{_round(100 * lo)}% to {_round(100 * hi)}% more"
    elif hi <= 0:
        bounds = f"{_round(-100 * hi)}% to {_round(-100 * lo)}% fewer"
    else:
        bounds = f"{_round(-100 * lo)}% fewer to {_round(100 * hi)}% more"
    return f"{head}, {_confidence(shift)} {bounds}"


def _verdict_phrase(shift: Shift) -> str:
    lo, hi = shift.diff_ci
    demoted = shift.verdict not in (CLEAR_INCREASE, CLEAR_DECREASE) and (lo > 0 or hi < 0)
    if demoted and not math.isnan(shift.p_adjusted):
        return f"no clear change once the {shift.family_size} comparisons shown are taken into account"
    return shift.verdict


def _adjusted_note(shift: Shift) -> str:
    lo, hi = shift.diff_ci
    demoted = shift.verdict not in (CLEAR_INCREASE, CLEAR_DECREASE) and (lo > 0 or hi < 0)
    if demoted and not math.isnan(shift.p_adjusted):
        return f"; adjusted p = {shift.p_adjusted:.2f}"
    return ""


def _sample(shift: Shift, unit: str | None) -> str:
    if shift.matched:
        return f"n = {shift.n1} {unit or 'respondents'} linked across the two waves."
    return f"n = {shift.n1} and {shift.n2}."


def impact_statement(shift: Shift, *, subject: str | None = None, unit: str | None = None) -> str:
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

    Returns
    -------
    str
        See the module docstring for the wording of each verdict.

    Examples
    --------
    >>> from survey_model.shifts import proportion_shift
    >>> s = proportion_shift(120, 400, 188, 400, label="Educators who consider themselves leaders")
    >>> impact_statement(s, unit="educators")
    'Educators who consider themselves leaders: clear increase, 30% → 47% (+17 points, 95% CI +10 to +24; 57% more educators, 95% CI 31% to 88% more). n = 400 and 400.'
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
    lo, hi = shift.diff_ci
    phrase = _verdict_phrase(shift)
    note = _adjusted_note(shift)
    if isinstance(shift, MeanShift):
        effect = ""
        if not math.isnan(shift.effect_size):
            effect = f"; {shift.effect_size_name} = {_signed(shift.effect_size, 2).lstrip('+')}"
        change = (
            f"{shift.mean1:.2f} → {shift.mean2:.2f} ({_signed(shift.diff, 2)}, {_confidence(shift)} "
            f"{_signed(lo, 2)} to {_signed(hi, 2)}{effect}{note})"
        )
        return f"{lead}: {phrase}, {change}. {_sample(shift, unit)}"
    relative = ""
    clear = shift.verdict in (CLEAR_INCREASE, CLEAR_DECREASE)
    if clear and unit and not math.isnan(shift.ratio):
        relative = f"; {_relative(shift, unit)}"
    change = (
        f"{_percent(shift.p1)} → {_percent(shift.p2)} ({_points(shift.diff)} {_point_word(shift.diff)}, "
        f"{_confidence(shift)} "
        f"{_points(lo)} to {_points(hi)}{relative}{note})"
    )
    return f"{lead}: {phrase}, {change}. {_sample(shift, unit)}"
