"""Compare two journeys (a current one and a redesign): figures side by side, and hotspots moved.

Both are analysed exactly; every headline figure gets its before, after and delta, and every
hotspot (touchpoint, channel, cause, channel-switch gap) is marked grew, shrank, appeared,
vanished or same. Verdicts are decided from the change as the comparison shows it, rounded:
a change that shows as zero is no change. A journey compared with itself shows no change.
Where either journey gives ranges, both are drawn alike and each headline figure with a
direction gets the share of draws in which the redesign does better (``how_sure``). Where
either gives time keys, ``time`` sets their time and queue figures side by side.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from journeymap._version import __version__
from journeymap.flow import Figures, analyze
from journeymap.locales.messages import Catalog, catalog, rounded
from journeymap.model import Journey
from journeymap.report.certainty import DRAWS, SEED, how_sure
from journeymap.report.content import channel_label, headline, hotspot_label, today
from journeymap.report.time_capacity import compare_time

SAME = 1e-9
"""Per-customer differences below this are rounding noise of the exact solve: no change."""
HEADLINE = (
    "failure_demand_ratio",
    "completion_rate",
    "abandon_rate",
    "contacts_per_customer",
    "cost_per_customer",
    "cost_per_completed_customer",
    "first_contact_resolution",
    "contacts_per_resolved_customer",
    "failure_contacts_per_1000",
    "failure_cost_per_1000",
    "value_contacts_per_1000",
    "messages_per_1000",
    "contacts_p50",
    "contacts_p90",
    "contacts_p95",
)
"""Headline figures in the order a comparison shows them."""
HIGHER_IS_BETTER = frozenset({"completion_rate", "first_contact_resolution"})
NEUTRAL = frozenset({"value_contacts_per_1000", "cost_per_customer", "messages_per_1000"})
"""Figures with no verdict. Value demand is neither good nor bad: it falls when fewer
customers finish; messages are the service's own moves. Cost per customer rises when more
customers finish and use later steps: cost is judged per completed customer instead."""
GATE = ("failure_demand_ratio", "cost_per_completed_customer")
"""Figures ``--fail-if-worse`` checks: failure demand, and cost as the comparison judges it."""
RATIOS = frozenset(
    {"failure_demand_ratio", "completion_rate", "abandon_rate", "first_contact_resolution"}
)
"""Shares, whose change is shown in percentage points with one decimal."""
WHOLE = frozenset({"contacts_p50", "contacts_p90", "contacts_p95"})
"""Figures shown as whole numbers, like every figure per 1,000 customers."""


def compare(
    before: Journey,
    after: Journey,
    *,
    locale: str | None = None,
    figures: tuple[Figures, Figures] | None = None,
    draws: int = DRAWS,
    seed: int = SEED,
) -> dict[str, Any]:
    """What changes from ``before`` to ``after``, as JSON-ready data in ``locale``.

    ``figures`` are both journeys' exact analyses where already made; ``draws`` and
    ``seed`` draw the ranges where either journey gives any (no draws: no ``how_sure``).
    """
    texts = catalog(locale or after.locale)
    old, new = figures or (analyze(before), analyze(after))
    figures_ = _headline(headline(old), headline(new))
    sure = how_sure(before, after, draws=draws, seed=seed) if draws > 0 else None
    if sure is not None:
        shares = sure["better_in_share_of_draws"]
        for row in figures_:
            if row["key"] in shares:
                row["better_in_share_of_draws"] = shares[row["key"]]
    hotspots = {
        kind: _moves(_spots(before, old, kind, texts), _spots(after, new, kind, texts))
        for kind in ("touchpoint", "channel", "cause")
    }
    gaps = _moves(_gaps(before, old), _gaps(after, new))
    moved = [row for rows in [*hotspots.values(), gaps] for row in rows]
    time = compare_time((before, after), (old, new), texts)
    return {
        "journeymap": __version__,
        "locale": texts.code,
        "generated": today().isoformat(),
        "before": {"id": before.id, "title": before.label},
        "after": {"id": after.id, "title": after.label},
        "headline": figures_,
        "segments": _segments(before, after, old, new),
        "hotspots": hotspots,
        "gaps": gaps,
        # Whether any figure moved by as much as the comparison shows.
        "changed": any(row["changed"] for row in [*figures_, *(time or [])])
        or any(row["status"] != "same" for row in moved),
        **({"how_sure": sure} if sure is not None else {}),
        **({"time": time} if time is not None else {}),
    }


def worse(data: dict[str, Any]) -> list[str]:
    """The ``GATE`` figures a comparison judges worse: what ``--fail-if-worse`` fails on."""
    rows = {row["key"]: row for row in data["headline"]}
    return [key for key in GATE if key in rows and rows[key]["better"] is False]


def shown_change(key: str, delta: float) -> Decimal:
    """A headline figure's change as the comparison shows it: points, whole numbers or 0.01."""
    if key in RATIOS:
        return rounded(delta * 100, 1)  # as _figures.j2 shows it: (d * 100)|signed(1)
    if key.endswith("_1000") or key in WHOLE:
        return rounded(delta)
    return rounded(delta, 2)


