"""The text format: one ``path:line:col: severity rule message`` line per finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymap.reporters import Run


def report(run: Run) -> str:
    """One line per finding, each ending in a newline; empty when there are none."""
    return "".join(f"{finding}\n" for finding in run.findings)
