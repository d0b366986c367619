"""Staff upload a wave through the page: check, confirm, and find it on the Overview; duplicates are refused."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STORED_EXPORT = ROOT / "data_samples" / "cedar-valley_2026-spring_qualtrics.csv"
CLOSED = dt.date(2026, 4, 20)


@pytest.fixture(scope="module")
def new_export(tmp_path_factory) -> bytes:
    """A Qualtrics export the store has never seen: the demo network drawn with another seed."""
    from survey_model.demo import generate, write_exports

    folder = tmp_path_factory.mktemp("new-wave")
    paths = write_exports(generate(seed=7), folder)
    return next(p for p in paths if p.name == STORED_EXPORT.name).read_bytes()


def _upload(at, name: str, data: bytes, label: str, *, date: dt.date | None = CLOSED):
    at.switch_page("views/upload.py").run()
    at.selectbox(key="upload_org").set_value("cedar-valley")
    at.text_input(key="upload_wave").set_value(label)
    if date is not None:
        at.date_input(key="upload_date").set_value(date)
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _confirm(at):
    button = next(b for b in at.button if b.label == "Confirm and store this wave")
    assert not button.disabled, [e.value for e in at.error]
    button.click().run()
    assert not at.exception, at.exception


def test_uploaded_wave_appears_on_the_overview(app, new_export):
    """Upload a new Qualtrics export, see the detected platform and what will be stored, confirm, then view it."""
    at = _upload(app().run(), "cedar-valley_2027-spring_qualtrics.csv", new_export, "2027 Spring")
    assert "Qualtrics" in [m.value for m in at.metric]
    assert any("Personal data dropped" in m.value for m in at.markdown)
    # The report holds notes only (rows left out, as documented): a green verdict, not a warning about nothing.
    assert any(s.value.startswith("No problems found") for s in at.success)
    assert not any("Warnings do not block" in w.value for w in at.warning)
    _confirm(at)
    assert any("Wave stored" in s.label for s in at.status) or any("stored" in s.value for s in at.success)
    at.switch_page("views/overview.py").run()
    assert "2027 Spring" in at.selectbox(key="filter_wave").options
    at.selectbox(key="filter_wave").set_value("2027 Spring").run()
    assert not at.exception and at.title[0].value == "Overview"
    assert "2027 Spring" in at.caption[0].value


def test_uploading_a_stored_file_again_is_refused(app):
    """The same file under another label is recognised by its hash before Confirm: the page says where it is stored
    (the organization by its name) and Confirm stays off."""
    at = _upload(app().run(), STORED_EXPORT.name, STORED_EXPORT.read_bytes(), "2026 Spring again")
    warning = next(w.value for w in at.warning if "already stored" in w.value)
    assert "wave “2026 Spring” of Cedar Valley School District" in warning and "cedar-valley" not in warning
    assert next(b for b in at.button if b.label == "Confirm and store this wave").disabled
    assert any("already stored" in c.value for c in at.caption)


def test_the_survey_date_is_asked_for_not_assumed(app, new_export):
    """No date given: the page asks for it and Confirm stays off; with a date, Confirm is on."""
    at = _upload(app().run(), "cedar-valley_2027-spring_qualtrics.csv", new_export, "2027 Spring", date=None)
    assert at.date_input(key="upload_date").value is None
    assert any("date the survey closed" in i.value for i in at.info)
    assert next(b for b in at.button if b.label == "Confirm and store this wave").disabled
    at.date_input(key="upload_date").set_value(CLOSED).run()
    assert not next(b for b in at.button if b.label == "Confirm and store this wave").disabled
    at.switch_page("views/overview.py").run()
    assert "2026 Spring again" not in at.selectbox(key="filter_wave").options


def _wave_options(at) -> list[str]:
    at.switch_page("views/overview.py").run()
    assert not at.exception, at.exception
    return list(at.selectbox(key="filter_wave").options)


def _stored_waves(data_dir) -> list[tuple[str, str, int]]:
    """Cedar Valley's stored waves read straight from the store: label, file hash, respondents."""
    from survey_model.settings import Settings
    from survey_model.store import Store

    with Store.from_settings(Settings(data_dir=data_dir)) as store:
        return [(w.label, w.file_sha256, w.n_respondents) for w in store.waves("cedar-valley")]


