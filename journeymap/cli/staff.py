"""``journeymap staff``: the agents a queue needs for a service level, now and after each fix.

Revision 2, *Capacity*: a channel with ``agents`` in a journey with ``volume`` is a queue.
This prints, for one of them, the agents a service level needs today and after each of
the report's recommended changes, with what each change does to the queue: the arrival
rate, the offered load, the wait and P(give up) with today's agents, and the agent hours
a week it frees. Texts are in the journey's language (or ``--locale``).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from journeymap.cli.common import EXIT_FINDINGS, EXIT_USAGE, STDIN
from journeymap.cli.flowcommon import add_output_options, deliver, design_findings, json_text
from journeymap.errors import JourneymapError
from journeymap.findings import Severity
from journeymap.loader import Loaded, read, reads
from journeymap.locales import available
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey
from journeymap.model.capacity import ServiceLevel, read_service_level
from journeymap.report.elapsed import elapsed
from journeymap.report.spans import exact_number, percent_span
from journeymap.report.staffing import OVERLOADED, Plan, Step, check_queue, plan
from journeymap.source import UNREADABLE

NO_LEVEL = (
    "no service level to staff for: give one, e.g. --service-level '80% in 60s', or set it "
    'in the file under defaults: service_level: "80% in 60s"'
)


@dataclass(frozen=True)
class Options:
    """The command's arguments, typed once."""

    file: str
    channel: str
    service_level: ServiceLevel | None
    """``None``: the journey's ``defaults.service_level``."""
    locale: str | None
    json: bool
    output: str | None
    force: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        """The options ``args`` holds."""
        return cls(
            args.file,
            args.channel,
            args.service_level,
            args.locale,
            args.json,
            args.output,
            args.force,
        )


def register(commands: Any) -> None:
    """Add the ``staff`` subcommand."""
    parser = commands.add_parser(
        "staff",
        help="agents a queue needs for a service level, now and after each recommended fix",
        description="For a queue channel (one with agents, in a journey with a volume): the "
        "agents needed to meet a service level today and after each change the report "
        "recommends, with the contacts per hour, the offered load, the mean wait and the "
        "share who give up waiting with today's agents, and the agent hours a week each "
        "change frees.",
    )
    add_output_options(parser)
    parser.add_argument(
        "--channel",
        required=True,
        metavar="ID",
        help="the queue channel to staff: its id in the journey file (e.g. phone)",
    )
    parser.add_argument(
        "--service-level",
        type=service_level_option,
        metavar="LEVEL",
        help="share of contacts answered within a wait, e.g. '80%% in 60s' "
        "(default: the journey's defaults.service_level)",
    )
    parser.add_argument(
        "--locale",
        choices=available(),
        help="language of the table and the changes' titles (default: the journey's locale)",
    )
    parser.set_defaults(run=run)


