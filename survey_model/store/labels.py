"""When two labels name the same thing: wave labels and organization ids, as typed and as stored.

One rule, used by :meth:`Store.save_wave <survey_model.store.Store.save_wave>`, the upload page and every command
line: labels that differ only in case or in surrounding whitespace are the same label (``"2026 spring "`` is the
stored ``"2026 Spring"``), while anything else (inner spaces, punctuation, a part of the label) must match.

An exact match always wins. That matters for databases written before the store applied the rule: they may hold
two waves of one organization whose labels differ only in case (``"Spring 2025"`` and ``"SPRING 2025"``); each is
still named exactly by its own label, and a label that could be either (``"spring 2025"``) names neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from survey_model.store.records import StoreError

__all__ = ["LabelMatch", "label_key", "label_match", "listing", "matching_labels", "stored_label"]


def label_key(label: str) -> str:
    """What two labels share when they name the same thing: the label without surrounding whitespace, casefolded.

    >>> label_key("  2026 Spring\\t") == label_key("2026 SPRING")
    True
    >>> label_key("2026  Spring") == label_key("2026 Spring")
    False
    """
    return label.strip().casefold()


def matching_labels(wanted: str, stored: Iterable[str]) -> list[str]:
    """The stored labels that ``wanted`` names, in their stored order.

    ``[wanted]`` when it is stored exactly; otherwise every stored label with the same :func:`label_key`: none,
    one, or (in a database from before the rule) several that differ from each other only in case.

    >>> matching_labels("2026 spring", ["2025 Spring", "2026 Spring"])
    ['2026 Spring']
    >>> matching_labels("2026 SPRING", ["2026 Spring", "2026 SPRING"])
    ['2026 SPRING']
    >>> matching_labels("2026 spring", ["2026 Spring", "2026 SPRING"])
    ['2026 Spring', '2026 SPRING']
    """
    labels = list(stored)
    if wanted in labels:
        return [wanted]
    key = label_key(wanted)
    return [label for label in labels if label_key(label) == key]


@dataclass(frozen=True)
class LabelMatch:
    """How a typed wave label relates to an organization's stored waves, by :func:`matching_labels`."""

    typed: str
    """The label as typed, without surrounding spaces."""
    stored: tuple[str, ...]
    """Stored labels it names: none (a new wave), one, or several case twins from an older database."""

    @property
    def label(self) -> str:
        """The label the wave will be stored under: the stored wave's when it names exactly one."""
        return self.stored[0] if len(self.stored) == 1 else self.typed

    @property
    def ambiguous(self) -> bool:
        """True when it names several stored waves that differ only in case, so saving under it is refused."""
        return len(self.stored) > 1

    @property
    def replaceable(self) -> bool:
        """True when it names exactly one stored wave, which a replace would replace."""
        return len(self.stored) == 1

    def notice(self) -> str:
        """What to tell the user before saving, or ``""`` when the label is new or typed exactly as stored."""
        if self.replaceable and self.label != self.typed:
            return (
                f"“{self.typed}” is the stored wave “{self.label}”: saving replaces it only if you tick *Replace*, "
                f"and the wave keeps its label “{self.label}”. For a new wave, choose another label."
            )
        if self.ambiguous:
            twins = ", ".join(f"“{label}”" for label in self.stored)
            return (
                f"“{self.typed}” could be any of the stored waves {twins}, which differ only in case: type one of "
                "them exactly to replace it, or choose another label."
            )
        return ""


def label_match(typed: str, stored: Iterable[str]) -> LabelMatch:
    """Which of the ``stored`` wave labels the ``typed`` one names (none when it is blank).

    >>> label_match(" 2026 spring", ["2025 Spring", "2026 Spring"]).label
    '2026 Spring'
    >>> label_match("2027 Spring", ["2026 Spring"]).stored
    ()
    """
    typed = typed.strip()
    return LabelMatch(typed, tuple(matching_labels(typed, stored)) if typed else ())


def stored_label(wanted: str, stored: Iterable[str], *, kind: str, owner: str = "", missing_ok: bool = False) -> str:
    """The stored label (of a wave, an organization) that ``wanted`` names, by :func:`matching_labels`.

    Raises :class:`~survey_model.store.StoreError` (message and what to do) when nothing matches, listing the
    stored labels, or when several stored labels differ from ``wanted`` only in case, listing those: the user then
    types one exactly. ``kind`` names what is looked for (``"wave"``), ``owner`` what holds it
    (``"Organization 'district-7'"``), both for the message. With ``missing_ok`` a label that matches nothing is
    returned as given (an import then creates it).

    >>> stored_label(" 2024 spring", ["2024 Spring", "2025 Spring"], kind="wave")
    '2024 Spring'
    """
    labels = list(stored)
    matches = matching_labels(wanted, labels)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise StoreError(
            f"{kind.capitalize()} {wanted!r} could be any of {len(matches)} stored {kind}s that differ only in case: "
            f"{listing(matches)}.",
            action=f"Type the {kind} exactly as listed.",
        )
    if missing_ok:
        return wanted
    where = f"{owner} has no {kind}" if owner else f"There is no {kind}"
    raise StoreError(f"{where} {wanted!r}.", action=f"Stored {kind}s: {listing(labels) or 'none'}.")


def listing(labels: Iterable[str]) -> str:
    """Labels quoted and joined for a message: ``'Spring 2025', 'SPRING 2025'``."""
    return ", ".join(repr(label) for label in labels)
