"""Staff upload a wave through the page: check, confirm, and find it on the Overview; duplicates are refused."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STORED_EXPORT = ROOT / "data_samples" / "cedar-valley_2026-spring_qualtrics.csv"


@pytest.fixture(scope="module")
def new_export(tmp_path_factory) -> bytes:
    """A Qualtrics export the store has never seen: the demo network drawn with another seed."""
    from survey_model.demo import generate, write_exports

    folder = tmp_path_factory.mktemp("new-wave")
    paths = write_exports(generate(seed=7), folder)
    return next(p for p in paths if p.name == STORED_EXPORT.name).read_bytes()


def _upload(at, name: str, data: bytes, label: str):
    at.switch_page("views/upload.py").run()
    at.selectbox(key="upload_org").set_value("cedar-valley")
    at.text_input(key="upload_wave").set_value(label)
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
    _confirm(at)
    assert any("Wave stored" in s.label for s in at.status) or any("stored" in s.value for s in at.success)
    at.switch_page("views/overview.py").run()
    assert "2027 Spring" in at.selectbox(key="filter_wave").options
    at.selectbox(key="filter_wave").set_value("2027 Spring").run()
    assert not at.exception and at.title[0].value == "Overview"
    assert "2027 Spring" in at.caption[0].value


def test_uploading_a_stored_file_again_is_refused(app):
    """The same file under another label is recognised by its hash and not stored twice."""
    at = _upload(app().run(), STORED_EXPORT.name, STORED_EXPORT.read_bytes(), "2026 Spring again")
    _confirm(at)
    messages = [w.value for w in at.warning] + [s.value for s in at.success]
    assert any("already" in message for message in messages), messages
    at.switch_page("views/overview.py").run()
    assert "2026 Spring again" not in at.selectbox(key="filter_wave").options
