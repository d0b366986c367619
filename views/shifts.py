"""Shifts: did it change? Honest changes between two waves, with intervals, n and plain-language statements."""

import streamlit as st

from survey_model import charts, dashboard
from survey_model.explore import attribute_info
from survey_model.privacy import hidden_message
from ui import data, display, rates, state, tables

filters = state.current()
st.title("Shifts between waves")
if filters is None:
    st.info("No survey waves are stored yet. Staff can add one on the **Upload a wave** page.")
    st.stop()
org = data.org_data(filters.org)
min_n = data.settings().min_n
earlier = [wave for wave in org.waves if org.waves.index(wave) < org.waves.index(filters.wave)]
if not earlier:
    st.info(f"{filters.wave} is the first stored wave. Choose a later **Wave** in the sidebar to see changes.")
    st.stop()
state.comparison_buttons(first=earlier[0], previous=earlier[-1], chosen=filters.compare)
if filters.compare is None:
    st.info(
        "**No comparison** is chosen under *Compare with* in the sidebar, so there are no changes to show. "
        "Choose a wave to compare with above or in the sidebar."
    )
    st.stop()
from_wave = filters.compare
st.caption(f"From **{from_wave}** to **{filters.wave}** · {filters.describe()}")
rates.show_selection_rate(filters, wave=from_wave)
rates.show_selection_rate(filters)
comparisons = (dashboard.SCHOOL_GROUP, *dashboard.school_comparisons(org.frame, filters.restriction))
compare_by = dashboard.SCHOOL_GROUP
if len(comparisons) > 1 and not filters.restriction.get("school"):
    compare_by = st.selectbox(
        "Compare schools by",
        comparisons,
        format_func=lambda c: (
            "Cohort and comparison schools" if c == dashboard.SCHOOL_GROUP else attribute_info(org.codebook, c).label
        ),
        key="shifts_compare_by",
        help="Cohort and comparison schools, or an attribute from the school list (for example Title I schools vs "
        "others). Pools of small schools whose values differ are left out of the comparison.",
    )
page = tables.shifts(filters.org, from_wave, filters.wave, filters.restriction, compare_by)

if page.headline:
    st.subheader("Leader identity")
    st.markdown(f"#### {page.headline}")
    if page.matched_headline:
        st.caption(f"Among the same educators, linked across both waves: {page.matched_headline}")

if page.group_statements is not None:
    if page.compare_by == dashboard.SCHOOL_GROUP:
        st.subheader("Cohort and comparison schools")
        st.caption(tables.COHORT_NOTE)
        by_what = "school group"
    else:
        by_what = attribute_info(org.codebook, page.compare_by).label.removeprefix("School: ")
        st.subheader(f"Schools compared by {by_what}")
        st.caption(
            "For exploring: worded *likely higher*, *likely lower* or *could be no change*, never *clear*. "
            f"Pools of small schools whose {by_what} differs are left out."
        )
    for statement in page.group_statements:
        st.markdown(f"- {statement}")
    if not page.group_lines.empty:
        display.chart(
            charts.trend_lines(
                page.group_lines.rename(columns={page.compare_by: "group"}),  # no ":" in a chart field
                title=f"Educators who consider themselves leaders, by {by_what}",
                colour_by="group",
            )
        )

st.subheader("Conditions: percent favorable")
if page.favorable.empty:
    st.warning(f"Too few responses to say: {hidden_message(min_n)} in one of the waves.")
else:
    display.chart(charts.shift_dumbbells(page.favorable, title=f"Percent favorable, {from_wave} → {filters.wave}"))
if not page.all_hidden:  # a table of blank rows says less than the message above
    st.dataframe(page.main_table, hide_index=True, width="stretch")

if len(org.waves) >= 3 and not page.trend_lines.empty:
    display.chart(charts.trend_panels(page.trend_lines, title="Percent favorable over every wave"))

if page.school_cells is not None and not page.school_cells.empty:
    display.chart(
        charts.change_heatmap(
            page.school_cells, title=f"Change in percent favorable by school, {from_wave} → {filters.wave}"
        )
    )
    st.caption(
        f"Schools with fewer than {min_n} respondents in either wave are left out, with the next "
        "smallest school, so their figures cannot be worked out."
    )

with st.expander("Every item: changes with intervals"):
    st.dataframe(page.item_table, hide_index=True, width="stretch")
with st.expander("Plain-language statements for reports"):
    st.markdown("\n".join(f"- {line}" for line in page.statements))
with st.expander("How changes are judged"):
    st.markdown(
        "- **Leader identity is the main measure.** Its change is **clear** when its likely range (the changes the "
        "answers are consistent with, a 95% interval) lies wholly above or below zero; otherwise it is **no clear "
        "change**. The same holds in cohort and in comparison schools.\n"
        "- **The seven conditions are judged together.** Because seven conditions (their percent favorable and "
        "their mean score) are looked at at once, their likely ranges are widened so that all of them hold "
        "together; a condition's change is clear when its widened range lies on one side of zero.\n"
        "- **Items, schools and groups are for exploring.** They are shown with their own likely range and n, "
        "worded *likely higher*, *likely lower* or *could be no change*, and never called clear: with this many "
        "comparisons, a few look different by chance. On the heatmap, faded cells could be no change.\n"
        "- One figure has one verdict, the same on every page, slide, sheet and command, and it always agrees "
        "with the range shown beside it.\n"
        "- **Rounding**: percentages are shown as whole numbers and means to two decimals, and the change is the "
        "difference of the numbers shown: from 32% to 43% reads +11 points. A change shown as 0 reads *no change "
        "in points*. Ranges and verdicts are worked out before rounding. In a very large group, whose range "
        "is narrower than one point, figures get a decimal so the change stays inside its range. A relative "
        'change ("32% more educators") is worked out before rounding, so it can differ by a point or two from '
        "dividing the rounded percentages.\n"
        "- Educators linked across waves by their (hashed) ID are also compared with themselves.\n"
        f"- Any group with fewer than {min_n} respondents in either wave shows no figures: *too few responses to say*."
    )
if not page.all_hidden:
    with st.expander("For analysts: effect sizes and adjusted p-values"):
        st.markdown(
            "**Effect size** puts a change on a common scale, so that changes in different measures can be "
            "compared (Cohen's *h* for shares, Hedges' *g* for means; about 0.2 is small, 0.5 medium, 0.8 large). "
            "**p** is the chance of a change at least this large if nothing had changed. Leader identity is the "
            "primary measure, judged on its own 95% interval. The "
            f"{page.family_size} condition comparisons form one family: each interval is a Bonferroni-widened "
            f"interval at 1 − 0.05/{page.family_size or 1}, and the **adjusted p** is min(1, {page.family_size or 1}"
            " × p). Items are exploratory (own 95% interval, no verdict of clear). A verdict is read from the "
            "interval shown; near the boundary the test may disagree slightly."
        )
        st.dataframe(page.statistics, hide_index=True, width="stretch")
        st.caption(
            "Methods: shares use Newcombe's interval for the difference in points and a log-ratio interval for the "
            "relative change, with a two-proportion z-test; percent favorable treats each respondent, not each "
            "answer, as independent (Welch's t on respondents); means use Welch's t with Hedges' g. Educators "
            "linked across waves are compared with McNemar's test (shares) and a paired t-test (means). Changes "
            "here are unrounded."
        )
