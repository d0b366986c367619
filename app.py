"""The dashboard's entry point: page router, shared filters and the frame around every page.

Run with ``streamlit run app.py``. On first start the demo exports in ``data_samples/`` are imported into the
embedded database through the same path a staff upload takes. The filters are drawn on the partner and
facilitator pages only: the staff pages pick their organization themselves, and the filters chosen before stay
set (in the session and the URL) for the way back.

This is also the one gate (``ui/auth.py``): on every rerun it reads the signed-in person's grants, lists only the
pages their role opens (the others still answer their address, with "you do not have access"), and offers only
their organizations in the filters.
"""

import streamlit as st

from survey_model.access import FACILITATOR, PARTNER, STAFF, rank
from survey_model.store import Organization
from ui import auth, data, state
from ui.state import ALL, NO_COMPARISON, PARAMS, Filters

st.set_page_config(page_title="Collective leadership survey results", page_icon=":material/groups:", layout="wide")

#: Each section's pages and the lowest role that opens them (survey_model.access).
SECTIONS = {
    "Explore results": (
        PARTNER,
        [
            ("views/overview.py", "Overview", ":material/dashboard:", "overview"),
            ("views/conditions.py", "Conditions", ":material/checklist:", None),
            ("views/schools.py", "Schools", ":material/school:", None),
            ("views/subgroups.py", "Subgroups", ":material/diversity_3:", None),
            ("views/leader_identity.py", "Leader identity", ":material/person_raised_hand:", None),
            ("views/shifts.py", "Shifts", ":material/trending_up:", None),
            ("views/what_matters.py", "What matters", ":material/insights:", None),
        ],
    ),
    "Facilitate": (FACILITATOR, [("views/workshop.py", "Workshop", ":material/co_present:", None)]),
    "Staff": (
        STAFF,
        [
            ("views/upload.py", "Upload a wave", ":material/upload_file:", None),
            ("views/manage.py", "Manage data", ":material/database:", None),
            ("views/access.py", "People and access", ":material/admin_panel_settings:", None),
        ],
    ),
}

try:
    store = data.store()
except data.StoreError as error:
    st.error(f"The survey database cannot be opened: {error}")
    st.stop()
person = auth.resolve(store)
highest = person.highest
#: The Overview is served at the app's root and, like every page, at its own name (``/overview``): Streamlit gives
#: the default page no address but the root, so the root is a hidden second entry for the same script.
HOME = st.Page("views/overview.py", title="Overview", url_path="home", default=True, visibility="hidden")
MINIMUM: list[tuple[st.Page, str]] = [(HOME, PARTNER)]
PAGES: dict[str, list[st.Page]] = {}
for section, (minimum, entries) in SECTIONS.items():
    # A page the person may not open stays registered, hidden: its address then answers "you do not have access"
    # (from the gate below) instead of Streamlit's "page not found".
    shown = "visible" if rank(highest) >= rank(minimum) else "hidden"
    PAGES[section] = [
        st.Page(path, title=title, icon=icon, url_path=url_path, visibility=shown)
        for path, title, icon, url_path in entries
    ]
    MINIMUM += [(page, minimum) for page in PAGES[section]]
STAFF_PAGES = PAGES["Staff"]
navigation = st.navigation({"": [HOME], **PAGES}, position="sidebar" if person.demo or highest else "hidden")
page_role = next(role for page, role in MINIMUM if page == navigation)


def organizations(role: str) -> list[Organization]:
    """The stored organizations the person holds ``role`` on; a message instead of the page when the database
    cannot be opened."""
    try:
        return auth.organizations(store.organizations(), role)
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
    names = {org.id: org.name for org in organizations}
    asked = st.session_state.get(PARAMS["org"])
    if not person.demo and asked is not None and asked not in names:
        # Another organization's link (or a grant revoked since): say so, show nothing of it, and forget it, so
        # the next interaction falls back to the person's own organizations.
        st.session_state.pop(PARAMS["org"], None)
        st.session_state.pop("filters", None)
        if "org" in st.query_params:
            del st.query_params["org"]
        auth.refuse("You do not have access to this organization on this page (or there is none by that id).")
    if not organizations:
        st.session_state.pop("filters", None)
        return
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


auth.sidebar(person)
auth.gate(person, page_role)
state.seed_from_url()
if navigation in STAFF_PAGES:
    organizations(STAFF)  # the database must open; the page picks its organization itself
    state.keep()
else:
    draw_filters(organizations(page_role))
navigation.run()
