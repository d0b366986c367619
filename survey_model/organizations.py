"""Organizations: the id made from a partner's name, and the sign that a file belongs to another organization.

An organization id is short and safe in a URL and on the command line (:data:`ORG_ID_PATTERN`); the store refuses
any other. :func:`organization_id` makes one from the name staff type on the upload page, so that every name gives
an id the store accepts. :func:`foreign_schools` is the check that an export about to be stored under an
organization names at least one of its schools; the upload page and the ``import`` and ``inspect`` commands all
report it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import pandas as pd

from survey_model.slugs import slug
from survey_model.validation import ValidationIssue

__all__ = ["ORG_ID_MAX_LENGTH", "ORG_ID_PATTERN", "foreign_schools", "organization_id"]

ORG_ID_MAX_LENGTH = 64
"""Longest organization id, in characters."""

ORG_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
"""Organization ids are short, URL- and command-line-friendly: letters, digits, ``_``, ``.``, ``-``."""


def organization_id(name: str) -> str:
    """The id of a new organization named ``name``: its :func:`~survey_model.slugs.slug`, at most 64 characters.

    The id always matches :data:`ORG_ID_PATTERN`. A name with no letter or digit that folds to ASCII (``"東京"``)
    gets ``"org-"`` and the first ten hex digits of its SHA-256, so it still has a stable id.

    Raises
    ------
    ValueError
        When ``name`` is blank: there is nothing to make an id from.

    Examples
    --------
    >>> organization_id("École Saint-Jean")
    'ecole-saint-jean'
    >>> len(organization_id("A" * 70))
    64
    >>> organization_id("東京")
    'org-130016b259'
    """
    if not name.strip():
        raise ValueError("an organization needs a name to make its id from")
    made = slug(name, max_length=ORG_ID_MAX_LENGTH)
    return made or "org-" + hashlib.sha256(name.strip().encode("utf-8")).hexdigest()[:10]


def foreign_schools(
    frame: pd.DataFrame, known: Iterable[str], *, org_name: str, max_named: int = 3
) -> ValidationIssue | None:
    """A warning when none of the file's schools is one of the organization's schools, else ``None``.

    Another district's export stored under this organization would show its people to the wrong partner; the
    file's school answers are the plainest sign of it. Nothing is said when the file has no school answers or the
    organization has no known schools yet (a new organization).

    Parameters
    ----------
    frame : DataFrame
        The imported responses; the ``school`` column is read when there is one.
    known : iterable of str
        The schools named in the organization's stored waves.
    org_name : str
        The organization's name, for the message.
    max_named : int
        How many of the file's schools the message names.

    Returns
    -------
    ValidationIssue or None
        Severity ``"warning"``, code ``"foreign_schools"``, column ``"school"``.
    """
    known = {str(school) for school in known} - {""}
    if "school" not in frame.columns or not known:
        return None
    found = sorted({str(value) for value in frame["school"].dropna().unique()} - {""})
    if not found or known.intersection(found):
        return None
    sample = ", ".join(found[:max_named]) + (f" and {len(found) - max_named} more" if len(found) > max_named else "")
    return ValidationIssue(
        "warning",
        "foreign_schools",
        f"None of the {len(found)} schools in this file ({sample}) is a school of {org_name}, whose stored waves "
        f"name {len(known)} others.",
        action=f"Check that this file belongs to {org_name} before storing it.",
        column="school",
    )
