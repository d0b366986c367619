"""Recoding answer labels to scale values: forgiving on spelling, strict on meaning, loud about unknown labels."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from survey_model.codebook import load_codebook
from survey_model.importers import import_export
from survey_model.importers.recoding import label_value, recode_attribute, recode_item

CODEBOOK = load_codebook()
AGREE = CODEBOOK.scale("agree5")
LEADER = CODEBOOK.scale("yes_no_unsure")


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("Strongly agree", 5.0),
        ("  strongly   AGREE ", 5.0),
        ("Strongly agree.", 5.0),
        ("Neutral", 3.0),  # an alias in the codebook
        ("<b>Agree</b>", 4.0),
        ("4", 4.0),
        ("4.0", 4.0),
        ("5 - Strongly agree", 5.0),
        ("Agree (4)", 4.0),
        ("-99", -1.0),
        ("-1", -1.0),
        ("N/A", -1.0),
        ("n/a", -1.0),
        ("Not applicable", -1.0),
        ("Don’t know", -1.0),
        ("I don't know", -1.0),
        ("Prefer not to say", -1.0),
        ("No basis to judge", -1.0),
    ],
)
def test_agreement_answer_recodes(answer: str, value: float) -> None:
    """Labels match whatever their case, spacing, punctuation or HTML; numbers, codes and "no answer" labels too."""
    assert label_value(answer, AGREE) == value


@pytest.mark.parametrize("answer", ["", "   "])
def test_blank_answer_is_unanswered(answer: str) -> None:
    """A blank cell is NaN (unanswered), not a non-answer."""
    assert math.isnan(label_value(answer, AGREE))


@pytest.mark.parametrize("answer", ["Sometimes", "Agre", "6", "0", "3.5", "5 - Agree", "=1+3", "Yes"])
def test_answer_not_on_the_scale_is_unknown(answer: str) -> None:
    """Labels of another scale, typos, out-of-range numbers and mismatched numbered labels are unknown (None)."""
    assert label_value(answer, AGREE) is None


def test_not_sure_is_a_real_answer_on_the_leader_item() -> None:
    """On the yes / no / not sure scale "Not sure" (and its alias "Unsure") is the value 3, not a non-answer."""
    assert [label_value(a, LEADER) for a in ("Yes", "no", "Not sure", "unsure", "2")] == [1.0, 2.0, 3.0, 3.0, 2.0]


def test_item_column_recodes_each_distinct_answer_once() -> None:
    """A column recodes to float32 values; unknown labels are counted with the index of their first cell."""
    column = pd.Series(["Agree", "Agre", "", "Agree", "Sometimes", "Agre", "N/A", "Agre"], dtype="str")
    recoded = recode_item(column, AGREE)
    assert recoded.values.dtype.name == "float32"
    assert [None if math.isnan(v) else v for v in recoded.values.tolist()] == [
        4.0,
        None,
        None,
        4.0,
        None,
        None,
        -1.0,
        None,
    ]
    assert recoded.unknown == {"Agre": (3, 1), "Sometimes": (1, 4)}
    assert recoded.nonsubstantive == 1


def test_unknown_labels_block_saving_with_counts_examples_and_rows() -> None:
    """Unknown labels are errors naming the value, how many cells and the first spreadsheet row; never silent."""
    data = b"Staff ID,VS1,VS2\nA1,Agree,Agree\nA2,Agre,Agree\nA3,Agre,Sometimes\nA4,Strongly agree,Agree\n"
    result = import_export(data, "typos.csv", CODEBOOK)
    assert not result.report.ok
    unknown = [(i.column, i.value, i.count, i.row) for i in result.report.errors if i.code == "unknown_label"]
    assert unknown == [("VS1", "Agre", 2, 3), ("VS2", "Sometimes", 1, 4)]
    assert result.report.counts["unknown_labels"] == 3
    # The cells are NaN in the frame, but the report blocks the save: nothing is silently treated as missing.
    assert result.frame["VS1"].isna().tolist() == [False, True, True, False]


def test_many_unknown_labels_are_summarised_after_twenty() -> None:
    """A column of 25 different unknown answers gives 20 detailed errors and one summary of the rest."""
    rows = "".join(f"A{n},answer {n}\n" for n in range(25))
    result = import_export(f"Staff ID,VS1\n{rows}".encode(), "free-text.csv", CODEBOOK)
    unknown = [issue for issue in result.report.errors if issue.code == "unknown_label"]
    assert len(unknown) == 21
    assert unknown[-1].count == 5
    assert result.report.counts["unknown_labels"] == 25


def test_nonsubstantive_answers_are_counted_in_the_report() -> None:
    """Explicit non-answers are −1 in the frame and counted in the report, never errors."""
    data = b"Staff ID,VS1,VS2\nA1,N/A,-99\nA2,Agree,Prefer not to answer\n"
    result = import_export(data, "na.csv", CODEBOOK)
    assert result.report.ok
    assert result.frame[["VS1", "VS2"]].to_numpy().tolist() == [[-1.0, -1.0], [4.0, -1.0]]
    assert result.report.counts["nonsubstantive"] == 3


def test_attribute_answers_take_the_codebook_spelling() -> None:
    """Attribute answers matching an option up to case and punctuation take its spelling; blanks are missing."""
    role = CODEBOOK.attribute("role")
    column = pd.Series(["teacher", "ADMINISTRATOR.", "", "Prefer not to answer", "Principal", "Principal"], dtype="str")
    recoded, unexpected = recode_attribute(column, role)
    assert recoded.tolist()[:2] == ["Teacher", "Administrator"]
    assert recoded.isna().tolist() == [False, False, True, True, False, False]
    assert recoded.tolist()[4] == "Principal"
    assert unexpected == {"Principal": (2, 4)}


def test_unexpected_attribute_answer_is_a_warning_with_an_excel_hint() -> None:
    """An answer outside an attribute's options is kept and warned about; an Excel-made date gets a hint."""
    data = b'Staff ID,"How many years have you worked in education, including this year?",VS1\nA1,3-Feb,Agree\n'
    result = import_export(data, "excel.csv", CODEBOOK)
    assert result.report.ok
    warning = next(issue for issue in result.report.warnings if issue.code == "unexpected_attribute_answer")
    assert warning.value == "3-Feb"
    assert "Excel turned a range into a date" in warning.message
    assert result.frame["years_in_education"].tolist() == ["3-Feb"]


def test_open_attribute_keeps_any_answer_without_warning() -> None:
    """An attribute with no option list (school) keeps every answer as written, stripped."""
    data = b"Staff ID,Which school do you work in?,VS1\nA1,  Lincoln Elementary ,Agree\n"
    result = import_export(data, "school.csv", CODEBOOK)
    assert result.frame["school"].tolist() == ["Lincoln Elementary"]
    assert "unexpected_attribute_answer" not in [issue.code for issue in result.report.issues]
