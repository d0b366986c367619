"""The codebook: what each survey item measures, and how its answers turn into numbers.

Two codebooks ship with the package as TOML files in ``survey_model/codebooks/``:

* ``collective-leadership`` (default): seven conditions × four items, some reverse-worded, a leader-identity
  block and the respondent attributes described in ``docs/rules.md`` (*The instrument*);
* ``school-improvement``: the seven components of a school-improvement theory of action.

A partner's own instrument loads from a spreadsheet (``.xlsx`` or ``.csv``) with
:func:`codebook_from_spreadsheet`; the accepted columns are documented in :data:`SPREADSHEET_COLUMNS` and a
template comes from :func:`spreadsheet_template`. Every problem in the spreadsheet is reported at once.
"""

from __future__ import annotations

import io
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from survey_model.slugs import slug
from survey_model.validation import ValidationIssue, ValidationReport

__all__ = [
    "CODEBOOK_DIR",
    "COMMON_MISSING_LABELS",
    "DEFAULT_CODEBOOK",
    "SCALE_SHEET_COLUMNS",
    "SPREADSHEET_COLUMNS",
    "Attribute",
    "Codebook",
    "Condition",
    "Item",
    "LeaderIdentity",
    "Scale",
    "ScaleOption",
    "available_codebooks",
    "builtin_scales",
    "check_codebook",
    "codebook_from_dict",
    "codebook_from_spreadsheet",
    "load_codebook",
    "normalise_label",
    "spreadsheet_template",
]

CODEBOOK_DIR = Path(__file__).with_name("codebooks")
DEFAULT_CODEBOOK = "collective-leadership"

#: Answers that mean "no substantive answer" on every scale: counted separately, never scored.
COMMON_MISSING_LABELS: tuple[str, ...] = (
    "Don't know",
    "Do not know",
    "Not sure / Don't know",
    "N/A",
    "NA",
    "Not applicable",
    "Prefer not to answer",
    "Prefer not to say",
    "No basis to judge",
    "Unable to judge",
)


def normalise_label(text: object) -> str:
    """Case-, space- and punctuation-insensitive form of an answer label.

    >>> normalise_label("  Strongly   Agree. ")
    'strongly agree'
    >>> normalise_label("Don’t know")
    'dont know'
    """
    value = str(text).casefold().replace("’", "'").replace("‘", "'")
    value = re.sub(r"[^\w\s]", "", value)
    return re.sub(r"\s+", " ", value).strip()


@dataclass(frozen=True)
class ScaleOption:
    """One valid answer of a scale."""

    value: int
    """Number the answer is scored as, e.g. 4 for *Agree* on a 1–5 scale."""
    label: str
    """Answer text as respondents saw it."""
    aliases: tuple[str, ...] = ()
    """Other spellings platforms use for the same answer (matched after :func:`normalise_label`)."""


@dataclass(frozen=True)
class Scale:
    """A set of answers: its valid options, which labels mean missing, and where *favorable* starts."""

    id: str
    """Short identifier used by items, e.g. ``"agree5"``."""
    options: tuple[ScaleOption, ...]
    """Valid answers, lowest value first."""
    ordinal: bool = True
    """True when the values are ordered and can be averaged and reversed (Likert-type scales)."""
    favorable_min: int | None = None
    """Smallest value counted as favorable (4 on a 1–5 agreement scale). ``None`` for categorical scales."""
    unfavorable_max: int | None = None
    """Largest value counted as unfavorable (2 on a 1–5 agreement scale)."""
    missing: tuple[str, ...] = ()
    """Labels that mean "no substantive answer" in addition to :data:`COMMON_MISSING_LABELS`."""

    @property
    def values(self) -> tuple[int, ...]:
        """The valid values, lowest first."""
        return tuple(option.value for option in self.options)

    @property
    def min_value(self) -> int:
        """Lowest valid value."""
        return min(self.values)

    @property
    def max_value(self) -> int:
        """Highest valid value."""
        return max(self.values)

    def label_of(self, value: int) -> str:
        """Answer text for a value."""
        for option in self.options:
            if option.value == value:
                return option.label
        raise KeyError(f"scale {self.id!r} has no value {value}")

    @property
    def label_lookup(self) -> dict[str, int]:
        """Normalised label (and alias) → value."""
        lookup: dict[str, int] = {}
        for option in self.options:
            for text in (option.label, *option.aliases):
                lookup[normalise_label(text)] = option.value
        return lookup

    @property
    def missing_lookup(self) -> frozenset[str]:
        """Normalised labels that mean "no substantive answer"."""
        return frozenset(normalise_label(text) for text in (*COMMON_MISSING_LABELS, *self.missing))


