"""Real exports written by others (folder `CLD_REAL_EXPORTS`, see real_exports.py) are read and reported right.

Every expected value below was derived by reading the file outside the importer: the rows with Python's ``csv``
module (``csv.reader`` on the decoded text, header rows counted by hand from the platform's layout), the
columns by printing the header rows, and the counts with ``collections.Counter`` on the named column. How each
number was found is written next to it. The files are about other topics (beskar armour, Star Wars, hot dogs),
so nothing maps to the collective-leadership codebook: the import reports that as an error and still says what
is in the file.
"""

from __future__ import annotations

import pytest
from real_exports import MISSING, REAL_EXPORTS  # tests/ is on sys.path when pytest collects
from test_import_layouts import QUALTRICS_PERSONAL

from survey_model.codebook import load_codebook
from survey_model.importers import import_export, read_export

pytestmark = pytest.mark.skipif(not REAL_EXPORTS.is_dir(), reason=MISSING)


def _import(relative: str, **options: bool):
    path = REAL_EXPORTS / relative
    return import_export(path.read_bytes(), path.name, load_codebook(), **options)


# Row 2 labels of the row-1 fields IPAddress, RecipientLastName, RecipientFirstName, RecipientEmail,
# ExternalReference, LocationLatitude, LocationLongitude (columns 4 and 10-15 of the file): the same seven labels
# the layout tests expect of a current Qualtrics export.
QUALTRICS_V3_PERSONAL = QUALTRICS_PERSONAL
LEGACY_PERSONAL = [
    # Row 2 of the legacy files (row 1 is V1..V10): Name, ExternalDataReference, EmailAddress, IPAddress, then the
    # three Location* columns at the end.
    "Name",
    "ExternalDataReference",
    "EmailAddress",
    "IPAddress",
    "LocationLatitude",
    "LocationLongitude",
    "LocationAccuracy",
]
MATRIX_QUESTIONS = [
    # Row 2, columns 11-26 of both QualtricsTools files (the 2016 and the legacy export of one survey). The
    # legacy file's sub-item of the text box reads "...-Click to write Statement 2-TEXT", the 2016 file repeats
    # "...-Click to write Statement 2" for it.
    "Click to write the question text-Click to write Statement 1",
    "Click to write the question text-Click to write Statement 2",
    "Click to write the question text-Click to write Statement 3",
    *[
        "Click to write the question text This question has variables given for its RecodeValues, aka, "
        f"Sca...-Click to write Statement {n}"
        for n in (1, 2, 3)
    ],
    *[
        "Click to write the question text This question has variables given for its Question Export Tags,"
        f"...-Click to write Statement {n}"
        for n in (1, 2, 3)
    ],
    *[
        "Click to write the question text This question has variables given for both its Choices and "
        f"Answe...-Click to write Statement {n}"
        for n in (1, 2, 3)
    ],
]
_MULTI = "This is a multiple answer likert matrix question with text entry and survey logic in two respecti...-"

