"""Cached access to the store and to the dashboard's tables.

``st.cache_data`` is shared by every user of a server, so each cached function is keyed by the organization
*and* by the store's data version for that organization: one organization's cache never serves another's data,
and a new upload (which changes the version) is never answered from an old entry. Every public function here and
in the other ``ui`` data modules takes that version from :func:`version`, which first asks the gate
(:func:`ui.auth.require`): a cache entry is only reached by someone allowed to see the organization.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from survey_model import dashboard
from survey_model.access import PARTNER
from survey_model.codebook import Codebook
from survey_model.network import NetworkFigures, network_figures
from survey_model.release import released_responses
from survey_model.roster import ResponseRates, response_rates
from survey_model.scoring import with_condition_parts
from survey_model.settings import Settings, load_settings
from survey_model.store import Store, StoreError
from survey_model.tallies import Tallies, tally
from ui import auth
from ui.tables import statements


@st.cache_resource(show_spinner="Opening the survey database…")
def _open_store() -> Store:
    return Store.from_settings(load_settings())


_FIRST_START = threading.Lock()


def store() -> Store:
    """The one store of this server process; on first start it loads the demo data through the upload path,
    with a progress bar per demo file (outside the cache: a cached function would replay the bar on every run)."""
    instance = _open_store()
    if not st.session_state.get("_store_checked"):
        with _FIRST_START:  # two first visitors at once: one loads, the other then finds the data
            if instance.is_empty():
                from survey_model.samples import LOADED_MESSAGE, load_samples

                bar = st.progress(0.0, text="Loading the demo data…")
                load_samples(
                    instance,
                    user="first start (demo data)",
                    progress=lambda step: bar.progress(step.fraction, text=step.message),
                )
                bar.empty()
                st.success(LOADED_MESSAGE)
        st.session_state["_store_checked"] = True
    return instance


@st.cache_resource
def settings() -> Settings:
    """Thresholds and paths, read once from the environment."""
    return load_settings()


@dataclass(frozen=True)
class OrgData:
    """One organization's stored responses, as the pages need them."""

    org: str
    version: str
    codebook: Codebook
    frame: pd.DataFrame
    """Every wave's *released* respondents (:func:`survey_model.release.release`: the only rows and attribute
    values any page may publish), with each respondent's condition parts (:func:`with_condition_parts`)."""
    tallies: Tallies
    """The frame summed per wave × school × level × role: the Overview adds up these cells."""
    waves: tuple[str, ...]
    """Wave labels, oldest first."""
    release_notes: tuple[str, ...] = ()
    """What the release decision found wrong with the school list, in plain words (for staff)."""
    schools_answered: tuple[str, ...] = ()
    """Every school the stored waves name (for the staff's school list; never published as such)."""
    withheld: dict[str, tuple[str, ...]] | None = None
    """School and role values never published as a group (:attr:`survey_model.release.Release.withheld`)."""


@st.cache_resource(max_entries=8, show_spinner="Loading survey waves…")
def _org_data(org: str, version: str) -> OrgData:
    # cache_resource, not cache_data: one shared frame instead of a fresh copy (unpickled, ~0.2 s at 500,000
    # rows) on every rerun. Nothing mutates it: every view selects rows into new frames (subset, restrict, assign).
    current = store()
    codebook = current.codebook_for(org)
    limits = settings()
    # What may be published is decided once per load, for every wave (survey_model.release); no page reads the
    # stored answers directly.
    released = released_responses(current, org, min_n=limits.min_n, min_n_sensitive=limits.min_n_sensitive)
    # Each respondent's condition parts, once: every summary of a selection then adds up a few columns.
    frame = with_condition_parts(released.frame, codebook)
    waves = tuple(record.label for record in current.waves(org))
    return OrgData(
        org=org,
        version=version,
        codebook=codebook,
        frame=frame,
        tallies=tally(frame, codebook),
        waves=waves,
        release_notes=released.notes,
        schools_answered=released.schools,
        withheld=dict(released.withheld),
    )


def version(org: str, role: str = PARTNER) -> str:
    """The organization's data version, the key of every cache: only for a person holding ``role`` on it (else
    the page stops with "you do not have access", before any cached function runs)."""
    auth.require(org, role)
    return store().data_version(org)


def org_data(org: str) -> OrgData:
    """The organization's data at its current version (cached per organization and version)."""
    return _org_data(org, version(org))


@st.cache_data(max_entries=32, show_spinner=False)
def _filter_options(org: str, version: str) -> dict[str, list[str]]:
    data = _org_data(org, version)
    return dashboard.filter_options(data.frame, data.codebook)


