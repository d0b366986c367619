"""Additive tallies of a responses frame per cell of a few attributes (wave × school × level × role).

Every figure the Overview shows is a sum over respondents before it is a ratio: respondents with a score, the sum
and sum of squares of their scores, counts of valid, favorable, unfavorable and explicit non-answers per condition
(:data:`survey_model.scoring.CONDITION_SUMS`), and the leader-identity counts
(:data:`survey_model.scoring.LEADER_COUNTS`). Sums add up, so a selection made of whole cells — any combination
of the sidebar's school, level and role filters — is summarised from its cells exactly as from its respondents:
a few thousand cells instead of 500,000 rows. The privacy rules run on the same per-cell respondent counts.

The dashboard tallies an organization once when it loads it; :func:`survey_model.dashboard.overview` uses the
tallies when it is given them and the selection is made of cells. A test checks that both routes give the same
tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook
from survey_model.privacy import hidden_waves
from survey_model.responses import WAVE, matches
from survey_model.scoring import (
    CONDITION_SUMS,
    IDENTITY,
    LEADER_COUNTS,
    MIN_SHARE,
    Groups,
    condition_sums,
    identity_groups,
    leader_flags,
    respondent_parts,
)

#: The cells: the sidebar's filters within each wave, and the answer to the leader-identity question (Yes, No or
#: not sure, missing), by which the Leader identity page compares the conditions.
DIMENSIONS = (WAVE, "school", "school_level", "role", IDENTITY)
#: Respondents in a cell (the count the privacy rules read).
RESPONDENTS = "respondents"


def _column(condition: str, name: str) -> str:
    return f"{condition}:{name}"


@dataclass(frozen=True)
class Tallies:
    """Sums per cell of :attr:`dimensions`, one row per non-empty cell (blanks form a *Not answered* cell)."""

    cells: pd.DataFrame
    """The dimensions, :data:`RESPONDENTS`, ``<condition>:<sum>`` for every condition sum and the leader counts."""
    dimensions: tuple[str, ...]
    conditions: tuple[str, ...]
    leader: bool
    """True when the leader counts are tallied (the codebook has the question and the frame the item)."""

    def covers(self, restriction: Mapping[str, str | None]) -> bool:
        """True when every active filter is one of the dimensions, so the selection is made of whole cells."""
        return all(column in self.dimensions for column, value in restriction.items() if value is not None)

    def select(self, restriction: Mapping[str, str | None]) -> pd.DataFrame:
        """The cells of a selection (same rule as :func:`survey_model.responses.subset`)."""
        if not self.covers(restriction):
            raise ValueError(f"the tallies are kept by {self.dimensions}, not by every filter of {dict(restriction)}")
        return self.cells[matches(self.cells, **restriction)]

    def hidden_waves(self, restriction: Mapping[str, str | None], *, min_n: int) -> set[str]:
        """Waves in which the selection stays hidden (:func:`survey_model.privacy.hidden_waves` on the cells)."""
        active = {column: value for column, value in restriction.items() if value is not None}
        return hidden_waves(self.cells, active, min_n=min_n, weights=RESPONDENTS) if active else set()

    def shown(self, restriction: Mapping[str, str | None], *, min_n: int, wave: str | None = None) -> pd.DataFrame:
        """The cells of a selection (in ``wave`` when given), less every wave where it stays hidden: the rule of
        :func:`survey_model.privacy.restrict`, on cells instead of respondents."""
        cells = self.select(restriction)
        hidden = self.hidden_waves(restriction, min_n=min_n)
        keep = ~cells[WAVE].isin(sorted(hidden)).to_numpy(dtype=bool)
        if wave is not None:
            keep &= (cells[WAVE] == wave).to_numpy(dtype=bool)
        return cells[keep]

    def conditions_by(self, cells: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
        """The sums of :data:`CONDITION_SUMS` per ``by`` group and condition, in :func:`condition_summary`'s order."""
        columns = [_column(condition, name) for condition in self.conditions for name in CONDITION_SUMS]
        summed = _sum_by(cells, by, columns)
        groups, conditions = len(summed), len(self.conditions)
        # Group × (condition, sum) → (condition, group) × sum: condition by condition, groups in order within.
        values = summed[columns].to_numpy(dtype=np.float64).reshape(groups, conditions, len(CONDITION_SUMS))
        long = values.transpose(1, 0, 2).reshape(conditions * groups, len(CONDITION_SUMS))
        keys = {key: np.tile(summed[key].to_numpy(), conditions) for key in by}
        return pd.DataFrame(
            {**keys, "condition": np.repeat(self.conditions, groups), **dict(zip(CONDITION_SUMS, long.T, strict=True))}
        )

    def leader_by(self, cells: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
        """The leader counts per ``by`` group."""
        if not self.leader:
            raise ValueError("no leader-identity counts were tallied")
        summed = _sum_by(cells, by, [_column("leader", name) for name in LEADER_COUNTS])
        return summed.rename(columns={_column("leader", name): name for name in LEADER_COUNTS})


def _sum_by(cells: pd.DataFrame, by: Sequence[str], columns: list[str]) -> pd.DataFrame:
    if by:
        return cells.groupby(list(by), observed=True, sort=True)[columns].sum().reset_index()
    return cells[columns].sum().to_frame().T.reset_index(drop=True)


def tally(frame: pd.DataFrame, codebook: Codebook, *, dimensions: Sequence[str] = DIMENSIONS) -> Tallies:
    """Sum ``frame``'s respondents into the cells of ``dimensions`` (those present in the frame)."""
    leader = codebook.leader is not None and codebook.leader.item in frame.columns
    if leader and IDENTITY in dimensions and IDENTITY not in frame.columns:  # a released frame carries its own
        frame = frame.assign(**{IDENTITY: identity_groups(frame, codebook)})
    present = tuple(column for column in dimensions if column in frame.columns)
    groups = Groups(frame, present)
    conditions, parts = respondent_parts(frame, codebook, min_share=MIN_SHARE)
    sums: dict[str, np.ndarray] = {RESPONDENTS: groups.sum(np.ones(len(frame)))}
    for name, per_condition in condition_sums(groups, parts).items():
        for condition, values in zip(conditions, per_condition, strict=True):
            sums[_column(condition, name)] = values
    if leader:
        for name, flag in leader_flags(frame, codebook).items():
            sums[_column("leader", name)] = groups.sum(flag)
    cells = groups.table(sums)
    cells[RESPONDENTS] = cells[RESPONDENTS].astype("int64")
    return Tallies(cells=cells, dimensions=present, conditions=tuple(conditions), leader=leader)


__all__ = ["DIMENSIONS", "RESPONDENTS", "Tallies", "tally"]
