"""Condition scores, percent favorable, leader identity and stage bands.

The metric conventions (``docs/rules.md``, *Metric conventions*), applied in this order:

1. Explicit non-answers ("Don't know", "N/A", "Prefer not to answer", −99; stored as −1) and blanks are missing.
   They are never zero, and non-answers are counted separately (``n_nonsubstantive``).
2. Reverse-worded items are recoded before anything else: ``min + max − x`` (``6 − x`` on a 1–5 scale).
3. A respondent's condition score is the mean of their answered items, only when at least half the condition's
   items were answered.
4. A group's condition score is the mean of its respondents' scores (``n`` = respondents with a score).
   **Percent favorable** is the share of the group's valid item responses at or above the scale's favorable cut
   (4 or 5 on 1–5, after reversal); percent neutral and unfavorable sit beside it.
5. **Leader-identity share**: share answering *Yes* among valid answers to the headline item; *Not sure* is a
   valid answer reported separately. **Informal leaders**: *Yes* from respondents who answered *No* to the
   formal-role item, as a share of the same valid answers.

Every function is vectorised over respondents (no Python loop over rows).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook
from survey_model.responses import NONSUBSTANTIVE, NOT_ANSWERED, present_items
from survey_model.settings import DEFAULT_STAGE_BANDS, StageBand

__all__ = [
    "CONDITION_PARTS",
    "CONDITION_SUMS",
    "IDENTITY",
    "IDENTITY_OTHER",
    "IDENTITY_YES",
    "LEADER_COUNTS",
    "MIN_SHARE",
    "Groups",
    "condition_columns",
    "condition_summary",
    "condition_sums",
    "finish_conditions",
    "finish_leader",
    "identity_groups",
    "index_from_conditions",
    "index_summary",
    "item_summary",
    "item_values",
    "leader_flags",
    "leader_identity",
    "part_column",
    "respondent_parts",
    "score_respondents",
    "stage_of",
    "summed_conditions",
    "with_condition_names",
    "with_condition_parts",
]

#: The half-answered rule of :func:`score_respondents`, and the one :func:`with_condition_parts` stores.
MIN_SHARE = 0.5


def item_values(frame: pd.DataFrame, codebook: Codebook, items: Sequence[str]) -> np.ndarray:
    """Scoring values of ``items``: non-answers removed, reverse-worded items reversed.

    Parameters
    ----------
    frame : DataFrame
        A responses frame (see :mod:`survey_model.responses`).
    codebook : Codebook
        The instrument the frame was recoded with.
    items : sequence of str
        Item ids; each must be a column of ``frame``.

    Returns
    -------
    ndarray of float64, shape (len(frame), len(items))
        Scale values (1–5 on an agreement scale), ``NaN`` where unanswered or answered "Don't know"/"N/A".

    Examples
    --------
    >>> from survey_model.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({"VS1": [5.0, -1.0], "VS4": [5.0, np.nan]}, dtype="float32")
    >>> item_values(df, cb, ["VS1", "VS4"]).tolist()  # VS4 is reverse-worded: 6 - 5 = 1
    [[5.0, 1.0], [nan, nan]]
    """
    missing = [item for item in items if item not in frame.columns]
    if missing:
        raise ValueError(f"the responses frame has no column for item(s) {missing}")
    values = frame[list(items)].to_numpy(dtype=np.float64, copy=True, na_value=np.nan)
    values[values == NONSUBSTANTIVE] = np.nan
    for column, item_id in enumerate(items):
        item = codebook.item(item_id)
        if item.reverse:
            scale = codebook.scale(item.scale)
            values[:, column] = scale.min_value + scale.max_value - values[:, column]
    return values


def _condition_blocks(codebook: Codebook, frame: pd.DataFrame) -> tuple[list[str], list[str], np.ndarray]:
    """Condition items present in ``frame`` ordered condition by condition, the conditions, and block starts."""
    conditions, items, starts = [], [], []
    for condition in codebook.conditions:
        present = [item.id for item in codebook.items_for(condition.id) if item.id in frame.columns]
        if present:
            conditions.append(condition.id)
            starts.append(len(items))
            items.extend(present)
    return conditions, items, np.asarray(starts, dtype=np.intp)


def score_respondents(frame: pd.DataFrame, codebook: Codebook, *, min_share: float = MIN_SHARE) -> pd.DataFrame:
    """Each respondent's condition scores.

    Parameters
    ----------
    frame : DataFrame
        A responses frame.
    codebook : Codebook
        The instrument.
    min_share : float, default=0.5
        Smallest share of a condition's items (those present in the frame) that must be answered for a score.

    Returns
    -------
    DataFrame
        One column per condition (in codebook order), same index as ``frame``: the mean of the answered items
        after reversal, in scale points (1–5 on an agreement scale); ``NaN`` when fewer than ``min_share`` of the
        items were answered.

    Examples
    --------
    >>> from survey_model.codebook import load_codebook
    >>> cb = load_codebook()
    >>> df = pd.DataFrame({"SI1": [4, 5, np.nan], "SI2": [2, np.nan, np.nan], "SI3": [np.nan, np.nan, np.nan],
    ...                    "SI4": [1, np.nan, 3]}, dtype="float32")
    >>> score_respondents(df, cb)["SI"].tolist()  # SI4 reversed: 6 - 1 = 5; row 2 answered 1 of 4; row 3 1 of 4
    [3.6666666666666665, nan, nan]
    """
    conditions, items, starts = _condition_blocks(codebook, frame)
    if not items:
        raise ValueError(f"the responses frame has no condition item of codebook {codebook.id!r}")
    values = item_values(frame, codebook, items)
    return pd.DataFrame(_block_scores(values, starts, min_share=min_share), index=frame.index, columns=conditions)


def _block_scores(values: np.ndarray, starts: np.ndarray, *, min_share: float) -> np.ndarray:
    """Respondent × condition scores from item values ordered condition by condition (blocks from ``starts``)."""
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}")
    sizes = np.diff(np.append(starts, values.shape[1]))
    sums = np.zeros((len(values), len(starts)), order="F")
    counts = np.zeros((len(values), len(starts)), order="F")
    for column, block in enumerate(np.repeat(np.arange(len(starts)), sizes)):  # whole-column adds, item by item
        answers = values[:, column]
        answered = ~np.isnan(answers)
        sums[:, block] += np.where(answered, answers, 0.0)
        counts[:, block] += answered
    needed = sizes * min_share - 1e-9
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((counts >= needed) & (counts > 0), sums / counts, np.nan)


def _group_keys(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Breakdown columns with blanks labelled :data:`NOT_ANSWERED`, so the groups partition the frame."""
    missing = [column for column in by if column not in frame.columns]
    if missing:
        raise ValueError(f"cannot break down by {missing}: no such column in the responses frame")
    keys = pd.DataFrame(index=frame.index)
    for column in by:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            if series.isna().any():
                series = series.cat.add_categories([NOT_ANSWERED]).fillna(NOT_ANSWERED)
        else:
            series = series.astype("string").fillna(NOT_ANSWERED).replace("", NOT_ANSWERED)
        keys[column] = series
    return keys


