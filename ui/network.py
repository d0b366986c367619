"""The network beside the partner on the results pages: pooled figures and the partner's position, no names."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from survey_model.access import STAFF
from survey_model.network import MIN_ORGANIZATIONS, NetworkFigures
from survey_model.plurals import counted
from ui import auth, data
from ui.state import Filters

__all__ = [
    "figures_for",
    "ordinal",
    "position_words",
    "show_condition",
    "show_headline",
    "show_leader_share",
    "side_by_side",
    "staff_section",
]


def ordinal(rank: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th'."""
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def position_words(figures: NetworkFigures, measure: str, what: str) -> str:
    """The partner's position in words, e.g. '2nd highest index of 5 organizations'; '' when not shown."""
    if measure not in figures.position:
        return ""
    rank, of = figures.position[measure]
    return f"{ordinal(rank)} highest {what} of {of} organizations"


def figures_for(filters: Filters) -> NetworkFigures | None:
    """The network figures beside the selection: only for the whole organization (no school, level or role)."""
    if filters.school or filters.school_level or filters.role:
        return None
    return data.network(filters.org, filters.wave)


def _about(figures: NetworkFigures) -> str:
    return (
        f"Network *{figures.network}* in {figures.wave}: {counted(figures.organizations, 'organization')} and "
        f"{figures.respondents:,} respondents pooled; no organization is named."
    )


def show_headline(filters: Filters) -> None:
    """The Overview's row of network figures beside the organization's own, with its position."""
    figures = figures_for(filters)
    if figures is None:
        if data.store().network_of(filters.org) and not (filters.school or filters.school_level or filters.role):
            st.caption(
                f"Your network's pooled figures show once at least {MIN_ORGANIZATIONS} of its organizations each "
                f"have {data.settings().min_n} or more respondents in {filters.wave}."
            )
        elif data.store().network_of(filters.org):
            st.caption("The network's figures are for whole organizations: clear the School, level and role filters.")
        return
    columns = st.columns(3)
    columns[0].metric(
        "Network: Collective Leadership Index",
        f"{figures.index:.0f}",
        help="The same index over every respondent of the network's organizations together.",
    )
    if figures.share_yes is not None:
        columns[1].metric("Network: see themselves as leaders", f"{100 * figures.share_yes:.0f}%")
    columns[2].metric("Network: organizations", f"{figures.organizations}")
    words = [position_words(figures, "index", "index"), position_words(figures, "share_yes", "leader share")]
    where = "; ".join(word for word in words if word)
    st.caption(_about(figures) + (f" Your position: {where}." if where else ""))


def show_leader_share(filters: Filters) -> None:
    """The network's share of leaders beside the organization's, on the Leader identity page."""
    figures = figures_for(filters)
    if figures is None or figures.share_yes is None:
        return
    where = position_words(figures, "share_yes", "share")
    st.markdown(
        f"**Across the network: {100 * figures.share_yes:.0f}%** see themselves as leaders"
        + (f" (your position: {where})." if where else ".")
    )
    st.caption(_about(figures))


def show_condition(filters: Filters, condition: str, name: str) -> None:
    """The network's percent favorable for one condition, on the Conditions page."""
    figures = figures_for(filters)
    if figures is None:
        return
    row = figures.conditions[figures.conditions["condition"] == condition]
    if row.empty or pd.isna(row["pct_favorable"].iloc[0]):
        return
    st.caption(f"{name} across the network: {row['pct_favorable'].iloc[0]:.0f}% favorable. " + _about(figures))


def side_by_side(store: object) -> pd.DataFrame:
    """The whole-organization figures in its latest wave of every organization the person is staff of (names
    shown: staff only)."""
    from survey_model.network import organization_figures
    from survey_model.responses import WAVE

    rows = []
    for organization in auth.organizations(store.organizations(), STAFF):
        org_data = data.org_data(organization.id)
        if not org_data.waves:
            continue
        wave = org_data.waves[-1]
        frame = org_data.frame[org_data.frame[WAVE].astype(str) == wave]
        if frame.empty:
            continue
        figures = organization_figures(frame, org_data.codebook)
        rate = data.rates(organization.id, wave).organization
        rows.append(
            {
                "Organization": organization.name,
                "Network": store.network_of(organization.id),
                "Latest wave": wave,
                "Respondents": figures.respondents,
                "Response rate": None if rate is None else round(100 * rate.rate),
                "Index": round(figures.index),
                "Leaders (% Yes)": None if figures.share_yes is None else round(100 * figures.share_yes),
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values(["Network", "Organization"]) if not table.empty else table


def staff_section(store: object, org: str) -> None:
    """Manage data: the organization's network, and every organization side by side."""
    st.subheader("Network")
    st.caption(
        "Organizations in the same network see the network's pooled figures beside their own (never another "
        f"organization's name), once at least {MIN_ORGANIZATIONS} of them each have enough respondents in a wave. "
        "From the command line: `python -m survey_model network --org ORG --name NETWORK`."
    )
    current = store.network_of(org)
    known = sorted({store.network_of(o.id) for o in store.organizations()} - {""})
    typed = st.text_input(
        "Network of this organization (empty: none)",
        value=current,
        key=f"network_name_{org}",
        help=f"Networks in use: {', '.join(known) or 'none yet'}",
    )
    if st.button("Save network", key=f"network_save_{org}", disabled=typed.strip() == current):
        from ui import staff

        store.set_network(org, typed, user=staff.user())
        st.success(f"Saved: {'in the network ' + typed.strip() if typed.strip() else 'in no network'}.")
        st.rerun()
    st.markdown("**Organizations side by side** (staff only: partners never see another organization's name)")
    st.dataframe(
        side_by_side(store),
        hide_index=True,
        width="stretch",
        column_config={
            "Response rate": st.column_config.NumberColumn(format="%d%%"),
            "Leaders (% Yes)": st.column_config.NumberColumn(format="%d%%"),
        },
    )
