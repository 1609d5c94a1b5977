"""``journeymap logs``: measure failure demand in a contact log, and calibrate a journey from it."""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import re
from typing import Any

from journeymap.cli.report import add_report_options
from journeymap.errors import JourneymapError
from journeymap.locales import available

EXTRA = ("pyarrow", "ibis", "duckdb")
"""What the ``logs`` extra installs, and log commands need."""

_SPAN = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
ENGINES = ("duckdb", "pyspark")


def window(text: str) -> datetime.timedelta:
    """A window such as ``30m``, ``24h``, ``7d`` or ``2w``."""
    match = _SPAN.match(text.strip())
    if not match or int(match[1]) == 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a window: write a positive number and a unit, e.g. 7d, 24h, 30m"
        )
    return datetime.timedelta(seconds=int(match[1]) * _UNITS[match[2]])


def register(commands: Any) -> None:
    """Add ``logs analyze`` and ``logs calibrate``."""
    parser = commands.add_parser(
        "logs",
        help="failure demand in a real contact log; calibrate a journey from it",
        description="Read a contact log (CSV, Parquet or XES) and measure repeat contacts, "
        "first-contact resolution and channel switches, or calibrate a journey from it.",
    )
    sub = parser.add_subparsers(title="log commands", metavar="COMMAND", required=True)
    analyze_parser = sub.add_parser(
        "analyze",
        help="repeat contacts, first-contact resolution, channel switches, hotspots",
        description="Measure the failure demand a contact log records: repeat contacts "
        "(a contact by the same customer within --window of an earlier one) overall, by "
        "channel and by topic; first-contact resolution; the channel-switch matrix. Prints "
        "Markdown unless -o or --format says otherwise.",
    )
    _log_options(analyze_parser)
    add_report_options(analyze_parser)
    analyze_parser.set_defaults(run=run_analyze)

    calibrate_parser = sub.add_parser(
        "calibrate",
        help="estimate a journey's shares, resolve and switch rates from a log",
        description="Link the log's channels and topics to the journey's channels and "
        "touchpoints (--links), estimate channel shares, resolve rates and switch rates, "
        "and show which of the journey's assumptions the log contradicts. -o writes the "
        "calibrated journey; --report writes the log report with the calibration.",
    )
    _log_options(calibrate_parser)
    calibrate_parser.add_argument("journey", metavar="JOURNEY", help="journey or scenario file")
    calibrate_parser.add_argument(
        "--links",
        metavar="FILE",
        help="YAML with 'channels:' and 'touchpoints:' mapping log values to journey ids "
        "(values not listed link to the journey id of the same name)",
    )
    calibrate_parser.add_argument(
        "-o", "--output", metavar="OUT", help="write the calibrated journey (YAML) to OUT"
    )
    calibrate_parser.add_argument(
        "--report", metavar="OUT", help="write the log report with the calibration to OUT"
    )
    calibrate_parser.add_argument("--force", action="store_true", help="overwrite OUT files")
    calibrate_parser.add_argument(
        "--locale", choices=available(), help="language of the report (default: the journey's)"
    )
    calibrate_parser.set_defaults(run=run_calibrate, same_topic=True)


def _log_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "log", metavar="LOG", help="contact log: .csv/.txt/.tsv, .parquet, .xes(.gz)"
    )
    parser.add_argument("--map", metavar="FILE", help="mapping file naming the log's columns")
    columns = parser.add_argument_group("columns (override the mapping file)")
    columns.add_argument("--customer", metavar="COL", help="customer or case id column")
    columns.add_argument(
        "--time", metavar="COL[,COL]", help="timestamp column, or a date and a time column"
    )
    columns.add_argument("--time-format", metavar="FMT", help="strptime format, e.g. %%y%%m%%d")
    columns.add_argument("--channel", metavar="COL", help="channel column")
    columns.add_argument("--channel-value", metavar="NAME", help="channel when there is no column")
    columns.add_argument("--topic", metavar="COL", help="topic or activity column")
    columns.add_argument("--outcome", metavar="COL", help="outcome column")
    columns.add_argument("--delimiter", metavar="CHAR", help="CSV delimiter (default: sniffed)")
    columns.add_argument("--encoding", metavar="NAME", help="CSV encoding (default: sniffed)")
    parser.add_argument(
        "--window", type=window, default=window("7d"), help="repeat window (default 7d)"
    )
    parser.add_argument(
        "--same-topic",
        action="store_true",
        help="a repeat must be on the same topic as the contact before",
    )
    parser.add_argument("--engine", choices=ENGINES, default="duckdb", help="default duckdb")
    parser.add_argument(
        "--max-rejected",
        type=int,
        metavar="N",
        help="stop (exit 1) when more than N rows cannot be read (default: never; 0: strict)",
    )
    parser.add_argument("--top", type=int, default=20, help="rows in each breakdown (default 20)")


def run_analyze(args: argparse.Namespace) -> int:
    """Read the log, measure it and write the log report."""
    _need_extra()
    from journeymap.cli import logsrun

    return logsrun.run_analyze(args)


def run_calibrate(args: argparse.Namespace) -> int:
    """Read the log and the journey, estimate, and write what was asked for."""
    _need_extra()
    from journeymap.cli import logsrun

    return logsrun.run_calibrate(args)


def _need_extra() -> None:
    missing = [name for name in EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        raise JourneymapError(
            f"journeymap logs needs {', '.join(missing)}, which is not installed: "
            "pip install 'journeymap[logs]'"
        )
