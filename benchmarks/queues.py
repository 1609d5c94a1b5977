"""Queue maths speed: Erlang A for 500 agents, Erlang C for 5,000, staffing a large centre.

Prints the best of several runs (the machine's noise only ever adds time) for:
- Erlang A (the birth-death chain) with 500 agents near, at and above full load; the issue
  asks for under 10 ms;
- its service level (the offered-wait integral);
- Erlang C with 5,000 agents (the Erlang B recursion);
- the agents needed for "80% in 20 s" at a centre of 500 and of 5,000 Erlang, with and
  without patience.
Handling is 5 minutes (μ = 12 an hour), patience 3 minutes; every time is in hours.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from journeymap.markov.queues import agents_needed, erlang_a, erlang_c, service_level

SERVICE = 12.0
PATIENCE = 3.0 / 60.0
TARGET = 20.0 / 3600.0


def best(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The shortest of ``runs`` timings in milliseconds, and the action's result."""
    fastest, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest * 1000.0, result


def erlang_a_500() -> None:
    for rho in (0.95, 1.0, 1.2):
        arrival = rho * 500 * SERVICE
        took, queue = best(functools.partial(erlang_a, 500, arrival, SERVICE, PATIENCE), 200)
        level_took, level = best(functools.partial(service_level, queue, TARGET), 200)
        print(
            f"Erlang A, 500 agents, load {rho:.2f}·n: {took:.3f} ms "
            f"(P(abandon) {queue.p_abandon:.4f}, W {queue.wait_hours * 3600:.1f} s); "
            f"service level {level:.3f} in {level_took:.3f} ms"
        )
    took, queue = best(lambda: erlang_a(500, 0.95 * 500 * SERVICE, SERVICE, 1.0), 200)
    print(f"Erlang A, 500 agents, load 0.95·n, patience 1 h: {took:.3f} ms")


def erlang_c_5000() -> None:
    took, queue = best(lambda: erlang_c(5000, 4900 * SERVICE, SERVICE), 50)
    print(
        f"Erlang C, 5,000 agents, 4,900 Erlang: {took:.3f} ms "
        f"(C {queue.p_wait:.4f}, W {queue.wait_hours * 3600:.2f} s)"
    )


def staffing() -> None:
    for calls in (6_000.0, 60_000.0):
        for patience in (None, PATIENCE):
            took, needed = best(
                functools.partial(agents_needed, calls, SERVICE, 0.8, TARGET, patience), 5
            )
            model = "Erlang C" if patience is None else "Erlang A, patience 3 min"
            print(
                f"agents needed, {calls:,.0f} calls/h of 5 min, 80% in 20 s ({model}): "
                f"{needed} in {took:.2f} ms"
            )


if __name__ == "__main__":
    erlang_a_500()
    erlang_c_5000()
    staffing()
