"""Opening hours of a channel: ``"24/7"`` or ``"mon-fri 08:00-18:00, sat 10-14"``.

Parsed into minutes of the week so checks can ask whether a channel is always open and
how many hours a week it serves, and the time analysis how long an attempt at a closed
channel waits. English (mon..sun) and Finnish (ma..su) day names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

WEEK = 7 * 24 * 60
"""Minutes in a week."""
DAY = 24 * 60
"""Minutes in a day."""
WEEK_HOURS = 168.0
"""Hours in a week: the span attempt moments are spread over."""
_ALWAYS = {"24/7", "always", "24h", "aina"}
_DAYS = {
    **{d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{d: i for i, d in enumerate(("ma", "ti", "ke", "to", "pe", "la", "su"))},
    **{
        d: i
        for i, d in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_EVERY_DAY = {"daily", "päivittäin", "ma-su", "mon-sun"}
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_RANGE = re.compile(rf"{_TIME}\s*[-–]\s*{_TIME}")
_EXAMPLE = 'write "24/7" or e.g. "mon-fri 08:00-18:00, sat 10:00-14:00"'


@dataclass(frozen=True)
class OpeningHours:
    """Weekly opening intervals in minutes from Monday 00:00, end exclusive."""

    text: str
    intervals: tuple[tuple[int, int], ...]

    @property
    def minutes_per_week(self) -> int:
        """Open minutes in a week (overlaps counted once)."""
        return sum(end - start for start, end in _union(self.intervals))

    @property
    def hours_per_week(self) -> float:
        """Open hours in a week: 168 for a channel that never closes."""
        return self.minutes_per_week / 60

    @property
    def always_open(self) -> bool:
        """True when the channel serves every minute of the week."""
        return self.minutes_per_week >= WEEK


def parse_hours(text: str) -> OpeningHours:
    """Parse opening hours; ``ValueError`` with a message that shows the accepted form."""
    cleaned = " ".join(text.lower().split())
    if cleaned in _ALWAYS:
        return OpeningHours(text, ((0, WEEK),))
    intervals: list[tuple[int, int]] = []
    for part in re.split(r"[;,]", cleaned):
        intervals.extend(_part(part.strip(), text))
    return OpeningHours(text, tuple(intervals))


def _part(part: str, text: str) -> list[tuple[int, int]]:
    days_text, _, times_text = part.partition(" ")
    if not times_text:
        raise ValueError(f"cannot read hours '{text}': '{part}' needs days and times; {_EXAMPLE}")
    days = _days(days_text, text)
    ranges = [_minutes(match, text) for match in _RANGE.finditer(times_text)]
    if not ranges or _RANGE.sub("", times_text).strip(" &+"):
        raise ValueError(f"cannot read hours '{text}': times '{times_text}' unclear; {_EXAMPLE}")
    out: list[tuple[int, int]] = []
    for day in days:
        for start, end in ranges:
            begin = day * 24 * 60 + start
            finish = day * 24 * 60 + (end if end > start else end + 24 * 60)
            out.extend(_wrap(begin, finish))
    return out


def _days(spec: str, text: str) -> list[int]:
    if spec in _EVERY_DAY:
        return list(range(7))
    first, _, last = spec.partition("-")
    for name in (first, last) if last else (first,):
        if name not in _DAYS:
            raise ValueError(
                f"cannot read hours '{text}': unknown day '{name}' "
                f"(use mon..sun or ma..su); {_EXAMPLE}"
            )
    start, end = _DAYS[first], _DAYS[last or first]
    return [(start + i) % 7 for i in range((end - start) % 7 + 1)]


def _minutes(match: re.Match[str], text: str) -> tuple[int, int]:
    h1, m1, h2, m2 = (int(g) if g else 0 for g in match.groups())
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or (h1 == 24 and m1) or (h2 == 24 and m2):
        raise ValueError(f"cannot read hours '{text}': '{match.group(0)}' is not a time of day")
    return h1 * 60 + m1, h2 * 60 + m2


def _wrap(start: int, end: int) -> list[tuple[int, int]]:
    """Split an interval that runs past Sunday midnight back to Monday."""
    if end <= WEEK:
        return [(start, end)]
    return [(start, WEEK), (0, end - WEEK)]


def _union(intervals: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def open_hours_per_week(opening: OpeningHours) -> float:
    """Hours a week the channel is open (overlaps counted once): 168 for ``"24/7"``.

    A queue's arrival rate is its weekly contacts over these hours (Revision 2, *Capacity*).
    """
    return opening.hours_per_week


def closed_stretches(opening: OpeningHours) -> tuple[float, ...]:
    """The lengths in hours of the week's closed stretches, from the first after Monday 00:00.

    The week wraps: a stretch from Sunday night to Monday morning is one stretch, counted
    last. ``()`` for a channel that never closes, ``(168.0,)`` for one that never opens.
    """
    merged = _union(opening.intervals)
    if not merged:
        return (WEEK_HOURS,)
    gaps = [start - end for (_, end), (start, _) in pairwise(merged)]
    gaps.append(WEEK - merged[-1][1] + merged[0][0])
    return tuple(gap / 60 for gap in gaps if gap > 0)


def closed_wait_hours(opening: OpeningHours) -> float:
    """Mean wait in hours of an attempt at a uniformly random moment of the week until opening.

    Revision 2, *Time*: 'for a channel closed in stretches of L_k hours over the 168-hour
    week, the mean wait is Σ L_k² / (2 · 168) hours.' An attempt while open waits 0; one in
    a stretch of L waits L/2 on average and lands there with chance L/168. 0 for ``"24/7"``.
    A channel that is never open has no finite wait: ``ValueError`` (the loader never makes
    one; an ``OpeningHours`` built in code can be).
    """
    if not _union(opening.intervals):
        raise ValueError(
            f"hours '{opening.text}' are never open, so an attempt there waits for ever"
        )
    return sum(length * length for length in closed_stretches(opening)) / (2 * WEEK_HOURS)


def open_days(opening: OpeningHours) -> frozenset[int]:
    """The days (0 = Monday .. 6 = Sunday) on which the channel is open at some time."""
    return frozenset(
        day
        for day in range(7)
        for start, end in opening.intervals
        if start < end and start < (day + 1) * DAY and end > day * DAY
    )
