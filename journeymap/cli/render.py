"""``journeymap render``: a blueprint or journey diagram as SVG, PNG, PDF, DOT or Mermaid."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from journeymap.cli.common import EXIT_FINDINGS
from journeymap.cli.flowcommon import load_checked, no_exit
from journeymap.errors import JourneymapError
from journeymap.files import write_bytes
from journeymap.flow import AnalysisError, Figures, NoExitError, analyze
from journeymap.locales import available
from journeymap.model import Journey
from journeymap.render import (
    PAPERS,
    blueprint_dot,
    blueprint_pages,
    draw,
    journey_dot,
    journey_pages,
    mermaid_flowchart,
    mermaid_journey,
)
from journeymap.render.graphviz import join_pdfs
from journeymap.render.tiles import tile_pdf

KINDS = ("blueprint", "journey")
FORMATS = ("svg", "png", "pdf", "dot", "mermaid", "mermaid-journey")
SUFFIXES = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".md": "mermaid",
}
BINARY = ("png", "pdf")


def register(commands: Any) -> None:
    """Add the ``render`` subcommand."""
    parser = commands.add_parser(
        "render",
        help="draw a service blueprint or a journey diagram",
        description="Draw the service blueprint (stages, touchpoints and the blueprint lanes) "
        "or the journey diagram (touchpoints, probabilities, retries, failure demand, "
        "channel-switch gaps). --heat adds the exact analysis: failure demand per step, "
        "breakpoints and the worst gaps. SVG, PNG and PDF need Graphviz's dot; DOT and "
        "Mermaid need nothing.",
    )
    parser.add_argument("kind", choices=KINDS, help="what to draw")
    parser.add_argument("file", metavar="FILE", help="journey file ('-' reads standard input)")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write to OUT; its suffix picks the format (.svg .png .pdf .dot "
        ".mmd .md); without it, text formats go to standard output",
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        help="output format (default: from OUT's suffix, else svg); mermaid is "
        "a flowchart, mermaid-journey a Mermaid journey diagram (journey only)",
    )
    parser.add_argument(
        "--heat",
        action="store_true",
        help="overlay the exact analysis: failure demand, breakpoints, gaps",
    )
    parser.add_argument(
        "--paper",
        choices=sorted(PAPERS),
        help="fill a sheet of paper for printing (landscape), no text below 9 pt: a long "
        "journey wraps into rows, a large blueprint goes on several sheets",
    )
    parser.add_argument("--portrait", action="store_true", help="portrait sheet with --paper")
    parser.add_argument(
        "--tiles",
        choices=sorted(PAPERS),
        metavar="PAPER",
        help="poster tiling: print each --paper sheet on several sheets of this size, "
        "overlapping 10 mm, with glue and trim marks (PDF only)",
    )
    parser.add_argument(
        "--locale",
        choices=available(),
        help="language of the diagram's own labels (default: the journey's locale)",
    )
    parser.add_argument("--dpi", type=int, default=150, help="PNG resolution (default 150)")
    parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Draw and write (or print) the diagram."""
    fmt = _format(args)
    loaded, journey, code = load_checked(args.file, errors_stop=False)
    if journey is None:
        return code
    figures = None
    if args.heat:
        try:
            figures = analyze(journey)
        except AnalysisError as error:
            for finding in error.findings:
                print(finding)
            print("journeymap: --heat needs a journey without errors", file=sys.stderr)
            return EXIT_FINDINGS
        except NoExitError as error:
            return no_exit(loaded, error)
    if args.tiles and (not args.paper or fmt != "pdf"):
        raise JourneymapError(
            "--tiles cuts a printed sheet onto smaller ones: give --paper and a .pdf output, "
            "e.g. --paper a0 --tiles a4 -o wall.pdf"
        )
    if args.paper and fmt in ("pdf", "svg", "png"):
        return _write_pages(args, fmt, journey, figures)
    data = _draw(args, fmt, journey, figures)
    if args.output:
        write_bytes(args.output, data, force=args.force)
    elif fmt in BINARY and sys.stdout.isatty():
        raise JourneymapError(
            f"{fmt.upper()} is binary: give a file with -o, e.g. -o diagram.{fmt}"
        )
    else:
        sys.stdout.buffer.write(data)
    return 0


def _write_pages(
    args: argparse.Namespace, fmt: str, journey: Journey, figures: Figures | None
) -> int:
    """A diagram on sheets of paper: one PDF of all sheets, or a file per sheet."""
    if not args.output:
        raise JourneymapError(f"a {args.kind} on paper may take several sheets: give -o name.{fmt}")
    make = blueprint_pages if args.kind == "blueprint" else journey_pages
    pages = make(journey, figures, paper=args.paper, portrait=args.portrait, locale=args.locale)
    drawn = [draw(page, fmt, dpi=args.dpi).data for page in pages]
    joined = join_pdfs(drawn) if fmt == "pdf" else (drawn[0] if len(drawn) == 1 else None)
    if joined is not None and args.tiles:
        tiled = tile_pdf(joined, args.tiles)
        write_bytes(args.output, tiled, force=args.force)
        count = len(PdfReader(io.BytesIO(tiled)).pages)
        print(
            f"journeymap: {len(pages)} {args.paper.upper()} sheet(s) on {count} sheets of "
            f"{args.tiles.upper()} in {args.output}",
            file=sys.stderr,
        )
        return 0
    if joined is not None:
        write_bytes(args.output, joined, force=args.force)
        if len(pages) > 1:
            print(
                f"journeymap: {len(pages)} sheets of {args.paper.upper()} in {args.output}",
                file=sys.stderr,
            )
        return 0
    out = Path(args.output)
    names = [out.with_name(f"{out.stem}-{n}{out.suffix}") for n in range(1, len(drawn) + 1)]
    for name, data in zip(names, drawn, strict=True):
        write_bytes(name, data, force=args.force)
    why = " (install pypdf or poppler-utils to join them into one PDF)" if fmt == "pdf" else ""
    print(f"journeymap: {len(pages)} sheets: {names[0]} … {names[-1]}{why}", file=sys.stderr)
    return 0


def _format(args: argparse.Namespace) -> str:
    suffix = Path(args.output).suffix.lower() if args.output else ""
    fmt = args.format or SUFFIXES.get(suffix) or "svg"
    if args.output and not args.format and suffix not in SUFFIXES:
        raise JourneymapError(
            f"cannot tell the format of {args.output}: use .svg, .png, .pdf, .dot, .mmd or .md, "
            "or give --format"
        )
    if args.kind == "blueprint" and fmt.startswith("mermaid"):
        raise JourneymapError(
            "a blueprint draws with Graphviz (svg, png, pdf, dot); for Mermaid, "
            "render journey --format mermaid or mermaid-journey"
        )
    return fmt


def _draw(args: argparse.Namespace, fmt: str, journey: Journey, figures: Figures | None) -> bytes:
    if fmt.startswith("mermaid"):
        text = (
            mermaid_journey(journey)
            if fmt == "mermaid-journey"
            else mermaid_flowchart(journey, figures, locale=args.locale)
        )
        if args.output and Path(args.output).suffix.lower() == ".md":
            text = f"```mermaid\n{text.rstrip()}\n```\n"
        return text.encode("utf-8")
    make = blueprint_dot if args.kind == "blueprint" else journey_dot
    dot = make(journey, figures, paper=args.paper, portrait=args.portrait, locale=args.locale)
    if fmt == "dot":
        return dot.encode("utf-8")
    return draw(dot, fmt, dpi=args.dpi).data
