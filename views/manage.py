"""Staff: the stored waves, deleting or replacing one, school groups, codebooks and the audit log."""

import streamlit as st

from survey_model.access import STAFF
from ui import auth, data, network, rosters, staff, state

st.title("Manage data")
st.caption(staff.ACCESS_NOTE)
store = data.store()
organizations = {org.id: org.name for org in auth.organizations(store.organizations(), STAFF)}
if not organizations:
    st.info("Nothing is stored yet. Add a wave on the **Upload a wave** page.")
    st.stop()

default = state.chosen_org() if state.chosen_org() in organizations else next(iter(organizations))
org = st.selectbox(
    "Organization",
    list(organizations),
    index=list(organizations).index(default),
    format_func=organizations.get,
    key="manage_org",
)

with st.expander("Rename this organization", icon=":material/edit:"):
    st.caption(
        "The name pages, decks and workbooks show (its id, used by the command line, stays the same). "
        "The change is recorded in the audit log."
    )
    new_name = st.text_input("Display name", value=organizations[org], key=f"manage_name_{org}", max_chars=200)
    unchanged = not new_name.strip() or new_name.strip() == organizations[org]
    if st.button("Rename", key="manage_rename", disabled=unchanged):
        before = organizations[org]
        store.ensure_organization(org, new_name.strip(), user=staff.user())
        st.session_state["manage_renamed"] = f"Renamed “{before}” to “{new_name.strip()}”."
        st.rerun()
if "manage_renamed" in st.session_state:
    st.success(st.session_state.pop("manage_renamed"))

st.subheader("Stored waves")
waves = store.waves(org)
st.dataframe(
    staff.waves_table(waves),
    hide_index=True,
    width="stretch",
    column_config={"Codebook": st.column_config.TextColumn(width=190), "By": st.column_config.TextColumn(width=170)},
)
st.caption("To replace a wave, upload the new export on **Upload a wave** with the same label and tick *Replace*.")

if waves:
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**Delete a wave**")
        target = st.selectbox("Wave to delete", [w.label for w in waves], key="delete_wave")
        typed = st.text_input(f"Type the wave's label to confirm: {target}", key="delete_confirm")
        if st.button("Delete this wave", disabled=typed.strip() != target, key="delete_button"):
            removed = store.delete_wave(org, target, user=staff.user(), confirm=True)
            st.success(f"Deleted {removed.describe()}. The audit log keeps the record.")
            st.rerun()
    with right, st.container(border=True):
        st.markdown("**Download the cleaned data**")
        st.caption(
            "Answers as labels, one row per respondent; no names, emails or raw IDs (respondent keys are keyed "
            "hashes). Cells that a spreadsheet would run as a formula are escaped."
        )
        st.download_button(
            "Download CSV",
            data=auth.audited(
                lambda: staff.cleaned_csv(store, org), org=org, what=f"{org}-cleaned-responses.csv", role=STAFF
            ),
            file_name=f"{org}-cleaned-responses.csv",
            mime="text/csv",
            key="download_cleaned",
        )

st.subheader("School list")
st.caption(
    "Give each school its level and mark schools as *cohort* (taking part in the collective-leadership work) or "
    "*comparison*; the Shifts page compares the two groups. Figures by level and group use this list, never what "
    "respondents answered, so no one can be singled out by comparing a school with its level."
)
for note in data.org_data(org).release_notes:
    st.warning(note)
extra = st.text_input(
    "Add a school attribute column (e.g. title_i, locale, cohort_year)",
    key=f"schools_extra_{org}",
    help="Further attributes of each school (from the school list, never from answers) become breakdowns on the "
    "Subgroups page. A pool of small schools whose values differ shows the attribute as withheld.",
)
edited = st.data_editor(
    staff.schools_table(store, org, list(data.org_data(org).schools_answered), extra=extra.strip()),
    column_config=staff.school_column_config(),
    disabled=["School"],
    hide_index=True,
    key=f"schools_editor_{org}_{extra.strip()}",
)
if st.button("Save school list", key="save_schools"):
    store.set_schools(org, staff.schools_from(edited), user=staff.user())
    st.success("School list saved.")

rosters.roster_section(store, org)
network.staff_section(store, org)

st.subheader("Codebooks")
staff.codebook_section(store)

st.subheader("Audit log")
st.dataframe(
    staff.audit_table(store.audit_log(org), names=organizations).drop(columns=["Organization"], errors="ignore"),
    hide_index=True,
    width="stretch",
    row_height=90,  # taller than 4rem: counts and details wrap instead of running off the right edge
    column_config={  # about 820 px in all: the main column at 1280 px with the sidebar open
        "When (UTC)": st.column_config.TextColumn(width=125),
        "Who": st.column_config.TextColumn(width=105),
        "Action": st.column_config.TextColumn(width=105),
        "Wave": st.column_config.TextColumn(width=90),
        "File SHA-256": st.column_config.TextColumn(width=100),
        "Counts": st.column_config.TextColumn(width=170),
        "Details": st.column_config.TextColumn(width=120),
    },
)
