"""Local sensitivity: which of the model's numbers move a headline figure, and how much.

Every slot's derivative comes from one adjoint solve per segment (``Engine.gradient``);
the change for ±10 percentage points is then solved exactly for the slots shown, since
a journey's figures are not straight lines in its probabilities.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from journeymap.markov.chain import Floats
from journeymap.markov.pattern import LoopError
from journeymap.model import Journey
from journeymap.uncertainty.engine import FIGURES, Engine
from journeymap.uncertainty.slots import Slot

STEP = 0.1
"""The change a designer asks about: ten percentage points."""
SHOWN = 20
"""Slots whose ±10 pp change is solved exactly, besides those asked for."""


@dataclass(frozen=True)
class Influence:
    """How one slot moves the chosen figure."""

    slot: Slot
    base: float
    """The figure at the point values."""
    derivative: float
    """Change in the figure per unit change of the value (per 100 percentage points)."""
    elasticity: float | None
    """Relative change in the figure per relative change in the value; ``None`` where the
    figure or the value is 0."""
    derivatives: Mapping[str, float]
    """The derivative of every headline figure."""
    lower: tuple[float, float] | None = None
    """The value 10 points lower (clamped to its bounds) and the figure there, exactly."""
    upper: tuple[float, float] | None = None
    """The value 10 points higher and the figure there."""

    @property
    def linear_effect(self) -> float:
        """The figure's change for 10 points, from the derivative alone."""
        return abs(self.derivative) * STEP

    @property
    def effect(self) -> float:
        """The largest change of the figure for ±10 points (exact where solved)."""
        if self.lower is None or self.upper is None:
            return self.linear_effect
        return max(abs(self.lower[1] - self.base), abs(self.upper[1] - self.base))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data, with the slot's address, value and where it comes from."""
        slot = self.slot
        return {
            "key": slot.key,
            "kind": slot.kind,
            "value": slot.value,
            "range": list(slot.range) if slot.range is not None else None,
            "in_file": slot.in_file,
            "inherits": slot.inherits,
            "touchpoint": slot.touchpoint,
            "channel": slot.channel,
            "segment": slot.segment,
            "status": slot.status,
            "derivative": self.derivative,
            "elasticity": self.elasticity,
            "minus_10pp": _point(self.lower),
            "plus_10pp": _point(self.upper),
            "derivatives": dict(self.derivatives),
        }


def _point(pair: tuple[float, float] | None) -> dict[str, float] | None:
    return None if pair is None else {"value": pair[0], "figure": pair[1]}


@dataclass(frozen=True)
class Sensitivity:
    """Every slot ranked by how much ±10 percentage points move ``figure``.

    A segment's ability or persistence the file leaves at 1 is not ranked (``assumed``).
    """

    journey: str
    figure: str
    base: Mapping[str, float]
    """Every headline figure at the point values."""
    influences: tuple[Influence, ...]
    """Largest effect first; slots that do not move the figure are left out."""
    has_messages: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def top(self, count: int | None) -> tuple[Influence, ...]:
        """The first ``count`` influences (all where ``None``)."""
        return self.influences if count is None else self.influences[:count]

    def as_dict(self, top: int | None = None) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "journey": self.journey,
            "figure": self.figure,
            "value": self.base[self.figure],
            "figures": dict(self.base),
            "step": STEP,
            "parameters": [influence.as_dict() for influence in self.top(top)],
        }


def figure_names(has_messages: bool) -> tuple[str, ...]:
    """The headline figures a journey has (messages only where it sends any)."""
    return FIGURES if has_messages else tuple(f for f in FIGURES if f != "messages_per_customer")


def sensitivity(
    journey: Journey,
    figure: str = "failure_demand_ratio",
    *,
    exact: int = SHOWN,
    engine: Engine | None = None,
) -> Sensitivity:
    """Every slot's effect on ``figure``, largest first.

    The first ``exact`` slots (by the derivative's estimate) get their ±10 points solved
    exactly and are ranked again by that. ``ValueError`` for an unknown figure.
    """
    if figure not in FIGURES:
        raise ValueError(f"no figure '{figure}' (known: {', '.join(FIGURES)})")
    engine = engine or Engine(journey)
    evaluation = engine.evaluate()
    gradient = engine.gradient(evaluation)
    base = evaluation.figures
    column = FIGURES.index(figure)
    names = figure_names(engine.has_messages)
    influences = []
    for i, slot in enumerate(engine.slots):
        derivative = float(gradient[i, column])
        if abs(derivative) * STEP < 1e-12 or not assumed(slot):
            continue
        value, level = slot.value, base[figure]
        elasticity = derivative * value / level if value != 0 and level != 0 else None
        by_figure = {name: float(gradient[i, FIGURES.index(name)]) for name in names}
        influence = Influence(slot, level, derivative, elasticity, by_figure)
        influences.append((i, influence))
    influences.sort(key=lambda item: (-item[1].linear_effect, item[1].slot.key))
    solved = [(i, _with_steps(engine, i, influence, figure)) for i, influence in influences[:exact]]
    ranked = sorted(solved, key=lambda item: (-item[1].effect, item[1].slot.key))
    ranked += influences[exact:]
    return Sensitivity(
        journey.id,
        figure,
        {name: base[name] for name in names},
        tuple(influence for _, influence in ranked),
        engine.has_messages,
    )


