"""Cached views of the exploration pages (Conditions, Schools, Subgroups, Leader identity).

Same keying as :mod:`ui.data`: every cached function is keyed by the organization *and* its data version (from
the store), plus the selection and the thresholds, so one organization's cache never serves another's data and a
new upload is never answered from an old entry. The organization's frame itself is passed as an unhashed
argument (leading underscore): hashing 500,000 rows on every call would cost more than the cache saves, and the
version already identifies the data.
"""

from __future__ import annotations

import streamlit as st

from survey_model import explore
from survey_model.settings import Settings
from ui import data
from ui.data import OrgData
from ui.state import Filters


def _restriction(filters: Filters) -> tuple[tuple[str, str | None], ...]:
    return tuple(sorted(filters.restriction.items()))


def _settings() -> tuple[Settings, str]:
    current = data.settings()
    return current, repr((current.min_n, current.min_n_sensitive, current.stage_bands))


@st.cache_data(max_entries=256, show_spinner=False)
def _condition_detail(
    org: str, version: str, settings_key: str, wave: str, restriction: tuple, compare: str | None,
    condition: str, order: str, _data: OrgData, _settings: Settings,
) -> explore.ConditionDetail:  # fmt: skip
    return explore.condition_detail(
        _data.frame, _data.codebook, condition=condition, wave=wave, restriction=dict(restriction),
        compare=compare, order=order, settings=_settings,
    )  # fmt: skip


def condition_detail(filters: Filters, *, condition: str, order: explore.ItemOrder) -> explore.ConditionDetail:
    """Cached :func:`survey_model.explore.condition_detail` for the current selection."""
    org = data.org_data(filters.org)
    settings, key = _settings()
    return _condition_detail(
        org.org, org.version, key, filters.wave, _restriction(filters), filters.compare, condition, order, org, settings
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _school_groups(org: str, version: str) -> dict[str, str]:
    return {school.name: school.group for school in data.store().schools(org)}


@st.cache_data(max_entries=256, show_spinner=False)
def _schools_view(
    org: str, version: str, settings_key: str, wave: str, restriction: tuple, _data: OrgData, _settings: Settings
) -> explore.SchoolsView:
    return explore.schools_view(
        _data.frame,
        _data.codebook,
        wave=wave,
        restriction=dict(restriction),
        school_groups=_school_groups(org, version),
        settings=_settings,
    )


def schools_view(filters: Filters) -> explore.SchoolsView:
    """Cached :func:`survey_model.explore.schools_view` for the current selection."""
    org = data.org_data(filters.org)
    settings, key = _settings()
    return _schools_view(org.org, org.version, key, filters.wave, _restriction(filters), org, settings)


@st.cache_data(max_entries=256, show_spinner=False)
def _subgroup_attributes(org: str, version: str, restriction: tuple, _data: OrgData) -> tuple[str, ...]:
    return explore.subgroup_attributes(_data.frame, _data.codebook, restriction=dict(restriction))


def subgroup_attributes(filters: Filters) -> tuple[str, ...]:
    """Cached :func:`survey_model.explore.subgroup_attributes` for the current selection."""
    org = data.org_data(filters.org)
    return _subgroup_attributes(org.org, org.version, _restriction(filters), org)


@st.cache_data(max_entries=256, show_spinner=False)
def _subgroup_view(
    org: str, version: str, settings_key: str, wave: str, restriction: tuple, attribute: str,
    _data: OrgData, _settings: Settings,
) -> explore.SubgroupView:  # fmt: skip
    return explore.subgroup_view(
        _data.frame, _data.codebook, attribute=attribute, wave=wave, restriction=dict(restriction), settings=_settings
    )


def subgroup_view(filters: Filters, *, attribute: str) -> explore.SubgroupView:
    """Cached :func:`survey_model.explore.subgroup_view` for the current selection."""
    org = data.org_data(filters.org)
    settings, key = _settings()
    return _subgroup_view(org.org, org.version, key, filters.wave, _restriction(filters), attribute, org, settings)


@st.cache_data(max_entries=256, show_spinner=False)
def _leader_view(
    org: str, version: str, settings_key: str, wave: str, restriction: tuple, _data: OrgData, _settings: Settings
) -> explore.LeaderView:
    return explore.leader_view(
        _data.frame, _data.codebook, wave=wave, restriction=dict(restriction), settings=_settings
    )


def leader_view(filters: Filters) -> explore.LeaderView:
    """Cached :func:`survey_model.explore.leader_view` for the current selection."""
    org = data.org_data(filters.org)
    settings, key = _settings()
    return _leader_view(org.org, org.version, key, filters.wave, _restriction(filters), org, settings)
