"""A journey skeleton from a grid's columns: stages, touchpoints, lanes, channels, emotions."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from journeymap.grid.layout import LANES, GridError, cell_error, column_name
from journeymap.grid.sheet import Sheet
from journeymap.locales import available
from journeymap.locales.messages import catalog
from journeymap.model import KNOWN_KINDS, ROLES, ChannelKind
from journeymap.model.types import SLUG_PATTERN, slugify

DEFAULT_CHANNEL = "web"
"""The channel of a grid that names none."""
GUESSED_KIND: ChannelKind = "assisted"
"""The kind given to a channel whose id does not tell it."""

_SLUG = re.compile(SLUG_PATTERN)
_EMOTION = re.compile(r"[+-]?[0-3]")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})
"""The minus sign and the en dash a spreadsheet's autocorrect makes of ``-``."""


@dataclass
class Skeleton:
    """Journey data read from a grid, and what the reader had to guess."""

    data: dict[str, Any]
    guessed_kinds: list[str] = field(default_factory=list)
    """Channels whose kind was guessed."""
    default_channel: list[str] = field(default_factory=list)
    """Touchpoints that named no channel and were given the default one."""


def skeleton(sheet: Sheet, journey_id: str, title: str | None = None) -> Skeleton:
    """The journey the grid describes, as plain data in format 1."""
    stages: list[dict[str, str]] = []
    touchpoints: list[dict[str, Any]] = []
    explicit = _explicit_ids(sheet)
    current = ""
    for column in range(1, sheet.width):
        if not any(sheet.cell(r, column) for r in sheet.used_rows()):
            continue
        current = _stage(sheet, column, stages) or current
        if not _has_touchpoint(sheet, column):
            continue
        if not current:
            raise cell_error(
                sheet.source,
                sheet.stage,
                column,
                "a touchpoint before the first stage: give its stage here",
            )
        touchpoints.append(_touchpoint(sheet, column, current, explicit, touchpoints))
    if not touchpoints:
        raise GridError(
            f"{sheet.source}: no touchpoints: give their titles in row {sheet.touchpoint + 1}"
        )
    result = Skeleton({})
    channels = _channels(touchpoints, result)
    for here, after in itertools.pairwise(touchpoints):
        here["next"] = [{"to": after["id"]}]
    data: dict[str, Any] = {"journeymap": 1, "id": journey_id}
    if title:
        data["title"] = title
    data.update(locale=sheet.locale, stages=stages, channels=channels, touchpoints=touchpoints)
    result.data = data
    return result


def _explicit_ids(sheet: Sheet) -> set[str]:
    """Touchpoint ids given in the id row, each checked: an id, and given once."""
    seen: dict[str, int] = {}
    for column in range(1, sheet.width):
        given = sheet.cell(sheet.touchpoint_id, column)
        if not given:
            continue
        _check_id(sheet, sheet.touchpoint_id, column, given)
        if given in seen:
            raise cell_error(
                sheet.source,
                sheet.touchpoint_id,
                column,
                f"touchpoint id '{given}' is given twice (first in column "
                f"{column_name(seen[given])})",
            )
        seen[given] = column
    return set(seen)


def _check_id(sheet: Sheet, row: int, column: int, given: str) -> None:
    if not _SLUG.match(given) or len(given) > 64:
        raise cell_error(
            sheet.source,
            row,
            column,
            f"'{given}' is not an id: lowercase letters, digits, '-' and '_' (or leave it "
            "empty to make one from the title)",
        )


def _stage(sheet: Sheet, column: int, stages: list[dict[str, str]]) -> str:
    """The id of the stage the column names (added to ``stages`` if new), or ``""``."""
    title = sheet.cell(sheet.stage, column)
    given = sheet.cell(sheet.stage_id, column)
    if not title and not given:
        return ""
    if given:
        _check_id(sheet, sheet.stage_id, column, given)
    stage_id = given or slugify(title, "stage")
    if all(known["id"] != stage_id for known in stages):
        stages.append({"id": stage_id, "title": title} if title else {"id": stage_id})
    return stage_id


