"""Counts in words: "1 respondent", "2 respondents", "1,204 respondents".

One place for the rule, so that no message says "1 respondents".
"""

from __future__ import annotations

__all__ = ["counted"]


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` with thousands separators and the noun in the number it needs.

    Parameters
    ----------
    count : int
        How many (0 or more).
    singular : str
        The noun for one, e.g. ``"respondent"``.
    plural : str, optional
        The noun for any other count; ``singular + "s"`` by default. Give it for irregular nouns
        (``"person"`` → ``"people"``).

    Examples
    --------
    >>> counted(1, "respondent"), counted(0, "respondent"), counted(1204, "respondent")
    ('1 respondent', '0 respondents', '1,204 respondents')
    >>> counted(2, "person", "people")
    '2 people'
    """
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"
