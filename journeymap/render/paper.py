"""Paper sizes for printing: a drawing scaled to fill the printable part of a sheet.

The page is always the whole sheet (landscape by default): the drawing is measured with
Graphviz, scaled to the largest size that fits inside the margins, and padded to the
sheet. Text is never set below 9 pt, so a drawing is printed at least at its own size;
renderers that could not fit must split the drawing first (rows, pages).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from journeymap.render.graphviz import draw

MM = 72 / 25.4
"""Points per millimetre."""
PAPERS = {
    "a4": (297.0, 210.0),
    "a3": (420.0, 297.0),
    "a2": (594.0, 420.0),
    "a1": (841.0, 594.0),
    "a0": (1189.0, 841.0),
}
"""Width and height in millimetres, landscape."""
MARGIN = 10.0
"""Millimetres left blank on each side of the sheet (most printers need 5)."""
SMALLEST_TEXT = 9.0
"""Points: the smallest text the renderers set; printed, nothing may be smaller."""


def sheet(paper: str, *, portrait: bool = False) -> tuple[float, float]:
    """The sheet's width and height in points."""
    width, height = PAPERS[paper]
    if portrait:
        width, height = height, width
    return width * MM, height * MM


def printable(paper: str, *, portrait: bool = False) -> tuple[float, float]:
    """The sheet's width and height inside its margins, in points."""
    width, height = sheet(paper, portrait=portrait)
    return width - 2 * MARGIN * MM, height - 2 * MARGIN * MM


def measure(dot: str) -> tuple[float, float]:
    """The natural width and height of a drawing in points (laid out by Graphviz)."""
    svg = draw(dot, "svg").data.decode("utf-8")
    box = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"', svg)
    if box is None:
        return 1.0, 1.0
    return float(box.group(3)), float(box.group(4))


def scale(natural: tuple[float, float], paper: str, *, portrait: bool = False) -> float:
    """How much a drawing of ``natural`` size grows (above 1) to fill the printable area."""
    width, height = printable(paper, portrait=portrait)
    return min(width / max(natural[0], 1.0), height / max(natural[1], 1.0))


def page_attributes(natural: tuple[float, float], paper: str, *, portrait: bool = False) -> str:
    """DOT graph attributes that make a drawing of ``natural`` size fill the sheet."""
    grow = scale(natural, paper, portrait=portrait)
    width, height = sheet(paper, portrait=portrait)
    pad_x = (width / grow - natural[0]) / 2 / 72
    pad_y = (height / grow - natural[1]) / 2 / 72
    return (
        f'size="{width / 72:.4f},{height / 72:.4f}!" pad="{pad_x:.4f},{pad_y:.4f}" '
        'margin="0" center=false'
    )


NO_PAD = 'pad="0" margin="0"'
"""Graph attributes for measuring a drawing's natural size."""


def fitted(make: Callable[[str], str], paper: str, *, portrait: bool = False) -> str:
    """The DOT ``make(attributes)`` filling the sheet: measured first, then scaled."""
    natural = measure(make(NO_PAD))
    return make(page_attributes(natural, paper, portrait=portrait))


def fits(natural: tuple[float, float], paper: str, *, portrait: bool = False) -> bool:
    """True where a drawing prints at least at its own size, so no text shrinks below 9 pt."""
    return scale(natural, paper, portrait=portrait) >= 1.0
