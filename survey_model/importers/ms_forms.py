"""Microsoft Forms responses (XLSX from "Open in Excel", or a CSV re-saved by Excel): one header row.

Every export starts ``ID, Start time, Completion time, Email, Name``; newer ones add ``Last modified time`` and
quizzes add ``Total points``, ``Quiz feedback`` and ``Points - <question>``/``Feedback - <question>`` columns.
A Likert question gives one column per statement, headed by the statement alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from survey_model.importers.cleaning import ColumnRules, name_key
from survey_model.importers.export import Column
from survey_model.importers.google_forms import grid_column

__all__ = ["PLATFORM", "RULES", "columns"]

PLATFORM = "ms_forms"

RULES = ColumnRules(
    metadata=frozenset(
        name_key(name)
        for name in ("Start time", "Completion time", "Last modified time", "Total points", "Quiz feedback")
    ),
    response_id=frozenset({"id"}),
    dates=frozenset({"starttime", "completiontime", "lastmodifiedtime"}),
    metadata_patterns=(re.compile(r"^(Points|Feedback) - "),),
)


def columns(header: Sequence[Sequence[str]], layout: str) -> tuple[Column, ...]:
    """Column descriptions from the one header row."""
    return tuple(grid_column(i, cell) for i, cell in enumerate(header[0]))
