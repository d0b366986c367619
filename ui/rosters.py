"""The Manage page's roster section: each wave's educators per school, uploaded as a small CSV or XLSX file."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from survey_model.plurals import counted
from survey_model.roster import check_roster_file
from survey_model.store import Store
from ui import staff

__all__ = ["roster_section", "roster_table"]


def roster_table(stored: dict[str, int]) -> pd.DataFrame:
    """A stored roster as the page lists it."""
    return pd.DataFrame({"School": list(stored), "Educators": list(stored.values())})


def roster_section(store: Store, org: str) -> None:
    """Show each wave's roster and let staff upload one: checked first, every problem listed, nothing stored then."""
    st.subheader("Rosters (response rates)")
    st.caption(
        "For each wave, the number of educators per school: the pages show each school's and the organization's "
        "response rate from it, and say *read with care* when fewer than half answered. Upload a CSV or Excel file "
        "with the columns **school** and **staff**; it replaces the wave's roster. The same check runs from the "
        "command line: `python -m survey_model roster --org ORG --wave WAVE FILE`."
    )
    waves = [record.label for record in store.waves(org)]
    if not waves:
        st.info("Store a wave first: a roster belongs to one wave.")
        return
    wave = st.selectbox("Wave", waves, index=len(waves) - 1, key=f"roster_wave_{org}")
    stored = store.roster(org, wave)
    if stored:
        st.dataframe(roster_table(stored), hide_index=True, width="stretch")
        st.caption(f"Stored roster of {wave}: {counted(len(stored), 'school')}, {sum(stored.values()):,} educators.")
    else:
        st.caption(f"No roster is stored for {wave} yet.")
    upload = st.file_uploader(
        "Roster file (CSV or XLSX: school, staff)", type=["csv", "tsv", "txt", "xlsx"], key=f"roster_file_{org}_{wave}"
    )
    if upload is None:
        return
    checked = check_roster_file(store, org, wave, upload.getvalue(), upload.name)
    if not checked.ok:
        st.error(
            f"The roster {upload.name} cannot be stored ({counted(len(checked.problems), 'problem')}); nothing was "
            "changed:\n\n" + "\n".join(f"- {problem}" for problem in checked.problems)
        )
        return
    st.dataframe(roster_table(checked.staff), hide_index=True, width="stretch")
    if st.button(f"Store this roster for {wave}", key=f"roster_save_{org}_{wave}"):
        store.set_roster(org, wave, checked.staff, user=staff.user())
        st.success(
            f"Stored the roster of {wave}: {counted(len(checked.staff), 'school')}, "
            f"{sum(checked.staff.values()):,} educators. The audit log records it."
        )