@dataclass(frozen=True)
class Condition:
    """A construct measured by several items, e.g. *Shared influence*."""

    id: str
    """Short identifier, e.g. ``"SI"``."""
    name: str
    """Name shown to users."""
    group: str = ""
    """Group id, e.g. ``"foundational"`` or ``"cultural"``; empty when the codebook has no groups."""
    description: str = ""
    """One or two sentences on what the condition means."""


@dataclass(frozen=True)
class Item:
    """One survey question (or one row of a matrix question)."""

    id: str
    """Stable identifier, e.g. ``"SI4"``; also matched against export column names."""
    text: str
    """Item wording as respondents saw it."""
    scale: str
    """Id of the item's :class:`Scale`."""
    condition: str | None = None
    """Id of the condition the item measures; ``None`` for items outside the conditions (leader block)."""
    reverse: bool = False
    """True for a negatively worded item, scored as ``min + max − x`` (``6 − x`` on 1–5) before anything else."""


@dataclass(frozen=True)
class Attribute:
    """A respondent characteristic used for filters and breakdowns, e.g. role or school."""

    id: str
    """Column name in the responses frame, e.g. ``"role"``."""
    label: str
    """Name shown to users."""
    question: str = ""
    """Question text in the survey, used to find the column in an export."""
    options: tuple[str, ...] = ()
    """Expected answers in display order; empty for open lists such as school names."""
    sensitive: bool = False
    """Demographic attribute: breakdowns use the higher ``min_n_sensitive`` threshold."""


@dataclass(frozen=True)
class LeaderIdentity:
    """Where the leader-identity block lives in the codebook and which answers count."""

    item: str
    """Id of the headline item ("Do you consider yourself a leader in your school?")."""
    yes: int
    """Value of *Yes* on the headline item's scale."""
    unsure: int | None = None
    """Value of *Not sure*, reported separately; still a valid answer in the denominator."""
    formal_role_item: str | None = None
    """Id of the yes/no item "Do you hold a formal leadership role?"; enables *informal leaders*."""
    formal_role_yes: int | None = None
    """Value of *Yes* on the formal-role item."""
    scale_items: tuple[str, ...] = ()
    """Ids of the optional agreement mini-scale on leader identity."""


