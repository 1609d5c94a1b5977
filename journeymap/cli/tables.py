"""Figures as readable tables on the terminal (rich), for ``analyze`` and ``simulate``."""

from __future__ import annotations

import math
import sys
from typing import TextIO

from rich.console import Console
from rich.table import Table

from journeymap.cli import timetables
from journeymap.flow import Figures
from journeymap.uncertainty.draws import Interval, Uncertainty

TOP = 8
"""Rows shown of the gaps and breakpoints, largest first."""
MATTERS = 0.01
"""Share of a figure's variance below which a range is not shown as a cause of its spread."""
FIGURE_LABELS = {
    "completion_rate": "completion rate",
    "abandon_rate": "abandon rate",
    "contacts_per_customer": "contacts per customer",
    "messages_per_customer": "messages per customer",
    "failure_demand_ratio": "failure-demand ratio",
    "cost_per_customer": "cost per customer",
}
"""The headline figures by their JSON keys, as the tables name them."""


def console(stream: TextIO | None = None) -> Console:
    """A console on ``stream`` (stdout); plain text, no colour, when it is not a terminal."""
    out = stream or sys.stdout
    return Console(file=out, highlight=False, soft_wrap=False, width=None if out.isatty() else 120)


def show(figures: Figures, title: str, out: Console, spread: Uncertainty | None = None) -> None:
    """Print headline figures, then touchpoints, channels, gaps, breakpoints and causes.

    With ``spread`` each headline figure has its 90% interval beside it, and a note says
    where the intervals come from.
    """
    out.print(f"[bold]{title}[/bold]")
    out.print(_method(figures))
    out.print(_headline(figures, spread))
    if spread is not None:
        for line in _spread_notes(spread):
            out.print(line)
    out.print(_touchpoints(figures))
    out.print(_channels(figures))
    for table in timetables.tables(figures):
        out.print(table)
    if figures.gaps:
        out.print(
            _list(
                "Channel-switch gaps (context lost)",
                ("from", "to"),
                [((g.source, g.target), g.count) for g in figures.gaps],
            )
        )
    if figures.breakpoints:
        out.print(
            _list(
                "Breakpoints (customers who give up)",
                ("touchpoint", "channel", "cause"),
                [((b.touchpoint, b.channel, b.cause), b.count) for b in figures.breakpoints],
            )
        )
    if figures.causes:
        out.print(
            _list(
                "Failure demand by cause",
                ("cause",),
                [
                    ((name,), n)
                    for name, n in sorted(figures.causes.items(), key=lambda item: -item[1])
                ],
            )
        )
    if figures.segments:
        out.print(_segments(figures))


def _method(figures: Figures) -> str:
    if figures.method == "exact":
        return "exact analysis (absorbing Markov chain); figures per customer"
    return (
        f"simulation of {figures.customers:,} customers, seed {figures.seed}; "
        "figures per customer, ± one standard error"
    )


def with_error(figures: Figures, key: str, value: float, spec: str) -> str:
    """``value`` in format ``spec``, and its standard error (if any) in the same unit.

    A share and its error are both percentages ('48.8% ± 0.1%'); a count or cost and its
    error have the same decimals ('3.499 ± 0.003').
    """
    error = figures.standard_errors.get(key)
    shown = format(value, spec)
    return shown if error is None else f"{shown} ± {format(error, spec)}"


def interval_text(interval: Interval, spec: str) -> str:
    """A 90% interval in the unit of its figure: '(13.1–19.8%)', '(2.205–2.392)'.

    Empty where no draw could be solved.
    """
    if not (math.isfinite(interval.low) and math.isfinite(interval.high)):
        return ""
    low = format(interval.low, spec).removesuffix("%")
    return f"({low}–{format(interval.high, spec)})"


def value_text(value: float, span: tuple[float, float] | None = None) -> str:
    """A probability as a percentage ('70%', '87.5%'), a range as its ends ('55–95%')."""
    if span is not None:
        return f"{_percent(span[0]).removesuffix('%')}–{_percent(span[1])}"
    return _percent(value)


def _percent(value: float) -> str:
    return format(value, ".1%").replace(".0%", "%")


