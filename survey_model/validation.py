"""Problems found in user data, collected into one report instead of raised one by one.

A user who uploads a file or a codebook sees every problem at once, each with what to do about it.
Errors block a save; warnings and notes do not. Programmer errors (a wrong argument) still raise
``ValueError``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

__all__ = ["SEVERITIES", "Severity", "ValidationIssue", "ValidationReport"]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class ValidationIssue:
    """One problem in an uploaded file or codebook."""

    severity: Severity
    """``"error"`` blocks saving; ``"warning"`` is shown but does not block; ``"info"`` is a note."""
    code: str
    """Stable machine-readable kind, e.g. ``"unknown_label"`` or ``"duplicate_item_id"``."""
    message: str
    """What is wrong, in plain words."""
    action: str = ""
    """What the user can do about it."""
    row: int | None = None
    """1-based row in the file as a spreadsheet shows it, when the problem is in one row."""
    column: str | None = None
    """Column label (or item id) the problem is in."""
    value: str | None = None
    """The offending value, or a few examples of it."""
    count: int | None = None
    """How many cells or rows share this problem, when it is reported once for many."""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")


@dataclass
class ValidationReport:
    """Every issue found, plus counts (rows read, kept, excluded by reason, ...)."""

    issues: list[ValidationIssue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, severity: Severity, code: str, message: str, **details: object) -> None:
        """Record one issue; ``details`` are the optional :class:`ValidationIssue` fields."""
        self.issues.append(ValidationIssue(severity, code, message, **details))  # type: ignore[arg-type]

    def extend(self, issues: Iterable[ValidationIssue]) -> None:
        """Record several issues found elsewhere."""
        self.issues.extend(issues)

    @property
    def errors(self) -> list[ValidationIssue]:
        """Issues that block saving."""
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[ValidationIssue]:
        """Issues shown to the user that do not block saving."""
        return [issue for issue in self.issues if issue.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks saving."""
        return not self.errors

    def summary(self) -> str:
        """One line such as ``"2 errors, 1 warning"``."""
        tally = Counter(issue.severity for issue in self.issues)
        parts = [f"{tally[s]} {s}{'' if tally[s] == 1 else 's'}" for s in ("error", "warning") if tally[s]]
        return ", ".join(parts) if parts else "no problems found"

    def to_frame(self) -> pd.DataFrame:
        """The issues as a table, errors first, for display."""
        columns = ["severity", "code", "message", "action", "row", "column", "value", "count"]
        rows = [{name: getattr(issue, name) for name in columns} for issue in self.issues]
        frame = pd.DataFrame(rows, columns=columns)
        order = {s: i for i, s in enumerate(SEVERITIES)}
        return frame.sort_values("severity", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)

    def to_text(self) -> str:
        """The report as plain text for the command line."""
        lines = [f"{self.summary()}"]
        for issue in sorted(self.issues, key=lambda i: SEVERITIES.index(i.severity)):
            where = ", ".join(
                part
                for part in (
                    f"row {issue.row}" if issue.row is not None else "",
                    f"column {issue.column!r}" if issue.column else "",
                    f"value {issue.value!r}" if issue.value else "",
                    f"{issue.count} cells" if issue.count else "",
                )
                if part
            )
            lines.append(f"  {issue.severity.upper():7} {issue.message}" + (f" ({where})" if where else ""))
            if issue.action:
                lines.append(f"          → {issue.action}")
        return "\n".join(lines)
