"""Overview: the Collective Leadership Index, leader identity and the conditions at a glance."""

import streamlit as st

from survey_model import charts, privacy
from survey_model.privacy import hidden_message, selection_hidden_message
from survey_model.shifts.statements import shown_difference
from ui import data, display, network, rates, state, tables

filters = state.current()
st.title("Overview")
if filters is None:
    st.info("No survey waves are stored yet. Staff can add one on the **Upload a wave** page.")
    st.stop()

org = data.org_data(filters.org)
view = data.overview(filters.org, filters.wave, filters.restriction)
min_n = data.settings().min_n
st.caption(f"{org.codebook.name} · {filters.describe()}")

if view.hidden:
    st.warning(selection_hidden_message(min_n))
    st.stop()


def wave_row(table, wave):
    """The row of a per-wave table for one wave, or None when that wave is hidden or absent."""
    rows = privacy.shown(table, wave=wave)
    return None if rows.empty else rows.iloc[0]


now, before = wave_row(view.index, filters.wave), wave_row(view.index, filters.compare)
columns = st.columns(3)
columns[0].metric(
    "Collective Leadership Index",
    "—" if now is None else f"{now['index']:.0f}",
    delta=None if now is None or before is None else f"{shown_difference(before['index'], now['index'])} points",
    delta_color="off",  # grey: whether a change is clear is said below, with its interval
    help="Mean of the conditions' percent favorable, each condition weighted equally (0–100).",
)
if view.leader is not None:
    lead_now, lead_before = wave_row(view.leader, filters.wave), wave_row(view.leader, filters.compare)
    columns[1].metric(
        "See themselves as leaders",
        "—" if lead_now is None else f"{100 * lead_now['share_yes']:.0f}%",
        delta=None
        if lead_now is None or lead_before is None
        else f"{shown_difference(100 * lead_before['share_yes'], 100 * lead_now['share_yes'])} points",
        delta_color="off",
        help="Share answering Yes to 'Do you consider yourself a leader in your school?' among valid answers. "
        "'Not sure' counts as a valid answer that is not Yes.",
    )
columns[2].metric("Respondents", f"{view.respondents:,}", help="Educators in this selection and wave.")
rates.show_selection_rate(filters)
network.show_headline(filters)
if filters.compare:
    if view.leader is not None:
        st.markdown(f"**{data.leader_statement(filters.org, filters.compare, filters.wave, filters.restriction)}**")
    st.caption(
        f"Changes are in percentage points since {filters.compare}. Every change, with its interval, n and whether "
        "it is clear or within the noise, is on the **Shifts** page."
    )
if now is not None:
    group_parts = [f"{name}: {now[f'index_{gid}']:.0f}" for gid, name in org.codebook.groups.items()]
    if group_parts:
        st.caption(
            " · ".join(group_parts) + f" (index points, 0–100; n = {now['n']:,}, the fewest respondents with a score "
            "on any one condition, which can be below the respondents above)"
        )

display.chart(
    charts.condition_favorable_bars(
        privacy.shown(view.conditions),
        subtitle=f"{filters.wave}. Dashed lines: stage band edges (project defaults 50 / 70 / 85).",
    )
)
st.dataframe(tables.conditions(view.conditions, min_n=min_n), hide_index=True, width="stretch")

if view.leader is not None:
    shown = privacy.shown(view.leader)
    if not shown.empty:
        display.chart(
            charts.leader_share_by_wave(
                shown,
                subtitle="Every wave of this selection. Black lines: 95% interval; n and counts in the tooltip "
                "and on the Leader identity page.",
            )
        )
    hidden = privacy.hidden(view.leader)
    for wave in hidden["wave"]:
        st.caption(f"Leader identity in {wave}: {hidden_message(min_n)}.")

if not (filters.school or filters.school_level or filters.role):
    rates.show_school_rates(filters)

with st.expander("How these numbers are calculated"):
    st.markdown(
        "- **Percent favorable**: share of valid answers that are *Agree* or *Strongly agree*, after negatively "
        "worded items are reversed. *Don't know*, *N/A* and *Prefer not to answer* are left out and counted "
        "separately.\n"
        "- **Condition mean**: each respondent's mean of the answered items (when at least half were answered), "
        "averaged over respondents; n counts those respondents.\n"
        "- **Stage bands** are project defaults, not a published rubric: Emerging below 50, Developing 50–69, "
        "Established 70–84, Sustaining 85 and above.\n"
        "- **Response rate**: respondents over the educators on the wave's roster (given by staff), for the "
        "organization and for each school large enough to be shown on its own.\n"
        f"- **Confidentiality**: no figure describes fewer than {min_n} respondents; when one group is hidden, "
        "the next smallest is hidden too so it cannot be worked out by subtraction."
    )
