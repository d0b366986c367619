"""The Overview's leader-identity sentence comes from the selection's own comparison (not the whole Shifts view)
and words the change exactly as before: sentences captured once from the old implementation on the demo data
(tests/fixtures/leader_statements_demo.json, the whole Shifts view's report at commit 0f12dde; its "95% CI a to
b" then reworded mechanically to the partners' "likely between a and b", numbers and verdicts untouched)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from survey_model import dashboard
from survey_model.release import released_responses
from survey_model.scoring import with_condition_parts
from survey_model.settings import Settings
from survey_model.shifts.display import measure_statements
from survey_model.store import Store

EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "leader_statements_demo.json").read_text())


@pytest.fixture(scope="module")
def frames(demo_data_dir):
    store = Store.from_settings(Settings(data_dir=demo_data_dir))
    try:
        yield {
            org: (
                with_condition_parts(released_responses(store, org).frame, store.codebook_for(org)),
                store.codebook_for(org),
            )
            for org in ("cedar-valley", "harbor-point")
        }
    finally:
        store.close()


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_the_leader_sentence_is_worded_as_before(frames, key):
    """Each organization, comparison wave and filter: the same sentence as the old whole-view path."""
    org, from_wave, to_wave, restriction = key.split("|")
    frame, codebook = frames[org]
    report = dashboard.shifts_report(
        frame, codebook, from_wave=from_wave, to_wave=to_wave, restriction=json.loads(restriction), settings=Settings()
    )
    found = measure_statements(report.to_frame(matched=False), measure="leader_identity")
    assert (found[0] if found else "") == EXPECTED[key]


def test_the_overview_shows_the_sentence_since_the_first_wave(app):
    """The Overview's default selection (latest wave against the first) shows the pinned sentence."""
    at = app(org="cedar-valley").run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown]
    assert f"**{EXPECTED['cedar-valley|2024 Spring|2026 Spring|{}']}**" in shown, shown