def _has_touchpoint(sheet: Sheet, column: int) -> bool:
    """True where the column holds more than a stage: a touchpoint, or notes that need one."""
    header = {sheet.stage, sheet.stage_id}
    return any(sheet.cell(r, column) for r in sheet.used_rows() if r not in header)


def _touchpoint(
    sheet: Sheet, column: int, stage: str, explicit: set[str], before: list[dict[str, Any]]
) -> dict[str, Any]:
    title = sheet.cell(sheet.touchpoint, column)
    if not title:
        raise cell_error(
            sheet.source,
            sheet.touchpoint,
            column,
            "a touchpoint without a title: give one here, or clear the column",
        )
    given = sheet.cell(sheet.touchpoint_id, column)
    taken = explicit | {tp["id"] for tp in before}
    touchpoint: dict[str, Any] = {
        "id": given or _unique(slugify(title, "touchpoint"), taken),
        "stage": stage,
        "title": title,
    }
    for lane, _key in LANES:
        items = [
            line.strip() for r in sheet.lanes.get(lane, []) for line in _lines(sheet, r, column)
        ]
        if items:
            touchpoint[lane] = items
    uses = _uses(sheet, column)
    if uses:
        touchpoint["channels"] = uses
    emotion = _emotion(sheet, column)
    if emotion is not None:
        touchpoint["emotion"] = emotion
    return touchpoint


def _lines(sheet: Sheet, row: int, column: int) -> list[str]:
    return [line for line in sheet.cell(row, column).splitlines() if line.strip()]


def _unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... where it is taken."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base[: 64 - len(str(number)) - 1]}-{number}"
    return candidate


def _roles() -> dict[str, str]:
    """Every way to write a role, folded: its id, its id with spaces, its label in each language."""
    found: dict[str, str] = {}
    for role in ROLES:
        found[role] = role
        found[role.replace("-", " ")] = role
        for code in available():
            found.setdefault(catalog(code).label("roles", role).casefold(), role)
    return found


def _uses(sheet: Sheet, column: int) -> dict[str, str]:
    """The channels of a cell, ``web: primary`` a line; a line without a role is an alternative."""
    uses: dict[str, str] = {}
    roles = _roles()
    for line in _lines(sheet, sheet.channels, column):
        name, _, role_text = line.partition(":")
        channel = slugify(name.strip(), "")
        if not channel:
            raise cell_error(
                sheet.source, sheet.channels, column, f"'{line.strip()}' names no channel"
            )
        role = roles.get(" ".join(role_text.split()).casefold() or "alternative")
        if role is None:
            raise cell_error(
                sheet.source,
                sheet.channels,
                column,
                f"unknown role '{role_text.strip()}' for channel {channel}: use "
                + ", ".join(ROLES),
            )
        if channel in uses:
            raise cell_error(
                sheet.source, sheet.channels, column, f"channel {channel} is named twice"
            )
        uses[channel] = role
    return uses


def _emotion(sheet: Sheet, column: int) -> int | None:
    text = sheet.cell(sheet.emotion, column).translate(_MINUS)
    if not text:
        return None
    if not _EMOTION.fullmatch(text):
        raise cell_error(
            sheet.source,
            sheet.emotion,
            column,
            f"emotion '{text}' is not a whole number from -3 to 3",
        )
    return int(text)


def _channels(touchpoints: list[dict[str, Any]], result: Skeleton) -> dict[str, dict[str, str]]:
    """Every channel named, with its kind; the default channel where a touchpoint names none."""
    named = [cid for tp in touchpoints for cid in tp.get("channels", {})]
    default = named[0] if named else DEFAULT_CHANNEL
    for tp in touchpoints:
        if "channels" not in tp:
            tp["channels"] = {default: "primary"}
            result.default_channel.append(tp["id"])
    channels: dict[str, dict[str, str]] = {}
    for cid in dict.fromkeys(cid for tp in touchpoints for cid in tp["channels"]):
        kind = KNOWN_KINDS.get(cid)
        if kind is None:
            kind = GUESSED_KIND
            result.guessed_kinds.append(cid)
        channels[cid] = {"kind": kind}
    return channels
