"""Cached views of the exploration pages (Conditions, Schools, Subgroups, Leader identity).

Same keying as :mod:`ui.data`: every cached function is keyed by the organization *and* its data version (from
the store), plus the selection and the thresholds, so one organization's cache never serves another's data and a
new upload is never answered from an old entry.

The organization's responses are fetched *inside* each cached function, so a cache hit costs only the key (one
small query for the data version) and the view's small tables: it never touches the 500,000-row frame, which
``st.cache_data`` would copy (unpickle) on every read.
"""

from __future__ import annotations

import streamlit as st

from survey_model import explore
from survey_model.codebook import Codebook
from survey_model.responses import present_items
from survey_model.settings import Settings
from ui import data
from ui.state import Filters

Restriction = tuple[tuple[str, str | None], ...]


def _key(filters: Filters) -> tuple[str, str, str, str, Restriction]:
    """Organization, its data version, the thresholds, the wave and the restriction: what every view depends on."""
    current = data.settings()
    thresholds = repr((current.min_n, current.min_n_sensitive, current.stage_bands))
    version = data.version(filters.org)
    return filters.org, version, thresholds, filters.wave, tuple(sorted(filters.restriction.items()))


def _settings() -> Settings:
    return data.settings()


@st.cache_data(max_entries=64, show_spinner=False)
def _codebook(org: str, version: str) -> Codebook:
    return data.org_data(org).codebook


def codebook(org: str) -> Codebook:
    """The organization's codebook (cached per organization and data version)."""
    return _codebook(org, data.version(org))


@st.cache_data(max_entries=64, show_spinner=False)
def _condition_choices(org: str, version: str) -> dict[str, str]:
    loaded = data.org_data(org)
    present = set(present_items(loaded.frame, loaded.codebook))
    return {
        condition.id: condition.name
        for condition in loaded.codebook.conditions
        if any(item.id in present for item in loaded.codebook.items_for(condition.id))
    }


def condition_choices(org: str) -> dict[str, str]:
    """Condition id → name of the conditions with at least one item in the responses, in codebook order."""
    return _condition_choices(org, data.version(org))


@st.cache_data(max_entries=256, show_spinner="Scoring the items…")
def _condition_detail(
    org: str, version: str, thresholds: str, wave: str, restriction: Restriction, compare: str | None,
    condition: str, order: str,
) -> explore.ConditionDetail:  # fmt: skip
    loaded = data.org_data(org)
    return explore.condition_detail(
        loaded.frame, loaded.codebook, condition=condition, wave=wave, restriction=dict(restriction),
        compare=compare, order=order, settings=_settings(), tallies=loaded.tallies,
    )  # fmt: skip


def condition_detail(filters: Filters, *, condition: str, order: explore.ItemOrder) -> explore.ConditionDetail:
    """Cached :func:`survey_model.explore.condition_detail` for the current selection."""
    return _condition_detail(*_key(filters), filters.compare, condition, order)


@st.cache_data(max_entries=64, show_spinner=False)
def _school_groups(org: str, version: str) -> dict[str, str]:
    return data.store().school_groups(org)


@st.cache_data(max_entries=256, show_spinner="Scoring every school…")
def _schools_view(org: str, version: str, thresholds: str, wave: str, restriction: Restriction) -> explore.SchoolsView:
    loaded = data.org_data(org)
    return explore.schools_view(
        loaded.frame,
        loaded.codebook,
        wave=wave,
        restriction=dict(restriction),
        school_groups=_school_groups(org, version),
        settings=_settings(),
        tallies=loaded.tallies,
    )


def schools_view(filters: Filters) -> explore.SchoolsView:
    """Cached :func:`survey_model.explore.schools_view` for the current selection."""
    return _schools_view(*_key(filters))


@st.cache_data(max_entries=64, show_spinner=False)
def _subgroup_attributes(org: str, version: str, fixed: tuple[str, ...]) -> tuple[str, ...]:
    loaded = data.org_data(org)
    restriction = dict.fromkeys(fixed, "")  # only which filters are set matters, not their values
    return explore.subgroup_attributes(loaded.frame, loaded.codebook, restriction=restriction)


def subgroup_attributes(filters: Filters) -> tuple[str, ...]:
    """Cached :func:`survey_model.explore.subgroup_attributes` for the current selection."""
    org, version, _, _, restriction = _key(filters)
    return _subgroup_attributes(org, version, tuple(column for column, value in restriction if value is not None))


@st.cache_data(max_entries=256, show_spinner="Scoring the groups…")
def _subgroup_view(
    org: str, version: str, thresholds: str, wave: str, restriction: Restriction, attribute: str
) -> explore.SubgroupView:
    loaded = data.org_data(org)
    return explore.subgroup_view(
        loaded.frame,
        loaded.codebook,
        attribute=attribute,
        wave=wave,
        restriction=dict(restriction),
        settings=_settings(),
        tallies=loaded.tallies,
    )


def subgroup_view(filters: Filters, *, attribute: str) -> explore.SubgroupView:
    """Cached :func:`survey_model.explore.subgroup_view` for the current selection."""
    return _subgroup_view(*_key(filters), attribute)


@st.cache_data(max_entries=256, show_spinner="Counting leaders…")
def _leader_view(org: str, version: str, thresholds: str, wave: str, restriction: Restriction) -> explore.LeaderView:
    loaded = data.org_data(org)
    return explore.leader_view(
        loaded.frame, loaded.codebook, wave=wave, restriction=dict(restriction), settings=_settings(),
        tallies=loaded.tallies,
    )  # fmt: skip


def leader_view(filters: Filters) -> explore.LeaderView:
    """Cached :func:`survey_model.explore.leader_view` for the current selection."""
    return _leader_view(*_key(filters))
