"""Uncertainty: every range drawn, each draw solved exactly, intervals and their causes.

Revision 2, *Ranges*: 'Uncertainty analysis draws each range uniformly and independently
(a next list's drawn values are normalised to sum 1; shares likewise), solves each draw
exactly, and reports a 90% interval for each headline figure and how much of its variance
each range explains.' Draws are a Latin hypercube, seeded: each range's draws fall one in
each of as many equal strata as there are draws, so a thousand draws cover every range
evenly. The chains' sparsity is found once; a draw only refills and refactorises.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from journeymap.markov.chain import FIRST, OTHER, RETRY, Floats, sum_by
from journeymap.model import Journey
from journeymap.uncertainty.attribution import first_order
from journeymap.uncertainty.engine import FIGURES, Engine, Evaluation
from journeymap.uncertainty.sensitivity import figure_names
from journeymap.uncertainty.slots import Slot

DRAWS = 1000
"""Draws unless asked otherwise."""
LEVEL = 0.90
"""The interval's coverage: from the 5th to the 95th percentile of the draws."""


@dataclass(frozen=True)
class Interval:
    """Where a figure lies across the draws: the 90% interval, the mean, the point value."""

    low: float
    high: float
    mean: float
    point: float

    def as_dict(self) -> dict[str, float]:
        """JSON-ready data."""
        return {"point": self.point, "low": self.low, "high": self.high, "mean": self.mean}


@dataclass(frozen=True)
class Uncertainty:
    """What the ranges of a journey leave open about its figures."""

    journey: str
    draws: int
    seed: int
    ranges: tuple[Slot, ...]
    """The slots the file gives as ranges, in the order of ``design``'s columns."""
    figures: Mapping[str, Interval]
    hotspots: Mapping[str, Interval]
    """Share of all failure demand, per ``touchpoint:<id>`` and ``cause:<id>``."""
    attribution: Mapping[str, Mapping[str, float]]
    """Per figure, each range's share of its variance (first-order Sobol index)."""
    samples: Mapping[str, Floats] = field(repr=False, default_factory=dict)
    """Every draw's value of each figure, draw by draw, for paired comparisons."""
    failed: int = 0
    """Draws whose values let customers loop for ever, left out."""

    def interval(self, figure: str) -> Interval:
        """The interval of one headline figure."""
        return self.figures[figure]

    def leading(self, figure: str = "failure_demand_ratio") -> list[tuple[Slot, float]]:
        """The ranges by their share of ``figure``'s variance, largest first."""
        shares = self.attribution.get(figure, {})
        by_key = {slot.key: slot for slot in self.ranges}
        ranked = sorted(shares.items(), key=lambda item: (-item[1], item[0]))
        return [(by_key[key], share) for key, share in ranked]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "method": "latin-hypercube",
            "level": LEVEL,
            "failed_draws": self.failed,
            "ranges": [
                {"key": slot.key, "low": slot.range[0], "high": slot.range[1]}
                for slot in self.ranges
                if slot.range is not None
            ],
            "figures": {name: interval.as_dict() for name, interval in self.figures.items()},
            "hotspots": {name: interval.as_dict() for name, interval in self.hotspots.items()},
            "variance_shares": {name: dict(shares) for name, shares in self.attribution.items()},
        }


def design(keys: Sequence[str], draws: int, seed: int) -> dict[str, Floats]:
    """Uniform draws in [0, 1) per range key: a Latin hypercube seeded by ``seed``.

    Each key's column is a random permutation of the ``draws`` strata, jittered within
    each, from a generator seeded by ``seed`` and the key itself. So a range takes the
    same draws wherever it appears: in a journey's own analysis, and on both sides of a
    comparison (which is then paired, draw by draw).
    """
    out = {}
    for key in sorted(set(keys)):
        rng = np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])
        out[key] = (rng.permutation(draws) + rng.random(draws)) / draws
    return out


def uncertainty(
    journey: Journey,
    *,
    draws: int = DRAWS,
    seed: int = 0,
    keys: Sequence[str] | None = None,
    engine: Engine | None = None,
) -> Uncertainty | None:
    """The journey's figures over ``draws`` draws of its ranges; ``None`` without ranges.

    ``keys`` widens the design to other range keys (another journey's, to pair draws).
    """
    engine = engine or Engine(journey)
    ranged = engine.slots.ranged()
    if not ranged or draws < 1:
        return None
    slots = [engine.slots.items[i] for i in ranged]
    columns = design([*(keys or []), *(slot.key for slot in slots)], draws, seed)
    theta = np.repeat(engine.theta[None, :], draws, axis=0)
    for i, slot in zip(ranged, slots, strict=True):
        assert slot.range is not None
        low, high = slot.range
        theta[:, i] = low + (high - low) * columns[slot.key]
    engine.slots.sync(theta)
    names = figure_names(engine.has_messages)
    point = engine.evaluate()
    spots = _hotspot_names(engine)
    values = np.full((draws, len(names)), np.nan)
    shares = np.full((draws, len(spots)), np.nan)
    for d in range(draws):
        try:
            evaluation = engine.evaluate(theta[d], inherit=False)
        except ArithmeticError:
            continue
        found = evaluation.figures
        values[d] = [found[name] for name in names]
        shares[d] = _hotspot_shares(engine, evaluation)
    ok = ~np.isnan(values).any(axis=1)
    inputs = np.column_stack([columns[slot.key] for slot in slots])[ok]
    point_figures = point.figures
    point_shares = _hotspot_shares(engine, point)
    return Uncertainty(
        journey.id,
        draws,
        seed,
        tuple(slots),
        {name: _interval(values[ok, j], point_figures[name]) for j, name in enumerate(names)},
        {name: _interval(shares[ok, j], point_shares[j]) for j, name in enumerate(spots)},
        {
            name: dict(
                zip(
                    (slot.key for slot in slots),
                    (float(s) for s in first_order(inputs, values[ok, j])),
                    strict=True,
                )
            )
            for j, name in enumerate(names)
        },
        {name: values[:, j] for j, name in enumerate(names)},
        int((~ok).sum()),
    )


