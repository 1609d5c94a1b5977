"""What ``analyze`` and ``simulate`` share: load and check the journey, print or write."""

from __future__ import annotations

import argparse
import sys

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


def emit(args: argparse.Namespace, figures: Figures, title: str) -> None:
    """Print or write the figures: JSON with --json, else tables."""
    if args.json:
        text = figures.to_json() + "\n"
    else:
        from io import StringIO

        buffer = StringIO()
        show(figures, title, console(buffer) if args.output else console())
        if not args.output:
            return
        text = buffer.getvalue()
    if args.output:
        write_text(args.output, text, force=args.force)
    else:
        sys.stdout.write(text)
