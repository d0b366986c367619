"""The exploration pages' view model: item bars, schools, subgroups and leader identity, on hand-checkable frames."""

import numpy as np
import pandas as pd
import pytest

from survey_model import explore
from survey_model.codebook import load_codebook
from survey_model.privacy import COMPLEMENTARY, SMALL_GROUP, SUPPRESSED, hidden_message
from survey_model.scoring import NOT_ANSWERED, condition_summary, with_condition_parts
from survey_model.settings import Settings
from survey_model.tallies import tally

CB = load_codebook()
ITEMS = [item.id for item in CB.items]
ATTRIBUTES = ("school", "school_level", "role", "years_in_education", "gender")


def responses(rows: list[dict], *, fill: float = 3.0) -> pd.DataFrame:
    """A responses frame: every item answered ``fill`` unless a row says otherwise; waves W1 < W2."""
    records = [{"wave": "W1", **row} for row in rows]
    frame = pd.DataFrame({"wave": pd.Categorical([r["wave"] for r in records], categories=["W1", "W2"], ordered=True)})
    for attribute in ATTRIBUTES:
        frame[attribute] = pd.array([r.get(attribute) for r in records], dtype="string")
    for item in ITEMS:
        frame[item] = np.array([r.get(item, fill) for r in records], dtype="float32")
    return frame


def people(count: int, **values: object) -> list[dict]:
    return [dict(values) for _ in range(count)]


# -- Conditions page -------------------------------------------------------------------------------------------


def test_item_bars_count_each_answer_and_set_dont_know_beside_them():
    """SI1 answered 5, 4, 4, 3, 2 and one Don't know: 60% favorable of 5 valid answers, 1 N/A of 6 answers."""
    answers = [5, 4, 4, 3, 2, -1]
    frame = responses([{"SI1": a} for a in answers])
    detail = explore.condition_detail(frame, CB, condition="SI", wave="W1")
    si1 = detail.items.set_index("item").loc["SI1"]
    assert (si1["n"], si1["n_nonsubstantive"]) == (5, 1)
    assert si1["pct_favorable"] == pytest.approx(60.0) and si1["pct_unfavorable"] == pytest.approx(20.0)
    assert si1["pct_nonsubstantive"] == pytest.approx(100 / 6)
    shares = detail.answers[detail.answers["item"] == "SI1"].set_index("category")["pct"]
    assert shares.to_dict() == pytest.approx(
        {"Strongly disagree": 0, "Disagree": 20, "Neither agree nor disagree": 20, "Agree": 40, "Strongly agree": 20}
    )
    assert detail.categories[0] == "Strongly disagree" and detail.sides == (
        "unfavorable",
        "unfavorable",
        "neutral",
        "favorable",
        "favorable",
    )


def test_reverse_worded_item_is_drawn_flipped_but_names_the_answer_chosen():
    """SI4 is reverse-worded: six 'Strongly disagree' answers are the most favorable category, answer kept."""
    frame = responses(people(6, SI4=1.0))
    detail = explore.condition_detail(frame, CB, condition="SI", wave="W1")
    row = detail.answers[(detail.answers["item"] == "SI4") & (detail.answers["pct"] > 0)].iloc[0]
    assert (row["category"], row["answer"], row["pct"]) == ("Strongly agree", "Strongly disagree", 100.0)
    item = detail.items.set_index("item").loc["SI4"]
    assert item["pct_favorable"] == 100.0 and item["label"].startswith("SI4 (R): ")


