"""School attributes for equity (Title I, locale, ...): from the school list, broken down on Subgroups, never
mixing values inside a pool of small schools."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_model import explore
from survey_model.audit import audit, published_groups
from survey_model.codebook import load_codebook
from survey_model.release import WITHHELD, release, released_responses, school_info
from survey_model.scoring import with_condition_parts
from survey_model.settings import Settings
from survey_model.store import School, Store

CODEBOOK = load_codebook()
TITLE = "school:title_i"


def planted_frame(sizes: dict[str, int], *, seed: int = 0) -> pd.DataFrame:
    """One wave, ``sizes[school]`` respondents per school, every item answered."""
    rng = np.random.default_rng(seed)
    schools = [school for school, n in sizes.items() for _ in range(n)]
    n = len(schools)
    frame = pd.DataFrame({"wave": ["W"] * n, "school": schools, "role": ["Teacher"] * n})
    for item in CODEBOOK.condition_items:
        frame[item.id] = rng.integers(1, 6, n).astype(float)
    return frame


def test_school_attributes_are_stored_with_the_school_list_and_audited(tmp_path: Path):
    """set_schools keeps each school's further attributes (empty values dropped) and the audit log records them."""
    store = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "key.secret")
    store.ensure_organization("d7", "District 7", user="ana")
    store.set_schools(
        "d7",
        [School("Oak", "", "Elementary", (("title_i", "Title I"), ("locale", ""))), School("Elm", "", "Middle")],
        user="ana",
    )
    elm, oak = store.schools("d7")
    assert (elm, oak) == (School("Elm", "", "Middle"), School("Oak", "", "Elementary", (("title_i", "Title I"),)))
    assert oak.attribute("title_i") == "Title I" and elm.attribute("title_i") == ""
    last = store.audit_log("d7").iloc[-1]
    assert last["details"]["after"] == {"Oak": ["", "Elementary", {"title_i": "Title I"}], "Elm": ["", "Middle"]}
    store.close()


def test_a_pool_that_mixes_title_i_values_publishes_the_attribute_as_withheld():
    """Hand-worked: Oak (30, Title I) is a school of its own; Elm (3, Title I) and Ash (4, not) are each under 5
    and pool together, so their 7 respondents carry Title I as withheld; a pool sharing a value keeps it."""
    frame = planted_frame({"Oak": 30, "Elm": 3, "Ash": 4})
    info = school_info(
        [School("Oak", attributes=(("title_i", "Title I"),)), School("Elm", attributes=(("title_i", "Title I"),)),
         School("Ash", attributes=(("title_i", "Not Title I"),))]
    )  # fmt: skip
    released = release(frame, CODEBOOK, schools=info).frame
    assert released.groupby(TITLE, observed=True).size().to_dict() == {"Title I": 30, WITHHELD: 7}
    shared = school_info([School(s, attributes=(("title_i", "Title I"),)) for s in ("Oak", "Elm", "Ash")])
    assert set(release(frame, CODEBOOK, schools=shared).frame[TITLE].astype(str)) == {"Title I"}


def test_subgroups_break_down_by_a_school_attribute_and_drop_the_withheld_pool():
    """Subgroups offer the school list's attributes; the withheld pool counts in the whole, in no group."""
    frame = planted_frame({"Oak": 30, "Birch": 20, "Elm": 3, "Ash": 4})
    info = school_info(
        [School("Oak", attributes=(("title_i", "Title I"),)), School("Birch", attributes=(("title_i", "Not"),)),
         School("Elm", attributes=(("title_i", "Title I"),)), School("Ash", attributes=(("title_i", "Not"),))]
    )  # fmt: skip
    released = with_condition_parts(release(frame, CODEBOOK, schools=info).frame, CODEBOOK)
    assert TITLE in explore.subgroup_attributes(released, CODEBOOK)
    view = explore.subgroup_view(released, CODEBOOK, attribute=TITLE, wave="W", settings=Settings())
    shown = view.groups[view.groups["note"] == ""].set_index("group")["n"].to_dict()
    assert shown == {"Title I": 30, "Not": 20}
    assert view.respondents == 57 and view.label == "School: title i"


