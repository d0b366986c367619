"""Staff manage waves from the command line: import, list, delete and a spreadsheet-safe export."""

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import pty
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_model.cli import main
from survey_model.codebook import load_codebook
from survey_model.commands.store import _ProgressBar
from survey_model.exports import escape_formula
from survey_model.store import Store

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = load_codebook()
RISKY = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\tTabbed"]


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m survey_model ARGS --db tmp/survey.db`` in a new process, the hashing secret in tmp_path."""
    env = {**os.environ, "CLD_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("CLD_DATABASE_URL", None)
    command = [sys.executable, "-m", "survey_model", *args, "--db", str(tmp_path / "survey.db")]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """The same command line run in this process (each new process costs over a second of imports)."""
    monkeypatch.setenv("CLD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLD_DATABASE_URL", raising=False)

    def run_in_process(*args: str) -> subprocess.CompletedProcess:
        code = main([*args, "--db", str(tmp_path / "survey.db")])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run_in_process


def seeded_store(tmp_path: Path) -> Store:
    """A store at the path and secret the CLI uses, holding two waves of district-7 and one of another org."""
    store = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "respondent_key.secret")
    for org, label, date, n, seed in (
        ("district-7", "Fall 2024", dt.date(2024, 10, 1), 12, 1),
        ("district-7", "Spring 2025", dt.date(2025, 4, 1), 9, 2),
        ("north-network", "Spring 2025", None, 7, 3),
    ):
        store.save_wave(
            org, label, frame(n, seed=seed), codebook=CODEBOOK, platform="qualtrics",
            file_sha256=hashlib.sha256(f"{org} {label}".encode()).hexdigest(), user="ana", date=date,
        )  # fmt: skip
    return store


def frame(n: int, *, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    schools = [*RISKY, "Oak Elementary"]
    data: dict[str, object] = {
        "respondent_id": [f"RAWID-{seed}-{i}" for i in range(n)],
        "school": pd.array([schools[i % len(schools)] for i in range(n)], dtype="str"),
    }
    for item in CODEBOOK.items:
        values = np.array([*CODEBOOK.scale_of(item.id).values, np.nan, -1.0], dtype=np.float32)
        data[item.id] = rng.choice(values, n)
    data["VS1"] = np.resize(np.array([4.0, -1.0, np.nan], dtype=np.float32), n)
    return pd.DataFrame(data)


# ----------------------------------------------------------------------------------------------------------------
# list


def test_list_json_prints_every_wave_with_org_label_date_count_and_hash(tmp_path, run):
    """`list --json` gives scripts the waves, oldest first per organization, with their file hashes."""
    seeded_store(tmp_path).close()
    result = cli(tmp_path, "list", "--json")
    assert result.returncode == 0, result.stderr
    waves = json.loads(result.stdout)
    assert [(w["organization"], w["label"], w["date"], w["respondents"]) for w in waves] == [
        ("district-7", "Fall 2024", "2024-10-01", 12),
        ("district-7", "Spring 2025", "2025-04-01", 9),
        ("north-network", "Spring 2025", None, 7),
    ]
    assert waves[0]["file_sha256"] == hashlib.sha256(b"district-7 Fall 2024").hexdigest()

    only = json.loads(run("list", "--org", "north-network", "--json").stdout)
    assert [w["organization"] for w in only] == ["north-network"]


def test_list_prints_a_readable_table(tmp_path, run):
    """Plain `list` prints one line per wave with the respondent count."""
    seeded_store(tmp_path).close()
    result = run("list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["organization", "wave", "date", "respondents"]
    assert re.search(r"district-7\s+Fall 2024\s+2024-10-01\s+12\s+qualtrics", lines[1])
    assert re.search(r"north-network\s+Spring 2025\s+no date\s+7\s+qualtrics", lines[3])  # not "-"
    assert len(lines) == 4


def test_list_on_a_missing_database_fails_without_creating_it(tmp_path, run):
    """A mistyped --db is reported (exit 1) and no empty database appears."""
    result = run("list")
    assert result.returncode == 1
    assert "no database at" in result.stderr
    assert not (tmp_path / "survey.db").exists()


def test_a_damaged_database_gives_a_message_not_a_traceback(tmp_path):
    """Random bytes instead of a database: exit 1 with what to do, and no Python traceback."""
    (tmp_path / "survey.db").write_bytes(np.random.default_rng(0).bytes(8192))
    result = cli(tmp_path, "list", "--json")
    assert result.returncode == 1
    assert "damaged or is not a database" in result.stderr and "backup" in result.stderr
    assert "Traceback" not in result.stderr and "sqlalchemy" not in result.stderr.casefold()


# ----------------------------------------------------------------------------------------------------------------
# delete


def test_delete_without_yes_changes_nothing(tmp_path, run):
    """`delete` without --yes says what it would delete and exits 1; the wave stays."""
    seeded_store(tmp_path).close()
    result = cli(tmp_path, "delete", "--org", "district-7", "--wave", "Fall 2024")
    assert result.returncode == 1
    assert "--yes" in result.stderr and "12 respondents" in result.stderr
    labels = [w["label"] for w in json.loads(run("list", "--org", "district-7", "--json").stdout)]
    assert labels == ["Fall 2024", "Spring 2025"]


def test_delete_with_yes_removes_the_wave_and_records_who(tmp_path, run):
    """`delete --yes --user ben` removes the wave; the audit log names ben."""
    seeded_store(tmp_path).close()
    result = run("delete", "--org", "district-7", "--wave", "Fall 2024", "--yes", "--user", "ben")
    assert result.returncode == 0, result.stderr
    assert "Deleted wave 'Fall 2024'" in result.stdout
    store = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "respondent_key.secret")
    assert [w.label for w in store.waves("district-7")] == ["Spring 2025"]
    last = store.audit_log("district-7").iloc[-1]
    assert (last["action"], last["user"], last["wave"]) == ("delete_wave", "ben", "Fall 2024")


def test_delete_of_an_unknown_wave_names_the_stored_ones(tmp_path, run):
    """A typo in the label exits 1 and lists the labels that exist."""
    seeded_store(tmp_path).close()
    result = run("delete", "--org", "district-7", "--wave", "Fall 2042", "--yes")
    assert result.returncode == 1
    assert "'Fall 2024'" in result.stderr and "'Spring 2025'" in result.stderr


# ----------------------------------------------------------------------------------------------------------------
# export


def read_csv_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("mode", ["labels", "values"])
def test_export_cells_cannot_run_as_spreadsheet_formulas(tmp_path, run, mode):
    """No exported cell starts with = + - @ tab or CR unless escaped with ' (or it is a plain number)."""
    seeded_store(tmp_path).close()
    out = tmp_path / "export.csv"
    args = ["export", "--org", "district-7", "--out", str(out)] + (["--values"] if mode == "values" else [])
    result = cli(tmp_path, *args) if mode == "labels" else run(*args)
    assert result.returncode == 0, result.stderr
    rows = read_csv_cells(out)
    cells = [cell for row in rows for cell in row]
    unsafe = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?\d+", c)]
    assert unsafe == []
    schools = {row[rows[0].index("school")] for row in rows[1:]}
    assert {"'" + text for text in RISKY} <= schools  # the dangerous texts are there, but escaped
    assert "Oak Elementary" in schools


