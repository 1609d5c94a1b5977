"""``journeymap sensitivity``: which numbers of a journey move a headline figure most.

Every probability the model reads, in the file or left out, ranked by how far ten
percentage points either way move the figure; revision 2, *Ranges*: a value left out 'is
not a range, but its sensitivity is reported, marked "not in the file": the analysis says
when a default decides the answer'.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, JustifyMethod
from rich.table import Table

from journeymap.cli.common import EXIT_FINDINGS
from journeymap.cli.flowcommon import (
    add_output_options,
    deliver,
    json_text,
    load_checked,
    no_exit,
    non_negative,
)
from journeymap.cli.tables import FIGURE_LABELS, value_text
from journeymap.errors import JourneymapError
from journeymap.findings import Severity
from journeymap.flow import NoExitError
from journeymap.flow.guard import AnalysisError
from journeymap.loader import Loaded
from journeymap.model import Journey
from journeymap.rules import run as run_rules
from journeymap.uncertainty.engine import FIGURES, Engine
from journeymap.uncertainty.sensitivity import STEP, Influence, Sensitivity, sensitivity
from journeymap.uncertainty.slots import Slot

TOP = 15
"""Rows shown unless asked otherwise."""
SHARES = ("failure_demand_ratio", "completion_rate", "abandon_rate")
"""Figures shown as percentages; the others (contacts, messages, cost) with two decimals."""
WIDEST = 400
"""Widest table written to a file or a pipe, where no terminal sets the width."""
DECIDES = 0.1
"""A row moves the figure enough to decide it when its effect is this share of the first's."""
MOVED = 1e-9
"""How far below ten points a value may end before it counts as stopped at its bound."""
SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
"""Ordinal suffixes by last digit; 'th' for the rest and for 11–13."""


@dataclass(frozen=True)
class Options:
    """The command's arguments, typed once."""

    file: str
    figure: str
    top: int | None
    """Rows shown; ``None`` shows every parameter that moves the figure."""
    json: bool
    output: str | None
    force: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        """The options ``args`` holds; ``--top 0`` becomes ``None``, all rows."""
        return cls(args.file, args.figure, args.top or None, args.json, args.output, args.force)


