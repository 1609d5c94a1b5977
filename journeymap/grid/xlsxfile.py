"""The grid as an Excel workbook: wrapped text, bold labels, frozen headers, readable widths."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import TYPE_CHECKING, Any

from journeymap.grid.cells import is_risky
from journeymap.grid.layout import Grid, GridError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

LABEL_WIDTH = 22
"""Width of the label column, in characters."""
CELL_WIDTH = 34
"""Widest a touchpoint column grows, in characters; longer lines wrap."""
HEADER_KINDS = ("stage", "stage-id", "touchpoint", "touchpoint-id")


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the xlsx extra installs it
        raise GridError("XLSX needs openpyxl: pip install 'journeymap[xlsx]', or use CSV") from None
    return openpyxl


def xlsx_bytes(grid: Grid, title: str = "Blueprint") -> bytes:
    """The grid as an XLSX workbook of one sheet."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill

    book = openpyxl.Workbook()
    sheet: Worksheet = book.active
    sheet.title = title[:31]
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    grey = Font(color="808080", size=9)
    header = PatternFill("solid", fgColor="E8EEF4")
    for r, row in enumerate(grid.rows, start=1):
        kind = grid.kinds[r - 1] if r - 1 < len(grid.kinds) else "lane"
        for c, text in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            _put(cell, text, number=kind == "emotion" and c > 1)
            cell.alignment = wrap
            if c == 1 or kind in ("stage", "touchpoint"):
                cell.font = bold
            if kind in ("stage-id", "touchpoint-id") and c > 1:
                cell.font = grey
            if kind in HEADER_KINDS:
                cell.fill = header
    for first, last in grid.stage_spans:
        for r, kind in enumerate(grid.kinds, start=1):
            if kind in ("stage", "stage-id") and last > first:
                sheet.merge_cells(
                    start_row=r, start_column=first + 1, end_row=r, end_column=last + 1
                )
    headers = sum(1 for kind in grid.kinds if kind in HEADER_KINDS)
    sheet.freeze_panes = f"B{headers + 1}"
    _widths(sheet, grid)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(cell: Any, text: str, *, number: bool) -> None:
    """Write text as a string, never a formula; an emotion as a number."""
    if number and text.lstrip("-").isdigit():
        cell.value = int(text)
        return
    cell.value = text
    cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True


def _widths(sheet: Worksheet, grid: Grid) -> None:
    from openpyxl.utils import get_column_letter

    sheet.column_dimensions["A"].width = LABEL_WIDTH
    columns = max((len(row) for row in grid.rows), default=1)
    for c in range(1, columns):
        longest = max(
            (len(line) for row in grid.rows if c < len(row) for line in row[c].splitlines()),
            default=0,
        )
        sheet.column_dimensions[get_column_letter(c + 1)].width = min(
            CELL_WIDTH, max(12, longest + 2)
        )


def read_xlsx(data: bytes, source: str) -> list[list[str]]:
    """The cells of the first sheet of an XLSX grid, as text."""
    openpyxl = _openpyxl()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise GridError(f"{source}: not a readable XLSX workbook ({error})") from None
    try:
        sheet = book.worksheets[0]
        return [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _text(value: object) -> str:
    """A cell's value as the text it shows: ``2`` not ``2.0``, a date as ``2026-03-01``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
