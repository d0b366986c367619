"""Which platform and layout an export comes from, decided from its first rows (never from the file name).

Rules, in order (first three rows, cells trimmed):

1. ≥ half of the filled row-3 cells start ``{"ImportId"`` → ``qualtrics_v3`` (3 header rows);
2. ≥ half start ``{'ImportId'`` → ``qualtrics_2016`` (3 header rows);
3. row 1 starts ``V1, V2`` and row 2 starts ``ResponseID`` → ``qualtrics_legacy`` (2 header rows);
4. row 1 has ``StartDate``, ``EndDate`` and ``ResponseId`` or ``Status`` → ``qualtrics_headers_stripped`` (1 row);
5. row 1 starts ``Respondent ID``/``RespondentID``, or has ``Collector ID``, or row 2 has ≥ 2 cells
   ``Response``/``Open-Ended Response`` → ``surveymonkey`` (2 header rows, 1 when row 2 is already a response);
6. row 1 has ``ID``, ``Start time`` and ``Completion time`` → ``ms_forms`` (1 row);
7. row 1 starts with ``Timestamp`` (or a translation) → ``google_forms`` (1 row);
8. anything else → ``generic`` (1 header row, one row per respondent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from survey_model.importers.google_forms import TIMESTAMP_NAMES
from survey_model.importers.surveymonkey import WHOLE_QUESTION

__all__ = ["Layout", "detect_layout"]


@dataclass(frozen=True)
class Layout:
    """A recognised export layout."""

    platform: str
    """One of :data:`survey_model.importers.export.PLATFORMS`."""
    layout: str
    """One of :data:`survey_model.importers.export.LAYOUTS`."""
    header_rows: int
    """Rows above the first response."""
    reason: str
    """What gave it away, in plain words."""


def detect_layout(first_rows: Sequence[Sequence[str]]) -> Layout:
    """The platform and layout of an export from its first three rows (see the module docstring)."""
    rows = [[str(cell).strip().lstrip("\ufeff") for cell in row] for row in first_rows[:3]]
    while len(rows) < 3:
        rows.append([])
    row1, row2, row3 = rows
    names = {cell.casefold() for cell in row1}
    filled3 = [cell for cell in row3 if cell]
    if filled3 and sum(cell.startswith('{"ImportId"') for cell in filled3) * 2 >= len(filled3):
        return Layout("qualtrics", "qualtrics_v3", 3, "row 3 holds Qualtrics ImportId JSON")
    if filled3 and sum(cell.startswith("{'ImportId'") for cell in filled3) * 2 >= len(filled3):
        return Layout("qualtrics", "qualtrics_2016", 3, "row 3 holds Qualtrics 2016 ImportIds")
    if row1[:2] == ["V1", "V2"] and row2[:1] and row2[0].casefold() == "responseid":
        return Layout("qualtrics", "qualtrics_legacy", 2, "legacy Qualtrics header V1, V2, ... over ResponseID")
    if {"startdate", "enddate"} <= names and names & {"responseid", "status"}:
        return Layout("qualtrics", "qualtrics_headers_stripped", 1, "Qualtrics field names in the only header row")
    response_cells = sum(cell.casefold() in WHOLE_QUESTION for cell in row2)
    starts_with_id = bool(row1[:1]) and row1[0].casefold() in {"respondent id", "respondentid"}
    if starts_with_id or names & {"collector id", "collectorid"}:
        # Row 2 of a SurveyMonkey export is blank under the ID; a filled one means the user deleted row 2.
        second_is_header = response_cells >= 1 or not (row2[:1] and row2[0])
        return Layout(
            "surveymonkey", "surveymonkey", 2 if second_is_header else 1, "SurveyMonkey Respondent ID/Collector ID"
        )
    if response_cells >= 2:
        return Layout("surveymonkey", "surveymonkey", 2, "SurveyMonkey 'Response' sub-headers in row 2")
    if {"id", "start time", "completion time"} <= names:
        return Layout("ms_forms", "ms_forms", 1, "Microsoft Forms ID, Start time and Completion time columns")
    if row1[:1] and row1[0].casefold() in TIMESTAMP_NAMES:
        return Layout("google_forms", "google_forms", 1, "Google Forms Timestamp column")
    return Layout("generic", "generic", 1, "no survey platform recognised: read as a table with one header row")
