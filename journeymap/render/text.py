"""Text for diagrams: wrapped to a column width and escaped for Graphviz HTML labels."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable

WIDTH = 24
"""Characters per line in a blueprint cell: long text wraps, never overflows."""


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """``text`` broken into lines of at most ``width`` characters (long words are split)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""])
    return lines


def escape(text: str) -> str:
    """Text made safe inside a Graphviz HTML-like label."""
    return html.escape(text, quote=True)


def lines_html(lines: Iterable[str], align: str = "LEFT") -> str:
    """Escaped lines joined by HTML-label line breaks, each aligned as asked."""
    return "".join(f'{escape(line)}<BR ALIGN="{align}"/>' for line in lines)


def paragraph_html(texts: Iterable[str], width: int = WIDTH, bullet: str = "") -> str:
    """Several texts, each wrapped, as one cell's content; a bullet before each if given."""
    out: list[str] = []
    for text in texts:
        wrapped = wrap(text, width - len(bullet))
        out.append(f"{bullet}{wrapped[0]}")
        out.extend(" " * len(bullet) + line for line in wrapped[1:])
    return lines_html(out)


def dot_string(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
