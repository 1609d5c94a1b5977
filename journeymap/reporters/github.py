"""GitHub Actions workflow commands: each finding becomes an annotation on its file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeymap.findings import Finding, Severity

if TYPE_CHECKING:
    from journeymap.reporters import Run

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY = {**_DATA, ":": "%3A", ",": "%2C"}


def report(run: Run) -> str:
    """One ``::error``, ``::warning`` or ``::notice`` command per finding, each on its own line."""
    return "".join(f"{_command(finding)}\n" for finding in run.findings)


def _command(finding: Finding) -> str:
    """The workflow command for one finding, with its message and properties escaped."""
    properties = ",".join(
        f"{key}={_escape(str(value), _PROPERTY)}"
        for key, value in (
            ("file", finding.path),
            ("line", finding.line),
            ("col", finding.column),
            ("title", finding.rule),
        )
    )
    message = _escape(finding.message, _DATA)
    return f"::{_COMMANDS[finding.severity]} {properties}::{message}"


def _escape(value: str, table: dict[str, str]) -> str:
    return "".join(table.get(char, char) for char in value)
