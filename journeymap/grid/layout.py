"""The grid's rows: which row holds what, its label in each language, and cell positions."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal

from journeymap.errors import JourneymapError
from journeymap.locales import available
from journeymap.locales.messages import catalog

RowKind = Literal["stage", "stage-id", "touchpoint", "touchpoint-id", "lane", "channels", "emotion"]

LANES: tuple[tuple[str, str], ...] = (
    ("customer", "lanes.customer"),
    ("frontstage", "lanes.frontstage"),
    ("backstage", "lanes.backstage"),
    ("support", "lanes.support"),
    ("evidence", "lanes.evidence"),
    ("pain_points", "lanes.pain-points"),
    ("opportunities", "lanes.opportunities"),
)
"""The text lanes, in grid order: touchpoint field and message key of the row label."""

ID_LABEL = "id"
"""Label of the id rows, the same in every language: the row above names what the ids are of."""


@dataclass(frozen=True)
class Row:
    """What one row of the grid holds: its kind, and the touchpoint field of a lane row."""

    kind: RowKind
    lane: str = ""


@dataclass
class Grid:
    """A stages × lanes grid: ``rows[r][c]`` is the text of a cell; column 0 holds the labels."""

    rows: list[list[str]]
    kinds: list[RowKind] = field(default_factory=list)
    """The kind of each row, where the grid was made by journeymap."""
    stage_spans: list[tuple[int, int]] = field(default_factory=list)
    """First and last column of each stage run, for merged stage cells."""


class GridError(JourneymapError):
    """A grid that cannot be read as a journey; the message names the file and the cell."""


def column_name(index: int) -> str:
    """The spreadsheet name of a 0-based column: 0 is ``A``, 26 is ``AA``."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def cell_error(source: str, row: int, column: int, message: str) -> GridError:
    """An error at a 0-based cell, worded as a spreadsheet shows it: ``row 4, column C``."""
    return GridError(f"{source}: row {row + 1}, column {column_name(column)}: {message}")


def labels(code: str) -> dict[str, str]:
    """Row labels of language ``code`` by row key (``stage``, ``customer``, ``emotion``...)."""
    messages = catalog(code)
    found = {
        "stage": messages.text("lanes.stage"),
        "touchpoint": messages.text("lanes.touchpoint"),
    }
    found.update({lane: messages.text(key) for lane, key in LANES})
    found["channels"] = messages.text("lanes.channels")
    found["emotion"] = messages.text("lanes.emotion")
    return found


def _fold(label: str) -> str:
    return " ".join(label.split()).casefold()


@functools.cache
def known_rows() -> dict[str, tuple[Row, str]]:
    """Every label a row may carry, folded, with its row and the language it belongs to.

    Labels of every language are known, and the touchpoint fields themselves
    (``pain_points``, ``pain points``) too.
    """
    found: dict[str, tuple[Row, str]] = {}
    for code in available():
        for key, label in labels(code).items():
            row = _row(key)
            found.setdefault(_fold(label), (row, code))
            found.setdefault(_fold(key), (row, ""))
            found.setdefault(_fold(key.replace("_", " ")), (row, ""))
    return found


_HEADERS: dict[str, RowKind] = {
    "stage": "stage",
    "touchpoint": "touchpoint",
    "channels": "channels",
    "emotion": "emotion",
}


def _row(key: str) -> Row:
    kind = _HEADERS.get(key)
    return Row(kind) if kind else Row("lane", key)


def find_row(label: str) -> tuple[Row, str] | None:
    """The row a label names and its language (``""`` where any), or ``None``."""
    return known_rows().get(_fold(label))


def one_line(text: str) -> str:
    """A lane item as one line of a cell: line breaks within it become spaces, ends trimmed."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())