def _headline(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key in HEADLINE:
        a, b = old[key], new[key]
        if key == "messages_per_1000" and a is None and b is None:
            continue  # neither journey sends a message
        delta = None if a is None or b is None else b - a
        if delta is not None and abs(delta) < SAME:
            delta = 0.0
        shown = Decimal(0) if delta is None else shown_change(key, delta)
        better = None if not shown or key in NEUTRAL else (shown > 0) == (key in HIGHER_IS_BETTER)
        rows.append(
            {
                "key": key,
                "before": a,
                "after": b,
                "delta": delta,
                "changed": bool(shown),
                "better": better,
            }
        )
    return rows


def _segments(before: Journey, after: Journey, old: Figures, new: Figures) -> list[dict[str, Any]]:
    titles = {s.id: s.title or s.id for s in after.segments}
    shared = [s.id for s in before.segments if s.id in titles]
    return [
        {
            "id": sid,
            "title": titles[sid],
            "headline": _headline(headline(old.segments[sid]), headline(new.segments[sid])),
        }
        for sid in shared
        if sid in old.segments and sid in new.segments
    ]


def _spots(
    journey: Journey, figures: Figures, kind: str, texts: Catalog
) -> dict[str, tuple[str, float, float]]:
    """Hotspots of one kind: key -> (label, failure contacts, failure cost) per customer."""
    return {
        spot.key: (
            hotspot_label(journey, texts, kind, spot.key),
            spot.failure_contacts,
            spot.failure_cost,
        )
        for spot in figures.hotspots(kind=kind)  # type: ignore[arg-type]
    }


def _gaps(journey: Journey, figures: Figures) -> dict[str, tuple[str, float, float]]:
    """Channel-switch gaps: "from>to" -> (label, switches, 0) per customer."""
    return {
        f"{g.source}>{g.target}": (
            f"{channel_label(journey, g.source)} → {channel_label(journey, g.target)}",
            g.count,
            0.0,
        )
        for g in figures.gaps
    }


def _moves(
    old: dict[str, tuple[str, float, float]], new: dict[str, tuple[str, float, float]]
) -> list[dict[str, Any]]:
    """Every key of either side with its before, after and how it moved, largest change first."""
    rows: list[dict[str, Any]] = []
    for key in [*new, *(k for k in old if k not in new)]:
        label = (new.get(key) or old[key])[0]
        _, a, cost_a = old.get(key, (label, 0.0, 0.0))
        _, b, cost_b = new.get(key, (label, 0.0, 0.0))
        rows.append(
            {
                "key": key,
                "label": label,
                "before_per_1000": a * 1000,
                "after_per_1000": b * 1000,
                "delta_per_1000": 0.0 if abs(b - a) < SAME else (b - a) * 1000,
                "cost_delta_per_1000": 0.0
                if abs(cost_b - cost_a) < SAME
                else (cost_b - cost_a) * 1000,
                "status": _status(key in old, key in new, (b - a) * 1000),
            }
        )
    rows.sort(key=lambda r: (-abs(r["delta_per_1000"]), r["key"]))
    return rows


def _status(was: bool, now: bool, delta_per_1000: float) -> str:
    """How a hotspot moved, judged by its change shown in whole contacts per 1,000 customers.

    A change that shows as 0 is no change, even for a hotspot new or gone: what is shown,
    0 before and 0 after, has not moved.
    """
    shown = rounded(delta_per_1000)
    if not shown:
        return "same"
    if not was:
        return "appeared"
    if not now:
        return "vanished"
    return "grew" if shown > 0 else "shrank"
