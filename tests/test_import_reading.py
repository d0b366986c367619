"""Reading exports: encodings, line ends, delimiters, quoted line breaks, repeated names, workbooks, layouts."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from survey_model.importers import read_export


def workbook(*sheets: tuple[str, list[list[object]], str]) -> bytes:
    """A workbook with (title, rows, state) sheets in order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cells(raw) -> list[list[str]]:
    return [list(row) for row in raw.rows.itertuples(index=False, name=None)]


def test_utf8_byte_order_mark_is_removed() -> None:
    """A UTF-8 BOM is not part of the first header."""
    raw = read_export("\ufeffStaff ID,Rôle\nA1,Enseignant\n".encode(), "bom.csv")
    assert raw.encoding == "utf-8-sig"
    assert [column.label for column in raw.columns] == ["Staff ID", "Rôle"]


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_utf16_text_is_decoded(encoding: str, reported: str) -> None:
    """UTF-16 with a byte-order mark, and without one (told by its zero bytes), is decoded; tabs are the delimiter."""
    text = "Staff ID\tWhat is your current role?\nA1\tTeacher\nA2\tAdministrator\n"
    raw = read_export(text.encode(encoding), "export.tsv")
    assert raw.encoding == reported
    assert raw.delimiter == "\t"
    assert cells(raw) == [["A1", "Teacher"], ["A2", "Administrator"]]


def test_windows_1252_is_read_with_a_warning() -> None:
    """Bytes that are not UTF-8 are read as Windows-1252 (0x92 is a right single quote) with a warning."""
    raw = read_export(b"Name of school,Answer\nSt. Mary\x92s,Agree\n", "cp1252.csv")
    assert raw.encoding == "cp1252"
    assert cells(raw) == [["St. Mary’s", "Agree"]]
    assert [issue.code for issue in raw.report.warnings] == ["not_utf8"]


def test_windows_1252_byte_after_the_first_64_kilobytes_is_still_caught() -> None:
    """A file that is plain ASCII for 100 kB and then has byte 0xE9 is read as Windows-1252 ('é')."""
    lines = [b"Staff ID,School"] + [b"A%05d,Lincoln" % n for n in range(8000)] + [b"Z1,Ecole R\xe9publique"]
    raw = read_export(b"\n".join(lines) + b"\n", "late.csv")
    assert raw.encoding == "cp1252"
    assert raw.rows.iloc[-1].tolist() == ["Z1", "Ecole République"]
    assert len(raw.rows) == 8001


def test_carriage_return_only_line_ends() -> None:
    """Old Mac / Excel CR-only line ends give one row per response."""
    raw = read_export(b"Staff ID,Answer\rA1,Agree\rA2,Disagree\r", "cr.csv")
    assert cells(raw) == [["A1", "Agree"], ["A2", "Disagree"]]


def test_line_breaks_inside_quoted_answers_stay_in_the_cell() -> None:
    """A quoted answer with CRLF and LF line breaks inside stays one cell of one response."""
    raw = read_export(b'Staff ID,Comment\r\nA1,"first line\r\nsecond\nthird"\r\nA2,short\r\n', "breaks.csv")
    assert cells(raw) == [["A1", "first line\r\nsecond\nthird"], ["A2", "short"]]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Staff ID;Role;Comment\nA1;Teacher;yes, really\nA2;Administrator;no\n", ";"),
        ("Staff ID\tRole\tComment\nA1\tTeacher\tyes, really\nA2\tAdministrator\tno\n", "\t"),
        ('Staff ID,Role,Comment\nA1,Teacher,"yes, really"\nA2,Administrator,no\n', ","),
    ],
    ids=["semicolon", "tab", "comma"],
)
def test_delimiter_is_sniffed(text: str, delimiter: str) -> None:
    """Semicolon, tab and comma files give the same table, commas inside answers untouched."""
    raw = read_export(text.encode(), "export.csv")
    assert raw.delimiter == delimiter
    assert cells(raw) == [["A1", "Teacher", "yes, really"], ["A2", "Administrator", "no"]]


