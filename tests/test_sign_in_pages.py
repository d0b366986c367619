"""The one gate, through the entry point: each role sees its pages and organizations and nothing of the others.

The signed-in person is Streamlit's own ``st.user``, which AppTest fakes (``at.user``); sign-in is "configured" by
an ``[auth]`` section in ``at.secrets``. Grants are made in the private copy of the demo database, as staff would.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from page_text import texts

from survey_model.settings import Settings
from survey_model.store import Store

ROOT = Path(__file__).resolve().parents[1]
RESULTS = [
    "views/overview.py",
    "views/conditions.py",
    "views/schools.py",
    "views/subgroups.py",
    "views/leader_identity.py",
    "views/shifts.py",
    "views/what_matters.py",
]
WORKSHOP = ["views/workshop.py"]
STAFF_ONLY = ["views/upload.py", "views/manage.py", "views/access.py"]
ALL_PAGES = RESULTS + WORKSHOP + STAFF_ONLY
#: Page → the roles that may open it (a hand-written table, not read from app.py).
OPENS = {
    **{page: {"partner", "facilitator", "staff"} for page in RESULTS},
    **{page: {"facilitator", "staff"} for page in WORKSHOP},
    **{page: {"staff"} for page in STAFF_ONLY},
}
AUTH = {
    "redirect_uri": "http://localhost:8611/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "dashboard",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",  # port 9: nobody answers
}
CEDAR = "cedar-valley"
HARBOR = "harbor-point"
HARBOR_WORDS = ("Harbor Point", "harbor-point")
NO_ACCESS = "You do not have access"


def grant(data_dir: Path, **kwargs: str) -> None:
    """Make a grant in the app's database, as a staff member would."""
    with Store.from_settings(Settings(data_dir=data_dir)) as store:
        store.grant(user="test setup", **kwargs)


def signed_in(app, email: str | None, **query: str):
    """An AppTest of the app with sign-in configured and ``email`` signed in (``None``: nobody)."""
    at = app(**query)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    return at


@pytest.fixture
def people(data_dir: Path) -> dict[str, str]:
    """One person per role on Cedar Valley only, plus a staff member on every organization."""
    grant(data_dir, email="boss@network.example", role="staff", org="*")
    grant(data_dir, domain="cedarvalley.k12.example", role="partner", org=CEDAR)
    grant(data_dir, email="fay@cedarvalley.k12.example", role="facilitator", org=CEDAR)
    grant(data_dir, email="sam@cedarvalley.k12.example", role="staff", org=CEDAR)
    return {
        "partner": "pat@cedarvalley.k12.example",  # through the domain grant
        "facilitator": "fay@cedarvalley.k12.example",
        "staff": "sam@cedarvalley.k12.example",
    }


def everything(at) -> str:
    """Every text the page shows, main area and sidebar, tables and metrics included."""
    return "\n".join(texts(at.main) + texts(at.sidebar))


def refused(at) -> bool:
    return any(NO_ACCESS in error.value for error in at.error)


@pytest.mark.parametrize("role", ["partner", "facilitator", "staff"])
@pytest.mark.parametrize("page", ALL_PAGES)
def test_each_role_opens_its_pages_and_is_refused_the_others(app, people, role, page):
    """Allowed pages render their content; the others answer with "you do not have access" and show nothing."""
    at = signed_in(app, people[role]).run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    if role in OPENS[page]:
        assert not refused(at), [e.value for e in at.error]
        assert at.title, "an allowed page draws its title"
    else:
        assert refused(at)
        assert not at.title and not at.metric and not at.dataframe and not at.get("vega_lite_chart")
        assert not at.get("download_button")


@pytest.mark.parametrize("role", ["partner", "facilitator", "staff"])
def test_the_organization_filter_lists_only_the_persons_organizations(app, people, data_dir, role):
    """Someone granted Cedar Valley only is offered Cedar Valley only; staff on every organization get them all."""
    at = signed_in(app, people[role]).run()
    assert at.selectbox(key="filter_org").options == ["Cedar Valley School District"]
    at = signed_in(app, "boss@network.example").run()
    with Store.from_settings(Settings(data_dir=data_dir)) as store:
        stored = store.organizations()
    assert len(stored) == 4  # the demo network: Cedar Valley, Harbor Point, Lakeshore, Pine Ridge
    assert len(at.selectbox(key="filter_org").options) == len(stored)


