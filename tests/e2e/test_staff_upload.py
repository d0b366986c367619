"""Staff upload exports through the Upload page in a real browser: a demo export is stored, a foreign file is not."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from streamlit_ui import CONFIRM, click, data_folder, upload

from survey_model.settings import Settings
from survey_model.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REAL_EXPORTS = Path(os.environ.get("CLD_REAL_EXPORTS", ROOT.parent / "shared" / "real-exports"))


def waves(app_server, org: str) -> dict[str, int]:
    store = Store.from_settings(Settings(data_dir=data_folder(app_server)))
    try:
        return {w.label: w.n_respondents for w in store.waves(org)}
    finally:
        store.close()


def test_staff_store_a_demo_export_once_and_the_same_file_again_is_refused(page, app_server, fresh_demo):
    """A new demo export goes through detect, map and validate to a stored wave of the truth file's size; sent
    again under another label it is refused and nothing more is stored."""
    truth = json.loads((fresh_demo / "truth.json").read_text())
    entry = next(f for f in truth["files"] if f["path"].endswith("google-forms.csv") and f["organization"])
    org, file = entry["organization"], fresh_demo / entry["path"]
    before = waves(app_server, org)

    upload(page, app_server.url, file, org=org, label="E2E 2027 Spring")
    assert page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() >= 1  # the mapping table
    confirm = page.locator(CONFIRM)
    assert confirm.is_enabled()
    click(page, confirm, timeout=120)
    after = waves(app_server, org)
    assert after == {**before, "E2E 2027 Spring": entry["respondents"]}

    upload(page, app_server.url, file, org=org, label="E2E same file again")
    if page.locator(CONFIRM).is_enabled():  # the page may refuse before or on confirming: either way, not stored
        click(page, page.locator(CONFIRM), timeout=120)
    assert waves(app_server, org) == after


@pytest.mark.skipif(not REAL_EXPORTS.is_dir(), reason=f"the shared real exports are not here ({REAL_EXPORTS})")
def test_a_real_export_about_another_topic_is_read_and_reported_but_cannot_be_stored(page, app_server):
    """A real Qualtrics export (not about collective leadership) shows its mapping and report; confirm stays off."""
    org = Store.from_settings(Settings(data_dir=data_folder(app_server))).organizations()[0].id
    before = waves(app_server, org)
    upload(
        page,
        app_server.url,
        REAL_EXPORTS / "qualtrics" / "qualtrics_sample_numeric_3row.csv",
        org=org,
        label="E2E real",
    )
    assert page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() >= 1
    assert page.locator(CONFIRM).is_disabled()
    assert waves(app_server, org) == before
