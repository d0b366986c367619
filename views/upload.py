"""Staff: upload a new survey wave — check the file, fix the mapping, see what will be stored, confirm."""

import datetime as dt
import hashlib

import streamlit as st

from survey_model.access import EVERY, STAFF
from survey_model.codebook import available_codebooks
from survey_model.organizations import organization_id
from survey_model.plurals import counted
from survey_model.store.codebooks import codebook_choices, codebook_from_key
from survey_model.store.labels import label_match
from ui import auth, data, staff, state

st.title("Upload a survey wave")
st.caption(staff.ACCESS_NOTE)
st.caption(
    "Drop in an export from Qualtrics, SurveyMonkey, Google Forms, Microsoft Forms or a plain spreadsheet. "
    "Nothing is stored until you confirm; personal data (names, emails, IP addresses, locations) is dropped and "
    "respondent IDs are kept only as keyed hashes."
)

store = data.store()
organizations = {org.id: org.name for org in auth.organizations(store.organizations(), STAFF)}
NEW = "+ New organization"
left, right = st.columns(2)
# A new organization only for staff of every organization (a staff member of one district cannot start another).
choices = [*organizations, *([NEW] if auth.access().may_grant(EVERY) else [])]
choice = left.selectbox(
    "Organization",
    choices,
    index=choices.index(state.chosen_org()) if state.chosen_org() in organizations else 0,  # the filters' one
    format_func=lambda o: organizations.get(o, o),
    key="upload_org",
)
if choice == NEW:
    org_name = left.text_input("New organization's name", key="upload_new_org", placeholder="e.g. Lakeside Schools")
    org_id = organization_id(org_name) if org_name.strip() else ""
else:
    org_id, org_name = choice, organizations[choice]
label = right.text_input("Wave label", key="upload_wave", placeholder="e.g. 2027 Spring")
date = right.date_input(
    "Date the survey closed",
    value=None,  # asked, never assumed: today's date would silently misdate an old export
    max_value=dt.date.today(),
    format="YYYY-MM-DD",
    key="upload_date",
    help="The last day answers were collected; it orders the waves and is printed with them.",
)
codebook_names = codebook_choices(store, org_id if choice != NEW else None)
codebook_name = left.selectbox(
    "Instrument (codebook)",
    list(codebook_names),
    format_func=lambda name: codebook_names[name],
    key="upload_codebook",
    help=f"Shipped: {', '.join(available_codebooks())}. Upload your own on the Manage data page.",
)
profiles = ["(match automatically)", *[p.name for p in store.mapping_profiles()]]
profile = right.selectbox(
    "Mapping profile", profiles, key="upload_profile", help="A saved mapping from an earlier wave."
)

upload = st.file_uploader(
    "Survey export", type=["csv", "tsv", "txt", "xlsx"], key="upload_file", help="CSV, TSV or Excel (.xlsx)."
)
if upload is None:
    st.stop()
if not org_id or not label.strip():
    st.info("Name the organization and the wave to continue.")
    st.stop()

codebook = codebook_from_key(store, codebook_name)
raw = upload.getvalue()
# A file already stored is said before anything else (and Confirm stays off), not only after a click.
stored_as = store.find_file(hashlib.sha256(raw).hexdigest())
if stored_as is not None:
    holder = organizations.get(stored_as.org_id, stored_as.org_id)
    st.warning(
        f"**This file is already stored**, as wave “{stored_as.label}” of {holder} "
        f"({counted(stored_as.n_respondents, 'respondent')}, imported "
        f"{stored_as.imported_at:%Y-%m-%d} by {stored_as.imported_by}). Storing it again would add nothing. "
        "To correct that wave, upload a new export of it with the same label and tick *Replace*; to remove it, "
        "use **Manage data**.",
        icon=":material/content_copy:",
    )
edits = st.session_state.get(staff.overrides_key(raw), {})
saved_profile = None if profile == profiles[0] else store.mapping_profile(profile)
outcome = staff.read_upload(raw, upload.name, codebook, saved_profile, edits)

if outcome.result is None:
    st.error(outcome.message)
    st.stop()
result = outcome.result

st.subheader("What was found")
staff.show_detection(result)

st.subheader("How the columns map to the instrument")
shown = staff.mapping_table(result, codebook)
edited = st.data_editor(
    shown,
    column_config=staff.mapping_column_config(codebook),
    disabled=["Column", "Codebook text", "Matched by", "Score"],
    hide_index=True,
    width="stretch",
    key=f"mapping_editor_{staff.overrides_key(raw)}",
)
changed = staff.edits_from(edited, shown, edits)
if changed != edits:
    st.session_state[staff.overrides_key(raw)] = changed
    st.rerun()
with st.expander("Save this mapping as a profile for next time"):
    name = st.text_input("Profile name", key="profile_name", placeholder=f"{org_name} {result.platform}")
    if st.button("Save profile", disabled=not name):
        store.save_mapping_profile(name, result.platform, result.mapping.to_dict(), user=staff.user())
        st.success(f"Saved mapping profile “{name}”.")

st.subheader("Validation report")
staff.show_report(result.report)

st.subheader("What will be stored")
# "2026 spring" is the stored "2026 Spring", not a new wave
match = label_match(label, [wave.label for wave in store.waves(org_id)] if org_id else [])
staff.show_what_will_be_stored(result, codebook, org_name, match.label)
if match.notice():
    (st.warning if match.ambiguous else st.info)(match.notice())
replace = False
if match.replaceable:
    replace = st.checkbox(
        f"Replace the stored wave “{match.label}” (its history stays in the audit log)", key="upload_replace"
    )
foreign = staff.foreign_schools(store, org_id, result.frame) if choice != NEW else ""
belongs = True
if foreign:
    st.warning(foreign)
    belongs = st.checkbox(f"This file is from {org_name}", key="upload_belongs")
if date is None:
    st.info("Give the **date the survey closed** (above, beside the wave label) to store this wave.")
blocked = (
    not result.report.ok or (bool(match.stored) and not replace) or not belongs or stored_as is not None or date is None
)
if st.button("Confirm and store this wave", type="primary", disabled=blocked):
    with st.status("Storing the wave…", expanded=True) as status:
        progress = st.progress(0.0, text="Saving responses")
        saved = staff.save(
            store,
            org_id=org_id,
            org_name=org_name,
            label=label,
            date=date,
            codebook=codebook,
            raw=raw,
            result=result,
            replace=replace,
            on_progress=lambda share: progress.progress(share, text="Saving responses"),
        )
        status.update(label=saved.headline, state="complete" if saved.ok else "error")
    (st.success if saved.ok else st.warning)(saved.message)
elif blocked and not result.report.ok:
    st.caption("Fix the errors above (or the mapping) before the wave can be stored.")
elif stored_as is not None:
    st.caption("Confirm is off: this file is already stored (see the note above the report).")
