"""Time and capacity: what the time figures and two Erlang A queues add to an analysis.

Prints the exact analysis of a 1,000-touchpoint × 6-channel journey without time keys and
with durations, handling, volume and two queues where customers give up (Erlang A), their
ratio (the issue asks for under 2×), and the fixed point's iterations.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from typing import Any

from journeymap.flow import analyze
from journeymap.model import Journey
from journeymap.model.capacity import Volume
from journeymap.model.hours import open_hours_per_week
from journeymap.synthetic import generate


def best_of(action: Callable[[], Any], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def timed(journey: Journey) -> Journey:
    """``journey`` with durations, handling, a volume, and two staffed queues with patience.

    Each queue gets agents for 97% of the load its contacts make, so that a few customers
    give up waiting and the fixed point has work to do.
    """
    channels = {
        cid: channel.model_copy(update={"handling": 0.1, "response": 0.05})
        for cid, channel in journey.channels.items()
    }
    steps = [tp.model_copy(update={"duration": 2.0}) for tp in journey.touchpoints]
    volume = Volume(20_000.0)
    plain = journey.model_copy(
        update={"channels": channels, "touchpoints": steps, "volume": volume}
    )
    contacts = analyze(plain, percentiles=False).channels
    assisted = [cid for cid, ch in journey.channels.items() if ch.kind == "assisted"][:2]
    for cid in assisted:
        hours = open_hours_per_week(channels[cid].opening)
        load = float(volume) * contacts[cid].contacts / hours * 0.1
        channels[cid] = channels[cid].model_copy(
            update={"agents": max(1, math.ceil(0.97 * load)), "patience": 0.05}
        )
    return plain.model_copy(update={"channels": channels})


def main() -> int:
    plain = generate(1000, 6, seed=0)
    with_time = timed(plain)
    base = best_of(lambda: analyze(plain))
    found = analyze(with_time)
    assert found.time is not None
    slow = best_of(lambda: analyze(with_time))
    print(f"exact analysis, 1,000 touchpoints x 6 channels: {base:.2f} s")
    queues = ", ".join(
        f"{cid}: {q.agents} agents, load {q.offered_load:.0f} Erlang, "
        f"{q.p_abandon:.1%} give up, {found.time.iterations[cid]} iterations"
        for cid, q in found.time.queues.items()
    )
    print(f"  with time and two Erlang A queues ({queues}): {slow:.2f} s = {slow / base:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
