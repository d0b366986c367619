"""Qualtrics exports: four generations of header rows.

=============================  ==============================================================================
layout                         header rows
=============================  ==============================================================================
``qualtrics_v3``               3 rows: export tag (``Q5_1``), label (``Question - Statement``), ImportId JSON
                               (``{"ImportId":"QID5_1"}``). CSV, UTF-16 TSV and XLSX share it.
``qualtrics_2016``             3 rows, the third a Python-style dict (``{'ImportId': 'QID2-1'}``); labels join
                               question and statement with a bare ``-`` and truncate long questions with ``...``
``qualtrics_legacy``           2 rows: ``V1..V10`` placeholders whose names are in row 2, then export tags
                               (which may repeat); row 2 holds the names and labels
``qualtrics_headers_stripped`` 1 row: a current export whose rows 2 and 3 were deleted by hand
=============================  ==============================================================================

Metadata and personal fields are recognised by the row-1 names (row 2 is translated into the survey's
language); see :data:`RULES`. Status values follow the Qualtrics documentation: ``0`` IP Address, ``1`` Survey
Preview, ``2`` Survey Test, ``4`` Imported, ``8`` Spam, ``9`` Preview Spam, ``16`` Offline, ``17`` Offline Survey
Preview; choice-text exports write the names instead of the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from survey_model.importers.cleaning import ColumnRules, name_key
from survey_model.importers.export import Column, plain_text

__all__ = ["PLATFORM", "RULES", "columns"]

PLATFORM = "qualtrics"

_METADATA = (
    "StartDate",
    "EndDate",
    "Status",
    "Progress",
    "Duration (in seconds)",
    "Duration",
    "Finished",
    "RecordedDate",
    "ResponseSet",
    "DistributionChannel",
    "UserLanguage",
    "SolutionRevision",
    "ResponseId",
)
_STATUS_VALUES: dict[str, str | None] = {
    "": None,
    "0": None,
    "ip address": None,
    "4": None,
    "imported": None,
    "16": None,
    "offline": None,
    "32": None,
    "ex": None,
    "36": None,
    "1": "preview",
    "preview": "preview",
    "survey preview": "preview",
    "17": "preview",
    "offline preview": "preview",
    "offline survey preview": "preview",
    "2": "test",
    "test": "test",
    "survey test": "test",
    "8": "spam",
    "spam": "spam",
    "9": "spam",
    "preview spam": "spam",
}
# Text iQ adds analytics columns named "<question> - Topics", "- Sentiment", ...: derived, not answers.
_TEXT_IQ = re.compile(
    r" - (Parent Topics|Topics|Sentiment|Sentiment Score|Sentiment Polarity|Topic Hierarchy Level \d+|"
    r"Actionability|Emotion|Emotion Intensity)$"
)

RULES = ColumnRules(
    metadata=frozenset(name_key(name) for name in _METADATA),
    response_id=frozenset({"responseid"}),
    dates=frozenset({"startdate", "enddate", "recordeddate"}),
    metadata_patterns=(
        re.compile(r"_DO$"),
        re.compile(r"_(First Click|Last Click|Page Submit|Click Count)$", re.IGNORECASE),
        re.compile(r"_NPS_GROUP$"),
        re.compile(r"^Q_[A-Za-z]"),
        _TEXT_IQ,
    ),
    status=frozenset({"status"}),
    status_values=_STATUS_VALUES,
    channel=frozenset({"distributionchannel"}),
    channel_values={"preview": "preview", "test": "test"},
    finished=frozenset({"finished"}),
)

_JSON_IMPORT_ID = re.compile(r'"ImportId"\s*:\s*"([^"]*)"')
_DICT_IMPORT_ID = re.compile(r"'ImportId'\s*:\s*'([^']*)'")
_PLACEHOLDER = re.compile(r"^V\d+$")


def columns(header: Sequence[Sequence[str]], layout: str) -> tuple[Column, ...]:
    """Column descriptions from a Qualtrics export's header rows."""
    width = max(len(row) for row in header)
    rows = [list(row) + [""] * (width - len(row)) for row in header]
    if layout == "qualtrics_headers_stripped":
        labels = [plain_text(cell) for cell in rows[0]]
        return tuple(_column(i, label, label, "", " - ") for i, label in enumerate(labels))
    tags = [cell.strip() for cell in rows[0]]
    labels = [plain_text(cell) for cell in rows[1]]
    if layout == "qualtrics_v3":
        import_ids = [_import_id(_JSON_IMPORT_ID, cell) for cell in rows[2]]
        return tuple(_column(i, labels[i], tags[i], import_ids[i], " - ") for i in range(width))
    import_ids = [_import_id(_DICT_IMPORT_ID, cell) for cell in rows[2]] if layout == "qualtrics_2016" else [""] * width
    names = [labels[i] if _PLACEHOLDER.match(tag) or not tag else tag for i, tag in enumerate(tags)]
    splits = _split_by_neighbours(labels)
    result = []
    for i in range(width):
        question, sub_item = splits[i]
        label = labels[i] or names[i] or f"Column {i + 1}"
        result.append(Column(i, label, names[i] or label, question or label, sub_item, import_ids[i]))
    return tuple(result)


def _import_id(pattern: re.Pattern[str], cell: str) -> str:
    match = pattern.search(cell)
    return match.group(1) if match else ""


def _column(position: int, label: str, name: str, import_id: str, separator: str) -> Column:
    label = label or name or f"Column {position + 1}"
    question, _, sub_item = label.partition(separator)
    return Column(position, label, name or label, question.strip() if sub_item else label, sub_item.strip(), import_id)


def _split_by_neighbours(labels: Sequence[str]) -> list[tuple[str, str]]:
    """Question and statement of 2016/legacy labels (``Question-Statement``).

    The joiner is a bare ``-``, which also appears inside words ("K-8"), so a label is split only at a ``-``
    that ends the text it shares with a neighbouring column: the statements of one matrix sit side by side.
    """
    splits: list[tuple[str, str]] = []
    for i, label in enumerate(labels):
        cut = -1
        for j in (i - 1, i + 1):
            if 0 <= j < len(labels) and labels[j]:
                shared = _common_prefix(label, labels[j])
                cut = max(cut, label.rfind("-", 0, shared))
        question, sub_item = (label[:cut].strip(), label[cut + 1 :].strip()) if cut >= 8 else ("", "")
        splits.append((question, sub_item) if question and sub_item else ("", ""))
    return splits


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length
