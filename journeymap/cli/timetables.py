"""Text tables of the time and capacity figures: the queues, and the agents' week."""

from __future__ import annotations

from rich.table import Table

from journeymap.flow import Figures


def span(hours: float | None) -> str:
    """Elapsed time in a readable unit: '45 s', '12 min', '5.3 h', '2.1 days'."""
    if hours is None:
        return "–"
    if hours < 1 / 60:
        return f"{hours * 3600:.0f} s"
    if hours < 1:
        return f"{hours * 60:.1f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


def headline_rows(figures: Figures) -> list[tuple[str, str]]:
    """The headline's time rows, where the journey gives time."""
    if figures.time is None:
        return []
    return [
        ("time per customer", span(figures.time.time_per_customer_hours)),
        ("time to complete", span(figures.time.time_to_complete_hours)),
    ]


def tables(figures: Figures) -> list[Table]:
    """The workload and queue tables, where the journey has volume and queues."""
    time = figures.time
    if time is None:
        return []
    out = []
    if time.workload:
        table = Table(title="Agents' week (volume × contacts × handling)", title_justify="left")
        for name in ("channel", "value demand h", "failure demand h", "total h", "FTE"):
            table.add_column(name, justify="left" if name == "channel" else "right")
        for cid, work in time.workload.items():
            table.add_row(
                cid,
                f"{work.value_hours:,.1f}",
                f"{work.failure_hours:,.1f}",
                f"{work.total_hours:,.1f}",
                f"{work.fte:.2f}",
            )
        out.append(table)
    if time.queues:
        table = Table(title="Queues", title_justify="left")
        heads = ("channel", "agents", "contacts/h", "load", "utilisation", "wait", "give up")
        for name in (*heads, "model"):
            table.add_column(name, justify="left" if name in ("channel", "model") else "right")
        for cid, queue in time.queues.items():
            model = (
                "Erlang C"
                if queue.patience_hours is None
                else f"Erlang A, {time.iterations.get(cid, 1)} iterations"
            )
            table.add_row(
                cid,
                str(queue.agents),
                f"{queue.arrival_rate:.1f}",
                f"{queue.offered_load:.2f}",
                f"{queue.utilisation:.1%}",
                span(queue.wait_hours),
                f"{queue.p_abandon:.1%}",
                model,
            )
        out.append(table)
    return out
