"""Internal consistency of each condition: Cronbach's alpha with a Feldt interval, and item-rest correlations.

Alpha is computed on scoring values (:func:`survey_model.scoring.item_values`): reverse-worded items reversed,
"Don't know"/"N/A" missing. Respondents with any missing item of the condition are left out (listwise
deletion), so ``n`` is the number of complete answer sets; with many partial answers alpha describes the
complete responders only.

A conventional floor is 0.70 (Nunnally 1978); alpha rises with the number of items, so a four-item condition
just under 0.70 is "questionable" rather than unusable.

References
----------
Cronbach LJ (1951). Coefficient alpha and the internal structure of tests. Psychometrika 16:297–334.
Feldt LS, Woodruff DJ, Salih FA (1987). Statistical inference for coefficient alpha. Applied Psychological
Measurement 11:93–103 (formulas 6 and 7).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook
from survey_model.privacy import SUPPRESSED, suppress
from survey_model.responses import WAVE
from survey_model.scoring import NOT_ANSWERED, item_values

__all__ = ["ALPHA_FLOOR", "condition_reliability", "cronbach_alpha", "item_reliability", "item_rest_correlations"]

ALPHA_FLOOR = 0.70


def _complete(items: pd.DataFrame | np.ndarray) -> tuple[np.ndarray, list]:
    """Rows with every item answered, and the item names."""
    if isinstance(items, pd.DataFrame):
        names = list(items.columns)
        values = items.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = np.asarray(items, dtype=np.float64)
        if values.ndim != 2:
            raise ValueError("items must be a 2-D table: respondents × items")
        names = list(range(values.shape[1]))
    if values.shape[1] < 2:
        raise ValueError(f"alpha needs at least two items, got {values.shape[1]}")
    return values[~np.isnan(values).any(axis=1)], names


def cronbach_alpha(items: pd.DataFrame | np.ndarray, *, confidence: float = 0.95) -> tuple[float, tuple[float, float]]:
    """Cronbach's alpha with the Feldt confidence interval, after listwise deletion.

    .. math:: \\alpha = \\frac{k}{k - 1}\\left(1 - \\frac{\\sum_i s_i^2}{s_X^2}\\right)

    where ``s_i²`` are the item variances and ``s_X²`` the variance of the total score (``ddof=1``), over the
    ``n`` respondents who answered all ``k`` items. Feldt et al. (1987):

    .. math:: L = 1 - (1 - \\alpha)F_{1-\\gamma/2}, \\quad U = 1 - (1 - \\alpha)F_{\\gamma/2}

    with ``F`` quantiles of the F distribution on ``n − 1`` and ``(n − 1)(k − 1)`` degrees of freedom and
    ``γ = 1 − confidence``.

    Parameters
    ----------
    items : DataFrame or 2-D array
        Respondents × items, scoring values (reverse items already reversed); NaN = missing.
    confidence : float, default=0.95

    Returns
    -------
    alpha : float
        ``NaN`` when fewer than two respondents answered every item or the total score does not vary.
    (lo, hi) : tuple of float
        The Feldt interval (``NaN`` with alpha).

    Raises
    ------
    ValueError
        With fewer than two items (alpha is not defined for one item).

    Examples
    --------
    >>> x = np.array([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5], [5, 5, 5]])
    >>> alpha, (lo, hi) = cronbach_alpha(x)
    >>> round(alpha, 4), round(lo, 4), round(hi, 4)
    (0.9618, 0.8068, 0.9957)
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    values, _ = _complete(items)
    n, k = values.shape
    if n < 2:
        return np.nan, (np.nan, np.nan)
    total_variance = values.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return np.nan, (np.nan, np.nan)
    alpha = k / (k - 1) * (1 - values.var(axis=0, ddof=1).sum() / total_variance)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    gamma = 1 - confidence
    from scipy import stats  # here: importing it costs every start about 60 MB

    lo = 1 - (1 - alpha) * stats.f.ppf(1 - gamma / 2, df1, df2)
    hi = 1 - (1 - alpha) * stats.f.ppf(gamma / 2, df1, df2)
    return float(alpha), (float(lo), float(hi))