def test_items_sort_by_percent_favorable_with_a_hidden_item_last():
    """Sorted view: most favorable first; an item with 3 valid answers is hidden and goes to the end."""
    rows = []
    for i in range(8):
        rows.append(
            {
                "WS1": 4.0 if i < 2 else 2.0,  # 25% favorable
                "WS2": 4.0 if i < 6 else 2.0,  # 75%
                "WS3": 4.0 if i < 4 else 2.0,  # 50%
                "WS4": 5.0 if i < 3 else np.nan,  # 3 valid answers: hidden
            }
        )
    frame = responses(rows)
    by_survey = explore.condition_detail(frame, CB, condition="WS", wave="W1")
    by_favorable = explore.condition_detail(frame, CB, condition="WS", wave="W1", order="favorable")
    assert by_survey.items["item"].tolist() == ["WS1", "WS2", "WS3", "WS4"]
    assert by_favorable.items["item"].tolist() == ["WS2", "WS3", "WS1", "WS4"]
    ws4 = by_favorable.items.set_index("item").loc["WS4"]
    assert ws4[SUPPRESSED] == SMALL_GROUP and pd.isna(ws4["n"]) and pd.isna(ws4["pct_favorable"])
    assert "WS4" not in set(by_favorable.answers["item"])


def test_comparison_wave_gives_each_item_its_change_in_points():
    """WS1 goes from 2 of 6 favorable in W1 to 5 of 6 in W2: +50 points."""
    rows = [{"wave": "W1", "WS1": 4.0 if i < 2 else 2.0} for i in range(6)]
    rows += [{"wave": "W2", "WS1": 4.0 if i < 5 else 2.0} for i in range(6)]
    detail = explore.condition_detail(responses(rows), CB, condition="WS", wave="W2", compare="W1")
    ws1 = detail.items.set_index("item").loc["WS1"]
    assert ws1["pct_favorable_compare"] == pytest.approx(100 / 3) and ws1["change"] == pytest.approx(50.0)
    table = explore.items_table(detail, min_n=5)
    assert table.loc[table["Item"] == "WS1", "Change (points)"].item() == "+50"


def test_identical_items_have_alpha_one_and_unrelated_items_are_flagged():
    """Four copies of one answer give alpha = 1; four orthogonal ±2 patterns (zero covariances) give alpha = 0."""
    same = responses([{f"OI{k}": v for k in range(1, 5)} for v in [1, 2, 3, 4, 5, 5, 4, 2]])
    alpha = explore.condition_detail(same, CB, condition="OI", wave="W1").reliability
    assert alpha.alpha == pytest.approx(1.0) and not alpha.below_floor and alpha.n == 8
    # Columns of a 2x2x2 design and their product: every pair has zero covariance, so the total's variance is the
    # sum of the item variances and alpha = k/(k-1) * (1 - 1) = 0.
    a, b, c = [1, 1, 5, 5, 1, 1, 5, 5], [1, 5, 1, 5, 1, 5, 1, 5], [1, 1, 1, 1, 5, 5, 5, 5]
    d = [1 + 2 * (1 + ((x - 3) * (y - 3) * (z - 3)) / 8) for x, y, z in zip(a, b, c, strict=True)]
    rows = [{"OI1": w, "OI2": x, "OI3": y, "OI4": z} for w, x, y, z in zip(a, b, c, d, strict=True)]
    unrelated = explore.condition_detail(responses(rows), CB, condition="OI", wave="W1").reliability
    assert unrelated.alpha == pytest.approx(0.0, abs=1e-12) and unrelated.below_floor


def test_alpha_from_fewer_than_five_complete_answer_sets_is_hidden():
    """Six respondents, but only four answered every OI item: no alpha, the confidentiality message instead."""
    rows = [{"OI1": 4.0 - (i % 2)} for i in range(4)] + [{"OI1": 4.0, "OI2": np.nan}, {"OI3": np.nan}]
    alpha = explore.condition_detail(responses(rows), CB, condition="OI", wave="W1").reliability
    assert alpha.alpha is None and alpha.n is None and hidden_message(5) in alpha.note


