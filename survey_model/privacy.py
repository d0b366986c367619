"""Minimum-n suppression, so no figure ever describes fewer than the minimum number of respondents.

The per-table rules (``docs/rules.md``; what may be published at all is decided once per wave by
:mod:`survey_model.release`, and these rules then hide figures whose own n is too small):

* **Primary suppression**: a row whose count ``n`` is below ``min_n`` (default 5) shows no figure at all, not
  even its count; it carries a reason instead (:data:`SMALL_GROUP`).
* **Complementary suppression**: in a breakdown whose groups add up to a shown total (schools of a district, roles
  in a school), hiding one group is not enough: its figures could be recovered by subtracting the shown groups
  from the total. So whenever a breakdown hides anything, it hides the next-smallest groups as well
  (:data:`COMPLEMENTARY`) until at least two groups are hidden *and* the hidden groups together hold at least
  ``min_n`` respondents. What subtraction can then recover is only the combined figure of several hidden groups,
  itself over at least ``min_n`` respondents.

Counts are hidden together with the figures, so a hidden group is described only as "fewer than *n* responses".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from survey_model.responses import NOT_ANSWERED, WAVE, matches, subset

SMALL_GROUP = "small_group"
COMPLEMENTARY = "complementary"
SUPPRESSED = "suppressed"
"""Name of the column saying why a row is hidden: ``""`` when shown."""


def hidden_message(min_n: int) -> str:
    """The words shown in place of a hidden group's figures."""
    return f"fewer than {min_n} responses — hidden to protect confidentiality"


def selection_hidden_message(min_n: int) -> str:
    """Why a whole selection (a school, a role, or both) shows nothing: either reason applies, and both protect.

    A selection hidden only to protect a smaller group may itself be large, so "fewer than 5" alone would be untrue.
    """
    return (
        f"This selection is hidden to protect confidentiality: it has fewer than {min_n} responses, or showing it "
        "would let a smaller group be worked out by subtraction. Choose a broader filter."
    )


def suppress(
    table: pd.DataFrame,
    *,
    keys: Sequence[str],
    min_n: int = 5,
    n_column: str = "n",
    breakdown: str | None = None,
) -> pd.DataFrame:
    """Hide every figure of rows describing fewer than ``min_n`` respondents.

    Parameters
    ----------
    table : DataFrame
        Any aggregate table with one row per group and a count column.
    keys : sequence of str
        Columns that name a row (e.g. ``["wave", "school", "condition"]``); they stay visible.
        Every other column is a figure and is blanked on hidden rows.
    min_n : int, default=5
        Smallest count that may be shown.
    n_column : str, default="n"
        The count column (respondents behind the row's figures).
    breakdown : str, optional
        The key whose groups add up to a total (e.g. ``"school"``). Rows that share every other key form one
        breakdown and get complementary suppression. ``None`` when rows are not parts of a shown whole.

    Returns
    -------
    DataFrame
        A copy of ``table`` with a :data:`SUPPRESSED` column (``""``, :data:`SMALL_GROUP` or
        :data:`COMPLEMENTARY`) and every figure, including the count, set to missing on hidden rows.
        Integer figure columns become nullable (``Int64``).

    Examples
    --------
    >>> t = pd.DataFrame({"role": ["Teacher", "Coach", "Admin", "Other"], "n": [40, 3, 6, 9],
    ...                   "pct": [61.0, 20.0, 50.0, 70.0]})
    >>> out = suppress(t, keys=["role"], breakdown="role")
    >>> out[SUPPRESSED].tolist(), out["n"].tolist()
    (['', 'small_group', 'complementary', ''], [40, <NA>, <NA>, 9])
    """
    if min_n < 1:
        raise ValueError(f"min_n must be positive, got {min_n}")
    missing = [column for column in (*keys, n_column) if column not in table.columns]
    if missing:
        raise ValueError(f"suppress: no column(s) {missing} in the table")
    if breakdown is not None and breakdown not in keys:
        raise ValueError(f"breakdown {breakdown!r} must be one of the keys {list(keys)}")
    result = table.copy()
    counts = result[n_column].fillna(0).to_numpy(dtype=np.float64)
    reason = np.where(counts < min_n, SMALL_GROUP, "").astype(object)
    if breakdown is not None:
        reason = _complementary(result, counts, reason, keys=keys, breakdown=breakdown, min_n=min_n)
    hidden = reason != ""
    for column in result.columns:
        if column in keys:
            continue
        if pd.api.types.is_integer_dtype(result[column]) or pd.api.types.is_bool_dtype(result[column]):
            result[column] = result[column].astype("Int64")
        elif not (pd.api.types.is_float_dtype(result[column]) or isinstance(result[column].dtype, pd.StringDtype)):
            result[column] = result[column].astype(object)
        if hidden.any():
            result.loc[hidden, column] = pd.NA
    result[SUPPRESSED] = reason
    return result


def _complementary(
    table: pd.DataFrame, counts: np.ndarray, reason: np.ndarray, *, keys: Sequence[str], breakdown: str, min_n: int
) -> np.ndarray:
    """Hide the next-smallest groups of every breakdown that hides anything (see the module docstring)."""
    reason = reason.copy()
    partition = [key for key in keys if key != breakdown]
    positions = np.arange(len(table))
    groups = (
        [positions]
        if not partition
        else [
            np.asarray(index)
            for index in table.groupby(partition, observed=True, sort=False, dropna=False).indices.values()
        ]
    )
    for rows in groups:
        hidden = rows[reason[rows] != ""]
        if len(hidden) == 0:
            continue
        shown = sorted(rows[reason[rows] == ""], key=lambda row: (counts[row], row))
        while shown and (len(hidden) < 2 or counts[hidden].sum() < min_n):
            row = shown.pop(0)
            reason[row] = COMPLEMENTARY
            hidden = np.append(hidden, row)
    return reason


