"""The shared selection (organization, waves, school, level, role): one owner, kept in the URL.

``app.py`` draws the filters once in the sidebar; pages read :func:`current`. Every filter is mirrored in the
URL's query parameters, so a view can be shared as a link and survives a page switch or reload. Only the
names below are read from the URL, and each value is checked against what exists before it is used. The staff
pages draw no filters: the values chosen persist for the session (``persist_state``) and :func:`keep` leaves
them in the URL, so the view is the same on the way back.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

ALL = "All"
#: Query parameter → session-state key of its widget.
PARAMS = {
    "org": "filter_org",
    "wave": "filter_wave",
    "compare": "filter_compare",
    "school": "filter_school",
    "level": "filter_level",
    "role": "filter_role",
}
NO_COMPARISON = "No comparison"
"""The option that chooses no earlier wave, in the sidebar's *Compare with* and the Workshop's *Compared with*."""


@dataclass(frozen=True)
class Filters:
    """What the user is looking at. ``None`` means "all" for school, level and role."""

    org: str
    """Organization id."""
    wave: str
    """Wave label being shown."""
    compare: str | None
    """Earlier wave to compare with, or ``None``."""
    school: str | None = None
    school_level: str | None = None
    role: str | None = None
    chose_no_comparison: bool = False
    """True when ``compare`` is ``None`` because "No comparison" was chosen while earlier waves exist."""

    @property
    def restriction(self) -> dict[str, str | None]:
        """Column → value for :func:`survey_model.responses.subset` (the wave excluded)."""
        return {"school": self.school, "school_level": self.school_level, "role": self.role}

    def describe(self) -> str:
        """The filters in words, for captions and exports."""
        parts = [f"wave {self.wave}"]
        if self.compare:
            parts.append(f"compared with {self.compare}")
        for name, value in (("school", self.school), ("level", self.school_level), ("role", self.role)):
            if value:
                parts.append(f"{name}: {value}")
        return ", ".join(parts)


def seed_from_url() -> None:
    """Copy query parameters into widget state once per session, before the widgets are drawn."""
    if st.session_state.get("_filters_seeded"):
        return
    for param, key in PARAMS.items():
        if param in st.query_params and key not in st.session_state:
            st.session_state[key] = st.query_params[param]
    st.session_state["_filters_seeded"] = True


def choose(
    label: str, options: list[str], key: str, *, help: str | None = None, names: dict[str, str] | None = None
) -> str:
    """A sidebar selectbox whose remembered value is dropped when it is no longer one of the options.

    ``names`` maps an option to the text shown for it (e.g. an organization id to its name).
    """
    if st.session_state.get(key) not in options:
        st.session_state.pop(key, None)
    shown = (lambda option: names.get(option, option)) if names else str
    # "session": the choice outlives the runs of pages that do not draw the filters (the staff pages).
    return st.sidebar.selectbox(label, options, key=key, help=help, format_func=shown, persist_state="session")


def publish(filters: Filters) -> None:
    """Write the current filters to the URL (and drop the ones at their default)."""
    values = {
        "org": filters.org,
        "wave": filters.wave,
        # No comparison is a choice, not the default (the first wave is): the URL keeps it, or a reload would
        # bring the default back.
        "compare": filters.compare or (NO_COMPARISON if filters.chose_no_comparison else None),
        "school": filters.school,
        "level": filters.school_level,
        "role": filters.role,
    }
    for param, value in values.items():
        if value:
            if st.query_params.get(param) != value:
                st.query_params[param] = value
        elif param in st.query_params:
            del st.query_params[param]
    st.session_state["filters"] = filters


def keep() -> None:
    """On a page without the filters: leave the last chosen ones in the URL, so a reload or the way back keeps them."""
    filters = current()
    if filters is not None:
        publish(filters)


def chosen_org() -> str | None:
    """The organization of the filters, also on a page that does not draw them (a staff page opened from a link
    with ``?org=``); not checked against the stored ones."""
    filters = current()
    return filters.org if filters is not None else st.session_state.get(PARAMS["org"])


def current() -> Filters | None:
    """The filters chosen in the sidebar (on a staff page, the last ones chosen), or ``None`` when there is no data."""
    return st.session_state.get("filters")


def _compare_with(wave: str) -> None:
    st.session_state[PARAMS["compare"]] = wave


def comparison_buttons(*, first: str, previous: str, chosen: str | None) -> None:
    """Buttons "Since the first wave" and "Since the previous wave" that set the sidebar's *Compare with*.

    The sidebar so keeps saying what the page shows. The one in use is disabled; one button when the two waves are
    the same.
    """
    options = {f"Since the first wave ({first})": first}
    if previous != first:
        options[f"Since the previous wave ({previous})"] = previous
    for column, (label, wave) in zip(st.columns(len(options) + 1), options.items(), strict=False):
        column.button(
            label,
            on_click=_compare_with,
            args=(wave,),
            disabled=wave == chosen,
            key=f"compare_with_{'first' if wave == first else 'previous'}",
            width="stretch",
        )
