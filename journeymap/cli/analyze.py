"""``journeymap analyze``: the exact customer-flow figures of a journey."""

from __future__ import annotations

import argparse
from typing import Any

from journeymap.cli.flowcommon import add_output_options, emit, load_analysed


def register(commands: Any) -> None:
    """Add the ``analyze`` subcommand."""
    parser = commands.add_parser(
        "analyze",
        help="exact figures: completion, breakpoints, gaps, failure demand",
        description="Compute the exact expected figures of the customer-flow model "
        "(absorbing Markov chain): completion and abandon rates, contacts and cost per "
        "customer, failure demand by touchpoint, channel and cause, breakpoints and "
        "channel-switch gaps, with exact contact percentiles.",
    )
    add_output_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Analyse the journey and print its figures."""
    found = load_analysed(args.file)
    if isinstance(found, int):
        return found
    _, journey, figures = found
    emit(args, figures, journey.label)
    return 0
