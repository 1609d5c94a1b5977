"""Durations: ``"30s"``, ``"5m"``, ``"4h"``, ``"2d"``, ``"1w"``, or a bare number of minutes.

Revision 2, *Time*: 'Durations are written "30s", "5m", "4h", "2d", "1w" (a bare number is
minutes). Ranges of durations are allowed as above.' The model holds every duration in
**hours**: a float, or for a range an ``Estimate`` of hours (its midpoint, with ``low`` and
``high``). Reading is exact arithmetic on what the file wrote, so ``"90s"`` and ``"1.5m"``
are the same float; writing picks the largest unit that says the value exactly (``"4m"``,
``"2d"``, ``"90s"``), else minutes with decimals, always text that reads back to the same
float.
"""

from __future__ import annotations

import math
import re
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WrapSerializer,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from journeymap.model.estimate import Estimate
from journeymap.model.types import RANGE_ORDER, range_of, read_range

SECONDS = {"w": 7 * 24 * 3600, "d": 24 * 3600, "h": 3600, "m": 60, "s": 1}
"""Seconds in one of each unit, largest first: the order ``format_duration`` tries them."""
DURATION_PATTERN = r"^[0-9]+(\.[0-9]+)?[ \u00a0]?[smhdw]$"
"""A duration as text: digits, a decimal point, at most one space, then s, m, h, d or w."""
HOW = "write 30s, 5m, 4h, 2d or 1w; a bare number is minutes"
"""What a refused duration's message tells the author to write."""
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)[ \u00a0]?([smhdw])")
_HOUR = 3600


def parse_duration(text: str) -> float | None:
    """Hours in a duration text: ``"90s"`` is 0.025; ``None`` where ``text`` is not one."""
    found = _DURATION.fullmatch(text)
    if found is None:
        return None
    return _hours(Fraction(found[1]), found[2])


def minutes_to_hours(minutes: float) -> float:
    """Hours in a bare number of minutes, as the file writes it: 90 is 1.5."""
    return _hours(Fraction(minutes), "m")


def _hours(amount: Fraction, unit: str) -> float:
    """``amount`` of ``unit`` in hours, rounded once; ``OverflowError`` past what a float holds."""
    return float(amount * SECONDS[unit] / _HOUR)


def format_duration(hours: float) -> str | int:
    """A duration as the file would write it, reading back to exactly ``hours``.

    The largest unit that gives a whole number (``"4m"``, ``"2d"``, ``"90s"``); otherwise
    minutes with as few decimals as reading back needs (``"0.0125m"``); 0 as the number 0.
    """
    if hours == 0:
        return 0
    exact = Fraction(hours) * _HOUR
    for unit, seconds in SECONDS.items():
        count = round(exact / seconds)
        if count > 0 and _hours(Fraction(count), unit) == hours:
            return f"{count}{unit}"
    return f"{_decimal_minutes(hours)}m"


def _decimal_minutes(hours: float) -> str:
    """The shortest decimal count of minutes that reads back to exactly ``hours``."""
    minutes = Fraction(hours) * 60
    text = ""
    for digits in range(1, 60):
        with localcontext(Context(prec=digits)):
            rounded = Decimal(minutes.numerator) / Decimal(minutes.denominator)
        text = format(rounded, "f")
        if _hours(Fraction(text), "m") == hours:
            break
    return text


def duration_refusal(value: object) -> str:
    """Why ``value`` is not a duration, and what to write instead."""
    if not isinstance(value, str):
        return f"expected a duration ({HOW}), found {described(value)}"
    message = f"{_short(value)} is not a duration: {HOW}"
    if _is_number(value):
        return f"{message}; remove the quotes to make it minutes"
    pointed = value.replace(",", ".")
    if pointed != value and parse_duration(pointed) is not None:
        return f"{message}; use a decimal point: '{pointed}'"
    if value.startswith("-") and parse_duration(value[1:]) is not None:
        return f"{message}; a duration cannot be negative"
    if value.lower() != value and parse_duration(value.lower()) is not None:
        return f"{message}; write the unit in lowercase: '{value.lower()}'"
    return message


def described(value: object) -> str:
    """A value that is not text, as a message names it."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else repr(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_duration(value: object) -> object:
    """A duration as written (text, or a bare number of minutes) in hours.

    Infinity and NaN pass on, for the number check to refuse in its own words.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return value
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value < 0:
                raise ValueError(f"{value!r} is not a duration: it must be 0 or more")
            return minutes_to_hours(value)
        hours = parse_duration(value) if isinstance(value, str) else None
    except OverflowError:
        raise ValueError(f"{_short(value)} is too long a duration to compute with") from None
    if hours is None:
        raise ValueError(duration_refusal(value))
    return hours