@dataclass(frozen=True)
class Codebook:
    """An instrument: scales, conditions, items, respondent attributes and the leader-identity block."""

    id: str
    """Short identifier, e.g. ``"collective-leadership"``."""
    name: str
    """Name shown to users."""
    version: str
    """Version of this codebook; waves record the version they were scored with."""
    scales: tuple[Scale, ...]
    conditions: tuple[Condition, ...]
    items: tuple[Item, ...]
    attributes: tuple[Attribute, ...] = ()
    leader: LeaderIdentity | None = None
    groups: Mapping[str, str] = field(default_factory=dict)
    """Condition group id → display name, in display order (e.g. foundational, cultural)."""
    description: str = ""

    def __hash__(self) -> int:  # groups is a dict; id and version identify a codebook
        return hash((self.id, self.version))

    def item(self, item_id: str) -> Item:
        """The item with this id."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"codebook {self.id!r} has no item {item_id!r}")

    def scale(self, scale_id: str) -> Scale:
        """The scale with this id."""
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(f"codebook {self.id!r} has no scale {scale_id!r}")

    def condition(self, condition_id: str) -> Condition:
        """The condition with this id."""
        for condition in self.conditions:
            if condition.id == condition_id:
                return condition
        raise KeyError(f"codebook {self.id!r} has no condition {condition_id!r}")

    def scale_of(self, item_id: str) -> Scale:
        """The scale an item is answered on."""
        return self.scale(self.item(item_id).scale)

    def items_for(self, condition_id: str) -> tuple[Item, ...]:
        """Items of one condition, in codebook order."""
        return tuple(item for item in self.items if item.condition == condition_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Every item id, in codebook order."""
        return tuple(item.id for item in self.items)

    @property
    def condition_items(self) -> tuple[Item, ...]:
        """Items that belong to a condition, in codebook order."""
        return tuple(item for item in self.items if item.condition is not None)

    @property
    def attribute_ids(self) -> tuple[str, ...]:
        """Every attribute id, in codebook order."""
        return tuple(attribute.id for attribute in self.attributes)

    def attribute(self, attribute_id: str) -> Attribute:
        """The attribute with this id."""
        for attribute in self.attributes:
            if attribute.id == attribute_id:
                return attribute
        raise KeyError(f"codebook {self.id!r} has no attribute {attribute_id!r}")


# --------------------------------------------------------------------------------------------------------------
# Shipped codebooks (TOML)


def available_codebooks() -> tuple[str, ...]:
    """Ids of the codebooks shipped with the package."""
    return tuple(sorted(path.stem for path in CODEBOOK_DIR.glob("*.toml")))


@cache
def load_codebook(name: str = DEFAULT_CODEBOOK) -> Codebook:
    """Load a shipped codebook by id, or any codebook TOML file by path.

    Raises ``ValueError`` when the file is not a valid codebook; the message lists every problem.
    """
    path = Path(name) if name.endswith(".toml") else CODEBOOK_DIR / f"{name}.toml"
    if not path.exists():
        raise ValueError(f"no codebook named {name!r}; shipped codebooks: {', '.join(available_codebooks())}")
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    codebook = codebook_from_dict(data)
    problems = check_codebook(codebook)
    errors = [issue.message for issue in problems if issue.severity == "error"]
    if errors:
        raise ValueError(f"codebook {path.name} is not valid: " + "; ".join(errors))
    return codebook


def codebook_from_dict(data: Mapping[str, object]) -> Codebook:
    """Build a :class:`Codebook` from the structure of a codebook TOML file."""
    scales = tuple(
        Scale(
            id=s["id"],
            options=tuple(ScaleOption(int(o["value"]), o["label"], tuple(o.get("aliases", ()))) for o in s["options"]),
            ordinal=bool(s.get("ordinal", True)),
            favorable_min=s.get("favorable_min"),
            unfavorable_max=s.get("unfavorable_max"),
            missing=tuple(s.get("missing", ())),
        )
        for s in data.get("scales", ())  # type: ignore[union-attr]
    )
    conditions = tuple(
        Condition(c["id"], c["name"], c.get("group", ""), c.get("description", ""))
        for c in data.get("conditions", ())  # type: ignore[union-attr]
    )
    items = tuple(
        Item(i["id"], i["text"], i["scale"], i.get("condition"), bool(i.get("reverse", False)))
        for i in data.get("items", ())  # type: ignore[union-attr]
    )
    attributes = tuple(
        Attribute(
            a["id"], a["label"], a.get("question", ""), tuple(a.get("options", ())), bool(a.get("sensitive", False))
        )
        for a in data.get("attributes", ())  # type: ignore[union-attr]
    )
    leader_data = data.get("leader_identity")
    leader = None
    if isinstance(leader_data, Mapping):
        leader = LeaderIdentity(
            item=leader_data["item"],
            yes=int(leader_data["yes"]),
            unsure=leader_data.get("unsure"),
            formal_role_item=leader_data.get("formal_role_item"),
            formal_role_yes=leader_data.get("formal_role_yes"),
            scale_items=tuple(leader_data.get("scale_items", ())),
        )
    return Codebook(
        id=str(data["id"]),
        name=str(data["name"]),
        version=str(data.get("version", "1")),
        scales=scales,
        conditions=conditions,
        items=items,
        attributes=attributes,
        leader=leader,
        groups=_groups(data.get("groups", {})),
        description=str(data.get("description", "")),
    )


