"""Response rates on the pages: the selection's rate under its headline figures, and the rate of every school."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from survey_model.plurals import counted
from survey_model.roster import ResponseRate, ResponseRates, low_response_warning, rate_text
from ui import data
from ui.state import Filters

__all__ = ["school_rates_table", "selection_rate", "show_school_rates", "show_selection_rate", "with_rates"]


def selection_rate(filters: Filters, rates: ResponseRates) -> tuple[ResponseRate | None, str]:
    """The rate of what the filters select (the organization, or one school), and why there is none otherwise."""
    if filters.school_level or filters.role:
        return None, "Response rates are given for the organization and for each school, not for a level or a role."
    if filters.school:
        rate = rates.schools.get(filters.school)
        if rate is None:
            return None, (
                f"{filters.school} has no response rate of its own: either no roster gives its educators, or it "
                "is pooled with other small schools (its rate would give away how few answered)."
            )
        return rate, ""
    if rates.organization is None:
        return None, "No roster is stored for this wave, so there is no response rate (staff add one on Manage data)."
    return rates.organization, ""


def show_selection_rate(filters: Filters, *, wave: str | None = None) -> None:
    """Say the selection's response rate (in ``wave``, default the chosen one); a warning when it is low."""
    wave = wave or filters.wave
    rates = data.rates(filters.org, wave)
    threshold = data.settings().low_response_rate
    rate, why = selection_rate(filters, rates)
    if rate is None:
        st.caption(why)
        return
    who = filters.school or "The organization"
    if wave != filters.wave:
        who = f"{who} in {wave}"
    if rate.low(threshold):
        st.warning(f"**{who}: {rate_text(rate, threshold=threshold)}.**", icon=":material/warning:")
    else:
        st.caption(f"{who}: {rate_text(rate, threshold=threshold)}.")


def school_rates_table(rates: ResponseRates, *, threshold: float) -> pd.DataFrame:
    """The organization's and each published school's rate, as shown: whole percents and a plain-word flag."""
    rows = []
    if rates.organization is not None:
        rows.append(("Whole organization", rates.organization))
    rows.extend(sorted(rates.schools.items()))
    return pd.DataFrame(
        {
            "School": [name for name, _ in rows],
            "Respondents": [rate.respondents for _, rate in rows],
            "Educators": [rate.staff for _, rate in rows],
            "Response rate": [round(100 * rate.rate) for _, rate in rows],
            "Note": [low_response_warning(threshold) if rate.low(threshold) else "" for _, rate in rows],
        }
    )


def show_school_rates(filters: Filters) -> None:
    """The Overview's table of response rates by school for the wave, with what it leaves out."""
    rates = data.rates(filters.org, filters.wave)
    threshold = data.settings().low_response_rate
    if rates.organization is None and not rates.schools:
        return
    st.subheader("Response rates")
    table = school_rates_table(rates, threshold=threshold)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"Response rate": st.column_config.NumberColumn("Response rate", format="%d%%")},
    )
    note = (
        f"{filters.wave}: respondents over the educators on the wave's roster. Under "
        f"{round(100 * threshold)}% the people who answered may not speak for the rest: read with care."
    )
    if rates.without_rate:
        note += (
            f" {counted(rates.without_rate, 'school')} on the roster {'has' if rates.without_rate == 1 else 'have'} "
            f"no rate of its own: pooled with other small schools (fewer than {data.settings().min_n} respondents) "
            "or without respondents; they count in the organization's rate."
        )
    st.caption(note)


def with_rates(matrix: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The Schools grid with each school's response rate (whole percent; empty where it has none) after its name,
    and the read-with-care warning in its Note when the rate is low."""
    rates = data.rates(filters.org, filters.wave)
    threshold = data.settings().low_response_rate
    schools = matrix["School"].astype(str)
    shown = [rates.schools.get(name) for name in schools]
    out = matrix.copy()
    out.insert(1, "Response rate", pd.array([None if r is None else round(100 * r.rate) for r in shown], "Int64"))
    if "Note" in out.columns:
        flags = [low_response_warning(threshold) if r is not None and r.low(threshold) else "" for r in shown]
        notes = out["Note"].fillna("").astype(str)
        out["Note"] = [f"{n}; {f}" if n and f else (n or f) for n, f in zip(notes, flags, strict=True)]
    return out