def test_export_writes_labels_keys_and_never_raw_ids(tmp_path, run):
    """The export holds wave, respondent_key, attributes and item labels; raw ids appear nowhere."""
    store = seeded_store(tmp_path)
    keys = store.load_responses("district-7", waves=["Spring 2025"])["respondent_key"].tolist()
    store.close()
    out = tmp_path / "export.csv"
    assert run("export", "--org", "district-7", "--wave", "Spring 2025", "--out", str(out)).returncode == 0
    assert "RAWID" not in out.read_text(encoding="utf-8-sig")
    rows = read_csv_cells(out)
    header = rows[0]
    assert header[:3] == ["wave", "respondent_key", "school"] and "respondent_id" not in header
    assert [row[1] for row in rows[1:]] == keys
    vs1 = [row[header.index("VS1")] for row in rows[1:4]]
    assert vs1 == ["Agree", "Don't know / N/A", ""]  # frame() sets VS1 to 4, -1, NaN in turn
    values = tmp_path / "values.csv"
    run("export", "--org", "district-7", "--wave", "Spring 2025", "--out", str(values), "--values")
    value_rows = read_csv_cells(values)
    assert [row[value_rows[0].index("VS1")] for row in value_rows[1:4]] == ["4", "-1", ""]


def test_escape_formula_prefixes_only_what_a_spreadsheet_would_run():
    """Text starting with = + - @ tab CR gets a quote; plain numbers and ordinary text do not."""
    assert [escape_formula(t) for t in ["=1+1", "+A1", "-A1", "@x", "\tx", "\rx"]] == [
        "'=1+1", "'+A1", "'-A1", "'@x", "'\tx", "'\rx",
    ]  # fmt: skip
    assert [escape_formula(t) for t in ["-1", "-2.5", "Teacher", "", "a=b"]] == ["-1", "-2.5", "Teacher", "", "a=b"]


