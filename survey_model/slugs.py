"""Slugs: short lower-case names for ids and file names, made from what a person typed.

``"École Saint-Jean"`` → ``"ecole-saint-jean"``: accents are folded to their base letters (Unicode NFKD), every
run of anything else but ASCII letters and digits becomes one ``-``, and the result is cut at a word boundary when a
length limit is given. Used for organization ids (:mod:`survey_model.organizations`), codebook ids made from a
file name and the names of downloaded files.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slug"]

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def slug(text: str, *, max_length: int | None = None) -> str:
    """``text`` as lower-case ASCII letters and digits joined by single hyphens; ``""`` when none are left.

    Parameters
    ----------
    text : str
        Any text, e.g. an organization's name.
    max_length : int, optional
        Longest slug returned (characters, at least 1). A longer slug is cut and any hyphen it then ends with
        is dropped, so it never ends with ``-``.

    Returns
    -------
    str
        Matches ``[a-z0-9]+(-[a-z0-9]+)*``, or is empty.

    Examples
    --------
    >>> slug("École Saint-Jean")
    'ecole-saint-jean'
    >>> slug("  Lakeside Schools (2026) ")
    'lakeside-schools-2026'
    >>> slug("Große Straße, K–8")
    'grosse-strasse-k-8'
    >>> slug("Lakeside Schools", max_length=9)
    'lakeside'
    """
    if max_length is not None and max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
    # casefold first ("ß" → "ss"), then NFKD splits "é" into "e" + a combining accent, which is dropped; any other
    # character outside a-z0-9 (a space, an en dash, a letter with no ASCII base) separates words.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    result = _NOT_ALPHANUMERIC.sub("-", folded).strip("-")
    if max_length is not None:
        result = result[:max_length].rstrip("-")
    return result
