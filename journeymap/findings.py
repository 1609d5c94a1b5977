"""The one type every problem travels as: a rule's finding at a place in a file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters: errors fail a check, warnings fail it under --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Finding:
    """A problem found by a rule, at a 1-based line and column of a file.

    Findings sort by file and position, so a report reads top to bottom like the file.
    """

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        """Render as ``path:line:col: severity rule message``, the text format."""
        return (
            f"{self.path}:{self.line}:{self.column}: "
            f"{self.severity.value} {self.rule} {self.message}"
        )

    def as_dict(self) -> dict[str, str | int]:
        """Return the finding as JSON-ready data with the keys the JSON format promises."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
