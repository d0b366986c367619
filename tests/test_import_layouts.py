"""Exports of the default instrument in every platform layout map with no manual step and recode exactly.

Four fictional educators answer the collective-leadership survey. Each layout builder below writes their answers
the way the platform does (header rows, metadata, personal data, grids), and the import must give back the values
of the hand-made table ``EXPECTED_VALUES``: the agreement labels are 1–5 as printed on the scale, "Prefer not to
answer"/"Don't know" are −1, blanks NaN, and reverse-worded items are left as answered.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import numpy as np
import openpyxl
import pytest

from survey_model.codebook import load_codebook
from survey_model.demo.platforms import QUALTRICS_METADATA, SURVEYMONKEY_METADATA
from survey_model.importers import import_export

CODEBOOK = load_codebook()
AGREE_ITEMS = [item for item in CODEBOOK.items if item.scale == "agree5"]
ATTRIBUTES = CODEBOOK.attributes
MATRIX = "How much do you agree or disagree with each statement about your school?"
LEADER_MATRIX = "How much do you agree with each statement about yourself?"

PEOPLE = [
    {
        "staff_id": "T-001",
        "school": "Lincoln Elementary",
        "school_level": "Elementary",
        "role": "Teacher",
        "years_in_education": "4-6 years",
        "years_at_school": "2-3 years",
        "leadership_team": "No",
        "gender": "Woman",
        "race_ethnicity": "Hispanic or Latino",
        "default": "Agree",
        "answers": {"VS4": "Strongly disagree", "SI4": "Disagree"},
        "LI1": "Yes",
        "FLR": "No",
    },
    {
        "staff_id": "T-002",
        "school": "Lincoln Elementary",
        "school_level": "Elementary",
        "role": "Administrator",
        "years_in_education": "More than 20 years",
        "years_at_school": "7-10 years",
        "leadership_team": "Yes",
        "gender": "Prefer not to answer",
        "race_ethnicity": "White",
        "default": "Strongly agree",
        "answers": {"VS1": "Prefer not to answer", "VS2": ""},
        "LI1": "Not sure",
        "FLR": "Yes",
    },
    {
        "staff_id": "T-003",
        "school": "Roosevelt High",
        "school_level": "High",
        "role": "Teacher",
        "years_in_education": "First year",
        "years_at_school": "First year",
        "leadership_team": "No",
        "gender": "Man",
        "race_ethnicity": "",
        "default": "Neither agree nor disagree",
        "answers": {"CR1": "Don't know", "LI2": ""},
        "LI1": "No",
        "FLR": "No",
    },
    {
        "staff_id": "T-004",
        "school": "Roosevelt High",
        "school_level": "High",
        "role": "Instructional coach or specialist",
        "years_in_education": "11-20 years",
        "years_at_school": "4-6 years",
        "leadership_team": "Yes",
        "gender": "Non-binary",
        "race_ethnicity": "Black or African American",
        "default": "Disagree",
        "answers": {"OI4": "Strongly agree", "RN4": "Strongly agree"},
        "LI1": "Yes",
        "FLR": "Yes",
    },
]

# The scales as printed in the codebook, by hand: the numbers the frame must hold.
AGREE_VALUE = {
    "Strongly disagree": 1.0,
    "Disagree": 2.0,
    "Neither agree nor disagree": 3.0,
    "Agree": 4.0,
    "Strongly agree": 5.0,
    "Prefer not to answer": -1.0,
    "Don't know": -1.0,
    "": math.nan,
}
LI1_VALUE = {"Yes": 1.0, "No": 2.0, "Not sure": 3.0}
FLR_VALUE = {"Yes": 1.0, "No": 2.0}


def answer(person: dict, item_id: str) -> str:
    """The label a person chose for an item."""
    if item_id in ("LI1", "FLR"):
        return person[item_id]
    return person["answers"].get(item_id, person["default"])


EXPECTED_VALUES = {
    item.id: [
        (LI1_VALUE if item.id == "LI1" else FLR_VALUE if item.id == "FLR" else AGREE_VALUE)[answer(p, item.id)]
        for p in PEOPLE
    ]
    for item in CODEBOOK.items
}
EXPECTED_ATTRIBUTES = {
    attribute.id: [None if p[attribute.id] in ("", "Prefer not to answer") else p[attribute.id] for p in PEOPLE]
    for attribute in ATTRIBUTES
}


# ---------------------------------------------------------------------------------------------------------------
# Layout builders: rows of text, written as CSV/TSV or XLSX.


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], *, hidden_first: bool = False, merges: tuple[str, ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if hidden_first:
        sheet.title = "_56F9DC9755BA473782653E2940F9"
        sheet.append(["form id"])
        sheet.sheet_state = "veryHidden"
        sheet = workbook.create_sheet("Form1")
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


QUALTRICS_PERSONAL = [
    "IP Address",
    "Recipient Last Name",
    "Recipient First Name",
    "Recipient Email",
    "External Data Reference",
    "Location Latitude",
    "Location Longitude",
]


def qualtrics_rows(*, numeric: bool = False, staff_id: bool = True, extra: list[dict] = ()) -> list[list[str]]:
    """Three header rows (tags, labels, ImportId JSON), metadata first, embedded StaffID last."""
    tags = [tag for tag, _, _ in QUALTRICS_METADATA]
    labels = [label for _, label, _ in QUALTRICS_METADATA]
    import_ids = [f'{{"ImportId":"{iid}"}}' for _, _, iid in QUALTRICS_METADATA]
    for number, attribute in enumerate(ATTRIBUTES, start=1):
        tags.append(f"Q{number}")
        labels.append(attribute.question)
        import_ids.append(f'{{"ImportId":"QID{number}"}}')
    for block, condition in enumerate(CODEBOOK.conditions, start=10):
        for row, item in enumerate(CODEBOOK.items_for(condition.id), start=1):
            tags.append(f"Q{block}_{row}")
            labels.append(f"{MATRIX} - {item.text}")
            import_ids.append(f'{{"ImportId":"QID{block}_{row}"}}')
    tags += ["Q30", "Q31_1", "Q31_2", "Q31_3", "Q32"]
    labels += [
        CODEBOOK.item("LI1").text,
        *[f"{LEADER_MATRIX} - {CODEBOOK.item(i).text}" for i in ("LI2", "LI3", "LI4")],
        CODEBOOK.item("FLR").text,
    ]
    import_ids += [f'{{"ImportId":"{q}"}}' for q in ("QID30", "QID31_1", "QID31_2", "QID31_3", "QID32")]
    if staff_id:
        tags.append("StaffID")
        labels.append("StaffID")
        import_ids.append('{"ImportId":"StaffID"}')
    rows = [tags, labels, import_ids]
    for number, person in enumerate([*PEOPLE, *extra], start=1):
        meta = {
            "StartDate": "2026-04-13 09:00:00",
            "EndDate": "2026-04-13 09:12:00",
            "Status": person.get("status", "IP Address"),
            "IPAddress": f"192.0.2.{number}",
            "Progress": "100",
            "Duration (in seconds)": "720",
            "Finished": person.get("finished", "True"),
            "RecordedDate": "2026-04-13 09:12:00",
            "ResponseId": f"R_{number:04d}",
            "RecipientLastName": "Doe",
            "RecipientFirstName": "Jo",
            "RecipientEmail": f"person{number}@example.org",
            "ExternalReference": "",
            "LocationLatitude": "41.88",
            "LocationLongitude": "-87.63",
            "DistributionChannel": person.get("channel", "anonymous"),
            "UserLanguage": "EN",
        }
        row = [meta[tag] for tag, _, _ in QUALTRICS_METADATA]
        row += [person[attribute.id] for attribute in ATTRIBUTES]
        for condition in CODEBOOK.conditions:
            row += [_label(person, item.id, numeric) for item in CODEBOOK.items_for(condition.id)]
        row += [_label(person, item_id, numeric) for item_id in ("LI1", "LI2", "LI3", "LI4", "FLR")]
        if staff_id:
            row.append(person["staff_id"])
        rows.append(row)
    return rows


def _label(person: dict, item_id: str, numeric: bool) -> str:
    label = answer(person, item_id)
    if not numeric or not label:
        return label
    if label in ("Prefer not to answer", "Don't know"):
        return "-99"
    scale = CODEBOOK.scale_of(item_id)
    return str(next(option.value for option in scale.options if option.label == label))


def surveymonkey_rows() -> tuple[list[list[object]], tuple[str, ...]]:
    """Two header rows: question text once over its columns, then Response / statement; and the merged ranges."""
    top: list[object] = list(SURVEYMONKEY_METADATA)
    second: list[object] = [""] * len(SURVEYMONKEY_METADATA)
    merges = []
    top.append("Staff ID")
    second.append("Open-Ended Response")
    for attribute in ATTRIBUTES:
        top.append(attribute.question)
        second.append("Response")
    blocks = [CODEBOOK.items_for(condition.id) for condition in CODEBOOK.conditions]
    blocks.append(tuple(CODEBOOK.item(i) for i in ("LI2", "LI3", "LI4")))
    single = {"LI1": CODEBOOK.item("LI1"), "FLR": CODEBOOK.item("FLR")}
    order: list[str] = []
    for index, block in enumerate(blocks):
        if index == len(blocks) - 1:
            top.append(single["LI1"].text)
            second.append("Response")
            order.append("LI1")
        start = len(top) + 1
        for position, item in enumerate(block):
            top.append((LEADER_MATRIX if index == len(blocks) - 1 else MATRIX) if position == 0 else "")
            second.append(item.text)
            order.append(item.id)
        merges.append(f"{_letter(start)}1:{_letter(start + len(block) - 1)}1")
    top.append(single["FLR"].text)
    second.append("Response")
    order.append("FLR")
    rows: list[list[object]] = [top, second]
    for number, person in enumerate(PEOPLE, start=1):
        row: list[object] = [
            114000000000 + number,
            4321,
            dt.datetime(2025, 4, 14, 9, number),
            dt.datetime(2025, 4, 14, 9, 10 + number),
            f"198.51.100.{number}",
            f"person{number}@example.org",
            "Jo",
            "Doe",
            "",
            person["staff_id"],
        ]
        row += [person[attribute.id] for attribute in ATTRIBUTES]
        row += [answer(person, item_id) for item_id in order]
        rows.append(row)
    return rows, tuple(merges)


def _letter(column: int) -> str:
    return openpyxl.utils.get_column_letter(column)


def google_rows(*, typed_times: bool = False) -> list[list[object]]:
    """One header row: Timestamp, Email Address, questions by text, grids as 'Question [Statement]'."""
    header: list[object] = ["Timestamp", "Email Address", "Staff ID"]
    header += [attribute.question for attribute in ATTRIBUTES]
    header += [f"{MATRIX} [{item.text}]" for item in CODEBOOK.condition_items]
    header.append(CODEBOOK.item("LI1").text)
    header += [f"{LEADER_MATRIX} [{CODEBOOK.item(i).text}]" for i in ("LI2", "LI3", "LI4")]
    header.append(CODEBOOK.item("FLR").text)
    order = [item.id for item in CODEBOOK.condition_items] + ["LI1", "LI2", "LI3", "LI4", "FLR"]
    rows: list[list[object]] = [header]
    for number, person in enumerate(PEOPLE, start=1):
        stamp: object = dt.datetime(2024, 4, 15, 9, 3, number) if typed_times else f"4/15/2024 9:03:{number:02d}"
        row = [stamp, f"person{number}@example.org", person["staff_id"]]
        row += [person[attribute.id] for attribute in ATTRIBUTES]
        row += [answer(person, item_id) for item_id in order]
        rows.append(row)
    return rows


def ms_forms_rows() -> list[list[object]]:
    """ID, Start time, Completion time, Email, Name, then each question; a Likert statement is its own column."""
    header: list[object] = ["ID", "Start time", "Completion time", "Email", "Name"]
    header += [attribute.question for attribute in ATTRIBUTES]
    header += [item.text for item in CODEBOOK.items]
    rows: list[list[object]] = [header]
    for number, person in enumerate(PEOPLE, start=1):
        row: list[object] = [number, dt.datetime(2025, 1, 5, 8, number), dt.datetime(2025, 1, 5, 8, 20 + number)]
        row += ["anonymous", ""]
        row += [person[attribute.id] for attribute in ATTRIBUTES]
        row += [answer(person, item.id) for item in CODEBOOK.items]
        rows.append(row)
    return rows


def generic_rows() -> list[list[str]]:
    """A partner's own spreadsheet: Staff ID, attributes by their label, items by their id."""
    header = ["Staff ID", *[attribute.label for attribute in ATTRIBUTES], *CODEBOOK.item_ids]
    rows = [header]
    for person in PEOPLE:
        rows.append(
            [person["staff_id"], *[person[a.id] for a in ATTRIBUTES], *[answer(person, i) for i in CODEBOOK.item_ids]]
        )
    return rows