def test_repeated_column_names_are_addressed_by_position() -> None:
    """Two columns named 'Comment' stay two columns, c1 and c2, with their own values."""
    raw = read_export(b"Staff ID,Comment,Comment\nA1,first,second\n", "dup.csv")
    assert [(c.key, c.label) for c in raw.columns] == [("c0", "Staff ID"), ("c1", "Comment"), ("c2", "Comment")]
    assert raw.rows["c2"].tolist() == ["second"]


def test_trailing_empty_columns_are_dropped() -> None:
    """Columns with no header and no value at the end of every row (Excel's ',,,') are dropped."""
    raw = read_export(b"Staff ID,Answer,,\nA1,Agree,,\nA2,Disagree,,\n", "trailing.csv")
    assert [c.label for c in raw.columns] == ["Staff ID", "Answer"]
    assert raw.rows.shape == (2, 2)


def test_empty_rows_are_not_responses() -> None:
    """Rows of empty cells (',,' lines) are left out; their neighbours keep their row numbers."""
    raw = read_export(b"Staff ID,Answer\nA1,Agree\n,\nA2,Disagree\n,\n", "gaps.csv")
    assert cells(raw) == [["A1", "Agree"], ["A2", "Disagree"]]
    assert [raw.spreadsheet_row(index) for index in raw.rows.index] == [2, 4]


def test_ragged_rows_are_padded() -> None:
    """A row with fewer fields than the header is read with blanks for the missing ones."""
    raw = read_export(b"Staff ID,Role,Answer\nA1,Teacher,Agree\nA2\n", "ragged.csv")
    assert cells(raw) == [["A1", "Teacher", "Agree"], ["A2", "", ""]]


def test_workbook_first_visible_sheet_is_read() -> None:
    """A Microsoft Forms workbook's very hidden first sheet is skipped; the visible Form1 sheet is read."""
    data = workbook(
        ("_56F9DC9755BA473782653E2940F9", [["form id", "abc"]], "veryHidden"),
        ("Hidden notes", [["secret"]], "hidden"),
        (
            "Form1",
            [["ID", "Start time", "Completion time", "Email", "Name", "Answer"], [1, None, None, "a", "", "Y"]],
            "visible",
        ),
        ("Sheet2", [["other"]], "visible"),
    )
    raw = read_export(data, "forms.xlsx")
    assert raw.sheet == "Form1"
    assert raw.platform == "ms_forms"
    assert raw.encoding == "xlsx"


def test_workbook_cells_come_back_as_text() -> None:
    """Whole numbers lose '.0', decimals keep their digits, dates become ISO text, booleans TRUE/FALSE."""
    data = workbook(
        (
            "Sheet1",
            [
                ["Staff ID", "Score", "Share", "Started", "Consent", "Day"],
                [10045, 4.0, 0.25, dt.datetime(2024, 1, 18, 14, 18, 57), True, dt.date(2024, 1, 18)],
            ],
            "visible",
        )
    )
    raw = read_export(data, "typed.xlsx")
    assert cells(raw) == [["10045", "4", "0.25", "2024-01-18 14:18:57", "TRUE", "2024-01-18"]]


def test_excel_date_serials_in_date_columns_become_dates() -> None:
    """A Start time stored as the serial 45309.59 reads as 2024-01-18 14:09:36 (45292 is 2024-01-01; 0.59 d)."""
    data = workbook(
        (
            "Form1",
            [
                ["ID", "Start time", "Completion time", "Email", "Name", "Answer"],
                [1, 45309.59, 45309.6, "anonymous", "", "Yes"],
            ],
            "visible",
        )
    )
    raw = read_export(data, "serials.xlsx")
    assert raw.rows["c1"].tolist() == ["2024-01-18 14:09:36"]
    assert raw.rows["c2"].tolist() == ["2024-01-18 14:24:00"]  # 0.6 d = 14.4 h
    assert raw.rows["c5"].tolist() == ["Yes"]


