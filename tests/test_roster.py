"""Rosters and response rates: staff give each wave's educators per school; pages show rates they may publish."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_model.cli import main
from survey_model.codebook import load_codebook
from survey_model.release import released_responses
from survey_model.roster import (
    LOW_RESPONSE_WARNING,
    ResponseRate,
    ResponseRates,
    check_roster_file,
    rate_text,
    read_roster,
    response_rates,
)
from survey_model.samples import SAMPLES_DIR
from survey_model.settings import Settings, load_settings
from survey_model.store import Store, StoreError

CODEBOOK = load_codebook()
ROOT = Path(__file__).resolve().parents[1]


def planted_frame(sizes: dict[str, int], *, seed: int = 0) -> pd.DataFrame:
    """Responses with exactly ``sizes[school]`` respondents per school, every item answered."""
    rng = np.random.default_rng(seed)
    schools = [school for school, n in sizes.items() for _ in range(n)]
    n = len(schools)
    frame = pd.DataFrame(
        {
            "respondent_id": [f"R{seed}-{i}" for i in range(n)],
            "school": pd.array(schools, dtype="str"),
            "role": pd.array(["Teacher"] * n, dtype="str"),
        }
    )
    for item in CODEBOOK.condition_items:
        frame[item.id] = rng.integers(1, 6, n).astype(float)
    frame[CODEBOOK.leader.item] = rng.choice([1.0, 2.0, 3.0], n)  # Yes, No, Not sure
    return frame


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A store with one wave of planted school sizes: Oak 40, Elm 12, Ash 3 (pooled: under 5), Fir 30."""
    opened = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "respondent_key.secret")
    opened.save_wave(
        "district-7",
        "Spring 2025",
        planted_frame({"Oak": 40, "Elm": 12, "Ash": 3, "Fir": 30}),
        codebook=CODEBOOK,
        platform="plain",
        file_sha256=hashlib.sha256(b"w1").hexdigest(),
        user="ana",
        date=dt.date(2025, 4, 1),
    )
    yield opened
    opened.close()


def roster_csv(rows: list[tuple[str, str]], header: tuple[str, str] = ("school", "staff")) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


GOOD = [("Oak", "100"), ("Elm", "80"), ("Ash", "6"), ("Fir", "31")]


# ----------------------------------------------------------------------------------------------------------------
# Reading and checking a roster


def test_a_good_roster_reads_and_checks_clean(store):
    """A roster naming every school that answered, with at least as many educators as respondents, is ok."""
    checked = check_roster_file(store, "district-7", "Spring 2025", roster_csv(GOOD), "roster.csv")
    assert checked.ok, checked.problems
    assert checked.staff == {"Oak": 100, "Elm": 80, "Ash": 6, "Fir": 31}


def test_an_excel_roster_reads_like_a_csv(store, tmp_path):
    """Staff can upload the roster as an .xlsx workbook (first sheet, header line school, staff)."""
    path = tmp_path / "roster.xlsx"
    pd.DataFrame({"School": [s for s, _ in GOOD], "Staff": [int(n) for _, n in GOOD]}).to_excel(path, index=False)
    checked = check_roster_file(store, "district-7", "Spring 2025", path.read_bytes(), path.name)
    assert checked.ok, checked.problems
    assert checked.staff["Elm"] == 80


