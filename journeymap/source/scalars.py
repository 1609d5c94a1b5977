"""Resolve YAML scalars by the YAML 1.2 core schema: only true/false are booleans.

YAML 1.1 (PyYAML's default) reads ``no`` as false and ``8:30`` as 510; in a journey
file those are text, so journeymap resolves plain scalars the YAML 1.2 way.
"""

from __future__ import annotations

import math
import re

Scalar = str | int | float | bool | None

_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")

CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
"""Explicit scalar tags a journey file may use; any other tag is refused."""


_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
"""First characters of every non-text plain scalar: others are text without a regex."""


def resolve_plain(text: str) -> Scalar:
    """Value of an untagged plain scalar under the YAML 1.2 core schema."""
    if text and text[0] not in _MAYBE_NOT_TEXT:
        return text
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    number = _number(text)
    return text if number is None else number


def resolve_tagged(text: str, tag: str) -> Scalar:
    """Value of a scalar with an explicit core tag; ``ValueError`` when it does not fit."""
    kind = tag.rsplit(":", 1)[-1]
    if kind == "str":
        return text
    if kind == "null" and _NULL.fullmatch(text):
        return None
    if kind == "bool" and text in _BOOL:
        return _BOOL[text]
    number = _number(text)
    if kind == "int" and isinstance(number, int):
        return number
    if kind == "float" and number is not None:
        return float(number)
    raise ValueError(f"'{text}' is not a valid !!{kind}")


def _number(text: str) -> int | float | None:
    if _INT.fullmatch(text):
        return int(text)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return None
