"""Two ``streamlit run`` instances on one PostgreSQL database: a wave stored through one shows up in the other.

Needs the browser (as every test here) and ``CLD_TEST_POSTGRES_URL`` (see ``tests/postgres_server.py``); skipped
with the reason without the server. The instances share the database and the respondent-hashing secret, as the
README's *Several app instances* says they must.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit_ui import CONFIRM, chosen, click, keyed, open_page, settled, upload

from bench.browser import Server, new_context, now, streamlit_server, wait_rendered
from tests.postgres_server import fresh_database, new_schema, skip_reason

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_instances(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """Instance A loads the demo data into a fresh PostgreSQL schema; instance B starts on the same schema."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("two-instances")
    with fresh_database() as database:
        url = new_schema(database)
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        with streamlit_server(
            env={"CLD_DATA_DIR": str(folder / "a"), "CLD_DATABASE_URL": url}, log=folder / "a.log"
        ) as a:
            context = new_context(browser)
            first = context.new_page()
            first.goto(a.url)
            wait_rendered(first, timeout=240)  # the demo import, through instance A
            context.close()
            for secret in (folder / "a").glob("*.secret"):  # one secret for every instance
                shutil.copy(secret, folder / "b" / secret.name)
            env_b = {"CLD_DATA_DIR": str(folder / "b"), "CLD_DATABASE_URL": url}
            with streamlit_server(env=env_b, log=folder / "b.log") as b:
                yield a, b


def wave_options(page) -> list[str]:
    """The choices of the sidebar's wave filter, read by opening it with the keyboard."""
    keyed(page, "filter_wave").locator("input").focus()
    page.keyboard.press("ArrowDown")
    options = page.get_by_role("option")
    options.first.wait_for()
    names = [options.nth(i).inner_text() for i in range(options.count())]
    page.keyboard.press("Escape")
    return names


def test_a_wave_stored_through_one_instance_appears_in_the_other_on_its_next_rerun(browser, two_instances, fresh_demo):
    """B shows the demo waves A loaded; after A stores a new wave, B's open session offers it on its next rerun."""
    a, b = two_instances
    truth = json.loads((fresh_demo / "truth.json").read_text())
    entry = next(f for f in truth["files"] if f["path"].endswith("google-forms.csv"))
    org = entry["organization"]

    watcher_context = new_context(browser)
    watcher = watcher_context.new_page()
    open_page(watcher, b.url, "/conditions", org=org)
    before = wave_options(watcher)
    assert len(before) >= 1 and "E2E 2027 Spring" not in before

    staff_context = new_context(browser)
    staff = staff_context.new_page()
    upload(staff, a.url, Path(fresh_demo) / entry["path"], org=org, label="E2E 2027 Spring")
    click(staff, staff.locator(CONFIRM), timeout=120)
    staff_context.close()

    click(watcher, watcher.locator('[data-testid="stSidebarNav"] a[href$="/schools"]'), path="/schools")
    after = wave_options(watcher)
    assert sorted(after) == sorted([*before, "E2E 2027 Spring"])
    start = now(watcher)
    keyed(watcher, "filter_wave").locator("input").focus()
    watcher.keyboard.press("ArrowDown")
    watcher.get_by_role("option", name="E2E 2027 Spring", exact=True).click()
    state = settled(watcher, after=start)
    assert chosen(watcher, "filter_wave") == "E2E 2027 Spring" and state["drawn"] == state["charts"]
    watcher_context.close()
