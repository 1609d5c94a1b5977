"""Cell text spreadsheets show as text: formulas defused on the way out, restored on the way in."""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def is_risky(text: str) -> bool:
    """True where a spreadsheet would run the text as a formula (plain numbers are safe)."""
    return text.startswith(TRIGGERS) and _NUMBER.fullmatch(text) is None


def defuse(text: str) -> str:
    """The text with a ``'`` in front where a spreadsheet would take it for a formula.

    Text that already starts with quotes before such a character gets one more, so
    ``restore`` gives back exactly what was written.
    """
    return "'" + text if is_risky(text.lstrip("'")) else text


def restore(text: str) -> str:
    """The text ``defuse`` was given: one leading ``'`` taken off before a formula character."""
    return text[1:] if text.startswith("'") and is_risky(text.lstrip("'")) else text