def test_three_respondents_leave_the_conditions_page_without_a_figure():
    """A school of 3 in the selection: hidden, and every table is empty."""
    frame = responses(people(3, school="Tiny") + people(20, school="Big"))
    detail = explore.condition_detail(frame, CB, condition="SI", wave="W1", restriction={"school": "Tiny"})
    assert detail.hidden and detail.respondents < 5  # hidden waves lose their rows (privacy.restrict)
    assert detail.items.empty and detail.answers.empty and detail.summary.empty and detail.reliability is None


# -- Schools page ----------------------------------------------------------------------------------------------


def school_frame() -> pd.DataFrame:
    """Oak 10 (all Agree on WS), Elm 8 (all Disagree), Ash 6 (Neutral), Tiny 3."""
    return responses(
        people(10, school="Oak", WS1=4.0, WS2=4.0, WS3=4.0, WS4=4.0)
        + people(8, school="Elm", WS1=2.0, WS2=2.0, WS3=2.0, WS4=2.0)
        + people(6, school="Ash")
        + people(3, school="Tiny")
    )


def test_small_school_is_hidden_with_the_next_smallest_and_the_rest_show_their_gaps():
    """Tiny (3) is hidden, Ash (6) hidden beside it; Oak's WS is 100% favorable, 10/27 of everyone's 37."""
    view = explore.schools_view(school_frame(), CB, wave="W1", school_groups={"Oak": "cohort"})
    reasons = view.schools.set_index("school")[SUPPRESSED].to_dict()
    assert reasons == {"Ash": COMPLEMENTARY, "Elm": "", "Oak": "", "Tiny": SMALL_GROUP}
    ws = view.cells[view.cells["condition"] == "WS"].set_index("school")
    assert ws.loc["Oak", "pct_favorable"] == 100.0 and ws.loc["Elm", "pct_favorable"] == 0.0
    assert ws.loc[["Ash", "Tiny"], "pct_favorable"].isna().all()
    assert ws.loc["Oak", "gap_favorable"] == pytest.approx(100 - 100 * 10 / 27)
    assert ws.loc["Elm", "gap_mean"] == pytest.approx(2 - (10 * 4 + 8 * 2 + 9 * 3) / 27)
    assert view.schools.set_index("school").loc["Oak", "group"] == "cohort"


def test_school_table_is_numeric_and_hidden_rows_say_why():
    """The sortable table keeps numbers in the condition columns and the reason in the note."""
    view = explore.schools_view(school_frame(), CB, wave="W1")
    table = explore.school_matrix(view, CB).set_index("School")
    assert table.loc["Oak", "Work structures"] == 100 and pd.isna(table.loc["Tiny", "Work structures"])
    assert table.loc["Tiny", "Note"] == hidden_message(5) and table.loc["Ash", "Note"] == explore.COMPLEMENTARY_NOTE
    assert pd.isna(table.loc["Tiny", "Respondents"]) and table.loc["Oak", "Respondents"] == 10
    means = explore.school_matrix(view, CB, metric="mean").set_index("School")
    assert means.loc["Elm", "Work structures"] == 2.0


def test_choosing_a_hidden_school_shows_no_detail():
    """The sidebar school filter names the detail; a hidden school's detail is empty, a shown one has its rows."""
    hidden = explore.schools_view(school_frame(), CB, wave="W1", restriction={"school": "Tiny"})
    assert hidden.school == "Tiny" and hidden.school_hidden and explore.school_detail(hidden).empty
    shown = explore.schools_view(school_frame(), CB, wave="W1", restriction={"school": "Oak"})
    detail = explore.school_detail(shown).set_index("Condition")
    assert not shown.school_hidden and detail.loc["Work structures", "% favorable"] == 100


def test_school_grid_follows_the_role_filter_but_not_the_school_filter():
    """Role narrows every school alike; the school filter keeps every school in the grid."""
    frame = responses(people(6, school="Oak", role="Teacher") + people(6, school="Elm", role="Teacher"))
    frame = pd.concat([frame, responses(people(7, school="Oak", role="Administrator"))], ignore_index=True)
    view = explore.schools_view(frame, CB, wave="W1", restriction={"school": "Oak", "role": "Teacher"})
    assert view.schools.set_index("school")["n"].to_dict() == {"Elm": 6, "Oak": 6}


