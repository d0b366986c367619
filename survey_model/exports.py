"""Files people take away: CSV downloads of cleaned data, safe to open in a spreadsheet.

Anything exported is safe from formula injection: a text cell that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``; plain numbers such
as ``-1`` stay as they are, since a spreadsheet cannot run them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook
from survey_model.responses import NONSUBSTANTIVE, RESPONDENT_KEY, WAVE

__all__ = ["NONSUBSTANTIVE_LABEL", "csv_bytes", "escape_formula", "export_table"]

NONSUBSTANTIVE_LABEL = "Don't know / N/A"
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark (so Excel reads accents right), every cell formula-escaped."""
    safe = table.copy()
    safe.columns = [escape_formula(str(column)) for column in safe.columns]
    return safe.apply(_escape_column).to_csv(index=False).encode("utf-8-sig")


def export_table(frame: pd.DataFrame, codebooks: dict[str, Codebook], *, labels: bool = True) -> pd.DataFrame:
    """The responses frame as text cells for a CSV export, escaped against formula injection.

    ``codebooks`` maps each wave label to the codebook it was imported with (answer labels come from it).
    Items become answer labels (``labels=True``) or whole-number scale values; an explicit non-answer is
    :data:`NONSUBSTANTIVE_LABEL` or ``-1``; unanswered is empty. A raw ``respondent_id`` column is refused.
    """
    if "respondent_id" in frame.columns:
        raise ValueError("an export never carries raw respondent ids")
    out: dict[str, pd.Series] = {WAVE: frame[WAVE].astype("str"), RESPONDENT_KEY: frame[RESPONDENT_KEY]}
    latest = codebooks[list(codebooks)[-1]]
    item_ids = {item_id for book in codebooks.values() for item_id in book.item_ids}
    for column in frame.columns:
        if column in out:
            continue
        if column not in item_ids:
            out[column] = frame[column].astype("str").fillna("")
            continue
        values = frame[column].to_numpy(dtype=np.float64)
        if labels:
            text = np.full(len(frame), "", dtype=object)
            text[values == NONSUBSTANTIVE] = NONSUBSTANTIVE_LABEL
            for wave, book in codebooks.items():
                owner = book if column in book.item_ids else latest
                scale = owner.scale_of(column)
                in_wave = (frame[WAVE] == wave).to_numpy()
                for option in scale.options:
                    text[in_wave & (values == option.value)] = option.label
        else:
            text = np.where(np.isnan(values), "", np.nan_to_num(values).astype(np.int64).astype(str))
        out[column] = pd.Series(text, index=frame.index, dtype="str")
    table = pd.DataFrame(out)
    table.columns = [escape_formula(str(c)) for c in table.columns]
    return table.apply(_escape_column)


def escape_formula(cell: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula; plain numbers stay as they are.

    >>> escape_formula("=HYPERLINK(\\"http://x\\")"), escape_formula("-1"), escape_formula("@SUM(A1)")
    ('\\'=HYPERLINK("http://x")', '-1', "'@SUM(A1)")
    """
    if _FORMULA_START.match(cell) and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def _escape_column(column: pd.Series) -> pd.Series:
    text = column.astype("str").fillna("")
    risky = text.str.match(_FORMULA_START.pattern) & ~text.str.fullmatch(_PLAIN_NUMBER.pattern)
    return text.where(~risky, "'" + text)
