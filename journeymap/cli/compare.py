"""``journeymap compare``: a redesign against the current journey, figures side by side."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from journeymap.cli.common import EXIT_FINDINGS
from journeymap.cli.flowcommon import add_seed_option, load_analysed, non_negative
from journeymap.cli.report import add_report_options, check_template_dir, emit, output_format
from journeymap.locales.messages import catalog
from journeymap.report.certainty import DRAWS
from journeymap.report.compare import compare, worse
from journeymap.report.document import json_text
from journeymap.report.templating import fill


def register(commands: Any) -> None:
    """Add the ``compare`` subcommand."""
    parser = commands.add_parser(
        "compare",
        help="compare a redesign (journey or scenario) with the current journey",
        description="Analyse both journeys exactly and show the headline figures side by "
        "side with their changes, and which failure-demand hotspots and channel-switch gaps "
        "grew, shrank, appeared or vanished. Either file may be a scenario file. Where "
        "either gives ranges, both are drawn alike and each figure says in what share of "
        "the draws the redesign does better. Prints Markdown unless -o or --format says "
        "otherwise.",
    )
    add_report_options(parser)
    parser.add_argument(
        "--draws",
        type=non_negative,
        default=DRAWS,
        metavar="N",
        help="draws of the journeys' ranges for the share of draws in which AFTER does better "
        f"(default {DRAWS:,}; 0 turns the shares off)",
    )
    add_seed_option(parser, "shares")
    parser.add_argument(
        "--fail-if-worse",
        action="store_true",
        help="exit 1 when the comparison judges AFTER worse than BEFORE in failure-demand "
        "ratio or in cost per completed customer (for CI)",
    )
    parser.add_argument("before", metavar="BEFORE", help="the current journey")
    parser.add_argument("after", metavar="AFTER", help="the redesign: a journey or scenario")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Analyse both journeys and write the comparison."""
    fmt = output_format(args, default="md")
    check_template_dir(args)
    journeys, figures = [], []
    for path in (args.before, args.after):
        found = load_analysed(path)
        if isinstance(found, int):
            return found
        journeys.append(found[1])
        figures.append(found[2])
    data = compare(
        *journeys,
        locale=args.locale,
        figures=(figures[0], figures[1]),
        draws=args.draws,
        seed=args.seed,
    )
    if fmt == "json":
        text = json_text(data)
    else:
        template = f"compare.{fmt}.j2"
        text = fill(template, catalog(data["locale"]), args.template_dir, compare=data)
    emit(args, text)
    if not args.fail_if_worse:
        return 0
    failed = worse(data)
    for key in failed:
        figure = catalog().label("figure", key).lower()
        print(f"journeymap: --fail-if-worse: {figure} got worse", file=sys.stderr)
    return EXIT_FINDINGS if failed else 0
