"""The grid as CSV: UTF-8 with a byte-order mark, formulas defused; read back from Excel too."""

from __future__ import annotations

import csv
import io

from journeymap.grid.cells import defuse, restore
from journeymap.grid.layout import Grid, GridError

DELIMITERS = ",;\t"
"""Delimiters a grid is read with: the comma, Excel's semicolon where the decimal sign is a
comma (Finnish, German...), and the tab."""


def csv_bytes(grid: Grid) -> bytes:
    """The grid as CSV bytes: comma-separated, CRLF rows, UTF-8 with a byte-order mark.

    The mark is what makes Excel read the file as UTF-8 (without it, ``ä`` turns into
    ``Ã¤``); whiteboard tools and Python's ``utf-8-sig`` skip it.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in grid.rows:
        writer.writerow([defuse(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def read_csv(data: bytes, source: str) -> list[list[str]]:
    """The cells of a CSV grid, formulas restored; UTF-8 (mark or not) or Excel's cp1252."""
    if b"\x00" in data[:8192] or data.startswith(b"PK\x03\x04"):
        raise GridError(f"{source}: not a CSV file (an Excel workbook? name it .xlsx)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise GridError(f"{source}: not text in UTF-8 or Windows-1252") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise GridError(f"{source}: not a readable CSV file: {error}") from None
    return [[restore(cell) for cell in row] for row in rows]


def _delimiter(text: str) -> str:
    """The delimiter that splits the first row into the most cells."""
    head = text[:65536]

    def cells(delimiter: str) -> int:
        first = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
        return len(first)

    return max(DELIMITERS, key=cells)