def _groups(data: object) -> dict[str, str]:
    """Condition groups in display order, from a TOML table or a list of ``{"id", "name"}`` (stored form)."""
    if isinstance(data, Mapping):
        return {str(key): str(name) for key, name in data.items()}
    return {str(group["id"]): str(group["name"]) for group in data}  # type: ignore[union-attr]


def check_codebook(codebook: Codebook) -> list[ValidationIssue]:
    """Every structural problem in a codebook (duplicate ids, unknown references, ...)."""
    issues: list[ValidationIssue] = []

    def error(code: str, message: str, action: str, column: str | None = None) -> None:
        issues.append(ValidationIssue("error", code, message, action=action, column=column))

    for kind, ids in (
        ("item", [i.id for i in codebook.items]),
        ("condition", [c.id for c in codebook.conditions]),
        ("scale", [s.id for s in codebook.scales]),
        ("attribute", [a.id for a in codebook.attributes]),
    ):
        for dup, count in Counter(ids).items():
            if count > 1:
                error(
                    f"duplicate_{kind}_id",
                    f"{kind} id {dup!r} is used {count} times",
                    f"give each {kind} its own id",
                    dup,
                )
    scales = {s.id: s for s in codebook.scales}
    conditions = {c.id for c in codebook.conditions}
    for scale in codebook.scales:
        if len(scale.options) < 2:
            error("scale_too_small", f"scale {scale.id!r} has fewer than two answers", "list every answer", scale.id)
        if len(set(scale.values)) != len(scale.values):
            error(
                "duplicate_scale_value",
                f"scale {scale.id!r} uses a value twice",
                "give each answer its own value",
                scale.id,
            )
        if any(v < 0 for v in scale.values):
            error(
                "negative_scale_value",
                f"scale {scale.id!r} has a negative value; negative codes mean missing",
                "use values from 0 or 1 upward",
                scale.id,
            )
        if scale.ordinal and (scale.favorable_min is None or scale.unfavorable_max is None):
            error(
                "favorable_undefined",
                f"ordinal scale {scale.id!r} does not say where favorable starts",
                "set favorable_min and unfavorable_max",
                scale.id,
            )
        if (
            scale.ordinal
            and scale.favorable_min is not None
            and scale.unfavorable_max is not None
            and not (scale.min_value <= scale.unfavorable_max < scale.favorable_min <= scale.max_value)
        ):
            error(
                "favorable_out_of_range",
                f"scale {scale.id!r}: unfavorable_max must be below favorable_min, both within the scale",
                "check the two cut points",
                scale.id,
            )
    for item in codebook.items:
        if item.scale not in scales:
            error(
                "unknown_scale",
                f"item {item.id!r} uses unknown scale {item.scale!r}",
                f"use one of: {', '.join(sorted(scales))}",
                item.id,
            )
        elif item.reverse and not scales[item.scale].ordinal:
            error(
                "reverse_non_numeric",
                f"item {item.id!r} is marked reverse but its scale {item.scale!r} is not ordinal",
                "only agreement-type (ordinal) items can be reversed",
                item.id,
            )
        if item.condition is not None and item.condition not in conditions:
            error(
                "unknown_condition",
                f"item {item.id!r} belongs to unknown condition {item.condition!r}",
                "add the condition or fix the item's condition id",
                item.id,
            )
        if item.condition is not None and item.scale in scales and not scales[item.scale].ordinal:
            error(
                "condition_item_not_ordinal",
                f"condition item {item.id!r} is on non-ordinal scale {item.scale!r}",
                "condition items need an ordinal (agreement-type) scale",
                item.id,
            )
        if not item.text.strip():
            error("empty_text", f"item {item.id!r} has no text", "write the item wording", item.id)
    for condition in codebook.conditions:
        if not codebook.items_for(condition.id):
            error("empty_condition", f"condition {condition.id!r} has no items", "add items or remove it", condition.id)
        if codebook.groups and condition.group not in codebook.groups:
            error(
                "unknown_group",
                f"condition {condition.id!r} is in unknown group {condition.group!r}",
                f"use one of: {', '.join(codebook.groups)}",
                condition.id,
            )
    item_ids = set(codebook.item_ids)
    leader = codebook.leader
    if leader is not None:
        for ref in (leader.item, leader.formal_role_item, *leader.scale_items):
            if ref is not None and ref not in item_ids:
                error(
                    "unknown_leader_item",
                    f"leader-identity block refers to unknown item {ref!r}",
                    "add the item or fix the reference",
                    ref,
                )
        if leader.item in item_ids and codebook.item(leader.item).scale in scales:
            values = scales[codebook.item(leader.item).scale].values
            for name, value in (("yes", leader.yes), ("unsure", leader.unsure)):
                if value is not None and value not in values:
                    error(
                        "leader_value",
                        f"leader-identity {name} value {value} is not on the headline item's scale",
                        "use a value of the item's scale",
                        leader.item,
                    )
    clash = item_ids & set(codebook.attribute_ids)
    for name in sorted(clash):
        error("id_clash", f"{name!r} is both an item and an attribute", "rename one of them", name)
    return issues


