"""SurveyMonkey "All responses data" exports (CSV and XLSX): two header rows.

Row 1 holds the question text only on the first column of each question (the rest are blank, or merged cells
in XLSX) and is carried forward; row 2 holds ``Response``/``Open-Ended Response`` for a whole question, or the
row, statement or choice label of a matrix or check-all question. The label of a column is
``Question - Sub-item`` (or the question alone). Older exports spell the ID ``RespondentID``.
"""

from __future__ import annotations

from collections.abc import Sequence

from survey_model.importers.cleaning import ColumnRules, name_key
from survey_model.importers.export import Column, plain_text

__all__ = ["PLATFORM", "RULES", "WHOLE_QUESTION", "columns"]

PLATFORM = "surveymonkey"

WHOLE_QUESTION = frozenset({"response", "open-ended response", "open ended response"})
"""Row-2 words meaning "this column is the whole question"."""

RULES = ColumnRules(
    metadata=frozenset(name_key(name) for name in ("Collector ID", "Start Date", "End Date", "Respondent ID")),
    response_id=frozenset({"respondentid"}),
    dates=frozenset({"startdate", "enddate"}),
)


def columns(header: Sequence[Sequence[str]], layout: str) -> tuple[Column, ...]:
    """Column descriptions from the two header rows, question text carried forward over blank cells."""
    width = max(len(row) for row in header)
    top = list(header[0]) + [""] * (width - len(header[0]))
    second = list(header[1]) + [""] * (width - len(header[1])) if len(header) > 1 else [""] * width
    result = []
    question = ""
    for i in range(width):
        if top[i].strip():
            question = plain_text(top[i])
        sub_item = plain_text(second[i])
        if sub_item.casefold() in WHOLE_QUESTION:
            sub_item = ""
        label = f"{question} - {sub_item}" if question and sub_item else question or sub_item or f"Column {i + 1}"
        result.append(Column(i, label, label, question or label, sub_item if question else ""))
    return tuple(result)
