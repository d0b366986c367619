"""Which columns are metadata or personal data, and which responses are tests, previews, spam or blank.

Rules
-----
* **Personal data is dropped on every platform**: names, emails, IP addresses, locations (latitude, longitude,
  accuracy), phone numbers, postal addresses, recipient fields, external references and SurveyMonkey custom
  data. A column is personal when its name, label or sub-item is one of :data:`PERSONAL_NAMES` (compared with
  case, spaces and punctuation removed) or its label asks for one ("What is your email address?").
* **Platform metadata** (dates, status, progress, display order, Text iQ analytics, ...) is dropped; each platform
  module lists its own in its ``RULES``.
* A column headed like "Staff ID", "Employee ID", "Participant ID" or "Educator ID" is a **person ID**: the stable
  key that links one educator across waves. The platform's response ID (Qualtrics ``ResponseId``, SurveyMonkey
  ``Respondent ID``, Microsoft Forms ``ID``) is used when there is no person ID.
* Every other column is a **question**.
* **Tests, previews and spam** are recognised from the Qualtrics ``Status`` (``Survey Preview``/1,
  ``Survey Test``/2, ``Spam``/8, ``Preview Spam``/9, ``Offline Survey Preview``/17) and ``DistributionChannel``
  (``preview``, ``test``) columns. Other platforms write no such flag.
* A response is **blank** when none of its question columns holds an answer.
* A response is **partial** when Qualtrics says it was not finished (``Finished`` is ``0``/``False``). Other
  platforms have no such flag: a SurveyMonkey or Google Forms response with skipped questions is not partial.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from survey_model.codebook import normalise_label
from survey_model.importers.export import Column, RawExport
from survey_model.validation import ValidationIssue

__all__ = [
    "EXCLUSION_REASONS",
    "METADATA",
    "PERSONAL",
    "PERSONAL_NAMES",
    "PERSON_ID",
    "QUESTION",
    "RESPONSE_ID",
    "ROLES",
    "TEST_REASONS",
    "ColumnRules",
    "ResponseFlags",
    "answered",
    "classify_columns",
    "duplicate_keys",
    "excel_serials_to_text",
    "find_column",
    "name_key",
    "response_flags",
]

QUESTION = "question"
METADATA = "metadata"
PERSONAL = "personal"
RESPONSE_ID = "response_id"
PERSON_ID = "person_id"
ROLES: tuple[str, ...] = (QUESTION, METADATA, PERSONAL, RESPONSE_ID, PERSON_ID)
"""What a column is for; see the module docstring."""

EXCLUSION_REASONS: tuple[str, ...] = ("preview", "test", "spam", "blank", "partial")
"""Reasons a response is left out, in the order they are checked (a response counts under the first)."""

TEST_REASONS: tuple[str, ...] = ("preview", "test", "spam")
"""Reasons switched off by ``exclude_tests=False``."""


def name_key(text: str) -> str:
    """A header reduced to lower-case letters and digits, for comparing platform field names.

    >>> name_key("Duration (in seconds)")
    'durationinseconds'
    """
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


PERSONAL_NAMES: frozenset[str] = frozenset(
    name_key(name)
    for name in (
        "IP Address",
        "IP",
        "Email",
        "E-mail",
        "Email Address",
        "E-mail address",
        "Your email",
        "Name",
        "Full Name",
        "First Name",
        "Last Name",
        "Surname",
        "Given Name",
        "Family Name",
        "Your name",
        "Username",
        "Recipient Last Name",
        "Recipient First Name",
        "Recipient Email",
        "Recipient Phone",
        "Recipient Phone Number",
        "External Reference",
        "External Data Reference",
        "External Ref",
        "Location Latitude",
        "Location Longitude",
        "Location Accuracy",
        "Latitude",
        "Longitude",
        "Phone",
        "Phone Number",
        "Mobile",
        "Address",
        "Street Address",
        "Home Address",
        "Custom Data",
    )
)
"""Name keys (:func:`name_key`) of personal-data fields on any platform."""

_PERSONAL_KEY = re.compile(
    r"^(customdata\d+|recipient.*|panelrecipient.*|panelexternal.*|location(latitude|longitude).*)$"
)
_PERSONAL_QUESTION = re.compile(
    r"^(what is |please enter |please give |enter )?(your )?(full |first |last |given |family )?"
    r"(name|e ?mail( address)?|email address|phone( number)?|ip address)$"
)
_PERSON_ID = re.compile(
    r"^(staff|employee|participant|educator|teacher|personnel|person|member|educatorstaff)"
    r"(id|number|no|code|identifier|key)$"
)


@dataclass(frozen=True)
class ColumnRules:
    """A platform's metadata fields and its test/preview/partial flags (name keys from :func:`name_key`)."""

    metadata: frozenset[str] = frozenset()
    """Name keys of metadata columns (dropped)."""
    personal: frozenset[str] = frozenset()
    """Name keys of personal-data columns, on top of :data:`PERSONAL_NAMES`."""
    response_id: frozenset[str] = frozenset()
    """Name keys of the platform's response-ID column."""
    dates: frozenset[str] = frozenset()
    """Name keys of date-time columns, whose Excel date serials are turned into text dates."""
    metadata_patterns: tuple[re.Pattern[str], ...] = ()
    """Patterns searched in a column's name and label that mark metadata (display order, timing, analytics)."""
    status: frozenset[str] = frozenset()
    """Name keys of the column telling the response type (Qualtrics ``Status``)."""
    status_values: Mapping[str, str | None] = field(default_factory=dict)
    """Normalised response type → exclusion reason (``preview``, ``test``, ``spam``) or ``None`` for a real one."""
    channel: frozenset[str] = frozenset()
    """Name keys of the distribution-channel column (Qualtrics ``DistributionChannel``)."""
    channel_values: Mapping[str, str] = field(default_factory=dict)
    """Normalised channel → exclusion reason."""
    finished: frozenset[str] = frozenset()
    """Name keys of the column saying whether a response was finished (Qualtrics ``Finished``)."""