LAYOUTS = {
    "qualtrics-csv": (lambda: csv_bytes(qualtrics_rows()), "wave.csv", "qualtrics", "qualtrics_v3", "StaffID"),
    "qualtrics-tsv-utf16": (
        lambda: csv_bytes(qualtrics_rows(), delimiter="\t", encoding="utf-16"),
        "wave.tsv",
        "qualtrics",
        "qualtrics_v3",
        "StaffID",
    ),
    "qualtrics-xlsx": (lambda: xlsx_bytes(qualtrics_rows()), "wave.xlsx", "qualtrics", "qualtrics_v3", "StaffID"),
    "surveymonkey-csv": (
        lambda: csv_bytes([[_text(c) for c in row] for row in surveymonkey_rows()[0]]),
        "wave.csv",
        "surveymonkey",
        "surveymonkey",
        "Staff ID",
    ),
    "surveymonkey-xlsx": (
        lambda: xlsx_bytes(surveymonkey_rows()[0], merges=surveymonkey_rows()[1]),
        "wave.xlsx",
        "surveymonkey",
        "surveymonkey",
        "Staff ID",
    ),
    "google-forms-csv": (
        lambda: csv_bytes([[_text(c) for c in row] for row in google_rows()]),
        "wave.csv",
        "google_forms",
        "google_forms",
        "Staff ID",
    ),
    "google-forms-xlsx": (
        lambda: xlsx_bytes(google_rows(typed_times=True)),
        "Form Responses 1.xlsx",
        "google_forms",
        "google_forms",
        "Staff ID",
    ),
    "ms-forms-xlsx": (
        lambda: xlsx_bytes(ms_forms_rows(), hidden_first=True),
        "wave.xlsx",
        "ms_forms",
        "ms_forms",
        "ID",
    ),
    "generic-csv": (lambda: csv_bytes(generic_rows()), "wave.csv", "generic", "generic", "Staff ID"),
}