@pytest.mark.slow
def test_the_auditor_covers_the_title_i_breakdown_and_finds_nothing_on_the_demo(data_dir):
    """Cedar Valley 2026 (Juniper Hollow, Title I, pools with Dogwood, not Title I): every page under every filter,
    the Title I breakdown included, isolates no one."""
    from survey_model.settings import load_settings
    from survey_model.tallies import tally

    store = Store.from_settings(load_settings())
    try:
        codebook = store.codebook_for("cedar-valley")
        frame = with_condition_parts(released_responses(store, "cedar-valley").frame, codebook)
    finally:
        store.close()
    in_2026 = frame[frame["wave"] == "2026 Spring"]
    pooled = in_2026[in_2026["school"] == WITHHELD]
    assert len(pooled) and set(pooled[TITLE].astype(str)) == {WITHHELD}  # the mixed pool
    published = published_groups(frame, codebook, waves=["2026 Spring"], tallies=tally(frame, codebook))
    by_title = [p for p in published if p.source.startswith(f"Subgroups by {TITLE}")]
    assert {value for p in by_title for column, value in p.equals if column == TITLE} == {"Title I", "Not Title I"}
    shifts_by_title = [p for p in published if p.source.startswith("Shifts") and f"by {TITLE}" in p.source]
    assert {value for p in shifts_by_title for column, value in p.equals if column == TITLE} == {
        "Title I",
        "Not Title I",
    }  # the Shifts page's "Compare schools by" Title I, its changes and its trend lines
    assert not audit(frame, published)


