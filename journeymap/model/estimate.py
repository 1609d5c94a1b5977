"""A value the designers are not sure of: a range ``[low, high]`` that reads as its midpoint.

Revision 2, *Ranges*: 'Every exact figure uses the midpoint, so a journey with ranges gives
the same point figures as one with the midpoints written in.' An ``Estimate`` is a float
whose value is the midpoint, so every part of journeymap that reads a probability reads the
midpoint without knowing ranges exist; the uncertainty analysis asks for ``low`` and
``high``.
"""

from __future__ import annotations

from typing import Any


class Estimate(float):
    """A float equal to the midpoint of ``[low, high]``, which keeps both ends."""

    __slots__ = ("high", "low")

    low: float
    high: float

    def __new__(cls, low: float, high: float) -> Estimate:
        """The midpoint ``(low + high) / 2`` of a range whose ends are numbers."""
        made = super().__new__(cls, (float(low) + float(high)) / 2.0)
        made.low = float(low)
        made.high = float(high)
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        """Copies and pickles keep the range, not only the midpoint."""
        return (Estimate, (self.low, self.high))

    def __repr__(self) -> str:
        return f"Estimate({self.low!r}, {self.high!r})"

    def __str__(self) -> str:
        """The midpoint as a float prints it: a probability in text shows the figure used."""
        return float.__repr__(self)

    @property
    def width(self) -> float:
        """``high - low``."""
        return self.high - self.low


def bounds(value: float) -> tuple[float, float] | None:
    """The ``(low, high)`` of a range, ``None`` for a plain number."""
    return (value.low, value.high) if isinstance(value, Estimate) else None