def _text(cell: object) -> str:
    return cell.strftime("%m/%d/%Y %I:%M:%S %p") if isinstance(cell, dt.datetime) else str(cell)


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def imported(request: pytest.FixtureRequest):
    build, filename, platform, layout, id_column = LAYOUTS[request.param]
    return request.param, import_export(build(), filename, CODEBOOK), (platform, layout, id_column)


def test_layout_is_detected_from_content(imported) -> None:
    """Each layout is recognised as its platform and layout, whatever the file name."""
    _name, result, (platform, layout, _id_column) = imported
    assert (result.platform, result.layout) == (platform, layout)


def test_every_item_and_attribute_maps_without_a_manual_step(imported) -> None:
    """All 33 items and 8 attributes are matched automatically (by id or text) and nothing blocks saving."""
    _name, result, _expected = imported
    assert result.report.errors == []
    assert set(result.mapping.items) == set(CODEBOOK.item_ids)
    assert set(result.mapping.attributes) == set(CODEBOOK.attribute_ids)
    assert {entry.method for entry in result.mapping.mapped} <= {"id", "text"}


def test_items_recode_to_the_hand_checked_values(imported) -> None:
    """Labels become 1–5, "Prefer not to answer"/"Don't know" −1, blanks NaN, exactly as in EXPECTED_VALUES."""
    _name, result, _expected = imported
    frame = result.frame
    assert len(frame) == len(PEOPLE)
    for item_id, expected in EXPECTED_VALUES.items():
        assert frame[item_id].dtype == np.float32
        np.testing.assert_array_equal(frame[item_id].to_numpy(dtype=float), np.array(expected), err_msg=item_id)


