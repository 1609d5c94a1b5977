"""Blueprint grids: a journey as a stages × lanes spreadsheet (CSV or XLSX), and back.

``export_grid`` writes the grid a workshop edits; ``import_grid`` reads one into a journey
skeleton. The grid is laid out in ``journeymap.grid.layout``.
"""

from __future__ import annotations

from typing import Literal

from journeymap.grid.build import Skeleton, skeleton
from journeymap.grid.csvfile import csv_bytes, read_csv
from journeymap.grid.export import journey_grid
from journeymap.grid.layout import Grid, GridError, one_line
from journeymap.grid.sheet import read_sheet
from journeymap.grid.xlsxfile import read_xlsx, xlsx_bytes
from journeymap.grid.yamltext import skeleton_text
from journeymap.model import Journey

GridFormat = Literal["csv", "xlsx"]
FORMATS: tuple[GridFormat, ...] = ("csv", "xlsx")


def export_grid(journey: Journey, fmt: GridFormat, locale: str | None = None) -> bytes:
    """The journey's blueprint grid as CSV or XLSX bytes."""
    grid = journey_grid(journey, locale)
    return csv_bytes(grid) if fmt == "csv" else xlsx_bytes(grid, journey.id)


def read_grid(
    data: bytes, fmt: GridFormat, source: str, journey_id: str = "journey", title: str | None = None
) -> Skeleton:
    """The journey skeleton a CSV or XLSX grid describes; ``GridError`` names a bad cell."""
    rows = read_csv(data, source) if fmt == "csv" else read_xlsx(data, source)
    return skeleton(read_sheet(rows, source), journey_id, title)


def import_grid(
    data: bytes, fmt: GridFormat, source: str, journey_id: str, title: str | None = None
) -> str:
    """The journey file a grid becomes: YAML text, headed by what to fill in next."""
    return skeleton_text(read_grid(data, fmt, source, journey_id, title), source)


__all__ = [
    "FORMATS",
    "Grid",
    "GridError",
    "GridFormat",
    "Skeleton",
    "export_grid",
    "import_grid",
    "journey_grid",
    "one_line",
    "read_grid",
]
