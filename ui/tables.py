"""Tables formatted for display: readable headers, rounded percentages, hidden rows spelled out; the Shifts page's
tables cached per organization and data version (built by :mod:`survey_model.shifts.display`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from survey_model.privacy import SUPPRESSED, hidden_message
from survey_model.release import SCHOOL_GROUP
from survey_model.shifts import ShiftReport, round_half_away
from survey_model.shifts.display import ShiftsPage, measure_statements, shifts_page

#: What the school groups mean, wherever a page names them.
COHORT_NOTE = (
    "*Cohort* schools take part in the collective-leadership work; *comparison* schools do not (staff mark them "
    "on the Manage data page)."
)


#: The longest condition header in a wide table; a longer first word is cut with a full stop ("Relati.").
HEADER_LETTERS = 8


def short_headers(names: list[str]) -> dict[str, str]:
    """Each condition name's header in a wide table: its first word ("Vision" for "Vision and strategy"), cut.

    Seven full names side by side do not fit 1280 px; the full name is the column's help text. Names whose first
    words would collide keep their full name.
    """
    first = [name.split()[0] if name.split() else name for name in names]
    first = [word if len(word) <= HEADER_LETTERS else f"{word[: HEADER_LETTERS - 2]}." for word in first]
    return {name: word if first.count(word) == 1 else name for name, word in zip(names, first, strict=True)}


def condition_columns(names: list[str], *, width: int, **number: object) -> dict[str, object]:
    """Column configuration for one numeric column per condition: a short header, the full name as help."""
    return {
        name: st.column_config.NumberColumn(header, help=name, width=width, **number)
        for name, header in short_headers(names).items()
    }


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


def statements(report: ShiftReport, *, measure: str, matched: bool = False) -> list[str]:
    """The worded statements of one measure in a shift report (hidden ones say "too few responses")."""
    return measure_statements(report.to_frame(matched=matched), measure=measure)


@st.cache_data(max_entries=64, show_spinner=False)
def _shifts_page(
    org: str,
    version: str,
    from_wave: str,
    to_wave: str,
    restriction: tuple[tuple[str, str | None], ...],
    compare_by: str = SCHOOL_GROUP,
) -> ShiftsPage:
    from ui import data  # ui.data imports statements() from here: import it when first needed

    return shifts_page(data.shifts(org, from_wave, to_wave, dict(restriction), compare_by))


def shifts(
    org: str, from_wave: str, to_wave: str, restriction: dict[str, str | None], compare_by: str = SCHOOL_GROUP
) -> ShiftsPage:
    """The Shifts page's display tables for the current selection, cached per organization and data version.

    A rerun with the same filters reads them from the cache instead of formatting thousands of school × condition
    rows again.
    """
    from ui import data

    version = data.version(org)
    return _shifts_page(org, version, from_wave, to_wave, tuple(sorted(restriction.items())), compare_by)