def test_a_label_typed_in_another_case_is_the_stored_wave_not_a_new_one(app, data_dir, new_export):
    """Typing " 2026 SPRING " says it is the stored "2026 Spring"; without Replace nothing can be stored."""
    at = app().run()
    waves_before = _wave_options(at)
    stored_before = _stored_waves(data_dir)
    assert "2026 Spring" in waves_before

    _upload(at, "cedar-valley_2026-spring_qualtrics.csv", new_export, " 2026 SPRING ")
    notices = [i.value for i in at.info]
    assert any("“2026 SPRING” is the stored wave “2026 Spring”" in n and "Replace" in n for n in notices), notices
    assert any("as wave **2026 Spring**" in m.value for m in at.markdown)
    assert [c.label for c in at.checkbox] == [
        "Replace the stored wave “2026 Spring” (its history stays in the audit log)"
    ]
    button = next(b for b in at.button if b.label == "Confirm and store this wave")
    assert button.disabled

    assert _wave_options(at) == waves_before
    assert _stored_waves(data_dir) == stored_before


def test_replace_under_a_label_typed_in_another_case_replaces_the_stored_wave(app, data_dir, new_export):
    """With Replace ticked, "2026 spring" replaces "2026 Spring", which keeps its label; the wave list is unchanged."""
    at = app().run()
    waves_before = _wave_options(at)
    stored_before = dict((label, rest) for label, *rest in _stored_waves(data_dir))

    _upload(at, "cedar-valley_2026-spring_qualtrics.csv", new_export, "2026 spring")
    at.checkbox(key="upload_replace").check().run()
    _confirm(at)
    assert [s.label for s in at.status] == ["Wave replaced"]
    assert any("Replaced wave '2026 Spring'" in s.value for s in at.success)

    assert sorted(_wave_options(at)) == sorted(waves_before)  # the order follows the dates: the upload's is today
    stored_after = dict((label, rest) for label, *rest in _stored_waves(data_dir))
    assert sorted(stored_after) == sorted(stored_before)
    assert stored_after["2026 Spring"][0] == hashlib.sha256(new_export).hexdigest() != stored_before["2026 Spring"][0]
    assert {k: v for k, v in stored_after.items() if k != "2026 Spring"} == {
        k: v for k, v in stored_before.items() if k != "2026 Spring"
    }


def test_a_label_that_could_be_either_of_two_case_twins_is_refused(app, data_dir, new_export):
    """In an older database holding "2026 SPRING" and "2026 Spring", "2026 spring" is refused with both named."""
    import sqlite3

    with sqlite3.connect(data_dir / "survey.db") as conn:  # the store no longer writes case twins; older ones may
        conn.execute("UPDATE waves SET label = '2026 SPRING' WHERE org_id = 'cedar-valley' AND label = '2025 Spring'")
    at = _upload(app().run(), "cedar-valley_2026-spring_qualtrics.csv", new_export, "2026 spring")
    warnings = [w.value for w in at.warning]
    assert any("any of the stored waves “2026 SPRING”, “2026 Spring”" in w for w in warnings), warnings
    assert not at.checkbox
    assert next(b for b in at.button if b.label == "Confirm and store this wave").disabled

    at.text_input(key="upload_wave").set_value("2026 SPRING").run()
    assert [c.label for c in at.checkbox] == [
        "Replace the stored wave “2026 SPRING” (its history stays in the audit log)"
    ]
    assert not [w for w in at.warning if "differ only in case" in w.value]


