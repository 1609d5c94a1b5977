"""``journeymap rules``: list the design checks, or write their catalogue page."""

from __future__ import annotations

import argparse
from typing import Any

from journeymap.rules import catalogue


def register(commands: Any) -> None:
    """Add the ``rules`` subcommand."""
    parser = commands.add_parser(
        "rules",
        help="list the rules validate checks",
        description="List every rule with its code, default severity and summary; "
        "--format markdown prints the catalogue page (docs/rules.md).",
    )
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the rules."""
    print(catalogue.markdown() if args.format == "markdown" else catalogue.text(), end="")
    return 0