# --------------------------------------------------------------------------------------------------------------
# A partner's own codebook from a spreadsheet

#: Columns of a codebook spreadsheet (one row per item), with what each holds.
SPREADSHEET_COLUMNS: dict[str, str] = {
    "item_id": "required. Short unique id, e.g. SI1; letters, digits and _ only.",
    "text": "required. The item wording as respondents saw it.",
    "condition_id": "required for condition items. Short id of the condition the item measures, e.g. SI.",
    "condition_name": "Name of the condition, e.g. Shared influence (first row of each condition is enough).",
    "condition_group": "Optional group of the condition, e.g. foundational or cultural.",
    "reverse": "yes/no (or 1/0). yes for a negatively worded item, scored 6 − x on a 1–5 scale.",
    "scale": "required. One of the built-in scales (agree5, agree4, frequency5, yes_no_unsure, yes_no) "
    "or a scale defined on a 'scales' sheet.",
    "role": "Optional: condition (default), leader_identity (the yes/no/not sure headline item), formal_role, "
    "leader_scale, or attribute (a respondent characteristic such as school or role).",
}

#: Columns of the optional ``scales`` sheet of an ``.xlsx`` codebook: one row per answer.
SCALE_SHEET_COLUMNS: dict[str, str] = {
    "scale": "Scale id used in the items sheet.",
    "value": "Whole number the answer is scored as (lowest = least favorable).",
    "label": "Answer text as respondents saw it.",
    "favorable": "yes on the answers that count as favorable (e.g. Agree, Strongly agree).",
    "unfavorable": "yes on the answers that count as unfavorable.",
}

_ROLES = ("condition", "leader_identity", "formal_role", "leader_scale", "attribute")
_TRUE = {"1", "yes", "y", "true", "t", "x", "r", "reverse", "reversed"}
_FALSE = {"", "0", "no", "n", "false", "f"}
_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def builtin_scales() -> dict[str, Scale]:
    """Scales a spreadsheet codebook can name without defining them."""
    return {scale.id: scale for scale in load_codebook(DEFAULT_CODEBOOK).scales}


