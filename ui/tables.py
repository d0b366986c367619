"""Tables formatted for display: readable headers, rounded percentages, hidden rows spelled out."""

from __future__ import annotations

import pandas as pd

from survey_model.privacy import SUPPRESSED, hidden_message


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
