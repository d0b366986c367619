"""School profiles: which schools look alike on the conditions, and whether those groups are stable.

For one wave, each school whose released respondents number at least the privacy minimum
(:func:`survey_model.analytics.release.released_rows`) is described by its mean condition scores, standardised
across schools (so a profile says how a school stands *relative to the others*). Then:

* **Number of profiles.** ``KMeans`` for 2 to :data:`MAX_PROFILES` profiles (never more than a third of the
  schools); the number with the largest mean **silhouette** (Rousseeuw 1987: how much closer a school is to its
  own profile than to the next, from −1 to 1) is chosen.
* **Stability.** The schools are resampled with replacement ``n_boot`` times and clustered again; the
  **adjusted Rand index** (ARI; 1 = the same grouping, about 0 = no better than chance) between the resample's
  grouping and the full grouping of the same schools is recorded. The profiles are **stable** only when the median
  ARI is at least :data:`STABLE_ARI` *and* the silhouette at least :data:`STRUCTURE_SILHOUETTE` (Kaufman &
  Rousseeuw 1990: below 0.25 "no substantial structure"). Otherwise the answer is "no stable groups", and no
  profiles are drawn.
* **Names.** Each profile is named by its strongest and weakest condition (largest and smallest mean standardised
  score of its schools).

Rule for showing anything: at least :data:`MIN_SCHOOLS` publishable schools.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from threadpoolctl import threadpool_limits

from survey_model.codebook import Codebook
from survey_model.scoring import MIN_SHARE, respondent_parts

MIN_SCHOOLS = 10
MAX_PROFILES = 6
STABLE_ARI = 0.75
STRUCTURE_SILHOUETTE = 0.25


@dataclass(frozen=True)
class Profiles:
    """School profiles of one wave, or why there are none."""

    shown: bool
    """Whether there were enough schools to look for profiles."""
    stable: bool
    """Whether stable profiles were found; ``profiles`` and the ``profile`` column are empty otherwise."""
    message: str
    n_schools: int
    n_respondents: int
    k: int = 0
    silhouette: float = float("nan")
    stability: float = float("nan")
    """Median bootstrap adjusted Rand index."""
    stability_low: float = float("nan")
    stability_high: float = float("nan")
    """5th and 95th percentiles of the bootstrap adjusted Rand index."""
    n_boot: int = 0
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    """``k`` and ``silhouette`` of every number of profiles tried."""
    schools: pd.DataFrame = field(default_factory=pd.DataFrame)
    """One row per school: ``school``, ``n``, ``profile`` (label, ``""`` when not stable), then each condition's
    mean score (1–5) and its standardised value (``z_<condition>``)."""
    profiles: pd.DataFrame = field(default_factory=pd.DataFrame)
    """One row per profile: ``profile`` (label), ``strongest``, ``weakest`` (condition names), ``n_schools``,
    ``n`` (respondents) and each condition's mean standardised score (``z_<condition>``)."""


def school_means(frame: pd.DataFrame, codebook: Codebook) -> tuple[list[str], pd.DataFrame]:
    """Conditions, and per school the respondents ``n`` and each condition's mean respondent score (1–5)."""
    conditions, parts = respondent_parts(frame, codebook, min_share=MIN_SHARE)
    scores = pd.DataFrame(parts["score"], columns=conditions, index=frame.index)
    scores["school"] = frame["school"].astype("string").to_numpy()
    grouped = scores.groupby("school", sort=True, observed=True)
    means = grouped[conditions].mean()
    means.insert(0, "n", grouped.size())
    return conditions, means.reset_index()


def _cluster(z: np.ndarray, k: int, seed: int, n_init: int) -> np.ndarray:
    return KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit_predict(z)


def school_profiles(
    frame: pd.DataFrame, codebook: Codebook, *, n_boot: int = 50, seed: int = 0, min_schools: int = MIN_SCHOOLS
) -> Profiles:
    """Profiles of schools on the conditions, with the number chosen by silhouette and checked for stability.

    Parameters
    ----------
    frame : DataFrame
        Released respondents of one wave (only schools with at least the privacy minimum), with a ``school``
        column.
    codebook : Codebook
        The instrument.
    n_boot : int, default=50
        Bootstrap resamples of the schools for the stability check.
    seed : int, default=0
        Seed of the clustering and resampling.
    min_schools : int, default=MIN_SCHOOLS
        Fewest schools to look for profiles at all.

    Returns
    -------
    Profiles
    """
    if n_boot < 10:
        raise ValueError(f"n_boot must be at least 10, got {n_boot}")
    conditions, means = school_means(frame, codebook)
    means = means.dropna(subset=conditions).reset_index(drop=True)
    n_schools, n_respondents = len(means), int(means["n"].sum())
    names = {c.id: c.name for c in codebook.conditions}
    if n_schools < min_schools:
        return Profiles(
            shown=False,
            stable=False,
            message=(
                f"Not shown: profiles need at least {min_schools} schools each large enough to be shown on its own; "
                f"this selection has {n_schools}."
            ),
            n_schools=n_schools,
            n_respondents=n_respondents,
        )
    values = means[conditions].to_numpy(dtype=np.float64)
    spread = values.std(axis=0)
    spread[spread == 0] = 1.0
    z = (values - values.mean(axis=0)) / spread
    with threadpool_limits(1):
        return _profiles(z, means, conditions, names, n_boot=n_boot, seed=seed)