EXPECTED = [
    pytest.param(
        "qualtrics/qualtrics_api_labels_previews.csv",
        {
            "platform": "qualtrics",
            "layout": "qualtrics_v3",
            # csv.reader gives 47 records (18 answers hold line breaks, so the file has more lines); minus the
            # 3 header rows = 44 responses. Counter(Status): IP Address 27, Survey Test 15, Survey Preview 2.
            # The 4 rows with Finished False are all "IP Address"; their answers to the 6 questions (Q63, Q16,
            # Q17, Q18, Q19, Q22) are 1, 4, 3 and 3 of 6, so only the first has fewer than half: partial 1.
            # Kept = 27 - 1 = 26.
            "rows_read": 44,
            "kept": 26,
            "excluded": {"preview": 2, "test": 15, "spam": 0, "blank": 0, "partial": 1},
            "questions": [
                "How often do you typically use your beskar armor?",
                "Overall, how satisfied are you with your beskar armor?",
                "Have you ever contacted customer service about your beskar armor?",
                "Have all problems been resolved to your complete satisfaction?",
                "Why not?",
                "If you would like to share any additional comments or experiences about your beskar armor, "
                "please enter them below.",
            ],
            "personal": QUALTRICS_V3_PERSONAL,
            "encoding": "utf-8",
            "respondent_id_column": "Response ID",
        },
        id="qualtrics-v3-previews-tests-partials",
    ),
    pytest.param(
        "qualtrics/qualtrics_sample_numeric_3row.csv",
        {
            "platform": "qualtrics",
            "layout": "qualtrics_v3",
            # 4 records: 3 header rows + 1 response with Status 0 and Finished 1.
            "rows_read": 1,
            "kept": 1,
            "excluded": {"preview": 0, "test": 0, "spam": 0, "blank": 0, "partial": 0},
            # Row 2 labels of Q1 and Q2; "Q2 - Topics" (ImportId ...Topics) is a Text iQ analytics column.
            "questions": ["This is a multiple choice question.", "This is a free text question."],
            # The same seven fields as above; row 2 is in German in this export.
            "personal": [
                "IP-Adresse",
                "Nachname des Empfängers",
                "Vorname des Empfängers",
                "E-Mail des Empfängers",
                "Externe Datenreferenz",
                "Breitengrad des Standorts",
                "Längengrad des Standorts",
            ],
            "encoding": "utf-8",
            "respondent_id_column": "Antwort-ID",
        },
        id="qualtrics-v3-german-labels",
    ),
    pytest.param(
        "qualtrics/qualtrics_sample_legacy_2row.csv",
        {
            "platform": "qualtrics",
            "layout": "qualtrics_legacy",
            # 3 records: V1.. row, names row, 1 response (Status 0, Finished 1). The file starts with EF BB BF.
            "rows_read": 1,
            "kept": 1,
            "excluded": {"preview": 0, "test": 0, "spam": 0, "blank": 0, "partial": 0},
            "questions": ["This is a multiple choice question.", "This is a free text question."],
            "personal": LEGACY_PERSONAL,
            "encoding": "utf-8-sig",
            "respondent_id_column": "ResponseID",
        },
        id="qualtrics-legacy-bom",
    ),
    pytest.param(
        "qualtrics/qualtrics_matrix_legacy_dupcols.csv",
        {
            "platform": "qualtrics",
            "layout": "qualtrics_legacy",
            # 7 records: 2 header rows + 5 responses, every one with Status 2 ("Generate test responses").
            "rows_read": 5,
            "kept": 0,
            "excluded": {"preview": 0, "test": 5, "spam": 0, "blank": 0, "partial": 0},
            "questions": [
                *MATRIX_QUESTIONS,
                f"{_MULTI}Click to write Statement 1",
                f"{_MULTI}Click to write Statement 2",
                f"{_MULTI}Click to write Statement 2-TEXT",
                f"{_MULTI}Click to write Statement 3",
            ],
            "personal": LEGACY_PERSONAL,
            "encoding": "utf-8-sig",
            "respondent_id_column": "ResponseID",
        },
        id="qualtrics-legacy-duplicate-names",
    ),
    pytest.param(
        "qualtrics/qualtrics_matrix_2016_insights.csv",
        {
            "platform": "qualtrics",
            "layout": "qualtrics_2016",
            # 8 records: 3 header rows + 5 responses, all Status 2.
            "rows_read": 5,
            "kept": 0,
            "excluded": {"preview": 0, "test": 5, "spam": 0, "blank": 0, "partial": 0},
            "questions": [
                *MATRIX_QUESTIONS,
                f"{_MULTI}Click to write Statement 1",
                f"{_MULTI}Click to write Statement 2",
                f"{_MULTI}Click to write Statement 2",
                f"{_MULTI}Click to write Statement 3",
            ],
            # Row 1 of the 2016 layout: IPAddress, RecipientLastName, RecipientFirstName, RecipientEmail,
            # ExternalDataReference, and the three Location* columns.
            "personal": [
                "IPAddress",
                "RecipientLastName",
                "RecipientFirstName",
                "RecipientEmail",
                "ExternalDataReference",
                "LocationLatitude",
                "LocationLongitude",
                "LocationAccuracy",
            ],
            "encoding": "utf-8",
            "respondent_id_column": "ResponseID",
        },
        id="qualtrics-2016-dict-importids",
    ),
    pytest.param(
        "surveymonkey/surveymonkey_starwars.csv",
        {
            "platform": "surveymonkey",
            "layout": "surveymonkey",
            # Not UTF-8 (strict decoding fails); as Windows-1252 csv.reader gives 1188 records of 38 fields:
            # 2 header rows + 1186 responses, 1186 distinct RespondentIDs, none without an answer.
            "rows_read": 1186,
            "kept": 1186,
            "excluded": {"preview": 0, "test": 0, "spam": 0, "blank": 0, "partial": 0},
            "questions_count": 37,  # 38 columns minus RespondentID
            "questions_sample": {
                0: "Have you seen any of the 6 films in the Star Wars franchise?",
                # Row 1 is blank over columns 4-8: the question of column 3 is carried forward. Row 2 holds the
                # film (with a double space in the file, shown as one).
                3: "Which of the following Star Wars films have you seen? Please select all that apply. - "
                "Star Wars: Episode II Attack of the Clones",
                14: "Please state whether you view the following characters favorably, unfavorably, or are "
                "unfamiliar with him/her. - Han Solo",
                36: "Location (Census Region)",  # a question about the region, not a tracked location
            },
            "personal": [],
            "encoding": "cp1252",
            "respondent_id_column": "RespondentID",
        },
        id="surveymonkey-cp1252-carried-forward",
    ),
    pytest.param(
        "surveymonkey/surveymonkey_steak_html_in_header.csv",
        {
            "platform": "surveymonkey",
            "layout": "surveymonkey",
            # 552 records of 15 fields: 2 header rows + 550 responses.
            "rows_read": 550,
            "kept": 550,
            "excluded": {"preview": 0, "test": 0, "spam": 0, "blank": 0, "partial": 0},
            "questions_count": 14,
            "questions_sample": {
                # Row 1, column 1 holds "<br>" tags: shown without them.
                0: "Consider the following hypothetical situations: In Lottery A, you have a 50% chance of success, "
                "with a payout of $100. In Lottery B, you have a 90% chance of success, with a payout of $20. "
                "Assuming you have $10 to bet, would you play Lottery A or Lottery B?",
                8: "How do you like your steak prepared?",
            },
            "personal": [],
            "encoding": "utf-8",
            "respondent_id_column": "RespondentID",
        },
        id="surveymonkey-html-in-question",
    ),
    pytest.param(
        "google-forms/google_forms_excel_resaved.csv",
        {
            "platform": "google_forms",
            "layout": "google_forms",
            # 92 records of 7 fields: the header + 91 responses; Timestamp like "1/18/2024 14:18".
            "rows_read": 91,
            "kept": 91,
            "excluded": {"preview": 0, "test": 0, "spam": 0, "blank": 0, "partial": 0},
            "questions": [
                "Do you believe that a hotdog falls under the category of a sandwich?",
                "What is the rationale behind your opinion?",
                "Are you currently enrolled as an undergraduate or graduate student at the University of Virginia?",
                "What is your field of study or major?",
                "If you are an undergraduate, what is your current academic year?",
                "What state or country were you born in?",
            ],
            "personal": [],
            "encoding": "utf-8",
            "respondent_id_column": "",
        },
        id="google-forms-excel-resaved",
    ),
    pytest.param(
        "google-forms/google_forms_grid.csv",
        {
            "platform": "google_forms",
            "layout": "google_forms",
            # 9 CRLF records: the header + 8 responses, each with at least one ranking.
            "rows_read": 8,
            "kept": 8,
            "excluded": {"preview": 0, "test": 0, "spam": 0, "blank": 0, "partial": 0},
            "questions": [
                f"What is your favorite season? [{season}]" for season in ("Spring", "Summer", "Autumn", "Winter")
            ],
            "personal": [],
            "encoding": "utf-8",
            "respondent_id_column": "",
        },
        id="google-forms-grid",
    ),
    pytest.param(
        "ms-forms/ms_forms_csv_cp1252.csv",
        {
            "platform": "ms_forms",
            "layout": "ms_forms",
            # Byte 0x92 makes strict UTF-8 fail; as Windows-1252: 188 records of 8 fields, header + 187
            # responses with Ids 1..187, Email "anonymous" and Name blank in every one.
            "rows_read": 187,
            "kept": 187,
            "excluded": {"preview": 0, "test": 0, "spam": 0, "blank": 0, "partial": 0},
            "questions": ["Is a hotdog a sandwich", "Are you a UVA undergraduate student", "What is your major?"],
            "personal": ["Email", "Name"],
            "encoding": "cp1252",
            "respondent_id_column": "Id",
        },
        id="ms-forms-cp1252",
    ),
]


