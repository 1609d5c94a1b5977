"""``journeymap analyze``: the exact customer-flow figures of a journey.

A journey with ranges also gets the 90% interval of each headline figure (revision 2,
*Ranges*); one without prints exactly what it did before ranges existed.
"""

from __future__ import annotations

import argparse
from typing import Any

from journeymap.cli.flowcommon import (
    add_output_options,
    add_seed_option,
    emit,
    load_analysed,
    non_negative,
)
from journeymap.model import Journey
from journeymap.uncertainty.draws import DRAWS, Uncertainty, uncertainty
from journeymap.uncertainty.slots import Slots


def register(commands: Any) -> None:
    """Add the ``analyze`` subcommand."""
    parser = commands.add_parser(
        "analyze",
        help="exact figures: completion, breakpoints, gaps, failure demand",
        description="Compute the exact expected figures of the customer-flow model "
        "(absorbing Markov chain): completion and abandon rates, contacts and cost per "
        "customer, failure demand by touchpoint, channel and cause, breakpoints and "
        "channel-switch gaps, with exact contact percentiles. Where the journey gives "
        "probabilities as ranges, each headline figure gets its 90% interval too.",
    )
    add_output_options(parser)
    parser.add_argument(
        "--draws",
        type=non_negative,
        default=DRAWS,
        metavar="N",
        help=f"draws of the journey's ranges for the 90%% intervals (default {DRAWS:,}; "
        "0 turns the intervals off)",
    )
    add_seed_option(parser, "intervals")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Analyse the journey and print its figures."""
    found = load_analysed(args.file)
    if isinstance(found, int):
        return found
    _, journey, figures = found
    emit(args, figures, journey.label, spread(journey, args.draws, args.seed))
    return 0


def spread(journey: Journey, draws: int, seed: int) -> Uncertainty | None:
    """The intervals the journey's ranges leave open; ``None`` without ranges or draws.

    Ranges are looked for before the uncertainty engine is built, so a journey without
    any costs nothing more than it did.
    """
    if draws == 0 or not Slots(journey).ranged():
        return None
    return uncertainty(journey, draws=draws, seed=seed)
