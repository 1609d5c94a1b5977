"""Spans of numbers as a language writes them: '55–95%', '13,1–19,8 %', '2.21–2.39'.

The unit is written once, after the upper end, as style guides for both English and
Finnish ask; the ends take the language's decimal mark and grouping from ``Catalog``.
"""

from __future__ import annotations

from journeymap.locales.messages import Catalog, rounded

DASH = "\u2013"
"""En dash: the mark of a span in both languages."""


def whole_percent_digits(*shares: float) -> int:
    """0 where every share is a whole percentage (0.55), else 1 (0.925 shows as 92.5%)."""
    return 0 if all(rounded(s, 1, 2) == rounded(s, 0, 2) for s in shares) else 1


def percent_span(texts: Catalog, low: float, high: float, digits: int | None = None) -> str:
    """``low`` to ``high`` as percentages, the sign once: '13.1–19.8%'; one value where equal.

    ``digits`` ``None`` shows whole percentages unless a value needs a decimal.
    """
    places = whole_percent_digits(low, high) if digits is None else digits
    upper = texts.percent(high, places)
    if texts.percent(low, places) == upper:
        return upper
    return f"{texts.number(low * 100, places)}{DASH}{upper}"


def number_span(texts: Catalog, low: float, high: float, digits: int = 0) -> str:
    """``low`` to ``high`` with ``digits`` decimals: '2.21–2.39'; one value where equal."""
    first, last = texts.number(low, digits), texts.number(high, digits)
    return last if first == last else f"{first}{DASH}{last}"


def draw_share(texts: Catalog, share: float) -> str:
    """A share of draws as a percentage, whole unless that would show 0% or 100% untruly.

    "better in 100% of draws" must mean every draw: 0.996 shows as 99.6%.
    """
    digits = 0
    while digits < 3 and 0 < share < 1 and rounded(share, digits, 2) in (0, 100):
        digits += 1
    return texts.percent(share, digits)


def exact_number(texts: Catalog, value: float, most: int = 3) -> str:
    """``value`` with as few decimals as show it exactly, up to ``most``: '37.5', '36.25', '40'."""
    digits = 0
    while digits < most and rounded(value, digits) != rounded(value, most):
        digits += 1
    return texts.number(value, digits)