@pytest.mark.parametrize("page", RESULTS + WORKSHOP)
def test_a_link_to_another_organization_shows_nothing_of_it(app, people, page):
    """?org=harbor-point for a Cedar Valley facilitator: "you do not have access", and no name or figure of Harbor
    Point anywhere on the page (every element searched, tables and metrics included)."""
    at = signed_in(app, None, org=HARBOR).run()  # a new session on the link: nothing chosen yet
    at.user = {"is_logged_in": True, "email": people["facilitator"]}
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert refused(at)
    shown = everything(at)
    assert not any(word in shown for word in HARBOR_WORDS), shown
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart") and not at.get("download_button")
    # The next interaction falls back to the person's own organization.
    at.run()
    assert not refused(at) and at.selectbox(key="filter_org").value == CEDAR


def test_a_fresh_session_from_another_organizations_link_is_refused(app, people):
    """A shared link opened in a new session (?org= in the address, nothing chosen yet) is refused too."""
    at = signed_in(app, people["partner"], org=HARBOR).run()
    assert refused(at)
    assert "Harbor Point" not in everything(at)
    assert not at.metric and not at.get("vega_lite_chart")


def test_a_revoked_grant_takes_effect_on_the_next_interaction(app, people, data_dir):
    """The partner sees Cedar Valley; once the domain grant is revoked, the next rerun shows the no-access page
    and no figure."""
    at = signed_in(app, people["partner"]).run()
    assert at.metric
    with Store.from_settings(Settings(data_dir=data_dir)) as store:
        store.revoke(domain="cedarvalley.k12.example", org=CEDAR, user="boss@network.example")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "No access yet"
    assert not at.metric and not at.get("vega_lite_chart") and "Cedar Valley" not in everything(at)


def test_someone_without_a_grant_is_told_whom_to_ask(app, people):
    """A signed-in address no grant matches gets a page naming the contact, and nothing of any organization."""
    at = signed_in(app, "stranger@elsewhere.example")
    at.secrets["access"] = {"contact": "data-team@network.example"}
    at.run()
    assert at.title[0].value == "No access yet"
    shown = everything(at)
    assert "data-team@network.example" in shown and "stranger@elsewhere.example" in shown
    assert "Cedar Valley" not in shown and "Harbor Point" not in shown
    assert not at.metric and not at.selectbox


def test_nobody_signed_in_sees_the_sign_in_page_only(app, people):
    """Without a sign-in, every page address shows the sign-in button and no data."""
    for page in ("views/overview.py", "views/manage.py"):
        at = signed_in(app, None).run()
        at.switch_page(page).run()
        assert at.title[0].value == "Sign in"
        assert [b.label for b in at.button] == ["Sign in with your organization's account"]
        assert "Cedar Valley" not in everything(at) and not at.metric


def test_an_expired_session_says_so_and_forgets_the_view(app, people):
    """Signed in, then the identity cookie is gone (expired): the sign-in page says the sign-in ended, and the
    filters chosen before are forgotten."""
    at = signed_in(app, people["partner"]).run()
    assert at.selectbox(key="filter_org").value == CEDAR
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Sign in"
    assert any("sign-in has ended" in w.value for w in at.warning)
    assert "filter_org" not in at.session_state and "filters" not in at.session_state


def test_an_unverified_e_mail_is_not_trusted(app, people):
    """A provider that says the address is not verified: no access through the domain grant."""
    at = app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": people["partner"], "email_verified": False}
    at.run()
    assert at.title[0].value == "Sign in"
    assert any("verified e-mail address" in e.value for e in at.error)
    assert not at.metric


def test_a_provider_that_does_not_answer_gives_a_message_not_a_traceback(app, people):
    """Sign in with the provider down (nothing listens on its port): a clear message, no exception."""
    at = signed_in(app, None).run()
    at.button(key="sign_in_default").click().run()
    assert not at.exception, at.exception
    message = " ".join(e.value for e in at.error)
    assert "The sign-in service does not answer" in message and "tell your network's staff" in message


def test_a_misconfigured_provider_gives_a_message_not_a_traceback(app, people):
    """Sign-in configured without a metadata address: the button says sign-in is not set up completely."""
    at = app()
    at.secrets["auth"] = {key: value for key, value in AUTH.items() if key != "server_metadata_url"}
    at.user = {"is_logged_in": False}
    at.run()
    at.button(key="sign_in_default").click().run()
    assert not at.exception, at.exception
    assert any("not set up completely" in e.value for e in at.error)


