"""How many customers come, and the service level a queue is staffed for.

Revision 2, *Capacity*, and the settled reading of ``volume``: '"N/week", "N/day" (× 7),
"N/month" (× 7 / 30.4375: a month is 365.25 / 12 days); a bare number is per week.' The
model holds a volume as customers per week (a ``Volume``: a float that remembers how the
file wrote it, for ``dump``), and a service level (``"80% in 60s"``) as a ``ServiceLevel``:
the share of contacts answered within a wait, the wait in hours.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, PlainValidator, StringConstraints

from journeymap.model.durations import (
    DURATION_PATTERN,
    HOW,
    described,
    format_duration,
    parse_duration,
)
from journeymap.model.types import PROBABILITY_PERCENTAGES

PER_WEEK = {
    "week": Fraction(1),
    "day": Fraction(7),
    "month": Fraction(7) / Fraction("30.4375"),
}
"""Customers per week in one customer per each unit: a month is 365.25 / 12 = 30.4375 days."""
VOLUME_PATTERN = r"^[0-9]+(\.[0-9]+)?[ \u00a0]?/[ \u00a0]?(week|day|month)$"
"""A volume as text: a number, ``/``, then week, day or month."""
_VOLUME = re.compile(r"([0-9]+(?:\.[0-9]+)?)[ \u00a0]?/[ \u00a0]?(week|day|month)")
_VOLUME_HOW = "write customers per week, day or month, as in '2000/week', '300/day' or '9000/month'"


class Volume(float):
    """Customers per week who start the journey, remembering how the file wrote them.

    ``Volume(700.0, "100/day")`` equals 700.0; ``written`` (``None`` for a volume made in
    code) is what ``dump`` writes back.
    """

    __slots__ = ("written",)

    written: str | None

    def __new__(cls, per_week: float, written: str | None = None) -> Volume:
        """Customers per week, with the text they were read from (if any)."""
        made = super().__new__(cls, per_week)
        made.written = written
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        """Copies and pickles keep the written form."""
        return (Volume, (float(self), self.written))

    def __repr__(self) -> str:
        return f"Volume({float(self)!r}, {self.written!r})"

    def __str__(self) -> str:
        """The number per week, as a float prints it."""
        return float.__repr__(self)


def parse_volume(text: str) -> float | None:
    """Customers per week in ``"2000/week"``, ``"100/day"`` or ``"500/month"``; else ``None``."""
    found = _VOLUME.fullmatch(text)
    if found is None:
        return None
    try:
        return float(Fraction(found[1]) * PER_WEEK[found[2]])
    except OverflowError:
        return None


def read_volume(value: object) -> Volume:
    """A volume as the file writes it, in customers per week; ``ValueError`` saying why not."""
    if isinstance(value, Volume):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if (isinstance(value, int) and value.bit_length() > 1000) or not math.isfinite(value):
            raise ValueError("that volume is too large to compute with; write customers per week")
        if value < 0:
            raise ValueError(f"{value!r} is not a volume: it must be a number from 0 up")
        return Volume(float(value))
    if not isinstance(value, str) or (per_week := parse_volume(value)) is None:
        raise ValueError(_volume_refusal(value))
    return Volume(per_week, value)


def _volume_refusal(value: object) -> str:
    if not isinstance(value, str):
        return f"expected a volume ({_VOLUME_HOW}), found {described(value)}"
    shown = f"{value[:40]}…" if len(value) > 40 else value
    message = f"'{shown}' is not a volume: {_VOLUME_HOW}; a bare number is per week"
    plain = re.sub(r"(?<=[0-9])[, \u00a0](?=[0-9]{3})", "", value)
    if plain != value and parse_volume(plain) is not None:
        message += f"; write the number without separators: '{plain}'"
    return message


def write_volume(value: float) -> str:
    """A volume as the file wrote it, else as customers per week: ``"1400/week"``."""
    if isinstance(value, Volume) and value.written is not None:
        return value.written
    return f"{_plain(float(value))}/week"


def _plain(number: float) -> str:
    """A number in plain decimals that reads back to exactly it: ``2000``, ``0.00001``."""
    return str(int(number)) if number.is_integer() else format(Decimal(repr(number)), "f")


@dataclass(frozen=True)
class ServiceLevel:
    """A staffing target: ``share`` of contacts answered within ``within_hours``.

    ``"80% in 60s"`` is ``ServiceLevel(0.8, 1 / 60)``; ``written`` keeps the text for dump.
    """

    share: float
    """Share of contacts answered in time, above 0 and below 1."""
    within_hours: float
    """The wait they are answered within, in hours."""
    written: str | None = field(default=None, compare=False)
    """The text it was read from, if any."""

    @property
    def text(self) -> str:
        """The service level as the file writes it: ``"80% in 60s"``."""
        if self.written is not None:
            return self.written
        return f"{_share_text(self.share)} in {format_duration(self.within_hours)}"


def _share_text(share: float) -> str:
    """A share as a percentage that reads back to exactly it (``"80%"``), else a decimal."""
    for digits in range(1, 18):
        shown = f"{share * 100:.{digits}g}"
        if "e" not in shown and PROBABILITY_PERCENTAGES.fraction(f"{shown}%") == share:
            return f"{shown}%"
    return _plain(share)


_SHARE = r"([0-9]{1,3}(?:\.[0-9]+)?[ \u00a0]?%|[0-9]+(?:\.[0-9]+)?)"
_SERVICE_LEVEL = re.compile(rf"{_SHARE}[ \u00a0]+in[ \u00a0]+(.+)")
SERVICE_LEVEL_PATTERN = (
    r"^([0-9]{1,2}(\.[0-9]+)?[ \u00a0]?%|0?\.[0-9]+)[ \u00a0]+in[ \u00a0]+"
    + DURATION_PATTERN.removeprefix("^")
)
"""A service level as text: a share (a percentage or a decimal), ``in``, a duration."""
_LEVEL_HOW = "write the share of contacts answered and the longest wait, as in '80% in 60s'"


def read_service_level(value: object) -> ServiceLevel:
    """``"80% in 60s"`` as a ``ServiceLevel``; ``ValueError`` saying what to write instead."""
    if isinstance(value, ServiceLevel):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a service level ({_LEVEL_HOW}), found {described(value)}")
    found = _SERVICE_LEVEL.fullmatch(value.strip())
    if found is None:
        raise ValueError(f"'{value}' is not a service level: {_LEVEL_HOW}")
    share = _share(found[1])
    if share is None or not 0 < share < 1:
        raise ValueError(
            f"'{value}': the share answered in time must be above 0% and below 100% "
            "(no number of agents answers every contact at once); e.g. '80% in 60s'"
        )
    try:
        within = parse_duration(found[2])
    except OverflowError:
        within = None
    if within is None:
        raise ValueError(f"'{value}': '{found[2]}' is not a duration: {HOW}")
    return ServiceLevel(share, within, value)


def _share(text: str) -> float | None:
    """A share written as a percentage (``"80%"``) or a decimal (``"0.8"``)."""
    if text.endswith("%"):
        return PROBABILITY_PERCENTAGES.fraction(text)
    return float(Fraction(text))


WeeklyVolume = Annotated[
    float,
    PlainValidator(
        read_volume,
        json_schema_input_type=Annotated[float, Field(ge=0.0, examples=[2000])]
        | Annotated[
            str,
            StringConstraints(pattern=VOLUME_PATTERN),
            Field(examples=["2000/week", "300/day", "9000/month"]),
        ],
    ),
    PlainSerializer(write_volume),
]
"""Customers per week: ``"2000/week"``, ``"300/day"``, ``"9000/month"`` or a number per
week, held as a ``Volume``."""
ServiceLevelText = Annotated[
    ServiceLevel,
    PlainValidator(
        read_service_level,
        json_schema_input_type=Annotated[
            str, StringConstraints(pattern=SERVICE_LEVEL_PATTERN), Field(examples=["80% in 60s"])
        ],
    ),
    PlainSerializer(lambda level: level.text, return_type=str),
]
"""A service level written ``"80% in 60s"``, held as a ``ServiceLevel``."""

__all__ = [
    "PER_WEEK",
    "SERVICE_LEVEL_PATTERN",
    "VOLUME_PATTERN",
    "ServiceLevel",
    "ServiceLevelText",
    "Volume",
    "WeeklyVolume",
    "parse_volume",
    "read_service_level",
    "read_volume",
    "write_volume",
]
