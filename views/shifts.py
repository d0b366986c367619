"""Shifts: did it change? Honest changes between two waves, with intervals, n and plain-language statements."""

import streamlit as st

from survey_model import charts
from survey_model.privacy import hidden_message
from ui import data, display, state, tables

MAIN = ("leader_identity", "condition_favorable", "condition_mean")  # the table above the items

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
from_wave = filters.compare or earlier[-1]
st.caption(
    f"From **{from_wave}** to **{filters.wave}** · {filters.describe()}"
    + ("" if filters.compare else f" · comparing with the previous wave, {from_wave} (change it under *Compare with*)")
)
view = data.shifts(filters.org, from_wave, filters.wave, filters.restriction)
report = tables.shift_rows(view.report)

headline = tables.statements(view.report, measure="leader_identity")
if headline:
    st.subheader("Leader identity")
    st.markdown(f"#### {headline[0]}")
    matched = tables.statements(view.report, measure="leader_identity", matched=True)
    if matched and view.report.n_linked:
        st.caption(f"Among the same educators, linked across both waves: {matched[0]}")

if view.by_group is not None:
    st.subheader("Cohort and comparison schools")
    st.caption(tables.COHORT_NOTE)
    for statement in tables.statements(view.by_group, measure="leader_identity"):
        st.markdown(f"- {statement}")
    group_lines = tables.trend_rows(view.group_trend, measure="leader_identity")
    if not group_lines.empty:
        display.chart(
            charts.trend_lines(
                group_lines,
                title="Educators who consider themselves leaders, by school group",
                colour_by="school_group",
            )
        )

st.subheader("Conditions: percent favorable")
favorable = tables.displayed_rows(tables.shown_shifts(report, measure="condition_favorable"))
if favorable.empty:
    st.warning(f"Too few responses to say: {hidden_message(min_n)} in one of the waves.")
else:
    display.chart(
        charts.shift_dumbbells(
            favorable.assign(label=favorable["label"].str.replace(", percent favorable", "")),
            title=f"Percent favorable, {from_wave} → {filters.wave}",
        )
    )
if not tables.all_hidden(report):  # a table of blank rows says less than the message above
    st.dataframe(tables.shift_table(report, measures=MAIN), hide_index=True, width="stretch")

if len(org.waves) >= 3:
    lines = tables.trend_rows(view.trend, measure="condition_favorable")
    if not lines.empty:
        lines = lines.assign(label=lines["label"].str.replace(", percent favorable", ""))
        display.chart(charts.trend_lines(lines, title="Percent favorable over every wave"))

if view.by_school is not None:
    cells = tables.displayed_rows(tables.shown_shifts(tables.shift_rows(view.by_school), measure="condition_favorable"))
    if not cells.empty:
        display.chart(
            charts.change_heatmap(
                cells.assign(label=cells["label"].str.replace(", percent favorable", "")),
                title=f"Change in percent favorable by school, {from_wave} → {filters.wave}",
            )
        )
        st.caption(
            f"Schools with fewer than {min_n} respondents in either wave are left out, with the next "
            "smallest school, so their figures cannot be worked out."
        )

with st.expander("Every item: changes with intervals"):
    st.dataframe(tables.shift_table(report, measures=("item_favorable",)), hide_index=True, width="stretch")
with st.expander("Plain-language statements for reports"):
    st.markdown("\n".join(f"- {line}" for line in report["statement"]))
with st.expander("How changes are judged"):
    st.markdown(
        "- A change is **clear** when it is larger than the differences that can come from who happened to answer "
        "each time, even after allowing for the number of comparisons on this page; otherwise it is reported as "
        "**no clear change**. The 95% interval is the range of changes the answers are consistent with.\n"
        "- **Rounding**: percentages are shown as whole numbers and means to two decimals, and the change is the "
        "difference of the numbers shown: from 32% to 43% reads +11 points. A change shown as 0 reads *no change "
        "in points*. Intervals and verdicts are worked out before rounding. In a very large group, whose interval "
        "is narrower than one point, figures get a decimal so the change stays inside its interval. A relative "
        'change ("32% more educators") is worked out before rounding, so it can differ by a point or two from '
        "dividing the rounded percentages.\n"
        "- Educators linked across waves by their (hashed) ID are also compared with themselves.\n"
        f"- Any group with fewer than {min_n} respondents in either wave shows no figures: *too few responses to say*."
    )
if not tables.all_hidden(report):
    with st.expander("For analysts: effect sizes and adjusted p-values"):
        st.markdown(
            "**Effect size** puts a change on a common scale, so that changes in different measures can be "
            "compared (Cohen's *h* for shares, Hedges' *g* for means; about 0.2 is small, 0.5 medium, 0.8 large). "
            "**p** is the chance of a change at least this large if nothing had changed; the **adjusted p** "
            f"corrects it for the {view.report.shifts[0].family_size if view.report.shifts else 0} comparisons on "
            "this page (Benjamini–Hochberg false-discovery rate). A change is clear when its interval excludes zero "
            "and its adjusted p is below 0.05."
        )
        st.dataframe(
            tables.shift_statistics(report, measures=(*MAIN, "item_favorable")), hide_index=True, width="stretch"
        )
        st.caption(
            "Methods: shares use Newcombe's interval for the difference in points and a log-ratio interval for the "
            "relative change, with a two-proportion z-test; percent favorable treats each respondent, not each "
            "answer, as independent (Welch's t on respondents); means use Welch's t with Hedges' g. Educators "
            "linked across waves are compared with McNemar's test (shares) and a paired t-test (means). Changes "
            "here are unrounded."
        )
