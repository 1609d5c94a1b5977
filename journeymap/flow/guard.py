"""Refuse to analyse a journey the checks find errors in: its figures would mean nothing."""

from __future__ import annotations

from collections.abc import Sequence

from journeymap.errors import JourneymapError
from journeymap.findings import Finding, Severity
from journeymap.loader import Loaded
from journeymap.model import Journey
from journeymap.rules import Config, run


class AnalysisError(JourneymapError):
    """The journey has errors (broken probabilities, no channel, endless loops)."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(
            "the journey cannot be analysed until these are fixed:\n"
            + "\n".join(str(f) for f in self.findings)
        )


def errors(journey: Journey) -> list[Finding]:
    """The error findings of the design checks, at default severities."""
    loaded = Loaded(journey.id, journey)
    return [f for f in run(loaded, Config()) if f.severity is Severity.ERROR]


def ensure_analysable(journey: Journey) -> None:
    """Raise ``AnalysisError`` when the checks find errors in the journey."""
    found = errors(journey)
    if found:
        raise AnalysisError(found)
