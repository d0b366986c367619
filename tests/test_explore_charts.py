"""Exploration charts via ``to_dict()``: titles, axis titles, the one palette, n in every tooltip, shown rows only."""

import pandas as pd
from test_explore import people, responses  # tests/ is on sys.path when pytest collects

from survey_model import explore
from survey_model.charts import FAVORABLE, LIKERT, NEUTRAL, UNFAVORABLE
from survey_model.charts import explore as explore_charts
from survey_model.codebook import load_codebook
from survey_model.privacy import SUPPRESSED

CB = load_codebook()


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def data_of(spec: dict, layer: dict) -> list[dict]:
    """Rows a layer draws (Altair moves data shared by every layer to the top level)."""
    return spec["datasets"][layer.get("data", spec.get("data"))["name"]]


def tooltip_fields(layer: dict) -> set[str]:
    return {tip["field"] for tip in layer.get("encoding", {}).get("tooltip", [])}


def si_detail() -> explore.ConditionDetail:
    """SI1: one answer of each value 1-5 (20% each) and one Don't know; SI4 reverse-worded, all Strongly disagree."""
    rows = [{"SI1": v, "SI4": 1.0} for v in (1.0, 2.0, 3.0, 4.0, 5.0, -1.0)]
    return explore.condition_detail(responses(rows), CB, condition="SI", wave="W1")


def test_diverging_bars_centre_the_neutral_answers_on_zero():
    """20% in each answer: the neutral block runs from -10 to +10, favorable from +10 to +50."""
    detail = si_detail()
    shown = detail.items[detail.items[SUPPRESSED] == ""]
    spec = explore_charts.item_diverging_bars(
        detail.answers, shown, categories=detail.categories, sides=detail.sides, title="Shared influence"
    ).to_dict()
    bars = layers(spec)[0]
    si1 = [row for row in data_of(spec, bars) if row["item"] == "SI1"]
    spans = {row["category"]: (round(row["start"], 9), round(row["end"], 9)) for row in si1}
    assert spans["Neither agree nor disagree"] == (-10, 10)
    assert spans["Strongly disagree"] == (-50, -30) and spans["Strongly agree"] == (30, 50)
    assert bars["encoding"]["x"]["scale"]["domain"] == [-100, 100]
    assert bars["encoding"]["x"]["title"].startswith("% of valid answers")
    assert bars["encoding"]["color"]["scale"] == {"domain": list(detail.categories), "range": list(LIKERT)}
    assert {"n", "count", "answer"} <= tooltip_fields(bars)


def test_diverging_bars_show_full_item_text_and_dont_know_beside_each_bar():
    """Each band carries the whole statement (left axis) and its N/A count and share (right axis)."""
    detail = si_detail()
    shown = detail.items[detail.items[SUPPRESSED] == ""]
    spec = explore_charts.item_diverging_bars(
        detail.answers, shown, categories=detail.categories, sides=detail.sides, title="Shared influence"
    ).to_dict()
    rows = layers(spec)[0]["encoding"]["y"]["sort"]
    statement = CB.item("SI1").text
    first = rows[0].split("¦")
    assert first[0].replace("\n", " ") == f"SI1: {statement}" and first[1] == "N/A: 1 (17%)"
    right = layers(spec)[-1]["encoding"]["y"]
    assert right["axis"]["orient"] == "right" and right["title"] == "Don't know / N/A"
    assert spec["resolve"]["axis"]["y"] == "independent"
    assert spec["title"]["text"] == "Shared influence" and spec["description"].startswith("Shared influence")
    assert spec["config"]["axis"]["labelFontSize"] >= 14  # legible on a projector
    assert spec["usermeta"]["element_height"] > spec["height"]


def test_reverse_worded_item_tooltip_names_the_answer_chosen():
    """SI4 (R): drawn in the most favorable colour, the tooltip's answer says Strongly disagree."""
    detail = si_detail()
    shown = detail.items[detail.items[SUPPRESSED] == ""]
    spec = explore_charts.item_diverging_bars(
        detail.answers, shown, categories=detail.categories, sides=detail.sides, title="Shared influence"
    ).to_dict()
    si4 = [row for row in data_of(spec, layers(spec)[0]) if row["item"] == "SI4" and row["pct"] > 0]
    assert [(row["category"], row["answer"]) for row in si4] == [("Strongly agree", "Strongly disagree")]


