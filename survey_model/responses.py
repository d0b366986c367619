"""The responses frame: the one shape every part of the package agrees on.

One row per respondent (per wave, once waves are combined). Columns:

=====================  ===========================================================================================
column                 content
=====================  ===========================================================================================
``wave``               wave label (only in frames holding several waves; an ordered categorical, oldest first)
``respondent_id``      the platform's respondent ID as text, ``""`` when the export has none. Only in frames
                       fresh from an import: the store never keeps it (see below)
``respondent_key``     keyed hash (HMAC-SHA256, hex) of the respondent ID, ``""`` when there was none. Links the
                       same person across waves without keeping the ID
attribute ids          one text column per codebook attribute present (``school``, ``role``, ...), missing as NA;
                       frames read from the store hold them as categoricals (same values, blanks as NA): every
                       filter, group-by and privacy count then works on small integer codes
item ids               one ``float32`` column per codebook item: the scale value of the answer as exported
                       (*not* yet reversed), ``NaN`` when unanswered, :data:`NONSUBSTANTIVE` (−1) for an explicit
                       "Don't know", "N/A", "Prefer not to answer" or a platform code such as −99
=====================  ===========================================================================================

Keeping the explicit non-answers as −1 lets pages show "N/A" beside a bar and count them per group, while
:func:`survey_model.scoring.item_values` is the one place that turns them (and reversal) into scoring values.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook

__all__ = [
    "ITEM_DTYPE",
    "NONSUBSTANTIVE",
    "NOT_ANSWERED",
    "RESPONDENT_ID",
    "RESPONDENT_KEY",
    "WAVE",
    "check_responses",
    "matches",
    "present_attributes",
    "present_items",
    "subset",
]

WAVE = "wave"
RESPONDENT_ID = "respondent_id"
RESPONDENT_KEY = "respondent_key"
NONSUBSTANTIVE = -1.0
ITEM_DTYPE = np.float32
#: Group label of respondents who left a breakdown attribute blank, so a breakdown's groups add up to the whole.
NOT_ANSWERED = "Not answered"


def present_items(frame: pd.DataFrame, codebook: Codebook) -> tuple[str, ...]:
    """Codebook item ids that have a column in ``frame``, in codebook order."""
    return tuple(item_id for item_id in codebook.item_ids if item_id in frame.columns)


def present_attributes(frame: pd.DataFrame, codebook: Codebook) -> tuple[str, ...]:
    """Codebook attribute ids that have a column in ``frame``, in codebook order."""
    return tuple(attribute_id for attribute_id in codebook.attribute_ids if attribute_id in frame.columns)


def check_responses(frame: pd.DataFrame, codebook: Codebook) -> None:
    """Raise ``ValueError`` when ``frame`` does not follow the layout above (a programmer error)."""
    items = present_items(frame, codebook)
    if not items:
        raise ValueError(f"the responses frame has no column for any item of codebook {codebook.id!r}")
    for item_id in items:
        column = frame[item_id]
        if not pd.api.types.is_float_dtype(column):
            raise ValueError(f"item column {item_id!r} must hold floats (scale values), not {column.dtype}")
        scale = codebook.scale_of(item_id)
        values = column.to_numpy()
        allowed = np.isnan(values) | (values == NONSUBSTANTIVE) | np.isin(values, scale.values)
        if not allowed.all():
            bad = np.unique(values[~allowed])[:5].tolist()
            raise ValueError(f"item column {item_id!r} holds values outside scale {scale.id!r}: {bad}")


def matches(frame: pd.DataFrame, **equals: str | Sequence[str] | None) -> np.ndarray:
    """Boolean mask of the rows whose columns equal the given values (the rule of :func:`subset`).

    >>> df = pd.DataFrame({"wave": ["W1", "W2", "W2"], "school": ["Oak", "Oak", "Elm"]})
    >>> matches(df, wave="W2", school=["Oak", "Ash"]).tolist()
    [False, True, False]
    """
    mask = np.ones(len(frame), dtype=bool)
    for column, wanted in equals.items():
        if wanted is None:
            continue
        if column not in frame.columns:
            raise ValueError(f"cannot filter on {column!r}: no such column in the responses frame")
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        mask &= frame[column].isin(values).to_numpy(dtype=bool, na_value=False)
    return mask


def subset(frame: pd.DataFrame, **equals: str | Sequence[str] | None) -> pd.DataFrame:
    """Rows whose columns equal the given values; ``None`` means no restriction on that column.

    A sequence value keeps rows matching any of its values. Unknown column names raise ``ValueError``.

    >>> df = pd.DataFrame({"wave": ["W1", "W2", "W2"], "school": ["Oak", "Oak", "Elm"]})
    >>> subset(df, wave="W2", school=None)["school"].tolist()
    ['Oak', 'Elm']
    """
    return frame[matches(frame, **equals)]
