"""How sure the figures are: 90% intervals of the headline, and how often a change does better.

Revision 2, *Ranges*: each range is drawn, each draw solved exactly
(``journeymap.uncertainty``). The engine gives the failure-demand ratio, completion, give-up,
contacts and cost per customer in every draw; the report's other headline figures are made
from those draw by draw, as ``content.headline`` makes them from one analysis: cost per
completed customer (cost / completion), contacts per resolved customer (contacts /
completion), failure and value contacts per 1,000 customers (ratio × contacts × 1,000 and
the rest). First-contact resolution is not among them: it has no interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from journeymap.locales.messages import Catalog
from journeymap.markov.chain import Floats
from journeymap.model import Journey
from journeymap.report.assumptions import FIGURE, slot_label
from journeymap.uncertainty.draws import LEVEL, Uncertainty, paired, uncertainty
from journeymap.uncertainty.engine import Engine
from journeymap.uncertainty.slots import Slots

DRAWS = 1000
"""Draws of the ranges behind the headline's intervals and a comparison's shares."""
ADVICE_DRAWS = 100
"""Draws per recommendation. Each pairs the journey with its change; the journey's own
draws are made once for all of them (docs/reports.md gives the timings)."""
SEED = 0
"""Every side of every comparison draws with this seed unless asked otherwise."""
LEADING = 3
"""Ranges named as the main sources of the ratio's uncertainty, at most."""
LEADING_SHARE = 0.05
"""A range explaining less of the ratio's variance than this is not named."""
LOWER_IS_BETTER = {
    "failure_demand_ratio": True,
    "completion_rate": False,
    "abandon_rate": True,
    "contacts_per_customer": True,
    "cost_per_completed_customer": True,
    "contacts_per_resolved_customer": True,
    "failure_contacts_per_1000": True,
}
"""The headline figures a comparison gives a share of draws, and which way is better."""
_TIE = 1e-12
"""Relative difference below which two draws' values are the same (as ``paired`` judges)."""


def headline_draws(values: Mapping[str, Any]) -> dict[str, Any]:
    """The report's headline figures from the engine's, value by value (arrays or numbers)."""
    ratio, contacts = values["failure_demand_ratio"], values["contacts_per_customer"]
    completion, cost = values["completion_rate"], values["cost_per_customer"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ends = np.asarray(completion, dtype=float)
        return {
            "failure_demand_ratio": ratio,
            "completion_rate": completion,
            "abandon_rate": values["abandon_rate"],
            "contacts_per_customer": contacts,
            "cost_per_customer": cost,
            "cost_per_completed_customer": np.where(ends > 0, cost / ends, np.nan),
            "contacts_per_resolved_customer": np.where(ends > 0, contacts / ends, np.nan),
            "failure_contacts_per_1000": np.multiply(ratio, contacts) * 1000,
            "value_contacts_per_1000": np.multiply(np.subtract(1, ratio), contacts) * 1000,
        }


def intervals(found: Uncertainty) -> dict[str, dict[str, float]]:
    """Every headline figure's point value, 90% interval and mean over the draws."""
    points = headline_draws({name: i.point for name, i in found.figures.items()})
    draws = headline_draws(found.samples)
    return {name: _interval(draws[name], float(points[name])) for name in draws}


def _interval(values: Floats, point: float) -> dict[str, float]:
    kept = values[~np.isnan(values)]
    if not len(kept):
        return {"point": point, "low": math.nan, "high": math.nan, "mean": math.nan}
    low, high = np.quantile(kept, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return {"point": point, "low": float(low), "high": float(high), "mean": float(kept.mean())}


def report_uncertainty(
    journey: Journey, texts: Catalog, engine: Engine, *, draws: int = DRAWS, seed: int = SEED
) -> dict[str, Any] | None:
    """What the journey's ranges leave open, as the report shows it; ``None`` without ranges.

    The data of ``Uncertainty.as_dict`` with the headline's intervals in ``figures``, each
    range's label, and the ranges that explain most of the ratio's variance (``leading``).
    """
    found = uncertainty(journey, draws=draws, seed=seed, engine=engine)
    if found is None:
        return None
    data = found.as_dict()
    data["figures"] = intervals(found)
    labels = {slot.key: slot_label(journey, texts, slot) for slot in found.ranges}
    data["ranges"] = [{**r, "label": labels[r["key"]]} for r in data["ranges"]]
    data["leading"] = [
        {"key": slot.key, "label": labels[slot.key], "share": share}
        for slot, share in found.leading(FIGURE)[:LEADING]
        if share >= LEADING_SHARE
    ]
    return _json(data)


def how_sure(
    current: Journey,
    redesign: Journey,
    *,
    draws: int = DRAWS,
    seed: int = SEED,
    engine: Engine | None = None,
    before: Uncertainty | None = None,
) -> dict[str, Any] | None:
    """In what share of the draws the redesign does better, per headline figure.

    Both journeys take the same draws (``paired``: one seed, a range at the same place
    drawn alike on both sides); ``None`` where neither has a range. ``engine`` is the
    current journey's, where one is built already, and ``before`` its draws.
    """
    if not (Slots(current).ranged() or Slots(redesign).ranged()):
        return None  # found before any engine is built: a journey without ranges costs nothing
    engines = (engine or Engine(current), Engine(redesign))
    found = paired(current, redesign, draws=draws, seed=seed, engines=engines, before=before)
    if found is None:
        return None
    earlier = _samples(found.current, engines[0], draws)
    later = _samples(found.redesign, engines[1], draws)
    shares = {
        name: float(found.better[name]) if name in found.better else _better(earlier, later, name)
        for name in LOWER_IS_BETTER
    }
    return _json({"draws": draws, "seed": seed, "better_in_share_of_draws": shares})


def _samples(found: Uncertainty | None, engine: Engine, draws: int) -> dict[str, Floats]:
    """Every draw's headline figures: the point values throughout where nothing is drawn."""
    if found is not None:
        return headline_draws(found.samples)
    points = engine.evaluate().figures
    return headline_draws({name: np.full(draws, value) for name, value in points.items()})


def _better(before: Mapping[str, Floats], after: Mapping[str, Floats], name: str) -> float:
    """The share of draws in which ``after`` is better at ``name``, as ``paired`` counts it."""
    x, y = before[name], after[name]
    ok = ~(np.isnan(x) | np.isnan(y))
    if not ok.any():
        return math.nan
    tie = _TIE * np.maximum(1.0, np.abs(x[ok]))
    wins = y[ok] < x[ok] - tie if LOWER_IS_BETTER[name] else y[ok] > x[ok] + tie
    return float(wins.mean())


def _json(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every number a plain float and ``None`` for one that is not a number.

    JSON has no NaN: a figure no draw could give (every draw looped for ever) is ``null``.
    """
    return {key: _plain(value) for key, value in data.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return _json(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        return None if math.isnan(value) else float(value)
    return value
