"""Sign-in in a real browser: an OpenID Connect provider on localhost (``oidc-provider-mock``), the app started
with ``streamlit run`` and a secrets file pointing at it, Debian's Chromium driven by Playwright.

A partner of Cedar Valley signs in (through the domain grant), sees Cedar Valley, tries Harbor Point by its link and
by the staff pages' addresses and is refused, and signs out; a staff member signs in and grants a domain on the
People and access page. Skipped with the reason only outside CI (``CLD_REQUIRE_BROWSER``), like the other browser
tests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit_ui import chosen, click, keyed, open_page, settled, sidebar_text

from bench.browser import Server, free_port, new_context, now, streamlit_server, wait_rendered
from survey_model.settings import Settings
from survey_model.store import Store

PARTNER = "pat@cedarvalley.k12.example"
STAFF = "boss@network.example"
NO_ACCESS = "You do not have access"


@pytest.fixture(scope="module")
def provider(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[str]:
    """The OpenID Connect provider, in a thread of this process: any client, any user typed on its form."""
    try:
        from oidc_provider_mock import run_server_in_thread
    except ImportError:  # a requirement of the tests (requirements-dev.txt): CI fails, elsewhere it says why
        reason = "oidc-provider-mock is not installed (pip install -r requirements-dev.txt)"
        if os.environ.get("CLD_REQUIRE_BROWSER", "").strip() not in ("", "0"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    monkeypatch_module.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on localhost, for the test only
    with run_server_in_thread(port=free_port()) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def signed_in_server(browser: Any, provider: str, demo_data_dir: Path, tmp_path_factory) -> Iterator[Server]:
    """``streamlit run app.py`` with sign-in on (a secrets file naming the provider) on a copy of the demo data,
    where Cedar Valley's domain is granted partner and one address staff on every organization."""
    folder = tmp_path_factory.mktemp("sign-in") / "instance"
    shutil.copytree(demo_data_dir, folder)
    with Store.from_settings(Settings(data_dir=folder)) as store:
        store.grant(email=STAFF, role="staff", org="*", user="test setup")
        store.grant(domain="cedarvalley.k12.example", role="partner", org="cedar-valley", user="test setup")
    port = free_port()
    secrets = folder.parent / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-long-random-test-secret-0123456789abcdef"\n'
        'client_id = "survey-dashboard"\n'
        'client_secret = "test-client-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "[access]\n"
        'contact = "data-team@network.example"\n'
    )
    env = {"CLD_DATA_DIR": str(folder), "CLD_DATABASE_URL": "", "AUTHLIB_INSECURE_TRANSPORT": "1"}
    with streamlit_server(
        env=env, log=folder.parent / "sign-in-server.log", port=port, args=[f"--secrets.files={secrets}"]
    ) as server:
        server.data_dir = folder  # type: ignore[attr-defined]
        yield server


def sign_in(page: Any, server: Server, email: str) -> None:
    """From the sign-in page through the provider's form (type the address as the subject) back to the app."""
    open_page(page, server.url)
    assert page.get_by_role("heading", name="Sign in").count() == 1
    page.get_by_role("button", name="Sign in with your organization's account").click()
    page.wait_for_url(lambda url: not url.startswith(server.url), timeout=60_000)  # at the provider
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(lambda url: url.startswith(server.url) and "oauth2callback" not in url, timeout=60_000)
    wait_rendered(page, timeout=120)


def main_text(page: Any) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_a_partner_sees_their_organization_only_and_signs_out(browser, signed_in_server):
    """Sign in as a Cedar Valley partner: Cedar Valley's Overview; Harbor Point by link, and the Upload page by
    address, say "you do not have access" and show nothing of it; signing out brings the sign-in page back."""
    server = signed_in_server
    context = new_context(browser)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        sign_in(page, server, PARTNER)
        sidebar = sidebar_text(page)
        assert f"Signed in as {PARTNER}" in sidebar and chosen(page, "filter_org") == "Cedar Valley School District"
        assert "Harbor Point" not in sidebar
        assert page.locator('[data-testid="stMetric"]').count() > 0  # Cedar Valley's figures
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Conditions" in nav and "Upload a wave" not in nav and "Workshop" not in nav

        open_page(page, server.url, "/schools", org="harbor-point")
        assert NO_ACCESS in main_text(page)
        body = page.locator("body").inner_text()
        assert "Harbor Point" not in body
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0

        open_page(page, server.url, "/upload")
        assert NO_ACCESS in main_text(page)
        assert page.locator('[data-testid="stFileUploader"]').count() == 0

        page.get_by_role("button", name="Sign out").click()
        end_session = page.get_by_role("button", name="End session")  # the provider asks to confirm
        end_session.or_(page.get_by_role("heading", name="Sign in")).first.wait_for(timeout=60_000)
        if end_session.count():
            end_session.click()
        page.wait_for_url(lambda url: url.startswith(server.url), timeout=60_000)
        open_page(page, server.url)  # a fresh load: the identity cookie is gone
        assert page.get_by_role("heading", name="Sign in").count() == 1
        assert page.locator('[data-testid="stMetric"]').count() == 0
    finally:
        context.close()


def test_staff_grant_a_domain_on_the_access_page(browser, signed_in_server):
    """Sign in as staff, open People and access, grant Harbor Point's domain partner: stored, with who granted."""
    server = signed_in_server
    context = new_context(browser)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        sign_in(page, server, STAFF)
        open_page(page, server.url, "/access")
        assert page.get_by_role("heading", name="People and access").count() == 1
        click(page, keyed(page, "grant_kind").get_by_text("Everyone in an e-mail domain"))
        subject = keyed(page, "grant_subject").locator("input")
        subject.fill("@harborpoint.k12.example")
        before = now(page)
        subject.press("Enter")
        settled(page, after=before)
        org = keyed(page, "grant_org")
        org.locator("input").focus()
        page.keyboard.press("ArrowDown")
        before = now(page)
        page.get_by_role("option", name="Harbor Point Schools", exact=True).click()
        settled(page, after=before)
        click(page, keyed(page, "grant_button").get_by_role("button"))
        assert "Granted partner of Harbor Point Schools for everyone at @harborpoint.k12.example" in main_text(page)
    finally:
        context.close()
    with Store.from_settings(Settings(data_dir=server.data_dir)) as store:  # type: ignore[attr-defined]
        made = [(g.subject, g.role, g.org, g.granted_by) for g in store.grants() if g.org == "harbor-point"]
    assert made == [("@harborpoint.k12.example", "partner", "harbor-point", STAFF)]