#: Per group and condition: respondents with a score, the sum and sum of squares of their scores, and counts of
#: valid, favorable, unfavorable and explicit non-answers among their items. They add up over groups.
CONDITION_SUMS = ("n", "score_sum", "score_sq", "n_responses", "n_favorable", "n_unfavorable", "n_nonsubstantive")


class Groups:
    """The groups of a breakdown: each row's group number and one row of key values per group (sorted).

    Sums per group are one ``np.bincount`` each, which is many times faster than a pandas group-by per figure.
    With no breakdown there is one group, the whole frame (present even when the frame is empty).
    """

    def __init__(self, frame: pd.DataFrame, by: Sequence[str]) -> None:
        self.by = list(by)
        if not self.by:
            self.codes = np.zeros(len(frame), dtype=np.intp)
            self.keys = pd.DataFrame(index=pd.RangeIndex(1))
        elif len(self.by) == 1:  # one key: its codes directly (a categorical's own order, or sorted text)
            codes, uniques = pd.factorize(_group_keys(frame, self.by)[self.by[0]], sort=True)
            self.codes = codes.astype(np.intp)
            self.keys = pd.DataFrame({self.by[0]: uniques})
        else:
            grouped = _group_keys(frame, self.by).groupby(self.by, observed=True, sort=True)
            self.codes = grouped.ngroup().to_numpy(dtype=np.intp)
            self.keys = grouped.size().reset_index()[self.by]  # a RangeIndex: group number
        self.count = len(self.keys)

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Per-group sums of one value per row (booleans count)."""
        return np.bincount(self.codes, weights=np.asarray(values, dtype=np.float64), minlength=self.count)

    def table(self, columns: dict[str, object], *, repeat: int = 1) -> pd.DataFrame:
        """The group keys (``repeat`` times over) with ``columns`` beside them: one value per group and repeat."""
        keys = self.keys if repeat == 1 else pd.concat([self.keys] * repeat, ignore_index=True)
        return pd.DataFrame({**{key: keys[key] for key in self.by}, **columns}, index=keys.index)


def stage_of(pct_favorable: pd.Series | float, bands: Sequence[StageBand] = DEFAULT_STAGE_BANDS) -> pd.Series | str:
    """Stage band name for a percent favorable (0–100); ``""`` where the percentage is missing.

    >>> stage_of(69.9), stage_of(70.0), stage_of(85)
    ('Developing', 'Established', 'Sustaining')
    """
    edges = [band.lower for band in bands][1:]
    names = np.array([band.name for band in bands], dtype=object)
    if np.isscalar(pct_favorable):
        value = float(pct_favorable)  # type: ignore[arg-type]
        return "" if np.isnan(value) else str(names[np.searchsorted(edges, value, side="right")])
    series = pd.Series(pct_favorable, dtype="float64")
    result = pd.Series(names[np.searchsorted(edges, series.fillna(0).to_numpy(), side="right")], index=series.index)
    return result.where(series.notna(), "")


#: Each respondent's figures per condition that every condition summary adds up (see :func:`with_condition_parts`).
CONDITION_PARTS = ("score", "responses", "favorable", "unfavorable", "nonsubstantive")


def part_column(condition: str, part: str) -> str:
    """Column name of one stored part, e.g. ``"SI:score"`` (a colon never appears in a codebook id)."""
    return f"{condition}:{part}"


def with_condition_parts(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """``frame`` plus each respondent's figures per condition, so summaries of any selection skip the items.

    For every condition with items in ``frame``: ``score`` (see :func:`score_respondents`, half-answered rule),
    ``responses``, ``favorable``, ``unfavorable`` and ``nonsubstantive`` (counts of the respondent's valid,
    favorable, unfavorable and explicit non-answers among its items), in columns named by :func:`part_column`.
    :func:`condition_summary` adds these up instead of scoring the items again whenever they are present (and the
    default half-answered rule is asked for): the same figures, from a handful of columns instead of every item.
    The dashboard adds them once when it loads an organization; the frame must not change afterwards.
    """
    conditions, parts = respondent_parts(frame, codebook, min_share=MIN_SHARE, stored=False)
    columns = {  # counts of a condition's items fit in a byte; scores keep full precision
        part_column(condition, part): parts[part][:, index].astype(np.float64 if part == "score" else np.int8)
        for index, condition in enumerate(conditions)
        for part in CONDITION_PARTS
    }
    return frame.assign(**columns)


def condition_columns(frame: pd.DataFrame, codebook: Codebook) -> list[str]:
    """The columns :func:`condition_summary` reads: the stored parts when ``frame`` has them, else the items.

    Views that copy only the columns they need select these.
    """
    parts = [
        part_column(condition.id, part)
        for condition in codebook.conditions
        for part in CONDITION_PARTS
        if part_column(condition.id, part) in frame.columns
    ]
    return parts or [item.id for item in codebook.condition_items if item.id in frame.columns]


def respondent_parts(
    frame: pd.DataFrame, codebook: Codebook, *, min_share: float, stored: bool = True
) -> tuple[list[str], dict[str, np.ndarray]]:
    """Conditions and each respondent's parts (respondent × condition arrays): stored ones when present."""
    conditions, items, starts = _condition_blocks(codebook, frame)
    kept = [c.id for c in codebook.conditions if part_column(c.id, "score") in frame.columns]
    if stored and kept and min_share == MIN_SHARE:
        parts = {
            part: frame[[part_column(condition, part) for condition in kept]].to_numpy(dtype=np.float64)
            for part in CONDITION_PARTS
        }
        return kept, parts
    if not items:
        raise ValueError(f"the responses frame has no condition item of codebook {codebook.id!r}")
    parts = {part: np.zeros((len(frame), len(conditions)), dtype=np.float64) for part in CONDITION_PARTS}
    ends = np.append(starts[1:], len(items))
    for index in range(len(conditions)):  # one condition's items at a time: a statewide frame has 500,000 rows
        block = items[starts[index] : ends[index]]
        scale = codebook.scale_of(block[0])
        answers = item_values(frame, codebook, block)
        parts["score"][:, index] = _block_scores(answers, np.zeros(1, dtype=np.intp), min_share=min_share)[:, 0]
        parts["responses"][:, index] = (~np.isnan(answers)).sum(axis=1)
        parts["favorable"][:, index] = (answers >= scale.favorable_min).sum(axis=1)
        parts["unfavorable"][:, index] = (answers <= scale.unfavorable_max).sum(axis=1)
        raw = frame[block].to_numpy(dtype=np.float64, na_value=np.nan)
        parts["nonsubstantive"][:, index] = (raw == NONSUBSTANTIVE).sum(axis=1)
    return conditions, parts