# -- Subgroups page --------------------------------------------------------------------------------------------


def test_each_group_shows_its_gap_to_the_whole_selection():
    """Teachers all Agree (100%), coaches all Disagree (0%): the whole is 50%, gaps +50 and -50 points."""
    frame = responses(
        people(6, role="Teacher", WS1=4.0, WS2=4.0, WS3=4.0, WS4=4.0)
        + people(6, role="Instructional coach or specialist", WS1=2.0, WS2=2.0, WS3=2.0, WS4=2.0)
    )
    view = explore.subgroup_view(frame, CB, attribute="role", wave="W1")
    ws = view.table[view.table["condition"] == "WS"].set_index("group")
    assert view.whole.set_index("condition").loc["WS", "pct_favorable"] == 50.0
    assert ws["gap_favorable"].to_dict() == {"Teacher": 50.0, "Instructional coach or specialist": -50.0}
    assert ws["gap_mean"].to_dict() == {"Teacher": 1.0, "Instructional coach or specialist": -1.0}
    table = explore.subgroup_table(view, CB).set_index("Group")
    # The gap's likely range: the Wilson interval of 6 of 6 respondents is 6 / (6 + 1.96²) = 0.610 to 1, so the
    # gap is likely between 61 − 50 = +11 and 100 − 50 = +50 points (worked by hand).
    assert table.loc["Teacher", "Work structures"] == "100% (+50; likely +11 to +50)"
    assert table.loc[explore.WHOLE, "Work structures"] == "50%"
    # The partner's table that fits the page: figure and gap only (the ranges go in their own long table).
    short = explore.subgroup_table(view, CB, ranges=False).set_index("Group")
    assert short.loc["Teacher", "Work structures"] == "100% (+50)"
    assert short.loc["Instructional coach or specialist", "Work structures"] == "0% (-50)"


def test_a_small_groups_large_gap_could_be_no_gap_and_is_faded():
    """'Not answered', n = 10, 70% favorable against a whole of 48% (+22): Wilson 7/10 is 39.7% to 89.2% (by
    hand), which holds 48%, so the gap could be 0; 400 at 62% (+14): 57.2% to 66.6%, clear of 48%."""
    cells = pd.DataFrame(
        {
            "n": [10, 400],
            "pct_favorable": [70.0, 62.0],
            "gap_favorable": [22.0, 14.0],
            "mean": [3.6, 3.5],
            "sd": [0.9, 0.8],
            "gap_mean": [0.3, 0.2],
            SUPPRESSED: ["", ""],
        }
    )
    out = explore.with_gap_intervals(cells)
    assert out["gap_favorable_unclear"].tolist() == [True, False]
    assert out["gap_favorable_low"].tolist() == pytest.approx([39.7 - 48, 57.2 - 48], abs=0.05)
    assert out["gap_favorable_high"].tolist() == pytest.approx([89.2 - 48, 66.6 - 48], abs=0.05)


def test_a_role_of_three_is_hidden_with_the_next_smallest_role():
    """Roles of 3, 6 and 20: the 3 is hidden as small, the 6 beside it so subtraction cannot recover the 3."""
    frame = responses(people(3, role="Other") + people(6, role="Student support") + people(20, role="Teacher"))
    view = explore.subgroup_view(frame, CB, attribute="role", wave="W1")
    groups = view.groups.set_index("group")
    assert groups[SUPPRESSED].to_dict() == {"Teacher": "", "Student support": COMPLEMENTARY, "Other": SMALL_GROUP}
    assert groups.loc["Other", "note"] == hidden_message(5)
    hidden = view.table[view.table["group"].isin(["Other", "Student support"])]
    assert (hidden[SUPPRESSED] != "").all()
    assert hidden[["n", "pct_favorable", "mean", "gap_favorable"]].isna().all().all()