def test_demo_mode_shows_the_banner_and_gives_staff_rights(app):
    """No [auth] section: the banner says sign-in is off on every page, and the staff pages open."""
    for page in ("views/overview.py", "views/workshop.py", "views/access.py"):
        at = app().run()
        at.switch_page(page).run()
        assert any("Sign-in is off" in info.value for info in at.sidebar.info)
        assert not refused(at)


def test_staff_of_one_organization_manage_only_it(app, people):
    """Staff of Cedar Valley: the Manage and Upload pages offer Cedar Valley only, with no new organization."""
    at = signed_in(app, people["staff"]).run()
    at.switch_page("views/manage.py").run()
    assert at.selectbox(key="manage_org").options == ["Cedar Valley School District"]
    at.switch_page("views/upload.py").run()
    assert at.selectbox(key="upload_org").options == ["Cedar Valley School District"]


def test_granting_on_the_access_page_records_who_granted(app, people, data_dir):
    """Staff grant a domain on the People and access page: stored, and the audit log names the staff member."""
    at = signed_in(app, "boss@network.example").run()
    at.switch_page("views/access.py").run()
    at.radio(key="grant_kind").set_value("Everyone in an e-mail domain").run()
    at.text_input(key="grant_subject").set_value("@harborpoint.k12.example")
    at.selectbox(key="grant_role").set_value("partner")
    at.selectbox(key="grant_org").set_value(HARBOR)
    at.button(key="grant_button").click().run()
    assert not at.exception, at.exception
    assert any("Granted partner of Harbor Point" in s.value for s in at.success)
    with Store.from_settings(Settings(data_dir=data_dir)) as store:
        made = [g for g in store.grants() if g.subject == "@harborpoint.k12.example"]
        log = store.audit_log()
    assert [(g.role, g.org, g.granted_by) for g in made] == [("partner", HARBOR, "boss@network.example")]
    last = log.iloc[-1]
    assert last["action"] == "grant_access" and last["user"] == "boss@network.example"


def test_a_malformed_grant_on_the_page_grants_nothing(app, people, data_dir):
    """A bad address on the page: every problem said, nothing stored."""
    at = signed_in(app, "boss@network.example").run()
    at.switch_page("views/access.py").run()
    with Store.from_settings(Settings(data_dir=data_dir)) as store:
        before = store.grants()
    at.text_input(key="grant_subject").set_value("not an address")
    at.button(key="grant_button").click().run()
    assert not at.exception, at.exception
    assert any("Nothing granted" in e.value and "is not an e-mail address" in e.value for e in at.error)
    with Store.from_settings(Settings(data_dir=data_dir)) as store:
        assert store.grants() == before


def test_staff_of_one_organization_cannot_grant_another(app, people):
    """Cedar Valley's staff can grant on Cedar Valley only (not Harbor Point, not every organization), and see
    only Cedar Valley's grants."""
    at = signed_in(app, people["staff"]).run()
    at.switch_page("views/access.py").run()
    assert at.selectbox(key="grant_org").options == ["Cedar Valley School District"]
    shown = everything(at)
    assert "boss@network.example" not in shown and "every organization" not in shown.split("Audit trail")[0]


def test_the_workshop_downloads_are_of_the_facilitators_organization(app, people):
    """A Cedar Valley facilitator's Workshop: the deck is Cedar Valley's, and its downloads are offered."""
    at = signed_in(app, people["facilitator"]).run()
    at.switch_page("views/workshop.py").run()
    assert not refused(at)
    labels = [button.label for button in at.get("download_button")]
    assert "Deck (.pptx)" in labels and "Results workbook (.xlsx)" in labels
    assert "Cedar Valley" in everything(at) and "Harbor Point" not in everything(at)


