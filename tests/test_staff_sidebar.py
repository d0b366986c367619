"""The staff pages draw none of the partner filters, and the filters chosen before are there again on the way back."""

import pytest

STAFF_PAGES = ["views/upload.py", "views/manage.py"]
FILTER_KEYS = ["filter_org", "filter_wave", "filter_compare", "filter_school", "filter_level", "filter_role"]


def _choose_filters(at):
    """Harbor Point, its first wave, a school and a role: every filter away from its default."""
    at.selectbox(key="filter_org").set_value("harbor-point").run()
    at.selectbox(key="filter_wave").set_value(at.selectbox(key="filter_wave").options[1]).run()
    at.selectbox(key="filter_compare").set_value(at.selectbox(key="filter_compare").options[1]).run()
    at.selectbox(key="filter_school").set_value(at.selectbox(key="filter_school").options[1]).run()
    at.selectbox(key="filter_role").set_value(at.selectbox(key="filter_role").options[1]).run()
    assert not at.exception, at.exception
    return at


def _filter_values(at) -> dict[str, str]:
    return {key: at.selectbox(key=key).value for key in FILTER_KEYS}


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_pages_show_no_partner_filters(app, page):
    """Upload a wave and Manage data have no Organization, Wave, School, Level or Role filter in the sidebar."""
    at = _choose_filters(app().run())
    assert {"School", "Role"} <= {box.label for box in at.sidebar.selectbox}  # drawn on the partner page
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert [box.label for box in at.sidebar.selectbox] == []
    assert not [box for box in at.selectbox if box.key in FILTER_KEYS]
    assert "Organization" in [box.label for box in at.main.selectbox]  # the page's own selector


def test_filters_chosen_before_are_set_again_after_both_staff_pages(app):
    """Org, wave, comparison, school and role survive Manage data and Upload a wave, in the widgets and the URL."""
    at = _choose_filters(app().run())
    chosen, link, caption = _filter_values(at), dict(at.query_params), at.caption[0].value
    assert chosen["filter_org"] == "harbor-point" and chosen["filter_role"] != "All" and len(link) == 5

    at.switch_page("views/manage.py").run()
    assert dict(at.query_params) == link  # a reload or a copied link still carries the partner's view
    at.switch_page("views/upload.py").run()
    assert dict(at.query_params) == link
    at.switch_page("views/overview.py").run()

    assert not at.exception, at.exception
    assert _filter_values(at) == chosen
    assert dict(at.query_params) == link
    assert at.caption[0].value == caption  # the same view: "… · wave …, compared with …, school: …, role: …"


def test_a_shared_link_survives_a_visit_to_a_staff_page(app):
    """A link with org, wave and role opens that view, and it is still that view after Manage data."""
    at = app(org="harbor-point", wave="2025 Spring", role="Teacher").run()
    before = _filter_values(at)
    assert (before["filter_org"], before["filter_wave"], before["filter_role"]) == (
        "harbor-point",
        "2025 Spring",
        "Teacher",
    )
    at.switch_page("views/manage.py").run()
    at.switch_page("views/conditions.py").run()
    assert not at.exception, at.exception
    assert _filter_values(at) == before
    assert (at.query_params["org"], at.query_params["wave"], at.query_params["role"]) == (
        "harbor-point",
        "2025 Spring",
        "Teacher",
    )


@pytest.mark.parametrize(("page", "key"), [("views/manage.py", "manage_org"), ("views/upload.py", "upload_org")])
def test_staff_pages_open_on_the_organization_chosen_in_the_filters(app, page, key):
    """Coming from Harbor Point's results, both staff pages start on Harbor Point (their own selector)."""
    at = _choose_filters(app().run())
    at.switch_page(page).run()
    assert at.selectbox(key=key).value == "harbor-point"


def test_a_link_straight_to_a_staff_page_keeps_its_filters_for_the_partner_pages(app):
    """/manage?org=harbor-point&role=Teacher opens Manage data on Harbor Point; the Overview then shows that view."""
    at = app(org="harbor-point", role="Teacher").switch_page("views/manage.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Manage data" and [box.label for box in at.sidebar.selectbox] == []
    assert at.selectbox(key="manage_org").value == "harbor-point"
    at.switch_page("views/overview.py").run()
    assert (at.selectbox(key="filter_org").value, at.selectbox(key="filter_role").value) == ("harbor-point", "Teacher")
