"""The report's "Time and capacity" section, and what each recommendation does to agents' time.

Revision 2, *Time* and *Capacity*: the mean time per customer and to completion, the
queues (load, utilisation, wait, P(abandon) and the agents a service level needs), the
agent hours per channel split into value and failure demand ('failure demand uses 7.3 FTE
of the phone line'), and for each recommendation the agent hours it frees and what it does
to the queues' waits. Numbers stay raw (hours, shares 0..1); templates format them.

With ``volume`` agent time is per week, with FTE; without, per 1,000 customers.
"""

from __future__ import annotations

from typing import Any

from journeymap.flow import Figures
from journeymap.flow.timing import TimeFigures
from journeymap.locales.messages import Catalog, rounded
from journeymap.model import Journey
from journeymap.model.capacity import ServiceLevel
from journeymap.model.hours import open_hours_per_week
from journeymap.report.advice import Trials
from journeymap.report.content import channel_label
from journeymap.report.elapsed import elapsed
from journeymap.report.staffing import staffing

PERCENTILES = ("p50", "p90", "p95")
"""A simulation's percentiles of the time to complete, as its keys name them."""


def time_section(journey: Journey, figures: Figures, trials: Trials) -> dict[str, Any] | None:
    """The section's data; ``None`` for a journey without time keys (no section)."""
    time = figures.time
    if time is None:
        return None
    level = journey.defaults.service_level
    workload = agent_time(journey, figures)
    return {
        "time_per_customer_hours": time.time_per_customer_hours,
        "time_to_complete_hours": time.time_to_complete_hours,
        "percentiles": percentiles(time),
        "per": "week" if journey.volume is not None else "1000",
        "volume_per_week": float(journey.volume) if journey.volume is not None else None,
        "fte_hours": journey.defaults.fte_hours,
        "service_level": service_level_data(level),
        "workload": workload,
        "failure_fte": (
            sum(row["failure_fte"] for row in workload) if journey.volume is not None else None
        ),
        "queues": [
            {
                "label": channel_label(journey, cid),
                "hours": journey.channels[cid].hours,
                "open_hours_per_week": open_hours_per_week(journey.channels[cid].opening),
                **staffing(trials, figures, cid, level).as_dict(),
            }
            for cid in time.queues
        ],
    }


def service_level_data(level: ServiceLevel | None) -> dict[str, Any] | None:
    """A service level as JSON: its text ('80% in 60s'), share and wait in hours."""
    if level is None:
        return None
    return {"text": level.text, "share": level.share, "within_hours": level.within_hours}


def percentiles(time: TimeFigures) -> dict[str, float] | None:
    """A simulation's p50, p90 and p95 of the time to complete; ``None`` in the exact analysis."""
    keys = time.as_dict()
    found = {p: keys.get(f"time_to_complete_{p}_hours") for p in PERCENTILES}
    if any(value is None for value in found.values()):
        return None
    return {p: float(value) for p, value in found.items() if value is not None}


def agent_time(journey: Journey, figures: Figures, *, weekly: bool = True) -> list[dict[str, Any]]:
    """Agent hours per assisted and physical channel that has any, split value and failure.

    Per week with FTE where the journey gives ``volume`` ('workload.<channel>') and
    ``weekly`` asks for it; else per 1,000 customers, split by the channel's share of
    failure contacts (every contact there takes the same handling, so hours split as
    contacts do). Largest first.
    """
    time = figures.time
    assert time is not None
    fte_hours = journey.defaults.fte_hours
    rows: list[dict[str, Any]] = []
    for cid, hours in time.agent_hours.items():
        if hours <= 0:
            continue
        load = time.workload.get(cid) if weekly else None
        if load is not None:
            value, failure, fte = load.value_hours, load.failure_hours, load.fte
        else:
            channel = figures.channels[cid]
            share = channel.failure_contacts / channel.contacts if channel.contacts else 0.0
            value, failure, fte = hours * 1000 * (1 - share), hours * 1000 * share, None
        rows.append(
            {
                "channel": cid,
                "label": channel_label(journey, cid),
                "value_hours": value,
                "failure_hours": failure,
                "total_hours": value + failure,
                "fte": fte,
                "failure_fte": failure / fte_hours if fte is not None else None,
            }
        )
    rows.sort(key=lambda row: (-row["total_hours"], row["channel"]))
    return rows


def recommendation_time(journey: Journey, before: Figures, after: Figures) -> dict[str, Any]:
    """What one change does to agents' time and to the queues, against today.

    ``agent_hours_saved``: agent hours a week over every assisted and physical channel
    (per 1,000 customers without ``volume``), positive where the change frees them; the
    queues' waits and give-up shares before and after, with today's agents on duty.
    """
    old, new = before.time, after.time
    assert old is not None
    assert new is not None
    weekly = journey.volume is not None
    if weekly:
        saved = sum(w.total_hours for w in old.workload.values()) - sum(
            w.total_hours for w in new.workload.values()
        )
    else:
        saved = (sum(old.agent_hours.values()) - sum(new.agent_hours.values())) * 1000
    queues = [
        {
            "channel": cid,
            "label": channel_label(journey, cid),
            "wait_before_hours": queue.wait_hours,
            "wait_after_hours": new.queues[cid].wait_hours,
            "p_abandon_before": queue.p_abandon,
            "p_abandon_after": new.queues[cid].p_abandon,
        }
        for cid, queue in old.queues.items()
        if cid in new.queues
    ]
    return {
        "per": "week" if weekly else "1000",
        "agent_hours_saved": saved,
        "fte_saved": saved / journey.defaults.fte_hours if weekly else None,
        "time_to_complete_before_hours": old.time_to_complete_hours,
        "time_to_complete_after_hours": new.time_to_complete_hours,
        "queues": queues,
    }


