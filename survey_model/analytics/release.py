"""What the analyses may use: the one privacy gate of :mod:`survey_model.analytics`.

Every analysis (instrument check, drivers, profiles) reads its respondents through :func:`released_rows` and
nothing else, so the release rule can be changed, or pointed at a central release decision, in this one place.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from survey_model.privacy import SUPPRESSED, restrict, suppress
from survey_model.release import WITHHELD
from survey_model.responses import WAVE


def released_rows(
    frame: pd.DataFrame, restriction: Mapping[str, str | None], *, wave: str, min_n: int, by: str = "school"
) -> pd.DataFrame:
    """The respondents of one wave an analysis may use: the selection as the pages release it, less small groups.

    The rule: (1) the selection (school, level, role filters) is taken as :func:`survey_model.privacy.restrict`
    releases it, so a selection hidden on the other pages (small, or hidden to protect a smaller group) gives no
    rows here either; (2) within it, only respondents of ``by`` groups (schools) with at least ``min_n``
    respondents in the wave are kept, so every group an analysis describes or pools is itself publishable;
    (3) when fewer than ``min_n`` respondents remain, nothing is released.

    Parameters
    ----------
    frame : DataFrame
        Responses of every wave (``wave`` column), as the dashboard holds them.
    restriction : mapping
        Column → value of the sidebar filters (``None`` for all).
    wave : str
        The wave analysed.
    min_n : int
        Smallest publishable group (``settings.min_n``, 5 by default).
    by : str, default="school"
        The groups that must each be publishable.

    Returns
    -------
    DataFrame
        The released rows (possibly empty), same columns as ``frame``.

    Examples
    --------
    >>> df = pd.DataFrame({"wave": ["W1"] * 29, "school": ["Big"] * 10 + ["Mid"] * 6 + ["Tiny"] * 3 + ["Large"] * 10})
    >>> released_rows(df, {}, wave="W1", min_n=5)["school"].unique().tolist()  # Mid hidden beside Tiny
    ['Big', 'Large']
    """
    rows = restrict(frame, restriction, min_n=min_n)
    rows = rows[(rows[WAVE].astype("string") == wave).to_numpy(dtype=bool)]
    if by in rows.columns and len(rows):
        groups = rows[by].astype("string").fillna("")
        sizes = groups.value_counts()
        counts = pd.DataFrame({by: sizes.index.to_numpy(dtype=object), "n": sizes.to_numpy(dtype=np.int64)})
        shown = suppress(counts, keys=[by], min_n=min_n, breakdown=by)
        kept = set(shown.loc[shown[SUPPRESSED] == "", by]) - {"", WITHHELD}  # a pool of small schools is no group
        rows = rows[groups.isin(kept).to_numpy(dtype=bool)]
    if len(rows) < min_n:
        return rows.iloc[0:0]
    return rows


__all__ = [
    "released_rows",
]
