"""A partner explores every results page in a real browser: charts drawn, filters kept in the page address."""

from __future__ import annotations

import pytest
from streamlit_ui import (
    RESULTS_PAGES,
    choose,
    chosen,
    click,
    data_folder,
    keyed,
    open_page,
    query,
    settled,
    sidebar_text,
)

from survey_model.settings import Settings
from survey_model.store import Store

pytestmark = pytest.mark.slow


def stored(app_server) -> Store:
    return Store.from_settings(Settings(data_dir=data_folder(app_server)))


def test_every_results_page_draws_its_charts_without_an_error(page, app_server):
    """Moving through the sidebar, every results page finishes with all its charts drawn and no exception."""
    open_page(page, app_server.url)
    for path in RESULTS_PAGES[1:]:
        link = page.locator(f'[data-testid="stSidebarNav"] a[href$="{path}"]')
        state = click(page, link, path=path)
        assert state["charts"] >= 1 and state["drawn"] == state["charts"], (path, state)
        assert page.locator('[data-testid="stMain"] h1').count() >= 1, f"{path} has no page heading"


def test_a_filter_chosen_in_the_sidebar_goes_into_the_address_and_stays_across_pages(page, app_server):
    """Picking role Teacher puts role=Teacher in the URL; on the next page the filter and the URL still say so."""
    open_page(page, app_server.url, "/conditions")
    assert "role" not in query(page)
    choose(page, keyed(page, "filter_role"), "Teacher")
    assert query(page).get("role") == "Teacher"
    click(page, page.locator('[data-testid="stSidebarNav"] a[href$="/schools"]'), path="/schools")
    assert query(page).get("role") == "Teacher"
    assert chosen(page, "filter_role") == "Teacher"


def test_a_shared_link_opens_the_view_it_names(page, app_server):
    """A link naming organization, waves and role opens, in a new session, with exactly those filters chosen."""
    store = stored(app_server)
    org = next(o for o in store.organizations() if o.id != store.organizations()[0].id)  # not the default one
    waves = [w.label for w in store.waves(org.id)]
    store.close()
    assert len(waves) >= 2
    open_page(page, app_server.url, "/shifts", org=org.id, wave=waves[-2], compare=waves[0], role="Teacher")
    assert chosen(page, "filter_org") == org.name
    assert chosen(page, "filter_wave") == waves[-2]
    assert chosen(page, "filter_compare") == waves[0]
    assert chosen(page, "filter_role") == "Teacher"
    assert query(page)["org"] == org.id


def test_nonsense_in_the_address_falls_back_to_a_working_page(page, app_server):
    """Unknown organization, wave and role values in a link are ignored: the page renders with its charts."""
    state = open_page(page, app_server.url, "/", org="no-such-org", wave="1999 Winter", role="Astronaut")
    assert state["charts"] >= 1
    assert "Astronaut" not in sidebar_text(page)
    settled(page)


def test_every_page_opens_at_its_own_name_in_the_address(page, app_server):
    """Each page the sidebar links to (``/overview`` too) opens in a fresh load with its heading, never "not found"."""
    open_page(page, app_server.url)
    home = page.locator('[data-testid="stMain"] h1').first.inner_text()
    links = page.locator('[data-testid="stSidebarNav"] a')
    addresses = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any(address.rstrip("/").endswith("/overview") for address in addresses), addresses
    for address in addresses:
        path = "/" + address.rstrip("/").rsplit("/", 1)[-1]
        page.goto(app_server.url + path)  # the heading is enough: some pages keep a chart undrawn in a closed tab
        heading = page.locator('[data-testid="stMain"] h1').first
        heading.wait_for(timeout=90_000)
        assert "Page not found" not in page.locator("body").inner_text(), path
        if path == "/overview":
            assert heading.inner_text() == home


def test_viewers_get_no_deploy_button_or_developer_menu(page, app_server):
    """The toolbar is in viewer mode (``.streamlit/config.toml``): no Deploy button for a partner to wonder about."""
    open_page(page, app_server.url)
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
