"""Matching export columns to codebook items, attributes and the respondent ID.

How a column is matched, strongest first:

==========  ====================================================================================================
method      rule
==========  ====================================================================================================
manual      the caller's mapping names the target (keys: the column label, its platform name such as ``Q5_1``,
            or ``c<position>``; value ``""`` leaves the column unmapped)
profile     a saved :class:`ColumnMapping` from an earlier wave names it (matched by column name and label)
id          the column's name or label is the item/attribute id (``VS1``, ``vs1``, ``VS1. Staff at ...``)
text        the normalised text equals the item text or the attribute question or label. A grid column is
            compared by its row label ("Question - Sub-item", "Question [Row]"), a whole question by its text.
            Normalised = HTML stripped, case, spaces and punctuation ignored (:func:`normalise_text`)
fuzzy       difflib similarity of the normalised texts ≥ :data:`FUZZY_MIN` (both texts ≥ 20 characters)
==========  ====================================================================================================

Each column gets at most one target and each target at most one column; between equal matches the earlier
column wins and the later one is reported. Personal-data columns are never matched automatically and can only
be mapped, by hand, to the respondent ID. A mapping is saved for the next wave with :meth:`ColumnMapping.to_dict`
and passed back (after :meth:`ColumnMapping.from_dict`) as ``mapping=``: every decision in it is applied again by
column name and label, and columns it does not mention are matched automatically.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from survey_model.codebook import Codebook, normalise_label
from survey_model.importers.export import Column, plain_text
from survey_model.validation import ValidationIssue

__all__ = [
    "FUZZY_MIN",
    "METHODS",
    "RESPONDENT_ID_TARGET",
    "ColumnMapping",
    "MappingEntry",
    "map_columns",
    "normalise_text",
]

RESPONDENT_ID_TARGET = "respondent_id"
"""Target name of the column holding the respondent's ID."""

FUZZY_MIN = 0.85
"""Smallest difflib ratio accepted as a fuzzy match (0–1)."""

_FUZZY_MIN_LENGTH = 20
METHODS: tuple[str, ...] = ("manual", "profile", "id", "text", "fuzzy")
"""How a column was matched, strongest first."""
_RANK = {method: rank for rank, method in enumerate(METHODS)}
# "VS1. Staff at ...", "SA2: ...", "Q5 - ...": an id-like prefix (letters then a digit), so "Role - Teacher" is not one.
_ID_PREFIX = re.compile(r"^([A-Za-z][A-Za-z_]*\d[A-Za-z0-9_]*)\s*(?:[.:)\]]\s*|\s-\s+)\S")
_POSITION_KEY = re.compile(r"^c(\d+)$")
_FORMAT = "survey_model.column_mapping"


def normalise_text(text: str) -> str:
    """Question text for comparison: HTML stripped, then :func:`~survey_model.codebook.normalise_label`.

    >>> normalise_text("Staff at my school <b>trust</b> one another!")
    'staff at my school trust one another'
    """
    return normalise_label(plain_text(str(text)))


