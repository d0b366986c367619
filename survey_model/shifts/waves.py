"""Shifts and trends over a whole responses frame: every measure, every group, in a few vectorised passes.

Measures (``measure`` in the results):

=======================  ===================================================  ==============================
measure                  estimate                                             method
=======================  ===================================================  ==============================
``leader_identity``      share answering *Yes* among valid answers to the     binomial (one answer per
                         headline item (*Not sure* is a valid answer)         respondent)
``condition_mean``       mean of respondent condition scores                  Welch's t, Hedges' g
``condition_favorable``  favorable / valid item responses, pooled over the    respondent as unit (Welch's t
                         condition's items (the pages' percent favorable)     on linearised values)
``item_favorable``       favorable / valid answers to one item                binomial
=======================  ===================================================  ==============================

The definitions are those of :mod:`survey_model.scoring` (reversal first, non-answers missing, half-answered
rule for respondent scores), computed from :func:`~survey_model.scoring.item_values` and
:func:`~survey_model.scoring.score_respondents`.

Privacy: a group with fewer than ``min_n`` respondents in either wave gets no figures at all. With a breakdown
(``by``), groups of the last ``by`` column are also hidden complementarily, as
:func:`survey_model.privacy.suppress` does, so a hidden group cannot be recovered by subtraction from a total.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from survey_model import intervals
from survey_model.codebook import Codebook
from survey_model.privacy import SUPPRESSED, suppress
from survey_model.responses import RESPONDENT_KEY, WAVE
from survey_model.scoring import NOT_ANSWERED, item_values, respondent_parts
from survey_model.shifts.results import (
    COMPLEMENTARY,
    CONDITIONS,
    EXPLORATORY,
    NAN,
    PRIMARY,
    SMALL_GROUP,
    TOO_FEW,
    Group,
    MeanShift,
    PooledMoments,
    ProportionShift,
    Shift,
    binomial_shifts,
    exploratory_verdict,
    matched_binary_shifts,
    paired_mean_shifts,
    pooled_shifts,
    verdict_of,
    welch_shifts,
)
from survey_model.shifts.statements import impact_statement

LEADER_LABEL = "Educators who consider themselves leaders"
LEADER_UNIT = "educators"
MEASURES = ("leader_identity", "condition_mean", "condition_favorable", "item_favorable")
REPORT_COLUMNS = (
    "measure",
    "target",
    "label",
    "kind",
    "matched",
    "verdict",
    "suppressed",
    "n1",
    "n2",
    "estimate1",
    "estimate2",
    "diff",
    "diff_lo",
    "diff_hi",
    "ratio",
    "ratio_lo",
    "ratio_hi",
    "effect_size",
    "effect_size_name",
    "p_value",
    "p_adjusted",
    "family_size",
    "role",
    "method",
    "statement",
)


@dataclass(frozen=True)
class ShiftReport:
    """Every comparison between two waves for one selection, ready for a page, a report or an export."""

    from_wave: str
    """The earlier wave (wave 1)."""
    to_wave: str
    """The later wave (wave 2)."""
    by: tuple[str, ...]
    """Breakdown columns; empty for the whole selection."""
    shifts: tuple[Shift, ...]
    """Independent-waves comparisons, grouped by ``group`` then measure, judged by the analysis plan
    (:func:`apply_plan`)."""
    matched: tuple[Shift, ...] = ()
    """The same comparisons among respondents linked across the waves, judged by the same plan on their own."""
    n_linked: int = 0
    """Respondents linked across the two waves by ``respondent_key`` (before any breakdown)."""

    def statements(self, *, matched: bool = False) -> list[str]:
        """Impact statements, in the order of :attr:`shifts` (or :attr:`matched`)."""
        return [_statement(shift) for shift in (self.matched if matched else self.shifts)]

    def to_frame(self, *, matched: bool = False, statements: bool = True) -> pd.DataFrame:
        """One row per comparison: figures, verdict and statement (shares in [0, 1], means in scale points).

        Columns: the ``by`` columns, then :data:`REPORT_COLUMNS`; ``kind`` is ``"proportion"`` or ``"mean"``;
        ``n1``/``n2`` are nullable integers, missing (like every figure) where the comparison is hidden. With
        ``statements=False`` the ``statement`` column is left empty (a chart of 2,800 school cells needs no
        sentences, and writing them is most of the cost).
        """
        rows = []
        for shift in self.matched if matched else self.shifts:
            proportion = isinstance(shift, ProportionShift)
            row = dict(shift.group)
            row.update(
                measure=shift.measure,
                target=shift.target,
                label=shift.label,
                kind=shift.kind,
                matched=shift.matched,
                verdict=shift.verdict,
                suppressed=shift.suppressed,
                n1=shift.n1,
                n2=shift.n2,
                estimate1=shift.p1 if proportion else shift.mean1,
                estimate2=shift.p2 if proportion else shift.mean2,
                diff=shift.diff,
                diff_lo=shift.diff_ci[0],
                diff_hi=shift.diff_ci[1],
                ratio=shift.ratio if proportion else np.nan,
                ratio_lo=shift.ratio_ci[0] if proportion else np.nan,
                ratio_hi=shift.ratio_ci[1] if proportion else np.nan,
                effect_size=shift.effect_size,
                effect_size_name=shift.effect_size_name,
                p_value=shift.p_value,
                p_adjusted=shift.p_adjusted,
                family_size=shift.family_size,
                role=shift.role,
                method=shift.method,
                statement=_statement(shift) if statements else "",
            )
            rows.append(row)
        columns = [*self.by, *REPORT_COLUMNS]
        table = pd.DataFrame(rows, columns=columns)
        for column in ("n1", "n2"):
            table[column] = table[column].astype("Int64")
        return table


def _statement(shift: Shift) -> str:
    return impact_statement(shift, unit=LEADER_UNIT if shift.measure == "leader_identity" else None)


# --- grouping -----------------------------------------------------------------------------------------------


def _group_codes(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, list[Group]]:
    """Integer group code per row and the groups' values; blanks form :data:`NOT_ANSWERED` as in scoring."""
    if not by:
        return np.zeros(len(frame), dtype=np.intp), [()]
    missing = [column for column in by if column not in frame.columns]
    if missing:
        raise ValueError(f"cannot break down by {missing}: no such column in the responses frame")
    keys = pd.DataFrame(index=frame.index)
    for column in by:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("string")
        keys[column] = series.astype("string").fillna(NOT_ANSWERED).replace("", NOT_ANSWERED)
    grouped = keys.groupby(list(by), sort=True, dropna=False)
    codes = grouped.ngroup().to_numpy(dtype=np.intp)
    values = [
        tuple((column, str(value)) for column, value in zip(by, key if isinstance(key, tuple) else (key,), strict=True))
        for key in grouped.size().index
    ]
    return codes, values


