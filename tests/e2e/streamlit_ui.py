"""What the e2e tests read from the page: Streamlit's own test ids and widget keys, never page wording.

Other people reword the pages often; the structure Streamlit renders (``data-testid`` attributes, the
``st-key-<key>`` class of a keyed widget) and the app's widget keys change far less.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bench.browser import now, wait_rendered


def data_folder(server: Any) -> Path:
    """The temporary data folder of the e2e server's database (set by the ``app_server`` fixture)."""
    return server.data_dir


RESULTS_PAGES = ["/", "/conditions", "/schools", "/subgroups", "/leader_identity", "/shifts"]
ALL_PAGES = [*RESULTS_PAGES, "/workshop", "/upload", "/manage", "/access"]
#: The Upload page's confirm button: the only primary button of the page.
CONFIRM = '[data-testid="stMain"] [data-testid="stBaseButton-primary"]'


def open_page(page: Any, base: str, path: str = "/", *, timeout: float = 90.0, **query: str) -> dict[str, Any]:
    """Go to ``base + path`` with ``query`` in a fresh load, wait until rendered, and check it shows no error."""
    from urllib.parse import urlencode

    url = base + path + (f"?{urlencode(query)}" if query else "")
    page.goto(url)
    return settled(page, timeout=timeout)


def settled(page: Any, *, timeout: float = 90.0, path: str | None = None, after: float | None = None) -> dict[str, Any]:
    """Wait until rendered (and changed since ``after``) and assert that no Streamlit exception block is shown."""
    current = wait_rendered(page, timeout=timeout, path=path, after=after)
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{page.url} shows an exception: {exceptions.first.inner_text()[:2000]}"
    return current


def sidebar_text(page: Any) -> str:
    """Everything the sidebar says, including the filters' chosen values."""
    return page.locator('[data-testid="stSidebarUserContent"]').inner_text()


def query(page: Any) -> dict[str, str]:
    """The page address's query parameters."""
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(page.url).query))


def keyed(page: Any, key: str) -> Any:
    """The element container of the widget created with ``key=key``."""
    return page.locator(f".st-key-{key}")


def choose(page: Any, selectbox: Any, option: str) -> None:
    """Pick ``option`` in a Streamlit selectbox (a locator of its ``stSelectbox`` block) and wait for the rerun."""
    selectbox.locator("input").focus()
    page.keyboard.press("ArrowDown")  # opens the list, as a keyboard user would
    before = now(page)
    page.get_by_role("option", name=option, exact=True).click()
    settled(page, after=before)


def chosen(page: Any, key: str) -> str:
    """The value a selectbox created with ``key=key`` shows."""
    return keyed(page, key).locator("input").input_value()


def press(page: Any, key: str, *, timeout: float = 90.0) -> dict[str, Any]:
    """Press ``key`` on the page and wait for the rerun it causes."""
    before = now(page)
    page.keyboard.press(key)
    return settled(page, after=before, timeout=timeout)


def click(page: Any, locator: Any, *, timeout: float = 90.0, path: str | None = None) -> dict[str, Any]:
    """Click ``locator`` and wait for the rerun it causes."""
    before = now(page)
    locator.click()
    return settled(page, after=before, timeout=timeout, path=path)


FIRST_DAY = re.compile(r"^1$")


def upload(page: Any, base: str, file: Path, *, org: str, label: str) -> None:
    """Open the Upload page for ``org``, name the wave, drop the file in and wait for the checks to show."""
    open_page(page, base, "/upload", org=org)
    wave = keyed(page, "upload_wave").locator("input")
    wave.fill(label)
    before = now(page)
    wave.press("Enter")
    settled(page, after=before)
    # The date is asked for, never assumed: picked in the calendar (the 1st of the month shown; typing into the
    # year, month and day fields shows the date without handing it to the app).
    keyed(page, "upload_date").locator('[data-testid="stDateInputCalendarButton"]').click()
    day = page.locator('[role="dialog"] [role="gridcell"]:not([aria-disabled="true"])').filter(has_text=FIRST_DAY)
    before = now(page)
    day.first.click()
    settled(page, after=before)
    before = now(page)
    keyed(page, "upload_file").locator('input[type="file"]').set_input_files(str(file))
    settled(page, after=before, timeout=120)
