"""Sensitivity and uncertainty: their cost beside an exact analysis, and the variance
shares' error against SALib.

Prints:
- local sensitivity of every slot of a 100-touchpoint × 6-channel journey, in exact
  analyses' time (the issue asks for under 2);
- 1,000 uncertainty draws of the largest bundled example and of a 100-touchpoint journey
  with ranges, and the draws per second;
- the given-data first-order indices journeymap reports (from the same 1,000 draws)
  beside SALib's Saltelli estimate (N = 1024 base draws, N·(d + 2) solves) on the examples
  with ranges: the largest absolute difference per figure.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from journeymap.flow import analyze
from journeymap.loader import load
from journeymap.model import Journey
from journeymap.model.estimate import Estimate
from journeymap.synthetic import generate
from journeymap.uncertainty.draws import uncertainty
from journeymap.uncertainty.engine import Engine
from journeymap.uncertainty.sensitivity import figure_names, sensitivity

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def best_of(action: Callable[[], Any], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def with_ranges(journey: Journey, width: float = 0.1) -> Journey:
    """``journey`` with every channel use's resolve a range ``width`` wide around it."""
    steps = []
    for tp in journey.touchpoints:
        uses = {}
        for cid, use in tp.channels.items():
            if use.resolve is None:
                uses[cid] = use
                continue
            low = max(0.0, use.resolve - width / 2)
            high = min(1.0, low + width)
            uses[cid] = use.model_copy(update={"resolve": Estimate(low, high)})
        steps.append(tp.model_copy(update={"channels": uses}))
    return journey.model_copy(update={"touchpoints": steps})


def largest_example() -> Path:
    """The bundled example with the most touchpoints."""
    return max(EXAMPLES.glob("*.yaml"), key=lambda p: len(load(p).touchpoints))


def sensitivity_cost() -> None:
    journey = generate(100, 6, seed=1)
    analysis = best_of(lambda: analyze(journey))
    local = best_of(lambda: sensitivity(journey, exact=0))
    slots = len(Engine(journey).slots)
    print(
        f"sensitivity of all {slots} slots, 100 touchpoints x 6 channels: "
        f"{local * 1000:.0f} ms = {local / analysis:.2f} exact analyses ({analysis * 1000:.0f} ms)"
    )
    shown = best_of(lambda: sensitivity(journey), repeat=3)
    print(f"  with the top 20 solved exactly at +-10 pp: {shown * 1000:.0f} ms")


def draws_cost() -> None:
    for label, journey in (
        (largest_example().name, load(largest_example())),
        ("100 touchpoints x 6 channels", with_ranges(generate(100, 6, seed=1))),
    ):
        engine = Engine(journey)
        ranges = len(engine.slots.ranged())
        seconds = best_of(functools.partial(uncertainty, journey, draws=1000, engine=engine), 1)
        print(
            f"1,000 draws of {label} ({ranges} ranges): {seconds:.2f} s, "
            f"{1000 / seconds:,.0f} draws/s"
        )


def salib_agreement() -> None:
    try:
        from SALib.analyze import sobol as salib_sobol
        from SALib.sample import sobol as salib_sample
    except ImportError:
        print("SALib not installed: pip install -e '.[bench]'")
        return
    for path in sorted(EXAMPLES.glob("*.yaml")):
        journey = load(path)
        engine = Engine(journey)
        ranged = engine.slots.ranged()
        if not ranged:
            continue
        found = uncertainty(journey, draws=1000, seed=0, engine=engine)
        assert found is not None
        slots = [engine.slots.items[i] for i in ranged]
        problem = {
            "num_vars": len(slots),
            "names": [slot.key for slot in slots],
            "bounds": [list(slot.range or (0, 1)) for slot in slots],
        }
        sample = salib_sample.sample(problem, 1024, calc_second_order=False, seed=0)
        names = figure_names(engine.has_messages)
        outputs = np.empty((len(sample), len(names)))
        for row, values in enumerate(sample):
            theta = engine.theta.copy()
            theta[ranged] = values
            figures = engine.evaluate(theta).figures
            outputs[row] = [figures[name] for name in names]
        errors = []
        for j, name in enumerate(names):
            if np.ptp(outputs[:, j]) < 1e-12:
                continue
            result = salib_sobol.analyze(
                problem, outputs[:, j], calc_second_order=False, seed=0, print_to_console=False
            )
            ours = np.array([found.attribution[name][slot.key] for slot in slots])
            errors.append(
                (name, float(np.abs(ours - result["S1"]).max()), float(result["S1_conf"].max()))
            )
        worst = max(error for _, error, _ in errors)
        print(
            f"{path.name}: {len(slots)} ranges, first-order indices vs SALib "
            f"({len(sample):,} solves): largest difference {worst:.3f}; per figure "
            + ", ".join(
                f"{name} {error:.3f} (SALib's own 95% half-width {conf:.3f})"
                for name, error, conf in errors
            )
        )


def main() -> int:
    sensitivity_cost()
    draws_cost()
    salib_agreement()
    return 0


if __name__ == "__main__":
    sys.exit(main())
