"""Figures as readable tables on the terminal (rich), for ``analyze`` and ``simulate``."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.table import Table

from journeymap.flow import Figures

TOP = 8
"""Rows shown of the gaps and breakpoints, largest first."""


def console(stream: TextIO | None = None) -> Console:
    """A console on ``stream`` (stdout); plain text, no colour, when it is not a terminal."""
    out = stream or sys.stdout
    return Console(file=out, highlight=False, soft_wrap=False, width=None if out.isatty() else 120)


def show(figures: Figures, title: str, out: Console) -> None:
    """Print headline figures, then touchpoints, channels, gaps, breakpoints and causes."""
    out.print(f"[bold]{title}[/bold]")
    out.print(_method(figures))
    out.print(_headline(figures))
    out.print(_touchpoints(figures))
    out.print(_channels(figures))
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


def _headline(figures: Figures) -> Table:
    table = Table(title="Headline", show_header=False, title_justify="left")
    table.add_column()
    table.add_column(justify="right")
    rows = [
        ("completion rate", "completion_rate", figures.completion_rate, ".1%"),
        ("abandon rate", "abandon_rate", figures.abandon_rate, ".1%"),
        ("contacts per customer", "contacts_per_customer", figures.contacts_per_customer, ".3f"),
        ("failure-demand ratio", "failure_demand_ratio", figures.failure_demand_ratio, ".1%"),
        ("cost per customer", "cost_per_customer", figures.cost_per_customer, ".3f"),
    ]
    if figures.messages_per_customer is not None:
        messages = ("messages per customer", "messages_per_customer")
        rows.insert(3, (*messages, figures.messages_per_customer, ".3f"))
    for label, key, value, spec in rows:
        table.add_row(label, with_error(figures, key, value, spec))
    if figures.contacts_p50 is not None:
        table.add_row(
            "contacts p50 / p90 / p95",
            f"{figures.contacts_p50} / {figures.contacts_p90} / {figures.contacts_p95}",
        )
    return table


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