@pytest.mark.parametrize(
    ("rows", "wave", "expected"),
    [
        ([*GOOD, ("Maple", "20")], "Spring 2025", "nor in the answers of Spring 2025: Maple"),
        ([("Oak", "-5"), *GOOD[1:]], "Spring 2025", "Line 2 (Oak): the staff count '-5' is negative"),
        ([("Oak", "about 50"), *GOOD[1:]], "Spring 2025", "Line 2 (Oak): the staff count 'about 50' is not a whole"),
        ([("Oak", "49.5"), *GOOD[1:]], "Spring 2025", "the staff count '49.5' is not a whole number"),
        ([("Oak", "39"), *GOOD[1:]], "Spring 2025", "Oak: 39 educators on the roster but 40 respondents"),
        (GOOD[1:], "Spring 2025", "1 school answered in Spring 2025 but is not in the roster: Oak"),
        ([*GOOD, ("Oak", "50")], "Spring 2025", "Line 6 (Oak): the school is listed twice"),
        (GOOD, "Spring 2026", "There is no stored wave 'Spring 2026' (stored waves: 'Spring 2025')"),
    ],
    ids=["unknown-school", "negative", "not-a-number", "not-whole", "fewer-staff", "school-missing", "twice", "wave"],
)
def test_a_bad_roster_is_refused_with_a_clear_message_and_nothing_stored(store, rows, wave, expected):
    """Each kind of bad roster gets a message saying what is wrong and what to do; the store is not changed."""
    store.set_roster("district-7", "Spring 2025", {"Oak": 60, "Elm": 70, "Ash": 5, "Fir": 40}, user="ana")
    log_before = store.audit_log()
    checked = check_roster_file(store, "district-7", wave, roster_csv(rows), "roster.csv")
    assert not checked.ok
    assert any(expected in problem for problem in checked.problems), checked.problems
    assert store.roster("district-7", "Spring 2025") == {"Oak": 60, "Elm": 70, "Ash": 5, "Fir": 40}
    pd.testing.assert_frame_equal(store.audit_log(), log_before)


def test_every_problem_of_a_roster_is_listed_at_once(store):
    """Several bad lines give several problems, not just the first."""
    rows = [("Oak", "-1"), ("Elm", "x"), ("Ash", "2"), ("Fir", "31"), ("Nowhere", "9")]
    problems = check_roster_file(store, "district-7", "Spring 2025", roster_csv(rows), "r.csv").problems
    assert len(problems) == 4, problems  # negative, not a number, Ash 2 < 3 respondents, unknown school Nowhere


def test_a_file_without_the_columns_says_which_are_missing():
    """A roster whose first line does not name school and staff says so."""
    problems = read_roster(roster_csv([("Oak", "5")], header=("name", "count")), "r.csv").problems
    assert problems and "no school and staff column" in problems[0]


def test_the_store_refuses_a_negative_count_and_a_missing_wave(store):
    """The store itself keeps its rosters whole numbers ≥ 0 and tied to a stored wave."""
    with pytest.raises(ValueError, match="whole number"):
        store.set_roster("district-7", "Spring 2025", {"Oak": -1}, user="ana")
    with pytest.raises(StoreError, match="no wave 'Fall 2030'"):
        store.set_roster("district-7", "Fall 2030", {"Oak": 50}, user="ana")
    assert store.roster("district-7", "Spring 2025") == {}


def test_a_roster_is_replaced_audited_and_deleted_with_its_wave(store):
    """Storing a roster replaces the wave's previous one, the audit log keeps both, deleting the wave drops it."""
    store.set_roster("district-7", "Spring 2025", {"Oak": 50}, user="ana")
    store.set_roster("district-7", "Spring 2025", {"Oak": 55, "Elm": 80}, user="ben")
    assert store.roster("district-7", "Spring 2025") == {"Elm": 80, "Oak": 55}
    assert store.rosters("district-7") == {"Spring 2025": {"Elm": 80, "Oak": 55}}
    last = store.audit_log("district-7").iloc[-1]
    assert last["action"] == "set_roster" and last["user"] == "ben"
    assert last["details"] == {"before": {"Oak": 50}, "after": {"Oak": 55, "Elm": 80}}
    store.delete_wave("district-7", "Spring 2025", user="ana", confirm=True)
    assert store.rosters("district-7") == {}


# ----------------------------------------------------------------------------------------------------------------
# Rates


def test_rates_are_respondents_over_the_roster_and_none_for_a_pooled_school(store):
    """Hand-worked: Ash (3) is under 5 and, alone in every pool, takes in the smallest school, Elm (12); so only Oak
    (40 of 100) and Fir (30 of 31) are published schools with rates, and the organization has 85 of 217."""
    store.set_roster("district-7", "Spring 2025", {s: int(n) for s, n in GOOD}, user="ana")
    released = released_responses(store, "district-7").frame
    rates = response_rates(released, store.roster("district-7", "Spring 2025"), wave="Spring 2025")
    assert {s: (r.respondents, r.staff) for s, r in rates.schools.items()} == {"Oak": (40, 100), "Fir": (30, 31)}
    assert (rates.organization.respondents, rates.organization.staff) == (85, 217)
    assert rates.without_rate == 2  # Elm and Ash: pooled, so neither rate (× roster) gives away their counts
    table = rates.table()
    assert table.set_index("school")["low"].to_dict() == {"Fir": False, "Oak": True}