def service_level_option(text: str) -> ServiceLevel:
    """``--service-level`` read as the journey file reads ``defaults.service_level``."""
    try:
        return read_service_level(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    """Work out the staffing plan and print it."""
    options = Options.parse(args)
    journey = load(options.file)
    if isinstance(journey, int):
        return journey
    check_queue(journey, options.channel)
    level = options.service_level or journey.defaults.service_level
    if level is None:
        raise JourneymapError(NO_LEVEL)
    texts = catalog(options.locale or journey.locale)
    found = plan(journey, options.channel, level, texts)
    if options.json:
        deliver(json_text(found.as_dict()), options.output, force=options.force)
    else:
        deliver(StaffTable(found, level, texts).show, options.output, force=options.force)
    return 0


def load(path: str) -> Journey | int:
    """The journey, or the exit code after printing the errors that stop its analysis.

    A queue that never empties does not stop it: how many agents it needs is the question.
    """
    loaded: Loaded = reads(sys.stdin.buffer.read(), "<stdin>") if path == STDIN else read(path)
    errors = [
        f for f in design_findings(loaded) if f.severity is Severity.ERROR and f.rule != OVERLOADED
    ]
    if errors or loaded.journey is None:
        for finding in errors:
            print(finding)
        print(f"journeymap: {loaded.path} cannot be analysed until these errors are fixed",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE if any(f.rule == UNREADABLE for f in errors) else EXIT_FINDINGS
    return loaded.journey


@dataclass(frozen=True)
class StaffTable:
    """The plan as a table, with the lines around it, in the language of ``texts``."""

    plan: Plan
    level: ServiceLevel
    texts: Catalog

    def show(self, out: Console) -> None:
        """Print the journey's title, the queue and its service level, the table, the notes."""
        plan, texts = self.plan, self.texts
        on_duty = plan.steps[0].staffing.on_duty
        out.print(f"[bold]{plan.journey.label}[/bold]", markup=True)
        heading = texts.text(
            "staff.heading",
            channel=plan.label,
            agents=on_duty,
            hours=plan.journey.channels[plan.channel].hours,
            open=exact_number(texts, plan.open_hours, 2),
            level=self.level.text,
        )
        out.print(heading, markup=False)
        out.print(self.table())
        for line in self.notes():
            out.print(line, markup=False)

    @property
    def patience(self) -> bool:
        """Whether customers give up waiting here (Erlang A): the table shows how many."""
        return any(
            step.staffing.queue is not None and step.staffing.queue.patience_hours is not None
            for step in self.plan.steps
        )

    def table(self) -> Table:
        """One row for today, then one per recommended change, in the report's order."""
        texts = self.texts
        table = Table()
        names = ["#", "change", "arrivals", "load", "needed", "in-time", "wait"]
        names += ["give-up"] if self.patience else []
        names += ["hours", "freed"]
        rows = [self.row(rank, step) for rank, step in enumerate(self.plan.steps)]
        for i, name in enumerate(names):
            if name == "#":
                table.add_column("#", justify="right", no_wrap=True)
            elif name == "change":
                table.add_column(texts.text("staff.change"), ratio=1)
            else:  # as narrow as its longest word or number: the change's title gets the rest
                header = texts.text(f"staff.{name}")
                widest = max(len(word) for word in [*header.split(), *(row[i] for row in rows)])
                table.add_column(header, justify="right", max_width=max(widest, 7))
        for row in rows:
            table.add_row(*row)
        return table

    def row(self, rank: int, step: Step) -> list[str]:
        """A step's cells: its change, λ, load, agents needed, and today's agents' queue."""
        texts, staffing = self.texts, step.staffing
        queue = staffing.queue
        cells = [
            str(rank) if rank else "",
            step.title if step.title is not None else texts.text("staff.today"),
            texts.number(staffing.arrival_rate, 1),
            texts.number(staffing.offered_load, 2),
            str(staffing.agents_needed),
            texts.percent(staffing.answered_in_time, 1)
            if staffing.answered_in_time is not None
            else "–",
            elapsed(texts, queue.wait_hours, short=True) if queue is not None else "–",
        ]
        if self.patience:
            cells.append(texts.percent(queue.p_abandon, 1) if queue is not None else "–")
        workload = staffing.workload
        cells.append(texts.number(workload.total_hours, 1) if workload is not None else "–")
        cells.append(_signed(texts, step.freed_hours))
        return cells

    def notes(self) -> list[str]:
        """What the columns mean; a queue that never empties; no change to try."""
        texts, level = self.texts, self.level
        notes = [
            texts.text(
                "staff.note-on-duty",
                agents=self.plan.steps[0].staffing.on_duty,
                share=percent_span(texts, level.share, level.share),
                within=elapsed(texts, level.within_hours),
                open=exact_number(texts, self.plan.open_hours, 2),
                fte=exact_number(texts, self.plan.journey.defaults.fte_hours),
            )
        ]
        if any(step.staffing.queue is None for step in self.plan.steps):
            notes.append(texts.text("staff.note-never-empties"))
        if len(self.plan.steps) == 1:
            notes.append(texts.text("staff.no-changes"))
        return notes


def _signed(texts: Catalog, hours: float | None) -> str:
    """Hours freed with their sign ('+11.2', '−0.4'); '–' for today's row."""
    if hours is None:
        return "–"
    shown = texts.number(abs(hours), 1)
    if shown.strip("0.,") == "":
        return shown
    return f"+{shown}" if hours > 0 else f"\u2212{shown}"