def test_answer_colours_follow_the_scale_sides():
    """A 4-point scale has no neutral: two oranges then two purples; 5 points use the shared Likert palette."""
    four = explore_charts.answer_colours(["unfavorable", "unfavorable", "favorable", "favorable"])
    assert NEUTRAL not in four and four[:2] != four[2:]
    five = explore_charts.answer_colours(["unfavorable", "unfavorable", "neutral", "favorable", "favorable"])
    assert five == list(LIKERT)


def school_view() -> explore.SchoolsView:
    frame = responses(
        people(10, school="Oak", WS1=4.0) + people(8, school="Elm", WS1=2.0) + people(6, school="Ash")
        + people(3, school="Tiny", WS1=5.0, WS2=5.0, WS3=5.0, WS4=5.0)
    )  # fmt: skip
    return explore.schools_view(frame, CB, wave="W1")


def test_school_heatmap_gets_names_only_for_hidden_cells_and_n_in_tooltips():
    """Hidden schools keep a grey row with no figure in the chart's data; shown cells carry n; a click picks."""
    view = school_view()
    cells = view.cells
    spec = explore_charts.condition_heatmap(
        cells[cells[SUPPRESSED] == ""],
        row="school",
        row_title="School",
        rows=view.schools["school"].tolist(),
        columns=[c.name for c in CB.conditions],
        hidden=cells.loc[cells[SUPPRESSED] != "", ["school", "condition_name"]],
        title="Schools × conditions",
        select=True,
        highlight="Oak",
    ).to_dict()
    all_layers = layers(spec)
    blank = data_of(spec, all_layers[0])
    assert {row["school"] for row in blank} == {"Tiny", "Ash"}
    assert all(set(row) <= {"school", "condition_name", "column", "mark", "why"} for row in blank)
    rect = next(layer for layer in all_layers if "color" in layer["encoding"] and layer["mark"]["type"] == "rect")
    pick = spec["params"][0]  # Altair lifts the selection to the top level and names the layer it lives in
    assert pick["name"] == "pick" and pick["select"]["fields"] == ["school"] and rect["name"] in pick["views"]
    assert "n" in tooltip_fields(rect)
    assert {row["school"] for row in data_of(spec, rect)} == {"Oak", "Elm"}
    assert rect["encoding"]["y"]["scale"]["domain"] == ["Ash", "Elm", "Oak", "Tiny"]
    assert rect["encoding"]["color"]["scale"]["domain"] == [0, 100]
    assert "Oak" in rect["encoding"]["stroke"]["condition"]["test"]  # the chosen school is outlined


def test_gap_heatmap_colours_below_orange_above_purple_and_labels_the_reference_plainly():
    """Gap mode: a diverging orange-white-purple scale centred on 0; the whole row shows no gap in brackets."""
    frame = responses(
        people(6, role="Teacher", WS1=4.0, WS2=4.0, WS3=4.0, WS4=4.0)
        + people(6, role="Other", WS1=2.0, WS2=2.0, WS3=2.0, WS4=2.0)
    )
    view = explore.subgroup_view(frame, CB, attribute="role", wave="W1")
    shown, hidden, rows = explore.subgroup_cells(view)
    spec = explore_charts.condition_heatmap(
        shown,
        row="group",
        row_title="Role",
        rows=rows,
        columns=[c.name for c in CB.conditions],
        colour_by="gap",
        hidden=hidden,
        reference=explore.WHOLE,
        title="Conditions by role",
    ).to_dict()
    rect = layers(spec)[0]
    scale = rect["encoding"]["color"]["scale"]
    assert scale["range"][0] == UNFAVORABLE and scale["range"][-1] == FAVORABLE and scale["domain"][1] == 0
    labels = {(row["group"], row["condition_name"]): row["value_label"] for row in data_of(spec, rect)}
    assert labels[("Teacher", "Work structures")] == "100% (+50)"
    assert labels[(explore.WHOLE, "Work structures")] == "50%"
    assert {"n", "gap_favorable", "gap_range"} <= tooltip_fields(rect)


