"""Failure-demand shares reported in practice, for reports to set a journey's ratio beside.

From practitioner and case figures (not representative samples); each range names its
source, which reports cite. Settings are translated through the locale files
(``practice.<key>``); the sources stay as published.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    """A setting, its reported failure share (low to high), and where it was reported."""

    key: str
    low: float
    high: float | None
    source: str


RANGES = (
    Range(
        "financial-services",
        0.30,
        0.60,
        "Vanguard, \u201cFailure demand \u2013 some typical volumes\u201d (lowest seen 15%)",
    ),
    Range("conventional-services", 0.40, 0.60, "beyondcommandandcontrol.com"),
    Range(
        "telecoms-police-councils",
        0.70,
        0.90,
        "Vanguard, \u201cFailure demand \u2013 some typical volumes\u201d",
    ),
    Range("health-care-utilities", 0.80, None, "beyondcommandandcontrol.com (up to 80% or more)"),
    Range(
        "police-non-urgent",
        0.30,
        0.30,
        "Public Money & Management 2021, doi:10.1080/09540962.2021.1978163",
    ),
)
"""Reported failure shares, as in the project's design notes on failure-demand practice."""
