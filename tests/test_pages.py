"""Every page renders through the entry point on the demo data, and the Overview shows the right figures."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "views").glob("*.py"))


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(app, page):
    """Each page, reached through app.py's navigation, runs on the demo data without an exception."""
    at = app().run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_overview_opens_on_the_latest_wave_of_the_first_organization(app):
    """A newcomer lands on the Overview with demo data already there, newest wave selected."""
    at = app().run()
    assert at.title[0].value == "Overview"
    assert at.selectbox(key="filter_wave").value == at.selectbox(key="filter_wave").options[-1]
    labels = [metric.label for metric in at.metric]
    assert "Collective Leadership Index" in labels and "See themselves as leaders" in labels


def test_changing_the_wave_changes_the_figures(app):
    """Picking another wave changes the headline numbers shown."""
    at = app(org="cedar-valley").run()
    first = {metric.label: metric.value for metric in at.metric}
    waves = at.selectbox(key="filter_wave").options
    at.selectbox(key="filter_wave").set_value(waves[0]).run()
    second = {metric.label: metric.value for metric in at.metric}
    assert not at.exception and first != second
    assert at.query_params["wave"] == waves[0]  # the view can be shared as a link
