"""Bad input gets a clear message, never a traceback: empty, binary, damaged, oversized, hostile text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from survey_model.codebook import load_codebook
from survey_model.importers import MAX_EXPORT_BYTES, ExportReadError, import_export, read_export

CODEBOOK = load_codebook()
AGREE_ITEMS = [item for item in CODEBOOK.items if item.scale == "agree5"]


def small_generic_csv(rows: int = 3) -> bytes:
    header = "Staff ID," + ",".join(item.id for item in AGREE_ITEMS)
    lines = [header] + [f"S{n}," + ",".join(["Agree"] * len(AGREE_ITEMS)) for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def workbook_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        pytest.param(b"", "empty_file", "empty", id="empty"),
        pytest.param(b"\xef\xbb\xbf\r\n  \r\n", "empty_file", "empty", id="bom-and-blank-lines"),
        pytest.param(b"\xff\xfe", "empty_file", "empty", id="utf16-bom-only"),
        pytest.param(np.random.default_rng(7).bytes(4096), "not_a_table", "binary", id="random-bytes"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not_a_table", "PDF", id="pdf-as-csv"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "not_a_table", ".xls", id="old-xls"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(64), "not_a_table", "PNG", id="png"),
    ],
)
def test_unreadable_file_gets_a_clear_message(data: bytes, code: str, words: str) -> None:
    """An unreadable file raises ExportReadError with a message naming the problem and an action."""
    with pytest.raises(ExportReadError) as caught:
        import_export(data, "export.csv", CODEBOOK)
    error = caught.value
    assert error.code == code
    assert words in error.message
    assert error.action
    assert error.message in str(error) and error.action in str(error)


def test_truncated_workbook_gets_a_clear_message() -> None:
    """An XLSX cut off half-way (an interrupted download) is reported as damaged, not a traceback."""
    whole = workbook_bytes([["Staff ID", "VS1"], ["A1", "Agree"]])
    with pytest.raises(ExportReadError) as caught:
        import_export(whole[: len(whole) // 2], "export.xlsx", CODEBOOK)
    assert caught.value.code == "damaged_workbook"
    assert "damaged or incomplete" in caught.value.message


def test_zip_without_an_export_is_refused() -> None:
    """A ZIP archive holding no workbook and no CSV is refused with a message."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.md", "hello")
    with pytest.raises(ExportReadError) as caught:
        import_export(buffer.getvalue(), "responses.zip", CODEBOOK)
    assert caught.value.code == "not_a_table"


