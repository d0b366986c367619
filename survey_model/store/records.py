"""The store's domain objects: what a caller gets back, and the error it may have to show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from survey_model.plurals import counted

__all__ = ["MappingProfile", "Organization", "SaveResult", "SaveStatus", "School", "StoreError", "WaveRecord"]

SaveStatus = Literal["saved", "replaced", "duplicate", "exists"]


class StoreError(Exception):
    """A database problem the user can act on: the message says what happened, ``action`` what to do."""

    def __init__(self, message: str, *, action: str = "") -> None:
        super().__init__(message)
        self.message = message
        """What went wrong, in plain words."""
        self.action = action
        """What the user can do about it (may be empty)."""

    def __str__(self) -> str:
        return f"{self.message} {self.action}".strip()


@dataclass(frozen=True)
class Organization:
    """A partner whose results are kept apart from every other partner's."""

    id: str
    """Short id used on the command line and in URLs, e.g. ``"district-7"``."""
    name: str
    """Name shown to users."""


@dataclass(frozen=True)
class School:
    """A school of an organization and the group it belongs to in comparisons."""

    name: str
    """School name as it appears in the ``school`` attribute of the responses."""
    group: str = ""
    """Comparison group, e.g. ``"cohort"`` or ``"comparison"``; empty when the organization uses none."""
    level: str = ""
    """School level (Elementary, Middle, High, K-8, …) from the school list; empty when not given. Figures by
    level use this, never respondents' own answers (see :mod:`survey_model.release`)."""
    attributes: tuple[tuple[str, str], ...] = ()
    """Further attributes of the school for equity breakdowns, as (name, value) pairs sorted by name, e.g.
    ``(("locale", "Rural"), ("title_i", "Title I"))``; values ``""`` are left out."""

    def attribute(self, name: str) -> str:
        """The value of one further attribute, ``""`` when the list gives none."""
        return dict(self.attributes).get(name, "")


@dataclass(frozen=True)
class WaveRecord:
    """What the store knows about one stored wave (not its responses: see :meth:`Store.load_responses`)."""

    org_id: str
    """Organization the wave belongs to."""
    label: str
    """Wave label, unique within the organization ignoring case (see :mod:`survey_model.store.labels`), e.g.
    ``"Spring 2025"``."""
    date: dt.date | None
    """When the survey ran (``None`` when not given). Waves are ordered by it, undated ones last."""
    codebook_id: str
    """Id of the codebook the wave was imported with."""
    codebook_version: str
    """Version of that codebook."""
    codebook_sha256: str
    """SHA-256 of the stored codebook content (see :func:`codebook_sha256`)."""
    platform: str
    """Survey platform the export came from, e.g. ``"qualtrics"``."""
    file_sha256: str
    """SHA-256 (hex) of the uploaded file's bytes."""
    n_respondents: int
    """Rows stored."""
    counts: Mapping[str, int]
    """Import counts (rows read, excluded by reason, ...) as the validation report gave them."""
    imported_at: dt.datetime
    """When the wave was saved (UTC)."""
    imported_by: str
    """Who saved it."""

    def describe(self) -> str:
        """One line for messages: ``wave 'Spring 2025' of organization 'district-7' (1,234 respondents, ...)``."""
        when = self.imported_at.strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"wave {self.label!r} of organization {self.org_id!r} "
            f"({counted(self.n_respondents, 'respondent')}, imported {when} by {self.imported_by})"
        )


@dataclass(frozen=True)
class SaveResult:
    """What :meth:`Store.save_wave` did."""

    status: SaveStatus
    """``"saved"`` (new wave), ``"replaced"`` (an existing wave was replaced), ``"duplicate"`` (this file is already
    stored; nothing changed) or ``"exists"`` (the label is taken, ignoring case and surrounding whitespace, and
    ``replace`` was not given, or it could name several stored waves that differ only in case; nothing changed)."""
    wave: WaveRecord
    """The wave now stored under the label (saved/replaced), or the one that blocked the save."""
    message: str
    """One or two sentences for the user."""
    replaced: WaveRecord | None = None
    """The wave that was replaced, when ``status == "replaced"``."""

    @property
    def ok(self) -> bool:
        """True when the data was written."""
        return self.status in ("saved", "replaced")


@dataclass(frozen=True)
class MappingProfile:
    """A saved column mapping, reusable for the next export from the same survey."""

    name: str
    """Unique name, e.g. ``"district-7 qualtrics 2025"``."""
    platform: str
    """Platform the mapping was made for."""
    mapping: Mapping[str, Any] = field(default_factory=dict)
    """The mapping as JSON-able data (``ColumnMapping.to_dict()`` of the importer)."""
    updated_at: dt.datetime | None = None
    """Last saved (UTC)."""
    updated_by: str = ""
    """Who saved it last."""