def test_serial_like_numbers_outside_date_columns_are_left_alone() -> None:
    """A number such as 45309 in an answer column is not turned into a date."""
    raw = read_export(b"Staff ID,Postcode\nA1,45309\n", "numbers.csv")
    assert raw.rows["c1"].tolist() == ["45309"]


def test_platform_comes_from_the_content_not_the_file_name() -> None:
    """A Google Forms CSV named like a SurveyMonkey workbook is still read as Google Forms CSV."""
    raw = read_export(b"Timestamp,Question\n4/15/2024 9:03:11,Yes\n", "surveymonkey_export.xlsx")
    assert (raw.platform, raw.encoding) == ("google_forms", "utf-8")


@pytest.mark.parametrize(
    ("text", "layout", "header_rows"),
    [
        (
            'Q1,Q2\nQuestion one,Question two\n"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}"\n1,2\n',
            "qualtrics_v3",
            3,
        ),
        ("Q1,Q2\nQuestion one,Question two\n{'ImportId': 'QID1'},{'ImportId': 'QID2'}\n1,2\n", "qualtrics_2016", 3),
        ("V1,V2,Q1\nResponseID,ResponseSet,Question one\nR_1,Default,1\n", "qualtrics_legacy", 2),
        ("StartDate,EndDate,Status,ResponseId,Q1\n2024-01-01,2024-01-01,0,R_1,1\n", "qualtrics_headers_stripped", 1),
        ("Respondent ID,Collector ID,Question\n,,Response\n114,42,Yes\n", "surveymonkey", 2),
        ("Respondent ID,Collector ID,Question\n114,42,Yes\n115,42,No\n", "surveymonkey", 1),
        ("ID,Start time,Completion time,Email,Name,Question\n1,x,y,anonymous,,Yes\n", "ms_forms", 1),
        ("Marca temporal,Pregunta\n15/4/2024 9:03:11,Sí\n", "google_forms", 1),
        ("Staff ID,Question\nA1,Yes\n", "generic", 1),
    ],
    ids=["v3", "2016", "legacy", "stripped", "surveymonkey", "surveymonkey-row2-deleted", "ms", "google-es", "plain"],
)
def test_layout_and_header_rows_are_detected(text: str, layout: str, header_rows: int) -> None:
    """Each layout is told apart by its header rows, and its responses start after them."""
    raw = read_export(text.encode(), "export.csv")
    assert (raw.layout, raw.header_rows) == (layout, header_rows)
    assert len(raw.rows) == (2 if layout == "surveymonkey" and header_rows == 1 else 1)


def test_surveymonkey_question_text_is_carried_over_blank_header_cells() -> None:
    """Row 1 names a matrix once; its other columns take the text, row 2 gives each statement."""
    text = "Respondent ID,Please rate,,Comment\n,Statement A,Statement B,Open-Ended Response\n1,Agree,Disagree,ok\n"
    raw = read_export(text.encode(), "sm.csv")
    assert [(c.question, c.sub_item, c.label) for c in raw.columns[1:]] == [
        ("Please rate", "Statement A", "Please rate - Statement A"),
        ("Please rate", "Statement B", "Please rate - Statement B"),
        ("Comment", "", "Comment"),
    ]


def test_qualtrics_import_ids_and_matrix_labels_are_parsed() -> None:
    """Row 3 JSON gives the ImportId; row 2 'Question - Statement' gives question and sub-item."""
    text = (
        "Q5_1\nHow much do you agree? - Staff trust one another\n"
        '"{""ImportId"":""QID5_1"",""timeZone"":""America/Denver""}"\nAgree\n'
    )
    column = read_export(text.encode(), "q.csv").columns[0]
    assert (column.name, column.import_id) == ("Q5_1", "QID5_1")
    assert (column.question, column.sub_item) == ("How much do you agree?", "Staff trust one another")