def filter_options(org: str) -> dict[str, list[str]]:
    """Values offered by the school, level and role filters (cached per organization and version)."""
    return _filter_options(org, version(org))


@st.cache_data(max_entries=256, show_spinner=False)
def _overview(org: str, version: str, wave: str, restriction: tuple[tuple[str, str | None], ...]) -> dashboard.Overview:
    data = _org_data(org, version)
    return dashboard.overview(
        data.frame, data.codebook, wave=wave, restriction=dict(restriction), settings=settings(), tallies=data.tallies
    )


def overview(org: str, wave: str, restriction: dict[str, str | None]) -> dashboard.Overview:
    """Cached :func:`survey_model.dashboard.overview` for the current selection."""
    return _overview(org, version(org), wave, tuple(sorted(restriction.items())))


@st.cache_data(max_entries=64, show_spinner="Comparing waves…")
def _shifts(
    org: str,
    version: str,
    from_wave: str,
    to_wave: str,
    restriction: tuple[tuple[str, str | None], ...],
    compare_by: str = dashboard.SCHOOL_GROUP,
) -> dashboard.ShiftsView:
    data = _org_data(org, version)
    groups = store().school_groups(org)
    return dashboard.shifts_view(
        data.frame,
        data.codebook,
        from_wave=from_wave,
        to_wave=to_wave,
        restriction=dict(restriction),
        school_groups=groups,
        settings=settings(),
        compare_by=compare_by,
    )


def shifts(
    org: str,
    from_wave: str,
    to_wave: str,
    restriction: dict[str, str | None],
    compare_by: str = dashboard.SCHOOL_GROUP,
) -> dashboard.ShiftsView:
    """Cached :func:`survey_model.dashboard.shifts_view` for the current selection, schools compared by
    ``compare_by`` (the school group or a school list attribute ``school:<name>``)."""
    return _shifts(org, version(org), from_wave, to_wave, tuple(sorted(restriction.items())), compare_by)


@st.cache_data(max_entries=256, show_spinner=False)
def _leader_statement(
    org: str, version: str, from_wave: str, to_wave: str, restriction: tuple[tuple[str, str | None], ...]
) -> str:
    # The selection's own report (the Shifts view's first part), not the whole view: the Overview needs one
    # sentence, not every school and school group compared (about 1 s at 100,000 respondents a wave).
    data = _org_data(org, version)
    report = dashboard.shifts_report(
        data.frame,
        data.codebook,
        from_wave=from_wave,
        to_wave=to_wave,
        restriction=dict(restriction),
        settings=settings(),
    )
    found = statements(report, measure="leader_identity")
    return found[0] if found else ""


def leader_statement(org: str, from_wave: str, to_wave: str, restriction: dict[str, str | None]) -> str:
    """The worded leader-identity change between two waves, as the Shifts page words it (cached per selection)."""
    return _leader_statement(org, version(org), from_wave, to_wave, tuple(sorted(restriction.items())))


@st.cache_data(max_entries=64, show_spinner=False)
def _rates(org: str, version: str, wave: str) -> ResponseRates:
    return response_rates(_org_data(org, version).frame, store().roster(org, wave), wave=wave)


def rates(org: str, wave: str) -> ResponseRates:
    """The response rates a wave may show (:func:`survey_model.roster.response_rates`, cached per version)."""
    return _rates(org, version(org), wave)


@st.cache_data(max_entries=64, show_spinner="Pooling the network…")
def _network(org: str, wave: str, name: str, versions: tuple[tuple[str, str], ...]) -> NetworkFigures | None:
    # Each member's *released* frame (survey_model.network explains why that keeps the pooled figure safe).
    frames = {member: _org_data(member, version).frame for member, version in versions}
    codebook = _org_data(org, dict(versions)[org]).codebook
    return network_figures(frames, codebook, network=name, wave=wave, partner=org, min_n=settings().min_n)


def network(org: str, wave: str) -> NetworkFigures | None:
    """The pooled figures of the organization's network in ``wave`` (``None`` without a network or with too few
    organizations), cached per member data versions."""
    own = version(org)  # the gate: the person may see this organization
    current = store()
    name = current.network_of(org)
    if not name:
        return None
    # The other members are read without the person's access to them: only their pooled, released figures leave
    # _network (survey_model.network), never one of them on its own or by name.
    members = {
        member: own if member == org else current.data_version(member) for member in current.network_members(name)
    }
    return _network(org, wave, name, tuple(members.items()))


__all__ = [
    "OrgData",
    "StoreError",
    "leader_statement",
    "network",
    "org_data",
    "overview",
    "rates",
    "settings",
    "shifts",
    "store",
    "version",
]