def test_reverse_items_and_special_answers_spot_checked(imported) -> None:
    """Spot checks by hand: VS4 (reverse) stays 1, "Prefer not to answer" is −1, a blank is NaN, Not sure is 3."""
    _name, result, _expected = imported
    frame = result.frame
    assert frame.loc[0, "VS4"] == 1.0  # T-001 "Strongly disagree" on a reverse item: not turned into 5
    assert frame.loc[0, "SI4"] == 2.0
    assert frame.loc[1, "VS1"] == -1.0  # T-002 "Prefer not to answer"
    assert math.isnan(frame.loc[1, "VS2"])  # T-002 left VS2 blank
    assert frame.loc[1, "LI1"] == 3.0  # "Not sure"
    assert frame.loc[2, "CR1"] == -1.0  # T-003 "Don't know"
    assert frame.loc[3, "OI4"] == 5.0


def test_attributes_hold_the_answer_text(imported) -> None:
    """Attribute columns hold the codebook's spelling; blanks and "Prefer not to answer" are missing."""
    _name, result, _expected = imported
    for attribute_id, expected in EXPECTED_ATTRIBUTES.items():
        values = [None if isinstance(v, float) and math.isnan(v) else v for v in result.frame[attribute_id].tolist()]
        assert values == expected, attribute_id