def test_google_forms_zip_download_is_read_as_its_csv() -> None:
    """Google Forms' "Download responses (.csv)" gives a ZIP with one CSV: it is read as that CSV."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "Staff survey.csv",
            "Timestamp,Do you consider yourself a leader in your school?\r\n4/15/2024 9:03:11,Yes\r\n",
        )
    result = import_export(buffer.getvalue(), "Staff survey.csv.zip", CODEBOOK)
    assert result.platform == "google_forms"
    assert result.frame["LI1"].tolist() == [1.0]


def test_header_without_responses_is_an_error_in_the_report() -> None:
    """An export with its header rows and no response reads, maps, and reports 'no responses' as an error."""
    header = "Staff ID," + ",".join(item.text.replace(",", "") for item in AGREE_ITEMS) + "\r\n"
    result = import_export(header.encode(), "empty-wave.csv", CODEBOOK)
    assert [issue.code for issue in result.report.errors] == ["no_responses"]
    assert result.kept == 0 and result.rows_read == 0
    assert len(result.mapping.items) == len(AGREE_ITEMS)  # the headers still map
    assert list(result.frame.columns[:2]) == ["respondent_id", "VS1"]


def test_qualtrics_header_rows_only_is_an_error_in_the_report() -> None:
    """A Qualtrics export with its three header rows and no response reports 'no responses'."""
    data = (
        b"StartDate,EndDate,Status,ResponseId,Q1\r\n"
        b"Start Date,End Date,Response Type,Response ID,Do you consider yourself a leader in your school?\r\n"
        b'"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""status""}",'
        b'"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}"\r\n'
    )
    result = import_export(data, "qualtrics.csv", CODEBOOK)
    assert (result.platform, result.layout) == ("qualtrics", "qualtrics_v3")
    assert "no_responses" in [issue.code for issue in result.report.errors]
    assert result.mapping.items == {"LI1": 4}


def test_export_from_an_unknown_tool_is_read_as_a_plain_table() -> None:
    """A LimeSurvey-style export (question codes as headers) is read as a plain table and maps by item id."""
    data = b"id;submitdate;lastpage;startlanguage;VS1;VS2;LI1\n1;2024-05-01 10:00:00;3;en;Agree;Disagree;Yes\n"
    result = import_export(data, "results-survey123.csv", CODEBOOK)
    assert result.platform == "generic"
    assert "generic_layout" in [issue.code for issue in result.report.issues]
    assert result.frame[["VS1", "VS2", "LI1"]].iloc[0].tolist() == [4.0, 2.0, 1.0]


def test_export_from_an_unknown_tool_with_nothing_to_map_says_so() -> None:
    """A table about something else is read; the report says no column matched the codebook."""
    data = b"_uuid,_submission_time,favourite_colour\nabc,2024-01-01,blue\n"
    result = import_export(data, "kobo.csv", CODEBOOK)
    assert [issue.code for issue in result.report.errors] == ["no_items_mapped"]
    assert result.questions == ["_uuid", "_submission_time", "favourite_colour"]


def test_file_over_the_size_limit_is_refused_with_the_limit_named() -> None:
    """A file over the size limit is refused before reading, and the message names the limit."""
    data = small_generic_csv(200)
    with pytest.raises(ExportReadError) as caught:
        read_export(data, "big.csv", max_bytes=len(data) - 1)
    assert caught.value.code == "too_large"
    assert "largest export accepted" in caught.value.message


def test_default_size_limit_accepts_at_least_200_megabytes() -> None:
    """The documented limit is at least 200 MB (a statewide wave is about 60 MB)."""
    assert MAX_EXPORT_BYTES >= 200_000_000


@pytest.mark.slow
def test_sixty_megabyte_export_is_imported(tmp_path: Path) -> None:
    """A 60 MB Qualtrics-layout export (112,000 respondents) is read, mapped and recoded completely."""
    labels = np.array(["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"])
    rng = np.random.default_rng(60)
    n = 112_000
    items = CODEBOOK.items
    header_tags = ["StartDate", "Status", "Finished", "ResponseId", "IPAddress", "StaffID"]
    header_tags += [f"Q{i}" for i in range(len(items))]
    header_labels = ["Start Date", "Response Type", "Finished", "Response ID", "IP Address", "StaffID"]
    header_labels += [f'"Please rate - {item.text}"' for item in items]
    import_ids = [f'"{{""ImportId"":""{tag}""}}"' for tag in header_tags]
    codes = rng.integers(0, 5, size=(n, len(items)))
    yes_no = np.array(["Yes", "No"])
    columns = [
        labels[codes[:, j]] if CODEBOOK.scale_of(item.id).id == "agree5" else yes_no[codes[:, j] % 2]
        for j, item in enumerate(items)
    ]
    answers = [",".join(row) for row in zip(*columns, strict=True)]
    lines = [",".join(header_tags), ",".join(header_labels), ",".join(import_ids)]
    lines += [
        f"2026-04-13 09:00:00,IP Address,True,R_{k:010d},203.0.113.{k % 250},S{k:07d},{answers[k]}" for k in range(n)
    ]
    path = tmp_path / "statewide.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert path.stat().st_size > 60_000_000

    result = import_export(path.read_bytes(), path.name, CODEBOOK)
    assert result.report.errors == []
    assert result.kept == n
    assert len(result.mapping.items) == len(items)
    # The first respondent's VS1 answer, recoded by hand from the label written for it.
    assert result.frame.loc[0, "VS1"] == float(codes[0, 0] + 1)
    assert result.frame["VS1"].value_counts().sort_index().tolist() == np.bincount(codes[:, 0], minlength=5).tolist()
    assert result.dropped_personal_data == ["IP Address"]


def test_html_in_question_text_is_stripped_for_matching_and_display() -> None:
    """A header with HTML tags and entities maps by its plain text and is shown without the tags."""
    data = (
        b"<b>Which school</b> do you work in?,<p>Staff at my school share a clear picture of what we are trying "
        b"to achieve for students.</p>\nLincoln,Agree\n"
    )
    result = import_export(data, "html.csv", CODEBOOK)
    assert result.mapping.attributes == {"school": 0}
    assert result.mapping.items == {"VS1": 1}
    assert result.questions[0] == "Which school do you work in?"


def test_formula_and_html_answers_stay_plain_text_and_are_never_evaluated() -> None:
    """Formula-like and HTML answers stay the literal text in attributes, and are unknown labels in items."""
    data = (
        b"Which school do you work in?,What is your current role?,"
        b"Staff at my school share a clear picture of what we are trying to achieve for students.\n"
        b'"=HYPERLINK(""http://evil.example"",""click"")",<script>alert(1)</script>,=2+2\n'
        b"@SUM(A1:A2),+Teacher,Agree\n"
    )
    result = import_export(data, "hostile.csv", CODEBOOK)
    assert result.frame["school"].tolist() == ['=HYPERLINK("http://evil.example","click")', "@SUM(A1:A2)"]
    assert result.frame["role"].iloc[0] == "<script>alert(1)</script>"
    unknown = [issue for issue in result.report.errors if issue.code == "unknown_label"]
    assert [(issue.value, issue.count, issue.row) for issue in unknown] == [("=2+2", 1, 2)]
    assert np.isnan(result.frame.loc[0, "VS1"]) and result.frame.loc[1, "VS1"] == 4.0
    assert result.preview.loc[0, "school"] == '=HYPERLINK("http://evil.example","click")'


def test_formula_in_a_workbook_cell_is_read_as_its_text() -> None:
    """A workbook formula (=1+3) is read as the literal text, not its computed value, and reported."""
    data = workbook_bytes([["Staff ID", "VS1"], ["A1", "=1+3"], ["A2", "Agree"]])
    result = import_export(data, "formula.xlsx", CODEBOOK)
    unknown = [issue for issue in result.report.errors if issue.code == "unknown_label"]
    assert [issue.value for issue in unknown] == ["=1+3"]


def test_formula_in_a_header_is_a_plain_label() -> None:
    """A header written as a formula is kept as its literal text and maps to nothing."""
    data = b'Staff ID,"=HYPERLINK(""http://evil.example"",""VS1"")",VS2\nA1,Agree,Agree\n'
    result = import_export(data, "formula-header.csv", CODEBOOK)
    assert result.questions == ['=HYPERLINK("http://evil.example","VS1")', "VS2"]
    assert result.mapping.items == {"VS2": 2}
