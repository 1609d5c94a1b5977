"""Poster tiling: a large printed sheet cut onto smaller ones, with overlap and glue marks.

A facilitator without an A0 plotter prints the A0 wall on A4 or A3 sheets and tapes them
together. Each tile overlaps its neighbours by ``OVERLAP_MM``; a dashed line marks where
the next sheet is laid, corner marks show where to trim, and a small label says which row
and column the sheet is. Built on pypdf: each tile shows a window of the original page.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from journeymap.render.paper import MM, sheet

OVERLAP_MM = 10.0
"""How far each tile overlaps the next: room for glue or tape."""
_MM = MM


@dataclass(frozen=True)
class Grid:
    """How one page is cut: tile size in points, the step between tiles, rows and columns."""

    width: float
    height: float
    step_x: float
    step_y: float
    columns: int
    rows: int


def plan(page_width: float, page_height: float, tile: str) -> Grid:
    """The tiling of a page onto ``tile`` sheets, in the orientation that needs fewer."""
    long_side, short_side = sheet(tile)
    overlap = OVERLAP_MM * _MM
    options = []
    for width, height in ((long_side, short_side), (short_side, long_side)):
        columns = max(1, math.ceil((page_width - overlap) / (width - overlap)))
        rows = max(1, math.ceil((page_height - overlap) / (height - overlap)))
        options.append(Grid(width, height, width - overlap, height - overlap, columns, rows))
    return min(options, key=lambda grid: (grid.columns * grid.rows, grid.rows))


def tile_pdf(pdf: bytes, tile: str) -> bytes:
    """Every page of ``pdf`` cut onto ``tile`` sheets (a4, a3, ...), rows top to bottom."""
    writer = PdfWriter()
    pages = PdfReader(io.BytesIO(pdf)).pages
    for number, page in enumerate(pages, 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        grid = plan(width, height, tile)
        for row in range(grid.rows):
            for column in range(grid.columns):
                label = _label(number, len(pages), row, column, grid)
                writer.add_page(_tile(page, height, grid, row, column, label))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _tile(
    page: PageObject, height: float, grid: Grid, row: int, column: int, label: str
) -> PageObject:
    """One sheet: the window of ``page`` at (row, column), with its marks."""
    sheet = PageObject.create_blank_page(width=grid.width, height=grid.height)
    left = column * grid.step_x
    top = height - row * grid.step_y  # PDF pages grow upwards from the bottom
    move = Transformation().translate(-left, grid.height - top)
    sheet.merge_transformed_page(page, move)
    sheet.merge_page(_marks(grid, row, column, label))
    return sheet


def _marks(grid: Grid, row: int, column: int, label: str) -> PageObject:
    """Dashed lines where the neighbouring sheets are laid, trim corners, and the label."""
    overlap = OVERLAP_MM * _MM
    w, h = grid.width, grid.height
    lines = []
    if column + 1 < grid.columns:  # the next sheet to the right is laid from here
        lines.append(f"{w - overlap:.2f} 0 m {w - overlap:.2f} {h:.2f} l S")
    if row + 1 < grid.rows:  # the sheet below is laid from here
        lines.append(f"0 {overlap:.2f} m {w:.2f} {overlap:.2f} l S")
    corner = 6 * _MM
    trims = [
        f"0 {h - corner:.2f} m 0 {h:.2f} l {corner:.2f} {h:.2f} l S",
        f"{w - corner:.2f} 0 m {w:.2f} 0 l {w:.2f} {corner:.2f} l S",
    ]
    text = label.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = (
        "q 0.45 G 0.4 w [4 3] 0 d "
        + " ".join(lines)
        + " [] 0 d "
        + " ".join(trims)
        + f" Q q 0.35 g BT /F1 7 Tf {4 * _MM:.2f} {h - 4 * _MM:.2f} Td ({text}) Tj ET Q"
    )
    overlay = PageObject.create_blank_page(width=w, height=h)
    stream = DecodedStreamObject()
    stream.set_data(content.encode("latin-1", "replace"))
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    overlay[NameObject("/Contents")] = stream
    return overlay


def _label(number: int, pages: int, row: int, column: int, grid: Grid) -> str:
    """Which sheet this is, and how to join it."""
    sheet = f"sheet {number} of {pages}, " if pages > 1 else ""
    return (
        f"{sheet}row {row + 1} of {grid.rows}, column {column + 1} of {grid.columns}: "
        "lay the next sheet on the dashed line"
    )