def item_rest_correlations(items: pd.DataFrame | np.ndarray) -> pd.Series:
    """Correlation of each item with the sum of the other items (corrected item-total correlation).

    Computed on respondents who answered every item (listwise deletion). A low or negative value flags an item
    that does not go with the others (often a reverse-worded item left unreversed). ``NaN`` where the item or its
    rest score does not vary.

    Returns
    -------
    Series
        Indexed by item (column names, or positions for an array), in [−1, 1].

    Examples
    --------
    >>> x = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 4, 4, 5], "c": [2, 3, 3, 5, 5]})
    >>> item_rest_correlations(x).round(4).tolist()
    [0.9923, 0.8926, 0.8926]
    """
    values, names = _complete(items)
    result = np.full(len(names), np.nan)
    if len(values) >= 2:
        rest = values.sum(axis=1, keepdims=True) - values
        dev_item, dev_rest = values - values.mean(axis=0), rest - rest.mean(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            result = (dev_item * dev_rest).sum(axis=0) / np.sqrt((dev_item**2).sum(axis=0) * (dev_rest**2).sum(axis=0))
        result = np.where(np.isfinite(result), result, np.nan)
    return pd.Series(result, index=names, name="item_rest", dtype="float64")


def _groups(frame: pd.DataFrame, by: Sequence[str]) -> list[tuple[dict, np.ndarray]]:
    """(group values, row positions) for each wave × breakdown group; blanks grouped as in scoring."""
    columns = ([WAVE] if WAVE in frame.columns else []) + [column for column in by if column != WAVE]
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"cannot break down by {missing}: no such column in the responses frame")
    if not columns:
        return [({}, np.arange(len(frame)))]
    keys = pd.DataFrame(
        {c: frame[c].astype("string").fillna(NOT_ANSWERED).replace("", NOT_ANSWERED) for c in columns},
        index=frame.index,
    )
    if WAVE in columns and isinstance(frame[WAVE].dtype, pd.CategoricalDtype):
        keys[WAVE] = pd.Categorical(keys[WAVE], categories=[str(c) for c in frame[WAVE].cat.categories], ordered=True)
    grouped = keys.groupby(columns, sort=True, observed=True)
    result = []
    for key, index in grouped.indices.items():
        values = key if isinstance(key, tuple) else (key,)
        result.append((dict(zip(columns, (str(v) for v in values), strict=True)), np.asarray(index)))
    return result