@pytest.mark.parametrize(("relative", "expected"), EXPECTED)
def test_real_export_is_recognised_cleaned_and_counted(relative: str, expected: dict) -> None:
    """Each real export: platform, layout, encoding, respondents kept and left out, questions, personal data dropped."""
    result = _import(relative)
    assert (result.platform, result.layout, result.encoding) == (
        expected["platform"],
        expected["layout"],
        expected["encoding"],
    )
    assert result.rows_read == expected["rows_read"]
    assert result.kept == expected["kept"]
    assert len(result.frame) == expected["kept"]
    assert result.excluded == expected["excluded"]
    if "questions" in expected:
        assert result.questions == expected["questions"]
    else:
        assert len(result.questions) == expected["questions_count"]
        for index, label in expected["questions_sample"].items():
            assert result.questions[index] == label
    assert result.dropped_personal_data == expected["personal"]
    assert result.respondent_id_column == expected["respondent_id_column"]


@pytest.mark.parametrize(("relative", "expected"), EXPECTED)
def test_real_export_of_another_survey_reports_nothing_mapped_without_crashing(relative: str, expected: dict) -> None:
    """An export of another survey maps no item: one clear error, the rest of the report intact."""
    result = _import(relative)
    codes = [issue.code for issue in result.report.errors]
    assert "no_items_mapped" in codes
    assert result.mapping.items == {}
    assert result.report.counts["rows_read"] == expected["rows_read"]