def condition_summary(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    by: Sequence[str] = (),
    min_share: float = MIN_SHARE,
    bands: Sequence[StageBand] = DEFAULT_STAGE_BANDS,
) -> pd.DataFrame:
    """Group aggregates for every condition.

    Parameters
    ----------
    frame : DataFrame
        A responses frame.
    codebook : Codebook
        The instrument.
    by : sequence of str, default=()
        Columns to break down by (e.g. ``["wave", "school"]``); blanks form a group :data:`NOT_ANSWERED`.
    min_share : float, default=0.5
        Half-answered rule for respondent scores (see :func:`score_respondents`).
    bands : sequence of StageBand
        Stage bands on percent favorable.

    Returns
    -------
    DataFrame
        One row per group × condition with ``by`` columns, ``condition``, ``n`` (respondents with a score),
        ``mean`` and ``sd`` of respondent scores (scale points), ``n_responses`` (valid item responses),
        ``pct_favorable``, ``pct_neutral``, ``pct_unfavorable`` (0–100, of valid item responses),
        ``n_nonsubstantive`` (explicit non-answers) and ``stage``. No privacy rule is applied here: pass the
        result through :func:`survey_model.privacy.suppress` before showing it.
    """
    return finish_conditions(summed_conditions(frame, codebook, by=by, min_share=min_share), by=by, bands=bands)


