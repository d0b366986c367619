"""A facilitator runs the workshop from the app: choose waves and scope, step through, present, take the files."""

import re

import pytest


def _slide_title(at) -> str:
    return next(m.value[2:] for m in at.markdown if m.value.startswith("# "))


def _open(app, **query):
    at = app(**query).run()
    at.switch_page("views/workshop.py").run()
    assert not at.exception, at.exception
    return at


def test_facilitator_steps_through_the_whole_deck(app):
    """Next until the last slide: every slide draws without an exception, in order, and Next is then disabled."""
    at = _open(app, compare="2024 Spring")
    titles = [_slide_title(at)]
    assert at.button(key="workshop_previous").disabled
    charts = [len(at.get("vega_lite_chart"))]
    while not at.button(key="workshop_next").disabled:
        at.button(key="workshop_next").click().run()
        assert not at.exception, at.exception
        titles.append(_slide_title(at))
        charts.append(len(at.get("vega_lite_chart")))
    assert titles == [
        "Cedar Valley School District",
        "Do educators see themselves as leaders?",
        "Conditions for collective leadership",
        "Biggest gains since 2024 Spring",
        "Where to focus",
        "Where to focus: what goes with seeing oneself as a leader",
        "By school",
        "Data dialogue",
        "About these numbers",
    ]
    assert charts == [0, 1, 1, 1, 1, 1, 1, 0, 0]
    assert "Slide 9 of 9" in " ".join(m.value for m in at.markdown)
    at.button(key="workshop_previous").click().run()
    assert _slide_title(at) == "Data dialogue"


def test_default_deck_reports_the_cohorts_clear_increase_since_the_first_wave(app):
    """Defaults only: first → latest wave, and the leader slide says the cohort rose clearly (planted 30% → 47%)."""
    at = _open(app, org="cedar-valley")
    assert at.selectbox(key="workshop_wave").value == "2026 Spring"
    assert at.selectbox(key="workshop_compare").value == "2024 Spring"  # as the sidebar says
    at.button(key="workshop_next").click().run()
    assert _slide_title(at) == "Do educators see themselves as leaders?"
    points = "\n".join(m.value for m in at.markdown)
    cohort = next(line for line in points.splitlines() if "cohort" in line.casefold())
    assert "clear increase" in cohort and "no clear" not in cohort
    assert re.search(r"\b(2[6-9]|3[0-4])% → (4[3-9]|5[01])%", cohort), cohort  # 30% → 47% within sampling error
    assert any(line.startswith("- Since the previous wave, 2025 Spring:") for line in points.splitlines())


def test_no_comparison_in_the_sidebar_gives_a_snapshot_deck(app):
    """The sidebar says "No comparison": the Workshop compares with nothing either (no hidden previous wave)."""
    at = app(org="cedar-valley").run()
    at.selectbox(key="filter_compare").set_value("No comparison").run()
    at.switch_page("views/workshop.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="workshop_compare").value == "No comparison"


def test_present_mode_hides_the_controls_and_keeps_the_slide(app):
    """Present: no setup controls or downloads, the sidebar hidden by CSS, large type, navigation still there."""
    at = _open(app)
    at.button(key="workshop_next").click().run()
    at.toggle(key="workshop_present").set_value(True).run()
    assert not at.exception
    assert not [box for box in at.selectbox if box.key and box.key.startswith("workshop_")]
    assert not at.get("download_button")
    assert any('section[data-testid="stSidebar"]' in m.value and "display: none" in m.value for m in at.markdown)
    assert _slide_title(at) == "Do educators see themselves as leaders?"
    assert not at.button(key="workshop_next").disabled
    at.toggle(key="workshop_present").set_value(False).run()
    assert at.selectbox(key="workshop_scope").value == "Whole organization"


def test_one_school_deck_breaks_down_by_role(app):
    """Choosing a school as scope rebuilds the deck for it, back at its first slide."""
    at = _open(app)
    at.button(key="workshop_next").click().run()
    at.selectbox(key="workshop_scope").set_value("Cedar Valley High School").run()
    assert not at.exception
    assert _slide_title(at) == "Cedar Valley High School"
    for _ in range(6):
        at.button(key="workshop_next").click().run()
    assert _slide_title(at) == "By role"


def test_small_school_gets_no_figure_on_any_slide(app):
    """A school below the minimum in the chosen wave: a 'too few' slide, no chart, no count of its respondents."""
    at = _open(app)
    at.selectbox(key="workshop_scope").set_value("Juniper Hollow School").run()
    seen = []
    while True:
        seen.append(_slide_title(at))
        assert not at.get("vega_lite_chart")
        if at.button(key="workshop_next").disabled:
            break
        at.button(key="workshop_next").click().run()
    assert seen == ["Juniper Hollow School", "Too few responses to show", "About these numbers"]


@pytest.mark.parametrize("slide", [0, 2])
def test_downloads_offer_the_deck_the_workbook_and_the_slides_chart(app, slide):
    """PowerPoint and workbook always; PNG and SVG of the chart only on a slide that has one."""
    at = _open(app)
    for _ in range(slide):
        at.button(key="workshop_next").click().run()
    labels = [button.label for button in at.get("download_button")]
    charts = ["Chart (.png)", "Chart (.svg)"] if slide else []
    assert labels == ["Deck (.pptx)", *charts, "Results workbook (.xlsx)"]
