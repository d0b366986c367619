"""The release decision (survey_model.release) and the differencing auditor (survey_model.audit) that checks it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survey_model.audit import Published, audit, published_groups
from survey_model.codebook import load_codebook
from survey_model.release import IDENTITY, SCHOOL_GROUP, WITHHELD, SchoolInfo, release, smallest_isolated
from survey_model.responses import RESPONDENT_KEY, WAVE
from survey_model.scoring import identity_groups, with_condition_parts
from survey_model.settings import Settings

CB = load_codebook()
ROLES = ["Teacher", "Administrator", "Instructional coach or specialist", "Student support", ""]
YEARS = ["First year", "2-3 years", "4-6 years", "11-20 years", ""]
GENDERS = ["Woman", "Man", "Non-binary", ""]
LEVELS = ["Elementary", "Middle", "High"]


# ----------------------------------------------------------------------------------------------------------------
# The linear-algebra check, on cases worked out by hand


def test_everyone_minus_the_teachers_isolates_the_other_two():
    """Everyone (8) and the teachers (6) are published: the other 2 are determined by subtraction."""
    parts = np.array([[1, 1], [1, 0]], dtype=bool)  # atoms: 6 teachers, 2 others
    assert smallest_isolated(parts, np.array([6, 2]), below=5) == (1,)


def test_two_attributes_that_cross_fully_isolate_nobody():
    """Role (teachers 40 / others 6) and identity (Yes 20 / other 26) over a full 2 × 2 crossing: every atom's
    sum needs the others, so the smallest set any combination gives is a whole part (hand: a + c = 1 forces …)."""
    # atoms: teacher∩yes 18, teacher∩other 22, other∩yes 2, other∩other 4
    sizes = np.array([18, 22, 2, 4])
    parts = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]], dtype=bool)
    assert smallest_isolated(parts, sizes, below=5) is None


def test_an_empty_crossing_lets_one_attribute_minus_another_isolate_one_person():
    """Years a1 (6) and a2 (5), identity Yes (5, all within a1): a1 minus Yes is the one a1 person not saying Yes."""
    # atoms: a1∩yes 5, a1∩other 1, a2∩other 5 (a2∩yes is empty)
    sizes = np.array([5, 1, 5])
    parts = np.array([[1, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 1]], dtype=bool)
    assert smallest_isolated(parts, sizes, below=5) == (1,)


def test_four_single_people_isolated_only_together_are_found():
    """Two published wholes that differ by four atoms of one person each: the four together are isolated."""
    sizes = np.array([10, 1, 1, 1, 1])
    parts = np.array([[1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool)
    found = smallest_isolated(parts, sizes, below=5)
    assert found is not None and sorted(found) == [1, 2, 3, 4]


# ----------------------------------------------------------------------------------------------------------------
# Random small networks


def network(seed: int, *, waves: int = 3) -> tuple[pd.DataFrame, dict[str, SchoolInfo]]:
    """A small random network: 1-5 schools of 1-30 respondents a wave, blank answers, roles of one, tiny schools,
    a panel of people answering several waves, and a school list that misses a school or a level now and then."""
    rng = np.random.default_rng(seed)
    schools = [f"School {chr(65 + i)}" for i in range(rng.integers(1, 6))]
    staff = {school: [f"{school}-{k}" for k in range(rng.integers(2, 35))] for school in schools}
    rows = []
    for w in range(waves):
        for school in schools:
            present = rng.random(len(staff[school])) < rng.uniform(0.3, 1.0)
            for person in np.array(staff[school])[present]:
                rows.append(
                    {
                        WAVE: f"W{w + 1}",
                        RESPONDENT_KEY: person if rng.random() < 0.8 else "",
                        "school": school if rng.random() < 0.97 else "",
                        "school_level": rng.choice([*LEVELS, ""]),  # self-reported: never used for figures
                        "role": rng.choice(ROLES, p=[0.7, 0.08, 0.08, 0.07, 0.07]),
                        "years_in_education": rng.choice(YEARS),
                        "leadership_team": rng.choice(["Yes", "No", ""]),
                        "gender": rng.choice(GENDERS, p=[0.6, 0.3, 0.05, 0.05]),
                        "LI1": rng.choice([1.0, 2.0, 3.0, np.nan]),
                        "FLR": rng.choice([1.0, 2.0]),
                    }
                )
    frame = pd.DataFrame(rows)
    for item in CB.condition_items:
        answers = rng.integers(1, 6, len(frame)).astype("float32")
        answers[rng.random(len(frame)) < 0.1] = np.nan
        frame[item.id] = answers
    frame[WAVE] = pd.Categorical(frame[WAVE], categories=[f"W{w + 1}" for w in range(waves)], ordered=True)
    info = {}
    for school in schools:
        if rng.random() < 0.9:  # now and then a school is missing from the list, or has no level
            level = rng.choice(LEVELS) if rng.random() < 0.9 else ""
            info[school] = SchoolInfo(level=str(level), group=str(rng.choice(["cohort", "comparison", ""])))
    return frame, info


def page_groups(frame: pd.DataFrame) -> list[Published]:
    """What the pages can publish of a released frame, by the pages' rules, without running the pages: every
    filter combination, its breakdowns by school, level, group, role, identity and each attribute (only without a
    role filter, as the pages do), and the matched panels."""
    out = []
    waves = [str(w) for w in frame[WAVE].cat.categories]
    attributes = ["role", IDENTITY, "years_in_education", "leadership_team", "gender"]

    options = {
        column: sorted(set(frame[column].dropna().astype(str)) - {WITHHELD})
        for column in ["school", "school_level", SCHOOL_GROUP, *attributes]
    }

    def values(column):
        return options[column]

    for school in [None, *values("school")]:
        for level in [None, *values("school_level")]:
            for role in [None, *values("role")]:
                base = tuple((k, v) for k, v in (("school", school), ("school_level", level), ("role", role)) if v)
                for wave in waves:
                    out.append(Published("selection", wave, base))
                    breakdowns = ["school", "school_level", SCHOOL_GROUP]
                    breakdowns += ["role"] if role else attributes
                    for column in breakdowns:
                        for value in values(column):
                            out.append(Published(f"by {column}", wave, (*base, (column, value))))
                    if role is None:
                        out += [Published("matched", wave, base, linked_to=other) for other in waves if other != wave]
    return out


@pytest.mark.parametrize("start", range(0, 200, 25))
def test_no_random_network_lets_anyone_work_out_fewer_than_five(start):
    """200 random small networks (blank answers, ties, tiny schools, roles of one, panels): the auditor finds no
    set of 1-4 respondents that the released groups determine, by count, difference or linear combination."""
    for seed in range(start, start + 25):
        frame, info = network(seed)
        released = release(frame, CB, schools=info)
        findings = audit(released.frame, page_groups(released.frame)) if len(released.frame) else []
        assert not findings, f"seed {seed}: " + findings[0].describe()


def test_the_auditor_finds_the_attacks_on_unreleased_data():
    """The same groups read from the stored answers (no release) are broken open in most random networks: the
    auditor has teeth."""
    broken = 0
    for seed in range(20):
        frame, info = network(seed)
        groups = {name: school.group for name, school in info.items()}
        raw = frame.assign(
            **{SCHOOL_GROUP: frame["school"].map(groups), IDENTITY: identity_groups(frame, CB).fillna("Not answered")}
        )
        raw = raw.assign(**{c: raw[c].replace("", "Not answered") for c in ["school", "school_level", "role"]})
        broken += bool(audit(raw, page_groups(raw), codebook=CB))
    assert broken >= 15


def test_sensitive_attributes_need_ten_in_every_published_group():
    """Gender groups of 5-9 people are withheld (10 for sensitive attributes), while roles of 5-9 are shown."""
    for seed in range(30):
        frame, info = network(seed)
        released = release(frame, CB, schools=info, min_n=5, min_n_sensitive=10).frame
        for column, floor in (("gender", 10), ("role", 5)):
            sizes = released[released[column] != WITHHELD].groupby([WAVE, "school", column], observed=True).size()
            assert sizes[sizes > 0].min() >= floor if (sizes > 0).any() else True
    frame, info = network(3)
    counts = release(frame, CB, schools=info, min_n=5, min_n_sensitive=5).frame
    assert (counts[counts["gender"] != WITHHELD].groupby([WAVE, "school", "gender"], observed=True).size() < 10).any()


def test_school_level_and_group_come_from_the_school_list():
    """Respondents' own answers to the level question never split a school: every respondent of a school has the
    list's level, or, for a school the list gives none, the level most of its respondents answered."""
    for seed in range(10):
        frame, info = network(seed)
        released = release(frame, CB, schools=info).frame
        single = released[released["school"] != WITHHELD]
        for school, levels in single.groupby("school", observed=True)["school_level"]:
            assert levels.nunique() == 1
            listed = info.get(str(school), SchoolInfo()).level
            answers = frame.loc[frame["school"] == school, "school_level"]
            modal = answers[answers != ""].value_counts()
            expected = listed or (sorted(modal[modal == modal.max()].index)[0] if len(modal) else WITHHELD)
            assert str(levels.iloc[0]) == expected


