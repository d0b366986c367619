"""Mapping columns to the codebook: by id, by text, by fuzzy text, by hand, and again from a saved profile."""

from __future__ import annotations

import csv
import io
import json

import pytest

from survey_model.codebook import load_codebook
from survey_model.importers import ColumnMapping, import_export

CODEBOOK = load_codebook()
VS1 = CODEBOOK.item(
    "VS1"
).text  # "Staff at my school share a clear picture of what we are trying to achieve for students."
SA2 = CODEBOOK.item("SA2").text  # "I can count on school administrators to follow through on what they say."


def table(header: list[str], *rows: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue().encode()


def entry_for(result, target: str):
    return next(entry for entry in result.mapping.entries if entry.target == target)


@pytest.mark.parametrize(
    ("header", "method"),
    [
        ("VS1", "id"),
        ("vs1", "id"),
        ("VS1. Staff at my school share a clear picture", "id"),
        (VS1, "text"),
        (VS1.upper().replace(".", "!!"), "text"),
        (f"<p>{VS1.replace('school', '<b>school</b>')}</p>", "text"),
        (f"Think about this year. - {VS1}", "text"),
        (f"Think about this year. [{VS1}]", "text"),
    ],
    ids=["id", "id-lower-case", "id-prefix", "text", "text-case-punctuation", "text-html", "sub-item", "grid-row"],
)
def test_column_maps_to_item_automatically(header: str, method: str) -> None:
    """An item's column is found by its id, its wording (case, punctuation and HTML ignored) or its grid row."""
    result = import_export(table(["Staff ID", header], ["A1", "Agree"]), "export.csv", CODEBOOK)
    entry = entry_for(result, "VS1")
    assert (entry.position, entry.method, entry.score) == (1, method, 1.0)
    assert result.frame["VS1"].tolist() == [4.0]


def test_slightly_reworded_item_maps_by_fuzzy_text_with_a_note() -> None:
    """A typo and a changed word still match by similarity (≥ 0.85), and the report asks to check it."""
    reworded = "Staff at my school share a clear pictur of what we're trying to achieve for our students."
    result = import_export(table(["Staff ID", reworded], ["A1", "Agree"]), "export.csv", CODEBOOK)
    entry = entry_for(result, "VS1")
    assert entry.method == "fuzzy"
    assert 0.85 <= entry.score < 1.0
    fuzzy = [issue for issue in result.report.issues if issue.code == "fuzzy_match"]
    assert [(issue.column, issue.value) for issue in fuzzy] == [(reworded, "VS1")]


def test_unrelated_question_is_listed_as_unmapped_and_items_as_unmatched() -> None:
    """A question matching nothing is listed; codebook items with no column are listed and warned about."""
    result = import_export(
        table(["Staff ID", VS1, "How was lunch today?"], ["A1", "Agree", "Fine"]), "export.csv", CODEBOOK
    )
    assert result.mapping.unmapped_columns == ("How was lunch today?",)
    assert result.mapping.unmatched_items == tuple(i for i in CODEBOOK.item_ids if i != "VS1")
    warning = next(issue for issue in result.report.warnings if issue.code == "unmatched_items")
    assert warning.message.startswith("32 codebook item(s) have no column")
    assert result.questions == [VS1, "How was lunch today?"]


def test_same_item_in_two_columns_maps_the_first_and_warns() -> None:
    """Two columns with the item's text: the first is mapped, the second reported and left unmapped."""
    result = import_export(table(["Staff ID", VS1, VS1], ["A1", "Agree", "Disagree"]), "export.csv", CODEBOOK)
    assert result.mapping.items == {"VS1": 1}
    assert [issue.column for issue in result.report.warnings if issue.code == "duplicate_match"] == [VS1]


def test_manual_mapping_by_label_and_by_position() -> None:
    """A column whose wording matches nothing is mapped by hand, by its label or its c<position> key."""
    header = ["Staff ID", "Q7 (see paper form)", "Q8 (see paper form)"]
    data = table(header, ["A1", "Agree", "Strongly disagree"])
    result = import_export(data, "export.csv", CODEBOOK, mapping={"Q7 (see paper form)": "VS1", "c2": "SA2"})
    assert result.mapping.items == {"VS1": 1, "SA2": 2}
    assert {entry.method for entry in result.mapping.mapped if entry.kind == "item"} == {"manual"}
    assert result.frame[["VS1", "SA2"]].iloc[0].tolist() == [4.0, 1.0]
    assert result.report.errors == []


def test_manual_mapping_can_leave_a_matching_column_unmapped() -> None:
    """Mapping a column to "" keeps it out even though its text matches an item."""
    result = import_export(
        table(["Staff ID", VS1, SA2], ["A1", "Agree", "Agree"]), "export.csv", CODEBOOK, mapping={VS1: ""}
    )
    assert result.mapping.items == {"SA2": 2}
    assert "VS1" not in result.frame.columns
    assert VS1 in result.mapping.unmapped_columns


def test_manual_mapping_to_an_unknown_target_is_an_error() -> None:
    """A manual mapping naming something that is not in the codebook blocks saving and says why."""
    result = import_export(table(["Staff ID", VS1], ["A1", "Agree"]), "export.csv", CODEBOOK, mapping={VS1: "VS9"})
    errors = [issue for issue in result.report.errors if issue.code == "unknown_mapping_target"]
    assert [(issue.column, issue.value) for issue in errors] == [(VS1, "VS9")]


def test_personal_data_cannot_be_mapped_to_an_item_but_can_be_the_respondent_id() -> None:
    """An email column sent to an item is refused; sent to respondent_id it becomes the (hashed later) key."""
    data = table(["Email Address", VS1], ["jo@example.org", "Agree"])
    refused = import_export(data, "export.csv", CODEBOOK, mapping={"Email Address": "school"})
    assert "personal_data_mapped" in [issue.code for issue in refused.report.errors]
    assert "school" not in refused.frame.columns
    keyed = import_export(data, "export.csv", CODEBOOK, mapping={"Email Address": "respondent_id"})
    assert keyed.frame["respondent_id"].tolist() == ["jo@example.org"]
    assert keyed.dropped_personal_data == []


def test_any_column_can_be_assigned_as_the_respondent_id() -> None:
    """A column with an unusual name becomes the respondent ID when the mapping says so."""
    data = table(["Badge", VS1], ["B-17", "Agree"])
    result = import_export(data, "export.csv", CODEBOOK, mapping={"Badge": "respondent_id"})
    assert result.respondent_id_column == "Badge"
    assert result.frame["respondent_id"].tolist() == ["B-17"]
    assert "Badge" not in result.questions


def test_two_columns_mapped_by_hand_to_one_item_is_an_error() -> None:
    """The same item mapped by hand to two columns is refused with both column names."""
    data = table(["Staff ID", "First", "Second"], ["A1", "Agree", "Agree"])
    result = import_export(data, "export.csv", CODEBOOK, mapping={"First": "VS1", "Second": "VS1"})
    assert [issue.code for issue in result.report.errors] == ["target_mapped_twice"]


def test_saved_profile_maps_the_next_wave_with_no_clicks() -> None:
    """Wave 1 is mapped by hand and saved as a profile; wave 2, columns reordered, maps from it untouched."""
    wave1 = table(["Staff ID", "Q7 (see paper form)", VS1, "Lunch?"], ["A1", "Agree", "Disagree", "ok"])
    first = import_export(wave1, "wave1.csv", CODEBOOK, mapping={"Q7 (see paper form)": "SA2", "Lunch?": ""})
    stored = json.loads(json.dumps(first.mapping.to_dict()))  # what the store keeps
    profile = ColumnMapping.from_dict(stored)

    wave2 = table(["Lunch?", VS1, "Staff ID", "Q7 (see paper form)"], ["fine", "Agree", "A2", "Strongly agree"])
    second = import_export(wave2, "wave2.csv", CODEBOOK, mapping=profile)
    assert second.mapping.items == {"VS1": 1, "SA2": 3}
    assert entry_for(second, "SA2").method == "profile"
    assert second.frame[["VS1", "SA2"]].iloc[0].tolist() == [4.0, 5.0]
    assert second.frame["respondent_id"].tolist() == ["A2"]
    assert second.mapping.target_of(0) == ""  # "Lunch?" stays left out, as decided in wave 1


def test_stored_profile_dict_with_extra_manual_edits_is_accepted() -> None:
    """A profile's to_dict() with a manual edit added as an extra key: the edit wins over the profile."""
    wave = table(["Staff ID", "Q7 (see paper form)", "Q8"], ["A1", "Agree", "Disagree"])
    first = import_export(wave, "wave1.csv", CODEBOOK, mapping={"Q7 (see paper form)": "SA2"})
    merged = {**first.mapping.to_dict(), "Q7 (see paper form)": "SA3", "Q8": "SA2"}
    second = import_export(wave, "wave2.csv", CODEBOOK, mapping=merged)
    assert second.mapping.items == {"SA2": 2, "SA3": 1}
    assert second.report.errors == []


def test_mapping_round_trips_through_a_dict() -> None:
    """to_dict() is JSON-able and from_dict() gives the same mapping back."""
    result = import_export(table(["Staff ID", VS1, SA2], ["A1", "Agree", "Agree"]), "export.csv", CODEBOOK)
    data = json.loads(json.dumps(result.mapping.to_dict()))
    again = ColumnMapping.from_dict(data)
    assert again == result.mapping
    assert data["entries"][0] == {
        "position": 0,
        "column": "Staff ID",
        "name": "Staff ID",
        "target": "respondent_id",
        "kind": "respondent_id",
        "method": "text",
        "score": 1.0,
    }


def test_malformed_saved_mapping_raises_value_error() -> None:
    """A saved mapping without entries, or an entry without a target, is a programmer error."""
    with pytest.raises(ValueError, match="entries"):
        ColumnMapping.from_dict({"columns": {}})
    with pytest.raises(ValueError, match="target"):
        ColumnMapping.from_dict({"entries": [{"column": "x"}]})


def test_attributes_map_by_question_label_or_id() -> None:
    """Attributes are found by their question text, their label or their id; options take the codebook spelling."""
    header = ["Staff ID", "Which school do you work in?", "Years at this school", "school_level"]
    result = import_export(table(header, ["A1", "Lincoln", "2-3 YEARS", "elementary"]), "export.csv", CODEBOOK)
    assert result.mapping.attributes == {"school": 1, "years_at_school": 2, "school_level": 3}
    assert [entry_for(result, a).method for a in ("school", "years_at_school", "school_level")] == [
        "text",
        "text",
        "id",
    ]
    assert result.frame[["school", "years_at_school", "school_level"]].iloc[0].tolist() == [
        "Lincoln",
        "2-3 years",
        "Elementary",
    ]


def test_second_shipped_codebook_maps_its_own_items() -> None:
    """The school-improvement codebook's items map by their own wording: the importer is instrument-agnostic."""
    codebook = load_codebook("school-improvement")
    header = ["Staff ID", *[item.text for item in codebook.items]]
    result = import_export(table(header, ["A1", *["Agree"] * len(codebook.items)]), "si.csv", codebook)
    assert set(result.mapping.items) == set(codebook.item_ids)
    assert result.report.errors == []