def _short(value: object) -> str:
    """A value at most 40 characters long, as a message shows it."""
    text = value if isinstance(value, str) else repr(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _read_range(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """``[low, high]`` as an ``Estimate`` of hours; an ``Estimate`` made in code is in hours.

    A list's ends are read as lone durations (``["3m", "6m"]``); everything else is read as
    a probability's range is (``journeymap.model.types.read_range``).
    """
    if not isinstance(value, Estimate):
        return read_range(value, handler)
    for end in (value.low, value.high):
        handler(format_duration(end) if math.isfinite(end) and end >= 0 else end)
    if value.low > value.high:
        low, high = format_duration(value.low), format_duration(value.high)
        raise PydanticCustomError(
            RANGE_ORDER,
            "range [{low}, {high}]: the low end is above the high end; write [{high}, {low}]",
            {"low": low, "high": high},
        )
    return value


def _write_duration(value: object, handler: SerializerFunctionWrapHandler) -> object:
    """Hours back as the file writes durations: ``"4m"``, a range as ``["3m", "6m"]``."""
    if isinstance(value, Estimate):
        return [_written(value.low), _written(value.high)]
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _written(float(value))
    return handler(value)


def _written(hours: float) -> str | int | float:
    """``format_duration`` of a duration a file can hold; anything else (set in code) as is."""
    return format_duration(hours) if math.isfinite(hours) and hours >= 0 else hours


def _above_zero(hours: float) -> float:
    """A patience of 0 would mean every customer gives up before anyone could answer."""
    if hours <= 0:
        raise ValueError("must be above 0: customers wait a while before they give up, e.g. 3m")
    return hours


POSITIVE_DURATION_PATTERN = r"^(?=[0-9.]*[1-9])" + DURATION_PATTERN.removeprefix("^")
"""A duration as text that is not 0: at least one digit other than 0."""
RANGE_OF_DURATIONS = (
    "A range [low, high] for a duration you are not sure of: it lies somewhere in here. "
    "Figures use the midpoint."
)
"""What the JSON Schema says of a duration's range form, for editors' hovers."""
_EXAMPLES: list[object] = ["30s", "5m", "4h", "2d"]
_RANGE_EXAMPLES: list[object] = [["3m", "6m"], ["1d", "3d"]]


def _duration_form(pattern: str, bound: Any) -> Any:
    """A duration's written forms for the JSON Schema: text with a unit, or minutes."""
    text = Annotated[str, StringConstraints(pattern=pattern), Field(examples=_EXAMPLES)]
    return text | Annotated[float, bound, Field(examples=[5, 1.5])]


def _ranges_of(form: Any) -> WrapValidator:
    """Read ``[low, high]`` of durations where ``form`` is expected."""
    return range_of(
        form, examples=_RANGE_EXAMPLES, description=RANGE_OF_DURATIONS, read=_read_range
    )


_FORM = _duration_form(DURATION_PATTERN, Field(ge=0.0))
_POSITIVE_FORM = _duration_form(POSITIVE_DURATION_PATTERN, Field(gt=0.0))
_OUT = WrapSerializer(_write_duration)

Duration = Annotated[
    float,
    BeforeValidator(read_duration, json_schema_input_type=_FORM),
    _ranges_of(_FORM),
    _OUT,
]
"""A duration from 0 up, held in hours: ``"30s"``, ``"5m"``, ``"4h"``, ``"2d"``, ``"1w"``, a
bare number of minutes, or a range ``[low, high]`` of these (an ``Estimate`` of hours)."""
PositiveDuration = Annotated[
    float,
    AfterValidator(_above_zero),
    BeforeValidator(read_duration, json_schema_input_type=_POSITIVE_FORM),
    _ranges_of(_POSITIVE_FORM),
    _OUT,
]
"""A ``Duration`` above 0 (each end of a range too), held in hours."""

__all__ = [
    "DURATION_PATTERN",
    "HOW",
    "POSITIVE_DURATION_PATTERN",
    "SECONDS",
    "Duration",
    "PositiveDuration",
    "described",
    "duration_refusal",
    "format_duration",
    "minutes_to_hours",
    "parse_duration",
    "read_duration",
]
