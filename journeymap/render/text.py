"""Text for diagrams: wrapped to a column width and escaped for Graphviz HTML labels."""

from __future__ import annotations

import html
from collections.abc import Iterable

from journeymap.render.hyphenate import split

WIDTH = 24
"""Characters per line in a blueprint cell: long text wraps, never overflows."""
MIN_PIECE = 5
"""Fewest characters of room at a line's end worth starting a too-long word there."""


def wrap(text: str, width: int = WIDTH, locale: str = "en") -> list[str]:
    """``text`` broken into lines of at most ``width`` characters.

    A word longer than a line breaks at a syllable of ``locale``, with a visible hyphen.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_wrap_paragraph(paragraph, width, locale) or [""])
    return lines


def _wrap_paragraph(paragraph: str, width: int, locale: str) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in paragraph.split():
        while True:
            room = width - len(line) - (1 if line else 0)
            if len(word) <= room:
                line = f"{line} {word}" if line else word
                break
            long = len(word) > width and (room >= MIN_PIECE or not line)
            piece = split(word, room, locale) if long else None
            if piece is not None:
                lines.append(f"{line} {piece[0]}" if line else piece[0])
                line, word = "", piece[1]
            elif line:
                lines.append(line)
                line = ""
            else:
                lines.append(word[: width - 1] + "-")
                word = word[width - 1 :]
    if line:
        lines.append(line)
    return lines


def escape(text: str) -> str:
    """Text made safe inside a Graphviz HTML-like label."""
    return html.escape(text, quote=True)


def lines_html(lines: Iterable[str], align: str = "LEFT") -> str:
    """Escaped lines joined by HTML-label line breaks, each aligned as asked."""
    return "".join(f'{escape(line)}<BR ALIGN="{align}"/>' for line in lines)


def paragraph_html(
    texts: Iterable[str], width: int = WIDTH, bullet: str = "", locale: str = "en"
) -> str:
    """Several texts, each wrapped, as one cell's content; a bullet before each if given."""
    out: list[str] = []
    for text in texts:
        wrapped = wrap(text, width - len(bullet), locale)
        out.append(f"{bullet}{wrapped[0]}")
        out.extend(" " * len(bullet) + line for line in wrapped[1:])
    return lines_html(out)


def dot_string(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