# ----------------------------------------------------------------------------------------------------------------
# progress bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_and_stays_silent_in_a_pipe():
    """On a terminal the bar shows percent and counts; redirected output gets no control characters."""
    screen = Terminal()
    with _ProgressBar(screen) as bar:
        bar.update(0, 200_000)
        bar.update(100_000, 200_000)
    assert "\r" in screen.getvalue() and " 50%  100,000 / 200,000 respondents" in screen.getvalue()
    assert screen.getvalue().endswith("\n")
    piped = io.StringIO()
    with _ProgressBar(piped) as bar:
        bar.update(100_000, 200_000)
    assert piped.getvalue() == ""


# ----------------------------------------------------------------------------------------------------------------
# import


def plain_export(path: Path, n: int, *, seed: int = 0, bad_answer: str | None = None) -> Path:
    """A plain CSV export (one header row): staff id, school, every item as its answer label."""
    rng = np.random.default_rng(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Staff ID", CODEBOOK.attribute("school").question, *(item.text for item in CODEBOOK.items)])
    for row in range(n):
        answers = [rng.choice([o.label for o in CODEBOOK.scale_of(item.id).options]) for item in CODEBOOK.items]
        writer.writerow([f"STAFF-{seed}-{row}", "Oak Elementary", *answers])
    if bad_answer is not None:
        writer.writerow(["STAFF-x", "Oak Elementary", bad_answer, *answers[1:]])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_import_saves_a_valid_export_with_a_progress_bar_on_a_terminal(tmp_path, run):
    """`import` prints the report, saves the wave, and draws a progress bar when stderr is a terminal."""
    export = plain_export(tmp_path / "spring.csv", 40)
    controller, terminal = pty.openpty()
    env = {**os.environ, "CLD_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("CLD_DATABASE_URL", None)
    command = [
        sys.executable, "-m", "survey_model", "import", str(export), "--org", "district-7", "--wave", "Spring 2025",
        "--date", "2025-04-01", "--user", "ana", "--db", str(tmp_path / "survey.db"),
    ]  # fmt: skip
    child = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=terminal, text=True)
    os.close(terminal)
    stdout, _ = child.communicate(timeout=120)
    screen = b""
    with contextlib.suppress(OSError):  # reading the controller side ends with EIO once the child is gone
        while chunk := os.read(controller, 4096):
            screen += chunk
    os.close(controller)
    assert child.returncode == 0, screen.decode()
    assert "no problems found" in stdout
    assert "Saved wave 'Spring 2025' of organization 'district-7' (40 respondents" in stdout
    assert b"\rSaving [" in screen and b"100%  40 / 40 respondents" in screen

    waves = json.loads(run("list", "--json").stdout)
    assert [(w["label"], w["date"], w["respondents"]) for w in waves] == [("Spring 2025", "2025-04-01", 40)]
    assert waves[0]["file_sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()


def test_importing_the_same_file_again_is_refused(tmp_path, run):
    """A second import of the same file exits 1 naming the wave that already holds it."""
    export = plain_export(tmp_path / "spring.csv", 10)
    assert run("import", str(export), "--org", "district-7", "--wave", "Spring 2025").returncode == 0
    again = run("import", str(export), "--org", "district-7", "--wave", "Spring 2025 again")
    assert again.returncode == 1
    assert "already stored as wave 'Spring 2025' of organization 'district-7'" in again.stderr
    assert len(json.loads(run("list", "--json").stdout)) == 1


def test_an_export_with_errors_is_reported_and_not_saved(tmp_path, run):
    """An answer that is not on the item's scale is listed in the report; exit 1 and nothing is stored."""
    export = plain_export(tmp_path / "bad.csv", 10, bad_answer="Maybe on Tuesdays")
    result = run("import", str(export), "--org", "district-7", "--wave", "Spring 2025")
    assert result.returncode == 1
    assert "ERROR" in result.stdout and "Maybe on Tuesdays" in result.stdout
    assert "Not saved" in result.stderr
    assert json.loads(run("list", "--json").stdout) == []


def test_dry_run_validates_without_writing_anything(tmp_path, run):
    """--dry-run prints the report and how many respondents would be saved, and creates no database."""
    export = plain_export(tmp_path / "spring.csv", 12)
    result = run("import", str(export), "--org", "district-7", "--wave", "Spring 2025", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Dry run: 12 respondents would be saved" in result.stdout
    assert not (tmp_path / "survey.db").exists()


def test_replace_needs_the_flag_and_a_saved_mapping_can_be_reused(tmp_path, run):
    """A taken label needs --replace; a mapping saved with --save-mapping is used again with --mapping."""
    first = plain_export(tmp_path / "first.csv", 10, seed=1)
    second = plain_export(tmp_path / "second.csv", 15, seed=2)
    saved = run("import", str(first), "--org", "district-7", "--wave", "Fall 2024", "--save-mapping", "d7 plain")
    assert saved.returncode == 0 and "Saved the column mapping as profile 'd7 plain'" in saved.stdout

    taken = run("import", str(second), "--org", "district-7", "--wave", "Fall 2024", "--mapping", "d7 plain")
    assert taken.returncode == 1 and "--replace" in taken.stderr
    replaced = run(
        "import", str(second), "--org", "district-7", "--wave", "Fall 2024", "--mapping", "d7 plain", "--replace"
    )
    assert replaced.returncode == 0, replaced.stderr
    assert "Replaced wave 'Fall 2024'" in replaced.stdout
    assert json.loads(run("list", "--json").stdout)[0]["respondents"] == 15

    unknown = run("import", str(first), "--org", "district-7", "--wave", "W", "--mapping", "no such profile")
    assert unknown.returncode == 1 and "'d7 plain'" in unknown.stderr


def test_import_refuses_a_bad_organization_id_as_a_usage_error(tmp_path, run):
    """An organization id with spaces is an argument error (exit 2), before anything is read."""
    export = plain_export(tmp_path / "spring.csv", 3)
    with pytest.raises(SystemExit) as caught:
        run("import", str(export), "--org", "my district", "--wave", "W")
    assert caught.value.code == 2


# ----------------------------------------------------------------------------------------------------------------
# wave labels and organization ids as typed


@pytest.mark.parametrize(
    ("typed", "stored", "found"),
    [
        ("2024 Spring", ["2024 Spring", "2025 Spring"], "2024 Spring"),
        ("2024 spring", ["2024 Spring", "2025 Spring"], "2024 Spring"),
        ("  2024 SPRING\t", ["2024 Spring", "2025 Spring"], "2024 Spring"),
        ("2024 spring", [" 2024 Spring ", "2025 Spring"], " 2024 Spring "),  # a label stored with spaces
        ("2024 SPRING", ["2024 Spring", "2024 SPRING"], "2024 SPRING"),  # an exact match wins over a case twin
        ("District-7", ["district-7", "north-network"], "district-7"),
        ("2024  Spring", ["2024 Spring"], None),  # inner spaces are part of the label
        ("Spring", ["2024 Spring"], None),  # no guessing from a part
        ("2024 spring", ["2024 Spring", "2024 SPRING"], None),  # two stored labels differ only in case
        ("2024 spring", [], None),
    ],
)
def test_a_typed_label_finds_the_stored_one_whatever_its_case(typed, stored, found):
    """Case and surrounding spaces are ignored; anything else must match, and a case twin must be typed exactly."""
    from survey_model.commands.store import stored_label
    from survey_model.store import StoreError

    if found is not None:
        assert stored_label(typed, stored, kind="wave") == found
        return
    with pytest.raises(StoreError) as caught:
        stored_label(typed, stored, kind="wave", owner="Organization 'district-7'")
    listed = [label for label in stored if label.casefold() == typed.strip().casefold()] or stored
    assert all(repr(label) in f"{caught.value.message} {caught.value.action}" for label in listed)


def test_delete_finds_the_wave_whatever_the_case_of_its_label_and_organization(tmp_path, run):
    """`delete --org District-7 --wave " fall 2024 "` deletes the stored "Fall 2024" and logs its stored label."""
    seeded_store(tmp_path).close()
    result = run("delete", "--org", "District-7", "--wave", " fall 2024 ", "--yes", "--user", "ben")
    assert result.returncode == 0, result.stderr
    assert "Deleted wave 'Fall 2024' of organization 'district-7'" in result.stdout
    store = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "respondent_key.secret")
    assert [w.label for w in store.waves("district-7")] == ["Spring 2025"]
    assert store.audit_log("district-7").iloc[-1]["wave"] == "Fall 2024"


def test_labels_that_differ_only_in_case_are_listed_and_must_be_typed_exactly(tmp_path, run):
    """With "Spring 2025" and "SPRING 2025" stored (an older database), "spring 2025" deletes nothing and lists both."""
    store = seeded_store(tmp_path)
    twin = {"codebook": CODEBOOK, "platform": "qualtrics", "file_sha256": hashlib.sha256(b"twin").hexdigest()}
    assert store.save_wave("district-7", "SPRING 2025", frame(6, seed=9), user="ana", **twin).status == "exists"
    store.save_wave("district-7", "Later", frame(6, seed=9), user="ana", **twin)
    store.close()
    with sqlite3.connect(tmp_path / "survey.db") as conn:  # the store refuses case twins; older databases may hold them
        conn.execute("UPDATE waves SET label = 'SPRING 2025' WHERE label = 'Later'")
    ambiguous = run("delete", "--org", "district-7", "--wave", "spring 2025", "--yes")
    assert ambiguous.returncode == 1
    assert "'Spring 2025', 'SPRING 2025'" in ambiguous.stderr and "exactly" in ambiguous.stderr
    labels = [w["label"] for w in json.loads(run("list", "--org", "district-7", "--json").stdout)]
    assert labels == ["Fall 2024", "Spring 2025", "SPRING 2025"]

    exact = run("delete", "--org", "district-7", "--wave", "SPRING 2025", "--yes")
    assert exact.returncode == 0, exact.stderr
    labels = [w["label"] for w in json.loads(run("list", "--org", "district-7", "--json").stdout)]
    assert labels == ["Fall 2024", "Spring 2025"]


def test_export_of_a_wave_typed_in_lower_case_writes_the_stored_label(tmp_path, run):
    """`export --wave "spring 2025"` writes the 9 respondents of "Spring 2025", labelled as stored."""
    seeded_store(tmp_path).close()
    out = tmp_path / "export.csv"
    result = run("export", "--org", "DISTRICT-7", "--wave", "spring 2025", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = read_csv_cells(out)
    assert [row[0] for row in rows[1:]] == ["Spring 2025"] * 9


@pytest.mark.parametrize(
    "command",
    [
        ["delete", "--org", "district-9", "--wave", "Fall 2024", "--yes"],
        ["export", "--org", "district-9", "--out", "x.csv"],
        ["list", "--org", "district-9"],
    ],
)
def test_an_unknown_organization_is_answered_with_the_stored_ones(tmp_path, run, command):
    """A mistyped organization exits 1 naming it and listing every stored organization, the same for each command."""
    seeded_store(tmp_path).close()
    result = run(*command)
    assert result.returncode == 1
    assert "There is no organization 'district-9'." in result.stderr
    assert "Stored organizations: 'district-7', 'north-network'." in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["delete", "--org", "district-7", "--wave", "Fall 2042", "--yes"],
        ["export", "--org", "district-7", "--wave", "Fall 2042", "--out", "x.csv"],
    ],
)
def test_an_unknown_wave_is_answered_with_the_stored_ones(tmp_path, run, command):
    """A mistyped wave exits 1 naming it and listing the organization's stored waves, the same for each command."""
    seeded_store(tmp_path).close()
    result = run(*command)
    assert result.returncode == 1
    assert "Organization 'district-7' has no wave 'Fall 2042'." in result.stderr
    assert "Stored waves: 'Fall 2024', 'Spring 2025'." in result.stderr


def test_import_under_a_label_differing_only_in_case_names_the_stored_wave(tmp_path, run):
    """Importing as "fall 2024" when "Fall 2024" is stored needs --replace, and then replaces "Fall 2024"."""
    seeded_store(tmp_path).close()
    export = plain_export(tmp_path / "fall.csv", 10)
    taken = run("import", str(export), "--org", "District-7", "--wave", "fall 2024")
    assert taken.returncode == 1 and "--replace" in taken.stderr and "'Fall 2024'" in taken.stderr
    replaced = run("import", str(export), "--org", "District-7", "--wave", "fall 2024", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    waves = json.loads(run("list", "--json").stdout)
    assert sorted((w["organization"], w["label"], w["respondents"]) for w in waves) == [
        ("district-7", "Fall 2024", 10),
        ("district-7", "Spring 2025", 9),
        ("north-network", "Spring 2025", 7),
    ]


# ----------------------------------------------------------------------------------------------------------------
# organization names and counts in words


def test_import_names_a_new_organization_and_rename_changes_the_name_in_the_audit_log(tmp_path, run):
    """--org-name names a new organization; `rename` changes it later, recorded with who, from and to."""
    first = plain_export(tmp_path / "fall.csv", 10)
    made = run("import", str(first), "--org", "district-7", "--wave", "Fall 2024", "--org-name", "District 7 Schools")
    assert made.returncode == 0, made.stderr
    assert json.loads(run("list", "--json").stdout)[0]["organization_name"] == "District 7 Schools"

    renamed = run("rename", "--org", "District-7", "--name", "Seventh District", "--user", "ana")
    assert renamed.returncode == 0, renamed.stderr
    assert "from 'District 7 Schools' to 'Seventh District'" in renamed.stdout
    assert json.loads(run("list", "--json").stdout)[0]["organization_name"] == "Seventh District"
    store = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "respondent_key.secret")
    log = store.audit_log("district-7")
    store.close()
    renames = log[log["action"] == "rename_organization"]
    assert len(renames) == 1 and renames.iloc[0]["user"] == "ana"
    assert "Seventh District" in str(renames.iloc[0]["details"])


def test_org_name_on_a_stored_organization_is_refused_and_points_at_rename(tmp_path, run):
    """--org-name is for a new organization: on a stored one with another name nothing is saved."""
    assert (
        run("import", str(plain_export(tmp_path / "a.csv", 10)), "--org", "district-7", "--wave", "A").returncode == 0
    )
    again = run(
        "import", str(plain_export(tmp_path / "b.csv", 11)), "--org", "district-7", "--wave", "B", "--org-name", "X"
    )
    assert again.returncode == 1
    assert "already stored, named 'district-7'" in again.stderr and "rename --org district-7" in again.stderr
    assert [w["label"] for w in json.loads(run("list", "--json").stdout)] == ["A"]


def test_one_respondent_is_worded_in_the_singular(tmp_path, run):
    """A dry run of a one-row file says "1 respondent would be saved", not "1 respondents"."""
    result = run("import", str(plain_export(tmp_path / "one.csv", 1)), "--org", "d", "--wave", "W", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Dry run: 1 respondent would be saved" in result.stdout
