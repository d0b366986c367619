"""Conditions: every item of one condition as a diverging bar, its text in full, and the condition's reliability."""

import streamlit as st

from survey_model.explore import items_table
from survey_model.privacy import SUPPRESSED, hidden_message
from ui import data, display, explore_charts, explore_data, state

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
    st.warning(f"This selection has {hidden_message(min_n)}. Choose a broader filter.")
    st.stop()

st.subheader(view.name)
if view.description:
    st.markdown(view.description)

summary = view.summary.iloc[0]
shown = summary[SUPPRESSED] == ""
columns = st.columns(4)
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
columns[3].metric(
    "Reliability (Cronbach's α)",
    "—" if alpha is None else alpha.formatted(),
    help="How consistently the items of this condition measure one thing (0–1). Below 0.70 the items "
    "do not hang together well enough to read the condition as a single score.",
)
if alpha is not None and alpha.alpha is not None:
    interval = f", 95% interval {alpha.formatted(alpha.ci[0])} to {alpha.formatted(alpha.ci[1])}" if alpha.ci else ""
    text = (
        f"Cronbach's α = {alpha.formatted()}{interval}, from {alpha.n:,} respondents who answered all {alpha.k} items."
    )
    if alpha.below_floor:
        st.warning(
            f"**Reliability below 0.70.** {text} These items do not hang together well in this selection: read "
            "the items one by one rather than the condition's overall score.",
            icon=":material/warning:",
        )
    else:
        st.caption(f"{text} At or above the conventional 0.70.")
elif alpha is not None and alpha.note:
    st.caption(f"Reliability not shown: {alpha.note}.")

shown_items = view.items[view.items[SUPPRESSED] == ""]
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
        "- **Don't know / N/A** answers are not counted as valid answers; the grey bars beside the chart show how "
        "many there were, as a share of everyone who answered the item at all.\n"
        "- **Cronbach's α** (internal consistency) uses the respondents who answered every item of the condition, "
        "with a 95% interval (Feldt); 0.70 is the conventional floor (Nunnally 1978). **Item-rest r** is each "
        "item's correlation with the sum of the other items: a low or negative value marks an item that does not "
        "go with the rest.\n"
        f"- **Confidentiality**: no figure describes fewer than {min_n} respondents."
    )
