"""Facilitators prepare offline: ``deck`` writes the PowerPoint, ``workbook`` the Excel results, from the store."""

import struct

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from survey_model.cli import main

EXPECTED_TITLES = [
    "Cedar Valley School District",
    "Do educators see themselves as leaders?",
    "Conditions for collective leadership",
    "Biggest gains since 2024 Spring",
    "Where to focus",
    "Where to focus: what goes with seeing oneself as a leader",
    "By school",
    "Data dialogue",
    "About these numbers",
]


def sheet_title(ws) -> str:
    """A sheet's title: the first line after the table (header row first, then the rows, then a blank row)."""
    rows = list(ws.iter_rows(values_only=True))
    blank = next(i for i, row in enumerate(rows) if not any(value is not None for value in row))
    return rows[blank + 1][0]


def sheet_filters(ws) -> dict:
    """The filters printed under a sheet's table, name → value."""
    rows = list(ws.iter_rows(values_only=True))
    blank = next(i for i, row in enumerate(rows) if not any(value is not None for value in row))
    return {row[0]: row[1] for row in rows[blank + 1 :] if row[0] is not None and len(row) > 1}


@pytest.fixture
def run(data_dir, capsys):
    """``python -m survey_model ARGS`` in this process, on a private copy of the demo database (CLD_DATA_DIR)."""

    def run_in_process(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run_in_process


def test_deck_command_writes_the_deck_and_every_chart(run, tmp_path):
    """Two waves of the demo district: eight slides with their notes, and each chart as PNG and SVG."""
    out, charts = tmp_path / "cedar.pptx", tmp_path / "charts"
    code, stdout, _ = run(
        "deck",
        "--org",
        "cedar-valley",
        "--waves",
        "2024 Spring,2026 Spring",
        "--out",
        str(out),
        "--charts",
        str(charts),
    )
    assert code == 0, stdout
    assert f"Wrote 9 slides (6 charts) to {out}" in stdout
    presentation = Presentation(str(out))
    assert [slide.shapes.title.text for slide in presentation.slides] == EXPECTED_TITLES
    assert all(slide.notes_slide.notes_text_frame.text for slide in presentation.slides)
    pngs = sorted(path.name for path in charts.glob("*.png"))
    assert pngs == [
        "02-leader.png", "03-conditions.png", "04-gains.png", "05-focus.png", "06-drivers.png", "07-breakdown.png",
    ]  # fmt: skip
    assert sorted(path.stem for path in charts.glob("*.svg")) == [name[:-4] for name in pngs]
    header = (charts / "03-conditions.png").read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (1440, 880)


def test_deck_command_for_one_school_and_one_wave(run, tmp_path):
    """--school limits the deck to one school (breakdown by role); a single wave gives no change slide."""
    out = tmp_path / "oak.pptx"
    code, _, _ = run(
        "deck",
        "--org",
        "cedar-valley",
        "--waves",
        "2026 Spring",
        "--school",
        "Cedar Valley High School",
        "--out",
        str(out),
    )
    assert code == 0
    titles = [slide.shapes.title.text for slide in Presentation(str(out)).slides]
    assert titles[0] == "Cedar Valley High School"
    assert "By role" in titles and not any(title.startswith("Biggest gains") for title in titles)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "nowhere", "--waves", "2026 Spring"], "There is no organization 'nowhere'"),
        (["--org", "cedar-valley", "--waves", "2031 Fall"], "Organization 'cedar-valley' has no wave '2031 Fall'"),
        (["--org", "cedar-valley", "--waves", "2026 Spring", "--school", "Atlantis High"], "There is no school"),
    ],
)
def test_deck_command_explains_what_is_missing(run, tmp_path, args, message):
    """An unknown organization, wave or school: exit code 1, what is wrong and what exists, no file."""
    out = tmp_path / "x.pptx"
    code, _, stderr = run("deck", *args, "--out", str(out))
    assert code == 1
    assert message in stderr and "→" in stderr
    assert not out.exists()


def test_deck_command_refuses_bad_arguments(run, tmp_path):
    """Three waves, or an output that is not .pptx, are argument errors (exit code 2)."""
    with pytest.raises(SystemExit) as too_many:
        run("deck", "--org", "cedar-valley", "--waves", "a,b,c", "--out", str(tmp_path / "x.pptx"))
    with pytest.raises(SystemExit) as wrong_suffix:
        run("deck", "--org", "cedar-valley", "--waves", "2026 Spring", "--out", str(tmp_path / "x.ppt"))
    assert too_many.value.code == wrong_suffix.value.code == 2


def test_commands_report_a_missing_database(run, tmp_path):
    """--db pointing at nothing: exit code 1 and a hint, never an empty new database."""
    missing = tmp_path / "none.db"
    code, _, stderr = run("workbook", "--org", "cedar-valley", "--out", str(tmp_path / "x.xlsx"), "--db", str(missing))
    assert code == 1 and "no database" in stderr.casefold()
    assert not missing.exists()


