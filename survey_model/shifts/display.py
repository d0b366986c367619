"""Display tables of a shift report: the rows a page, a chart or an export shows, built column-wise.

A report by school has one row per school × measure (2,800 rows for 400 schools); the tables here are built from
whole columns at once, never with a pandas operation per row. The rounding of each shown figure still goes
through :func:`~survey_model.shifts.statements.displayed_change`, called on plain floats, so a table, a chart
label and a statement can never round differently (the rules live in one place; at 2,800 rows that costs about
20 ms).

Input frames are :meth:`~survey_model.shifts.ShiftReport.to_frame` tables (columns :data:`REPORT_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from survey_model.shifts.statements import DisplayedChange, displayed_change, signed

if TYPE_CHECKING:  # the dashboard imports this package; only the type is needed here
    from survey_model.dashboard import ShiftsView

__all__ = [
    "HIDDEN_VERDICT",
    "ROLE_WORDS",
    "ShiftsPage",
    "all_hidden",
    "displayed_rows",
    "measure_statements",
    "shift_statistics",
    "shift_table",
    "shifts_page",
    "shown_shifts",
    "trend_rows",
]

SUPPRESSED = "suppressed"
"""The report column that names why a comparison is hidden (``""`` when shown)."""
HIDDEN_VERDICT = "Too few responses to say"
"""What a table says in the verdict column of a hidden comparison."""
_FAVORABLE_SUFFIX = ", percent favorable"
MAIN = ("leader_identity", "condition_favorable", "condition_mean")
ROLE_WORDS = {
    "primary": "primary measure (95% interval)",
    "conditions": "conditions' family (widened interval)",
    "exploratory": "exploratory (95% interval)",
}
"""The analysis plan's roles in analysts' words."""
"""Measures in the table above the items."""


def all_hidden(rows: pd.DataFrame) -> bool:
    """True when privacy rules hide every comparison of a shift report."""
    return bool((rows[SUPPRESSED] != "").all())


def shown_shifts(rows: pd.DataFrame, *, measure: str) -> pd.DataFrame:
    """Comparisons of one measure that privacy rules allow to be shown."""
    return rows[(rows["measure"] == measure) & (rows[SUPPRESSED] == "")].reset_index(drop=True)


def trend_rows(table: pd.DataFrame | None, *, measure: str) -> pd.DataFrame:
    """Shown per-wave estimates of one measure from :func:`survey_model.shifts.trend`."""
    if table is None:
        return pd.DataFrame()
    return table[(table["measure"] == measure) & (table[SUPPRESSED] == "")].reset_index(drop=True)


def measure_statements(rows: pd.DataFrame, *, measure: str) -> list[str]:
    """The worded statements of one measure (hidden ones say "too few responses")."""
    return rows.loc[rows["measure"] == measure, "statement"].astype(str).tolist()


def _figures(part: pd.DataFrame, shown: np.ndarray) -> list[DisplayedChange | None]:
    """:func:`displayed_change` of each shown row (``None`` where hidden), from the columns as plain floats."""
    kinds = np.where(part["kind"].to_numpy() == "mean", "mean", "proportion")
    columns = [part[name].to_numpy(dtype=np.float64, na_value=np.nan) for name in ("estimate1", "estimate2")]
    columns += [part[name].to_numpy(dtype=np.float64, na_value=np.nan) for name in ("diff_lo", "diff_hi")]
    return [
        displayed_change(e1, e2, lo, hi, kind=kind) if visible else None
        for e1, e2, lo, hi, kind, visible in zip(*columns, kinds, shown, strict=True)
    ]


def displayed_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Shown comparisons with ``estimate1``, ``estimate2`` and ``diff`` rounded as the statements show them.

    For charts whose labels and tooltips print these columns: a tooltip then reads "32 → 43, +11", like the
    statement, instead of a change computed from unrounded shares ("+10"). Shares stay in [0, 1]; the interval,
    verdict and p-values are left as computed. Hidden rows are left as they are.
    """
    shown = (rows[SUPPRESSED] == "").to_numpy()
    if not shown.any():
        return rows
    figures = _figures(rows, shown)
    out = rows.copy()
    for column, value in (("estimate1", "before"), ("estimate2", "after"), ("diff", "change")):
        values = out[column].to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        for position, shown_figures in enumerate(figures):
            if shown_figures is not None:
                values[position] = getattr(shown_figures, value) / (100 if shown_figures.percent else 1)
        out[column] = values
    return out


