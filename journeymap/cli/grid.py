"""``journeymap export`` and ``journeymap import``: a journey to a blueprint grid and back."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from journeymap.cli.common import EXIT_INTERNAL, STDIN
from journeymap.cli.flowcommon import load_checked
from journeymap.errors import JourneymapError
from journeymap.files import write_bytes, write_text
from journeymap.grid import FORMATS, GridFormat, export_grid, import_grid
from journeymap.loader import reads
from journeymap.locales import available
from journeymap.model.types import SLUG_PATTERN, slugify

SUFFIXES: dict[str, GridFormat] = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}


def register(commands: Any) -> None:
    """Add the ``export`` and ``import`` subcommands."""
    _register_export(commands)
    _register_import(commands)


def _register_export(commands: Any) -> None:
    parser = commands.add_parser(
        "export",
        help="write the blueprint as a spreadsheet grid (CSV or XLSX)",
        description="Write the service blueprint as a stages × lanes grid: one column per "
        "touchpoint under its stage, one row per lane (customer actions, frontstage, "
        "backstage, support, evidence, pain points, opportunities, channels, emotion). "
        "CSV for whiteboard tools, XLSX for Excel. See docs/grid.md.",
    )
    parser.add_argument("file", metavar="FILE", help="journey file ('-' reads standard input)")
    parser.add_argument("--to", choices=FORMATS, help="grid format (default: from OUT's suffix)")
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write to OUT (CSV may go to standard output)"
    )
    parser.add_argument(
        "--locale",
        choices=available(),
        help="language of the row labels (default: the journey's locale)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    parser.set_defaults(run=run_export)


def _register_import(commands: Any) -> None:
    parser = commands.add_parser(
        "import",
        help="read a spreadsheet grid into a journey skeleton",
        description="Read a stages × lanes grid (CSV or XLSX, English or Finnish labels, "
        "as export writes it or typed in a workshop) into a journey file: stages, "
        "touchpoints linked in the grid's order, lanes, channels with roles, emotions. "
        "Exit 2 with the cell named where the grid cannot be read. See docs/grid.md.",
    )
    parser.add_argument("grid", metavar="GRID", help="grid file, .csv or .xlsx")
    parser.add_argument(
        "--from",
        dest="source_format",
        choices=FORMATS,
        help="grid format (default: from GRID's suffix)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the journey to FILE (default: print it)"
    )
    parser.add_argument("--id", help="id of the journey (default: made from GRID's name)")
    parser.add_argument("--title", help="title of the journey")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    """Write the journey's blueprint grid."""
    fmt = _format(args.to, args.output, "--to", "OUT")
    _, journey, code = load_checked(args.file, errors_stop=False)
    if journey is None:
        return code
    data = export_grid(journey, fmt, args.locale)
    if args.output:
        write_bytes(args.output, data, force=args.force)
    elif fmt == "xlsx":
        raise JourneymapError("XLSX is binary: give a file with -o, e.g. -o blueprint.xlsx")
    else:
        sys.stdout.buffer.write(data)
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Read the grid and write (or print) the journey skeleton."""
    fmt = _format(args.source_format, args.grid, "--from", "GRID")
    path = Path(args.grid)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise JourneymapError(f"{args.grid}: no such file") from None
    except OSError as error:
        raise JourneymapError(f"{args.grid}: cannot read: {error.strerror or error}") from None
    journey_id = args.id or slugify(path.stem)
    if not re.fullmatch(SLUG_PATTERN, journey_id) or len(journey_id) > 64:
        raise JourneymapError(
            f"--id {journey_id!r} is not an id: lowercase letters, digits, '-' and '_'"
        )
    text = import_grid(data, fmt, args.grid, journey_id, args.title)
    loaded = reads(text, args.output or "<stdout>")
    if loaded.errors:  # the skeleton is built through the model, so this is a bug
        for finding in loaded.errors:
            print(finding, file=sys.stderr)
        return EXIT_INTERNAL
    if args.output:
        write_text(args.output, text, force=args.force)
    else:
        sys.stdout.write(text)
    return 0


def _format(given: str | None, path: str | None, option: str, name: str) -> GridFormat:
    """The grid format given, else the one the file's suffix tells."""
    for fmt in FORMATS:
        if given == fmt:
            return fmt
    suffix = Path(path).suffix.lower() if path and path != STDIN else ""
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if name == "OUT" and not path:
        return "csv"
    raise JourneymapError(
        f"cannot tell the grid format of {path}: name it .csv or .xlsx, or give {option}"
    )