@dataclass(frozen=True)
class MappingEntry:
    """One column's target: an item, an attribute, the respondent ID, or ``""`` (deliberately left unmapped)."""

    position: int
    """Column position in the export (``c<position>``)."""
    column: str
    """Column label."""
    name: str
    """Column's platform name (Qualtrics export tag), used with the label to find the column in the next wave."""
    target: str
    """Item id, attribute id, ``respondent_id``, or ``""`` for a column left unmapped by a person."""
    kind: str
    """``item``, ``attribute``, ``respondent_id`` or ``""``."""
    method: str
    """One of :data:`METHODS`."""
    score: float = 1.0
    """Similarity in [0, 1]: 1 for id, text, manual and profile matches, the difflib ratio for fuzzy ones."""

    @property
    def key(self) -> str:
        """The column's position key, ``c<position>``."""
        return f"c{self.position}"

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-able data."""
        return {
            "position": self.position,
            "column": self.column,
            "name": self.name,
            "target": self.target,
            "kind": self.kind,
            "method": self.method,
            "score": round(float(self.score), 4),
        }


@dataclass(frozen=True)
class ColumnMapping:
    """What each column was matched to, how and how well; what stayed unmapped; serialisable as a profile."""

    entries: tuple[MappingEntry, ...] = ()
    """Mapped columns (and columns a person chose to leave unmapped), in column order."""
    unmapped_columns: tuple[str, ...] = ()
    """Labels of question columns with no target."""
    unmatched_items: tuple[str, ...] = ()
    """Codebook item ids no column was matched to."""
    unmatched_attributes: tuple[str, ...] = ()
    """Codebook attribute ids no column was matched to."""
    platform: str = ""
    """Platform of the export the mapping was made on."""
    name: str = ""
    """Profile name, when saved as one."""

    @property
    def mapped(self) -> tuple[MappingEntry, ...]:
        """Entries with a target."""
        return tuple(entry for entry in self.entries if entry.target)

    @property
    def items(self) -> dict[str, int]:
        """Item id → column position."""
        return {entry.target: entry.position for entry in self.entries if entry.kind == "item"}

    @property
    def attributes(self) -> dict[str, int]:
        """Attribute id → column position."""
        return {entry.target: entry.position for entry in self.entries if entry.kind == "attribute"}

    @property
    def respondent_id(self) -> int | None:
        """Position of the respondent-ID column, if one is mapped."""
        for entry in self.entries:
            if entry.kind == RESPONDENT_ID_TARGET:
                return entry.position
        return None

    def target_of(self, position: int) -> str:
        """Target of the column at ``position`` (``""`` when unmapped)."""
        for entry in self.entries:
            if entry.position == position:
                return entry.target
        return ""

    def overrides(self) -> dict[str, str]:
        """The mapping as ``{"c<position>": target}`` for every decided column (a ``mapping=`` argument)."""
        return {entry.key: entry.target for entry in self.entries}

    def to_dict(self) -> dict[str, Any]:
        """The mapping as JSON-able data, to save as a named profile."""
        return {
            "format": _FORMAT,
            "version": 1,
            "name": self.name,
            "platform": self.platform,
            "entries": [entry.to_dict() for entry in self.entries],
            "unmapped_columns": list(self.unmapped_columns),
            "unmatched_items": list(self.unmatched_items),
            "unmatched_attributes": list(self.unmatched_attributes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """A mapping saved with :meth:`to_dict`; ``ValueError`` when the data is not one."""
        if not isinstance(data, Mapping) or not isinstance(data.get("entries"), list):
            raise ValueError("a saved column mapping needs an 'entries' list (made by ColumnMapping.to_dict())")
        entries = []
        for number, entry in enumerate(data["entries"], start=1):
            if not isinstance(entry, Mapping) or "target" not in entry or "column" not in entry:
                raise ValueError(f"entry {number} of the saved mapping needs 'column' and 'target'")
            entries.append(
                MappingEntry(
                    position=int(entry.get("position", -1)),
                    column=str(entry["column"]),
                    name=str(entry.get("name") or ""),
                    target=str(entry["target"] or ""),
                    kind=str(entry.get("kind") or ""),
                    method=str(entry.get("method") or "manual"),
                    score=float(entry.get("score", 1.0)),
                )
            )
        return cls(
            entries=tuple(entries),
            unmapped_columns=tuple(data.get("unmapped_columns", ())),
            unmatched_items=tuple(data.get("unmatched_items", ())),
            unmatched_attributes=tuple(data.get("unmatched_attributes", ())),
            platform=str(data.get("platform", "")),
            name=str(data.get("name", "")),
        )


@dataclass(frozen=True)
class _Target:
    id: str
    kind: str
    texts: tuple[str, ...]


@dataclass
class _Decision:
    target: str
    method: str
    score: float


def map_columns(
    columns: Sequence[Column],
    codebook: Codebook,
    *,
    candidates: Collection[int] | None = None,
    id_columns: Sequence[int] = (),
    protected: Collection[int] = (),
    overrides: ColumnMapping | Mapping[str, Any] | None = None,
    platform: str = "",
) -> tuple[ColumnMapping, list[ValidationIssue]]:
    """Match columns to the codebook's items and attributes and to the respondent ID (module docstring).

    Parameters
    ----------
    columns : sequence of Column
        Every column of the export.
    codebook : Codebook
        The instrument.
    candidates : collection of int, optional
        Positions of the columns that may be matched automatically (the question columns); default all.
    id_columns : sequence of int
        Positions that may become the respondent ID automatically, preferred first.
    protected : collection of int
        Positions of personal-data columns: only a manual mapping to the respondent ID is allowed.
    overrides : ColumnMapping or mapping, optional
        A saved profile, or manual decisions ``{column label | platform name | "c<position>": target}``, or a
        profile's :meth:`ColumnMapping.to_dict` with manual decisions added as extra keys (manual ones win).
    platform : str
        Recorded in the returned mapping.

    Returns
    -------
    (ColumnMapping, list of ValidationIssue)
        The mapping and the problems found (unknown targets, unmatched items, fuzzy matches to check, ...).
    """
    by_position = {column.position: column for column in columns}
    candidate_set = set(by_position) if candidates is None else set(candidates)
    protected_set = set(protected)
    targets = _targets(codebook)
    issues: list[ValidationIssue] = []
    decided: dict[int, _Decision] = {}
    taken: dict[str, int] = {}

    for position, target, method in _resolve_overrides(overrides, columns, issues):
        column = by_position[position]
        if method == "profile" and (position in decided or (target and target in taken)):
            continue  # a manual decision for this column or target wins over the saved profile
        if target and target not in targets:
            issues.append(
                ValidationIssue(
                    "error",
                    "unknown_mapping_target",
                    f"the mapping sends column {column.label!r} to {target!r}, "
                    f"which is not in codebook {codebook.id!r}",
                    action="Choose an item id, an attribute id, respondent_id, or leave the column unmapped.",
                    column=column.label,
                    value=target,
                )
            )
            continue
        if target and position in protected_set and target != RESPONDENT_ID_TARGET:
            issues.append(
                ValidationIssue(
                    "error",
                    "personal_data_mapped",
                    f"column {column.label!r} holds personal data and cannot be stored as {target!r}",
                    action="Leave it unmapped; only the respondent ID may come from such a column, and it is hashed.",
                    column=column.label,
                    value=target,
                )
            )
            continue
        if target and target in taken and taken[target] != position:
            issues.append(
                ValidationIssue(
                    "error",
                    "target_mapped_twice",
                    f"{target!r} is mapped to two columns: {by_position[taken[target]].label!r} and {column.label!r}",
                    action="Map each item or attribute to one column only.",
                    column=column.label,
                    value=target,
                )
            )
            continue
        if position in decided:
            continue
        decided[position] = _Decision(target, method, 1.0)
        if target:
            taken[target] = position

    if RESPONDENT_ID_TARGET not in taken:
        for position in id_columns:
            if position not in decided:
                decided[position] = _Decision(RESPONDENT_ID_TARGET, "text", 1.0)
                taken[RESPONDENT_ID_TARGET] = position
                break

    _match_automatically(by_position, candidate_set - set(decided) - protected_set, targets, decided, taken, issues)

    entries = tuple(
        MappingEntry(
            position=position,
            column=by_position[position].label,
            name=by_position[position].name,
            target=decision.target,
            kind=targets[decision.target].kind if decision.target else "",
            method=decision.method,
            score=decision.score,
        )
        for position, decision in sorted(decided.items())
    )
    mapped_positions = {entry.position for entry in entries if entry.target}
    unmapped = tuple(by_position[p].label for p in sorted(candidate_set - mapped_positions) if p in by_position)
    unmatched_items = tuple(item.id for item in codebook.items if item.id not in taken)
    unmatched_attributes = tuple(a.id for a in codebook.attributes if a.id not in taken)
    mapping = ColumnMapping(entries, unmapped, unmatched_items, unmatched_attributes, platform=platform)
    issues.extend(_mapping_issues(mapping, codebook))
    return mapping, issues


def _targets(codebook: Codebook) -> dict[str, _Target]:
    targets = {item.id: _Target(item.id, "item", (normalise_text(item.text),)) for item in codebook.items}
    for attribute in codebook.attributes:
        texts = tuple(
            dict.fromkeys(filter(None, (normalise_text(attribute.question), normalise_text(attribute.label))))
        )
        targets[attribute.id] = _Target(attribute.id, "attribute", texts)
    targets[RESPONDENT_ID_TARGET] = _Target(RESPONDENT_ID_TARGET, RESPONDENT_ID_TARGET, ())
    return targets


_PROFILE_KEYS = frozenset(
    {"format", "version", "name", "platform", "entries", "unmapped_columns", "unmatched_items", "unmatched_attributes"}
)


def _split_overrides(
    overrides: ColumnMapping | Mapping[str, Any] | None,
) -> tuple[dict[str, str], ColumnMapping | None]:
    """Manual decisions and a saved profile from the ``mapping`` argument.

    A plain dict made by :meth:`ColumnMapping.to_dict` counts as a profile; extra string keys beside it are
    manual decisions (so a caller may add edits to a stored profile's dict).
    """
    if overrides is None:
        return {}, None
    if isinstance(overrides, ColumnMapping):
        return {}, overrides
    if not isinstance(overrides, Mapping):
        raise ValueError("mapping must be a ColumnMapping, a mapping of column to target, or None")
    if isinstance(overrides.get("entries"), list):
        manual = {str(k): str(v or "") for k, v in overrides.items() if k not in _PROFILE_KEYS and isinstance(v, str)}
        return manual, ColumnMapping.from_dict(overrides)
    return {str(k): str(v or "") for k, v in overrides.items()}, None


def _resolve_overrides(
    overrides: ColumnMapping | Mapping[str, Any] | None, columns: Sequence[Column], issues: list[ValidationIssue]
) -> list[tuple[int, str, str]]:
    """(position, target, method) for every decision in ``overrides`` that names a column of this export.

    Manual decisions come first, so they win over a profile's decision for the same column or target.
    """
    manual, profile = _split_overrides(overrides)
    resolved: list[tuple[int, str, str]] = []
    used: set[int] = set()
    for key, target in manual.items():
        position = _find_column(key, columns, used)
        if position is None:
            issues.append(
                ValidationIssue(
                    "warning",
                    "mapping_column_missing",
                    f"the mapping names a column {key!r} that is not in this export",
                    action="Check the column name, or remove it from the mapping.",
                    column=key,
                    value=target,
                )
            )
            continue
        used.add(position)
        resolved.append((position, target.strip(), "manual"))
    if profile is None:
        return resolved
    seen: Counter[tuple[str, str]] = Counter()
    for entry in profile.entries:
        key = (entry.name, entry.column)
        matches = [c.position for c in columns if (entry.name and c.name == entry.name) or c.label == entry.column]
        occurrence = seen[key]
        seen[key] += 1
        if occurrence < len(matches):
            resolved.append((matches[occurrence], entry.target, "profile"))
        elif entry.target:
            issues.append(
                ValidationIssue(
                    "info",
                    "profile_column_missing",
                    f"the saved mapping's column {entry.column!r} ({entry.target}) is not in this export",
                    action="Check the mapping below; the item may be under a new column name.",
                    column=entry.column,
                    value=entry.target,
                )
            )
    return resolved


def _find_column(key: str, columns: Sequence[Column], used: Collection[int]) -> int | None:
    match = _POSITION_KEY.match(key)
    positions = {column.position for column in columns}
    if match:
        position = int(match.group(1))
        return position if position in positions else None
    for same in (
        lambda c: c.label == key or c.name == key,
        lambda c: normalise_text(c.label) == normalise_text(key) or normalise_text(c.name) == normalise_text(key),
    ):
        found = [c.position for c in columns if same(c)]
        free = [p for p in found if p not in used]
        if free or found:
            return (free or found)[0]
    return None


def _column_ids(column: Column) -> set[str]:
    ids = {column.name.strip().casefold(), column.label.strip().casefold()} - {""}
    match = _ID_PREFIX.match(column.label)
    if match:
        ids.add(match.group(1).casefold())
    return ids


def _column_texts(column: Column) -> tuple[str, ...]:
    # A grid column is one row of a question: compare its row label, not the question stem shared by its siblings.
    parts = (column.label, column.sub_item) if column.sub_item else (column.label, column.question)
    return tuple(dict.fromkeys(text for text in (normalise_text(part) for part in parts) if text))


def _similarity(texts: Sequence[str], matchers: Sequence[SequenceMatcher]) -> float:
    """Best difflib ratio between a column's texts and a target's; the target side is prepared once."""
    best = 0.0
    for text in texts:
        if len(text) < _FUZZY_MIN_LENGTH:
            continue
        for matcher in matchers:
            matcher.set_seq1(text)
            if matcher.real_quick_ratio() < FUZZY_MIN or matcher.quick_ratio() < FUZZY_MIN:
                continue
            best = max(best, matcher.ratio())
    return best


def _match_automatically(
    by_position: Mapping[int, Column],
    positions: Collection[int],
    targets: Mapping[str, _Target],
    decided: dict[int, _Decision],
    taken: dict[str, int],
    issues: list[ValidationIssue],
) -> None:
    order = {target_id: index for index, target_id in enumerate(targets)}
    matchers = {
        target.id: [
            SequenceMatcher(None, "", text, autojunk=False) for text in target.texts if len(text) >= _FUZZY_MIN_LENGTH
        ]
        for target in targets.values()
    }
    proposals: list[tuple[int, float, int, int, str, str]] = []
    for position in sorted(positions):
        column = by_position[position]
        ids, texts = _column_ids(column), _column_texts(column)
        for target in targets.values():
            if target.kind == RESPONDENT_ID_TARGET:
                continue
            if target.id.casefold() in ids:
                method, score = "id", 1.0
            elif set(texts) & set(target.texts):
                method, score = "text", 1.0
            else:
                score = _similarity(texts, matchers[target.id])
                if score < FUZZY_MIN:
                    continue
                method = "fuzzy"
            proposals.append((_RANK[method], -score, position, order[target.id], target.id, method))
    proposals.sort()
    for _rank, negative_score, position, _order, target_id, method in proposals:
        if position in decided:
            continue
        if target_id in taken:
            if method != "fuzzy":
                first = by_position[taken[target_id]].label
                issues.append(
                    ValidationIssue(
                        "warning",
                        "duplicate_match",
                        f"column {by_position[position].label!r} also matches {target_id!r}, already mapped to "
                        f"column {first!r}; it is left unmapped",
                        action="If the second column is the right one, change the mapping.",
                        column=by_position[position].label,
                        value=target_id,
                    )
                )
            continue
        decided[position] = _Decision(target_id, method, -negative_score)
        taken[target_id] = position


def _mapping_issues(mapping: ColumnMapping, codebook: Codebook) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    for entry in mapping.entries:
        if entry.method == "fuzzy":
            issues.append(
                ValidationIssue(
                    "info",
                    "fuzzy_match",
                    f"column {entry.column!r} was matched to {entry.target!r} by similar wording "
                    f"(similarity {entry.score:.2f})",
                    action="Check that this is the same question; change the mapping if not.",
                    column=entry.column,
                    value=entry.target,
                )
            )
    if not mapping.items:
        issues.append(
            ValidationIssue(
                "error",
                "no_items_mapped",
                f"No column matched any item of the codebook {codebook.name!r}.",
                action="Check that this is an export of this survey and that the right codebook is chosen, "
                "or map the columns by hand.",
            )
        )
    elif mapping.unmatched_items:
        issues.append(
            ValidationIssue(
                "warning",
                "unmatched_items",
                f"{len(mapping.unmatched_items)} codebook item(s) have no column in this export: "
                + ", ".join(mapping.unmatched_items),
                action="Map them by hand if the questions were asked under other wording; otherwise they stay "
                "empty for this wave.",
            )
        )
    if mapping.unmatched_attributes:
        issues.append(
            ValidationIssue(
                "info",
                "unmatched_attributes",
                "no column for the respondent attribute(s) " + ", ".join(mapping.unmatched_attributes),
                action="Map them by hand if the export has them under other wording.",
            )
        )
    if mapping.unmapped_columns:
        issues.append(
            ValidationIssue(
                "info",
                "unmapped_columns",
                f"{len(mapping.unmapped_columns)} question column(s) match nothing in the codebook and are not stored",
                action="Map a column by hand if it is one of the codebook's questions.",
                value="; ".join(mapping.unmapped_columns[:5]),
            )
        )
    return issues
