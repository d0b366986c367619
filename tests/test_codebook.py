"""Codebooks: the shipped instruments load, and a partner's spreadsheet reports every problem at once."""

import io

import pandas as pd
import pytest

from survey_model.codebook import (
    available_codebooks,
    codebook_from_spreadsheet,
    load_codebook,
    normalise_label,
    spreadsheet_template,
)


def test_default_codebook_has_seven_conditions_of_four_items():
    """The collective-leadership codebook: 7 conditions x 4 items, 4 foundational and 3 cultural."""
    cb = load_codebook()
    assert [c.id for c in cb.conditions] == ["VS", "SA", "CR", "WS", "RN", "SI", "OI"]
    assert all(len(cb.items_for(c.id)) == 4 for c in cb.conditions)
    assert [c.id for c in cb.conditions if c.group == "foundational"] == ["VS", "SA", "CR", "WS"]
    assert {i.id for i in cb.items if i.reverse} == {"VS4", "SA4", "CR4", "RN4", "SI4"}
    assert cb.leader is not None and cb.leader.item == "LI1" and cb.leader.formal_role_item == "FLR"
    assert {"school", "school_level", "role", "years_in_education", "years_at_school", "leadership_team"} <= set(
        cb.attribute_ids
    )


def test_theory_of_action_codebook_is_a_second_instrument():
    """The school-improvement codebook has its own seven components and no leader block."""
    cb = load_codebook("school-improvement")
    assert len(cb.conditions) == 7 and cb.leader is None
    assert set(available_codebooks()) == {"collective-leadership", "school-improvement"}


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def test_template_round_trips_to_an_equivalent_codebook():
    """The downloadable template, read back, is the default instrument."""
    cb, report = codebook_from_spreadsheet(_csv(spreadsheet_template()), filename="template.csv")
    default = load_codebook()
    assert report.ok, report.to_text()
    assert [(i.id, i.condition, i.reverse, i.scale) for i in cb.items] == [
        (i.id, i.condition, i.reverse, i.scale) for i in default.items
    ]
    assert cb.leader == default.leader


def test_template_round_trips_through_xlsx():
    """The same template saved as an Excel workbook reads back too."""
    buffer = io.BytesIO()
    spreadsheet_template().to_excel(buffer, index=False)
    cb, report = codebook_from_spreadsheet(buffer.getvalue(), filename="mine.xlsx")
    assert report.ok and len(cb.items) == len(load_codebook().items)


def test_malformed_codebook_lists_every_problem_without_raising():
    """Duplicate id, unknown scale, reverse on a yes/no item, missing condition, bad flag: all reported together."""
    table = pd.DataFrame(
        [
            {"item_id": "A1", "text": "One", "condition_id": "A", "reverse": "no", "scale": "agree5"},
            {"item_id": "A1", "text": "Two", "condition_id": "A", "reverse": "no", "scale": "agree5"},
            {"item_id": "A3", "text": "Three", "condition_id": "A", "reverse": "no", "scale": "agree7"},
            {"item_id": "B1", "text": "Four", "condition_id": "B", "reverse": "yes", "scale": "yes_no"},
            {"item_id": "C1", "text": "Five", "condition_id": "", "reverse": "maybe", "scale": "agree5"},
        ]
    )
    cb, report = codebook_from_spreadsheet(_csv(table), filename="broken.csv")
    assert cb is None
    codes = {issue.code for issue in report.errors}
    assert {"duplicate_item_id", "unknown_scale", "reverse_non_numeric", "missing_condition", "bad_reverse"} <= codes
    assert all(issue.message and issue.action for issue in report.errors)
    assert any(issue.row == 4 and issue.value == "agree7" for issue in report.errors)  # spreadsheet row numbers


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "empty.csv", "unreadable_file"),
        (b"%PDF-1.4 binary \x00\x01", "codebook.pdf", "unreadable_file"),
        (b"PK\x03\x04 truncated", "codebook.xlsx", "unreadable_file"),
        (b"name,wording\nx,y\n", "wrong.csv", "missing_column"),
    ],
)
def test_unreadable_codebook_file_gets_a_clear_message(data, filename, code):
    """Wrong, empty or broken files give a message and what to do, never a traceback."""
    cb, report = codebook_from_spreadsheet(data, filename=filename)
    assert cb is None and code in {issue.code for issue in report.errors}
    assert all(issue.action for issue in report.errors)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Strongly Agree", "strongly agree"),
        (" strongly  agree. ", "strongly agree"),
        ("Don’t know", "dont know"),
        ("N/A", "na"),
        ("Neither agree nor disagree", "neither agree nor disagree"),
    ],
)
def test_labels_match_whatever_the_case_spacing_and_punctuation(raw, normal):
    """Platforms differ in case, spacing, curly quotes and punctuation; matching ignores all of it."""
    assert normalise_label(raw) == normal