def condition_sums(groups: Groups, parts: dict[str, np.ndarray]) -> dict[str, list[np.ndarray]]:
    """Each of :data:`CONDITION_SUMS` per group, one array per condition (the columns of ``parts``)."""
    figures: dict[str, list[np.ndarray]] = {name: [] for name in CONDITION_SUMS}
    for index in range(parts["score"].shape[1]):
        score = parts["score"][:, index]
        scored = np.nan_to_num(score)
        per_respondent = (
            ~np.isnan(score),
            scored,
            scored**2,
            parts["responses"][:, index],
            parts["favorable"][:, index],
            parts["unfavorable"][:, index],
            parts["nonsubstantive"][:, index],
        )
        for name, value in zip(CONDITION_SUMS, per_respondent, strict=True):
            figures[name].append(groups.sum(value))
    return figures


def summed_conditions(
    frame: pd.DataFrame, codebook: Codebook, *, by: Sequence[str] = (), min_share: float = MIN_SHARE
) -> pd.DataFrame:
    """:data:`CONDITION_SUMS` per group of ``by`` and condition: :func:`condition_summary` before the ratios.

    Sums of groups add up to the sums of their union, so a breakdown's whole is its groups' sums added up.
    """
    conditions, parts = respondent_parts(frame, codebook, min_share=min_share)
    groups = Groups(frame, by)
    figures = condition_sums(groups, parts)
    table = groups.table(
        {"condition": np.repeat(conditions, groups.count), **{k: np.concatenate(v) for k, v in figures.items()}},
        repeat=len(conditions),
    )
    return table