def test_the_subgroups_page_offers_title_i_on_the_demo(app):
    """On the demo, Subgroups can break Cedar Valley down by the school list's Title I."""
    at = app(org="cedar-valley", wave="2025 Spring").run()
    at.switch_page("views/subgroups.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="subgroups_attribute").set_value(TITLE).run()
    assert not at.exception, at.exception
    shown = [frame.value for frame in at.dataframe]
    assert any("Title I" in table.to_csv() and "Not Title I" in table.to_csv() for table in shown)


def test_the_release_reads_the_attributes_from_the_stored_school_list(tmp_path):
    """released_responses takes the further attributes from the store's school list, not from the answers."""
    store = Store(str(tmp_path / "s.db"), secret_path=tmp_path / "k")
    answers = planted_frame({"Oak": 6}).drop(columns="wave").assign(respondent_id="")
    store.save_wave(
        "d7", "W", answers, codebook=CODEBOOK, platform="p",
        file_sha256=hashlib.sha256(b"x").hexdigest(), user="ana", date=dt.date(2025, 1, 1),
    )  # fmt: skip
    store.set_schools("d7", [School("Oak", attributes=(("title_i", "Title I"),))], user="ana")
    assert set(released_responses(store, "d7").frame[TITLE].astype(str)) == {"Title I"}
    store.close()


def two_waves(sizes: dict[str, int], *, seed: int = 0) -> pd.DataFrame:
    """Two waves of :func:`planted_frame`, leader identity answered 1 (yes), 2 or 3 at random."""
    rng = np.random.default_rng(seed)
    frame = pd.concat([planted_frame(sizes, seed=seed).assign(wave=w) for w in ("W1", "W2")], ignore_index=True)
    return frame.assign(**{CODEBOOK.leader.item: rng.integers(1, 4, len(frame)).astype(float)})


SIZES = {"Oak": 30, "Birch": 20, "Elm": 3, "Ash": 4}
TITLE_SCHOOLS = school_info(
    [School("Oak", attributes=(("title_i", "Title I"),)), School("Birch", attributes=(("title_i", "Not"),)),
     School("Elm", attributes=(("title_i", "Title I"),)), School("Ash", attributes=(("title_i", "Not"),))]
)  # fmt: skip


def test_shifts_compare_title_i_schools_with_others_as_an_independent_count_does():
    """Oak (30, Title I) and Birch (20, not) each wave; Elm (3) and Ash (4) pool with mixed values, so the pool's 7
    are in the selection's own figures but in neither group. Leader identity per group and wave equals the share of
    answers 1 (yes) counted with pandas on the released frame; verdicts are exploratory, never "clear"."""
    from survey_model import dashboard
    from survey_model.shifts.display import shifts_page
    from survey_model.shifts.results import COULD_BE_NO_CHANGE, LIKELY_HIGHER, LIKELY_LOWER, TOO_FEW

    released = with_condition_parts(release(two_waves(SIZES), CODEBOOK, schools=TITLE_SCHOOLS).frame, CODEBOOK)
    assert dashboard.school_comparisons(released) == (TITLE,)
    view = dashboard.shifts_view(released, CODEBOOK, from_wave="W1", to_wave="W2", compare_by=TITLE)
    assert view.report.shifts[0].n1 == 57  # the whole selection keeps the pool
    rows = view.by_group.to_frame()
    leader = rows[rows["measure"] == "leader_identity"].set_index(TITLE)
    assert set(rows[TITLE].astype(str)) == {"Title I", "Not"}  # never the withheld pool

    item = CODEBOOK.leader.item
    kept = released[released[TITLE].astype(str) != WITHHELD]
    expected = kept.groupby([TITLE, "wave"], observed=True)[item].agg(n="size", share=lambda s: (s == 1).mean())
    for value, n in (("Title I", 30), ("Not", 20)):
        assert (leader.loc[value, "n1"], leader.loc[value, "n2"]) == (n, n)  # hand count: Oak, Birch
        assert leader.loc[value, "estimate1"] == pytest.approx(expected.loc[(value, "W1"), "share"])
        assert leader.loc[value, "estimate2"] == pytest.approx(expected.loc[(value, "W2"), "share"])
        assert leader.loc[value, "role"] == "exploratory"
    assert set(rows["verdict"]) <= {LIKELY_HIGHER, LIKELY_LOWER, COULD_BE_NO_CHANGE, TOO_FEW}
    page = shifts_page(view)
    assert page.compare_by == TITLE and len(page.group_statements) == 2
    assert not any("clear" in statement for statement in page.group_statements)
    assert set(page.group_lines[TITLE].astype(str)) == {"Title I", "Not"}
    assert set(page.group_lines["n"]) == {30, 20}


def test_shifts_compare_by_an_attribute_is_off_for_one_school_and_for_a_fixed_attribute():
    """With one school chosen there is no comparison of schools; an attribute a filter fixes is not offered."""
    from survey_model import dashboard

    released = with_condition_parts(release(two_waves(SIZES), CODEBOOK, schools=TITLE_SCHOOLS).frame, CODEBOOK)
    one = dashboard.shifts_view(
        released, CODEBOOK, from_wave="W1", to_wave="W2", compare_by=TITLE, restriction={"school": "Oak"}
    )
    assert one.by_group is None and one.group_trend is None
    assert dashboard.school_comparisons(released, {TITLE: "Title I"}) == ()


def test_the_shifts_page_compares_title_i_schools_with_others_on_the_demo(app):
    """Cedar Valley 2026 vs 2024: "Compare schools by" Title I shows both groups, worded for exploring."""
    at = app(org="cedar-valley", wave="2026 Spring", compare="2024 Spring").run()
    at.switch_page("views/shifts.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="shifts_compare_by").set_value(TITLE).run()
    assert not at.exception, at.exception
    assert any(s.value == "Schools compared by title i" for s in at.subheader)
    statements = [m.value for m in at.markdown if m.value.startswith(("- Title I", "- Not Title I"))]
    assert len(statements) == 2, statements
    assert not any("clear" in statement for statement in statements)
    assert WITHHELD not in "\n".join(m.value for m in at.markdown)


def test_the_workbook_breaks_conditions_down_by_title_i_as_an_independent_count_does():
    """The Subgroups sheet carries a "School: title i" block: Title I 30 and Not 20 respondents (hand count), the
    withheld pool in no group, each condition's percent favorable equal to favorable answers (4-5, or 1-2 for a
    reversed item) over answers counted with pandas; the exports' audit names the block and finds no one."""
    from survey_model.audit import published_in_exports
    from survey_model.workbook import results_workbook

    released = with_condition_parts(release(two_waves(SIZES), CODEBOOK, schools=TITLE_SCHOOLS).frame, CODEBOOK)
    book = results_workbook(released, CODEBOOK, org_name="D7", wave="W2", compare="W1")
    table = book.sheet("Subgroups").table
    block = table[table["Attribute"] == "School: title i"]
    assert sorted(zip(block["Wave"], block["Group"], block["n"], strict=True)) == [
        ("W1", "Not", 20), ("W1", "Title I", 30), ("W2", "Not", 20), ("W2", "Title I", 30)
    ]  # fmt: skip
    for condition in CODEBOOK.conditions:
        items = [item for item in CODEBOOK.condition_items if item.condition == condition.id]
        for (wave, group), answers in released.groupby(["wave", TITLE], observed=True):
            if str(group) == WITHHELD:
                continue
            favorable = sum(((answers[i.id] <= 2) if i.reverse else (answers[i.id] >= 4)).sum() for i in items)
            answered = sum(answers[i.id].notna().sum() for i in items)
            row = block[(block["Wave"] == wave) & (block["Group"] == str(group))].iloc[0]
            assert row[f"{condition.name} (% favorable)"] == pytest.approx(100 * favorable / answered)
    published = published_in_exports(
        released, CODEBOOK, selections=[{"school": None, "school_level": None, "role": None}], wave="W2", compare="W1"
    )
    title = {
        value for p in published if p.source.startswith("Workbook Subgroups") for c, value in p.equals if c == TITLE
    }
    assert title == {"Title I", "Not"}
    assert not audit(released, published)