# ----------------------------------------------------------------------------------------------------------------
# Named cases from the demo network and bad input


def demo_like() -> tuple[pd.DataFrame, dict[str, SchoolInfo]]:
    """Cedar Valley's 2026 shape in miniature: a school of 4 (Juniper Hollow), a larger school (Dogwood), and a big
    one where one teacher left the level question blank."""
    rows = (
        [("Juniper Hollow School", "Teacher", "K-8")] * 4
        + [("Dogwood Elementary School", "Teacher", "Elementary")] * 28
        + [("Alder Elementary School", "Teacher", "Elementary")] * 40
        + [("Alder Elementary School", "Teacher", "")]  # the blank-level teacher
        + [("Alder Elementary School", "Administrator", "Elementary")] * 2
    )
    frame = pd.DataFrame(rows, columns=["school", "role", "school_level"])
    frame[WAVE] = pd.Categorical(["2026 Spring"] * len(frame))
    frame[RESPONDENT_KEY] = ""
    frame["LI1"] = np.resize([1.0, 2.0, 3.0], len(frame))
    for item in CB.condition_items:
        frame[item.id] = np.resize(np.array([4.0, 2.0, 5.0, 3.0], dtype="float32"), len(frame))
    info = {
        "Juniper Hollow School": SchoolInfo("K-8", "cohort"),
        "Dogwood Elementary School": SchoolInfo("Elementary", "comparison"),
        "Alder Elementary School": SchoolInfo("Elementary", "cohort"),
    }
    return frame, info


