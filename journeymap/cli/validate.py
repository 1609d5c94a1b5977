"""``journeymap validate``: load journey files, run the design checks, report the findings."""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from journeymap.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, STDIN, journey_files
from journeymap.files import write_text
from journeymap.findings import Finding, Severity
from journeymap.loader import Loaded, read, reads
from journeymap.reporters import FORMATS, Run, render
from journeymap.rules import RULES, ConfigFinder
from journeymap.rules import run as run_rules
from journeymap.source import MAX_BYTES, UNREADABLE

_DECLARES_JOURNEY = re.compile(r"^(?:journeymap|scenario)\s*:", re.MULTILINE)
"""A journey file starts with ``journeymap:``, a scenario file with ``scenario:``."""


def register(commands: Any) -> None:
    """Add the ``validate`` subcommand."""
    parser = commands.add_parser(
        "validate",
        help="check journey files",
        description="Load journey files, run the design checks and report every problem "
        "with its file, line and column. Exit 0 clean, 1 problems found (errors, or "
        "warnings too with --strict), 2 unreadable input or a usage error.",
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="journey files, folders or globs; '-' reads standard input",
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="auto",
        help="output format (default auto: github under GitHub Actions, else text)",
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    parser.add_argument(
        "-c",
        "--config",
        metavar="FILE",
        help="configuration file for every journey (default: the nearest "
        ".journeymap.yaml or pyproject.toml [tool.journeymap] above each file)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument("--force", action="store_true", help="overwrite --output if it exists")
    parser.add_argument(
        "--journeys-only",
        action="store_true",
        help="skip files with no top-level 'journeymap:' or 'scenario:' key "
        "(for hooks that pass every YAML file)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="check files in N processes (0: one per CPU core; default 1)",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=MAX_BYTES,
        metavar="N",
        help=f"refuse files larger than N bytes (default {MAX_BYTES:,})",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print no summary line")
    parser.set_defaults(run=run)


@dataclass(frozen=True)
class Checked:
    """One file's findings, and whether its warnings fail the run."""

    path: str
    findings: list[Finding]
    strict: bool


def run(args: argparse.Namespace) -> int:
    """Check the files, report the findings; the exit code says how it went."""
    finder = ConfigFinder(args.config)  # a broken --config stops the run before any file is read
    task = functools.partial(_check, finder, args.max_bytes, args.journeys_only, args.strict)
    paths = journey_files(args.files)
    jobs = args.jobs if args.jobs > 0 else os.cpu_count() or 1
    if jobs > 1 and len(paths) > 1 and STDIN not in paths:
        with ProcessPoolExecutor(min(jobs, len(paths))) as pool:
            results = list(pool.map(task, paths, chunksize=max(1, len(paths) // (jobs * 4))))
    else:
        results = [task(path) for path in paths]
    checked = [result for result in results if result is not None]
    findings = tuple(sorted(f for c in checked for f in c.findings))
    report = render(args.format, Run(findings, tuple(c.path for c in checked), RULES))
    if args.output:
        write_text(args.output, report, force=args.force)
    else:
        sys.stdout.write(report)
    if not args.quiet:
        print(summary(len(checked), list(findings)), file=sys.stderr)
    return exit_code(checked)


def _check(
    finder: ConfigFinder, max_bytes: int, journeys_only: bool, strict: bool, path: str
) -> Checked | None:
    """Load and check one file (in this process or a worker); ``None`` if it is skipped."""
    loaded = _read(path, max_bytes)
    if journeys_only and not _DECLARES_JOURNEY.search(loaded.text):
        return None
    settings = finder.for_file(path)
    return Checked(loaded.path, run_rules(loaded, settings), strict or settings.strict)


def _read(path: str, max_bytes: int) -> Loaded:
    if path == STDIN:
        return reads(sys.stdin.buffer.read(max_bytes + 1), "<stdin>", max_bytes=max_bytes)
    return read(path, max_bytes=max_bytes)


def exit_code(checked: list[Checked]) -> int:
    """2 if any input was unreadable, 1 if errors (or warnings where strict), else 0."""
    if any(f.rule == UNREADABLE for c in checked for f in c.findings):
        return EXIT_USAGE
    failing = {Severity.ERROR}
    for item in checked:
        levels = failing | {Severity.WARNING} if item.strict else failing
        if any(f.severity in levels for f in item.findings):
            return EXIT_FINDINGS
    return EXIT_OK


def summary(files: int, findings: list[Finding]) -> str:
    """One line: how many files, and how many problems of each severity in how many files."""
    checked = f"{files} journey file{'s' if files != 1 else ''} checked"
    if not findings:
        return f"{checked}: no problems"
    counts = [
        f"{n} {severity.value}{'s' if n != 1 and severity is not Severity.INFO else ''}"
        for severity in Severity
        if (n := sum(f.severity is severity for f in findings))
    ]
    affected = len({f.path for f in findings})
    return f"{checked}: {', '.join(counts)} in {affected} file{'s' if affected != 1 else ''}"