def test_qualtrics_partials_all_left_out_when_keeping_partials_is_off() -> None:
    """keep_partial=False leaves out all 4 unfinished Beskar responses (Finished False), keeping 27 - 4 = 23."""
    result = _import("qualtrics/qualtrics_api_labels_previews.csv", keep_partial=False)
    assert result.excluded["partial"] == 4
    assert result.kept == 23


def test_qualtrics_tests_and_previews_kept_when_asked() -> None:
    """exclude_tests=False keeps the 15 test and 2 preview rows (all Finished True): 26 + 17 = 43 kept."""
    result = _import("qualtrics/qualtrics_api_labels_previews.csv", exclude_tests=False)
    assert result.kept == 43
    assert result.excluded == {"preview": 0, "test": 0, "spam": 0, "blank": 0, "partial": 1}


def test_qualtrics_answers_with_line_breaks_stay_one_cell() -> None:
    """The Beskar answer 'Yes, by the tribe or its representatives' keeps its two trailing line breaks in one cell."""
    raw = read_export((REAL_EXPORTS / "qualtrics/qualtrics_api_labels_previews.csv").read_bytes(), "beskar.csv")
    q18 = next(column for column in raw.columns if column.name == "Q18")
    assert "Yes, by the tribe or its representatives \n\n" in raw.rows[q18.key].tolist()
    # csv.reader found 18 cells with a line break among the 44 responses.
    assert sum(value.count("\n") > 0 for key in raw.rows for value in raw.rows[key]) == 18


def test_legacy_duplicate_names_are_addressed_by_position_and_trailing_column_dropped() -> None:
    """Row 1 repeats question_one three times; each keeps its own column, and the empty 30th column is dropped."""
    raw = read_export((REAL_EXPORTS / "qualtrics/qualtrics_matrix_legacy_dupcols.csv").read_bytes(), "legacy.csv")
    repeated = [column for column in raw.columns if column.name == "question_one"]
    assert [column.position for column in repeated] == [16, 19, 22]
    assert len(raw.columns) == 29  # 30 fields per line, the last one empty in every row
    # Fields 17, 20 and 23 (1-based) of the first data line are 1, 10 and 13.
    assert [raw.rows[column.key].iloc[0] for column in repeated] == ["1", "10", "13"]


def test_qualtrics_2016_labels_split_into_question_and_statement() -> None:
    """A 2016 label 'Question-Statement' is split at the dash its matrix neighbours share; the ImportId is kept."""
    raw = read_export((REAL_EXPORTS / "qualtrics/qualtrics_matrix_2016_insights.csv").read_bytes(), "insights.csv")
    column = next(column for column in raw.columns if column.name == "Q2_1")
    assert column.question == "Click to write the question text"
    assert column.sub_item == "Click to write Statement 1"
    assert column.import_id == "QID2-1"


def test_google_grid_columns_split_into_question_and_row() -> None:
    """'What is your favorite season? [Summer]' is question 'What is your favorite season?' and row 'Summer'."""
    raw = read_export((REAL_EXPORTS / "google-forms/google_forms_grid.csv").read_bytes(), "grid.csv")
    summer = raw.columns[2]
    assert (summer.question, summer.sub_item) == ("What is your favorite season?", "Summer")
    # Row 5 of the file (the 4th response) answered only Spring: "3/4/2022 0:42:06,1st,,,".
    assert raw.rows.iloc[3].tolist() == ["3/4/2022 0:42:06", "1st", "", "", ""]


def test_windows_1252_file_is_read_with_a_warning() -> None:
    """The MS Forms CSV re-saved by Excel is decoded as Windows-1252 and the report says so."""
    result = _import("ms-forms/ms_forms_csv_cp1252.csv")
    assert "not_utf8" in [issue.code for issue in result.report.warnings]