def _interval(values: Floats, point: float) -> Interval:
    if not len(values):
        return Interval(np.nan, np.nan, np.nan, point)
    low, high = np.quantile(values, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return Interval(float(low), float(high), float(values.mean()), point)


def _hotspot_names(engine: Engine) -> list[str]:
    """``touchpoint:<id>`` for every step, then ``cause:<id>`` for every cause."""
    chain = engine.model.parts[0].chain
    return [f"touchpoint:{tp.id}" for tp in engine.journey.touchpoints] + [
        f"cause:{name}" for name in chain.causes
    ]


def _hotspot_shares(engine: Engine, evaluation: Evaluation) -> Floats:
    """Each step's and each cause's share of all failure contacts, segments blended."""
    journey = engine.journey
    steps = len(journey.touchpoints)
    out = np.zeros(steps + len(engine.model.parts[0].chain.causes))
    for part, solution, weight in zip(
        engine.model.parts, evaluation.solutions, evaluation.weights, strict=True
    ):
        chain, visits = part.chain, solution.visits
        failure = visits * chain.failure_state
        out[:steps] += weight * sum_by(chain.state_touchpoint, failure, steps)
        retry = chain.kind == RETRY
        flows = visits[chain.src[retry]] * solution.p[retry]
        causes = sum_by(chain.cause[retry], flows, len(chain.causes))
        own = np.array([chain.causes.index(tp.cause or OTHER) for tp in journey.touchpoints])
        firsts = chain.failure_state & (chain.state_attempt == FIRST)
        causes += sum_by(own[chain.state_touchpoint[firsts]], visits[firsts], len(chain.causes))
        out[steps:] += weight * causes
    total = out[:steps].sum()
    shares: Floats = out / total if total > 0 else out
    return shares


__all__ = ["DRAWS", "FIGURES", "Interval", "Uncertainty", "design", "uncertainty"]


BETTER_WHEN_LOWER = {
    "failure_demand_ratio": True,
    "completion_rate": False,
    "abandon_rate": True,
    "contacts_per_customer": True,
    "cost_per_customer": True,
}
"""Which way each headline figure improves (messages are neither better nor worse)."""


@dataclass(frozen=True)
class Paired:
    """Two journeys over the same draws: how often the second does better, per figure."""

    draws: int
    seed: int
    better: Mapping[str, float]
    """Share of the draws in which the redesign's figure is better."""
    current: Uncertainty | None
    redesign: Uncertainty | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "better_in_share_of_draws": dict(self.better),
        }


def paired(
    current: Journey,
    redesign: Journey,
    *,
    draws: int = DRAWS,
    seed: int = 0,
    engines: tuple[Engine, Engine] | None = None,
    before: Uncertainty | None = None,
) -> Paired | None:
    """How sure a redesign is better: the share of draws in which it is, per figure.

    A range both journeys have at the same address takes the same draw on both sides
    (the same seed, one Latin hypercube over the union of their ranges), so the two are
    compared draw by draw. ``None`` where neither journey has a range. ``before`` is the
    current journey's ``uncertainty`` at the same ``draws`` and ``seed``, where one is made
    already: a range's draws do not depend on the other ranges, so it serves as it is.
    """
    a, b = engines or (Engine(current), Engine(redesign))
    keys = [a.slots.items[i].key for i in a.slots.ranged()]
    keys += [b.slots.items[i].key for i in b.slots.ranged()]
    if not keys:
        return None
    if before is None or (before.draws, before.seed) != (draws, seed):
        before = uncertainty(current, draws=draws, seed=seed, keys=keys, engine=a)
    after = uncertainty(redesign, draws=draws, seed=seed, keys=keys, engine=b)
    better = {}
    for name, lower in BETTER_WHEN_LOWER.items():
        x = _samples(before, a, name, draws)
        y = _samples(after, b, name, draws)
        ok = ~(np.isnan(x) | np.isnan(y))
        wins = (y[ok] < x[ok] - 1e-12) if lower else (y[ok] > x[ok] + 1e-12)
        better[name] = float(wins.mean()) if ok.any() else float("nan")
    return Paired(draws, seed, better, before, after)


def _samples(found: Uncertainty | None, engine: Engine, figure: str, draws: int) -> Floats:
    """Every draw's value of ``figure``: the point value throughout where nothing is drawn."""
    if found is not None:
        return found.samples[figure]
    return np.full(draws, engine.evaluate().figures[figure])
