"""Paper sizes for printing: the drawing is scaled to fit the page, landscape by default."""

from __future__ import annotations

PAPERS = {"a4": (11.69, 8.27), "a3": (16.54, 11.69), "a0": (46.81, 33.11)}
"""Width and height in inches, landscape."""
MARGIN = 0.4


def size_attributes(paper: str | None, *, portrait: bool = False) -> str:
    """DOT graph attributes that scale a drawing to fill ``paper`` (and no more)."""
    if paper is None:
        return ""
    width, height = PAPERS[paper]
    if portrait:
        width, height = height, width
    inner = f"{width - 2 * MARGIN:.2f},{height - 2 * MARGIN:.2f}!"
    return f'size="{inner}" margin="{MARGIN}"'
