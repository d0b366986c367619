"""Instrument check: does each item go with its own condition, in this wave?

Three views of the same question, for the respondents of one wave (see
:func:`survey_model.analytics.release.released_rows`):

* **Item–rest correlation** and **Cronbach's alpha** per condition (:mod:`survey_model.reliability`,
  complete answer sets of the condition).
* **Factor check.** ``sklearn.decomposition.FactorAnalysis`` with as many factors as conditions and a varimax
  rotation, on the standardised item values (reverse-worded items reversed). Each factor is matched to one
  condition (the matching that maximises the squared loadings of the conditions' own items, Hungarian
  algorithm), and each item's loading on its condition's factor is compared with its largest loading on any
  other factor. An item **sits better elsewhere** when its largest other loading exceeds its own, and **loads
  weakly** when its own loading is below :data:`WEAK_LOADING` (0.30, a conventional floor).

The factor check uses respondents with a score on every condition (at least half of each condition's items);
an item they left unanswered takes the mean of their other answers on the same condition (person-mean
substitution), so a single skipped item does not drop the whole answer set.

Above :data:`FACTOR_ROWS` respondents the factor analysis runs on a seeded sample of that many.

Rule for showing it (:data:`PER_ITEM`): at least 10 such respondents per item (280 for 28 items), a common
minimum for a factor analysis. Alpha and item–rest correlations follow the same rule so the three stay together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import FactorAnalysis
from threadpoolctl import threadpool_limits

from survey_model.codebook import Codebook
from survey_model.reliability import ALPHA_FLOOR, cronbach_alpha, item_rest_correlations
from survey_model.scoring import item_values

#: Respondents needed per item for the check to be shown.
PER_ITEM = 10
#: Respondents the factor analysis uses at most (a seeded sample above this; alpha and item–rest use everyone).
FACTOR_ROWS = 20_000
#: Loading below which an item "loads weakly" on its own condition.
WEAK_LOADING = 0.30

SITS_ELSEWHERE = "sits better elsewhere"
LOADS_WEAKLY = "loads weakly"


@dataclass(frozen=True)
class InstrumentCheck:
    """The instrument check of one wave, or why it is not shown."""

    shown: bool
    message: str
    """Plain words: why nothing is shown, or how many respondents the check rests on."""
    n: int
    """Respondents in the factor check (a score on every condition)."""
    items: pd.DataFrame = field(default_factory=pd.DataFrame)
    """One row per item: ``item``, ``condition``, ``condition_name``, ``text``, ``item_rest``, ``own_loading``,
    ``other_loading``, ``other_condition`` (name of the condition whose factor holds ``other_loading``),
    ``flag`` (``""``, :data:`SITS_ELSEWHERE` or :data:`LOADS_WEAKLY`) and ``note`` (the flag in a sentence)."""
    conditions: pd.DataFrame = field(default_factory=pd.DataFrame)
    """One row per condition: ``condition``, ``name``, ``n`` (complete answer sets), ``alpha``, ``alpha_low``,
    ``alpha_high`` (95% Feldt interval) and ``below_floor`` (alpha under 0.70)."""


def required_respondents(n_items: int) -> int:
    """Respondents needed to show the check for an instrument of ``n_items`` condition items."""
    return PER_ITEM * n_items


def filled_items(frame: pd.DataFrame, codebook: Codebook) -> tuple[list[str], np.ndarray]:
    """Condition items and their scoring values for respondents with a score on every condition.

    Unanswered items take the respondent's mean on the condition's answered items (person-mean substitution).
    """
    blocks = [[item.id for item in codebook.items_for(c.id) if item.id in frame.columns] for c in codebook.conditions]
    blocks = [block for block in blocks if block]
    columns, filled, scored = [], [], np.ones(len(frame), dtype=bool)
    for block in blocks:
        values = item_values(frame, codebook, block)
        answered = (~np.isnan(values)).sum(axis=1)
        scored &= answered >= len(block) / 2
        with np.errstate(invalid="ignore"):
            mean = np.nanmean(np.where(answered[:, None] > 0, values, 0.0), axis=1, keepdims=True)
        filled.append(np.where(np.isnan(values), mean, values))
        columns.extend(block)
    if not columns:
        raise ValueError(f"the responses frame has no condition item of codebook {codebook.id!r}")
    return columns, np.hstack(filled)[scored]


def instrument_check(frame: pd.DataFrame, codebook: Codebook, *, seed: int = 0) -> InstrumentCheck:
    """Item–rest correlations, alpha and a varimax factor check of every condition item.

    Parameters
    ----------
    frame : DataFrame
        Released respondents of one wave, with the condition items.
    codebook : Codebook
        The instrument.
    seed : int, default=0
        Seed of the factor analysis' randomised SVD: the same data give the same loadings.

    Returns
    -------
    InstrumentCheck
    """
    items, values = filled_items(frame, codebook)
    n, k = values.shape
    need = required_respondents(k)
    conditions = [c for c in codebook.conditions if any(item.id in items for item in codebook.items_for(c.id))]
    if n < need:
        return InstrumentCheck(
            shown=False,
            message=(
                f"Not shown: the item check needs at least {need} respondents with a score on every condition "
                f"({PER_ITEM} per item, {k} items); this selection has {n}. Choose a broader selection."
            ),
            n=n,
        )
    condition_of = {item.id: item.condition for item in codebook.condition_items}
    owner = np.array([condition_of[item] for item in items])
    ids = [c.id for c in conditions]
    names = {c.id: c.name for c in conditions}

    spread = values.std(axis=0)
    spread[spread == 0] = 1.0
    z = (values - values.mean(axis=0)) / spread
    if n > FACTOR_ROWS:  # loadings are settled long before a statewide n; a seeded sample keeps it quick
        z = z[np.random.default_rng(seed).choice(n, FACTOR_ROWS, replace=False)]
    with threadpool_limits(1):
        model = FactorAnalysis(n_components=len(ids), rotation="varimax", random_state=seed).fit(z)
    loadings = model.components_.T  # item × factor
    fit = np.array([[(loadings[owner == c, f] ** 2).sum() for f in range(len(ids))] for c in ids])
    rows, factors = linear_sum_assignment(-fit)
    factor_of = dict(zip((ids[r] for r in rows), factors, strict=True))
    condition_of_factor = {f: c for c, f in factor_of.items()}
    for c, f in factor_of.items():  # a factor's sign is arbitrary: point it the way its own items go
        if loadings[owner == c, f].sum() < 0:
            loadings[:, f] *= -1

    records = []
    frame_items = frame[items]
    for position, item in enumerate(items):
        own_factor = factor_of[owner[position]]
        own = float(loadings[position, own_factor])
        others = [f for f in range(len(ids)) if f != own_factor]
        best = max(others, key=lambda f: abs(loadings[position, f])) if others else own_factor
        other = float(abs(loadings[position, best])) if others else 0.0
        flag, note = "", ""
        if other > own:
            flag = SITS_ELSEWHERE
            note = (
                f"Goes more with {names[condition_of_factor[best]]} ({other:.2f}) than with its own condition, "
                f"{names[owner[position]]} ({own:.2f})."
            )
        elif own < WEAK_LOADING:
            flag = LOADS_WEAKLY
            note = f"Goes only weakly with its own condition ({own:.2f}, below {WEAK_LOADING:.2f})."
        records.append(
            {
                "item": item,
                "condition": owner[position],
                "condition_name": names[owner[position]],
                "text": codebook.item(item).text,
                "own_loading": own,
                "other_loading": other,
                "other_condition": names[condition_of_factor[best]] if others else "",
                "flag": flag,
                "note": note,
            }
        )
    table = pd.DataFrame(records)
    alphas, rest = [], {}
    for condition in ids:
        block = [item for item in items if condition_of[item] == condition]
        scoring = pd.DataFrame(item_values(frame_items, codebook, block), columns=block)
        complete = int(scoring.notna().all(axis=1).sum())
        alpha, (low, high) = cronbach_alpha(scoring) if len(block) >= 2 and complete >= 3 else (np.nan, (np.nan,) * 2)
        rest.update(item_rest_correlations(scoring).to_dict() if len(block) >= 2 else {block[0]: np.nan})
        alphas.append(
            {
                "condition": condition,
                "name": names[condition],
                "n": complete,
                "alpha": alpha,
                "alpha_low": low,
                "alpha_high": high,
                "below_floor": bool(alpha < ALPHA_FLOOR),
            }
        )
    table.insert(4, "item_rest", table["item"].map(rest).astype("float64"))
    flagged = int((table["flag"] != "").sum())
    return InstrumentCheck(
        shown=True,
        message=(
            f"{n:,} respondents with a score on every condition. "
            + (f"{flagged} item(s) flagged." if flagged else "Every item goes best with its own condition.")
        ),
        n=n,
        items=table,
        conditions=pd.DataFrame(alphas),
    )


__all__ = [
    "FACTOR_ROWS",
    "LOADS_WEAKLY",
    "PER_ITEM",
    "SITS_ELSEWHERE",
    "WEAK_LOADING",
    "InstrumentCheck",
    "filled_items",
    "instrument_check",
    "required_respondents",
]
