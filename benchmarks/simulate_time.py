"""Simulation speed with time tracked: contacts per second with and without the clock.

The same generated journey (50 touchpoints, 6 channels, four of them closed part of the
week) is simulated twice: as generated (no time keys: contacts only), and with a response
and handling in every channel and a duration at every step, so each customer's elapsed
hours are tracked and every attempt at a closed channel draws its wait. The contacts
drawn are the same in both (the waits come from their own stream), so the ratio of the
two timings is the cost of the clock alone. Prints the best of five runs of each.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from journeymap.flow import Figures, simulate
from journeymap.model import Journey
from journeymap.synthetic import generate

TOUCHPOINTS, CHANNELS = 50, 6
CUSTOMERS = 1_000_000
RUNS = 5


def best(actions: dict[str, Callable[[], Any]]) -> dict[str, tuple[float, Any]]:
    """The shortest of ``RUNS`` timings in seconds of each action, and its result.

    The actions take turns, so a busy spell of the machine slows them alike.
    """
    out: dict[str, tuple[float, Any]] = {}
    for _ in range(RUNS):
        for name, action in actions.items():
            started = time.perf_counter()
            result = action()
            took = time.perf_counter() - started
            if name not in out or took < out[name][0]:
                out[name] = (took, result)
    return out


def with_time(journey: Journey) -> Journey:
    """``journey`` with a response and handling in each channel and a duration at each step."""
    channels = {
        cid: ch.model_copy(update={"response": 0.05 * (i + 1), "handling": 0.1})
        for i, (cid, ch) in enumerate(journey.channels.items())
    }
    steps = [tp.model_copy(update={"duration": 24.0}) for tp in journey.touchpoints]
    return journey.model_copy(update={"channels": channels, "touchpoints": steps})


def contacts(figures: Figures) -> float:
    """Contacts and messages made in the run."""
    assert figures.customers is not None
    return (figures.contacts_per_customer + (figures.messages_per_customer or 0)) * (
        figures.customers
    )


def main() -> int:
    plain = generate(TOUCHPOINTS, CHANNELS, seed=0)
    timed = with_time(plain)
    simulate(timed, 10_000, seed=1)  # warm up
    runs = best(
        {
            "without time": functools.partial(simulate, plain, CUSTOMERS, seed=1),
            "with time": functools.partial(simulate, timed, CUSTOMERS, seed=1),
        }
    )
    rates = {}
    for name, (seconds, figures) in runs.items():
        rates[name] = contacts(figures) / seconds
        print(
            f"simulate {CUSTOMERS:,} customers {name}: {seconds:.2f} s, "
            f"{rates[name] / 1e6:.1f} M contacts/s"
        )
        if figures.time is not None:
            print(
                f"  time per customer {figures.time.time_per_customer_hours:.1f} h, to complete "
                f"p50/p90/p95 {figures.time.time_to_complete_p50_hours:.1f}/"
                f"{figures.time.time_to_complete_p90_hours:.1f}/"
                f"{figures.time.time_to_complete_p95_hours:.1f} h"
            )
    print(f"time tracked costs {rates['without time'] / rates['with time']:.2f}× the time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
