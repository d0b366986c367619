"""Cleaning: personal data dropped, tests/previews/spam and blank responses left out, partials, duplicates, IDs."""

from __future__ import annotations

import csv
import io
import math

import pytest

from survey_model.codebook import load_codebook
from survey_model.importers import import_export

CODEBOOK = load_codebook()
AGREE_ITEMS = [item.id for item in CODEBOOK.items if item.scale == "agree5"]  # 31 items: 28 conditions + LI2-LI4


def table(header: list[str], *rows: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode()


def qualtrics(meta: list[tuple[str, str]], answers: list[list[str]], items: list[str]) -> bytes:
    """A Qualtrics v3 export: metadata columns given as (tag, value per row) pairs, then items by id."""
    tags = [tag for tag, _ in meta] + items
    labels = tags
    import_ids = [f'{{"ImportId":"{tag}"}}' for tag in tags]
    rows = []
    for index, row in enumerate(answers):
        rows.append([values.split("|")[index] for _, values in meta] + row)
    return table(tags, labels, import_ids, *rows)


@pytest.mark.parametrize(
    "header",
    [
        "Email",
        "Email Address",
        "E-mail address",
        "What is your email address?",
        "Your name",
        "First Name",
        "Last Name",
        "IP Address",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "Phone number",
        "Custom Data 1",
    ],
)
def test_personal_data_column_is_dropped_and_named(header: str) -> None:
    """Names, emails, IP addresses, locations, recipient and external-reference fields never reach the frame."""
    result = import_export(table(["Staff ID", header, "VS1"], ["A1", "secret-value", "Agree"]), "x.csv", CODEBOOK)
    assert result.dropped_personal_data == [header]
    assert header not in result.questions
    assert "secret-value" not in result.frame.to_csv() + result.preview.to_csv()


def test_contact_block_sub_items_are_personal_data() -> None:
    """A SurveyMonkey contact-information question's Name and Email Address rows are dropped."""
    data = table(
        ["Respondent ID", "Contact information", "", "VS1"],
        ["", "Name", "Email Address", "Response"],
        ["114", "Jo Doe", "jo@example.org", "Agree"],
    )
    result = import_export(data, "sm.csv", CODEBOOK)
    assert result.dropped_personal_data == ["Contact information - Name", "Contact information - Email Address"]


def test_questions_about_places_or_schools_are_not_mistaken_for_personal_data() -> None:
    """A census-region question and a school-name question are questions, not personal data."""
    data = table(["Staff ID", "Location (Census Region)", "School name", "VS1"], ["A1", "Midwest", "Lincoln", "Agree"])
    result = import_export(data, "x.csv", CODEBOOK)
    assert result.dropped_personal_data == []
    assert result.questions == ["Location (Census Region)", "School name", "VS1"]


@pytest.mark.parametrize(
    ("status", "channel", "reason"),
    [
        ("Survey Preview", "anonymous", "preview"),
        ("1", "anonymous", "preview"),
        ("17", "anonymous", "preview"),
        ("Survey Test", "anonymous", "test"),
        ("2", "anonymous", "test"),
        ("Spam", "anonymous", "spam"),
        ("8", "anonymous", "spam"),
        ("9", "anonymous", "spam"),
        ("IP Address", "preview", "preview"),
        ("0", "test", "test"),
    ],
)
def test_tests_previews_and_spam_are_left_out_by_reason(status: str, channel: str, reason: str) -> None:
    """Qualtrics Status (label or code) and DistributionChannel mark responses that are left out by default."""
    meta = [("Status", f"IP Address|{status}"), ("DistributionChannel", f"anonymous|{channel}"), ("StaffID", "A1|A2")]
    data = qualtrics(meta, [["Agree"], ["Agree"]], ["VS1"])
    result = import_export(data, "q.csv", CODEBOOK)
    assert result.excluded[reason] == 1
    assert sum(result.excluded.values()) == 1
    assert result.frame["respondent_id"].tolist() == ["A1"]
    kept = import_export(data, "q.csv", CODEBOOK, exclude_tests=False)
    assert kept.frame["respondent_id"].tolist() == ["A1", "A2"]
    assert f"kept_{reason}" in [issue.code for issue in kept.report.warnings]


def test_unknown_status_value_is_kept_with_a_warning() -> None:
    """A Status the importer does not know keeps the response and says so."""
    data = qualtrics([("Status", "IP Address|Something new"), ("StaffID", "A1|A2")], [["Agree"], ["Agree"]], ["VS1"])
    result = import_export(data, "q.csv", CODEBOOK)
    assert result.kept == 2
    warning = next(issue for issue in result.report.warnings if issue.code == "unknown_status")
    assert warning.value == "Something new"


def test_response_without_any_answer_is_left_out_as_blank() -> None:
    """A response that answered no question is left out as blank; one answering only an attribute is kept."""
    data = table(
        ["Staff ID", "Which school do you work in?", "VS1"],
        ["A1", "Lincoln", "Agree"],
        ["A2", "", " "],
        ["A3", "Lincoln", ""],
    )
    result = import_export(data, "x.csv", CODEBOOK)
    assert result.excluded["blank"] == 1
    assert result.frame["respondent_id"].tolist() == ["A1", "A3"]


def _partials(answered: list[int]) -> bytes:
    """One finished response, then unfinished ones answering the first n of the 31 agreement items."""
    rows = [["True", "F0"] + ["Agree"] * len(AGREE_ITEMS)]
    for number, n in enumerate(answered, start=1):
        rows.append(["False", f"P{number}"] + ["Agree"] * n + [""] * (len(AGREE_ITEMS) - n))
    meta_values = [row[:2] for row in rows]
    meta = [("Finished", "|".join(v[0] for v in meta_values)), ("StaffID", "|".join(v[1] for v in meta_values))]
    return qualtrics(meta, [row[2:] for row in rows], AGREE_ITEMS)


def test_partial_response_kept_when_at_least_half_the_items_are_answered() -> None:
    """With 31 items mapped, unfinished responses with 16 answers are kept (16 ≥ 15.5) and with 15 left out."""
    result = import_export(_partials([16, 15, 31, 0]), "q.csv", CODEBOOK)
    # P4 answered nothing: it is blank before it is partial.
    assert result.excluded == {"preview": 0, "test": 0, "spam": 0, "blank": 1, "partial": 1}
    assert result.frame["respondent_id"].tolist() == ["F0", "P1", "P3"]
    assert result.report.counts["partial_kept"] == 2
    assert math.isnan(result.frame.loc[1, "OI4"])


def test_the_advice_on_partial_and_excluded_responses_names_only_what_staff_can_do() -> None:
    """No "switch off …": the upload has no such switch; the advice points at the survey tool and a new export."""
    kept = import_export(_partials([16]), "q.csv", CODEBOOK).report
    meta = [("Finished", "False"), ("StaffID", "P1")]
    nothing = import_export(qualtrics(meta, [["Agree", ""]], ["VS1", "VS2"]), "q.csv", CODEBOOK, keep_partial=False)
    actions = {issue.code: issue.action for issue in (*kept.issues, *nothing.report.issues) if issue.action}
    assert {"partial_kept", "no_kept_responses"} <= set(actions)
    for action in actions.values():
        assert "switch" not in action.casefold(), action
    assert "survey tool" in actions["partial_kept"] and "survey tool" in actions["no_kept_responses"]


def test_partial_responses_all_left_out_when_switched_off() -> None:
    """keep_partial=False leaves out every unfinished response, however much was answered."""
    result = import_export(_partials([16, 15, 31]), "q.csv", CODEBOOK, keep_partial=False)
    assert result.excluded["partial"] == 3
    assert result.frame["respondent_id"].tolist() == ["F0"]


def test_numeric_finished_flag_is_understood() -> None:
    """Finished 0/1 (numeric exports) works like False/True."""
    meta = [("Finished", "1|0"), ("StaffID", "A1|A2")]
    result = import_export(qualtrics(meta, [["Agree", "Agree"], ["Agree", ""]], ["VS1", "VS2"]), "q.csv", CODEBOOK)
    assert result.report.counts["partial_kept"] == 1  # 1 of 2 items answered is half
    assert result.kept == 2


def test_skipped_questions_on_platforms_without_a_finished_flag_are_not_partial() -> None:
    """A SurveyMonkey response answering 1 of 31 items is kept: only Qualtrics says when a response is unfinished."""
    data = table(
        ["Respondent ID", *AGREE_ITEMS],
        ["", *["Response"] * len(AGREE_ITEMS)],
        ["114", "Agree", *[""] * (len(AGREE_ITEMS) - 1)],
    )
    result = import_export(data, "sm.csv", CODEBOOK)
    assert result.kept == 1
    assert result.excluded["partial"] == 0


def test_duplicate_respondents_are_reported_and_kept() -> None:
    """The same Staff ID twice (case and spaces ignored) counts as one duplicate respondent; both rows are kept."""
    data = table(["Staff ID", "VS1"], ["A17", "Agree"], ["B2", "Agree"], [" a17", "Disagree"], ["C3", "Agree"])
    result = import_export(data, "x.csv", CODEBOOK)
    assert result.duplicates == 1
    assert result.kept == 4
    warning = next(issue for issue in result.report.warnings if issue.code == "duplicate_respondents")
    assert warning.row == 4  # the repeat is on spreadsheet row 4 (header is row 1)


def test_duplicate_respondents_found_by_email_when_there_is_no_id() -> None:
    """Google Forms has no ID: the collected email finds repeats before it is dropped."""
    data = table(
        ["Timestamp", "Email Address", "VS1"],
        ["4/15/2024 9:00:00", "jo@example.org", "Agree"],
        ["4/15/2024 9:05:00", "JO@example.org", "Disagree"],
    )
    result = import_export(data, "g.csv", CODEBOOK)
    assert result.duplicates == 1
    assert result.dropped_personal_data == ["Email Address"]
    assert result.frame["respondent_id"].tolist() == ["", ""]


def test_person_id_wins_over_the_platform_response_id() -> None:
    """Staff ID is the respondent ID; ResponseId is dropped as metadata and never reaches the frame."""
    meta = [("ResponseId", "R_1|R_2"), ("StaffID", "S-1|S-2")]
    result = import_export(qualtrics(meta, [["Agree"], ["Agree"]], ["VS1"]), "q.csv", CODEBOOK)
    assert result.respondent_id_column == "StaffID"
    assert result.frame["respondent_id"].tolist() == ["S-1", "S-2"]
    assert "ResponseId" in result.dropped_metadata
    assert "R_1" not in result.frame.to_csv()


@pytest.mark.parametrize("header", ["Employee ID", "Participant ID", "Educator ID", "Staff number"])
def test_person_id_headers_are_recognised(header: str) -> None:
    """Headers like Employee ID, Participant ID, Educator ID are the stable person key."""
    result = import_export(table(["ID", header, "VS1"], ["1", "E-9", "Agree"]), "x.csv", CODEBOOK)
    assert result.respondent_id_column == header
    assert result.frame["respondent_id"].tolist() == ["E-9"]


def test_platform_response_id_used_when_there_is_no_person_id() -> None:
    """Without a person key the platform's response ID is the respondent ID (Qualtrics ResponseId)."""
    result = import_export(qualtrics([("ResponseId", "R_1|R_2")], [["Agree"], ["Agree"]], ["VS1"]), "q.csv", CODEBOOK)
    assert result.frame["respondent_id"].tolist() == ["R_1", "R_2"]


def test_no_id_at_all_gives_empty_respondent_ids() -> None:
    """A table with no ID column gives "" respondent IDs."""
    result = import_export(table(["VS1"], ["Agree"], ["Disagree"]), "x.csv", CODEBOOK)
    assert result.frame["respondent_id"].tolist() == ["", ""]
    assert result.respondent_id_column == ""


def test_counts_in_the_report_add_up() -> None:
    """rows_read = kept + every excluded_<reason> in the report's counts."""
    result = import_export(_partials([16, 15, 31, 0]), "q.csv", CODEBOOK)
    counts = result.report.counts
    excluded = sum(counts[f"excluded_{reason}"] for reason in ("preview", "test", "spam", "blank", "partial"))
    assert counts["rows_read"] == 5
    assert counts["kept"] + excluded == counts["rows_read"]
