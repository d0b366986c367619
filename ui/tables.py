"""Tables formatted for display: readable headers, rounded percentages, hidden rows spelled out."""

from __future__ import annotations

import pandas as pd

from survey_model.privacy import SUPPRESSED, hidden_message
from survey_model.shifts import DisplayedChange, ShiftReport, displayed_change, round_half_away, signed

#: What the school groups mean, wherever a page names them.
COHORT_NOTE = (
    "*Cohort* schools take part in the collective-leadership work; *comparison* schools do not (staff mark them "
    "on the Manage data page)."
)


def conditions(table: pd.DataFrame, *, min_n: int) -> pd.DataFrame:
    """The condition summary as a display table; hidden rows say why instead of showing numbers."""
    shown = table[SUPPRESSED] == ""
    out = pd.DataFrame(
        {
            "Condition": table["condition_name"],
            "Group": table["group_name"].str.replace(" conditions", "", regex=False),
            "n": table["n"].astype("Int64").astype("string"),
            "Favorable": _pct(table["pct_favorable"]),
            "Neutral": _pct(table["pct_neutral"]),
            "Unfavorable": _pct(table["pct_unfavorable"]),
            "Stage": table["stage"],
            "Mean (1–5)": table["mean"].astype("Float64").map(lambda x: f"{x:.2f}", na_action="ignore"),
        }
    )
    figures = [column for column in out.columns if column not in ("Condition", "Group")]
    out.loc[~shown.to_numpy(), figures] = ""
    out.loc[~shown.to_numpy(), "Stage"] = hidden_message(min_n)
    return out.reset_index(drop=True)


def _pct(series: pd.Series) -> pd.Series:
    """Whole percent, rounded half away from zero like the impact statements (pandas rounds half to even)."""
    return series.astype("Float64").map(lambda x: f"{round_half_away(x)}%", na_action="ignore").astype("string")


def shift_rows(report: ShiftReport, *, matched: bool = False) -> pd.DataFrame:
    """A shift report as one row per comparison (see :meth:`survey_model.shifts.ShiftReport.to_frame`)."""
    return report.to_frame(matched=matched)


def statements(report: ShiftReport, *, measure: str, matched: bool = False) -> list[str]:
    """The worded statements of one measure in a shift report (hidden ones say "too few responses")."""
    rows = report.to_frame(matched=matched)
    return rows.loc[rows["measure"] == measure, "statement"].astype(str).tolist()


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


def _displayed(row: pd.Series) -> DisplayedChange:
    kind = "mean" if row["kind"] == "mean" else "proportion"
    return displayed_change(row["estimate1"], row["estimate2"], row["diff_lo"], row["diff_hi"], kind=kind)


def displayed_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Shown comparisons with ``estimate1``, ``estimate2`` and ``diff`` rounded as the statements show them.

    For charts whose labels and tooltips print these columns: a tooltip then reads "32 → 43, +11", like the
    statement, instead of a change computed from unrounded shares ("+10"). Shares stay in [0, 1]; the interval,
    verdict and p-values are left as computed.
    """
    shown = rows[SUPPRESSED] == ""
    if not shown.any():
        return rows
    out = rows.copy()
    for index in rows.index[shown.to_numpy()]:
        figures = _displayed(rows.loc[index])
        scale = 100 if figures.percent else 1
        out.loc[index, ["estimate1", "estimate2", "diff"]] = [
            figures.before / scale,
            figures.after / scale,
            figures.change / scale,
        ]
    return out


def _each_shown(part: pd.DataFrame, shown: pd.Series, cell) -> list[str]:
    return [cell(row) if visible else "" for (_, row), visible in zip(part.iterrows(), shown, strict=True)]


def shift_table(rows: pd.DataFrame, *, measures: tuple[str, ...]) -> pd.DataFrame:
    """Changes as partners read them: before, after, change with its 95% interval, n and the verdict.

    Levels are rounded as shown (whole percent, means to two decimals) and the change is their difference, so the
    row adds up; the interval and the verdict come from the unrounded figures. Hidden comparisons keep their label
    and say "Too few responses to say" instead of any figure. Effect sizes, p-values and relative changes are in
    :func:`shift_statistics`.
    """
    part = rows[rows["measure"].isin(measures)].reset_index(drop=True)
    shown = part[SUPPRESSED] == ""

    def change(row: pd.Series) -> str:
        figures = _displayed(row)
        if figures.percent:
            return f"{figures.points_text} ({figures.interval_text})"
        return f"{'no change' if figures.unchanged else figures.change_text} ({figures.interval_text})"

    return pd.DataFrame(
        {
            "Measure": part["label"],
            "Earlier": _each_shown(part, shown, lambda row: _displayed(row).before_text),
            "Later": _each_shown(part, shown, lambda row: _displayed(row).after_text),
            "Change (95% CI)": _each_shown(part, shown, change),
            "n earlier": part["n1"].astype("string").fillna(""),
            "n later": part["n2"].astype("string").fillna(""),
            "Verdict": part["verdict"].where(shown, "Too few responses to say"),
        }
    )


def _p(value: float) -> str:
    return "" if pd.isna(value) else ("< 0.001" if value < 0.001 else f"{value:.3f}")


def shift_statistics(rows: pd.DataFrame, *, measures: tuple[str, ...]) -> pd.DataFrame:
    """The statistics behind :func:`shift_table`, for analysts: unrounded change, relative change, effect size,
    p and the false-discovery-rate adjusted p, one row per comparison in the same order."""
    part = rows[rows["measure"].isin(measures)].reset_index(drop=True)
    shown = part[SUPPRESSED] == ""

    def change(row: pd.Series) -> str:
        if row["kind"] == "mean":
            low, high = signed(row["diff_lo"], 3), signed(row["diff_hi"], 3)
            return f"{signed(row['diff'], 3)} ({low} to {high})"
        low, high = signed(100 * row["diff_lo"], 2), signed(100 * row["diff_hi"], 2)
        return f"{signed(100 * row['diff'], 2)} points ({low} to {high})"

    def relative(row: pd.Series) -> str:
        if row["kind"] == "mean" or pd.isna(row["ratio"]):
            return ""
        low, high = signed(100 * (row["ratio_lo"] - 1), 0), signed(100 * (row["ratio_hi"] - 1), 0)
        return f"{signed(100 * (row['ratio'] - 1), 0)}% ({low}% to {high}%)"

    def effect(row: pd.Series) -> str:
        return "" if pd.isna(row["effect_size"]) else f"{row['effect_size_name']} {signed(row['effect_size'], 2)}"

    return pd.DataFrame(
        {
            "Measure": part["label"],
            "Change, unrounded (95% CI)": _each_shown(part, shown, change),
            "Relative change (95% CI)": _each_shown(part, shown, relative),
            "Effect size": _each_shown(part, shown, effect),
            "p": _each_shown(part, shown, lambda row: _p(row["p_value"])),
            "Adjusted p": _each_shown(part, shown, lambda row: _p(row["p_adjusted"])),
            "Verdict": part["verdict"].where(shown, "Too few responses to say"),
        }
    )
