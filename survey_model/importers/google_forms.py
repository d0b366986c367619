"""Google Forms responses (CSV from Forms or Sheets, XLSX from Sheets, copies re-saved by Excel): one header row.

The first column is the submission time, headed ``Timestamp`` in English and translated in other locales. A
grid question gives one column per row, headed ``Question [Row]``. Collected email addresses are personal data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from survey_model.importers.cleaning import ColumnRules, name_key
from survey_model.importers.export import Column, plain_text

__all__ = ["GRID", "PLATFORM", "RULES", "TIMESTAMP_NAMES", "columns", "grid_column"]

PLATFORM = "google_forms"

# The English name is seen in real exports; the translations are the Sheets locale names as commonly reported.
TIMESTAMP_NAMES: frozenset[str] = frozenset(
    {
        "timestamp",
        "marca temporal",
        "horodateur",
        "zeitstempel",
        "tijdstempel",
        "carimbo de data/hora",
        "informazioni cronologiche",
        "sygnatura czasowa",
        "отметка времени",
        "タイムスタンプ",
        "时间戳记",
        "時間戳記",
        "타임스탬프",
    }
)
"""The first header of a Google Forms export, case-folded, in the locales we know."""

GRID = re.compile(r"^(.*?)\s*\[(.+)\]\s*$", re.DOTALL)
"""``Question [Row]``: the header of one row of a grid question."""

RULES = ColumnRules(
    metadata=frozenset({name_key(name) for name in TIMESTAMP_NAMES} | {"score", "totalscore"}) - {""},
    dates=frozenset({name_key(name) for name in TIMESTAMP_NAMES}) - {""},
)


def columns(header: Sequence[Sequence[str]], layout: str) -> tuple[Column, ...]:
    """Column descriptions from the one header row; grid columns split into question and row."""
    return tuple(grid_column(i, cell) for i, cell in enumerate(header[0]))


def grid_column(position: int, header: str) -> Column:
    """A column from a one-row header, split into question and row when it reads ``Question [Row]``."""
    label = plain_text(header) or f"Column {position + 1}"
    match = GRID.match(label)
    if match and match.group(1):
        return Column(position, label, label, match.group(1).strip(), match.group(2).strip())
    return Column(position, label, label, label)
