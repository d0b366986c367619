"""Cached analyses of the *What matters* page (instrument check, drivers of leader identity, school profiles).

Keyed like :mod:`ui.explore_data`: organization, its data version, the minimum n, the wave and the selection, so
one organization's cache never serves another's data and a new upload is never answered from an old entry. The
organization's frame is fetched inside each cached function; only the small results are cached.
"""

from __future__ import annotations

import streamlit as st

from survey_model.analytics import (
    DriverResult,
    InstrumentCheck,
    Profiles,
    drivers,
    instrument_check,
    released_rows,
    school_profiles,
)
from ui import data
from ui.state import Filters

Restriction = tuple[tuple[str, str | None], ...]


def _key(filters: Filters, restriction: dict[str, str | None]) -> tuple[str, str, int, str, Restriction]:
    version = data.version(filters.org)
    return filters.org, version, data.settings().min_n, filters.wave, tuple(sorted(restriction.items()))


def _rows(org: str, min_n: int, wave: str, restriction: Restriction):
    loaded = data.org_data(org)
    return loaded.codebook, released_rows(loaded.frame, dict(restriction), wave=wave, min_n=min_n)


@st.cache_data(max_entries=64, show_spinner="Checking the items…")
def _instrument(org: str, version: str, min_n: int, wave: str, restriction: Restriction) -> InstrumentCheck:
    codebook, rows = _rows(org, min_n, wave, restriction)
    return instrument_check(rows, codebook)


@st.cache_data(max_entries=64, show_spinner="Relating the conditions to leader identity…")
def _drivers(org: str, version: str, min_n: int, wave: str, restriction: Restriction) -> DriverResult:
    codebook, rows = _rows(org, min_n, wave, restriction)
    return drivers(rows, codebook)


@st.cache_data(max_entries=64, show_spinner="Looking for school profiles…")
def _profiles(org: str, version: str, min_n: int, wave: str, restriction: Restriction) -> Profiles:
    codebook, rows = _rows(org, min_n, wave, restriction)
    return school_profiles(rows, codebook)


def instrument(filters: Filters) -> InstrumentCheck:
    """The item check of the selection in the chosen wave (cached)."""
    return _instrument(*_key(filters, filters.restriction))


def leader_drivers(filters: Filters) -> DriverResult:
    """What goes with leader identity in the selection and wave (cached)."""
    return _drivers(*_key(filters, filters.restriction))


def profiles(filters: Filters) -> Profiles:
    """School profiles in the wave, under the level and role filters (the school filter does not apply)."""
    return _profiles(*_key(filters, {**filters.restriction, "school": None}))


def condition_names(filters: Filters) -> dict[str, str]:
    """Condition id → name of the organization's instrument."""
    return {c.id: c.name for c in data.org_data(filters.org).codebook.conditions}
