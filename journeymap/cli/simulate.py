"""``journeymap simulate``: seeded Monte-Carlo figures, and an event log of every contact."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from journeymap.cli.flowcommon import (
    add_output_options,
    add_seed_option,
    emit,
    load_checked,
    no_exit,
)
from journeymap.flow import NoExitError, simulate
from journeymap.flow.events import EventLog
from journeymap.flow.simulation import DEFAULT_CUSTOMERS

PROGRESS_FROM = 200_000
"""Simulations of fewer customers finish too soon for a progress bar to help."""


def register(commands: Any) -> None:
    """Add the ``simulate`` subcommand."""
    parser = commands.add_parser(
        "simulate",
        help="Monte-Carlo figures with percentiles; an event log of every contact",
        description="Simulate customers through the journey (seeded, reproducible): the "
        "same figures as analyze, as means per customer with standard errors, plus contact "
        "percentiles, and optionally an event log of every contact (CSV or Parquet).",
    )
    add_output_options(parser)
    parser.add_argument(
        "-n",
        "--customers",
        type=_positive,
        default=DEFAULT_CUSTOMERS,
        metavar="N",
        help=f"customers to simulate (default {DEFAULT_CUSTOMERS:,})",
    )
    add_seed_option(parser, "figures")
    parser.add_argument(
        "--max-contacts",
        type=_positive,
        metavar="N",
        help="stop a customer after N contacts (default: defaults.max_contacts)",
    )
    parser.add_argument(
        "--events",
        metavar="FILE",
        help="write every contact to FILE (.csv, or .parquet with pyarrow)",
    )
    parser.set_defaults(run=run)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def run(args: argparse.Namespace) -> int:
    """Simulate and print the figures."""
    loaded, journey, code = load_checked(args.file)
    if journey is None:
        return code
    log = EventLog(args.events, force=args.force) if args.events else None
    with _progress(args.customers) as tick, log or contextlib.nullcontext():
        try:
            figures = simulate(
                journey,
                args.customers,
                args.seed,
                max_contacts=args.max_contacts,
                progress=tick,
                events=log,
            )
        except NoExitError as error:
            return no_exit(loaded, error)
    if log is not None:
        print(f"wrote {log.rows:,} contacts to {args.events}", file=sys.stderr)
    emit(args, figures, journey.label)
    return 0


@contextlib.contextmanager
def _progress(customers: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error for long runs on a terminal; silent otherwise."""
    if customers < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    columns = (
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("customers", total=customers)
        yield lambda done: bar.advance(task, done)
