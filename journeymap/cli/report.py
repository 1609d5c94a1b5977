"""``journeymap report``: the failure-demand hotspot report as HTML, Markdown or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from journeymap.cli.flowcommon import design_findings, load_analysed
from journeymap.errors import JourneymapError
from journeymap.files import write_text
from journeymap.locales import available
from journeymap.report.document import FORMATS, Format, blueprint_figure, render, report

SUFFIXES: dict[str, Format] = {".html": "html", ".htm": "html", ".md": "md", ".json": "json"}


def register(commands: Any) -> None:
    """Add the ``report`` subcommand."""
    parser = commands.add_parser(
        "report",
        help="failure-demand hotspot report with recommendations (HTML, Markdown, JSON)",
        description="Write the failure-demand report: headline figures (also per segment), "
        "hotspots by touchpoint, channel and cause, breakpoints, channel-switch gaps, "
        "contradictory-information risks, the design checks' findings, the emotion curve, "
        "the blueprint with its heat overlay, and recommendations whose effect is computed "
        "by analysing the changed journey. HTML is one self-contained file.",
    )
    add_report_options(parser)
    parser.add_argument("file", metavar="FILE", help="journey or scenario file")
    parser.set_defaults(run=run)


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """``-o``, ``--format``, ``--locale``, ``--template-dir`` and ``--force``."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write to OUT; its suffix (.html .md .json) picks the format; "
        "without it the report goes to standard output",
    )
    parser.add_argument(
        "-f", "--format", choices=FORMATS, help="html, md or json (default: OUT's suffix, or html)"
    )
    parser.add_argument(
        "--locale",
        choices=available(),
        help="language of the report (default: the journey's locale)",
    )
    parser.add_argument(
        "--template-dir",
        metavar="DIR",
        help="folder of templates that take precedence over the bundled ones",
    )
    parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")


def output_format(args: argparse.Namespace, default: Format = "html") -> Format:
    """The format asked for, else the one OUT's suffix names, else ``default``."""
    if args.format:
        fmt: Format = args.format
        return fmt
    return suffix_format(args.output) if args.output else default


def suffix_format(path: str) -> Format:
    """The format a file's suffix names; a usage error naming the suffixes otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise JourneymapError(
            f"cannot tell the format of {path}: use .html, .md or .json, or give --format"
        )
    return SUFFIXES[suffix]


def check_template_dir(args: argparse.Namespace) -> None:
    """A usage error, before any work, when ``--template-dir`` is not a folder."""
    if args.template_dir and not Path(args.template_dir).is_dir():
        raise JourneymapError(f"--template-dir {args.template_dir}: no such folder")


def emit(args: argparse.Namespace, text: str) -> None:
    """Write the text to OUT (whole or not at all), or print it."""
    if args.output:
        write_text(args.output, text, force=args.force)
    else:
        sys.stdout.write(text)


def run(args: argparse.Namespace) -> int:
    """Analyse the journey, work out the recommendations and write the report."""
    fmt = output_format(args)
    check_template_dir(args)
    found = load_analysed(args.file)
    if isinstance(found, int):
        return found
    loaded, journey, figures = found
    data = report(journey, design_findings(loaded), locale=args.locale, figures=figures)
    blueprint = blueprint_figure(journey, figures, data["locale"]) if fmt == "html" else None
    emit(args, render(data, fmt, template_dir=args.template_dir, blueprint=blueprint))
    return 0