def _with_steps(engine: Engine, i: int, influence: Influence, figure: str) -> Influence:
    """``influence`` with the figure solved exactly 10 points either side of the value."""
    slot = influence.slot
    values = [max(0.0, slot.value - STEP), slot.value + STEP]
    if slot.upper is not None:
        values[1] = min(slot.upper, values[1])
    found = [(value, solve_at(engine, i, value, figure)) for value in values]
    return dataclasses.replace(influence, lower=found[0], upper=found[1])


def solve_at(engine: Engine, i: int, value: float, figure: str) -> float:
    """``figure`` with slot ``i`` set to ``value`` and every other slot as it is.

    A default carries its new value to the steps that inherit it. Where the value lets
    customers loop for ever, the figure is ``nan``.
    """
    theta: Floats = engine.theta.copy()
    theta[i] = value
    if engine.slots.items[i].is_default:
        engine.slots.sync(theta)
    try:
        return engine.evaluate(theta, inherit=False).figures[figure]
    except LoopError:
        return float(np.nan)


@dataclass(frozen=True)
class Bar:
    """One bar of a tornado chart: the figure at either end of an assumption's span."""

    slot: Slot
    low_value: float
    high_value: float
    low: float
    """The figure with the slot at ``low_value``."""
    high: float
    base: float

    @property
    def swing(self) -> float:
        """How far the figure moves across the span."""
        return abs(self.high - self.low)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "key": self.slot.key,
            "in_file": self.slot.in_file,
            "status": self.slot.status,
            "range": list(self.slot.range) if self.slot.range is not None else None,
            "low_value": self.low_value,
            "high_value": self.high_value,
            "figure_at_low": self.low,
            "figure_at_high": self.high,
        }


def tornado(
    journey: Journey,
    figure: str = "failure_demand_ratio",
    *,
    top: int = 10,
    engine: Engine | None = None,
) -> list[Bar]:
    """The ``top`` assumptions that move ``figure`` most, widest swing first.

    A range swings from its low end to its high end; any other value 10 percentage points
    either side (within its bounds), as the sensitivity table shows it.
    """
    engine = engine or Engine(journey)
    found = sensitivity(journey, figure, exact=max(SHOWN, top), engine=engine)
    bars: dict[str, Bar] = {}
    for influence in found.influences[: max(SHOWN, top)]:
        if influence.lower is not None and influence.upper is not None:
            slot = influence.slot
            bars[slot.key] = Bar(
                slot,
                influence.lower[0],
                influence.upper[0],
                influence.lower[1],
                influence.upper[1],
                influence.base,
            )
    base = found.base[figure]
    for i in engine.slots.ranged():
        slot = engine.slots.items[i]
        assert slot.range is not None
        low, high = slot.range
        bars[slot.key] = Bar(
            slot,
            low,
            high,
            solve_at(engine, i, low, figure),
            solve_at(engine, i, high, figure),
            base,
        )
    ranked = sorted(bars.values(), key=lambda bar: (-bar.swing, bar.slot.key))
    return [bar for bar in ranked if bar.swing > 1e-12 and assumed(bar.slot)][:top]


def assumed(slot: Slot) -> bool:
    """False for a segment's ability or persistence the file leaves at 1.

    Nobody assumed anything there, and every segment has one per channel.
    """
    return slot.in_file or slot.kind not in ("ability", "persistence")


def research_first(bars: list[Bar], count: int = 3) -> tuple[list[Slot], list[Slot]]:
    """What to research first, each at most ``count``, widest swing first.

    The values of ``assumed`` steps, and the values not in the file (defaults and what
    steps inherit from them) that decide the answer; a step's inherited value is left out
    where its default is named already.
    """
    assumed = [bar.slot for bar in bars if bar.slot.status == "assumed"]
    defaults = {bar.slot.key for bar in bars if bar.slot.is_default}
    unwritten = [
        bar.slot for bar in bars if not bar.slot.in_file and bar.slot.inherits not in defaults
    ]
    return assumed[:count], unwritten[:count]
