"""What reading an export gives: every cell as text, and a description of each column.

Columns are addressed **by position** (``c0``, ``c1``, ...): header names repeat in real exports (a Qualtrics
legacy matrix exports ``question_one`` three times, SurveyMonkey leaves continuation headers blank), so a name
cannot be a key.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from survey_model.validation import ValidationReport

__all__ = ["LAYOUTS", "PLATFORMS", "Column", "RawExport", "column_key", "plain_text"]

PLATFORMS: tuple[str, ...] = ("qualtrics", "surveymonkey", "google_forms", "ms_forms", "generic")
"""Platforms the importer recognises; ``generic`` is a plain table with one header row."""

LAYOUTS: tuple[str, ...] = (
    "qualtrics_v3",
    "qualtrics_2016",
    "qualtrics_legacy",
    "qualtrics_headers_stripped",
    "surveymonkey",
    "google_forms",
    "ms_forms",
    "generic",
)
"""Layouts within the platforms: Qualtrics has four generations of header rows."""

# Only tag-like text counts as HTML, so "a < b and c > d" in a question stays as written.
_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")
_SPACES = re.compile(r"\s+")


def plain_text(text: str) -> str:
    """Header or label text without HTML tags and entities, with runs of white space collapsed.

    Platforms put HTML in question text (``<br>``, ``<strong>``, ``&amp;``); matching and display use the plain
    text. Nothing is ever evaluated: a formula such as ``=HYPERLINK(...)`` stays the literal text.

    >>> plain_text("Overall,<br>how <b>satisfied</b> are you &amp; why?")
    'Overall, how satisfied are you & why?'
    """
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACES.sub(" ", text).strip()


def column_key(position: int) -> str:
    """Name of the column at ``position`` in :attr:`RawExport.rows` (``c0``, ``c1``, ...)."""
    return f"c{position}"


@dataclass(frozen=True)
class Column:
    """One column of an export, described from its header rows."""

    position: int
    """0-based position in the file; the column's key in :attr:`RawExport.rows` is ``c<position>``."""
    label: str
    """Header as a person reads it, HTML stripped: Qualtrics row 2, SurveyMonkey ``question - sub-item``,
    Google Forms ``Question [Row]``, the header elsewhere. ``Column <n>`` when the header is blank."""
    name: str = ""
    """The platform's name for the column: the Qualtrics export tag of row 1 (``Q5_1``, ``StartDate``);
    the label elsewhere."""
    question: str = ""
    """Parent question text of a grid or matrix column; the label for a whole question."""
    sub_item: str = ""
    """Row, statement or choice label of a grid or matrix column; ``""`` for a whole question."""
    import_id: str = ""
    """Qualtrics ImportId from header row 3 (``QID5_1``, ``startDate``); ``""`` elsewhere."""

    @property
    def key(self) -> str:
        """Key of this column in :attr:`RawExport.rows`."""
        return column_key(self.position)


@dataclass(frozen=True, eq=False)
class RawExport:
    """An export as read: platform and layout, the column descriptions and the responses as text."""

    platform: str
    """One of :data:`PLATFORMS`."""
    layout: str
    """One of :data:`LAYOUTS`."""
    encoding: str
    """Text encoding the file was decoded with (``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1252``), or ``xlsx``."""
    columns: tuple[Column, ...]
    """Every column, in file order (trailing empty columns dropped)."""
    rows: pd.DataFrame
    """One row per response, every cell as text (``""`` when blank), columns ``c0``..``cN`` by position.
    The index is the 0-based response number in the file, so a row keeps its number when others are left out
    (blank lines are not responses and are left out)."""
    report: ValidationReport
    """Problems found while reading (encoding fallback, no responses, ...)."""
    header_rows: int = 1
    """Number of header rows above the first response (3 for current Qualtrics, 2 for SurveyMonkey)."""
    sheet: str = ""
    """Name of the worksheet read, for Excel workbooks."""
    delimiter: str = ""
    """Field separator of a text export (``,``, ``;`` or a tab)."""

    def spreadsheet_row(self, index: int) -> int:
        """Row number a spreadsheet shows for the response with index ``index`` (1-based, headers counted)."""
        return self.header_rows + int(index) + 1