def shown(table: pd.DataFrame, **equals: str | None) -> pd.DataFrame:
    """Rows of a suppressed table that may be displayed with their figures (those whose columns equal ``equals``).

    >>> t = suppress(pd.DataFrame({"wave": ["W1", "W2"], "n": [3, 9]}), keys=["wave"])
    >>> shown(t)["wave"].tolist(), shown(t, wave="W1").empty
    (['W2'], True)
    """
    return table[(table[SUPPRESSED] == "").to_numpy(dtype=bool) & matches(table, **equals)]


def hidden(table: pd.DataFrame, **equals: str | None) -> pd.DataFrame:
    """Rows of a suppressed table that are hidden (those whose columns equal ``equals``): their keys, no figure."""
    return table[(table[SUPPRESSED] != "").to_numpy(dtype=bool) & matches(table, **equals)]


def is_shown(row: pd.Series) -> bool:
    """True when one row of a suppressed table may be displayed."""
    return row[SUPPRESSED] == ""


def hidden_waves(
    frame: pd.DataFrame, restriction: Mapping[str, str | None], *, min_n: int = 5, weights: str | None = None
) -> set[str]:
    """Waves in which a selection (e.g. one school) must stay hidden because its breakdown hides it.

    A selected group is one group of a breakdown: School = Dogwood is one row of the schools grid. If that
    breakdown hides it in a wave — because it is small, or to protect a smaller school (complementary
    suppression) — showing the selection on its own would undo the protection: the organization's total minus
    every shown school would reveal the small one. So for each restricted column, the selection's group is
    checked within its breakdown (per wave, under the other restrictions) with :func:`suppress`.
    A frame without a ``wave`` column is treated as one wave labelled ``""``. With ``weights``, each row counts
    as that column's number of respondents (a row of :class:`survey_model.tallies.Tallies` is a cell of many).

    Examples
    --------
    >>> df = pd.DataFrame({"wave": ["W1"] * 19, "school": ["Big"] * 10 + ["Mid"] * 6 + ["Tiny"] * 3})
    >>> hidden_waves(df, {"school": "Mid"}), hidden_waves(df, {"school": "Big"})
    ({'W1'}, set())
    """
    active = {column: value for column, value in restriction.items() if value is not None}
    hidden: set[str] = set()
    waves, wave_labels = _codes(frame[WAVE]) if WAVE in frame.columns else (np.zeros(len(frame), np.intp), [""])
    for column, value in active.items():
        base = matches(frame, **{other: v for other, v in active.items() if other != column})
        groups, group_labels = _codes(frame[column])
        # Respondents per wave × group of the breakdown, counted on integer codes (a statewide frame has 500,000).
        cells = np.bincount(
            waves[base] * len(group_labels) + groups[base],
            weights=None if weights is None else frame[weights].to_numpy(dtype=np.float64)[base],
            minlength=len(wave_labels) * len(group_labels),
        ).astype(np.int64)
        wave_of, group_of = np.divmod(np.flatnonzero(cells), len(group_labels))
        counts = pd.DataFrame(
            {
                WAVE: np.asarray(wave_labels, dtype=object)[wave_of],
                column: np.asarray(group_labels, dtype=object)[group_of],
                "n": cells[cells > 0],
            }
        )
        counts = counts.groupby([WAVE, column], sort=False)["n"].sum().reset_index()  # blank and NA together
        table = suppress(counts, keys=[WAVE, column], min_n=min_n, breakdown=column)
        hidden |= set(table.loc[(table[column] == value) & (table[SUPPRESSED] != ""), WAVE])
    return hidden


def _codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each value's code and the codes' labels as text, blanks and NA labelled :data:`NOT_ANSWERED` (NA last)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # the codes are already there (categories may go unused)
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = ["" if pd.isna(u) else str(u) for u in uniques] + [""]
    codes = np.where(codes < 0, len(labels) - 1, codes).astype(np.intp)
    return codes, [label or NOT_ANSWERED for label in labels]


def restrict(frame: pd.DataFrame, restriction: Mapping[str, str | None], *, min_n: int = 5) -> pd.DataFrame:
    """The rows of a selection, less every wave where :func:`hidden_waves` says it must stay hidden.

    Use this, not :func:`survey_model.responses.subset`, wherever a user's filter picks the rows to show: the
    waves that lose their rows then show the confidentiality message on every page.

    >>> df = pd.DataFrame({"wave": ["W1"] * 19, "school": ["Big"] * 10 + ["Mid"] * 6 + ["Tiny"] * 3})
    >>> len(restrict(df, {"school": "Mid"})), len(restrict(df, {"school": "Big"}))
    (0, 10)
    """
    selected = subset(frame, **restriction)
    hidden = hidden_waves(frame, restriction, min_n=min_n)
    if not hidden:
        return selected
    if WAVE not in selected.columns:
        return selected.iloc[0:0]
    return selected[~selected[WAVE].astype("string").isin(hidden).to_numpy(dtype=bool)]


__all__ = [
    "COMPLEMENTARY",
    "SMALL_GROUP",
    "SUPPRESSED",
    "hidden",
    "hidden_message",
    "hidden_waves",
    "is_shown",
    "restrict",
    "selection_hidden_message",
    "shown",
    "suppress",
]
