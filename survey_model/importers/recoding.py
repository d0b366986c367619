"""Answer labels to scale values, one column at a time, by mapping each distinct answer once.

For an item on a scale, an answer (white space stripped) becomes:

========================================================  ============================================
answer                                                    value in the responses frame
========================================================  ============================================
blank                                                     ``NaN`` (unanswered)
a label or alias of the scale, compared with               the option's value
:func:`~survey_model.codebook.normalise_label` (HTML
stripped first)
a number that is a value of the scale (``4``, ``4.0``)     that value (numeric exports)
a numbered label whose number and label agree              that value (``5 - Strongly agree``)
("5 - Strongly agree", "Agree (4)")
a "no answer" label: the scale's and                       :data:`~survey_model.responses.NONSUBSTANTIVE`
:data:`~survey_model.codebook.COMMON_MISSING_LABELS`,      (−1), counted separately
or one that says "prefer not", "don't know", "not
applicable", "no basis", "unable to judge"
a negative number (platform codes such as −99, −1)         −1
anything else                                              ``NaN`` **and** reported as unknown, with its
                                                           count and first row (an error: it blocks saving)
========================================================  ============================================

Attribute answers keep their text (stripped; blank and "no answer" labels such as "Prefer not to answer" →
missing); an answer equal to one of the attribute's options up to case, spaces and punctuation takes the
codebook's spelling, and other answers of an attribute with options are reported (a warning) and kept as written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey_model.codebook import COMMON_MISSING_LABELS, Attribute, Scale, normalise_label
from survey_model.importers.export import plain_text
from survey_model.responses import ITEM_DTYPE, NONSUBSTANTIVE

__all__ = [
    "RecodedItem",
    "label_value",
    "looks_like_excel_date",
    "recode_attribute",
    "recode_attribute_codes",
    "recode_item",
    "recode_item_codes",
]

_MISSING_WORDS = re.compile(
    r"\b(prefer not|dont know|do not know|not applicable|no basis|unable to judge|cannot judge|cant say|"
    r"cannot say|no opinion|decline to)\b"
)
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_NUMBER_FIRST = re.compile(r"^(\d+)\s*[-=:.)]\s*(\S.*)$")
_NUMBER_LAST = re.compile(r"^(.*\S)\s*[(\[](\d+)[)\]]$")
_EXCEL_DATE = re.compile(r"^\d{1,2}-[A-Z][a-z]{2}$|^[A-Z][a-z]{2}-\d{2}$")


@dataclass(frozen=True)
class RecodedItem:
    """An item column recoded to scale values."""

    values: np.ndarray
    """``float32`` values: scale values, ``NaN`` unanswered, −1 non-substantive."""
    unknown: dict[str, tuple[int, int]]
    """Each answer that is not on the scale → (number of cells, index of the first one)."""
    nonsubstantive: int
    """Number of "no answer" cells (−1)."""


@dataclass(frozen=True)
class _Lookup:
    labels: dict[str, int]
    missing: frozenset[str]
    values: frozenset[int]


def _lookup(scale: Scale) -> _Lookup:
    return _Lookup(scale.label_lookup, scale.missing_lookup, frozenset(scale.values))


def label_value(text: str, scale: Scale) -> float | None:
    """Value of one answer on ``scale`` (see the module docstring); ``None`` when the answer is unknown.

    >>> from survey_model.codebook import load_codebook
    >>> agree = load_codebook().scale("agree5")
    >>> label_value(" strongly  AGREE ", agree), label_value("Prefer not to answer", agree), label_value("-99", agree)
    (5.0, -1.0, -1.0)
    >>> label_value("", agree), label_value("Sometimes", agree)
    (nan, None)
    """
    return _value(text, _lookup(scale))


def _value(text: str, lookup: _Lookup) -> float | None:
    stripped = text.strip()
    if not stripped:
        return math.nan
    key = normalise_label(plain_text(stripped))
    if key in lookup.labels:
        return float(lookup.labels[key])
    if _NUMBER.match(stripped):
        number = float(stripped)
        if number < 0:
            return NONSUBSTANTIVE
        if number.is_integer() and int(number) in lookup.values:
            return number
        return None
    if key in lookup.missing or key == "na" or key.endswith(" na") or _MISSING_WORDS.search(key):
        return NONSUBSTANTIVE
    numbered = _NUMBER_FIRST.match(stripped)
    if numbered:
        number, label = int(numbered.group(1)), numbered.group(2)
    else:
        numbered = _NUMBER_LAST.match(stripped)
        if not numbered:
            return None
        number, label = int(numbered.group(2)), numbered.group(1)
    if lookup.labels.get(normalise_label(plain_text(label))) == number:
        return float(number)
    return None


def recode_item(values: pd.Series, scale: Scale) -> RecodedItem:
    """Scale values of an item column (see the module docstring); each distinct answer is looked up once."""
    codes, uniques = pd.factorize(values)
    return recode_item_codes(codes, uniques, scale)


def recode_item_codes(codes: np.ndarray, uniques: Sequence[object], scale: Scale) -> RecodedItem:
    """:func:`recode_item` on a factorised column: ``uniques[codes]`` are the answers (``pandas.factorize``)."""
    lookup = _lookup(scale)
    table = np.empty(len(uniques) + 1, dtype=ITEM_DTYPE)
    table[-1] = np.nan  # code -1: a missing cell (never produced when reading, kept for safety)
    unknown_codes: list[int] = []
    for code, answer in enumerate(uniques):
        value = _value(str(answer), lookup)
        if value is None:
            unknown_codes.append(code)
            table[code] = np.nan
        else:
            table[code] = value
    recoded = table[codes]
    unknown: dict[str, tuple[int, int]] = {}
    for code in unknown_codes:
        where = np.flatnonzero(codes == code)
        if len(where):
            unknown[str(uniques[code]).strip()] = (len(where), int(where[0]))
    nonsubstantive = int(np.count_nonzero(recoded == NONSUBSTANTIVE))
    return RecodedItem(recoded, unknown, nonsubstantive)


def recode_attribute(values: pd.Series, attribute: Attribute) -> tuple[pd.Series, dict[str, tuple[int, int]]]:
    """Attribute answers as text, in the codebook's spelling where it has options; and the unexpected answers.

    Returns the recoded column (``str`` dtype, missing for blanks) and, for an attribute with options, each
    answer that is not one of them → (number of cells, index of the first one). "No answer" labels such as
    "Prefer not to answer" become missing and are not reported.
    """
    codes, uniques = pd.factorize(values)
    column, unexpected = recode_attribute_codes(codes, uniques, attribute)
    return column.set_axis(values.index), unexpected


def recode_attribute_codes(
    codes: np.ndarray, uniques: Sequence[object], attribute: Attribute
) -> tuple[pd.Series, dict[str, tuple[int, int]]]:
    """:func:`recode_attribute` on a factorised column (``uniques[codes]`` are the answers)."""
    options = {normalise_label(option): option for option in attribute.options}
    missing = {normalise_label(label) for label in COMMON_MISSING_LABELS}
    texts: list[str | None] = []
    unexpected_codes: list[int] = []
    for code, answer in enumerate(uniques):
        text = str(answer).strip()
        if not text:
            texts.append(None)
            continue
        key = normalise_label(text)
        if key in options:
            texts.append(options[key])
        elif key in missing or _MISSING_WORDS.search(key):
            texts.append(None)  # "Prefer not to answer" is not a group to break results down by
        else:
            texts.append(text)
            if options:
                unexpected_codes.append(code)
    # Code -1 (a missing cell) takes the last entry, None.
    column = pd.Series(pd.array([*texts, None], dtype="str").take(np.where(codes < 0, len(texts), codes)))
    unexpected: dict[str, tuple[int, int]] = {}
    for code in unexpected_codes:
        where = np.flatnonzero(codes == code)
        if len(where):
            unexpected[str(uniques[code]).strip()] = (len(where), int(where[0]))
    return column, unexpected


def looks_like_excel_date(text: str) -> bool:
    """True for answers Excel turned into dates when a CSV was opened ("2-3" → "3-Feb", "11-20" → "Nov-20")."""
    return bool(_EXCEL_DATE.match(text.strip()))
