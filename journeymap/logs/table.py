"""The one table every contact log becomes, and the rows that could not become part of it.

Whatever the source (CSV, Parquet or XES), a read log is a ``Contacts``: a table of
``SCHEMA`` in source order, and the rejected rows, each with its place in the source and a
reason that says what is wrong and how to fix it. Nothing is dropped silently:
``rows_read`` is always ``len(table) + len(rejected)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from journeymap.errors import JourneymapError

SCHEMA = pa.schema(
    [
        ("customer", pa.string()),
        ("time", pa.timestamp("us")),
        ("channel", pa.string()),
        ("topic", pa.string()),
        ("outcome", pa.string()),
        ("row", pa.int64()),
    ]
)
"""The normalised contacts.

- ``customer``: never null.
- ``time``: never null; naive. Times with a zone offset are converted to UTC, then made naive.
- ``channel``: never null; the mapping's ``channel_value`` when it names no channel column.
- ``topic``, ``outcome``: null when the source has none.
- ``row``: where the contact is in the source: for CSV the line its record starts on (the
  header is line 1), for Parquet the row index + 1, for XES the ordinal of its ``<event>``.
"""

UNITS = {"csv": "line", "parquet": "row", "xes": "event"}
"""What ``row`` counts, by format."""


class UnreadableLog(JourneymapError):
    """A log file cannot be read at all: missing, a folder, binary, or not its format."""


@dataclass(frozen=True)
class Rejected:
    """A source row left out of the table, and why (what is wrong and how to fix it)."""

    row: int
    reason: str


@dataclass(frozen=True)
class Contacts:
    """A contact log read into ``SCHEMA``, with what was rejected on the way.

    ``unit`` says what ``row`` counts (``line``, ``row`` or ``event``); ``notes`` are what
    the reader guessed (an encoding, a delimiter), for the user to confirm.
    """

    table: pa.Table
    rejected: tuple[Rejected, ...]
    source: str
    rows_read: int
    unit: str = "line"
    notes: tuple[str, ...] = ()

    def where(self, row: int) -> str:
        """The place of a source row: ``log.csv:12``, or ``log.xes: event 12``."""
        if self.unit == "line":
            return f"{self.source}:{row}"
        return f"{self.source}: {self.unit} {row}"


def empty_table() -> pa.Table:
    """A table of ``SCHEMA`` with no rows."""
    return SCHEMA.empty_table()
