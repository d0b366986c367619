"""Tables formatted for display: readable headers, rounded percentages, hidden rows spelled out."""

from __future__ import annotations

import pandas as pd

from survey_model.privacy import SUPPRESSED, hidden_message
from survey_model.shifts import ShiftReport


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
    return series.astype("Float64").round(0).astype("Int64").astype("string") + "%"


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


def shift_table(rows: pd.DataFrame, *, measures: tuple[str, ...]) -> pd.DataFrame:
    """Changes as a display table: estimates, change with interval, relative change, n, verdict — never a bare marker.

    Hidden comparisons keep their label and say "Too few responses to say" instead of any figure.
    """
    part = rows[rows["measure"].isin(measures)].reset_index(drop=True)
    means = part["kind"] == "mean"
    shown = part[SUPPRESSED] == ""

    def level(value: float, is_mean: bool) -> str:
        return f"{value:.2f}" if is_mean else f"{100 * value:.0f}%"

    def change(row: pd.Series) -> str:
        if row["kind"] == "mean":
            return f"{row['diff']:+.2f} ({row['diff_lo']:+.2f} to {row['diff_hi']:+.2f})"
        return f"{100 * row['diff']:+.0f} pts ({100 * row['diff_lo']:+.0f} to {100 * row['diff_hi']:+.0f})"

    def relative(row: pd.Series) -> str:
        if row["kind"] == "mean" or pd.isna(row["ratio"]):
            return ""
        low, high = 100 * (row["ratio_lo"] - 1), 100 * (row["ratio_hi"] - 1)
        return f"{100 * (row['ratio'] - 1):+.0f}% ({low:+.0f}% to {high:+.0f}%)"

    out = pd.DataFrame(
        {
            "Measure": part["label"],
            "Earlier": [level(v, m) if s else "" for v, m, s in zip(part["estimate1"], means, shown, strict=True)],
            "Later": [level(v, m) if s else "" for v, m, s in zip(part["estimate2"], means, shown, strict=True)],
            "Change (95% CI)": [change(r) if s else "" for (_, r), s in zip(part.iterrows(), shown, strict=True)],
            "Relative change (95% CI)": [
                relative(r) if s else "" for (_, r), s in zip(part.iterrows(), shown, strict=True)
            ],
            "n earlier": part["n1"].astype("string").fillna(""),
            "n later": part["n2"].astype("string").fillna(""),
            "Effect size": [
                f"{r['effect_size_name']} {r['effect_size']:+.2f}" if s and pd.notna(r["effect_size"]) else ""
                for (_, r), s in zip(part.iterrows(), shown, strict=True)
            ],
            "p (adjusted)": [f"{p:.3f}" if s else "" for p, s in zip(part["p_adjusted"], shown, strict=True)],
            "Verdict": part["verdict"].where(shown, "Too few responses to say"),
        }
    )
    return out
