"""Conditions: every item of one condition as a diverging bar, its text in full, and the condition's reliability."""

import streamlit as st

from survey_model import privacy
from survey_model.charts import explore as explore_charts
from survey_model.explore import item_fit_table, items_table
from survey_model.privacy import hidden_message, is_shown, selection_hidden_message
from survey_model.reliability import ALPHA_FLOOR
from ui import data, display, explore_data, network, rates, state

ANALYSTS = "For analysts: do the items agree with each other? (Cronbach's α)"

filters = state.current()
st.title("Conditions")
if filters is None:
    st.info("No survey waves are stored yet. Staff can add one on the **Upload a wave** page.")
    st.stop()

codebook = explore_data.codebook(filters.org)
min_n = data.settings().min_n
names = explore_data.condition_choices(filters.org)
st.caption(f"{codebook.name} · {filters.describe()}")

left, right = st.columns([3, 2])
condition = left.selectbox("Condition", list(names), format_func=names.get, key="conditions_condition")
order = right.radio(
    "Order the items",
    ["codebook", "favorable"],
    format_func={"codebook": "As in the survey", "favorable": "By % favorable"}.get,
    horizontal=True,
    key="conditions_order",
)
view = explore_data.condition_detail(filters, condition=condition, order=order)

if view.hidden:
    st.warning(selection_hidden_message(min_n))
    st.stop()
rates.show_selection_rate(filters)

st.subheader(view.name)
if view.description:
    st.markdown(view.description)
network.show_condition(filters, condition, view.name)

summary = view.summary.iloc[0]
shown = is_shown(summary)
columns = st.columns(3)
columns[0].metric(
    "% favorable",
    f"{summary['pct_favorable']:.0f}%" if shown else "—",
    help="Share of valid answers to this condition's items that are Agree or Strongly agree, after "
    "negatively worded items are reversed.",
)
columns[1].metric(
    "Mean (1–5)",
    f"{summary['mean']:.2f}" if shown else "—",
    help="Mean of respondents' condition scores (each the mean of their answered items, when at least half "
    "were answered).",
)
columns[2].metric("Respondents with a score", f"{summary['n']:,}" if shown else "—")
alpha = view.reliability
# Whether the items hang together (Cronbach's alpha): partners read advice in words; the figure and its name are in
# the analysts' expander below.
agree = None if alpha is None or alpha.alpha is None else ("Weakly" if alpha.below_floor else "Yes")
borderline = agree == "Weakly" and alpha.ci is not None and alpha.ci[1] >= ALPHA_FLOOR
if borderline:
    st.info(
        "**Read this condition's items one by one as well.** People who agreed with one of its statements agreed "
        "with the others a little less than usual here. The overall figures are usable; the chart and table below "
        "show each item.",
        icon=":material/info:",
    )
elif agree == "Weakly":
    st.warning(
        "**Read this condition's items one by one.** People who agreed with one statement often did not agree with "
        "the others, so the condition's overall % favorable and mean may mix different things: see each item in "
        "the chart and table below.",
        icon=":material/warning:",
    )

shown_items = privacy.shown(view.items)
if shown_items.empty:
    st.info(f"Every item of this condition has {hidden_message(min_n)}.")
else:
    display.chart(
        explore_charts.item_diverging_bars(
            view.answers,
            shown_items,
            categories=view.categories,
            sides=view.sides,
            title=f"{view.name}: answers to each item",
            subtitle=f"{filters.wave}. Favorable to the right of 0, unfavorable to the left, neutral across it.",
        ),
    )
    if shown_items["reverse"].any():
        st.caption(
            "(R) marks a reverse-worded statement: disagreeing with it is favorable, so its answers are flipped "
            "(a *Strongly disagree* is drawn as the most favorable answer). The tooltip shows the answer chosen."
        )
st.caption("The table below lists every item in full with its figures (the chart's text alternative).")
st.table(items_table(view, min_n=min_n).set_index("Item"))
if view.compare:
    st.caption(
        f"Changes since {view.compare} are in percentage points, shown without intervals; the **Shifts** page says "
        "whether a change is clear or within the noise, with its interval and n."
    )

with st.expander("How these numbers are calculated"):
    st.markdown(
        "- **Percent favorable**: share of valid answers that are *Agree* or *Strongly agree*; for a "
        "reverse-worded item (R), *Disagree* or *Strongly disagree* is favorable, and its answers are shown flipped.\n"
        "- **Don't know / N/A** answers are not counted as valid answers; the labels at the right of the chart say "
        "how many there were, as a share of everyone who answered the item at all.\n"
        "- **Do the items go together?** When people who agree with one of a condition's statements tend to agree "
        "with the others, its overall figures can be read as one score; when they do not, the page says so and "
        "suggests reading the items one by one.\n"
        f"- **Confidentiality**: no figure describes fewer than {min_n} respondents."
    )

with st.expander(ANALYSTS):
    if agree is not None:
        interval = (
            f", 95% interval {alpha.formatted(alpha.ci[0])} to {alpha.formatted(alpha.ci[1])}" if alpha.ci else ""
        )
        floor = "below the conventional 0.70, so" if alpha.below_floor else "at or above the conventional 0.70, so"
        advice = "suggests reading the items one by one" if agree == "Weakly" else "reads the condition as one score"
        st.markdown(
            f"**Items agree with each other: {agree}.** Cronbach's α = {alpha.formatted()}{interval}, from "
            f"{alpha.n:,} respondents who answered all {alpha.k} items: {floor} the page {advice} "
            f"(the page says *{agree}*)."
        )
    elif alpha is not None:
        if alpha.k < 2:
            why = "this condition has a single item"
        elif alpha.n is None:
            why = alpha.note  # the confidentiality rule, in words
        else:
            why = "everyone answered these items the same way"
        st.markdown(f"**Items agree with each other** (Cronbach's α): not shown, {why}.")
    st.markdown(
        "**Cronbach's α** (internal consistency, 0–1) uses the respondents who answered every item of the "
        "condition, with a 95% interval (Feldt); below 0.70, the conventional floor (Nunnally 1978), the items "
        "agree only *weakly*. **Item–rest correlation (r)**: each item's correlation with the sum of the other "
        "items; a low or negative value marks an item that does not go with the rest."
    )
    fit = item_fit_table(view)
    if not fit.empty:
        st.dataframe(fit, hide_index=True)