def _column(figures: Sequence[object | None], cell: Callable[[object], str]) -> list[str]:
    return ["" if value is None else cell(value) for value in figures]


def _part(rows: pd.DataFrame, measures: tuple[str, ...]) -> tuple[pd.DataFrame, np.ndarray]:
    part = rows[rows["measure"].isin(measures)].reset_index(drop=True)
    return part, (part[SUPPRESSED] == "").to_numpy()


def shift_table(rows: pd.DataFrame, *, measures: tuple[str, ...]) -> pd.DataFrame:
    """Changes as partners read them: before, after, change with its likely range, n and the verdict.

    Levels are rounded as shown (whole percent, means to two decimals) and the change is their difference, so the
    row adds up; the interval and the verdict come from the unrounded figures. Hidden comparisons keep their label
    and say "Too few responses to say" instead of any figure. Effect sizes, p-values and relative changes are in
    :func:`shift_statistics`.
    """
    part, shown = _part(rows, measures)
    figures = _figures(part, shown)

    def change(shown_figures: DisplayedChange) -> str:
        if shown_figures.percent:
            return f"{shown_figures.points_text} ({shown_figures.interval_text})"
        words = "no change" if shown_figures.unchanged else shown_figures.change_text
        return f"{words} ({shown_figures.interval_text})"

    return pd.DataFrame(
        {
            "Measure": part["label"],
            "Earlier": _column(figures, lambda f: f.before_text),
            "Later": _column(figures, lambda f: f.after_text),
            "Change (likely range)": _column(figures, change),
            "n earlier": part["n1"].astype("string").fillna(""),
            "n later": part["n2"].astype("string").fillna(""),
            "Verdict": part["verdict"].where(shown, HIDDEN_VERDICT),
        }
    )


def _p(value: float) -> str:
    return "" if np.isnan(value) else ("< 0.001" if value < 0.001 else f"{value:.3f}")


def shift_statistics(rows: pd.DataFrame, *, measures: tuple[str, ...]) -> pd.DataFrame:
    """The statistics behind :func:`shift_table`, for analysts: unrounded change with the interval its verdict is
    read from, relative change, effect size, p and the Bonferroni-adjusted p of the conditions' family, one row
    per comparison in the same order."""
    part, shown = _part(rows, measures)
    names = ("diff", "diff_lo", "diff_hi", "ratio", "ratio_lo", "ratio_hi", "effect_size", "p_value", "p_adjusted")
    floats = {name: part[name].to_numpy(dtype=np.float64, na_value=np.nan) for name in names}
    means = (part["kind"] == "mean").to_numpy()
    effect_names = part["effect_size_name"].astype(str).tolist()
    # One tuple of plain floats per shown row; None where hidden.
    records = [
        (index, means[index], *(floats[name][index] for name in names)) if visible else None
        for index, visible in enumerate(shown)
    ]

    def change(record: tuple) -> str:
        _, mean, diff, low, high = record[:5]
        if mean:
            return f"{signed(diff, 3)} ({signed(low, 3)} to {signed(high, 3)})"
        return f"{signed(100 * diff, 2)} points ({signed(100 * low, 2)} to {signed(100 * high, 2)})"

    def relative(record: tuple) -> str:
        _, mean, _, _, _, ratio, ratio_lo, ratio_hi = record[:8]
        if mean or np.isnan(ratio):
            return ""
        low, high = signed(100 * (ratio_lo - 1), 0), signed(100 * (ratio_hi - 1), 0)
        return f"{signed(100 * (ratio - 1), 0)}% ({low}% to {high}%)"

    def effect(record: tuple) -> str:
        size = record[8]
        return "" if np.isnan(size) else f"{effect_names[record[0]]} {signed(size, 2)}"

    return pd.DataFrame(
        {
            "Measure": part["label"],
            "Change, unrounded (interval)": _column(records, change),
            "Relative change (interval)": _column(records, relative),
            "Effect size": _column(records, effect),
            "p": _column(records, lambda record: _p(record[9])),
            "Adjusted p": _column(records, lambda record: _p(record[10])),
            "Judged as": (part["role"] if "role" in part else pd.Series("", index=part.index))
            .map(ROLE_WORDS)
            .fillna("")
            .where(shown, ""),
            "Verdict": part["verdict"].where(shown, HIDDEN_VERDICT),
        }
    )


