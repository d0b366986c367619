"""Staff manage stored waves: a delete needs the wave's label typed, and the audit log keeps it."""

from survey_model.settings import Settings
from survey_model.store import Store


def test_deleting_a_wave_needs_its_label_typed_and_is_recorded(app, data_dir):
    """The delete button stays disabled until the label is typed; afterwards the wave is gone and audited."""
    at = app(org="harbor-point").run()
    at.switch_page("views/manage.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="manage_org").set_value("harbor-point")
    at.selectbox(key="delete_wave").set_value("2024 Spring").run()
    assert at.button(key="delete_button").disabled
    at.text_input(key="delete_confirm").set_value("2024 Spring").run()
    at.button(key="delete_button").click().run()
    assert not at.exception, at.exception
    store = Store.from_settings(Settings(data_dir=data_dir), create=False)
    assert [w.label for w in store.waves("harbor-point")] == ["2025 Spring", "2026 Spring"]
    log = store.audit_log("harbor-point")
    assert ((log["action"] == "delete_wave") & (log["wave"] == "2024 Spring")).any()
    assert [w.label for w in store.waves("cedar-valley")] == ["2024 Spring", "2025 Spring", "2026 Spring"]


def test_staff_rename_an_organization_on_the_manage_page(app, data_dir):
    """Rename stays off until the name changes; afterwards the store, the audit log and the sidebar carry the new
    name, and the id is unchanged."""
    at = app(org="harbor-point").run()
    at.switch_page("views/manage.py").run()
    at.selectbox(key="manage_org").set_value("harbor-point").run()
    assert at.button(key="manage_rename").disabled
    at.text_input(key="manage_name_harbor-point").set_value("Harbor Point Unified").run()
    at.button(key="manage_rename").click().run()
    assert not at.exception, at.exception
    assert any("Renamed “Harbor Point Schools” to “Harbor Point Unified”" in s.value for s in at.success)
    store = Store.from_settings(Settings(data_dir=data_dir), create=False)
    assert store.organization("harbor-point").name == "Harbor Point Unified"
    log = store.audit_log("harbor-point")
    assert (log["action"] == "rename_organization").any()
    at.switch_page("views/overview.py").run()
    assert "Harbor Point Unified" in at.selectbox(key="filter_org").options  # the sidebar names it
