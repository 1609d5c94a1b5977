"""What ``journeymap logs`` runs: imported only when a log command runs.

Kept apart so that the command line starts without the ``logs`` extra (Ibis, DuckDB,
pyarrow) installed, as in the pre-commit hook's environment.
"""

from __future__ import annotations

import argparse
import sys

from journeymap.cli.common import EXIT_FINDINGS
from journeymap.cli.flowcommon import load_checked, no_exit
from journeymap.cli.report import check_template_dir, emit, output_format, suffix_format
from journeymap.errors import JourneymapError
from journeymap.files import write_text
from journeymap.flow import NoExitError, analyze
from journeymap.loader import dump
from journeymap.logs.calibrate import Links, calibrate
from journeymap.logs.engine import connect, load
from journeymap.logs.mapping import Mapping
from journeymap.logs.measures import measure
from journeymap.logs.readers import TooManyRejected, read_contacts
from journeymap.logs.report import log_report, render_log_report
from journeymap.logs.table import Contacts


def _mapping(args: argparse.Namespace) -> Mapping:
    time = tuple(args.time.split(",")) if args.time and "," in args.time else args.time
    options = {
        "customer": args.customer,
        "time": time,
        "time_format": args.time_format,
        "channel": args.channel,
        "channel_value": args.channel_value,
        "topic": args.topic,
        "outcome": args.outcome,
        "delimiter": args.delimiter,
        "encoding": args.encoding,
    }
    if args.map:
        return Mapping.from_yaml(args.map).merged(**options)
    if not args.customer or not args.time:
        raise JourneymapError(
            "say which columns hold the customer and the time: --map FILE, "
            "or --customer COL --time COL"
        )
    return Mapping(customer=args.customer, time=time).merged(**options)


def _read(args: argparse.Namespace) -> Contacts | None:
    """The log's contacts, saying on stderr what was guessed and what was left out.

    ``None``, once it has said why, when more rows were rejected than ``--max-rejected`` allows.
    """
    try:
        contacts = read_contacts(args.log, _mapping(args), max_rejected=args.max_rejected)
    except TooManyRejected as error:
        print(f"journeymap: {error}", file=sys.stderr)
        return None
    for note in contacts.notes:
        print(f"journeymap: {contacts.source}: {note}", file=sys.stderr)
    if contacts.rejected:
        first = contacts.rejected[0]
        print(
            f"journeymap: {len(contacts.rejected):,} of {contacts.rows_read:,} rows left out; "
            f"the first: {contacts.where(first.row)}: {first.reason}",
            file=sys.stderr,
        )
    return contacts


def run_analyze(args: argparse.Namespace) -> int:
    """Read the log, measure it and write the log report."""
    fmt = output_format(args, default="md")
    check_template_dir(args)
    contacts = _read(args)
    if contacts is None:
        return EXIT_FINDINGS
    figures = measure(
        load(connect(args.engine), contacts.table), args.window, args.same_topic, top=args.top
    )
    data = log_report(contacts, figures, locale=args.locale or "en")
    emit(args, render_log_report(data, fmt, template_dir=args.template_dir))
    return 0


def run_calibrate(args: argparse.Namespace) -> int:
    """Read the log and the journey, estimate, and write what was asked for."""
    loaded, journey, code = load_checked(args.journey)
    if journey is None:
        return code
    contacts = _read(args)
    if contacts is None:
        return EXIT_FINDINGS
    links = Links.from_yaml(args.links) if args.links else Links()
    table = load(connect(args.engine), contacts.table)
    result = calibrate(journey, table, links, window=args.window)
    calibrated = result.journey(journey)
    try:
        model = analyze(calibrated)
    except NoExitError as error:
        return no_exit(loaded, error)
    figures = measure(table, args.window, True, top=args.top)
    data = log_report(
        contacts, figures, locale=args.locale or journey.locale, calibration=result, model=model
    )
    if args.output:
        write_text(args.output, dump(calibrated), force=args.force)
    if args.report:
        write_text(
            args.report, render_log_report(data, suffix_format(args.report)), force=args.force
        )
    sys.stdout.write(render_log_report(data, "md").split("\n### ", 1)[0] + "\n")
    contradicted = [e for e in result.estimates if e.contradicted]
    for e in contradicted:
        where = f"{e.touchpoint}.{e.channel}" if e.channel else e.touchpoint
        print(
            f"contradicted: {where} {e.parameter}: journey {e.journey:.3f}, log {e.estimate:.3f} "
            f"(95% {e.low:.3f}-{e.high:.3f}, {e.sample:,} contacts)"
        )
    print(
        f"{len(result.estimates)} estimates, {len(contradicted)} contradict the journey",
        file=sys.stderr,
    )
    return 0
