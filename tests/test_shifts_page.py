"""The Shifts page: honest changes for two or three waves, and no figures where a group is too small."""

import re

from page_text import texts

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
    assert "→" in headline and "likely between" in headline and "n = " in headline
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
    tables = "\n".join(frame.value.to_csv() for frame in at.dataframe)
    assert not re.search(r"\d+ (pts|points?)\b", tables)  # no changes in points in the tables


def test_a_one_point_change_is_worded_in_the_singular():
    """'+1 point', not '+1 points'."""
    statement = impact_statement(proportion_shift(120, 400, 124, 400, label=HEADLINE))
    assert "(+1 point, likely between" in statement


ANALYSTS = "For analysts: effect sizes and adjusted p-values"


def _open_cedar_valley(app):
    at = app(org="cedar-valley", wave="2026 Spring", compare="2024 Spring").run()
    at.switch_page("views/shifts.py").run()
    assert not at.exception, at.exception
    return at


def test_partners_see_no_effect_size_or_adjusted_p_outside_the_analysts_expander(app):
    """Hedges' g, Cohen's h and adjusted p-values are only in the analysts' expander, which explains them."""
    at = _open_cedar_valley(app)
    partner = "\n".join(texts(at.main, skip=ANALYSTS)).casefold()
    for jargon in ("hedges", "cohen", "adjusted p", "p (adjusted)", "effect size", "p-value"):
        assert jargon not in partner, jargon
    analysts = next(e for e in at.expander if e.label == ANALYSTS)
    explained = " ".join(m.value for m in analysts.markdown)
    assert "Effect size" in explained and "adjusted p" in explained and "0.05" in explained
    stats = analysts.dataframe[0].value
    assert {"Effect size", "p", "Adjusted p", "Change, unrounded (interval)"} <= set(stats.columns)
    means = stats[stats["Measure"].str.endswith("mean score")]
    assert len(means) == 7 and means["Effect size"].str.startswith("Hedges' g ").all()
    # Only the conditions' family is adjusted (Bonferroni); leader identity and items are judged on their own.
    family = stats["Judged as"].str.startswith("conditions")
    assert family.sum() == 14
    assert stats.loc[family, "Adjusted p"].str.match(r"^(< 0\.001|[01]\.\d{3})$").all()
    assert (stats.loc[~family, "Adjusted p"] == "").all()


def test_every_shown_change_is_the_difference_of_the_shown_figures(app):
    """In the partner table, Later − Earlier equals the change shown, row by row; no '+0' or '−0' anywhere."""
    at = _open_cedar_valley(app)
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Measure",
        "Earlier",
        "Later",
        "Change (likely range)",
        "n earlier",
        "n later",
        "Verdict",
    ]
    checked = 0
    for _, row in table.iterrows():
        change = row["Change (likely range)"].split(" (")[0].replace("−", "-")
        if row["Earlier"].endswith("%"):
            before, after = int(row["Earlier"].rstrip("%")), int(row["Later"].rstrip("%"))
            expected = "no change in points" if after == before else f"{after - before:+d} point"
            assert change.startswith(expected), (row["Measure"], change)
        else:
            before, after = float(row["Earlier"]), float(row["Later"])
            expected = "no change" if after == before else f"{after - before:+.2f}"
            assert change == expected, (row["Measure"], change)
        checked += 1
    assert checked == 15  # leader identity, and percent favorable and mean for each of the seven conditions
    text = "\n".join(texts(at.main))
    assert not re.search(r"[+−-]0(\.0+)?\b(?!\.\d)", text.replace("−", "-")), "a signed zero is shown"


def test_by_default_the_sidebar_and_the_page_compare_with_the_first_wave(app):
    """No comparison in the link: the sidebar says 2024 Spring (the first wave) and the page compares with it."""
    at = app(org="cedar-valley").run()
    assert at.selectbox(key="filter_compare").value == "2024 Spring"
    at.switch_page("views/shifts.py").run()
    assert not at.exception, at.exception
    assert "From **2024 Spring** to **2026 Spring**" in _text(at)
    assert at.button(key="compare_with_first").disabled and not at.button(key="compare_with_previous").disabled


def test_no_comparison_in_the_sidebar_shows_no_change_and_offers_both_baselines(app):
    """With "No comparison" chosen the page says so (no hidden previous wave); a button sets the sidebar's choice."""
    at = app(org="cedar-valley").run()
    at.selectbox(key="filter_compare").set_value("No comparison").run()
    at.switch_page("views/shifts.py").run()
    assert not at.exception, at.exception
    assert "No comparison" in _text(at) and not any(m.value.startswith(f"#### {HEADLINE}") for m in at.markdown)
    assert at.query_params["compare"] == "No comparison"  # a reload or a shared link keeps the choice
    at.button(key="compare_with_previous").click().run()
    assert at.selectbox(key="filter_compare").value == "2025 Spring"
    assert "From **2025 Spring** to **2026 Spring**" in _text(at)