def test_respondent_id_comes_from_the_person_key(imported) -> None:
    """The stable person key (Staff ID, StaffID embedded data) is the respondent ID; MS Forms falls back to its ID."""
    name, result, (_platform, _layout, id_column) = imported
    assert result.respondent_id_column == id_column
    expected = ["1", "2", "3", "4"] if name == "ms-forms-xlsx" else [p["staff_id"] for p in PEOPLE]
    assert result.frame["respondent_id"].tolist() == expected


def test_no_personal_data_reaches_the_frame_or_the_preview(imported) -> None:
    """Emails, names and IP addresses appear nowhere in the frame or the preview."""
    _name, result, _expected = imported
    for table in (result.frame, result.preview):
        text = table.to_csv(index=False)
        assert "@example.org" not in text
        assert "192.0.2." not in text and "198.51.100." not in text
        assert "Doe" not in text


def test_qualtrics_personal_and_metadata_columns_are_listed() -> None:
    """The Qualtrics layout drops the seven personal-data fields and lists them by label."""
    result = import_export(csv_bytes(qualtrics_rows()), "wave.csv", CODEBOOK)
    assert result.dropped_personal_data == QUALTRICS_PERSONAL
    assert "Response ID" in result.dropped_metadata  # the StaffID column is the respondent ID instead


def test_surveymonkey_personal_columns_are_dropped() -> None:
    """SurveyMonkey's IP address, email, first and last name and custom data are dropped."""
    rows, merges = surveymonkey_rows()
    result = import_export(xlsx_bytes(rows, merges=merges), "wave.xlsx", CODEBOOK)
    assert result.dropped_personal_data == ["IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1"]


def test_google_forms_email_is_dropped() -> None:
    """A collected Google Forms email address is personal data."""
    result = import_export(csv_bytes([[_text(c) for c in r] for r in google_rows()]), "wave.csv", CODEBOOK)
    assert result.dropped_personal_data == ["Email Address"]
    assert result.dropped_metadata == ["Timestamp"]


def test_qualtrics_numeric_export_recodes_the_same() -> None:
    """A Qualtrics numeric-values export (1–5, −99 for the non-answers) gives the same frame as the labels."""
    result = import_export(csv_bytes(qualtrics_rows(numeric=True)), "numeric.csv", CODEBOOK)
    assert result.report.errors == []
    for item_id, expected in EXPECTED_VALUES.items():
        np.testing.assert_array_equal(result.frame[item_id].to_numpy(dtype=float), np.array(expected), err_msg=item_id)


def test_qualtrics_preview_and_short_partial_are_left_out_and_long_partial_kept() -> None:
    """A preview is left out; an unfinished response with 30 of 33 items kept; one with 1 of 33 left out."""
    preview = {**PEOPLE[0], "staff_id": "", "status": "Survey Preview", "channel": "preview"}
    long_partial = {
        **PEOPLE[1],
        "staff_id": "T-005",
        "finished": "False",
        "answers": {"OI2": "", "OI3": "", "OI4": ""},
    }
    # Only VS1 answered: every other agreement item blank, LI1 and FLR blank too.
    short_partial = {
        **PEOPLE[2],
        "staff_id": "T-006",
        "finished": "False",
        "default": "",
        "answers": {"VS1": "Agree"},
        "LI1": "",
        "FLR": "",
    }
    rows = qualtrics_rows(extra=[preview, long_partial, short_partial])
    result = import_export(csv_bytes(rows), "wave.csv", CODEBOOK)
    assert result.excluded == {"preview": 1, "test": 0, "spam": 0, "blank": 0, "partial": 1}
    assert result.frame["respondent_id"].tolist() == ["T-001", "T-002", "T-003", "T-004", "T-005"]
    assert math.isnan(result.frame.loc[4, "OI4"])
    assert result.report.counts["partial_kept"] == 1
