"""The network beside each partner: the pooled figures of the organizations of a network, and a partner's position.

Organizations that survey with the same instrument can belong to a *network* (a name, set by staff). A partner's
pages then show the network's pooled figure beside their own: the Collective Leadership Index, each condition's
percent favorable and the share of educators who see themselves as leaders, over every respondent of every
organization of the network in that wave; and, when at least :data:`MIN_FOR_POSITION` organizations contribute,
the partner's position among them. No other organization is ever named.

Privacy
-------
* The pooled figure is built only from each organization's **released** frame
  (:func:`survey_model.release.released_responses`): the respondents each organization may publish. The figures
  here are whole-organization totals, in which :data:`~survey_model.release.WITHHELD` values count like any other
  (as in every total); nothing here breaks a total down by an attribute, so no withheld group is ever shown.
* The network minus the partner is then the sum of the other organizations' released totals, each of which the
  release decision already lets that organization publish; with at least :data:`MIN_ORGANIZATIONS` organizations,
  that remainder covers at least two of them, so it never is one other organization's figure.
* The figure is shown only when at least :data:`MIN_ORGANIZATIONS` organizations each contribute at least
  ``min_n`` respondents in the wave.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from survey_model.codebook import Codebook
from survey_model.responses import WAVE
from survey_model.scoring import condition_summary, index_summary, leader_identity

__all__ = [
    "MIN_FOR_POSITION",
    "MIN_ORGANIZATIONS",
    "NetworkFigures",
    "OrganizationFigures",
    "network_figures",
    "organization_figures",
]

MIN_ORGANIZATIONS = 3
"""Fewest organizations (each with at least ``min_n`` respondents in the wave) for a network figure."""
MIN_FOR_POSITION = 5
"""Fewest contributing organizations for a partner's position among them to be shown."""


@dataclass(frozen=True)
class OrganizationFigures:
    """One organization's whole-organization figures in a wave (for ranking, and for staff side by side)."""

    respondents: int
    index: float
    """Collective Leadership Index, 0–100."""
    share_yes: float | None
    """Share answering Yes to the leader-identity question, in [0, 1]; ``None`` without one."""


@dataclass(frozen=True)
class NetworkFigures:
    """The pooled network in one wave, and one partner's position in it."""

    network: str
    wave: str
    organizations: int
    """Contributing organizations (each with at least ``min_n`` respondents in the wave)."""
    respondents: int
    index: float
    """Pooled Collective Leadership Index, 0–100 (mean of the pooled conditions' percent favorable)."""
    share_yes: float | None
    """Pooled share of Yes among valid answers to the leader-identity question, in [0, 1]."""
    conditions: pd.DataFrame
    """Pooled ``condition`` and ``pct_favorable`` (0–100), one row per condition."""
    position: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """Measure (``"index"``, ``"share_yes"``) → (the partner's rank from the highest, contributing organizations);
    empty below :data:`MIN_FOR_POSITION` organizations or when the partner does not contribute."""


def organization_figures(frame: pd.DataFrame, codebook: Codebook) -> OrganizationFigures:
    """Whole-organization figures of one wave's released respondents (``frame`` holds that wave only)."""
    index = index_summary(frame, codebook)
    share = None
    if codebook.leader is not None and codebook.leader.item in frame.columns:
        share = float(leader_identity(frame, codebook)["share_yes"].iloc[0])
    return OrganizationFigures(respondents=len(frame), index=float(index["index"].iloc[0]), share_yes=share)


def network_figures(
    frames: Mapping[str, pd.DataFrame],
    codebook: Codebook,
    *,
    network: str,
    wave: str,
    partner: str | None = None,
    min_n: int = 5,
) -> NetworkFigures | None:
    """The pooled figures of a network's organizations in one wave, or ``None`` when too few contribute.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        Organization id → its **released** frame (every wave), for every organization of the network.
    codebook : Codebook
        The instrument the network shares; organizations whose frame lacks one of its condition items do not
        contribute.
    network : str
        The network's name (carried into the result).
    wave : str
        The wave label; an organization contributes its respondents of the wave with this label.
    partner : str, optional
        The organization whose position among the others is wanted.
    min_n : int
        Each contributing organization needs this many respondents in the wave.

    Returns
    -------
    NetworkFigures or None
        ``None`` with fewer than :data:`MIN_ORGANIZATIONS` contributing organizations.
    """
    items = [item.id for item in codebook.condition_items]
    parts: dict[str, pd.DataFrame] = {}
    for org, frame in frames.items():
        if not set(items) <= set(frame.columns):
            continue
        in_wave = frame[frame[WAVE].astype(str) == wave]
        if len(in_wave) >= min_n:
            keep = [column for column in frame.columns if column in {*items, *_leader_columns(codebook)}]
            parts[org] = in_wave[keep]
    if len(parts) < MIN_ORGANIZATIONS:
        return None
    pooled = pd.concat(parts.values(), ignore_index=True)
    whole = organization_figures(pooled, codebook)
    conditions = condition_summary(pooled, codebook)[["condition", "pct_favorable"]].reset_index(drop=True)
    position: dict[str, tuple[int, int]] = {}
    if partner in parts and len(parts) >= MIN_FOR_POSITION:
        each = {org: organization_figures(frame, codebook) for org, frame in parts.items()}
        for measure in ("index", "share_yes"):
            values = {org: getattr(figures, measure) for org, figures in each.items()}
            if values[partner] is None:
                continue
            higher = sum(1 for value in values.values() if value is not None and value > values[partner])
            position[measure] = (higher + 1, len(values))
    return NetworkFigures(
        network=network,
        wave=wave,
        organizations=len(parts),
        respondents=whole.respondents,
        index=whole.index,
        share_yes=whole.share_yes,
        conditions=conditions,
        position=position,
    )


def _leader_columns(codebook: Codebook) -> set[str]:
    if codebook.leader is None:
        return set()
    return {codebook.leader.item, codebook.leader.formal_role_item or ""} - {""}
