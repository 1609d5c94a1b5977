"""The journey file an imported grid becomes: the skeleton as YAML, a comment on what is next."""

from __future__ import annotations

import os
import textwrap

from journeymap.grid.build import GUESSED_KIND, Skeleton
from journeymap.loader import dump
from journeymap.model import Journey

WIDTH = 96
"""Longest line of the header comment, after its ``# ``."""


def skeleton_text(result: Skeleton, source: str) -> str:
    """The journey as YAML, headed by a comment that says what the grid could not tell."""
    journey = Journey.model_validate(result.data)
    return header(result, source) + dump(journey)


def header(result: Skeleton, source: str) -> str:
    """Comment lines: where the journey came from and what to fill in next."""
    lines = [
        f"Imported from {os.path.basename(source)} by `journeymap import`: a skeleton to fill in.",
        "What to fill in next:",
        "- a title and description of the journey;"
        if "title" not in result.data
        else "- a description of the journey;",
        "- channels: title, hours, cost and context store of each;",
    ]
    if result.guessed_kinds:
        lines.append(
            f"- the kind of {', '.join(result.guessed_kinds)} (set to {GUESSED_KIND}: "
            "self-service, assisted, automated, physical or outbound?);"
        )
    if result.default_channel:
        lines.append(
            f"- the channels of {', '.join(result.default_channel)} (none in the grid: "
            "given the default channel);"
        )
    lines += [
        "- next: the touchpoints follow each other in the grid's order; add the branches "
        "with their probabilities (p), and mark failure-demand steps (demand: failure, cause);",
        "- resolve rates of the channels at each step, failures and their causes;",
        "- then check it: journeymap validate FILE",
    ]
    wrapped = (textwrap.wrap(line, WIDTH, subsequent_indent="  ") for line in lines)
    return "".join(f"# {part}\n" for parts in wrapped for part in parts)