def test_another_networks_export_is_flagged_before_it_can_be_stored(app, tmp_path):
    """Harbor Point's export (a new one, not the stored demo file) chosen for Cedar Valley: not one school matches,
    so Confirm waits for a tick."""
    from survey_model.demo import generate, write_exports

    export = next(p for p in write_exports(generate(seed=7), tmp_path) if p.name.startswith("harbor-point_2025"))
    at = app().run()
    at.switch_page("views/upload.py").run()
    at.selectbox(key="upload_org").set_value("cedar-valley")
    at.text_input(key="upload_wave").set_value("2027 Spring")
    at.date_input(key="upload_date").set_value(CLOSED)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader(key="upload_file").set_value((export.name, export.read_bytes(), mime)).run()
    assert not at.exception, at.exception
    warning = next(w.value for w in at.warning if "is a school of Cedar Valley" in w.value)
    assert warning.startswith("None of the 4 schools in this file")
    confirm = next(b for b in at.button if b.label == "Confirm and store this wave")
    assert confirm.disabled
    at.checkbox(key="upload_belongs").check().run()
    assert not next(b for b in at.button if b.label == "Confirm and store this wave").disabled


def test_a_new_wave_of_the_same_network_is_not_flagged(app, new_export):
    at = _upload(app().run(), "cedar-valley_2027-spring_qualtrics.csv", new_export, "2027 Spring")
    assert not any("is a school of" in w.value for w in at.warning)
    assert not any(c.key == "upload_belongs" for c in at.checkbox)


def test_a_new_organization_with_a_seventy_character_name_is_stored_without_a_traceback(app, new_export):
    """A long accented name gets a valid id (cut to 64 characters): the wave is stored, no exception."""
    name = "Académie régionale des écoles publiques du Grand Saint-Laurent-du-Nord"
    assert len(name) == 70
    at = app().run()
    at.switch_page("views/upload.py").run()
    at.selectbox(key="upload_org").set_value("+ New organization").run()
    at.text_input(key="upload_new_org").set_value(name)
    at.text_input(key="upload_wave").set_value("2027 Spring")
    at.date_input(key="upload_date").set_value(CLOSED)
    at.file_uploader(key="upload_file").set_value(("lakeside.csv", new_export, "text/csv")).run()
    assert not at.exception, at.exception
    _confirm(at)
    assert any("Wave stored" in s.label for s in at.status), [s.label for s in at.status]
    at.switch_page("views/manage.py").run()
    assert name in at.selectbox(key="manage_org").options


def test_a_mapping_edit_remaps_the_file_without_reading_it_again(app, new_export, monkeypatch):
    """The export is parsed once per upload; an edit (a column set to "ignore") re-maps the cells already read,
    and the page shows what a fresh import with that edit finds."""
    from survey_model.codebook import load_codebook
    from survey_model.importers import import_export
    from ui import staff

    reads = []
    original = staff.read_export
    monkeypatch.setattr(staff, "read_export", lambda *args, **kw: reads.append(1) or original(*args, **kw))
    at = _upload(app().run(), "cedar-valley_2027-spring_qualtrics.csv", new_export, "2027 Spring")
    fresh = import_export(new_export, "x.csv", load_codebook())
    position = next(e.position for e in fresh.mapping.entries if e.target == "VS1")
    at.session_state[staff.overrides_key(new_export)] = {f"c{position}": ""}
    at.run()
    assert not at.exception, at.exception
    assert len(reads) == 1
    edited = import_export(new_export, "x.csv", load_codebook(), mapping={f"c{position}": ""})
    before = import_export(new_export, "x.csv", load_codebook())
    assert edited.report.to_frame()["message"].tolist() != before.report.to_frame()["message"].tolist()
    tables = [frame.value for frame in at.dataframe]
    shown = next(t for t in tables if "Message" in t.columns)
    assert shown["Message"].tolist() == edited.report.to_frame()["message"].tolist()