def _call_for_a_cedar_partner(call: str) -> None:
    """AppTest script: a Cedar Valley partner's session asks a data function for Harbor Point."""
    import streamlit as st

    from survey_model.access import Access
    from ui import analytics, auth, data, explore_data, staff, tables, workshop
    from ui.state import Filters

    st.session_state[auth.ACCESS_KEY] = Access("pat@cedarvalley.k12.example", roles={"cedar-valley": "partner"})
    org = "harbor-point"
    filters = Filters(org=org, wave="2026 Spring", compare="2024 Spring")
    calls = {
        "org_data": lambda: data.org_data(org),
        "filter_options": lambda: data.filter_options(org),
        "overview": lambda: data.overview(org, "2026 Spring", {}),
        "shifts": lambda: data.shifts(org, "2024 Spring", "2026 Spring", {}),
        "leader_statement": lambda: data.leader_statement(org, "2024 Spring", "2026 Spring", {}),
        "rates": lambda: data.rates(org, "2026 Spring"),
        "network": lambda: data.network(org, "2026 Spring"),
        "codebook": lambda: explore_data.codebook(org),
        "schools_view": lambda: explore_data.schools_view(filters),
        "leader_view": lambda: explore_data.leader_view(filters),
        "subgroup_attributes": lambda: explore_data.subgroup_attributes(filters),
        "instrument": lambda: analytics.instrument(filters),
        "shifts_tables": lambda: tables.shifts(org, "2024 Spring", "2026 Spring", {}),
        "deck": lambda: workshop.deck(org, workshop.DeckChoice(waves=("2024 Spring", "2026 Spring"), school=None)),
        "schools_table": lambda: staff.schools_table(data.store(), org, []),
        "download": lambda: auth.audited(lambda: b"x", org=org, what="deck.pptx"),
    }
    calls[call]()
    st.write("LEAKED: the call returned")


@pytest.mark.parametrize(
    "call",
    [
        "org_data", "filter_options", "overview", "shifts", "leader_statement", "rates", "network", "codebook",
        "schools_view", "leader_view", "subgroup_attributes", "instrument", "shifts_tables", "deck", "schools_table",
        "download",
    ],
)  # fmt: skip
def test_every_data_function_asks_the_gate_before_reading(data_dir, monkeypatch, call):
    """Called for an organization the person may not see, each data function stops with "you do not have access"
    before anything is read from the store or a cache (reading a response would raise here)."""
    from streamlit.testing.v1 import AppTest

    def no_reading(*args, **kwargs):
        raise AssertionError("responses were read for an organization the person may not see")

    monkeypatch.setattr(Store, "load_responses", no_reading)
    at = AppTest.from_function(_call_for_a_cedar_partner, args=(call,), default_timeout=60).run()
    assert not at.exception, at.exception
    assert refused(at)
    assert not any("LEAKED" in m.value for m in at.markdown)


def test_only_the_gate_reads_a_data_version():
    """Every cache key's data version comes through ``ui.data.version`` (the gate): a function that asked the store
    for it directly would serve a cached figure of any organization without asking whether the person may see it.
    The one other reader is ``ui.data.network``, after the gate: the network's other members leave it pooled only."""
    readers = set()
    for path in sorted((Path(__file__).resolve().parents[1] / "ui").glob("*.py")):
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, ast.FunctionDef):
                calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
                if any(getattr(call.func, "attr", "") == "data_version" for call in calls):
                    readers.add((path.name, function.name))
    assert readers == {("data.py", "version"), ("data.py", "network")}, readers


def _make_a_facilitators_download() -> None:
    """AppTest script: a Cedar Valley facilitator's page offers a deck download (its file not made yet)."""
    import streamlit as st

    from survey_model.access import Access
    from ui import auth

    st.session_state[auth.ACCESS_KEY] = Access("fay@cedarvalley.k12.example", roles={"cedar-valley": "facilitator"})
    st.session_state["make"] = auth.audited(
        lambda: b"deck bytes", org="cedar-valley", what="cedar-valley.pptx", role="facilitator"
    )


def test_a_download_is_written_to_the_audit_log_with_who_made_it(data_dir):
    """When the file is made (the click), the audit log gets who downloaded what of which organization, and the
    organization's data version (the caches' key) stays as it was."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_make_a_facilitators_download, default_timeout=60).run()
    assert not at.exception, at.exception
    with Store.from_settings(Settings(data_dir=data_dir)) as store:
        version = store.data_version(CEDAR)
        assert at.session_state["make"]() == b"deck bytes"  # Streamlit calls it in another thread, no session
        last = store.audit_log().iloc[-1]
        assert store.data_version(CEDAR) == version
    assert (last["action"], last["user"], last["details"]) == (
        "download", "fay@cedarvalley.k12.example", {"organization": CEDAR, "file": "cedar-valley.pptx"}
    )  # fmt: skip