def test_gap_heatmap_fades_a_gap_that_could_be_zero():
    """Subgroups are exploratory: a small group's gap whose likely range includes 0 is drawn faded, never with
    white-on-dark text; a gap clear of 0 keeps full colour."""
    frame = responses(
        people(30, role="Teacher", WS1=4.0, WS2=4.0, WS3=2.0, WS4=2.0)
        + people(6, role="Other", WS1=4.0, WS2=4.0, WS3=2.0, WS4=2.0)
        + people(30, role="Instructional coach or specialist", WS1=2.0, WS2=2.0, WS3=2.0, WS4=2.0)
    )
    view = explore.subgroup_view(frame, CB, attribute="role", wave="W1")
    shown, hidden, rows = explore.subgroup_cells(view)
    spec = explore_charts.condition_heatmap(
        shown,
        row="group",
        row_title="Role",
        rows=rows,
        columns=[c.name for c in CB.conditions],
        colour_by="gap",
        hidden=hidden,
        reference=explore.WHOLE,
        title="Conditions by role",
    ).to_dict()
    rect = layers(spec)[0]
    assert rect["encoding"]["opacity"]["condition"]["test"] == "datum.unclear"
    faded = {row["group"]: row["unclear"] for row in data_of(spec, rect) if row["condition_name"] == "Work structures"}
    # By hand: whole 72 of 264 answers = 27% favorable. Other: 50% (+23), n = 6, Wilson 3/6 = 19% to 81% holds 27%:
    # faded. Coaches: 0% (−27), n = 30, Wilson 0/30 = 0% to 11%: full colour.
    assert faded["Other"] is True and faded["Instructional coach or specialist"] is False


def test_identity_bars_stack_to_one_hundred_with_yes_in_purple():
    """Yes / Not sure / No per wave: segments end at 100, the palette's favorable colour for Yes, n on hover."""
    table = pd.DataFrame(
        {
            "wave": ["W1", "W2"],
            "n": [10, 20],
            "n_yes": [3, 10],
            "n_no": [5, 6],
            "n_unsure": [2, 4],
            "share_yes": [0.3, 0.5],
            "share_no": [0.5, 0.3],
            "share_unsure": [0.2, 0.2],
            SUPPRESSED: ["", ""],
        }
    )
    answers = explore.identity_answers(table, group="wave")
    spec = explore_charts.identity_bars(answers, group_title="Wave", groups=["W1", "W2"], title="By wave").to_dict()
    bars = layers(spec)[0]
    ends = {(row["group"], row["answer"]): row["end"] for row in data_of(spec, bars)}
    assert ends[("W1", "No")] == 100 and ends[("W2", "Yes")] == 50
    assert bars["encoding"]["color"]["scale"]["range"] == [FAVORABLE, NEUTRAL, UNFAVORABLE]
    assert {"n", "count"} <= tooltip_fields(bars)
    assert bars["encoding"]["x"]["title"] == "% of valid answers"


def test_identity_dots_carry_n_for_each_group():
    """The dumbbell of Yes against No/Not sure: one point per group and condition, n and difference on hover."""
    gap = pd.DataFrame(
        {
            "condition": ["WS"],
            "condition_name": ["Work structures"],
            "pct_yes": [70.0],
            "pct_other": [40.0],
            "n_yes": [30],
            "n_other": [50],
            "difference": [30.0],
        }
    )
    spec = explore_charts.identity_gap_dots(gap, title="Identity and conditions").to_dict()
    dots = layers(spec)[1]
    points = {row["group"]: (row["pct_favorable"], row["n"]) for row in data_of(spec, dots)}
    assert points == {"Yes": (70.0, 30), "No or not sure": (40.0, 50)}
    assert {"n", "difference"} <= tooltip_fields(dots)
    assert dots["encoding"]["color"]["scale"]["range"] == [FAVORABLE, "#5F5F5F"]  # Yes in the identity bars' purple
    assert dots["encoding"]["x"]["title"] == "% favorable"