def compare_time(
    journeys: tuple[Journey, Journey], figures: tuple[Figures, Figures], texts: Catalog
) -> list[dict[str, Any]] | None:
    """Time and queue figures before and after, for a comparison; ``None`` where neither has any.

    Rows: time per customer and to complete; per staffed channel its agent hours (a week
    where both journeys give ``volume``, else per 1,000 customers), those on failure demand
    and FTE; per queue its mean wait, and the share who give up waiting where either has
    patience. A row is ``changed`` where its change does not show as 0; lower is better
    for the time to complete, failure hours, waits and give-ups. The time per customer,
    all agent hours and FTE get no verdict: they fall when more customers give up, too.
    """
    old, new = (f.time for f in figures)
    if old is None and new is None:
        return None
    rows = [
        _row(
            texts,
            (key, "elapsed", lower),
            texts.text(f"report.time.figure.{key}"),
            None if old is None else getattr(old, key),
            None if new is None else getattr(new, key),
        )
        for key, lower in (("time_per_customer_hours", None), ("time_to_complete_hours", True))
    ]
    return rows + _load_rows(journeys, figures, texts) + _queue_rows(journeys, figures, texts)


LOADS = {
    "week": (
        ("agent-hours-week", "total_hours", "hours", None),
        ("failure-hours-week", "failure_hours", "hours", True),
        ("fte", "fte", "fte", None),
    ),
    "1000": (
        ("agent-hours-1000", "total_hours", "hours", None),
        ("failure-hours-1000", "failure_hours", "hours", True),
    ),
}
"""A staffed channel's rows in a comparison: the label's key, the figure, how it is shown,
and whether lower is better (``None``: no verdict)."""


def _load_rows(
    journeys: tuple[Journey, Journey], figures: tuple[Figures, Figures], texts: Catalog
) -> list[dict[str, Any]]:
    """Agent hours, failure hours and FTE per staffed channel of either journey."""
    weekly = all(journey.volume is not None for journey in journeys)
    sides = [
        {row["channel"]: row for row in agent_time(j, f, weekly=weekly)} if f.time else None
        for j, f in zip(journeys, figures, strict=True)
    ]
    channels = {cid: row["label"] for side in sides for cid, row in (side or {}).items()}
    rows = []
    for cid, label in channels.items():
        for name, key, kind, lower in LOADS["week" if weekly else "1000"]:
            values = [None if side is None else side.get(cid, {}).get(key, 0.0) for side in sides]
            title = texts.text(f"report.time.figure.{name}", channel=label)
            rows.append(_row(texts, (f"{name}:{cid}", kind, lower), title, *values))
    return rows


def _queue_rows(
    journeys: tuple[Journey, Journey], figures: tuple[Figures, Figures], texts: Catalog
) -> list[dict[str, Any]]:
    """Each queue's mean wait, and its give-ups where either journey has patience."""
    sides = [dict(f.time.queues) if f.time is not None else {} for f in figures]
    patience = any(q.patience_hours is not None for side in sides for q in side.values())
    rows = []
    for cid in dict.fromkeys([*sides[1], *sides[0]]):
        label = channel_label(journeys[1] if cid in journeys[1].channels else journeys[0], cid)
        queues = [side.get(cid) for side in sides]
        rows.append(
            _row(
                texts,
                (f"wait:{cid}", "elapsed", True),
                texts.text("report.time.figure.wait", channel=label),
                *(None if q is None else q.wait_hours for q in queues),
            )
        )
        if patience:
            rows.append(
                _row(
                    texts,
                    (f"give-up:{cid}", "share", True),
                    texts.text("report.time.figure.give-up", channel=label),
                    *(None if q is None else q.p_abandon for q in queues),
                )
            )
    return rows


def _row(
    texts: Catalog,
    what: tuple[str, str, bool | None],
    label: str,
    before: float | None,
    after: float | None,
) -> dict[str, Any]:
    """One comparison row: ``what`` is its key, how it is shown, whether lower is better."""
    key, kind, lower = what
    delta = None if before is None or after is None else after - before
    changed = delta is not None and not shows_zero(texts, kind, delta)
    better = None if not changed or lower is None or delta is None else (delta < 0) == lower
    return {
        "key": key,
        "label": label,
        "kind": kind,
        "before": before,
        "after": after,
        "delta": delta if changed else (None if delta is None else 0.0),
        "changed": changed,
        "better": better,
    }


def shows_zero(texts: Catalog, kind: str, delta: float) -> bool:
    """Whether a change shows as no change: 0 in the digits the comparison shows it with.

    Elapsed times in their unit ('0 seconds'), agent hours with one decimal, FTE with two,
    shares in percentage points with one ('_figures.j2' shows them so).
    """
    if kind == "elapsed":
        return not any(ch in "123456789" for ch in elapsed(texts, delta))
    if kind == "share":
        return not rounded(delta * 100, 1)
    return not rounded(delta, 2 if kind == "fte" else 1)