def condition_reliability(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    by: Sequence[str] = (),
    min_n: int = 5,
    floor: float = ALPHA_FLOOR,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Cronbach's alpha of every condition, per wave (when the frame has a ``wave`` column) and group.

    Parameters
    ----------
    frame : DataFrame
        A responses frame (see :mod:`survey_model.responses`).
    codebook : Codebook
    by : sequence of str, default=()
        Extra breakdown columns (e.g. ``["school"]``); the wave is always a breakdown when present.
    min_n : int, default=5
        Groups with fewer complete answer sets show no figures (privacy rule).
    floor : float, default=0.70
        Alphas below it are flagged.
    confidence : float, default=0.95

    Returns
    -------
    DataFrame
        One row per wave × group × condition: ``wave`` (if present), the ``by`` columns, ``condition``,
        ``condition_name``, ``n_items``, ``n`` (complete answer sets), ``alpha``, ``ci_lo``, ``ci_hi``,
        ``below_floor`` (True when alpha < ``floor``), ``note`` (why alpha is missing, or "below 0.70") and
        ``suppressed`` (as :func:`survey_model.privacy.suppress`: figures and n missing when not ``""``).
    """
    rows = []
    for values_of, rows_of, condition, ids, values in _condition_blocks(frame, codebook, by):
        row = {**values_of, "condition": condition.id, "condition_name": condition.name, "n_items": len(ids)}
        if len(ids) < 2:
            rows.append(
                {
                    **row,
                    "n": len(rows_of),
                    "alpha": np.nan,
                    "ci_lo": np.nan,
                    "ci_hi": np.nan,
                    "below_floor": False,
                    "note": "one item: alpha is not defined",
                }
            )
            continue
        complete = int((~np.isnan(values).any(axis=1)).sum())
        alpha, (lo, hi) = cronbach_alpha(values, confidence=confidence)
        if np.isnan(alpha):
            note = "no complete answers" if complete < 2 else "answers do not vary"
        else:
            note = f"below {floor:.2f}" if alpha < floor else ""
        rows.append(
            {
                **row,
                "n": complete,
                "alpha": alpha,
                "ci_lo": lo,
                "ci_hi": hi,
                "below_floor": bool(alpha < floor),
                "note": note,
            }
        )
    figures = ("n", "alpha", "ci_lo", "ci_hi", "below_floor", "note")
    return _suppressed(rows, frame, by, min_n, figures=figures)


def item_reliability(
    frame: pd.DataFrame, codebook: Codebook, *, by: Sequence[str] = (), min_n: int = 5
) -> pd.DataFrame:
    """Item-rest correlation and alpha-if-deleted for every condition item, per wave and group.

    Returns
    -------
    DataFrame
        One row per wave × group × item: ``wave`` (if present), the ``by`` columns, ``condition``, ``item``,
        ``reverse``, ``n`` (complete answer sets of the condition), ``item_rest``, ``alpha_if_deleted`` and
        ``suppressed``. Conditions with fewer than two items present have no row.
    """
    rows = []
    for values_of, _, condition, ids, values in _condition_blocks(frame, codebook, by):
        if len(ids) < 2:
            continue
        complete = int((~np.isnan(values).any(axis=1)).sum())
        rest = item_rest_correlations(values)
        for j, item_id in enumerate(ids):
            others = np.delete(values, j, axis=1)
            without = cronbach_alpha(others)[0] if others.shape[1] >= 2 else np.nan
            rows.append(
                {
                    **values_of,
                    "condition": condition.id,
                    "item": item_id,
                    "reverse": codebook.item(item_id).reverse,
                    "n": complete,
                    "item_rest": rest.iloc[j],
                    "alpha_if_deleted": without,
                }
            )
    figures = ("n", "item_rest", "alpha_if_deleted")
    return _suppressed(rows, frame, by, min_n, label_columns=("condition", "item", "reverse"), figures=figures)


def _condition_blocks(frame: pd.DataFrame, codebook: Codebook, by: Sequence[str]):
    """(group values, row positions, condition, item ids present, scoring values) for each group × condition."""
    blocks = []
    for condition in codebook.conditions:
        ids = [item.id for item in codebook.items_for(condition.id) if item.id in frame.columns]
        if ids:
            blocks.append((condition, ids, item_values(frame, codebook, ids)))
    for values_of, positions in _groups(frame, by):
        for condition, ids, values in blocks:
            yield values_of, positions, condition, ids, values[positions]


def _suppressed(
    rows: list[dict],
    frame: pd.DataFrame,
    by: Sequence[str],
    min_n: int,
    label_columns: Sequence[str] = ("condition", "condition_name", "n_items"),
    *,
    figures: Sequence[str],
) -> pd.DataFrame:
    group_columns = ([WAVE] if WAVE in frame.columns else []) + [c for c in by if c != WAVE]
    if not rows:  # an empty selection (e.g. a school hidden in every wave) still has the documented columns
        return pd.DataFrame(columns=[*group_columns, *label_columns, *figures, SUPPRESSED])
    table = pd.DataFrame(rows)
    return suppress(table, keys=[*group_columns, *label_columns], min_n=min_n)
