"""Every path that publishes reads the release decision: the pages, the workbook, the deck and the commands.

Each test looks for a group the release withholds in the demo data, found independently from the stored answers:
if a path read the stored answers instead of the released frame, that group would appear (at least as a named,
hidden row), and the test would fail.
"""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation

from survey_model.cli import main
from survey_model.settings import load_settings
from survey_model.store import Store

ORG, LATEST = "cedar-valley", "2026 Spring"
SMALL_SCHOOL = "Juniper Hollow School"  # 4 respondents in 2026, pooled with Dogwood


@pytest.fixture
def run(data_dir, capsys):
    def run_in_process(*args: str) -> tuple[int, str]:
        code = main(list(args))
        out, _ = capsys.readouterr()
        return code, out

    return run_in_process


@pytest.fixture
def stored(data_dir) -> pd.DataFrame:
    """The stored answers of the demo district (not released): where the small groups are found."""
    store = Store.from_settings(load_settings())
    try:
        return store.load_responses(ORG)
    finally:
        store.close()


def _cells(path) -> list[list[str]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [
        [str(c) for c in row if c is not None] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
    ]


def test_the_small_school_is_really_small_in_the_stored_answers(stored):
    """The premise, from the stored answers: Juniper Hollow has 4 respondents in 2026 and more before."""
    counts = stored[stored["wave"] == LATEST]["school"].value_counts()
    assert counts[SMALL_SCHOOL] == 4


def test_workbook_command_leaves_the_pooled_schools_out_of_2026(run, tmp_path):
    """The workbook's 2026 rows never name Juniper Hollow or Dogwood (the pool), not even as a hidden row."""
    out = tmp_path / "book.xlsx"
    code, _ = run("workbook", "--org", ORG, "--wave", LATEST, "--compare", "2025 Spring", "--out", str(out))
    assert code == 0
    rows_2026 = [row for row in _cells(out) if LATEST in row]
    assert rows_2026 and not any(SMALL_SCHOOL in cell or "Dogwood" in cell for row in rows_2026 for cell in row)
    assert not any("(withheld)" in cell for row in _cells(out) for cell in row)


def test_workbook_of_one_school_shows_no_sensitive_group_under_ten(run, tmp_path, stored):
    """In a school whose 2026 answers hold a gender group of 5-9 people (found in the stored answers), the school's
    workbook shows no gender group under 10: sensitive attributes use 10, not 5."""
    latest = stored[stored["wave"] == LATEST]
    sizes = latest.groupby(["school", "gender"], observed=True).size()
    candidates = sizes[(sizes >= 5) & (sizes < 10)]
    assert len(candidates), "the demo data should have a gender group of 5-9 in some school"
    school, gender = candidates.index[0]
    out = tmp_path / "school.xlsx"
    code, _ = run("workbook", "--org", ORG, "--wave", LATEST, "--school", school, "--out", str(out))
    assert code == 0
    book = openpyxl.load_workbook(out, read_only=True)
    rows = list(book["Subgroups"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and "Attribute" in row)
    table = pd.DataFrame(rows[header + 1 :], columns=rows[header])
    genders = table[table["Attribute"] == "Gender"]
    assert gender not in set(genders["Group"])
    assert (pd.to_numeric(genders["n"], errors="coerce").dropna() >= 10).all()


def test_deck_command_names_no_pooled_school(run, tmp_path):
    """The deck's by-school slide for 2026 and its notes never name a school of the pool."""
    out = tmp_path / "deck.pptx"
    code, _ = run("deck", "--org", ORG, "--waves", f"2025 Spring,{LATEST}", "--out", str(out))
    assert code == 0
    text = " ".join(
        shape.text_frame.text
        for slide in Presentation(str(out)).slides
        for shape in [*slide.shapes, *slide.notes_slide.shapes]
        if shape.has_text_frame
    )
    assert "By school" in text and SMALL_SCHOOL not in text and "Dogwood" not in text


def test_deck_and_shifts_commands_show_no_figure_of_a_pooled_school(run, tmp_path):
    """Asked for the small school alone in 2026, the deck has only its 'too few' slide and shifts no figure."""
    out = tmp_path / "juniper.pptx"
    code, _ = run("deck", "--org", ORG, "--waves", LATEST, "--school", SMALL_SCHOOL, "--out", str(out))
    assert code == 0
    titles = [slide.shapes.title.text for slide in Presentation(str(out)).slides]
    assert titles == [SMALL_SCHOOL, "Too few responses to show", "About these numbers"]
    code, out = run("shifts", "--org", ORG, "--from", "2025 Spring", "--to", LATEST, "--school", SMALL_SCHOOL, "--json")
    assert code == 0
    shown = [row for row in json.loads(out)["comparisons"] if row.get("n2") not in (None, 0)]
    assert not shown


def test_pages_show_no_pooled_school_in_2026(app):
    """Overview, Schools, Shifts: the pool's schools are no option's figures in 2026, and no page names the pool."""
    at = app(org=ORG, wave=LATEST).run()
    for page in ("views/overview.py", "views/schools.py", "views/shifts.py", "views/subgroups.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
        text = " ".join(str(frame.value.to_csv()) for frame in at.dataframe)
        assert "(withheld)" not in text and SMALL_SCHOOL not in text


def _decimals_at_most(values, decimals: int) -> bool:
    numbers = pd.to_numeric(pd.Series(list(values)), errors="coerce").dropna().to_numpy(dtype=float)
    return bool((abs(numbers * 10**decimals - (numbers * 10**decimals).round()) < 1e-6).all())


def test_the_workbook_holds_figures_as_shown_except_the_analysts_sheet(run, tmp_path):
    """Every number in the workbook has at most two decimals (whole percents for 0-100 columns) — what the sheet
    shows — except the labelled analysts' sheet."""
    out = tmp_path / "book.xlsx"
    code, _ = run("workbook", "--org", ORG, "--wave", LATEST, "--compare", "2024 Spring", "--out", str(out))
    assert code == 0
    book = openpyxl.load_workbook(out, read_only=True)
    for sheet in book.worksheets:
        if sheet.title == "Changes (analysts)":
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, float):
                    decimals = 0 if cell.number_format == "0" else 3 if cell.number_format == "0.000" else 2
                    assert _decimals_at_most([cell.value], decimals), (sheet.title, cell.coordinate, cell.value)


def test_chart_data_reaches_the_browser_rounded_as_shown(app):
    """The tables behind every chart of the Overview, Conditions and Leader identity pages carry percentages as
    whole numbers and every other figure to at most two decimals, so no subtraction is more exact than the page."""
    from test_pages_explore import chart_data

    at = app(org=ORG, wave=LATEST).run()
    seen = 0
    for page in ("views/overview.py", "views/conditions.py", "views/leader_identity.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
        for frame in chart_data(at):
            for column in frame.columns:
                if pd.api.types.is_float_dtype(frame[column]):
                    seen += 1
                    assert _decimals_at_most(frame[column], 0 if str(column).startswith("pct") else 2), column
    assert seen > 10


def test_the_schools_table_reaches_the_browser_in_whole_percents(app):
    """The Schools grid's numeric columns (shown as whole percents) carry no more precision than that."""
    at = app(org=ORG, wave=LATEST).run()
    at.switch_page("views/schools.py").run()
    table = at.dataframe[0].value
    figures = [c for c in table.columns if c not in ("School", "Group", "Respondents", "Note")]
    assert figures and all(_decimals_at_most(table[c], 0) for c in figures)