def _headline(figures: Figures, spread: Uncertainty | None = None) -> Table:
    table = Table(title="Headline", show_header=False, title_justify="left")
    table.add_column()
    table.add_column(justify="right")
    rows = [
        ("completion_rate", figures.completion_rate, ".1%"),
        ("abandon_rate", figures.abandon_rate, ".1%"),
        ("contacts_per_customer", figures.contacts_per_customer, ".3f"),
        ("failure_demand_ratio", figures.failure_demand_ratio, ".1%"),
        ("cost_per_customer", figures.cost_per_customer, ".3f"),
    ]
    if figures.messages_per_customer is not None:
        rows.insert(3, ("messages_per_customer", figures.messages_per_customer, ".3f"))
    for key, value, spec in rows:
        shown = with_error(figures, key, value, spec)
        if spread is not None and key in spread.figures:
            shown = f"{shown} {interval_text(spread.figures[key], spec)}".rstrip()
        table.add_row(FIGURE_LABELS[key], shown)
    for label, shown in timetables.headline_rows(figures):
        table.add_row(label, shown)
    if figures.contacts_p50 is not None:
        table.add_row(
            "contacts p50 / p90 / p95",
            f"{figures.contacts_p50} / {figures.contacts_p90} / {figures.contacts_p95}",
        )
    return table


def _spread_notes(spread: Uncertainty) -> list[str | Table]:
    """Where the intervals come from, and the ranges behind the failure-demand ratio's."""
    ranges = len(spread.ranges)
    notes: list[str | Table] = [
        f"in brackets: 90% interval over {spread.draws:,} draws of the file's {ranges} "
        f"range{'s' if ranges != 1 else ''} (seed {spread.seed})"
    ]
    if spread.failed:
        notes.append(f"{spread.failed:,} draws left out: customers would loop for ever there")
    leading = [(slot, share) for slot, share in spread.leading() if share >= MATTERS]
    if leading:
        title = "Ranges behind the failure-demand ratio's interval"
        table = Table(title=title, title_justify="left")
        for name in ("range", "value", "share of variance"):
            table.add_column(name, justify="left" if name == "range" else "right")
        for slot, share in leading[:TOP]:
            table.add_row(slot.key, value_text(slot.value, slot.range), f"{share:.0%}")
        notes.append(table)
    return notes


def _touchpoints(figures: Figures) -> Table:
    table = Table(title="Touchpoints", title_justify="left")
    names = ["touchpoint", "visits", "contacts", "failure", "abandoned", "first-contact res."]
    if figures.has_messages:
        names.insert(3, "messages")
    for name in names:
        table.add_column(name, justify="left" if name == "touchpoint" else "right")
    for key, tp in figures.touchpoints.items():
        fcr = "-" if tp.first_contact_resolution is None else f"{tp.first_contact_resolution:.1%}"
        cells = [key, f"{tp.visits:.3f}", f"{tp.contacts:.3f}", f"{tp.failure_contacts:.3f}"]
        if figures.has_messages:
            cells.insert(3, f"{tp.messages:.3f}")
        table.add_row(*cells, f"{tp.abandoned:.3f}", fcr)
    return table


def _channels(figures: Figures) -> Table:
    table = Table(title="Channels", title_justify="left")
    names = ["channel", "contacts", "failure", "cost"]
    if figures.has_messages:
        names.insert(2, "messages")
    for name in names:
        table.add_column(name, justify="left" if name == "channel" else "right")
    for key, ch in figures.channels.items():
        cells = [key, f"{ch.contacts:.3f}", f"{ch.failure_contacts:.3f}", f"{ch.cost:.3f}"]
        if figures.has_messages:
            cells.insert(2, f"{ch.messages:.3f}")
        table.add_row(*cells)
    return table


def _list(title: str, heads: tuple[str, ...], rows: list[tuple[tuple[str, ...], float]]) -> Table:
    table = Table(title=title, title_justify="left")
    for head in heads:
        table.add_column(head)
    table.add_column("per customer", justify="right")
    for keys, count in rows[:TOP]:
        table.add_row(*keys, f"{count:.4f}")
    if len(rows) > TOP:
        table.caption = f"{len(rows) - TOP} more in --json"
    return table


def _segments(figures: Figures) -> Table:
    table = Table(title="Segments", title_justify="left")
    for name in ("segment", "completion", "contacts", "failure-demand ratio", "cost"):
        table.add_column(name, justify="left" if name == "segment" else "right")
    for key, seg in figures.segments.items():
        table.add_row(
            key,
            f"{seg.completion_rate:.1%}",
            f"{seg.contacts_per_customer:.3f}",
            f"{seg.failure_demand_ratio:.1%}",
            f"{seg.cost_per_customer:.3f}",
        )
    return table
