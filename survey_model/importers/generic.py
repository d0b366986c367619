"""A plain table: one header row, one row per respondent (a partner's own spreadsheet, or an unknown tool).

Headers of the form ``Question [Row]`` or ``Question - Row`` are split for matching, like the platforms' grids.
An ``ID``/``Response ID`` column is the response ID; common timing columns are metadata.
"""

from __future__ import annotations

from collections.abc import Sequence

from survey_model.importers.cleaning import ColumnRules, name_key
from survey_model.importers.export import Column
from survey_model.importers.google_forms import grid_column

__all__ = ["PLATFORM", "RULES", "columns"]

PLATFORM = "generic"

_DATES = ("Timestamp", "Submitted at", "Submission date", "Start time", "End time", "Start date", "End date")

RULES = ColumnRules(
    metadata=frozenset(name_key(name) for name in (*_DATES, "Submitted", "Completion time", "Duration")),
    response_id=frozenset(name_key(name) for name in ("ID", "Response ID", "Respondent ID", "Record ID")),
    dates=frozenset(name_key(name) for name in _DATES),
)


def columns(header: Sequence[Sequence[str]], layout: str) -> tuple[Column, ...]:
    """Column descriptions from the one header row."""
    result = []
    for i, cell in enumerate(header[0]):
        column = grid_column(i, cell)
        if not column.sub_item and " - " in column.label:
            question, _, sub_item = column.label.partition(" - ")
            column = Column(i, column.label, column.name, question.strip(), sub_item.strip())
        result.append(column)
    return tuple(result)