def test_juniper_hollow_a_school_of_four_is_pooled_with_the_next_smallest_school():
    """Four respondents pool with Dogwood (the smallest school that makes the pool reach 5); neither is a school on
    its own, and the pool counts in the organization's total only (their levels and groups differ)."""
    frame, info = demo_like()
    released = release(frame, CB, schools=info).frame
    assert set(released["school"].astype(str)) == {"Alder Elementary School", WITHHELD}
    pool = released[released["school"] == WITHHELD]
    assert len(pool) == 32 and set(pool["school_level"].astype(str)) == {WITHHELD}
    assert len(released) == len(frame)  # nobody is dropped from the totals


def test_the_blank_level_teacher_cannot_be_worked_out_from_level_figures():
    """Alder minus Alder at its level used to give the one teacher who left the level blank; the level now comes
    from the school list, so the two are the same 43 people, and the auditor finds nothing on the pages."""
    frame, info = demo_like()
    released = with_condition_parts(release(frame, CB, schools=info).frame, CB)
    alder = released[released["school"] == "Alder Elementary School"]
    assert len(alder) == 43 and set(alder["school_level"].astype(str)) == {"Elementary"}
    groups = published_groups(released, CB, settings=Settings(), shifts=False)
    assert not audit(released, groups)
    assert "Administrator" not in {value for g in groups for _, value in g.equals}


def test_a_school_list_with_gaps_is_reported_in_plain_words():
    """A school missing from the list, a school with no level, respondents with no school: notes say what to do."""
    frame, info = demo_like()
    frame.loc[:5, "school"] = ""
    del info["Dogwood Elementary School"]
    info["Alder Elementary School"] = SchoolInfo("", "cohort")
    notes = " ".join(release(frame, CB, schools=info).notes)
    assert "Dogwood Elementary School" in notes and "not in the school list" in notes
    assert "no level" in notes and "named no school" in notes


