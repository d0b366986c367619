"""A fast synthetic survey with known truth, for the analytics' simulations, tests and benchmark.

:func:`simulate_survey` draws one wave of a responses frame (any size, vectorised) from a small latent model:

* each school has a climate per condition: ``base + school offset`` (SD :attr:`Truth.school_sd`), plus, when
  ``profiles`` is given, the centre of the school's planted **profile** (a shift of ``profile_gap`` scale points
  up on some conditions and down on others);
* a respondent's level on a condition is ``climate + general positivity + own view``; an item's answer is the
  level of its condition plus noise, cut at 1.5, 2.5, 3.5, 4.5 into 1–5, reversed (``6 − x``) for reverse-worded
  items as a platform exports them. A **misfitting item** (``misfit=(item, other condition)``) answers the
  other condition's level instead of its own;
* leader identity: Yes with probability ``sigmoid(intercept + Σ weight · (own mean answer on a driver − 3))``
  over the **drivers** (no driver: Yes at random, the null), otherwise No or Not sure (one in three).

The demo network (:func:`survey_model.demo.generate`) plants the same two drivers, Shared influence and
Relationships, through the same rule (respondents' own answers), inside its calibrated leader shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook, load_codebook
from survey_model.responses import ITEM_DTYPE, WAVE

DRIVERS: Mapping[str, float] = {"SI": 1.5, "RN": 1.2}
"""The demo's planted drivers (logit per scale point of the respondent's own mean answer), as in
:attr:`survey_model.demo.DemoModel.leader_drivers`."""


@dataclass(frozen=True)
class Truth:
    """What :func:`simulate_survey` planted."""

    drivers: Mapping[str, float]
    """Condition id → weight (logit per scale point); conditions not listed have weight 0."""
    misfit: tuple[str, str] | None
    """``(item id, condition id it truly measures)``, or ``None``."""
    profile_of_school: Mapping[str, int] = field(default_factory=dict)
    """School → planted profile number (empty when no profiles were planted)."""
    school_sd: float = 0.15


def simulate_survey(
    *,
    respondents: int,
    schools: int,
    seed: int,
    codebook: Codebook | None = None,
    drivers: Mapping[str, float] = DRIVERS,
    intercept: float = -0.7,
    misfit: tuple[str, str] | None = None,
    profiles: int = 0,
    profile_gap: float = 0.5,
    school_sd: float = 0.15,
    wave: str = "W1",
) -> tuple[pd.DataFrame, Truth]:
    """One wave of a synthetic responses frame, and what was planted in it.

    Parameters
    ----------
    respondents, schools : int
        Respondents in all, spread over ``schools`` schools (sizes vary, about ``respondents / schools``).
    seed : int
        Seed of every draw.
    codebook : Codebook, optional
        The instrument (default ``collective-leadership``); it needs a leader-identity block.
    drivers : mapping, default=DRIVERS
        Condition id → weight of the respondent's own mean answer on it in the leader-identity logit;
        ``{}`` for data where no condition goes with Yes.
    intercept : float, default=-0.7
        Logit of Yes for a respondent at 3 on every driver.
    misfit : (item id, condition id), optional
        An item that measures another condition than its own.
    profiles : int, default=0
        Planted groups of schools (0 = none: school climates are independent noise).
    profile_gap : float, default=0.5
        Shift of a profile's centre on each condition (scale points), up or down.
    school_sd : float, default=0.15
        SD of a school's own offset on each condition (scale points).
    wave : str, default="W1"
        Wave label.

    Returns
    -------
    (DataFrame, Truth)
        A responses frame (``wave``, ``school``, ``school_level``, ``role``, every item) and the truth.
    """
    codebook = codebook if codebook is not None else load_codebook()
    leader = codebook.leader
    if leader is None:
        raise ValueError(f"codebook {codebook.id!r} has no leader-identity block")
    if schools < 1 or respondents < schools:
        raise ValueError("need at least one school and one respondent per school")
    rng = np.random.default_rng(seed)
    conditions = [c.id for c in codebook.conditions]
    unknown = (set(drivers) | ({misfit[1]} if misfit else set())) - set(conditions)
    if unknown:
        raise ValueError(f"unknown condition(s) {sorted(unknown)}")
    k = len(conditions)
    names = np.array([f"School {s + 1:03d}" for s in range(schools)])
    climate = 3.2 + rng.normal(0, school_sd, (schools, k))
    profile_of = np.zeros(schools, dtype=int)
    if profiles:
        centres = rng.choice([-1.0, 1.0], size=(profiles, k))
        while (
            profiles > 1
            and min(  # centres apart on at least three conditions
                (a != b).sum() for i, a in enumerate(centres) for b in centres[i + 1 :]
            )
            < 3
        ):
            centres = rng.choice([-1.0, 1.0], size=(profiles, k))
        centres = centres * profile_gap
        profile_of = np.arange(schools) % profiles
        climate += centres[profile_of]
    school = np.sort(rng.integers(0, schools, respondents))
    school[:schools] = np.arange(schools)  # every school has respondents
    level = climate[school] + rng.normal(0, 0.4, (respondents, 1)) + rng.normal(0, 0.3, (respondents, k))

    frame = pd.DataFrame({WAVE: pd.array([wave] * respondents, dtype="string")})
    frame["school"] = pd.array(names[school], dtype="string")
    frame["school_level"] = pd.array(np.where(school % 2 == 0, "Elementary", "High"), dtype="string")
    frame["role"] = pd.array(rng.choice(["Teacher", "Other"], respondents, p=[0.8, 0.2]), dtype="string")
    own = np.zeros((respondents, k))
    for item in codebook.condition_items:
        index = conditions.index(misfit[1] if misfit and item.id == misfit[0] else item.condition)
        answer = 1 + (level[:, index, None] + rng.normal(0, 0.6, (respondents, 1)) > [1.5, 2.5, 3.5, 4.5]).sum(axis=1)
        own[:, conditions.index(item.condition)] += answer / len(codebook.items_for(item.condition))
        frame[item.id] = (6 - answer if item.reverse else answer).astype(ITEM_DTYPE)
    logit = intercept + sum(w * (own[:, conditions.index(c)] - 3) for c, w in drivers.items())
    yes = rng.random(respondents) < 1 / (1 + np.exp(-logit))
    scale = codebook.scale_of(leader.item)
    no = next(v for v in scale.values if v not in (leader.yes, leader.unsure))
    other = np.where(rng.random(respondents) < 1 / 3, leader.unsure if leader.unsure is not None else no, no)
    frame[leader.item] = np.where(yes, leader.yes, other).astype(ITEM_DTYPE)
    truth = Truth(
        drivers=dict(drivers),
        misfit=misfit,
        profile_of_school=dict(zip(names.tolist(), profile_of.tolist(), strict=True)) if profiles else {},
        school_sd=school_sd,
    )
    return frame, truth


__all__ = [
    "DRIVERS",
    "Truth",
    "simulate_survey",
]