def _without_favorable_suffix(rows: pd.DataFrame) -> pd.DataFrame:
    """Labels of percent-favorable rows without ", percent favorable" (the chart's title says it)."""
    if rows.empty:
        return rows
    return rows.assign(label=rows["label"].str.replace(_FAVORABLE_SUFFIX, "", regex=False))


@dataclass(frozen=True)
class ShiftsPage:
    """Everything the Shifts page draws for one selection and pair of waves, as display-ready tables and text."""

    headline: str | None
    """The leader-identity statement, or ``None`` when the codebook has no leader item."""
    matched_headline: str | None
    """The same among educators linked across both waves (``None`` when no one is linked)."""
    group_statements: list[str] | None
    """Leader identity in cohort and comparison schools (``None`` when no schools are marked)."""
    group_lines: pd.DataFrame
    """Per-wave leader identity by school group, shown rows only (empty when none)."""
    favorable: pd.DataFrame
    """Shown percent-favorable changes, rounded as displayed, labels without ", percent favorable"."""
    trend_lines: pd.DataFrame
    """Shown per-wave percent favorable over every wave, labels shortened likewise."""
    school_cells: pd.DataFrame | None
    """Shown percent-favorable changes per school, rounded as displayed (``None`` when one school is chosen)."""
    all_hidden: bool
    """True when privacy rules hide every comparison."""
    main_table: pd.DataFrame
    """:func:`shift_table` of leader identity and the conditions."""
    item_table: pd.DataFrame
    """:func:`shift_table` of every item."""
    statistics: pd.DataFrame
    """:func:`shift_statistics` of every comparison on the page."""
    statements: list[str]
    """Every comparison's plain-language statement."""
    family_size: int
    """Condition comparisons judged together (their intervals widened together, Bonferroni)."""
    compare_by: str = "school_group"
    """The column :attr:`group_statements` and :attr:`group_lines` compare schools by (``school_group`` or a school
    list attribute ``school:<name>``)."""


def shifts_page(view: ShiftsView) -> ShiftsPage:
    """The Shifts page's tables and statements from a :class:`survey_model.dashboard.ShiftsView`."""
    report = view.report.to_frame()
    headline = measure_statements(report, measure="leader_identity")
    matched = measure_statements(view.report.to_frame(matched=True), measure="leader_identity") if headline else []
    group_statements = group_lines = None
    if view.by_group is not None:
        group_statements = measure_statements(view.by_group.to_frame(), measure="leader_identity")
    group_lines = trend_rows(view.group_trend, measure="leader_identity")
    school_cells = None
    if view.by_school is not None:
        by_school = view.by_school.to_frame(statements=False)
        school_cells = _without_favorable_suffix(displayed_rows(shown_shifts(by_school, measure="condition_favorable")))
    return ShiftsPage(
        headline=headline[0] if headline else None,
        matched_headline=matched[0] if matched and view.report.n_linked else None,
        group_statements=group_statements,
        group_lines=group_lines,
        favorable=_without_favorable_suffix(displayed_rows(shown_shifts(report, measure="condition_favorable"))),
        trend_lines=_without_favorable_suffix(trend_rows(view.trend, measure="condition_favorable")),
        school_cells=school_cells,
        all_hidden=all_hidden(report),
        main_table=shift_table(report, measures=MAIN),
        item_table=shift_table(report, measures=("item_favorable",)),
        statistics=shift_statistics(report, measures=(*MAIN, "item_favorable")),
        statements=report["statement"].astype(str).tolist(),
        family_size=next((s.family_size for s in view.report.shifts if s.role == "conditions"), 0),
        compare_by=view.compare_by,
    )
