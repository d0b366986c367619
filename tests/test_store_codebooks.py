"""Staff can keep a partner's own codebook in the store and pick it for later uploads."""

import dataclasses

import pytest

from survey_model.codebook import codebook_from_spreadsheet, spreadsheet_template
from survey_model.settings import Settings
from survey_model.store import Store, StoreError


@pytest.fixture
def store(tmp_path):
    """A real store in a temporary SQLite file."""
    return Store.from_settings(Settings(data_dir=tmp_path))


def _partner_codebook():
    table = spreadsheet_template()
    table.loc[table["item_id"] == "VS1", "text"] = "Our team shares one picture of success for students."
    codebook, report = codebook_from_spreadsheet(table.to_csv(index=False).encode(), filename="Lakeside.csv")
    assert report.ok, report.to_text()
    return codebook


def test_uploaded_codebook_is_kept_and_read_back_unchanged(store):
    """A codebook read from a spreadsheet and stored comes back with the same items and wording."""
    codebook = _partner_codebook()
    stored = store.save_codebook(codebook, user="staff")
    again = store.codebook(stored.id, stored.version)
    assert again.item("VS1").text == "Our team shares one picture of success for students."
    assert [i.id for i in again.items] == [i.id for i in codebook.items]
    assert (stored.id, stored.version) in {(c.id, c.version) for c in store.codebooks()}
    assert "save_codebook" in set(store.audit_log()["action"])


def test_changed_codebook_gets_a_new_version_and_the_same_content_does_not(store):
    """Same content twice: nothing new. Changed wording under the same version: stored as the next version."""
    codebook = _partner_codebook()
    first = store.save_codebook(codebook, user="staff")
    assert store.save_codebook(codebook, user="staff").version == first.version
    changed = dataclasses.replace(codebook, name="Lakeside survey 2027")
    second = store.save_codebook(changed, user="staff")
    assert second.version != first.version
    assert store.codebook(first.id, first.version).name != store.codebook(second.id, second.version).name


def test_asking_for_an_unknown_codebook_says_what_to_do(store):
    """A missing codebook is a StoreError with an action, not a crash."""
    with pytest.raises(StoreError, match="No codebook") as info:
        store.codebook("nope", "1")
    assert info.value.action


def test_condition_groups_keep_their_display_order_through_the_store(store):
    """Foundational conditions are listed before cultural ones after a round trip, as in the codebook."""
    from survey_model.codebook import load_codebook

    stored = store.save_codebook(load_codebook(), user="staff")
    assert list(store.codebook(stored.id, stored.version).groups) == ["foundational", "cultural"]