def test_sensitive_attribute_needs_ten_respondents_per_group():
    """Gender is sensitive: 8 men are hidden (fewer than 10), and so are the 12 women beside them."""
    frame = responses(people(12, gender="Woman") + people(8, gender="Man") + people(30, gender=None))
    view = explore.subgroup_view(frame, CB, attribute="gender", wave="W1")
    groups = view.groups.set_index("group")
    assert view.min_n == 10 and groups.loc["Man", "note"] == hidden_message(10)
    assert groups[SUPPRESSED].to_dict() == {"Woman": COMPLEMENTARY, "Man": SMALL_GROUP, NOT_ANSWERED: ""}
    not_sensitive = explore.subgroup_view(
        responses(people(12, role="Teacher") + people(8, role="Other") + people(30)), CB, attribute="role", wave="W1"
    )
    assert (not_sensitive.groups[SUPPRESSED] == "").all()


def test_breakdowns_offer_role_first_and_skip_the_school_and_fixed_filters():
    """Role, experience and level come first; school (own page) and a filtered attribute are not offered."""
    frame = responses(people(6, school="Oak", role="Teacher", school_level="Middle", gender="Woman"))
    assert explore.subgroup_attributes(frame, CB) == ("role", "school_level", "gender")
    assert explore.subgroup_attributes(frame, CB, restriction={"role": "Teacher"}) == ("school_level", "gender")


def test_whole_pooled_from_groups_equals_scoring_the_whole():
    """A breakdown's whole, its groups' sums added up, equals condition_summary of the whole selection."""
    rng = np.random.default_rng(7)
    rows = [
        {
            "role": rng.choice(["Teacher", "Other", None]),
            **{item: float(rng.choice([1, 2, 3, 4, 5, -1, np.nan])) for item in ITEMS},
        }
        for _ in range(300)
    ]
    frame = responses(rows)
    view = explore.subgroup_view(frame, CB, attribute="role", wave="W1")
    pooled = view.whole.set_index("condition")
    direct = condition_summary(frame, CB).set_index("condition")
    columns = ["n", "mean", "sd", "n_responses", "pct_favorable", "pct_neutral", "pct_unfavorable", "n_nonsubstantive"]
    pd.testing.assert_frame_equal(pooled[columns], direct[columns], check_dtype=False, rtol=1e-9)
    assert pooled["stage"].tolist() == direct["stage"].tolist()


# -- Leader identity page --------------------------------------------------------------------------------------


def leader_frame() -> pd.DataFrame:
    """W2: 6 teachers say Yes (4 without a formal role) and Agree on WS; 6 say No or Not sure and Disagree."""
    yes = [{"role": "Teacher", "LI1": 1.0, "FLR": 2.0 if i < 4 else 1.0, "WS1": 4.0, "WS2": 4.0, "WS3": 4.0,
            "WS4": 4.0} for i in range(6)]  # fmt: skip
    other = [{"role": "Teacher", "LI1": 2.0 if i < 3 else 3.0, "FLR": 2.0, "WS1": 2.0, "WS2": 2.0, "WS3": 2.0,
              "WS4": 2.0} for i in range(6)]  # fmt: skip
    earlier = [{"wave": "W1", "role": "Teacher", "LI1": 1.0 if i < 2 else 2.0} for i in range(8)]
    return responses([{"wave": "W2", **r} for r in yes + other] + earlier)


