"""Run Graphviz's ``dot`` on DOT text: SVG, PNG or PDF, with a time limit and clear errors."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from journeymap.errors import JourneymapError

FORMATS = ("svg", "png", "pdf")
TIMEOUT = 120.0
"""Seconds ``dot`` may take; a 200-touchpoint blueprint takes a few."""
INSTALL = (
    "Graphviz's 'dot' program is not installed; install it with "
    "'sudo apt-get install graphviz' (Debian, Ubuntu), 'brew install graphviz' (macOS) or "
    "'winget install graphviz' (Windows), or write --format dot or mermaid instead"
)


class RenderError(JourneymapError):
    """A diagram could not be drawn: Graphviz missing, failing, or too slow."""


@dataclass(frozen=True)
class Drawing:
    """What ``dot`` made, and any warnings it printed."""

    data: bytes
    warnings: tuple[str, ...]


def draw(dot: str, fmt: str, *, dpi: int = 150, timeout: float = TIMEOUT) -> Drawing:
    """Lay out and draw ``dot`` as ``fmt`` (svg, png or pdf); ``RenderError`` if it fails."""
    if fmt not in FORMATS:
        raise RenderError(f"Graphviz draws {', '.join(FORMATS)}, not {fmt!r}")
    program = shutil.which("dot")
    if program is None:
        raise RenderError(INSTALL)
    command = [program, f"-T{fmt}"]
    if fmt == "png":
        command.append(f"-Gdpi={dpi}")
    try:
        done = subprocess.run(
            command, input=dot.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz took longer than {timeout:.0f} s to draw this diagram; try --format dot "
            "and lay it out with another program, or split the journey"
        ) from None
    messages = tuple(line for line in done.stderr.decode("utf-8", "replace").splitlines() if line)
    if done.returncode != 0:
        raise RenderError("Graphviz failed: " + ("; ".join(messages) or f"exit {done.returncode}"))
    return Drawing(done.stdout, messages)


def available() -> bool:
    """True where Graphviz's ``dot`` can be run."""
    return shutil.which("dot") is not None