def spreadsheet_template() -> pd.DataFrame:
    """The default codebook as a spreadsheet table: a template partners can edit."""
    codebook = load_codebook(DEFAULT_CODEBOOK)
    leader = codebook.leader
    rows = []
    for item in codebook.items:
        role = "condition"
        if leader and item.id == leader.item:
            role = "leader_identity"
        elif leader and item.id == leader.formal_role_item:
            role = "formal_role"
        elif leader and item.id in leader.scale_items:
            role = "leader_scale"
        condition = codebook.condition(item.condition) if item.condition else None
        rows.append(
            {
                "item_id": item.id,
                "text": item.text,
                "condition_id": condition.id if condition else "",
                "condition_name": condition.name if condition else "",
                "condition_group": condition.group if condition else "",
                "reverse": "yes" if item.reverse else "no",
                "scale": item.scale,
                "role": role,
            }
        )
    for attribute in codebook.attributes:
        rows.append(
            {
                "item_id": attribute.id,
                "text": attribute.question or attribute.label,
                "condition_id": "",
                "condition_name": attribute.label,
                "condition_group": "",
                "reverse": "no",
                "scale": "",
                "role": "attribute",
            }
        )
    return pd.DataFrame(rows, columns=list(SPREADSHEET_COLUMNS))


def codebook_from_spreadsheet(
    data: bytes, *, filename: str, codebook_id: str | None = None, name: str | None = None
) -> tuple[Codebook | None, ValidationReport]:
    """Read a partner's codebook from an ``.xlsx`` or ``.csv`` file.

    Returns the codebook (``None`` when there are errors) and a report listing every problem at once:
    missing columns, duplicate ids, unknown scales, a reverse flag on a non-numeric item, and so on.
    The columns are documented in :data:`SPREADSHEET_COLUMNS`.
    """
    report = ValidationReport()
    stem = Path(filename).stem
    try:
        items_table, scales_table = _read_codebook_tables(data, filename)
    except ValueError as exc:
        report.add(
            "error",
            "unreadable_file",
            str(exc),
            action="Save the codebook as .xlsx or .csv with one header row (download the template).",
        )
        return None, report
    items_table.columns = [str(c).strip().casefold().replace(" ", "_") for c in items_table.columns]
    missing_columns = [c for c in ("item_id", "text", "scale") if c not in items_table.columns]
    for column in missing_columns:
        report.add(
            "error",
            "missing_column",
            f"the codebook has no {column!r} column",
            action=f"add a column {column!r}: {SPREADSHEET_COLUMNS[column]}",
            column=column,
        )
    if missing_columns:
        return None, report
    for column in SPREADSHEET_COLUMNS:
        if column not in items_table.columns:
            items_table[column] = ""
    items_table = items_table.fillna("").astype(str).map(str.strip)
    items_table = items_table[items_table["item_id"] != ""]
    if items_table.empty:
        report.add(
            "error",
            "no_items",
            "the codebook lists no items",
            action="add one row per survey item (download the template to see the layout)",
        )
        return None, report

    scales = builtin_scales()
    if scales_table is not None:
        scales.update(_scales_from_table(scales_table, report))

    conditions: dict[str, Condition] = {}
    items: list[Item] = []
    attributes: list[Attribute] = []
    leader_item = formal_item = None
    leader_scale: list[str] = []
    seen: Counter[str] = Counter(items_table["item_id"])
    for index, row in items_table.iterrows():
        line = int(index) + 2  # the header is spreadsheet row 1
        item_id, role = row["item_id"], (row["role"].casefold() or "condition")
        if seen[item_id] > 1:
            report.add(
                "error",
                "duplicate_item_id",
                f"item id {item_id!r} appears {seen[item_id]} times",
                action="give each item its own id",
                row=line,
                column="item_id",
                value=item_id,
            )
            seen[item_id] = 0  # report once
        if not _ID_PATTERN.match(item_id):
            report.add(
                "error",
                "bad_item_id",
                f"item id {item_id!r} must start with a letter and hold only letters, digits and _",
                action="rename the item",
                row=line,
                column="item_id",
                value=item_id,
            )
        if role not in _ROLES:
            report.add(
                "error",
                "unknown_role",
                f"role {row['role']!r} is not one of {', '.join(_ROLES)}",
                action="leave role empty for condition items",
                row=line,
                column="role",
                value=row["role"],
            )
            continue
        if role == "attribute":
            attributes.append(Attribute(item_id, row["condition_name"] or item_id, question=row["text"]))
            continue
        reverse_text = row["reverse"].casefold()
        if reverse_text not in _TRUE | _FALSE:
            report.add(
                "error",
                "bad_reverse",
                f"reverse must be yes or no, got {row['reverse']!r}",
                action="write yes for a negatively worded item, no otherwise",
                row=line,
                column="reverse",
                value=row["reverse"],
            )
        reverse = reverse_text in _TRUE
        scale = scales.get(row["scale"])
        if scale is None:
            report.add(
                "error",
                "unknown_scale",
                f"item {item_id!r} uses unknown scale {row['scale']!r}",
                action=f"use one of: {', '.join(sorted(scales))}, or define it on a 'scales' sheet",
                row=line,
                column="scale",
                value=row["scale"],
            )
        elif reverse and not scale.ordinal:
            report.add(
                "error",
                "reverse_non_numeric",
                f"item {item_id!r} is marked reverse but its scale {scale.id!r} is not numeric",
                action="only agreement-type items can be reversed; set reverse to no",
                row=line,
                column="reverse",
                value=row["reverse"],
            )
        if not row["text"]:
            report.add(
                "error",
                "empty_text",
                f"item {item_id!r} has no text",
                action="write the item wording",
                row=line,
                column="text",
            )
        condition_id = row["condition_id"] or None
        if role == "condition":
            if condition_id is None:
                report.add(
                    "error",
                    "missing_condition",
                    f"item {item_id!r} names no condition",
                    action="fill condition_id, or set role to leader_identity / attribute",
                    row=line,
                    column="condition_id",
                )
            elif condition_id not in conditions:
                conditions[condition_id] = Condition(
                    condition_id, row["condition_name"] or condition_id, row["condition_group"]
                )
            if scale is not None and not scale.ordinal:
                report.add(
                    "error",
                    "condition_item_not_ordinal",
                    f"condition item {item_id!r} is on non-numeric scale {scale.id!r}",
                    action="use an agreement-type scale such as agree5",
                    row=line,
                    column="scale",
                )
        else:
            condition_id = None
            if role == "leader_identity":
                leader_item = item_id
            elif role == "formal_role":
                formal_item = item_id
            else:
                leader_scale.append(item_id)
        items.append(Item(item_id, row["text"], row["scale"], condition_id, reverse))

    for condition_id in conditions:
        count = sum(1 for item in items if item.condition == condition_id)
        if count < 2:
            report.add(
                "warning",
                "single_item_condition",
                f"condition {condition_id!r} has only {count} item; its reliability cannot be computed",
                action="conditions are more trustworthy with three or more items",
                column=condition_id,
            )
    leader = None
    if leader_item is not None:
        leader = _leader_block(leader_item, formal_item, leader_scale, items, scales, report)
    groups = {c.group: c.group.capitalize() for c in conditions.values() if c.group}
    if groups and any(not c.group for c in conditions.values()):
        report.add(
            "error",
            "partial_groups",
            "some conditions have a condition_group and others do not",
            action="fill condition_group for every condition, or for none",
        )
    if not report.ok:
        return None, report
    used_scales = tuple(scales[s] for s in dict.fromkeys(item.scale for item in items))
    codebook = Codebook(
        id=codebook_id or slug(stem) or "custom",
        name=name or stem,
        version="1",
        scales=used_scales,
        conditions=tuple(conditions.values()),
        items=tuple(items),
        attributes=tuple(attributes),
        leader=leader,
        groups=groups,
    )
    report.extend(check_codebook(codebook))
    return (codebook if report.ok else None), report


