"""The ``journeymap`` command: parse arguments, run one subcommand, map errors to exit codes.

Exit codes: 0 clean, 1 findings, 2 usage or unreadable input, 3 an internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from journeymap._version import __version__
from journeymap.cli import (
    analyze,
    compare,
    grid,
    init,
    logs,
    render,
    report,
    rules,
    schema,
    sensitivity,
    serve,
    simulate,
    staff,
    validate,
)
from journeymap.cli.common import EXIT_INTERNAL, EXIT_USAGE
from journeymap.errors import JourneymapError

_COMMANDS = (
    validate,
    rules,
    analyze,
    simulate,
    sensitivity,
    staff,
    render,
    report,
    compare,
    grid,
    logs,
    schema,
    init,
    serve,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="journeymap",
        description="Customer journeys as code: check journey files, analyse customer flows, "
        "draw service blueprints.",
    )
    parser.add_argument("--version", action="version", version=f"journeymap {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in _COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    try:
        code: int = args.run(args)
    except JourneymapError as error:
        print(f"journeymap: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("journeymap: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # one handler for the unexpected: a short line, not a traceback
        if os.environ.get("JOURNEYMAP_DEBUG"):
            traceback.print_exc()
        print(
            f"journeymap: internal error ({type(error).__name__}: {error}); please report it "
            "with the command and the file that caused it (JOURNEYMAP_DEBUG=1 shows the details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
