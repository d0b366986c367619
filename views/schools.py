"""Schools: every school against every condition, a sortable table, and one school's detail on a click."""

import streamlit as st

from survey_model import charts, privacy
from survey_model.charts import explore as explore_charts
from survey_model.explore import WITHHELD_NOTE, school_detail, school_matrix
from survey_model.privacy import hidden_message, selection_hidden_message
from ui import data, display, explore_data, rates, state, tables
from ui.state import ALL, PARAMS

filters = state.current()
st.title("Schools")
if filters is None:
    st.info("No survey waves are stored yet. Staff can add one on the **Upload a wave** page.")
    st.stop()

codebook = explore_data.codebook(filters.org)
min_n = data.settings().min_n
view = explore_data.schools_view(filters)
others = [part for part in (filters.school_level, filters.role) if part]
st.caption(
    f"{codebook.name} · wave {filters.wave}" + (f" · {', '.join(others)}" if others else "")
    + ". Every school is shown here whatever the School filter; choosing a school (click a row or a cell) shows "
    "its detail below."
)  # fmt: skip

if view.hidden:
    st.warning(selection_hidden_message(min_n))
    st.stop()


def choose_school(school: str | None) -> None:
    """Set the sidebar's School filter (a callback: it runs before the sidebar is drawn again)."""
    if school:
        st.session_state[PARAMS["school"]] = school


def picked_cell() -> None:
    picked = st.session_state["schools_heatmap"].selection.get("pick") or []
    choose_school(picked[0].get("school") if picked else None)


def picked_row(names: list[str]) -> None:
    rows = st.session_state["schools_table"].selection.rows
    choose_school(names[rows[0]] if rows else None)


def show_all_schools() -> None:
    st.session_state[PARAMS["school"]] = ALL


metric = st.radio(
    "Show",
    ["pct_favorable", "mean"],
    format_func={"pct_favorable": "% favorable", "mean": "Mean (1–5)"}.get,
    horizontal=True,
    key="schools_metric",
)
condition_names = [c.name for c in codebook.conditions if c.id in set(view.cells["condition"])]
cells = view.cells
display.chart(
    explore_charts.condition_heatmap(
        privacy.shown(cells),
        row="school",
        row_title="School",
        rows=view.schools["school"].tolist(),
        columns=condition_names,
        metric=metric,
        hidden=privacy.hidden(cells)[["school", "condition_name"]],
        title="Schools × conditions",
        subtitle=f"{filters.wave}. Grey cells are hidden to protect confidentiality. Click a cell to see that school.",
        select=True,
        highlight=filters.school,
    ),
    key="schools_heatmap",
    on_select=picked_cell,
    selection_mode="pick",
)

matrix = rates.with_rates(school_matrix(view, codebook, metric=metric), filters)
names = matrix["School"].tolist()
unit = {"format": "%d%%"} if metric == "pct_favorable" else {"format": "%.2f"}
st.caption(
    "Sort by clicking a column header; pick a row to see that school. The table is the heatmap's text view. "
    + tables.COHORT_NOTE
    + " "
    + WITHHELD_NOTE.replace("Groups", "Schools")
)
if "Note" in matrix and not matrix["Note"].astype(bool).any():
    matrix = matrix.drop(columns="Note")  # no school's figures are missing: the column would only take room
st.dataframe(
    matrix,
    hide_index=True,
    height="content",  # every row in sight: the taller rows would otherwise scroll inside the table
    row_height=68,  # taller than 4rem: Streamlit's grid then wraps a long school name onto a second line
    width="stretch",
    key="schools_table",
    on_select=lambda: picked_row(names),
    selection_mode="single-row",
    placeholder="—",  # a hidden school's empty cells; the Note says why
    # Nothing cut at 1280 px with the sidebar open: narrow columns, short condition headers (full name as help).
    column_config={
        "School": st.column_config.TextColumn("School", width=135),
        "Group": st.column_config.TextColumn("Group", width=92),
        "Respondents": st.column_config.NumberColumn("n", width=42, help="Respondents"),
        "Response rate": st.column_config.NumberColumn(
            "Rate",
            format="%d%%",
            width=50,
            help="Response rate: respondents over the educators on the wave's roster (whole school)",
        ),
        "Note": st.column_config.TextColumn("Note", width=80, help="Why a school's figures are missing"),
        **tables.condition_columns(condition_names, width=66, **unit),
    },
)
for school, note in zip(matrix.get("School", []), matrix.get("Note", [""] * len(matrix)), strict=True):
    if note:  # the Note column is narrow: its full text below
        st.caption(f"**{school}**: {note}.")

if filters.school is None:
    st.stop()

st.subheader(f"{filters.school}")
rates.show_selection_rate(filters)
st.button("Show all schools again", on_click=show_all_schools, icon=":material/close:")
if view.school_hidden:
    note = view.schools.loc[view.schools["school"] == filters.school, "note"]
    reason = note.iloc[0] if len(note) and note.iloc[0] else hidden_message(min_n)
    st.warning(f"{filters.school}: {reason}. Its figures are not shown anywhere on this page.")
    st.stop()
mine = privacy.shown(cells, school=filters.school)
display.chart(
    charts.condition_favorable_bars(
        mine,
        title=f"Percent favorable by condition: {filters.school}",
        subtitle=f"{filters.wave}. Dashed lines: stage band edges (project defaults 50 / 70 / 85).",
    ),
)
st.caption(
    "Gaps are this school's figure minus the figure of every school in the selection together "
    "(points of % favorable; scale points of the mean)."
)
st.dataframe(
    school_detail(view),
    hide_index=True,
    width="stretch",
    placeholder="—",
    column_config={
        "% favorable": st.column_config.NumberColumn(format="%d%%"),
        "Gap (points)": st.column_config.NumberColumn(format="%+d"),
        "Gap (mean)": st.column_config.NumberColumn(format="%+.2f"),
    },
)
hidden = privacy.hidden(cells, school=filters.school)
for name in hidden["condition_name"]:
    st.caption(f"{name}: hidden to protect confidentiality.")