def test_leader_shares_by_wave_count_informal_leaders():
    """W2: 6 of 12 say Yes, 3 No, 3 Not sure; 4 of the 6 have no formal role. W1: 2 of 8 say Yes."""
    view = explore.leader_view(leader_frame(), CB, wave="W2")
    by_wave = view.by_wave.set_index("wave")
    assert by_wave.loc["W2", ["n", "n_yes", "n_no", "n_unsure", "n_informal"]].tolist() == [12, 6, 3, 3, 4]
    assert by_wave.loc["W2", "share_informal_of_yes"] == pytest.approx(4 / 6)
    assert by_wave.loc["W1", "share_yes"] == pytest.approx(2 / 8)
    answers = explore.identity_answers(view.by_wave, group="wave")
    assert answers[answers["group"] == "W2"].set_index("answer")["share"].to_dict() == pytest.approx(
        {"Yes": 50.0, "Not sure": 25.0, "No": 25.0}
    )


def test_conditions_compared_between_those_who_say_yes_and_the_others():
    """Those answering Yes are 100% favorable on WS, the others 0%: a 100-point difference, n 6 and 6."""
    view = explore.leader_view(leader_frame(), CB, wave="W2")
    ws = view.identity_gap.set_index("condition").loc["WS"]
    assert (ws["pct_yes"], ws["pct_other"], ws["difference"], ws["n_yes"], ws["n_other"]) == (100.0, 0.0, 100.0, 6, 6)
    table = explore.identity_table(view, min_n=5).set_index("Condition")
    row = table.loc[CB.condition("WS").name]
    assert row[["% favorable (Yes)", "n (Yes)", "% favorable (No or not sure)", "n (No or not sure)"]].tolist() == [
        "100%",
        "6",
        "0%",
        "6",
    ]
    assert row["Difference (points)"] == "+100" and row["Note"] == ""


def test_identity_groups_under_five_are_not_compared():
    """Four say Yes among 10: the Yes group is hidden, the others beside it too, and no difference is shown."""
    rows = [{"LI1": 1.0} for _ in range(4)] + [{"LI1": 2.0} for _ in range(6)]
    view = explore.leader_view(responses(rows), CB, wave="W1")
    assert view.identity_gap.empty
    shown = view.by_identity[view.by_identity[SUPPRESSED] == ""]
    assert shown.empty
    table = explore.identity_table(view, min_n=5)
    assert (table["% favorable (Yes)"] == "").all() and (table["Difference (points)"] == "").all()
    assert (
        table["Note"].str.startswith("Yes: fewer than 5").all() and table["Note"].str.contains("No or not sure").all()
    )


def test_leader_role_breakdown_hides_a_role_of_three():
    """A role of 3 among 20 teachers is hidden; the role filter removes the role breakdown altogether."""
    rows = [{"role": "Teacher", "LI1": 1.0} for _ in range(20)] + [{"role": "Other", "LI1": 1.0} for _ in range(3)]
    rows += [{"role": None, "LI1": 2.0} for _ in range(6)]
    view = explore.leader_view(responses(rows), CB, wave="W1")
    roles = view.by_role.set_index("role")
    assert roles.loc["Other", SUPPRESSED] == SMALL_GROUP and pd.isna(roles.loc["Other", "share_yes"])
    assert roles.loc[NOT_ANSWERED, SUPPRESSED] == COMPLEMENTARY
    filtered = explore.leader_view(responses(rows), CB, wave="W1", restriction={"role": "Teacher"})
    assert filtered.by_role.empty and not filtered.hidden


def test_leader_view_of_three_respondents_is_hidden():
    """A selection of 3 respondents: nothing but the hidden flag."""
    view = explore.leader_view(responses(people(3, LI1=1.0)), CB, wave="W1")
    assert view.hidden and view.by_wave.empty and view.by_identity.empty


def test_instrument_without_leader_block_is_refused_clearly():
    """The school-improvement codebook has no leader block: a helpful ValueError, the page checks first."""
    with pytest.raises(ValueError, match="no leader-identity block"):
        explore.leader_view(responses(people(6)), load_codebook("school-improvement"), wave="W1")


