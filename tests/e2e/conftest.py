"""The app in a real browser: one ``streamlit run app.py`` on a free port and a temporary database per session.

These tests need Debian's Chromium and the ``playwright`` package (never ``playwright install``: the system
Chromium is driven directly). Without them they skip with the reason; with ``CLD_REQUIRE_BROWSER=1`` (set by
``.ci/run``) they fail instead, so CI cannot pass by skipping them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.browser import (
    BrowserMissingError,
    Server,
    chromium_executable,
    launch,
    new_context,
    streamlit_server,
    wait_rendered,
)

ROOT = Path(__file__).resolve().parents[2]
REQUIRE_BROWSER = os.environ.get("CLD_REQUIRE_BROWSER", "").strip() not in ("", "0")


def unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail when the environment says the browser tests must run."""
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason}, and CLD_REQUIRE_BROWSER is set: the browser tests must run here", pytrace=False)
    pytest.skip(f"{reason}; the browser tests need it")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless system Chromium driven by Playwright, shared by the session."""
    try:
        chromium_executable()
    except BrowserMissingError as missing:
        unavailable(str(missing))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def app_server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run app.py`` on an empty temporary data folder; the first visit loads the demo data."""
    folder = tmp_path_factory.mktemp("e2e-instance")
    env = {"CLD_DATA_DIR": str(folder), "CLD_DATABASE_URL": ""}
    with streamlit_server(env=env, log=folder.parent / "e2e-server.log") as server:
        context = new_context(browser)
        page = context.new_page()
        page.goto(server.url)
        wait_rendered(page, timeout=180)  # the demo import runs during this first visit
        context.close()
        server.data_dir = folder  # type: ignore[attr-defined]
        yield server


@pytest.fixture
def page(browser: Any, app_server: Server) -> Iterator[Any]:
    """A new browser session (no cookies, no state) that accepts downloads."""
    context = new_context(browser, accept_downloads=True)
    context.set_default_timeout(60_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def fresh_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo exports made with another seed than the stored ones, so they are new files to the database."""
    folder = tmp_path_factory.mktemp("demo-seed-7")
    command = [sys.executable, "-m", "survey_model", "demo", "--seed", "7", "--out", str(folder)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return folder