def finish_conditions(
    table: pd.DataFrame, *, by: Sequence[str] = (), bands: Sequence[StageBand] = DEFAULT_STAGE_BANDS
) -> pd.DataFrame:
    """A condition summary from its sums: ``by`` columns, ``condition`` and :data:`CONDITION_SUMS` per row.

    The sums add up over respondents, so any union of groups (see :mod:`survey_model.tallies`) is summarised
    exactly like the respondents themselves.
    """
    table = table.copy()
    n = table["n"].astype("int64")
    table["n"] = n
    with np.errstate(invalid="ignore", divide="ignore"):
        table["mean"] = np.where(n > 0, table["score_sum"] / n, np.nan)
        variance = (table["score_sq"] - n * table["mean"] ** 2) / (n - 1)
        table["sd"] = np.where(n > 1, np.sqrt(np.clip(variance, 0, None)), np.nan)
        responses = table["n_responses"].astype("int64")
        table["pct_favorable"] = np.where(responses > 0, 100 * table["n_favorable"] / responses, np.nan)
        table["pct_unfavorable"] = np.where(responses > 0, 100 * table["n_unfavorable"] / responses, np.nan)
    table["pct_neutral"] = 100 - table["pct_favorable"] - table["pct_unfavorable"]
    table["n_responses"] = responses
    table["n_nonsubstantive"] = table["n_nonsubstantive"].astype("int64")
    table["stage"] = stage_of(table["pct_favorable"], bands)
    columns = [
        *by,
        "condition",
        "n",
        "mean",
        "sd",
        "n_responses",
        "pct_favorable",
        "pct_neutral",
        "pct_unfavorable",
        "n_nonsubstantive",
        "stage",
    ]
    return table[columns]


