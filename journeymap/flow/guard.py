"""Refuse to analyse a journey the checks find errors in: its figures would mean nothing."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from journeymap.errors import JourneymapError
from journeymap.findings import Finding, Severity
from journeymap.loader import Loaded
from journeymap.model import Journey
from journeymap.rules import RULES, Config, RuleSet, run


class AnalysisError(JourneymapError):
    """The journey has errors (broken probabilities, no channel, endless loops)."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(
            "the journey cannot be analysed until these are fixed:\n"
            + "\n".join(str(f) for f in self.findings)
        )


@functools.cache
def _error_rules() -> RuleSet:
    """The rules whose default severity is error: the only ones that can stop an analysis."""
    chosen = RuleSet()
    for rule in RULES:
        if rule.severity is Severity.ERROR:
            chosen.add(rule)
    return chosen


def errors(journey: Journey) -> list[Finding]:
    """The error findings of the design checks, at default severities."""
    loaded = Loaded(journey.id, journey)
    return [f for f in run(loaded, Config(), _error_rules()) if f.severity is Severity.ERROR]


def ensure_analysable(journey: Journey) -> None:
    """Raise ``AnalysisError`` when the checks find errors in the journey."""
    found = errors(journey)
    if found:
        raise AnalysisError(found)
