"""Compare two journeys (a current one and a redesign): figures side by side, and hotspots moved.

Both are analysed exactly; every headline figure gets its before, after and delta, and every
hotspot (touchpoint, channel, cause, channel-switch gap) is marked grew, shrank, appeared,
vanished or same. A journey compared with itself shows no change.
"""

from __future__ import annotations

from typing import Any

from journeymap._version import __version__
from journeymap.flow import Figures, analyze
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey
from journeymap.report.content import channel_label, headline, hotspot_label, today

SAME = 1e-9
"""Per-customer differences below this are rounding noise of the exact solve: no change."""
HEADLINE = (
    "failure_demand_ratio",
    "completion_rate",
    "abandon_rate",
    "contacts_per_customer",
    "cost_per_customer",
    "first_contact_resolution",
    "contacts_per_resolved_customer",
    "failure_contacts_per_1000",
    "failure_cost_per_1000",
    "value_contacts_per_1000",
    "contacts_p50",
    "contacts_p90",
    "contacts_p95",
)
"""Headline figures in the order a comparison shows them."""
HIGHER_IS_BETTER = frozenset({"completion_rate", "first_contact_resolution"})
NEUTRAL = frozenset({"value_contacts_per_1000"})
"""Value demand is neither good nor bad: it falls when fewer customers finish."""


def compare(
    before: Journey,
    after: Journey,
    *,
    locale: str | None = None,
    figures: tuple[Figures, Figures] | None = None,
) -> dict[str, Any]:
    """What changes from ``before`` to ``after``, as JSON-ready data in ``locale``.

    ``figures`` are both journeys' exact analyses where already made.
    """
    texts = catalog(locale or after.locale)
    old, new = figures or (analyze(before), analyze(after))
    figures_ = _headline(headline(old), headline(new))
    hotspots = {
        kind: _moves(_spots(before, old, kind, texts), _spots(after, new, kind, texts))
        for kind in ("touchpoint", "channel", "cause")
    }
    gaps = _moves(_gaps(before, old), _gaps(after, new))
    moved = [row for rows in [*hotspots.values(), gaps] for row in rows]
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
        # Whether any figure shown moved beyond rounding noise.
        "changed": any(row["delta"] for row in figures_)
        or any(row["status"] != "same" for row in moved),
    }


def _headline(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key in HEADLINE:
        a, b = old[key], new[key]
        delta = None if a is None or b is None else b - a
        if delta is not None and abs(delta) < SAME:
            delta = 0.0
        better = None if not delta or key in NEUTRAL else (delta > 0) == (key in HIGHER_IS_BETTER)
        rows.append({"key": key, "before": a, "after": b, "delta": delta, "better": better})
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
                "status": _status(key in old, key in new, a, b),
            }
        )
    rows.sort(key=lambda r: (-abs(r["delta_per_1000"]), r["key"]))
    return rows


def _status(was: bool, now: bool, a: float, b: float) -> str:
    if not was:
        return "appeared"
    if not now:
        return "vanished"
    if abs(b - a) < SAME:
        return "same"
    return "grew" if b > a else "shrank"