def item_summary(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    by: Sequence[str] = (),
    items: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Answer distribution of each item, per group.

    Returns
    -------
    DataFrame
        One row per group × item with ``by`` columns, ``item``, ``condition``, ``n`` (valid answers),
        ``count_<v>`` for each scale value *v* after reversal (so ``count_5`` is always the most favorable),
        ``pct_favorable``, ``pct_neutral``, ``pct_unfavorable`` (0–100 of valid answers; NaN for categorical
        items), ``n_nonsubstantive`` and ``mean`` (after reversal). Items keep codebook order.
    """
    chosen = list(items) if items is not None else list(present_items(frame, codebook))
    groups = Groups(frame, by)
    values = item_values(frame, codebook, chosen)
    raw = frame[chosen].to_numpy(dtype=np.float64, na_value=np.nan)
    scale_values = sorted({v for item in chosen for v in codebook.scale_of(item).values})
    known = np.asarray(scale_values, dtype=np.float64)
    other, nonsubstantive, slots = len(known), len(known) + 1, len(known) + 2
    figures: dict[str, list[np.ndarray]] = {}
    for column, item_id in enumerate(chosen):
        scale = codebook.scale_of(item_id)
        col = values[:, column]
        # One bincount counts every answer per group: slot g * slots + s, where s is the answer's place among the
        # scale values, then one slot for any other value and one for explicit non-answers; blanks drop out.
        position = np.searchsorted(known, col).clip(max=len(known) - 1)
        slot = np.where(known[position] == col, position, other)
        slot = np.where(np.isnan(col), np.where(raw[:, column] == NONSUBSTANTIVE, nonsubstantive, -1), slot)
        cells = np.where(slot >= 0, groups.codes * slots + slot, groups.count * slots)
        counts = np.bincount(cells, minlength=groups.count * slots + 1)[:-1].reshape(groups.count, slots)
        ordinal = scale.ordinal and scale.favorable_min is not None
        per_group = {
            "n": counts[:, : other + 1].sum(axis=1),
            "value_sum": groups.sum(np.nan_to_num(col)),
            **{f"count_{v}": counts[:, i] for i, v in enumerate(scale_values)},
            "n_favorable": counts[:, :other][:, known >= scale.favorable_min].sum(axis=1) if ordinal else 0,
            "n_unfavorable": counts[:, :other][:, known <= scale.unfavorable_max].sum(axis=1) if ordinal else 0,
            "n_nonsubstantive": counts[:, nonsubstantive],
            "ordinal": ordinal,
        }
        for name, value in per_group.items():
            figures.setdefault(name, []).append(np.broadcast_to(value, groups.count))
    table = groups.table(
        {
            "item": np.repeat(chosen, groups.count),
            "condition": np.repeat([codebook.item(item_id).condition or "" for item_id in chosen], groups.count),
            **{name: np.concatenate(parts) for name, parts in figures.items()},
        },
        repeat=len(chosen),
    )
    count_columns = ["n", *[f"count_{v}" for v in scale_values], "n_favorable", "n_unfavorable", "n_nonsubstantive"]
    table[count_columns] = table[count_columns].astype("int64")
    n = table["n"]
    with np.errstate(invalid="ignore", divide="ignore"):
        table["mean"] = np.where(n > 0, table["value_sum"] / n, np.nan)
        fav = np.where((n > 0) & table["ordinal"], 100 * table["n_favorable"] / n, np.nan)
        unfav = np.where((n > 0) & table["ordinal"], 100 * table["n_unfavorable"] / n, np.nan)
    table["pct_favorable"], table["pct_unfavorable"] = fav, unfav
    table["pct_neutral"] = 100 - table["pct_favorable"] - table["pct_unfavorable"]
    columns = [
        *by,
        "item",
        "condition",
        "n",
        *[f"count_{v}" for v in scale_values],
        "pct_favorable",
        "pct_neutral",
        "pct_unfavorable",
        "n_nonsubstantive",
        "mean",
    ]
    return table[columns]


def leader_identity(frame: pd.DataFrame, codebook: Codebook, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """Share of educators who consider themselves leaders, per group.

    Returns
    -------
    DataFrame
        One row per group with ``by`` columns, ``n`` (valid answers to the headline item: Yes, No or Not sure),
        ``n_yes``, ``n_no``, ``n_unsure``, ``share_yes``, ``share_no``, ``share_unsure`` (in [0, 1]),
        ``n_informal`` and ``share_informal`` (*Yes* with *No* to the formal-role item, as a share of ``n``),
        ``n_nonsubstantive`` ("Prefer not to answer" and the like).

    Raises
    ------
    ValueError
        When the codebook has no leader-identity block or the frame lacks its headline item.

    Examples
    --------
    >>> from survey_model.codebook import load_codebook
    >>> df = pd.DataFrame({"LI1": [1, 1, 2, 3, -1, np.nan], "FLR": [2, 1, 2, 2, 2, 2]}, dtype="float32")
    >>> row = leader_identity(df, load_codebook()).iloc[0]
    >>> int(row.n), int(row.n_yes), float(row.share_yes), int(row.n_informal), int(row.n_nonsubstantive)
    (4, 2, 0.5, 1, 1)
    """
    groups = Groups(frame, by)
    flags = leader_flags(frame, codebook)
    return finish_leader(groups.table({name: groups.sum(flag) for name, flag in flags.items()}), by=by)


#: Per group: valid answers to the leader-identity question, Yes, No, Not sure, informal leaders (Yes without a
#: formal role) and explicit non-answers. They add up over groups.
LEADER_COUNTS = ("n", "n_yes", "n_no", "n_unsure", "n_informal", "n_nonsubstantive")


def leader_flags(frame: pd.DataFrame, codebook: Codebook) -> dict[str, np.ndarray]:
    """Each respondent's contribution (0 or 1) to every :data:`LEADER_COUNTS` count."""
    leader = codebook.leader
    if leader is None:
        raise ValueError(f"codebook {codebook.id!r} has no leader-identity block")
    if leader.item not in frame.columns:
        raise ValueError(f"the responses frame has no column for the leader-identity item {leader.item!r}")
    answer = frame[leader.item].to_numpy(dtype=np.float64, na_value=np.nan)
    valid = ~np.isnan(answer) & (answer != NONSUBSTANTIVE)
    yes = answer == leader.yes
    unsure = (answer == leader.unsure) if leader.unsure is not None else np.zeros(len(answer), dtype=bool)
    informal = np.zeros(len(answer), dtype=bool)
    if leader.formal_role_item and leader.formal_role_item in frame.columns:
        formal = frame[leader.formal_role_item].to_numpy(dtype=np.float64, na_value=np.nan)
        informal = yes & ~np.isnan(formal) & (formal != NONSUBSTANTIVE) & (formal != leader.formal_role_yes)
    flags = (valid, yes, valid & ~yes & ~unsure, unsure, informal, answer == NONSUBSTANTIVE)
    return dict(zip(LEADER_COUNTS, flags, strict=True))


IDENTITY = "leader_identity"
"""Column of each respondent's answer group to the leader-identity question (see :func:`identity_groups`)."""
IDENTITY_YES = "Yes"
IDENTITY_OTHER = "No or not sure"


def identity_groups(frame: pd.DataFrame, codebook: Codebook) -> pd.api.extensions.ExtensionArray:
    """Each respondent's answer group: :data:`IDENTITY_YES`, :data:`IDENTITY_OTHER` (No or Not sure) or missing."""
    flags = leader_flags(frame, codebook)
    group = np.where(flags["n_yes"], IDENTITY_YES, IDENTITY_OTHER).astype(object)
    return pd.array(np.where(flags["n"], group, None), dtype="string")


def finish_leader(table: pd.DataFrame, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """The leader-identity table from its counts: ``by`` columns and :data:`LEADER_COUNTS` per row."""
    table = table.copy()
    table[list(LEADER_COUNTS)] = table[list(LEADER_COUNTS)].astype("int64")
    n = table["n"]
    for name in ("yes", "no", "unsure", "informal"):
        with np.errstate(invalid="ignore", divide="ignore"):
            table[f"share_{name}"] = np.where(n > 0, table[f"n_{name}"] / n, np.nan)
    columns = [
        *by,
        "n",
        "n_yes",
        "n_no",
        "n_unsure",
        "share_yes",
        "share_no",
        "share_unsure",
        "n_informal",
        "share_informal",
        "n_nonsubstantive",
    ]
    return table[columns]


def index_summary(
    frame: pd.DataFrame, codebook: Codebook, *, by: Sequence[str] = (), min_share: float = MIN_SHARE
) -> pd.DataFrame:
    """The Collective Leadership Index and its group sub-indices, per group.

    The index is the unweighted mean of the conditions' percent favorable (0–100), so each condition counts
    the same however many items it has; each condition group (foundational, cultural) gets the same mean over
    its own conditions. ``n`` is the smallest condition ``n`` of the group, so a suppression rule on ``n``
    protects every figure the index is built from.

    Returns
    -------
    DataFrame
        One row per group with ``by`` columns, ``n``, ``index`` and one ``index_<group id>`` column per
        condition group of the codebook.
    """
    return index_from_conditions(condition_summary(frame, codebook, by=by, min_share=min_share), codebook, by=by)


def index_from_conditions(table: pd.DataFrame, codebook: Codebook, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """:func:`index_summary` from a condition summary broken down by ``by``."""
    group_of = {condition.id: condition.group for condition in codebook.conditions}
    table = table.assign(group=table["condition"].map(group_of))
    keys = list(by)
    grouped = table.groupby(keys, observed=True, sort=True) if keys else [((), table)]
    rows = []
    for key, part in grouped:
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        row["n"] = int(part["n"].min())
        row["index"] = part["pct_favorable"].mean(skipna=False)
        for group_id in codebook.groups:
            row[f"index_{group_id}"] = part.loc[part["group"] == group_id, "pct_favorable"].mean(skipna=False)
        rows.append(row)
    return pd.DataFrame(rows, columns=[*keys, "n", "index", *[f"index_{g}" for g in codebook.groups]])


def with_condition_names(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """``table`` with ``condition_name`` and ``group_name`` (e.g. "Foundational conditions") from its ``condition``."""
    names = {c.id: c.name for c in codebook.conditions}
    groups = {c.id: codebook.groups.get(c.group, c.group) for c in codebook.conditions}
    return table.assign(
        condition_name=table["condition"].map(names), group_name=table["condition"].map(groups).fillna("")
    )