def register(commands: Any) -> None:
    """Add the ``sensitivity`` subcommand."""
    parser = commands.add_parser(
        "sensitivity",
        help="which probabilities move a figure most, in the file or left out",
        description="Rank every probability the customer-flow model reads (resolve, retry, "
        "switch, next, shares, defaults, segments), written in the file or left out, by how "
        "far ten percentage points either way move a headline figure, solved exactly. Says "
        "where each value is written, and when a default the file leaves out decides the "
        "answer.",
    )
    add_output_options(parser)
    parser.add_argument(
        "--figure",
        choices=FIGURES,
        default="failure_demand_ratio",
        help="the headline figure to explain (default failure_demand_ratio)",
    )
    parser.add_argument(
        "--top",
        type=non_negative,
        default=TOP,
        metavar="N",
        help=f"parameters shown, largest effect first (default {TOP}; 0 shows all)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Rank the journey's parameters by their effect on the figure and print them."""
    options = Options.parse(args)
    loaded, journey, code = load_checked(options.file)
    if journey is None:
        return code
    engine = _engine(loaded, journey)
    if isinstance(engine, int):
        return engine
    if options.figure == "messages_per_customer" and not engine.has_messages:
        raise JourneymapError(
            f"{loaded.path} sends no messages: --figure messages_per_customer needs an "
            "outbound channel"
        )
    found = ranked(journey, options.figure, engine, options.top)
    unwritten = frozenset(s.key for s in engine.slots if s.is_default and not s.in_file)
    if options.json:
        deliver(json_text(as_data(found, options.top, loaded)), options.output, force=options.force)
    else:
        table = Report(found, options.top, loaded, unwritten)
        deliver(table.show, options.output, force=options.force)
    return 0


def ranked(journey: Journey, figure: str, engine: Engine, top: int | None) -> Sensitivity:
    """Every parameter that moves ``figure``, largest effect first.

    The derivatives rank them all; the first ``2 × top`` (at least 40; all for ``--top 0``,
    ``top`` ``None``) are solved exactly at ±10 points and ranked again by that, so the
    rows shown are exact and a large journey's table takes a second, not one solve per
    parameter. A segment's ability or persistence the file leaves at 1 is left out.
    """
    exact = len(engine.slots) if not top else max(2 * top, 40)
    return sensitivity(journey, figure, exact=exact, engine=engine)


def _engine(loaded: Loaded, journey: Journey) -> Engine | int:
    """The journey ready to solve, or the exit code after printing why it cannot be."""
    try:
        return Engine(journey)
    except NoExitError as error:
        return no_exit(loaded, error)
    except AnalysisError as error:  # errors the file's configuration had switched off
        placed = [f for f in run_rules(loaded) if f.severity is Severity.ERROR]
        for finding in placed or error.findings:
            print(finding)
        what = f"journeymap: {loaded.path} cannot be analysed until these errors are fixed"
        print(what, file=sys.stderr)
        return EXIT_FINDINGS


def as_data(found: Sensitivity, top: int | None, loaded: Loaded) -> dict[str, Any]:
    """``Sensitivity.as_dict`` with the file and line where each parameter is written."""
    data = found.as_dict(top)
    for row, influence in zip(data["parameters"], found.top(top), strict=True):
        place = locate(loaded, influence.slot)
        row["file"], row["line"] = place if place is not None else (None, None)
    return data


def locate(loaded: Loaded, slot: Slot) -> tuple[str, int] | None:
    """The file and line where ``slot``'s value is written; ``None`` where it is not.

    A scenario's own changes are in the scenario file; a value it left alone is found in
    its base, by the ids of the touchpoints and segments (a scenario may add or drop some).
    """
    if not slot.in_file:
        return None
    path: tuple[str | int, ...] | None = slot.path
    current: Loaded | None = loaded
    while current is not None and path is not None:
        if path in current.positions:
            return current.path, current.positions.value(path).line
        base = current.base
        path = _in_base(path, current.journey, base.journey if base is not None else None)
        current = base
    return None


def _in_base(
    path: tuple[str | int, ...], journey: Journey | None, base: Journey | None
) -> tuple[str | int, ...] | None:
    """``path`` of a scenario's journey as the same item's path in its base journey."""
    if journey is None or base is None:
        return None
    head, *rest = path
    if head not in ("touchpoints", "segments") or not rest or not isinstance(rest[0], int):
        return path
    ident = getattr(journey, head)[rest[0]].id
    ids = [item.id for item in getattr(base, head)]
    return (head, ids.index(ident), *rest[1:]) if ident in ids else None


@dataclass(frozen=True)
class Report:
    """The ranked parameters as a table, with the lines around it."""

    found: Sensitivity
    top: int | None
    loaded: Loaded
    unwritten: frozenset[str]
    """Keys of the defaults the file leaves out."""

    def show(self, out: Console) -> None:
        """Print the title, the figure, the table and what to do about defaults left out."""
        figure = self.found.figure
        if self.loaded.journey is not None:
            out.print(f"[bold]{self.loaded.journey.label}[/bold]")
        value = figure_text(figure, self.found.base[figure])
        out.print(f"{FIGURE_LABELS[figure]} {value}: what moves it, ±10 percentage points")
        rows = self.found.top(self.top)
        table = self.table(rows)
        if not out.is_terminal:  # a file or a pipe: as wide as the table, no key cut short
            unbounded = out.options.update_width(WIDEST)
            out.width = max(out.width, out.measure(table, options=unbounded).maximum)
        out.print(table)
        for line in self.notes(rows):
            out.print(line)

    def table(self, rows: Sequence[Influence]) -> Table:
        """One row per parameter, largest effect first."""
        table = Table()
        wheres = [self.where(row.slot) for row in rows]
        places = max((len(where) for where in wheres if " " not in where), default=0)
        for name in ("#", "parameter", "value", "where", "status", "at −10 / +10 pp"):
            justify: JustifyMethod = "right" if name in ("#", "value") else "left"
            if name == "where":  # wraps 'not in the file (...)' where the keys need the room
                table.add_column(name, justify=justify, min_width=places, overflow="fold")
            else:
                table.add_column(name, justify=justify, no_wrap=True)
        for rank, (influence, where) in enumerate(zip(rows, wheres, strict=True), 1):
            slot = influence.slot
            table.add_row(
                str(rank),
                slot.key,
                value_text(slot.value, slot.range),
                where,
                slot.status or "",
                self.steps(influence),
            )
        return table

    def where(self, slot: Slot) -> str:
        """``file.yaml:LINE``, or what a value left out comes from."""
        if slot.in_file:
            place = locate(self.loaded, slot)
            return f"{os.path.basename(place[0])}:{place[1]}" if place else "in the file"
        if slot.is_default:
            return "not in the file (built-in default)"
        if slot.inherits is not None:
            return f"not in the file ({slot.inherits})"
        return f"not in the file (fixed at {slot.value:g})"

    def steps(self, influence: Influence) -> str:
        """The figure 10 points below and above the value; '*' where a bound stopped it."""
        figure, value = self.found.figure, influence.slot.value
        ends = []
        for pair, aim in ((influence.lower, value - STEP), (influence.upper, value + STEP)):
            if pair is None:
                ends.append("?")
                continue
            stopped = "*" if abs(pair[0] - aim) > MOVED else ""
            ends.append(f"{figure_text(figure, pair[1])}{stopped}")
        return " / ".join(ends)

    def notes(self, rows: Sequence[Influence]) -> list[str]:
        """What the table's marks mean, what it leaves out, and the defaults that decide."""
        notes = []
        ends = [pair for row in rows for pair in (row.lower, row.upper) if pair is not None]
        if any(math.isnan(figure) for _, figure in ends):
            notes.append("— customers would loop for ever with that value")
        if any("*" in self.steps(row) for row in rows):
            notes.append("* the value stops at its bound (0% or 100%) before 10 points")
        hidden = len(self.found.influences) - len(rows)
        if hidden > 0:
            notes.append(f"{hidden} more: --top 0 shows every parameter")
        deciding = deciding_left_out(rows, self.unwritten)
        if deciding:
            notes.append(left_out_line(deciding))
        return notes


def figure_text(figure: str, value: float) -> str:
    """A figure as the table shows it: a percentage or two decimals; '—' for no answer."""
    if math.isnan(value):
        return "—"
    return format(value, ".1%" if figure in SHARES else ".2f")


def deciding_left_out(
    rows: Sequence[Influence], unwritten: frozenset[str]
) -> dict[str, tuple[int, str | None]]:
    """What the file leaves out that decides a row: its first rank, and the step inheriting it.

    A default left out decides its own row and the rows of the values that fall back on
    it; a value fixed by a rule (a message's resolve of 1) its own. A row whose effect is
    under a tenth of the first row's decides nothing.
    """
    found: dict[str, tuple[int, str | None]] = {}
    for rank, influence in enumerate(rows, 1):
        slot = influence.slot
        if influence.effect < DECIDES * rows[0].effect:
            break
        if slot.in_file:
            continue
        if slot.inherits is None:  # a default left out, or a value a rule fixes
            found.setdefault(slot.key, (rank, None))
        elif slot.inherits in unwritten:
            found.setdefault(slot.inherits, (rank, slot.key))
    return found


def left_out_line(deciding: dict[str, tuple[int, str | None]]) -> str:
    """One line naming what the file leaves out that decides the answer, to be written down."""
    ranks = {
        name: ordinal(rank) + (f" through {through}" if through else "")
        for name, (rank, through) in deciding.items()
    }
    if len(ranks) == 1:
        ((name, rank),) = ranks.items()
        return f"{name} is not in the file and ranks {rank}: write down what you know"
    named = _joined([f"{name} ({rank})" for name, rank in ranks.items()])
    return f"{named} are not in the file: write down what you know"


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    suffix = "th" if 11 <= number % 100 <= 13 else SUFFIXES.get(number % 10, "th")
    return f"{number}{suffix}"


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
