"""From an export file to the responses frame: read, clean, map, recode, validate.

Which responses are kept
------------------------
Each response is checked in this order and, when left out, counted under the first reason that applies:

1. ``preview``, ``test``, ``spam``: the platform marks it so (Qualtrics ``Status``/``DistributionChannel``).
   Left out by default; ``exclude_tests=False`` keeps them.
2. ``blank``: no question column holds an answer.
3. ``partial``: the platform marks it unfinished (Qualtrics ``Finished`` = ``0``/``False``). With
   ``keep_partial=True`` (the default) an unfinished response is **kept when at least half of the mapped codebook
   items are answered** (any non-blank answer, "Don't know" included); with ``keep_partial=False`` every
   unfinished response is left out. When no item is mapped (an export of another survey) the question columns
   stand in for the items. Platforms without a finished flag (SurveyMonkey, Google Forms, Microsoft Forms, plain
   tables) have no partial responses: skipped questions are simply unanswered.

Respondents seen more than once (same respondent ID, or, when there is none, the same email address before it is
dropped) are kept and reported as a warning.

The respondent ID is, in order: the column the mapping assigns to ``respondent_id``; a person-ID column ("Staff
ID", "Employee ID", "Participant ID", "Educator ID"); the platform's response ID; else ``""``. It appears only in
the frame's ``respondent_id`` column (the store hashes it).

What blocks saving (errors in the report): a file with no responses, every response left out, no column
matched to any codebook item, an answer in an item column that is not on the item's scale, and a manual mapping
that names an unknown target or sends personal data to an item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook
from survey_model.importers.cleaning import (
    EXCLUSION_REASONS,
    METADATA,
    PERSON_ID,
    PERSONAL,
    QUESTION,
    RESPONSE_ID,
    TEST_REASONS,
    answered,
    classify_columns,
    duplicate_keys,
    name_key,
    response_flags,
)
from survey_model.importers.export import Column, RawExport
from survey_model.importers.mapping import ColumnMapping, map_columns
from survey_model.importers.reading import MAX_EXPORT_BYTES, PLATFORM_MODULES, read_export
from survey_model.importers.recoding import looks_like_excel_date, recode_attribute_codes, recode_item_codes
from survey_model.responses import RESPONDENT_ID
from survey_model.validation import ValidationReport

__all__ = ["PARTIAL_MIN_SHARE", "PREVIEW_ROWS", "ImportResult", "import_export", "import_raw"]

PREVIEW_ROWS = 20
"""Responses shown in :attr:`ImportResult.preview`."""

PARTIAL_MIN_SHARE = 0.5
"""An unfinished response is kept when at least this share of the mapped items is answered."""

_MAX_VALUES_REPORTED = 20


@dataclass(frozen=True, eq=False)
class ImportResult:
    """Everything an import found: the responses frame, the report, the mapping and what was left out."""

    platform: str
    """One of :data:`survey_model.importers.export.PLATFORMS`."""
    layout: str
    """One of :data:`survey_model.importers.export.LAYOUTS`."""
    encoding: str
    """Text encoding the file was read with, or ``xlsx``."""
    frame: pd.DataFrame
    """The responses frame of :mod:`survey_model.responses`: ``respondent_id``, attribute columns, item columns
    (``float32``), one row per kept response."""
    report: ValidationReport
    """Every issue found, and counts: ``rows_read``, ``kept``, ``excluded_<reason>``, ``duplicates``, ..."""
    mapping: ColumnMapping
    """What was matched to what, how and how well."""
    questions: list[str]
    """Labels of the columns kept as questions (mapped or not)."""
    dropped_personal_data: list[str]
    """Labels of the personal-data columns dropped."""
    dropped_metadata: list[str]
    """Labels of the platform metadata columns dropped."""
    excluded: dict[str, int]
    """Reason → number of responses left out, for every reason in
    :data:`~survey_model.importers.cleaning.EXCLUSION_REASONS`."""
    duplicates: int
    """Number of respondents seen more than once among the kept responses."""
    preview: pd.DataFrame
    """The first kept responses as text, one column per mapped attribute and item, no personal data."""
    respondent_id_column: str = ""
    """Label of the column the respondent IDs came from (``""`` when none)."""
    columns: tuple[Column, ...] = field(default_factory=tuple)
    """Every column of the export."""
    roles: tuple[str, ...] = field(default_factory=tuple)
    """Role of each column (question, metadata, personal, response_id, person_id), as classified."""

    @property
    def rows_read(self) -> int:
        """Responses in the file."""
        return self.report.counts.get("rows_read", 0)

    @property
    def kept(self) -> int:
        """Responses kept."""
        return len(self.frame)


def import_export(
    data: bytes,
    filename: str,
    codebook: Codebook,
    *,
    mapping: ColumnMapping | Mapping[str, str] | None = None,
    keep_partial: bool = True,
    exclude_tests: bool = True,
    max_bytes: int = MAX_EXPORT_BYTES,
) -> ImportResult:
    """Read an export and turn it into the responses frame for ``codebook``, with a report of every problem.

    Parameters
    ----------
    data : bytes
        The export file's content (CSV, TSV or XLSX from any supported platform, or a plain table).
    filename : str
        The file's name, for messages only.
    codebook : Codebook
        The instrument the columns are mapped to.
    mapping : ColumnMapping or mapping of str to str, optional
        A saved mapping profile, or manual decisions ``{column label | platform name | "c<position>": target}``
        where target is an item id, an attribute id, ``respondent_id`` or ``""`` (leave unmapped). A profile's
        ``to_dict()`` is accepted as it is, and manual decisions added to it as extra keys win over it.
    keep_partial : bool, default True
        Keep unfinished responses with at least half of the mapped items answered (module docstring).
    exclude_tests : bool, default True
        Leave out test, preview and spam responses.
    max_bytes : int, optional
        Larger files are refused (:data:`~survey_model.importers.reading.MAX_EXPORT_BYTES`).

    Returns
    -------
    ImportResult
        The frame is ready for the store when ``result.report.ok``.

    Raises
    ------
    ExportReadError
        When the file cannot be read as a table at all (empty, binary, damaged, too large); it carries a
        ``message`` and an ``action`` for the user.
    """
    raw = read_export(data, filename, max_bytes=max_bytes)
    return import_raw(raw, codebook, mapping=mapping, keep_partial=keep_partial, exclude_tests=exclude_tests)


def import_raw(
    raw: RawExport,
    codebook: Codebook,
    *,
    mapping: ColumnMapping | Mapping[str, str] | None = None,
    keep_partial: bool = True,
    exclude_tests: bool = True,
) -> ImportResult:
    """:func:`import_export` on an export already read (re-map without reading the file again)."""
    report = ValidationReport(issues=list(raw.report.issues), counts=dict(raw.report.counts))
    rules = PLATFORM_MODULES[raw.platform].RULES
    columns = raw.columns
    roles = classify_columns(columns, rules)
    by_role: dict[str, list[int]] = {}
    for column, role in zip(columns, roles, strict=True):
        by_role.setdefault(role, []).append(column.position)

    column_mapping, mapping_issues = map_columns(
        columns,
        codebook,
        candidates=by_role.get(QUESTION, []),
        id_columns=[*by_role.get(PERSON_ID, []), *by_role.get(RESPONSE_ID, [])],
        protected=by_role.get(PERSONAL, []),
        overrides=mapping,
        platform=raw.platform,
    )
    id_position = column_mapping.respondent_id
    questions = [c.label for c, r in zip(columns, roles, strict=True) if r == QUESTION and c.position != id_position]
    personal = [
        c.label for c, r in zip(columns, roles, strict=True) if r in (PERSONAL, PERSON_ID) and c.position != id_position
    ]
    metadata = [
        c.label
        for c, r in zip(columns, roles, strict=True)
        if r in (METADATA, RESPONSE_ID) and c.position != id_position and not column_mapping.target_of(c.position)
    ]

    rows = raw.rows
    n = len(rows)
    question_positions = [p for p in by_role.get(QUESTION, []) if p != id_position]
    mapped_positions = {*column_mapping.items.values(), *column_mapping.attributes.values()}
    # Mapped columns are factorised once (answers looked up per distinct value); other questions are only
    # checked for being answered.
    factorised = {p: pd.factorize(rows[columns[p].key]) for p in sorted(mapped_positions)}
    filled = {
        p: _answered_codes(*factorised[p]) if p in factorised else answered(rows[columns[p].key])
        for p in {*question_positions, *column_mapping.items.values()}
    }
    any_answer = np.zeros(n, dtype=bool)
    for position in question_positions:
        any_answer |= filled[position]

    flags = response_flags(raw, rules)
    report.extend(flags.issues)
    remaining = np.ones(n, dtype=bool)
    excluded: dict[str, int] = {}
    for reason in TEST_REASONS:
        flagged = flags.reasons[reason] & remaining
        if exclude_tests:
            remaining &= ~flagged
            excluded[reason] = int(flagged.sum())
        else:
            excluded[reason] = 0
            if flagged.any():
                report.add(
                    "warning",
                    f"kept_{reason}",
                    f"{int(flagged.sum())} {reason} response(s) are kept because excluding tests was switched off",
                    action="Switch exclusion back on unless these are real responses.",
                )
    blank = remaining & ~any_answer
    excluded["blank"] = int(blank.sum())
    remaining &= ~blank
    item_positions = list(column_mapping.items.values()) or question_positions
    answered_items = np.zeros(n, dtype=np.int32)
    for position in item_positions:
        answered_items += filled[position]
    enough = answered_items >= PARTIAL_MIN_SHARE * len(item_positions) if item_positions else np.zeros(n, dtype=bool)
    unfinished = flags.unfinished & remaining
    dropped_partial = unfinished & ~(enough & keep_partial)
    excluded["partial"] = int(dropped_partial.sum())
    remaining &= ~dropped_partial
    kept_partial = int((unfinished & remaining).sum())
    kept = remaining
    kept_index = rows.index[kept]

    report.extend(mapping_issues)
    _report_exclusions(report, excluded, kept_partial, keep_partial)

    # Duplicates: the respondent ID, or the email address (before it is dropped) when there is no ID.
    duplicate_source = columns[id_position] if id_position is not None else _email_column(columns, roles)
    duplicates = 0
    if duplicate_source is not None and kept.any():
        duplicates, repeated = duplicate_keys(rows[duplicate_source.key][kept])
        if duplicates:
            first_row = raw.spreadsheet_row(kept_index[np.flatnonzero(repeated)[0]])
            report.add(
                "warning",
                "duplicate_respondents",
                f"{duplicates} respondent(s) appear more than once (same {duplicate_source.label!r}); "
                f"{int(repeated.sum())} repeated response(s) are kept",
                action="Check whether these are resubmissions; remove the earlier ones in the survey tool if so.",
                row=first_row,
                column=duplicate_source.label,
            )

    kept_positions = np.flatnonzero(kept)
    frame_data: dict[str, pd.Series | np.ndarray] = {}
    if id_position is not None:
        frame_data[RESPONDENT_ID] = rows[columns[id_position].key][kept].str.strip().reset_index(drop=True)
    else:
        frame_data[RESPONDENT_ID] = pd.Series([""] * int(kept.sum()), dtype="str")
    preview_data: dict[str, list[str]] = {}
    nonsubstantive = 0
    for attribute in codebook.attributes:
        position = column_mapping.attributes.get(attribute.id)
        if position is None:
            continue
        column = columns[position]
        codes, uniques = factorised[position]
        kept_codes = codes[kept_positions]
        recoded, unexpected = recode_attribute_codes(kept_codes, uniques, attribute)
        frame_data[attribute.id] = recoded
        preview_data[attribute.id] = _preview(kept_codes, uniques)
        for shown, (answer, (count, first)) in enumerate(sorted(unexpected.items(), key=lambda kv: -kv[1][0])):
            if shown == _MAX_VALUES_REPORTED:
                break
            hint = " It looks like Excel turned a range into a date." if looks_like_excel_date(answer) else ""
            report.add(
                "warning",
                "unexpected_attribute_answer",
                f"{count} answer(s) {answer!r} in column {column.label!r} ({attribute.label}) are not among the "
                f"expected answers: {', '.join(attribute.options)}.{hint}",
                action="The answers are kept as written; correct them in the file if they are typos.",
                row=raw.spreadsheet_row(kept_index[first]),
                column=column.label,
                value=answer,
                count=count,
            )
    unknown_cells = 0
    for item in codebook.items:
        position = column_mapping.items.get(item.id)
        if position is None:
            continue
        column = columns[position]
        scale = codebook.scale(item.scale)
        codes, uniques = factorised[position]
        kept_codes = codes[kept_positions]
        recoded = recode_item_codes(kept_codes, uniques, scale)
        frame_data[item.id] = recoded.values
        preview_data[item.id] = _preview(kept_codes, uniques)
        nonsubstantive += recoded.nonsubstantive
        ranked = sorted(recoded.unknown.items(), key=lambda kv: -kv[1][0])
        for shown, (answer, (count, first)) in enumerate(ranked):
            unknown_cells += count
            if shown >= _MAX_VALUES_REPORTED:
                continue
            report.add(
                "error",
                "unknown_label",
                f"{count} answer(s) {answer!r} in column {column.label!r} (item {item.id}) are not on the scale "
                f"{scale.id!r} ({'; '.join(option.label for option in scale.options)})",
                action="Correct the answers in the file, map the column to the right item, or add the label as an "
                "alias in the codebook.",
                row=raw.spreadsheet_row(kept_index[first]),
                column=column.label,
                value=answer,
                count=count,
            )
        if len(ranked) > _MAX_VALUES_REPORTED:
            rest = ranked[_MAX_VALUES_REPORTED:]
            report.add(
                "error",
                "unknown_label",
                f"{len(rest)} more unknown answers in column {column.label!r} (item {item.id}), "
                f"{sum(count for _, (count, _) in rest)} cells",
                action="Check that the column is mapped to the right item.",
                column=column.label,
                value=", ".join(answer for answer, _ in rest[:5]),
                count=sum(count for _, (count, _) in rest),
            )
    frame = pd.DataFrame(frame_data)
    if nonsubstantive:
        report.add(
            "info",
            "nonsubstantive_answers",
            f'{nonsubstantive} answer(s) such as "Don\'t know", "N/A", "Prefer not to answer" or code -99 are '
            "kept as 'no answer': counted separately, never scored",
            count=nonsubstantive,
        )
    if personal:
        report.add(
            "info",
            "personal_data_dropped",
            f"{len(personal)} personal-data column(s) dropped and never stored: {', '.join(personal)}",
        )
    rows_read = int(report.counts.get("rows_read", n))
    if rows_read and not kept.any():
        report.add(
            "error",
            "no_kept_responses",
            ("The only response was" if rows_read == 1 else f"All {rows_read:,} responses were")
            + " left out ("
            + ", ".join(f"{count} {reason}" for reason, count in excluded.items() if count)
            + ").",
            action=(
                "If these are real responses, check in the survey tool why they are marked as tests, previews, "
                "spam or unfinished, correct that there and export the file again."
            ),
        )

    report.counts.update(
        {
            "rows_read": rows_read,
            "kept": int(kept.sum()),
            **{f"excluded_{reason}": count for reason, count in excluded.items()},
            "partial_kept": kept_partial,
            "duplicates": duplicates,
            "questions": len(questions),
            "personal_data_dropped": len(personal),
            "metadata_dropped": len(metadata),
            "items_mapped": len(column_mapping.items),
            "attributes_mapped": len(column_mapping.attributes),
            "unknown_labels": unknown_cells,
            "nonsubstantive": nonsubstantive,
        }
    )
    preview = pd.DataFrame(preview_data, dtype="str")
    return ImportResult(
        platform=raw.platform,
        layout=raw.layout,
        encoding=raw.encoding,
        frame=frame,
        report=report,
        mapping=column_mapping,
        questions=questions,
        dropped_personal_data=personal,
        dropped_metadata=metadata,
        excluded=excluded,
        duplicates=duplicates,
        preview=preview,
        respondent_id_column=columns[id_position].label if id_position is not None else "",
        columns=columns,
        roles=roles,
    )


def _answered_codes(codes: np.ndarray, uniques: pd.Index) -> np.ndarray:
    """Which cells of a factorised column hold an answer (anything but white space)."""
    filled = np.array([bool(str(value).strip()) for value in uniques] + [False], dtype=bool)
    return filled[codes]


def _preview(codes: np.ndarray, uniques: pd.Index) -> list[str]:
    """The first answers of a factorised column as text, white space stripped."""
    return [str(uniques[code]).strip() if code >= 0 else "" for code in codes[:PREVIEW_ROWS]]


def _email_column(columns: tuple[Column, ...], roles: tuple[str, ...]) -> Column | None:
    for column, role in zip(columns, roles, strict=True):
        if role == PERSONAL and "email" in name_key(column.name) + name_key(column.label):
            return column
    return None


def _report_exclusions(
    report: ValidationReport, excluded: dict[str, int], kept_partial: int, keep_partial: bool
) -> None:
    descriptions = {
        "preview": "preview response(s) (the survey tool's preview mode) were left out",
        "test": "test response(s) (generated or marked as tests) were left out",
        "spam": "response(s) the survey tool flagged as spam were left out",
        "blank": "response(s) with no answer to any question were left out",
        "partial": (
            "unfinished response(s) with fewer than half of the items answered were left out"
            if keep_partial
            else "unfinished response(s) were left out (every unfinished response was left out, as asked)"
        ),
    }
    for reason in EXCLUSION_REASONS:
        if excluded.get(reason):
            report.add(
                "info",
                f"excluded_{reason}",
                f"{excluded[reason]} {descriptions[reason]}",
            )
    if kept_partial:
        report.add(
            "info",
            "partial_kept",
            f"{kept_partial} unfinished response(s) are kept: at least half of their items are answered",
            action=(
                "Nothing to do: an unfinished response with at least half of its items answered counts. To leave "
                "one out, delete it in the survey tool and export the file again."
            ),
        )
