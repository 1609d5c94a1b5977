"""Elapsed times as a language writes them: '44 seconds', '6.5 minutes', '5.6 days'.

The journey's figures are in hours; a reader wants the unit that suits the size: seconds
under a minute, minutes under an hour, hours under two days, days from there (elapsed
days of 24 hours, as the contract counts ``response: 2d``). One decimal where the number
is under ten, none from there, and none that is 0: '6.5 minutes', '25 minutes', '2 days'.
"""

from __future__ import annotations

from typing import Literal

from babel.units import format_unit

from journeymap.locales.messages import Catalog, rounded

NO_BREAK = "\u00a0"
"""Between a number and its short unit: a narrow cell breaks lines elsewhere."""
UNITS = (
    ("second", 1 / 3600, 1 / 60),
    ("minute", 1 / 60, 1.0),
    ("hour", 1.0, 48.0),
    ("day", 24.0, float("inf")),
)
"""Each unit: its name, its size in hours, and the size in hours from which the next unit
takes over."""


def elapsed(texts: Catalog, hours: float, *, short: bool = False) -> str:
    """``hours`` in the unit that suits its size, in words: '44 seconds', '5.6 days'.

    The unit is chosen by the size as shown: 59.96 seconds shows as '1 minute', not
    '60 seconds'. ``short`` abbreviates the unit as the language does ('44 sec', '44 s'),
    for narrow tables, and keeps it on the number's line.
    """
    name, unit, digits = _unit(abs(hours))
    number = float(rounded(abs(hours) / unit, digits))
    length: Literal["short", "long"] = "short" if short else "long"
    text = format_unit(
        number, f"duration-{name}", length=length, format="#,##0.#", locale=texts.code
    )
    return text.replace(" ", NO_BREAK) if short else text


def _unit(size: float) -> tuple[str, float, int]:
    """The unit for ``size`` hours: its name, its size in hours, and the decimals to show."""
    for name, unit, upper in UNITS:
        digits = _digits(size / unit)
        if float(rounded(size / unit, digits)) * unit < upper:
            return name, unit, digits
    raise AssertionError("the last unit has no upper bound")


def signed_elapsed(texts: Catalog, hours: float) -> str:
    """A change of time with its sign: '+2.5 hours', '−44 seconds'; no sign where it shows 0."""
    shown = elapsed(texts, hours)
    if hours == 0 or not any(ch.isdigit() and ch != "0" for ch in shown):
        return shown
    return f"+{shown}" if hours > 0 else f"\u2212{shown}"


def _digits(number: float) -> int:
    """One decimal under ten ('6.5'), none from there ('25')."""
    return 1 if float(rounded(number, 1)) < 10 else 0