def test_workbook_command_uses_the_database_from_the_environment(run, data_dir, tmp_path, monkeypatch):
    """CLD_DATABASE_URL selects the store; the workbook compares the latest wave with the first by default (as the
    deck and the pages do)."""
    moved = tmp_path / "elsewhere.db"
    (data_dir / "survey.db").rename(moved)
    monkeypatch.setenv("CLD_DATABASE_URL", f"sqlite:///{moved}")
    out = tmp_path / "cedar.xlsx"
    code, stdout, stderr = run("workbook", "--org", "cedar-valley", "--out", str(out))
    assert code == 0, stderr
    assert "Wrote 12 sheets" in stdout and "Changes (analysts)" in stdout and "What goes with leader identity" in stdout
    book = load_workbook(out)
    rates = {row[1]: row[2:5] for row in book["Response rates"].iter_rows(values_only=True) if row[0] == "2026 Spring"}
    assert rates["Whole organization"] == (486, 600, 81)  # the demo's planted rosters; 486/600 = 81% exactly
    assert rates["Alder Elementary School"] == (46, 52, 88)  # 46/52 = 88.46%, rounded as shown
    filters = sheet_filters(book["Conditions"])
    assert filters["Organization"] == "Cedar Valley School District"
    assert (filters["Wave"], filters["Compared with"]) == ("2026 Spring", "2024 Spring")
    assert sheet_title(book["Changes"]) == "Changes from 2024 Spring to 2026 Spring"


def test_workbook_command_refuses_a_later_comparison_wave(run, tmp_path):
    """--compare must be earlier than --wave."""
    code, _, stderr = run(
        "workbook",
        "--org",
        "cedar-valley",
        "--wave",
        "2024 Spring",
        "--compare",
        "2026 Spring",
        "--out",
        str(tmp_path / "x.xlsx"),
    )
    assert code == 1 and "--compare must be a wave before '2024 Spring'" in stderr


def test_deck_and_workbook_find_waves_typed_in_another_case(run, tmp_path):
    """ "2024 spring" and "2026 SPRING" name the stored waves: the slides and sheets use the stored labels."""
    deck = tmp_path / "cedar.pptx"
    code, _, stderr = run("deck", "--org", "Cedar-Valley", "--waves", "2024 spring, 2026 SPRING", "--out", str(deck))
    assert code == 0, stderr
    assert [slide.shapes.title.text for slide in Presentation(str(deck)).slides] == EXPECTED_TITLES

    book = tmp_path / "cedar.xlsx"
    code, _, stderr = run(
        "workbook", "--org", "CEDAR-VALLEY", "--wave", "2026 spring", "--compare", "2024 spring", "--out", str(book)
    )
    assert code == 0, stderr
    assert sheet_title(load_workbook(book)["Changes"]) == "Changes from 2024 Spring to 2026 Spring"


def test_deck_refuses_the_same_wave_typed_twice_in_two_cases(run, tmp_path):
    """ "2026 Spring,2026 spring" is one wave named twice: exit 1 and no file."""
    out = tmp_path / "x.pptx"
    code, _, stderr = run("deck", "--org", "cedar-valley", "--waves", "2026 Spring,2026 spring", "--out", str(out))
    assert code == 1 and "twice" in stderr
    assert not out.exists()


@pytest.mark.parametrize("command", ["deck", "workbook"])
def test_an_unknown_wave_or_organization_is_answered_with_the_stored_ones(run, tmp_path, command):
    """deck and workbook list the stored waves and organizations as every other command does."""
    wave = ["--waves", "2031 Fall"] if command == "deck" else ["--wave", "2031 Fall"]
    out = str(tmp_path / ("x.pptx" if command == "deck" else "x.xlsx"))
    code, _, stderr = run(command, "--org", "cedar-valley", *wave, "--out", out)
    assert code == 1 and "Stored waves: '2024 Spring', '2025 Spring', '2026 Spring'." in stderr
    code, _, stderr = run(command, "--org", "cedar", *wave, "--out", out)
    assert code == 1 and "Stored organizations: 'cedar-valley', 'harbor-point', 'lakeshore', 'pine-ridge'." in stderr


def test_a_renamed_organization_titles_the_deck_and_the_workbook(run, tmp_path):
    """After `rename`, the deck's title slide and the workbook's filters carry the new name, not the old one."""
    code, _, stderr = run("rename", "--org", "cedar-valley", "--name", "Cedar Valley Unified")
    assert code == 0, stderr
    deck, book = tmp_path / "cedar.pptx", tmp_path / "cedar.xlsx"
    assert run("deck", "--org", "cedar-valley", "--waves", "2026 Spring", "--out", str(deck))[0] == 0
    assert run("workbook", "--org", "cedar-valley", "--out", str(book))[0] == 0
    title = Presentation(deck).slides[0].shapes.title.text
    assert title == "Cedar Valley Unified"
    filters = sheet_filters(load_workbook(book)["Conditions"])
    assert filters["Organization"] == "Cedar Valley Unified"


def test_the_deck_from_the_command_line_names_the_cohort_like_the_workshop(run, tmp_path):
    """First → latest wave: the leader slide says how the cohort schools changed (planted 30% → 47%, clear)."""
    out = tmp_path / "cedar.pptx"
    code, _, stderr = run("deck", "--org", "cedar-valley", "--waves", "2024 Spring,2026 Spring", "--out", str(out))
    assert code == 0, stderr
    leader = Presentation(out).slides[1]
    text = "\n".join(shape.text_frame.text for shape in leader.shapes if shape.has_text_frame)
    cohort = next(line for line in text.splitlines() if "cohort" in line.casefold())
    assert "clear increase" in cohort and "no clear" not in cohort
