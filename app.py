"""The dashboard's entry point: page router, shared filters and the frame around every page.

Run with ``streamlit run app.py``. On first start the demo exports in ``data_samples/`` are imported into the
embedded database through the same path a staff upload takes. The filters are drawn on the partner and
facilitator pages only: the staff pages pick their organization themselves, and the filters chosen before stay
set (in the session and the URL) for the way back.
"""

import streamlit as st

from survey_model.store import Organization
from ui import data, state
from ui.state import ALL, NO_COMPARISON, PARAMS, Filters

st.set_page_config(page_title="Collective leadership survey results", page_icon=":material/groups:", layout="wide")

#: The Overview is served at the app's root and, like every page, at its own name (``/overview``): Streamlit gives
#: the default page no address but the root, so the root is a hidden second entry for the same script.
HOME = st.Page("views/overview.py", title="Overview", url_path="home", default=True, visibility="hidden")
PAGES = {
    "Explore results": [
        st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview"),
        st.Page("views/conditions.py", title="Conditions", icon=":material/checklist:"),
        st.Page("views/schools.py", title="Schools", icon=":material/school:"),
        st.Page("views/subgroups.py", title="Subgroups", icon=":material/diversity_3:"),
        st.Page("views/leader_identity.py", title="Leader identity", icon=":material/person_raised_hand:"),
        st.Page("views/shifts.py", title="Shifts", icon=":material/trending_up:"),
        st.Page("views/what_matters.py", title="What matters", icon=":material/insights:"),
    ],
    "Facilitate": [
        st.Page("views/workshop.py", title="Workshop", icon=":material/co_present:"),
    ],
    "Staff": [
        st.Page("views/upload.py", title="Upload a wave", icon=":material/upload_file:"),
        st.Page("views/manage.py", title="Manage data", icon=":material/database:"),
    ],
}
STAFF_PAGES = PAGES["Staff"]
navigation = st.navigation({"": [HOME], **{section: pages for section, pages in PAGES.items() if pages}})


def organizations() -> list[Organization]:
    """The stored organizations; a message instead of the page when the database cannot be opened."""
    try:
        return data.store().organizations()
    except data.StoreError as error:
        st.error(f"The survey database cannot be opened: {error}")
        st.stop()


def unavailable(label: str, withheld: tuple[str, ...], key: str) -> None:
    """Say so when a link asks for a school or role that is never shown on its own (it falls back to All).

    Only names the stored answers hold are repeated; anything else in the address is dropped silently.
    """
    value = st.session_state.get(key)
    if value in withheld:
        st.sidebar.warning(
            f"{label} “{value}” is not shown on its own: it has too few respondents to protect confidentiality "
            "(its answers count in the totals). Showing all instead."
        )


def draw_filters(organizations: list[Organization]) -> None:
    """The sidebar filters shared by the partner and facilitator pages, mirrored in the URL."""
    if not organizations:
        st.session_state.pop("filters", None)
        return
    names = {org.id: org.name for org in organizations}
    st.sidebar.header("Filters")
    org = state.choose("Organization", list(names), PARAMS["org"], names=names)
    org_data = data.org_data(org)
    if not org_data.waves:
        st.session_state.pop("filters", None)
        return
    waves = list(org_data.waves)
    if PARAMS["wave"] not in st.session_state or st.session_state[PARAMS["wave"]] not in waves:
        st.session_state[PARAMS["wave"]] = waves[-1]
    wave = state.choose("Wave", waves, PARAMS["wave"])
    earlier = [w for w in waves if waves.index(w) < waves.index(wave)]
    comparisons = [NO_COMPARISON, *reversed(earlier)]
    if st.session_state.get(PARAMS["compare"]) not in comparisons:
        # The change a network reports is since its first wave: the default says so in the sidebar, and every page
        # uses what the sidebar says. "No comparison" is chosen explicitly (and kept in the URL).
        st.session_state[PARAMS["compare"]] = earlier[0] if earlier else NO_COMPARISON
    compare = state.choose(
        "Compare with",
        comparisons,
        PARAMS["compare"],
        help="An earlier wave to compare with: the first wave by default, the change since the start.",
    )
    options = data.filter_options(org)
    for label, column in (("School", "school"), ("Role", "role")):
        unavailable(label, (org_data.withheld or {}).get(column, ()), PARAMS[column])
    school = state.choose("School", [ALL, *options["school"]], PARAMS["school"])
    level = state.choose("School level", [ALL, *options["school_level"]], PARAMS["level"])
    role = state.choose("Role", [ALL, *options["role"]], PARAMS["role"])
    state.publish(
        Filters(
            org=org,
            wave=wave,
            compare=None if compare == NO_COMPARISON else compare,
            chose_no_comparison=compare == NO_COMPARISON and bool(earlier),
            school=None if school == ALL else school,
            school_level=None if level == ALL else level,
            role=None if role == ALL else role,
        )
    )
    st.sidebar.caption(
        f"Groups of fewer than {data.settings().min_n} respondents are never shown, to protect confidentiality."
    )


state.seed_from_url()
if navigation in STAFF_PAGES:
    organizations()  # the database must open; the page picks its organization itself
    state.keep()
else:
    draw_filters(organizations())
navigation.run()
