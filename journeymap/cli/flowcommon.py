"""What ``analyze`` and ``simulate`` share: load and check the journey, print or write."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from io import StringIO
from typing import Any

from rich.console import Console

from journeymap.cli.common import EXIT_FINDINGS, EXIT_USAGE, STDIN
from journeymap.cli.tables import console, show
from journeymap.files import write_text
from journeymap.findings import Finding, Severity
from journeymap.flow import Figures, NoExitError, analyze
from journeymap.loader import Loaded, read, reads
from journeymap.model import Journey
from journeymap.rules import ConfigFinder
from journeymap.rules import run as run_rules
from journeymap.source import UNREADABLE
from journeymap.uncertainty.draws import Uncertainty


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``FILE``, ``--json``, ``-o`` and ``--force``."""
    parser.add_argument("file", metavar="FILE", help="journey file ('-' reads standard input)")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the figures as JSON, with the format document's keys",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE")
    parser.add_argument("--force", action="store_true", help="overwrite --output if it exists")


def add_seed_option(parser: argparse.ArgumentParser, what: str) -> None:
    """``-s/--seed S`` (default 0): every random draw of the command comes from it."""
    parser.add_argument(
        "-s",
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help=f"random seed; the same seed gives the same {what} (default 0)",
    )


def load_checked(path: str, *, errors_stop: bool = True) -> tuple[Loaded, Journey | None, int]:
    """The journey, or ``None`` and an exit code after printing what stops the work.

    With ``errors_stop`` the design checks' errors stop it (an analysis needs a sound
    journey); without, only a journey that did not load does (a diagram can show flaws).
    """
    loaded = reads(sys.stdin.buffer.read(), "<stdin>") if path == STDIN else read(path)
    if errors_stop:
        errors = [f for f in design_findings(loaded) if f.severity is Severity.ERROR]
    else:
        errors = list(loaded.errors)
    if errors:
        for finding in errors:
            print(finding)
        what = "analysed" if errors_stop else "drawn"
        print(
            f"journeymap: {loaded.path} cannot be {what} until these errors are fixed",
            file=sys.stderr,
        )
        unreadable = any(f.rule == UNREADABLE for f in errors)
        return loaded, None, EXIT_USAGE if unreadable else EXIT_FINDINGS
    return loaded, loaded.journey, 0


def load_analysed(path: str) -> tuple[Loaded, Journey, Figures] | int:
    """The checked journey and its exact analysis, or the exit code after printing why not."""
    loaded, journey, code = load_checked(path)
    if journey is None:
        return code
    try:
        return loaded, journey, analyze(journey)
    except NoExitError as error:
        return no_exit(loaded, error)


def design_findings(loaded: Loaded) -> list[Finding]:
    """Every finding of the design checks, configured as the file's folder says."""
    return run_rules(loaded, ConfigFinder().for_file(loaded.path))


def no_exit(loaded: Loaded, error: NoExitError) -> int:
    """Report customers that loop for ever as a ``no-exit`` finding at the touchpoint."""
    journey = loaded.journey
    assert journey is not None
    index = {tp.id: i for i, tp in enumerate(journey.touchpoints)}
    for tp in error.touchpoints:
        finding: Finding = loaded.finding("no-exit", ("touchpoints", index[tp], "id"), str(error))
        print(finding)
    return EXIT_FINDINGS


def emit(
    args: argparse.Namespace, figures: Figures, title: str, spread: Uncertainty | None = None
) -> None:
    """Print or write the figures: JSON with --json, else tables.

    ``spread`` (the ranges' 90% intervals) adds an ``uncertainty`` key to the JSON and an
    interval beside each headline figure; without it the output is what it always was.
    """
    if args.json:
        if spread is None:
            text = figures.to_json() + "\n"
        else:
            text = json_text({**figures.as_dict(), "uncertainty": spread.as_dict()})
        deliver(text, args.output, force=args.force)
    else:
        deliver(lambda out: show(figures, title, out, spread), args.output, force=args.force)


def deliver(content: str | Callable[[Console], None], output: str | None, *, force: bool) -> None:
    """Print ``content``, or write it to ``output``: text as it is, or what it draws on a console.

    Tables drawn for a file are plain text 120 columns wide, as on a terminal that is not one.
    """
    if not isinstance(content, str):
        if not output:
            content(console())
            return
        buffer = StringIO()
        content(console(buffer))
        content = buffer.getvalue()
    if output:
        write_text(output, content, force=force)
    else:
        sys.stdout.write(content)


def json_text(data: Any) -> str:
    """``data`` as indented JSON text ending in a newline; a figure that is not a number is null.

    A draw or a step where customers loop for ever leaves ``nan``, which JSON cannot carry.
    """
    return json.dumps(_finite(data), indent=2, ensure_ascii=False) + "\n"


def _finite(data: Any) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data


def non_negative(text: str) -> int:
    """A whole number of at least 0, for options where 0 turns something off or means all."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is below 0")
    return value