def _profiles(
    z: np.ndarray, means: pd.DataFrame, conditions: list[str], names: dict[str, str], *, n_boot: int, seed: int
) -> Profiles:
    n_schools, n_respondents = len(means), int(means["n"].sum())
    tried = []
    for k in range(2, min(MAX_PROFILES, n_schools // 3) + 1):
        labels = _cluster(z, k, seed, 10)
        tried.append((k, float(silhouette_score(z, labels)), labels))
    k, silhouette, labels = max(tried, key=lambda t: t[1])
    rng = np.random.default_rng(seed)
    aris = []
    for b in range(n_boot):
        rows = rng.integers(0, n_schools, n_schools)
        again = _cluster(z[rows], k, seed + b + 1, 3)
        unique, first = np.unique(rows, return_index=True)
        aris.append(adjusted_rand_score(labels[unique], again[first]))
    stability = float(np.median(aris))
    low, high = (float(q) for q in np.quantile(aris, [0.05, 0.95]))
    stable = stability >= STABLE_ARI and silhouette >= STRUCTURE_SILHOUETTE
    schools = means.copy()
    for index, condition in enumerate(conditions):
        schools[f"z_{condition}"] = z[:, index]
    candidates = pd.DataFrame({"k": [t[0] for t in tried], "silhouette": [t[1] for t in tried]})
    common = {
        "shown": True,
        "n_schools": n_schools,
        "n_respondents": n_respondents,
        "k": k,
        "silhouette": silhouette,
        "stability": stability,
        "stability_low": low,
        "stability_high": high,
        "n_boot": n_boot,
        "candidates": candidates,
    }
    if not stable:
        schools.insert(2, "profile", "")
        return Profiles(
            stable=False,
            message=(
                f"No stable groups of schools: the best grouping ({k} profiles of {n_schools} schools) has a "
                f"silhouette of {silhouette:.2f} and a median bootstrap agreement (adjusted Rand index) of "
                f"{stability:.2f}; stable profiles need at least {STRUCTURE_SILHOUETTE:.2f} and {STABLE_ARI:.2f}. "
                "The schools differ, but not in a few clear patterns."
            ),
            schools=schools,
            **common,
        )
    rows = []
    for profile in range(k):
        members = labels == profile
        centre = z[members].mean(axis=0)
        strongest, weakest = conditions[int(np.argmax(centre))], conditions[int(np.argmin(centre))]
        rows.append(
            {
                "cluster": profile,
                "strongest": names[strongest],
                "weakest": names[weakest],
                "n_schools": int(members.sum()),
                "n": int(means.loc[members, "n"].sum()),
                **{f"z_{c}": float(centre[i]) for i, c in enumerate(conditions)},
            }
        )
    table = pd.DataFrame(rows).sort_values("n_schools", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(
        0,
        "profile",
        [
            f"Profile {chr(65 + i)}: strongest {s}, weakest {w}"
            for i, (s, w) in enumerate(zip(table["strongest"], table["weakest"], strict=True))
        ],
    )
    label_of = dict(zip(table["cluster"], table["profile"], strict=True))
    schools.insert(2, "profile", [label_of[label] for label in labels])
    return Profiles(
        stable=True,
        message=(
            f"{k} profiles of {n_schools} schools ({n_respondents:,} respondents): silhouette {silhouette:.2f}, "
            f"median bootstrap agreement (adjusted Rand index) {stability:.2f} over {n_boot} resamples."
        ),
        schools=schools,
        profiles=table.drop(columns="cluster"),
        **common,
    )


__all__ = [
    "MAX_PROFILES",
    "MIN_SCHOOLS",
    "STABLE_ARI",
    "STRUCTURE_SILHOUETTE",
    "Profiles",
    "school_means",
    "school_profiles",
]