def test_thresholds_come_from_settings():
    """With min_n raised to 7, a school of 6 is hidden on the Schools page."""
    view = explore.schools_view(school_frame(), CB, wave="W1", settings=Settings(min_n=7))
    assert view.schools.set_index("school").loc["Ash", SUPPRESSED] == SMALL_GROUP


def test_views_give_the_same_figures_from_stored_parts():
    """The dashboard adds each respondent's parts and the per-cell tallies once; every view must show exactly the
    same figures with them as without, privacy decisions included."""
    rng = np.random.default_rng(11)
    rows = [
        {
            "wave": str(rng.choice(["W1", "W2"])),
            "school": str(rng.choice(["Ash", "Elm", "Oak", "Yew"], p=[0.4, 0.3, 0.27, 0.03])),
            "role": str(rng.choice(["Teacher", "Coach", "Other"])),
            **{item: float(rng.choice([1, 2, 3, 4, 5, -1, np.nan])) for item in ITEMS if item not in ("LI1", "FLR")},
            "LI1": float(rng.choice([1, 2, 3])),
            "FLR": float(rng.choice([1, 2])),
        }
        for _ in range(400)
    ]
    frame = responses(rows)
    stored = with_condition_parts(frame, CB)
    tallies = tally(stored, CB)
    views = (
        lambda f, t, r: explore.schools_view(f, CB, wave="W2", restriction=r, tallies=t),
        lambda f, t, r: explore.subgroup_view(f, CB, attribute="role", wave="W2", restriction=r, tallies=t),
        lambda f, t, r: explore.leader_view(f, CB, wave="W2", restriction=r, tallies=t),
        lambda f, t, r: explore.condition_detail(
            f, CB, condition="SI", wave="W2", compare="W1", restriction=r, tallies=t
        ),
    )
    hidden = []  # Yew is small: alone, or with one role, it is hidden
    for restriction in ({}, {"role": "Teacher"}, {"school": "Yew"}, {"school": "Yew", "role": "Coach"}):
        for view in views:
            plain, fast = view(frame, None, restriction), view(stored, tallies, restriction)
            assert plain.hidden == fast.hidden
            hidden.append(plain.hidden)
            tables = [name for name, value in vars(plain).items() if isinstance(value, pd.DataFrame)]
            for name in tables:
                pd.testing.assert_frame_equal(getattr(fast, name), getattr(plain, name), obj=name)
    assert any(hidden) and not all(hidden)


def test_item_table_change_is_the_difference_of_the_percentages_shown():
    """W1: 1 of 8 favorable (12.5%, shown 13%); W2: 2 of 5 (40%). The change reads +27, not the unrounded +27.5."""
    earlier = [{"wave": "W1", "SI1": 5.0}] + [{"wave": "W1", "SI1": 1.0} for _ in range(7)]
    later = [{"wave": "W2", "SI1": 4.0}, {"wave": "W2", "SI1": 5.0}] + [{"wave": "W2", "SI1": 2.0} for _ in range(3)]
    detail = explore.condition_detail(responses(earlier + later), CB, condition="SI", wave="W2", compare="W1")
    row = explore.items_table(detail, min_n=5).set_index("Item").loc["SI1"]
    assert (row["% favorable in W1"], row["% favorable"], row["Change (points)"]) == ("13%", "40%", "+27")


def test_wide_tables_head_conditions_with_a_short_first_word():
    """Seven full condition names do not fit 1280 px: each header is the name's first word, cut to 8 letters with
    a full stop; names whose headers would collide keep their full name."""
    from ui.tables import short_headers

    names = ["Vision and strategy", "Relationships and social norms", "Work structures"]
    assert short_headers(names) == {
        "Vision and strategy": "Vision",
        "Relationships and social norms": "Relati.",
        "Work structures": "Work",
    }
    assert short_headers(["Shared influence", "Shared leadership"]) == {
        "Shared influence": "Shared influence",
        "Shared leadership": "Shared leadership",
    }
