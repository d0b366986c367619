"""The Shifts page: honest changes for two or three waves, and no figures where a group is too small."""

import re

from survey_model.settings import Settings
from survey_model.shifts import impact_statement, proportion_shift
from survey_model.store import Store

HEADLINE = "Educators who consider themselves leaders"


def _text(at) -> str:
    """Everything the page shows as text: markdown, captions, alerts, metrics and table cells."""
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.subheader, *at.title)]
    parts += [str(m.value) for m in at.metric]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return "\n".join(parts)


def test_three_waves_show_the_headline_statement_and_a_trend(app):
    """Cedar Valley, 2026 vs 2024: a worded headline with interval and n, and trend charts over all waves."""
    at = app(org="cedar-valley", wave="2026 Spring", compare="2024 Spring").run()
    at.switch_page("views/shifts.py").run()
    assert not at.exception, at.exception
    headline = next(m.value for m in at.markdown if m.value.startswith(f"#### {HEADLINE}"))
    assert "→" in headline and "95% CI" in headline and "n = " in headline
    assert "clear increase" in headline  # the planted rise in leader identity
    assert any("Cohort and comparison schools" in s.value for s in at.subheader)
    assert len(at.get("vega_lite_chart")) >= 3  # group trend, dumbbells, every-wave trend, school heatmap


def test_two_waves_render_without_a_trend_over_waves(app, data_dir):
    """An organization with only two waves gets the comparison, and no chart that needs three waves."""
    store = Store.from_settings(Settings(data_dir=data_dir))
    store.delete_wave("harbor-point", "2026 Spring", user="test", confirm=True)
    store.close()
    at = app(org="harbor-point", wave="2025 Spring").run()
    at.switch_page("views/shifts.py").run()
    assert not at.exception, at.exception
    assert any(m.value.startswith(f"#### {HEADLINE}") for m in at.markdown)
    assert "Percent favorable over every wave" not in _text(at)


def test_a_school_below_the_minimum_shows_too_few_responses_and_no_numbers(app):
    """Juniper Hollow had 4 respondents in 2026: the page says too few to say and shows none of its figures."""
    at = app(org="cedar-valley", wave="2026 Spring", compare="2024 Spring", school="Juniper Hollow School").run()
    at.switch_page("views/shifts.py").run()
    assert not at.exception, at.exception
    text = _text(at)
    assert "Too few responses to say" in text
    assert not re.search(r"\d+% → \d+%", text)  # no before/after percentages anywhere
    assert not re.search(r"\d+ pts", text)  # no changes in points in the tables


def test_a_one_point_change_is_worded_in_the_singular():
    """'+1 point', not '+1 points'."""
    statement = impact_statement(proportion_shift(120, 400, 124, 400, label=HEADLINE))
    assert "(+1 point, 95% CI" in statement
