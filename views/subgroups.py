"""Subgroups: the conditions by role, experience, school level and demographics, each group's gap to the whole."""

import streamlit as st

from survey_model import privacy
from survey_model.charts import explore as explore_charts
from survey_model.explore import (
    CROSSED_MESSAGE,
    WHOLE,
    WITHHELD_NOTE,
    attribute_info,
    subgroup_cells,
    subgroup_table,
)
from survey_model.privacy import selection_hidden_message
from ui import data, display, explore_data, rates, state, tables

filters = state.current()
st.title("Subgroups")
if filters is None:
    st.info("No survey waves are stored yet. Staff can add one on the **Upload a wave** page.")
    st.stop()

codebook = explore_data.codebook(filters.org)
settings = data.settings()
st.caption(f"{codebook.name} · {filters.describe()}")
rates.show_selection_rate(filters)

attributes = explore_data.subgroup_attributes(filters)
if not attributes:
    st.info("These responses carry no respondent attribute to break the results down by (other than the filters).")
    st.stop()
labels = {attribute: attribute_info(codebook, attribute).label for attribute in attributes}
left, right = st.columns([3, 2])
attribute = left.selectbox("Break down by", attributes, format_func=labels.get, key="subgroups_attribute")
metric = right.radio(
    "Show",
    ["pct_favorable", "mean"],
    format_func={"pct_favorable": "% favorable", "mean": "Mean (1–5)"}.get,
    horizontal=True,
    key="subgroups_metric",
)
fixed = [codebook.attribute(a).label for a, v in filters.restriction.items() if v and a in codebook.attribute_ids]
if fixed:
    verb, pronoun = ("is", "it is") if len(fixed) == 1 else ("are", "they are")
    st.caption(f"{' and '.join(fixed)} {verb} set in the sidebar, so {pronoun} not offered as a breakdown here.")

view = explore_data.subgroup_view(filters, attribute=attribute)
if view.crossed:
    st.info(CROSSED_MESSAGE)
    st.stop()
if view.hidden:
    st.warning(selection_hidden_message(settings.min_n))
    st.stop()
if view.sensitive:
    st.info(
        f"{view.label} is a sensitive attribute: each group needs at least {view.min_n} respondents to be shown.",
        icon=":material/lock:",
    )

shown, hidden_cells, rows = subgroup_cells(view)
display.chart(
    explore_charts.condition_heatmap(
        shown,
        row="group",
        row_title=view.label,
        rows=rows,
        columns=[c.name for c in codebook.conditions if c.id in set(view.table["condition"])],
        metric=metric,
        colour_by="gap",
        hidden=hidden_cells,
        title=f"Conditions by {view.label.lower()}",
        subtitle=f"{filters.wave}. Each cell: the group's figure (its gap to everyone in the selection).",
        reference=WHOLE,
    ),
)
st.caption(
    "Purple: above everyone in the selection; orange: below; faded: the gap could be zero (its likely range "
    "includes 0, often in a small group); grey: hidden to protect confidentiality. Groups are for exploring, "
    "not verdicts. The table is the chart's text view: each condition as the group's figure (its gap to the "
    "whole), with n the group's respondents; each gap's likely range is under the table."
)
table = subgroup_table(view, codebook, metric=metric, ranges=False)
if not table["Note"].astype(bool).any():
    table = table.drop(columns="Note")  # no group's figures are missing: the column would only take room
conditions = [column for column in table.columns if column not in ("Group", "Respondents", "Note")]
# Nothing cut at 1280 px with the sidebar open: narrow columns, short condition headers (full name as help), and
# the likely ranges in their own long table below.
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height="content",  # every row in sight: the taller rows would otherwise scroll inside the table
    row_height=68,  # taller than 4rem: Streamlit's grid then wraps a long group name or note
    column_config={
        "Group": st.column_config.TextColumn("Group", width=150),
        "Respondents": st.column_config.TextColumn("n", width=50, help="Respondents"),
        "Note": st.column_config.TextColumn("Note", width=80),
        **{
            name: st.column_config.TextColumn(header, help=name, width=72)
            for name, header in tables.short_headers(conditions).items()
        },
    },
)
with st.expander("Each gap's likely range"):
    ranged = subgroup_table(view, codebook, metric=metric).drop(columns=["Respondents", "Note"])
    long = ranged.melt(id_vars="Group", var_name="Condition", value_name="Figure (gap; likely range)")
    st.dataframe(long[long["Figure (gap; likely range)"] != ""], hide_index=True, width="stretch")
hidden = privacy.hidden(view.groups)
for group, note in zip(hidden["group"], hidden["note"], strict=True):
    st.caption(f"**{group}**: {note}.")
st.caption(WITHHELD_NOTE)

with st.expander("How these numbers are calculated"):
    st.markdown(
        "- **Gap**: the group's figure minus the figure of everyone in the selection (points of % favorable, "
        "or scale points of the mean), with its **likely range**: the group's own 95% interval less the whole's "
        "figure. A small group's range is wide: a gap whose range includes 0 could come from who happened to "
        "answer, and is faded in the chart. Subgroups are exploratory: with many groups and conditions, a few "
        "gaps look large by chance, so none is called clear.\n"
        "- **Not answered** gathers respondents who left this question blank, so the groups add up to the whole.\n"
        f"- **Confidentiality**: no group of fewer than {settings.min_n} respondents is shown "
        f"({settings.min_n_sensitive} for sensitive attributes such as gender or race and ethnicity). When one "
        "group is hidden, the next smallest is hidden too, so the hidden one cannot be worked out by subtraction."
    )