def _sum(codes: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(codes, weights=None if weights is None else weights.astype(np.float64), minlength=size)


def _reasons(n1: np.ndarray, n2: np.ndarray, groups: list[Group], by: Sequence[str], min_n: int) -> list[str]:
    """Why each group's comparison is hidden: minimum n in either wave, plus complementary suppression."""
    small = [SMALL_GROUP if min(a, b) < min_n else "" for a, b in zip(n1, n2, strict=True)]
    if not by:
        return small
    reasons = list(small)
    for counts in (n1, n2):
        present = [i for i, n in enumerate(counts) if n > 0]  # a group absent from a wave is not in its breakdown
        if not present:
            continue
        table = pd.DataFrame([dict(groups[i]) for i in present], columns=list(by)).assign(n=counts[present])
        marked = suppress(table, keys=list(by), min_n=min_n, breakdown=by[-1])[SUPPRESSED].tolist()
        for i, reason in zip(present, marked, strict=True):
            if reason == COMPLEMENTARY and not reasons[i]:
                reasons[i] = COMPLEMENTARY
    return reasons


def _waves(frame: pd.DataFrame, *names: str) -> list[np.ndarray]:
    if WAVE not in frame.columns:
        raise ValueError("the responses frame has no 'wave' column: combine at least two waves first")
    column = frame[WAVE]
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Compared on the category codes: the same masks without turning every row's label into text.
        # A declared wave with no rows in this selection (e.g. hidden for privacy) compares as "too few".
        categories = [str(category) for category in column.cat.categories]
        codes = column.cat.codes.to_numpy()
        known = set(categories)
        masks = []
        for name in names:
            if name not in known:
                raise ValueError(f"wave {name!r} is not in the responses frame (waves: {sorted(known)})")
            masks.append(np.isin(codes, [i for i, category in enumerate(categories) if category == name]))
        return masks
    labels = column.astype("string")
    known = set(labels.dropna().unique())
    masks = []
    for name in names:
        if name not in known:
            raise ValueError(f"wave {name!r} is not in the responses frame (waves: {sorted(known)})")
        masks.append(labels.eq(name).to_numpy(dtype=bool, na_value=False))
    return masks


# --- respondent-level measures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Measures:
    """Respondent-level values of every measure, rows aligned with the frame they came from."""

    leader_yes: np.ndarray | None  # 1.0 yes, 0.0 other valid answer, NaN not answered
    conditions: list[tuple[str, str]]  # (condition id, name)
    scores: np.ndarray  # respondents × conditions, NaN without a score
    favorable: np.ndarray  # respondents × conditions: favorable item responses
    answered: np.ndarray  # respondents × conditions: valid item responses
    items: list[tuple[str, str]]  # (item id, label)
    item_favorable: np.ndarray  # respondents × items: 1.0 favorable, 0.0 not, NaN not answered


def _measures(frame: pd.DataFrame, codebook: Codebook, *, include_items: bool, min_share: float) -> _Measures:
    leader_yes = None
    leader = codebook.leader
    if leader is not None and leader.item in frame.columns:
        value = item_values(frame, codebook, [leader.item])[:, 0]
        leader_yes = np.where(np.isnan(value), np.nan, (value == leader.yes).astype(np.float64))
    # Each respondent's score, favorable and valid answers per condition: the ones the dashboard stored on the
    # frame when it loaded it (scoring.with_condition_parts), else worked out from the items here.
    condition_ids, parts = respondent_parts(frame, codebook, min_share=min_share)
    conditions = [(condition_id, codebook.condition(condition_id).name) for condition_id in condition_ids]
    items: list[tuple[str, str]] = []
    item_fav = np.empty((len(frame), 0))
    if include_items:
        chosen = [
            item
            for item in codebook.items
            if item.id in frame.columns
            and codebook.scale(item.scale).ordinal
            and codebook.scale(item.scale).favorable_min is not None
        ]
        if chosen:
            values = item_values(frame, codebook, [item.id for item in chosen])
            cuts = np.array([codebook.scale(item.scale).favorable_min for item in chosen], dtype=np.float64)
            item_fav = np.where(np.isnan(values), np.nan, (values >= cuts).astype(np.float64))
            items = [(item.id, f"{item.id} “{item.text.rstrip('.')}”, percent favorable") for item in chosen]
    return _Measures(
        leader_yes=leader_yes,
        conditions=conditions,
        scores=parts["score"],
        favorable=parts["favorable"],
        answered=parts["responses"],
        items=items,
        item_favorable=item_fav,
    )


def _pooled(codes: np.ndarray, size: int, f: np.ndarray, m: np.ndarray) -> PooledMoments:
    used = m > 0
    return PooledMoments(
        n=_sum(codes, size, used.astype(np.float64)),
        f=_sum(codes, size, f),
        m=_sum(codes, size, m),
        ff=_sum(codes, size, f * f),
        fm=_sum(codes, size, f * m),
        mm=_sum(codes, size, m * m),
    )


def _mean_sd(codes: np.ndarray, size: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    valid = ~np.isnan(x)
    n = _sum(codes[valid], size)
    total = _sum(codes[valid], size, x[valid])
    squares = _sum(codes[valid], size, x[valid] ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        sd = np.sqrt(np.clip((squares - n * mean**2) / (n - 1), 0, None))
    return mean, sd, n


def _meta(measure: str, target: str, groups: list[Group]) -> list[dict]:
    return [{"measure": measure, "target": target, "group": group} for group in groups]


# --- two waves ------------------------------------------------------------------------------------------------


def _independent(
    values: _Measures, codes: np.ndarray, masks: list[np.ndarray], groups: list[Group], options: dict
) -> list[Shift]:
    size = len(groups)
    c1, c2 = codes[masks[0]], codes[masks[1]]
    by, min_n, confidence = options["by"], options["min_n"], options["confidence"]
    results: list[Shift] = []

    def binomial(yes: np.ndarray, measure: str, target: str, label: str) -> None:
        y1, y2 = yes[masks[0]], yes[masks[1]]
        v1, v2 = ~np.isnan(y1), ~np.isnan(y2)
        n1, n2 = _sum(c1[v1], size), _sum(c2[v2], size)
        k1, k2 = _sum(c1[v1], size, y1[v1]), _sum(c2[v2], size, y2[v2])
        results.extend(
            binomial_shifts(
                k1,
                n1,
                k2,
                n2,
                labels=label,
                min_n=min_n,
                confidence=confidence,
                meta=_meta(measure, target, groups),
                suppressed=_reasons(n1, n2, groups, by, min_n),
            )
        )

    if values.leader_yes is not None:
        binomial(values.leader_yes, "leader_identity", options["leader_item"], LEADER_LABEL)
    for j, (condition_id, name) in enumerate(values.conditions):
        score = values.scores[:, j]
        mean1, sd1, n1 = _mean_sd(c1, size, score[masks[0]])
        mean2, sd2, n2 = _mean_sd(c2, size, score[masks[1]])
        results.extend(
            welch_shifts(
                mean1,
                sd1,
                n1,
                mean2,
                sd2,
                n2,
                labels=f"{name}, mean score",
                min_n=min_n,
                confidence=confidence,
                meta=_meta("condition_mean", condition_id, groups),
                suppressed=_reasons(n1, n2, groups, by, min_n),
            )
        )
        f, m = values.favorable[:, j], values.answered[:, j]
        first = _pooled(c1, size, f[masks[0]], m[masks[0]])
        second = _pooled(c2, size, f[masks[1]], m[masks[1]])
        results.extend(
            pooled_shifts(
                first,
                second,
                labels=f"{name}, percent favorable",
                min_n=min_n,
                confidence=confidence,
                meta=_meta("condition_favorable", condition_id, groups),
                suppressed=_reasons(first.n, second.n, groups, by, min_n),
            )
        )
    for j, (item_id, label) in enumerate(values.items):
        binomial(values.item_favorable[:, j], "item_favorable", item_id, label)
    return results


def _linked_pairs(frame: pd.DataFrame, masks: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (wave 1, wave 2) of respondents whose ``respondent_key`` appears once in each wave."""
    if RESPONDENT_KEY not in frame.columns:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    keys = frame[RESPONDENT_KEY].astype("string").fillna("").to_numpy(dtype=object)
    positions = []
    for mask in masks:
        rows = np.flatnonzero(mask & (keys != ""))
        found = pd.Series(rows, index=keys[rows])
        # A key twice in one wave cannot be paired honestly (duplicate submission or a collision): drop it.
        positions.append(found[~found.index.duplicated(keep=False)])
    joined = pd.concat(positions, axis=1, join="inner")
    return joined.iloc[:, 0].to_numpy(dtype=np.intp), joined.iloc[:, 1].to_numpy(dtype=np.intp)


def _matched(
    values: _Measures, codes: np.ndarray, first: np.ndarray, second: np.ndarray, groups: list[Group], options: dict
) -> list[Shift]:
    size = len(groups)
    by, min_n, confidence = options["by"], options["min_n"], options["confidence"]
    # A respondent who moved between groups (e.g. changed school) belongs to neither group's matched analysis.
    same = codes[first] == codes[second]
    first, second, pair_codes = first[same], second[same], codes[first[same]]
    results: list[Shift] = []

    def binary(yes: np.ndarray, measure: str, target: str, label: str) -> None:
        before, after = yes[first], yes[second]
        both = ~np.isnan(before) & ~np.isnan(after)
        b, a, c = before[both], after[both], pair_codes[both]
        cells = [_sum(c, size, ((b == x) & (a == y)).astype(np.float64)) for x, y in ((1, 1), (1, 0), (0, 1), (0, 0))]
        pairs = sum(cells)
        results.extend(
            matched_binary_shifts(
                *cells,
                labels=label,
                min_n=min_n,
                confidence=confidence,
                meta=_meta(measure, target, groups),
                suppressed=_reasons(pairs, pairs, groups, by, min_n),
            )
        )

    if values.leader_yes is not None:
        binary(values.leader_yes, "leader_identity", options["leader_item"], LEADER_LABEL)
    for j, (condition_id, name) in enumerate(values.conditions):
        before, after = values.scores[first, j], values.scores[second, j]
        both = ~np.isnan(before) & ~np.isnan(after)
        c = pair_codes[both]
        mean_before, _, n = _mean_sd(c, size, before[both])
        mean_after, _, _ = _mean_sd(c, size, after[both])
        _, sd_diff, _ = _mean_sd(c, size, after[both] - before[both])
        results.extend(
            paired_mean_shifts(
                mean_before,
                mean_after,
                sd_diff,
                n,
                labels=f"{name}, mean score",
                min_n=min_n,
                confidence=confidence,
                meta=_meta("condition_mean", condition_id, groups),
                suppressed=_reasons(n, n, groups, by, min_n),
            )
        )
        f1, m1 = values.favorable[first, j], values.answered[first, j]
        f2, m2 = values.favorable[second, j], values.answered[second, j]
        keep = (m1 > 0) & (m2 > 0)
        c = pair_codes[keep]
        f1, m1, f2, m2 = f1[keep], m1[keep], f2[keep], m2[keep]
        n = _sum(c, size)
        with np.errstate(invalid="ignore", divide="ignore"):
            share1, share2 = _sum(c, size, f1) / _sum(c, size, m1), _sum(c, size, f2) / _sum(c, size, m2)
            mean_m1, mean_m2 = _sum(c, size, m1) / n, _sum(c, size, m2) / n
        # Linearised values (see PooledMoments.share_and_sd) per wave; their paired differences average to
        # share2 − share1 exactly, so the paired t on them respects the respondent as the unit.
        u1 = share1[c] + (f1 - share1[c] * m1) / mean_m1[c]
        u2 = share2[c] + (f2 - share2[c] * m2) / mean_m2[c]
        _, sd_diff, _ = _mean_sd(c, size, u2 - u1)
        results.extend(
            paired_mean_shifts(
                share1,
                share2,
                sd_diff,
                n,
                labels=f"{name}, percent favorable",
                min_n=min_n,
                confidence=confidence,
                proportion=True,
                meta=_meta("condition_favorable", condition_id, groups),
                suppressed=_reasons(n, n, groups, by, min_n),
            )
        )
    for j, (item_id, label) in enumerate(values.items):
        binary(values.item_favorable[:, j], "item_favorable", item_id, label)
    return results


def _role(shift: Shift, *, primary_groups: bool) -> str:
    if shift.measure == "leader_identity" and (not shift.group or primary_groups):
        return PRIMARY
    if shift.measure in ("condition_mean", "condition_favorable") and not shift.group:
        return CONDITIONS
    return EXPLORATORY


def apply_plan(
    shifts: Sequence[Shift],
    *,
    primary_groups: bool = False,
    confidence: float = 0.95,
    widened: Callable[[float], Sequence[Shift]] | None = None,
) -> list[Shift]:
    """Judge each comparison by the declared analysis plan (``docs/rules.md``, "Change between waves").

    * **Primary** — leader identity in the whole selection (and, with ``primary_groups``, in each group of the
      breakdown, e.g. cohort and comparison schools): *clear increase*, *clear decrease* or *no clear change*,
      on its own 95% interval.
    * **Conditions** — the condition comparisons of the whole selection (mean and percent favorable of the seven
      conditions, ``k`` comparisons with figures) form one family: their intervals are widened together
      (Bonferroni, each at ``1 − (1 − confidence) / k``) so that all ``k`` hold at once with ``confidence``;
      the verdict is read from the widened interval shown. ``p_adjusted`` is ``min(1, k·p)``.
    * **Exploratory** — items, and every comparison within schools, subgroups or school groups (other than the
      primary one): their own 95% interval and n, worded *likely higher*, *likely lower* or *could be no change*,
      never *clear*.

    One figure has one verdict, and the verdict always agrees with the interval shown (no "cautious" override
    by a test near the boundary).

    Parameters
    ----------
    shifts : sequence of Shift
        Comparisons computed at ``confidence``, with ``measure`` and ``group`` set.
    primary_groups : bool, default False
        Treat leader identity in every group as primary (the cohort vs comparison breakdown).
    confidence : float, default 0.95
    widened : callable, optional
        ``widened(level)`` returns the same comparisons, in the same order, computed at confidence ``level``;
        needed when the family of conditions has more than one comparison.

    Returns
    -------
    list
        The same comparisons in the same order with ``role``, ``verdict``, and for the family ``p_adjusted``,
        ``family_size`` and the widened interval set.
    """
    roles = [_role(shift, primary_groups=primary_groups) for shift in shifts]
    family = [i for i, (shift, role) in enumerate(zip(shifts, roles, strict=True)) if role == CONDITIONS]
    family = [i for i in family if shifts[i].verdict != TOO_FEW]
    k = len(family)
    wide: Sequence[Shift] | None = None
    if k > 1:
        if widened is None:
            raise ValueError("a family of several condition comparisons needs `widened` to widen its intervals")
        wide = widened(1 - (1 - confidence) / k)
    result: list[Shift] = []
    for i, (shift, role) in enumerate(zip(shifts, roles, strict=True)):
        if shift.verdict == TOO_FEW:
            result.append(replace(shift, role=role))
            continue
        if role == CONDITIONS:
            source = wide[i] if wide is not None else shift
            lo, hi = source.diff_ci
            extra = {"ratio_ci": source.ratio_ci} if isinstance(shift, ProportionShift) else {}
            result.append(
                replace(
                    shift,
                    role=role,
                    diff_ci=source.diff_ci,
                    confidence=source.confidence,
                    p_adjusted=min(1.0, k * shift.p_value) if k > 1 else NAN,
                    family_size=max(k, 1),
                    verdict=verdict_of(lo, hi, NAN, source.confidence),
                    method=f"{shift.method}; Bonferroni-widened for {k} condition comparisons"
                    if k > 1
                    else shift.method,
                    **extra,
                )
            )
        elif role == EXPLORATORY:
            result.append(replace(shift, role=role, verdict=exploratory_verdict(*shift.diff_ci)))
        else:
            result.append(replace(shift, role=role, verdict=verdict_of(*shift.diff_ci, NAN, shift.confidence)))
    return result


def _order(shifts: list[Shift], groups: list[Group]) -> tuple[Shift, ...]:
    """Group by group (in breakdown order), keeping measure order within a group."""
    rank = {group: i for i, group in enumerate(groups)}
    return tuple(sorted(shifts, key=lambda shift: rank[shift.group]))  # sorted() is stable


def compare_waves(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    from_wave: str,
    to_wave: str,
    by: Sequence[str] = (),
    min_n: int = 5,
    confidence: float = 0.95,
    items: bool = True,
    matched: bool = True,
    min_share: float = 0.5,
    primary_groups: bool = False,
) -> ShiftReport:
    """Every shift between two waves: leader identity, each condition's mean and percent favorable, each item.

    Parameters
    ----------
    frame : DataFrame
        A responses frame holding both waves (``wave`` column; see :mod:`survey_model.responses`).
    codebook : Codebook
        The instrument.
    from_wave, to_wave : str
        The earlier and the later wave (any two waves may be compared; changes are ``to − from``).
    by : sequence of str, default=()
        Breakdown columns (e.g. ``["school"]``): one comparison per group and measure. Blanks form a group
        "Not answered", as in :mod:`survey_model.scoring`.
    min_n : int, default=5
        A group with fewer respondents than this in either wave (fewer linked pairs, for the matched analysis)
        gets no figures. With ``by``, complementary suppression along ``by[-1]`` is applied as well.
    confidence : float, default=0.95
    items : bool, default=True
        Include each item's percent favorable (28 exploratory comparisons per group).
    matched : bool, default=True
        Also analyse respondents linked by ``respondent_key`` (non-empty, once per wave). A linked respondent
        whose group changed between the waves is left out of the grouped matched analysis.
    min_share : float, default=0.5
        Half-answered rule for respondent condition scores.
    primary_groups : bool, default=False
        Leader identity in each group of ``by`` is a primary comparison (cohort and comparison schools).

    Returns
    -------
    ShiftReport
        Independent comparisons and matched comparisons, each judged by :func:`apply_plan`.
    """
    if min_n < 2:
        raise ValueError(f"min_n must be at least 2, got {min_n}")
    mask1, mask2 = _waves(frame, from_wave, to_wave)
    if from_wave == to_wave:
        raise ValueError("choose two different waves to compare")
    rows = frame[mask1 | mask2]
    masks = [mask1[mask1 | mask2], mask2[mask1 | mask2]]
    codes, groups = _group_codes(rows, by)
    values = _measures(rows, codebook, include_items=items, min_share=min_share)
    options = {
        "by": tuple(by),
        "min_n": min_n,
        "confidence": confidence,
        "leader_item": codebook.leader.item if codebook.leader else "",
    }
    plan = {"primary_groups": primary_groups, "confidence": confidence}
    independent = apply_plan(
        _independent(values, codes, masks, groups, options),
        widened=lambda level: _independent(values, codes, masks, groups, {**options, "confidence": level}),
        **plan,
    )
    paired: list[Shift] = []
    first, second = _linked_pairs(rows, masks)
    if matched and len(first):
        paired = apply_plan(
            _matched(values, codes, first, second, groups, options),
            widened=lambda level: _matched(values, codes, first, second, groups, {**options, "confidence": level}),
            **plan,
        )
    return ShiftReport(
        from_wave=str(from_wave),
        to_wave=str(to_wave),
        by=tuple(by),
        shifts=_order(independent, groups),
        matched=_order(paired, groups),
        n_linked=len(first),
    )


# --- three or more waves ----------------------------------------------------------------------------------------


def trend(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    waves: Sequence[str] | None = None,
    by: Sequence[str] = (),
    min_n: int = 5,
    confidence: float = 0.95,
    items: bool = False,
    min_share: float = 0.5,
) -> pd.DataFrame:
    """Each measure's estimate and interval in each wave, for a trend line over any number of waves.

    Intervals: Wilson for leader identity and items; a t interval on respondent-level linearised values for a
    condition's pooled percent favorable (respondent as unit, as in :func:`compare_waves`); a t interval for
    condition means. Use :func:`compare_waves` on a pair of waves to say whether a change is clear.

    Parameters
    ----------
    frame : DataFrame
        A responses frame with a ``wave`` column.
    codebook : Codebook
    waves : sequence of str, optional
        Waves to include, in display order; default every wave present, in the frame's wave order.
    by, min_n, confidence, items, min_share
        As in :func:`compare_waves`.

    Returns
    -------
    DataFrame
        One row per group × measure × target × wave: the ``by`` columns, ``measure``, ``target``, ``label``,
        ``kind``, ``wave``, ``n``, ``estimate``, ``ci_lo``, ``ci_hi`` (shares in [0, 1], means in scale points)
        and ``suppressed`` (``""``, ``"small_group"`` or ``"complementary"``; figures and n are missing there),
        as from :func:`survey_model.privacy.suppress`.
    """
    if WAVE not in frame.columns:
        raise ValueError("the responses frame has no 'wave' column")
    if waves is None:
        present = {str(label) for label in frame[WAVE].dropna().unique()}
        order = list(frame[WAVE].cat.categories) if isinstance(frame[WAVE].dtype, pd.CategoricalDtype) else []
        waves = [str(w) for w in order if str(w) in present] + sorted(present - {str(w) for w in order})
    masks = _waves(frame, *waves)
    codes, groups = _group_codes(frame, by)
    values = _measures(frame, codebook, include_items=items, min_share=min_share)
    size = len(groups)
    records: list[dict] = []

    def add(measure, target, label, kind, wave, n, estimate, lo, hi) -> None:
        for g, group in enumerate(groups):
            if n[g] == 0:
                continue  # a group absent from a wave has no row (and must not trigger complementary hiding)
            records.append(
                {
                    **dict(group),
                    "measure": measure,
                    "target": target,
                    "label": label,
                    "kind": kind,
                    "wave": wave,
                    "n": int(n[g]),
                    "estimate": float(estimate[g]),
                    "ci_lo": float(lo[g]) if n[g] > 1 else np.nan,
                    "ci_hi": float(hi[g]) if n[g] > 1 else np.nan,
                }
            )

    def wilson(yes: np.ndarray, mask: np.ndarray):
        y, c = yes[mask], codes[mask]
        valid = ~np.isnan(y)
        n, k = _sum(c[valid], size), _sum(c[valid], size, y[valid])
        safe = np.maximum(n, 1)
        lo, hi = intervals.wilson_interval(k, safe, confidence=confidence)
        return n, k / safe, np.atleast_1d(lo), np.atleast_1d(hi)

    def t_interval(mean: np.ndarray, sd: np.ndarray, n: np.ndarray):
        ok = n > 1
        lo, hi = intervals.mean_interval(
            np.where(ok, np.nan_to_num(mean), 0.0),
            np.where(ok, np.nan_to_num(sd), 1.0),
            np.where(ok, n, 2.0),
            confidence=confidence,
        )
        return np.atleast_1d(lo), np.atleast_1d(hi)

    for wave, mask in zip(waves, masks, strict=True):
        if values.leader_yes is not None:
            n, share, lo, hi = wilson(values.leader_yes, mask)
            leader_item = codebook.leader.item if codebook.leader else ""
            add("leader_identity", leader_item, LEADER_LABEL, "proportion", wave, n, share, lo, hi)
        for j, (condition_id, name) in enumerate(values.conditions):
            mean, sd, n = _mean_sd(codes[mask], size, values.scores[mask, j])
            lo, hi = t_interval(mean, sd, n)
            add("condition_mean", condition_id, f"{name}, mean score", "mean", wave, n, mean, lo, hi)
            moments = _pooled(codes[mask], size, values.favorable[mask, j], values.answered[mask, j])
            share, sd = moments.share_and_sd()
            lo, hi = t_interval(share, sd, moments.n)
            lo, hi = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
            label = f"{name}, percent favorable"
            add("condition_favorable", condition_id, label, "proportion", wave, moments.n, share, lo, hi)
        for j, (item_id, label) in enumerate(values.items):
            n, share, lo, hi = wilson(values.item_favorable[:, j], mask)
            add("item_favorable", item_id, label, "proportion", wave, n, share, lo, hi)
    columns = [*by, "measure", "target", "label", "kind", "wave", "n", "estimate", "ci_lo", "ci_hi"]
    table = pd.DataFrame.from_records(records, columns=columns)
    keys = [*by, "measure", "target", "label", "kind", "wave"]
    return suppress(table, keys=keys, min_n=min_n, breakdown=by[-1] if by else None)


__all__ = [
    "LEADER_LABEL",
    "MEASURES",
    "MeanShift",
    "ProportionShift",
    "ShiftReport",
    "apply_plan",
    "compare_waves",
    "trend",
]
