"""``python -m survey_model inspect FILE``: what the importer makes of an export, as text or JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from real_exports import MISSING, REAL_EXPORTS  # tests/ is on sys.path when pytest collects

from survey_model.cli import main

ROOT = Path(__file__).resolve().parents[1]

QUALTRICS = (
    "StartDate,Status,Finished,ResponseId,IPAddress,RecipientEmail,StaffID,Q1,Q2\r\n"
    "Start Date,Response Type,Finished,Response ID,IP Address,Recipient Email,StaffID,"
    "Do you consider yourself a leader in your school?,Which school do you work in?\r\n"
    + ",".join(
        f'"{{""ImportId"":""{iid}""}}"'
        for iid in (
            "startDate",
            "status",
            "finished",
            "_recordId",
            "ipAddress",
            "recipientEmail",
            "StaffID",
            "QID1",
            "QID2",
        )
    )
    + "\r\n"
    "2026-04-13 09:00:00,Survey Preview,True,R_1,192.0.2.1,,,Yes,Lincoln\r\n"
    "2026-04-13 09:10:00,IP Address,True,R_2,192.0.2.2,jo@example.org,S-2,Not sure,Lincoln\r\n"
    "2026-04-13 09:20:00,IP Address,True,R_3,192.0.2.3,al@example.org,S-3,No,Roosevelt\r\n"
)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "wave3.csv"
    path.write_text(QUALTRICS, encoding="utf-8", newline="")
    return path


def test_inspect_prints_platform_respondents_questions_and_dropped_columns(export: Path, capsys) -> None:
    """The text report names the platform, respondents kept and left out, questions, personal data and mapping."""
    assert main(["inspect", str(export)]) == 0
    out = capsys.readouterr().out
    assert "Platform: qualtrics (layout qualtrics_v3); encoding: utf-8" in out
    assert "Respondents: 2 kept of 3 read; left out: preview 1" in out
    assert "  - Do you consider yourself a leader in your school?" in out
    assert "Personal-data columns dropped (2): IP Address, Recipient Email" in out
    assert "Do you consider yourself a leader in your school? → LI1 (text)" in out
    assert "jo@example.org" not in out


def test_inspect_json_has_the_documented_keys(export: Path, capsys) -> None:
    """--json prints one object with platform, respondents, excluded, questions, dropped_personal_data, issues."""
    assert main(["inspect", str(export), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["platform"] == "qualtrics"
    assert summary["respondents"] == 2
    assert summary["excluded"] == {"preview": 1, "test": 0, "spam": 0, "blank": 0, "partial": 0}
    assert summary["questions"] == ["Do you consider yourself a leader in your school?", "Which school do you work in?"]
    assert summary["dropped_personal_data"] == ["IP Address", "Recipient Email"]
    assert summary["respondent_id_column"] == "StaffID"
    assert {issue["code"] for issue in summary["issues"]} >= {"excluded_preview", "unmatched_items"}
    assert {entry["target"] for entry in summary["mapping"]} == {"respondent_id", "LI1", "school"}


def test_inspect_with_another_codebook(export: Path, capsys) -> None:
    """--codebook picks the instrument; with school-improvement nothing maps: the report says so and exits 1."""
    assert main(["inspect", str(export), "--codebook", "school-improvement", "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["codebook"]["id"] == "school-improvement"
    assert "no_items_mapped" in [issue["code"] for issue in summary["issues"]]
    assert summary["ok"] is False


def test_inspect_with_only_warnings_exits_zero(export: Path, capsys) -> None:
    """Items without a column are a warning, not an error: the report is printed and the exit code is 0."""
    assert main(["inspect", str(export)]) == 0
    captured = capsys.readouterr()
    assert "WARNING" in captured.out and "ERROR" not in captured.out
    assert captured.err == ""


def test_inspect_unreadable_file_exits_non_zero_with_a_message(tmp_path: Path, capsys) -> None:
    """A PDF renamed .csv gives exit code 1 and a one-line reason on stderr."""
    path = tmp_path / "export.csv"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n")
    assert main(["inspect", str(path)]) == 1
    err = capsys.readouterr().err
    assert "a PDF document, not a survey export" in err


def test_inspect_missing_file_exits_non_zero(tmp_path: Path, capsys) -> None:
    """A path that does not exist gives exit code 1."""
    assert main(["inspect", str(tmp_path / "nope.csv"), "--json"]) == 1
    assert "cannot be opened" in json.loads(capsys.readouterr().out)["error"]


def test_inspect_unknown_codebook_is_a_usage_error(export: Path, capsys) -> None:
    """An unknown codebook name gives exit code 2."""
    assert main(["inspect", str(export), "--codebook", "no-such-codebook"]) == 2
    assert "no codebook named" in capsys.readouterr().err


def test_inspect_applies_a_saved_mapping(export: Path, tmp_path: Path, capsys) -> None:
    """--mapping FILE.json applies manual decisions, here leaving the school question out."""
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Which school do you work in?": ""}), encoding="utf-8")
    assert main(["inspect", str(export), "--mapping", str(mapping), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["unmapped_columns"] == ["Which school do you work in?"]


@pytest.mark.skipif(not REAL_EXPORTS.is_dir(), reason=MISSING)
def test_inspect_runs_as_a_module_on_a_real_export() -> None:
    """`inspect` on the real SurveyMonkey file: 550 respondents, 14 questions, no crash, exit 1 as nothing maps."""
    path = REAL_EXPORTS / "surveymonkey" / "surveymonkey_steak_html_in_header.csv"
    out = subprocess.run(
        [sys.executable, "-m", "survey_model", "inspect", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 1, out.stderr  # a steak survey: no column matches the codebook, an error
    summary = json.loads(out.stdout)
    assert summary["ok"] is False and "no_items_mapped" in [issue["code"] for issue in summary["issues"]]
    # 552 csv records minus 2 header rows; 15 columns minus RespondentID (derived in test_import_real_exports.py).
    assert (summary["platform"], summary["respondents"], len(summary["questions"])) == ("surveymonkey", 550, 14)
    assert summary["dropped_personal_data"] == []


def test_inspect_module_exit_code_for_random_bytes(tmp_path: Path) -> None:
    """`python -m survey_model inspect` on random bytes exits 1 without a traceback."""
    path = tmp_path / "noise.csv"
    path.write_bytes(bytes(range(256)) * 8)
    out = subprocess.run(
        [sys.executable, "-m", "survey_model", "inspect", str(path)], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "not a text table" in out.stderr


def _inspect_and_dry_run(path: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, int]:
    """`python -m survey_model inspect PATH`, and the exit code of `import PATH --dry-run` on an empty database."""
    env = {**os.environ, "CLD_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("CLD_DATABASE_URL", None)
    inspect = subprocess.run(
        [sys.executable, "-m", "survey_model", "inspect", str(path)], cwd=tmp_path, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    dry_run = subprocess.run(
        [sys.executable, "-m", "survey_model", "import", str(path), "--org", "district-7", "--wave", "Spring 2026",
         "--dry-run", "--db", str(tmp_path / "none.db")],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return inspect, dry_run.returncode


@pytest.mark.skipif(not REAL_EXPORTS.is_dir(), reason=MISSING)
def test_inspect_exits_1_like_import_on_a_real_export_with_no_item_mapped(tmp_path: Path) -> None:
    """A real Qualtrics export of another survey (two questions, neither ours): report printed, exit 1 as import."""
    path = REAL_EXPORTS / "qualtrics" / "qualtrics_sample_numeric_3row.csv"
    inspect, import_code = _inspect_and_dry_run(path, tmp_path)
    assert inspect.returncode == 1 and import_code == 1
    assert "Validation: 1 error" in inspect.stdout and "No column matched any item" in inspect.stdout
    assert "Respondents: " in inspect.stdout  # the whole report is still printed
    assert "import would not store this file" in inspect.stderr and "Traceback" not in inspect.stderr


def test_inspect_exits_0_like_import_on_a_clean_demo_export(tmp_path: Path) -> None:
    """The demo Qualtrics export of Cedar Valley has no error: exit 0, as `import --dry-run` gives."""
    path = ROOT / "data_samples" / "cedar-valley_2026-spring_qualtrics.csv"
    inspect, import_code = _inspect_and_dry_run(path, tmp_path)
    assert inspect.returncode == 0 and import_code == 0, inspect.stderr
    assert "Validation: no problems found" in inspect.stdout and inspect.stderr == ""


def test_inspect_exits_0_when_the_demo_export_has_only_warnings(capsys) -> None:
    """Keeping the demo file's preview response (--include-tests) is a warning: reported, exit code still 0."""
    path = ROOT / "data_samples" / "cedar-valley_2026-spring_qualtrics.csv"
    assert main(["inspect", str(path), "--include-tests", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] is True
    assert "kept_preview" in [issue["code"] for issue in summary["issues"] if issue["severity"] == "warning"]