def classify_columns(columns: Sequence[Column], rules: ColumnRules) -> tuple[str, ...]:
    """The role of each column (one of :data:`ROLES`), in column order; see the module docstring.

    Only the first response-ID column is the response ID; a repeated one is metadata.
    """
    roles: list[str] = []
    seen_response_id = False
    for column in columns:
        keys = {name_key(column.name), name_key(column.label)} - {""}
        personal_keys = keys | ({name_key(column.sub_item)} - {""})
        if keys & rules.response_id and not seen_response_id:
            roles.append(RESPONSE_ID)
            seen_response_id = True
        elif any(_PERSON_ID.match(key) for key in keys):
            roles.append(PERSON_ID)
        elif (
            personal_keys & (PERSONAL_NAMES | rules.personal)
            or any(_PERSONAL_KEY.match(key) for key in keys)
            or _PERSONAL_QUESTION.match(normalise_label(column.label))
        ):
            roles.append(PERSONAL)
        elif (keys & rules.metadata) or (keys & rules.response_id) or _matches(rules.metadata_patterns, column):
            roles.append(METADATA)
        else:
            roles.append(QUESTION)
    return tuple(roles)


def _matches(patterns: Sequence[re.Pattern[str]], column: Column) -> bool:
    return any(pattern.search(column.name) or pattern.search(column.label) for pattern in patterns)


def find_column(columns: Sequence[Column], keys: frozenset[str]) -> Column | None:
    """The first column whose name or label has one of these name keys."""
    for column in columns:
        if {name_key(column.name), name_key(column.label)} & keys:
            return column
    return None


@dataclass(frozen=True)
class ResponseFlags:
    """Per-response flags read from platform metadata (boolean arrays in row order)."""

    reasons: dict[str, np.ndarray]
    """``preview``/``test``/``spam`` → which responses have that status."""
    unfinished: np.ndarray
    """Responses the platform marks as not finished."""
    issues: tuple[ValidationIssue, ...] = ()
    """Unrecognised status values and the like."""