def test_every_attribute_blank_still_publishes_only_safe_groups():
    """Nobody answered any attribute: every respondent is in one Not-answered cell, shown only as a whole."""
    frame, _ = network(11)
    for column in ("school", "role", "years_in_education", "leadership_team", "gender"):
        frame[column] = ""
    released = release(frame, CB, schools={})
    assert set(released.frame["school"].astype(str)) <= {"Not answered"}
    assert not audit(released.frame, page_groups(released.frame))


def test_a_wave_with_fewer_than_five_respondents_is_not_published():
    """Four respondents in all: nothing of that wave reaches the released frame."""
    frame, info = demo_like()
    tiny = frame[frame["school"] == "Juniper Hollow School"]
    assert release(tiny, CB, schools=info).frame.empty


def test_the_minimum_must_be_sensible():
    """A minimum below 1, or a sensitive minimum below the minimum, is a programming error."""
    frame, info = demo_like()
    with pytest.raises(ValueError, match="min_n"):
        release(frame, CB, schools=info, min_n=5, min_n_sensitive=3)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("org", "waves"), [("cedar-valley", None), ("harbor-point", ["2026 Spring"]), ("lakeshore", ["2026 Spring"])]
)
def test_the_demo_network_gives_no_one_away_on_any_page_export_or_command(data_dir, org, waves, capsys):
    """Every page's builders under every sidebar filter combination and comparison wave, the workbook and the deck
    of every single-filter selection, and the shifts command's JSON for every school, on the stored demo data as
    the app releases it: the auditor finds no set of 1-4 respondents (Cedar Valley: every wave)."""
    import json

    from survey_model.audit import filter_combinations, published_in_exports
    from survey_model.cli import main
    from survey_model.release import released_responses
    from survey_model.settings import load_settings
    from survey_model.store import Store
    from survey_model.tallies import tally

    store = Store.from_settings(load_settings())
    try:
        codebook = store.codebook_for(org)
        frame = with_condition_parts(released_responses(store, org).frame, codebook)
        groups = store.school_groups(org)
        labels = [w.label for w in store.waves(org)]
    finally:
        store.close()
    settings = Settings()
    published = published_groups(
        frame, codebook, waves=waves, school_groups=groups, tallies=tally(frame, codebook), settings=settings
    )
    single = [c for c in filter_combinations(frame, codebook) if sum(v is not None for v in c.values()) <= 1]
    for compare in labels[:-1]:
        published += published_in_exports(
            frame, codebook, selections=single, wave=labels[-1], compare=compare, settings=settings
        )
    for school in [None, *sorted(set(frame["school"].astype(str)) - {WITHHELD})]:
        args = ["shifts", "--org", org, "--from", labels[0], "--to", labels[-1], "--json"]
        assert main(args + (["--school", school] if school else [])) == 0
        result = json.loads(capsys.readouterr().out)
        base = (("school", school),) if school else ()
        if any(row["n2"] for row in result["comparisons"]):
            published += [Published("shifts command", w, base) for w in (labels[0], labels[-1])]
        if result["linked_respondents"]:
            published.append(Published("shifts command matched", labels[-1], base, linked_to=labels[0]))
    assert len(published) > 2000  # the pages, exports and commands really were walked
    findings = audit(frame, published)
    assert not findings, "\n".join(f.describe() for f in findings[:5])


def test_a_frame_with_a_shuffled_index_keeps_each_respondents_school_level():
    """The released level sits on the right respondent whatever the frame's index (a filtered or shuffled frame)."""
    frame, info = demo_like()
    shuffled = frame.sample(frac=1.0, random_state=3).set_axis(np.arange(len(frame)) * 7 + 100)
    released = release(shuffled, CB, schools=info).frame
    alder = released[released["school"] == "Alder Elementary School"]
    assert set(alder["school_level"].astype(str)) == {"Elementary"} and len(alder) == 43