def test_a_rate_under_half_says_read_with_care_and_half_does_not():
    """12 of 80 (15%) carries the warning; 40 of 80 (exactly 50%) does not; the threshold is configurable."""
    assert rate_text(ResponseRate(12, 80)).endswith(LOW_RESPONSE_WARNING)
    assert rate_text(ResponseRate(40, 80)) == "50% response rate (40 of 80 educators)"
    assert "fewer than 60% of the educators answered" in rate_text(ResponseRate(40, 80), threshold=0.6)
    assert load_settings({"CLD_LOW_RESPONSE_RATE": "60"}).low_response_rate == 0.6
    with pytest.raises(ValueError):
        Settings(low_response_rate=1.5)


def test_no_roster_means_no_rate(store):
    """Without a roster the organization has no rate and no school has one."""
    released = released_responses(store, "district-7").frame
    rates = response_rates(released, store.roster("district-7", "Spring 2025"), wave="Spring 2025")
    assert rates.organization is None and rates.schools == {}


def test_demo_rates_match_the_planted_rosters_and_the_stored_answers(tmp_path):
    """On the demo network, each published school's rate is its stored respondents over the planted roster
    (rosters.csv, written by the generator from its simulated rosters), counted here from the stored answers."""
    from survey_model.samples import load_samples

    demo = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "key.secret")
    load_samples(demo, user="test")
    with (SAMPLES_DIR / "rosters.csv").open(encoding="utf-8") as handle:
        planted = pd.DataFrame(list(csv.DictReader(handle))).astype({"staff": int})
    for org in ("cedar-valley", "harbor-point"):
        stored = demo.load_responses(org)
        counts = stored.groupby([stored["wave"].astype(str), stored["school"].astype(str)], observed=True).size()
        released = released_responses(demo, org).frame
        for wave in demo.rosters(org):
            roster = planted[(planted["organization"] == org) & (planted["wave"] == wave)]
            staff = dict(zip(roster["school"], roster["staff"], strict=True))
            assert demo.roster(org, wave) == staff
            rates = response_rates(released, demo.roster(org, wave), wave=wave)
            for school, rate in rates.schools.items():
                assert (rate.respondents, rate.staff) == (counts[(wave, school)], staff[school])
            assert rates.organization.respondents == counts[wave].sum()
            assert rates.organization.staff == roster["staff"].sum()
    juniper = response_rates(
        released_responses(demo, "cedar-valley").frame, demo.roster("cedar-valley", "2026 Spring"), wave="2026 Spring"
    )
    assert "Juniper Hollow School" not in juniper.schools  # 4 of 8 answered: pooled, so no rate of its own
    assert juniper.schools["Alder Elementary School"] == ResponseRate(46, 52)
    demo.close()