def response_flags(raw: RawExport, rules: ColumnRules) -> ResponseFlags:
    """Test, preview, spam and unfinished flags from the platform's metadata columns."""
    n = len(raw.rows)
    reasons = {reason: np.zeros(n, dtype=bool) for reason in TEST_REASONS}
    issues: list[ValidationIssue] = []
    status = find_column(raw.columns, rules.status)
    if status is not None:
        codes, uniques = pd.factorize(raw.rows[status.key])
        unknown: list[str] = []
        for code, value in enumerate(uniques):
            key = normalise_label(value)
            if key not in rules.status_values:
                unknown.append(str(value).strip())
                continue
            reason = rules.status_values[key]
            if reason is not None:
                reasons[reason] |= codes == code
        if unknown:
            issues.append(
                ValidationIssue(
                    "warning",
                    "unknown_status",
                    f"the {status.label!r} column holds response types the importer does not know; "
                    "those responses are kept",
                    action="Check that they are real responses; exclude test responses in the survey tool if not.",
                    column=status.label,
                    value=", ".join(unknown[:5]),
                )
            )
    channel = find_column(raw.columns, rules.channel)
    if channel is not None:
        codes, uniques = pd.factorize(raw.rows[channel.key])
        for code, value in enumerate(uniques):
            reason = rules.channel_values.get(normalise_label(value))
            if reason is not None:
                reasons[reason] |= codes == code
    # A response flagged twice (Status "Survey Test" and channel "preview") counts once, under the first reason.
    taken = np.zeros(n, dtype=bool)
    for reason in TEST_REASONS:
        reasons[reason] &= ~taken
        taken |= reasons[reason]
    unfinished = np.zeros(n, dtype=bool)
    finished = find_column(raw.columns, rules.finished)
    if finished is not None:
        codes, uniques = pd.factorize(raw.rows[finished.key])
        no = np.array([str(value).strip().casefold() in ("0", "false", "no") for value in uniques] + [False])
        unfinished = no[codes]
    return ResponseFlags(reasons, unfinished, tuple(issues))


def answered(values: pd.Series) -> np.ndarray:
    """Which cells hold an answer (anything but white space), as a boolean array."""
    return values.str.strip().ne("").to_numpy(dtype=bool)


def duplicate_keys(keys: pd.Series) -> tuple[int, np.ndarray]:
    """How many distinct non-empty keys occur more than once, and a mask of the rows that repeat an earlier one.

    Keys are compared after stripping white space and ignoring case (``Staff ID`` ``a17`` equals ``A17``).
    """
    cleaned = keys.str.strip().str.lower()  # lower() runs in pyarrow; casefold() would loop in Python
    filled = cleaned.ne("").to_numpy(dtype=bool)
    repeated = cleaned.duplicated(keep="first").to_numpy(dtype=bool) & filled
    seen_twice = cleaned[repeated].nunique()
    return int(seen_twice), repeated


def excel_serials_to_text(values: pd.Series) -> pd.Series:
    """Date-time text for cells holding an Excel date serial (days since 1899-12-30, e.g. ``45309.59``).

    Only numbers between 20000 and 80000 (years 1954–2119) are read as serials; other cells are unchanged.
    """
    sample = values[values.ne("")].iloc[:200]
    if sample.empty or pd.to_numeric(sample, errors="coerce").isna().all():
        return values  # the usual case: text dates, checked on a sample before converting a whole column
    numbers = pd.to_numeric(values, errors="coerce")
    serial = numbers.between(20000, 80000).to_numpy(dtype=bool)
    if not serial.any():
        return values
    stamps = pd.Timestamp("1899-12-30") + pd.to_timedelta(numbers[serial].to_numpy(), unit="D")
    text = stamps.round("s").strftime("%Y-%m-%d %H:%M:%S")
    converted = values.to_numpy(dtype=object).copy()
    converted[serial] = np.asarray(text, dtype=object)
    return pd.Series(converted, index=values.index, dtype="str")