def _read_codebook_tables(data: bytes, filename: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    suffix = Path(filename).suffix.casefold()
    if not data.strip():
        raise ValueError(f"{filename} is empty")
    if suffix in (".xlsx", ".xlsm"):
        try:
            sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise ValueError(f"{filename} is not a readable Excel workbook ({type(exc).__name__})") from None
        names = {name.strip().casefold(): name for name in sheets}
        scales_table = sheets[names["scales"]] if "scales" in names else None
        item_sheets = [name for key, name in names.items() if key != "scales"]
        if not item_sheets:
            raise ValueError(f"{filename} has no items sheet")
        return sheets[item_sheets[0]], scales_table
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        try:
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python"), None
        except Exception as exc:  # the csv sniffer raises several kinds on non-tables
            raise ValueError(f"{filename} is not a readable CSV table ({type(exc).__name__})") from None
    raise ValueError(f"{filename}: a codebook must be an .xlsx or .csv file")


def _scales_from_table(table: pd.DataFrame, report: ValidationReport) -> dict[str, Scale]:
    table = table.copy()
    table.columns = [str(c).strip().casefold() for c in table.columns]
    missing = [c for c in ("scale", "value", "label") if c not in table.columns]
    if missing:
        report.add(
            "error",
            "scales_sheet_columns",
            f"the scales sheet lacks column(s) {', '.join(missing)}",
            action=f"the scales sheet needs: {', '.join(SCALE_SHEET_COLUMNS)}",
        )
        return {}
    table = table.fillna("").astype(str).map(str.strip)
    scales: dict[str, Scale] = {}
    for scale_id, rows in table[table["scale"] != ""].groupby("scale", sort=False):
        options, favorable, unfavorable = [], [], []
        for index, row in rows.iterrows():
            try:
                value = int(float(row["value"]))
            except ValueError:
                report.add(
                    "error",
                    "bad_scale_value",
                    f"scale {scale_id!r}: value {row['value']!r} is not a number",
                    action="use whole numbers",
                    row=int(index) + 2,
                    column="value",
                    value=row["value"],
                )
                continue
            options.append(ScaleOption(value, row["label"]))
            if row.get("favorable", "").casefold() in _TRUE:
                favorable.append(value)
            if row.get("unfavorable", "").casefold() in _TRUE:
                unfavorable.append(value)
        options.sort(key=lambda option: option.value)
        ordinal = bool(favorable)
        scales[str(scale_id)] = Scale(
            str(scale_id),
            tuple(options),
            ordinal=ordinal,
            favorable_min=min(favorable) if favorable else None,
            unfavorable_max=max(unfavorable) if unfavorable else (min(favorable) - 2 if favorable else None),
        )
    return scales


def _leader_block(
    leader_item: str,
    formal_item: str | None,
    scale_items: Iterable[str],
    items: list[Item],
    scales: Mapping[str, Scale],
    report: ValidationReport,
) -> LeaderIdentity | None:
    by_id = {item.id: item for item in items}

    def value_of(item_id: str, label: str) -> int | None:
        scale = scales.get(by_id[item_id].scale)
        return None if scale is None else scale.label_lookup.get(normalise_label(label))

    yes = value_of(leader_item, "Yes")
    if yes is None:
        report.add(
            "error",
            "leader_scale",
            f"leader-identity item {leader_item!r} needs a scale with a 'Yes' answer",
            action="use the yes_no_unsure scale",
            column=leader_item,
        )
        return None
    return LeaderIdentity(
        item=leader_item,
        yes=yes,
        unsure=value_of(leader_item, "Not sure"),
        formal_role_item=formal_item,
        formal_role_yes=value_of(formal_item, "Yes") if formal_item else None,
        scale_items=tuple(scale_items),
    )