# ----------------------------------------------------------------------------------------------------------------
# The command line


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """``python -m survey_model ... --db tmp/survey.db`` in this process."""
    monkeypatch.setenv("CLD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLD_DATABASE_URL", raising=False)

    def run_in_process(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--db", str(tmp_path / "survey.db")])
        out, err = capsys.readouterr()
        return code, out, err

    return run_in_process


def test_the_roster_command_stores_a_good_roster_and_refuses_a_bad_one(store, tmp_path, run):
    """``roster`` stores a clean file (exit 0) and lists every problem of a bad one (exit 1, nothing stored)."""
    good = tmp_path / "good.csv"
    good.write_bytes(roster_csv(GOOD))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(roster_csv([("Oak", "-3"), ("Elm", "80"), ("Ash", "6"), ("Fir", "31"), ("Maple", "9")]))
    code, out, err = run("roster", "--org", "district-7", "--wave", "spring 2025", str(bad), "--user", "ana")
    assert code == 1 and "Nothing was stored" in err
    assert "negative" in out and "Maple" in out
    assert store.roster("district-7", "Spring 2025") == {}
    code, out, _ = run("roster", "--org", "district-7", "--wave", "spring 2025", str(good), "--dry-run")
    assert code == 0 and "Nothing stored" in out and store.roster("district-7", "Spring 2025") == {}
    code, out, _ = run("roster", "--org", "district-7", "--wave", "spring 2025", str(good), "--user", "ana")
    assert code == 0 and "4 schools, 217 educators" in out
    assert store.roster("district-7", "Spring 2025") == {"Ash": 6, "Elm": 80, "Fir": 31, "Oak": 100}
    code, _, err = run("roster", "--org", "district-7", "--wave", "Fall 2030", str(good))
    assert code == 1 and "no wave" in err.lower()


# ----------------------------------------------------------------------------------------------------------------
# Pages


def _page_text(at) -> str:
    parts = [element.value for kind in ("markdown", "caption", "warning", "info", "error") for element in at.get(kind)]
    return "\n".join(str(part) for part in parts)


def _rates_table(at) -> pd.DataFrame:
    found = [frame.value for frame in at.dataframe if "Response rate" in frame.value.columns]
    assert len(found) == 1
    return found[0]


def test_overview_shows_the_organizations_rate_and_each_published_schools(app):
    """Cedar Valley 2026: 486 of 600 educators (the planted rosters); Juniper Hollow (4 answered) and Dogwood
    (pooled with it) have no row, so their rates cannot give away their counts."""
    at = app(org="cedar-valley", wave="2026 Spring").run()
    assert not at.exception, at.exception
    assert "The organization: 81% response rate (486 of 600 educators)." in _page_text(at)
    table = _rates_table(at).set_index("School")
    assert table.loc["Whole organization", "Educators"] == 600
    assert table.loc["Alder Elementary School", ["Respondents", "Educators", "Response rate"]].tolist() == [46, 52, 88]
    assert "Juniper Hollow School" not in table.index and "Dogwood Elementary School" not in table.index
    assert (table["Note"] == "").all()


def test_a_low_response_school_is_flagged_read_with_care(app, data_dir):
    """A planted roster of 100 educators for Alder (46 answered in 2026) makes its rate 46%: flagged on the
    Overview's table and, with the school chosen, under its figures."""
    store = Store.from_settings(Settings(data_dir=data_dir), create=False)
    roster = store.roster("cedar-valley", "2026 Spring")
    store.set_roster("cedar-valley", "2026 Spring", {**roster, "Alder Elementary School": 100}, user="test")
    store.close()
    at = app(org="cedar-valley", wave="2026 Spring").run()
    table = _rates_table(at).set_index("School")
    assert table.loc["Alder Elementary School", "Response rate"] == 46
    assert table.loc["Alder Elementary School", "Note"] == LOW_RESPONSE_WARNING
    assert table.loc["Birchwood Elementary School", "Note"] == ""
    at = app(org="cedar-valley", wave="2026 Spring", school="Alder Elementary School").run()
    assert not at.exception, at.exception
    assert any(
        "Alder Elementary School: 46% response rate (46 of 100 educators): fewer than half" in w.value
        for w in at.warning
    )


def test_a_pooled_school_chosen_in_the_filter_gets_no_rate(app):
    """Juniper Hollow: 7 of 8 answered in 2025 (a school of its own: its rate shows); 4 in 2026 (pooled: no rate)."""
    at = app(org="cedar-valley", wave="2025 Spring", school="Juniper Hollow School").run()
    assert "Juniper Hollow School: 88% response rate (7 of 8 educators)." in _page_text(at)
    at = app(org="cedar-valley", wave="2026 Spring", school="Juniper Hollow School").run()
    assert not at.exception, at.exception
    assert "response rate (" not in _page_text(at)


def test_the_selection_rate_is_the_organizations_a_published_schools_or_none():
    """A level or role filter, or a school without a published rate, gives no rate and says why."""
    from ui.rates import selection_rate
    from ui.state import Filters

    rates = ResponseRates("W", ResponseRate(85, 217), {"Oak": ResponseRate(40, 100)}, without_rate=2)
    assert selection_rate(Filters("d", "W", None), rates)[0] == ResponseRate(85, 217)
    assert selection_rate(Filters("d", "W", None, school="Oak"), rates)[0] == ResponseRate(40, 100)
    rate, why = selection_rate(Filters("d", "W", None, school="Elm"), rates)
    assert rate is None and "pooled with other small schools" in why
    rate, why = selection_rate(Filters("d", "W", None, role="Teacher"), rates)
    assert rate is None and "not for a level or a role" in why


def test_staff_upload_a_roster_on_manage_and_a_bad_one_changes_nothing(app, data_dir):
    """On Manage data, a roster with an unknown school is refused with its message; a good one is stored."""
    at = app(org="harbor-point").run()
    at.switch_page("views/manage.py").run()
    at.selectbox(key="manage_org").set_value("harbor-point").run()
    at.selectbox(key="roster_wave_harbor-point").set_value("2024 Spring").run()
    good = [
        ("Harbor Point Elementary School", "100"),
        ("Seaside Elementary School", "90"),
        ("Harbor Point Middle School", "130"),
        ("Harbor Point High School", "180"),
    ]
    bad = roster_csv([*good, ("Lighthouse Academy", "20")])
    at.file_uploader(key="roster_file_harbor-point_2024 Spring").set_value(("bad.csv", bad, "text/csv")).run()
    assert not at.exception, at.exception
    assert any("Lighthouse Academy" in e.value and "nothing was changed" in e.value for e in at.error)
    store = Store.from_settings(Settings(data_dir=data_dir), create=False)
    assert store.roster("harbor-point", "2024 Spring")["Harbor Point High School"] == 176  # the demo's, unchanged
    at.file_uploader(key="roster_file_harbor-point_2024 Spring").set_value(("good.csv", roster_csv(good), "text/csv"))
    at.run()
    at.button(key="roster_save_harbor-point_2024 Spring").click().run()
    assert not at.exception, at.exception
    assert store.roster("harbor-point", "2024 Spring") == {school: int(n) for school, n in good}
    store.close()


# ----------------------------------------------------------------------------------------------------------------
# Deck and workbook


def test_the_deck_title_slide_and_the_workbook_carry_the_rates(store):
    """Planted: the organization 85 of 217 (39%, flagged), Oak 40 of 100 (40%, flagged), Fir 30 of 31 (97%);
    Elm (pooled) has no row in the workbook's Response rates sheet."""
    from survey_model.deck import build_deck
    from survey_model.workbook import results_workbook

    store.set_roster("district-7", "Spring 2025", {s: int(n) for s, n in GOOD}, user="ana")
    frame = released_responses(store, "district-7").frame
    rosters = store.rosters("district-7")
    deck = build_deck(frame, CODEBOOK, org_name="D7", waves=["Spring 2025"], rosters=rosters)
    assert "Spring 2025: 85 respondents, 39% response rate (85 of 217 educators): " + LOW_RESPONSE_WARNING in (
        deck.slide("title").points
    )
    fir = build_deck(frame, CODEBOOK, org_name="D7", waves=["Spring 2025"], school="Fir", rosters=rosters)
    assert "Spring 2025: 30 respondents, 97% response rate (30 of 31 educators)" in fir.slide("title").points
    book = results_workbook(frame, CODEBOOK, org_name="D7", wave="Spring 2025", rosters=rosters)
    sheet = book.sheet("Response rates").table.set_index("School")
    assert sheet.index.tolist() == ["Whole organization", "Fir", "Oak"]
    assert sheet.loc["Oak", ["Respondents", "Educators"]].tolist() == [40, 100]
    assert sheet.loc["Oak", "Response rate (%)"] == pytest.approx(40)  # 40 of 100, on the 0-100 scale
    assert sheet.loc["Oak", "Note"] == LOW_RESPONSE_WARNING and sheet.loc["Fir", "Note"] == ""
    assert "Response rates" not in [s.name for s in results_workbook(frame, CODEBOOK, org_name="D7").sheets]


def test_the_demos_planted_low_response_school_is_flagged_in_every_wave(app):
    """Lakeshore Middle School (planted response propensity 0.25; truth.json names it) is under half every wave."""
    import json

    truth = json.loads((SAMPLES_DIR / "truth.json").read_text(encoding="utf-8"))
    planted = truth["network"]["low_response_school"]
    for wave in ("2024 Spring", "2025 Spring", "2026 Spring"):
        at = app(org=planted["organization"], wave=wave).run()
        assert not at.exception, at.exception
        table = _rates_table(at).set_index("School")
        assert table.loc[planted["school"], "Response rate"] < 50
        assert table.loc[planted["school"], "Note"] == LOW_RESPONSE_WARNING
        assert (table.drop(index=planted["school"])["Note"] == "").all()  # only the planted school is flagged
