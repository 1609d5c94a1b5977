"""An independent reference for Revision 2's *Time* and *Capacity* (Erlang C) figures.

Written from the contract (``journey-format.md``, Revision 2, "Time" and "Capacity") on top
of the reference chain of ``tests/reference_flow.py``, and from nothing in
``journeymap.flow``. Where the library sums forward over expected visits, this file works
backward: ``g = (I − Q)⁻¹ (a ∘ h + d ∘ (r + Σ succ · h))`` is the expected time to come,
counted only for customers who complete, from each state; ``E[T · 1{complete}] = start · g``.
Closed-hours waits are integrated minute by minute over the week, and Erlang C is the
textbook sum of factorials.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from journeymap.model import Journey
from journeymap.model.hours import parse_hours
from tests.reference_flow import build_chain, groups

WEEK_MINUTES = 7 * 24 * 60


def closed_wait_hours(journey: Journey, channel: str) -> float:
    """Mean wait until open of a moment drawn uniformly over the week, minute by minute.

    Within a closed minute the wait falls linearly from ``k`` to ``k − 1`` minutes, ``k``
    the minutes to the next opening: its mean is ``k − 0.5``.
    """
    return _closed_wait(journey.channels[channel].hours)


@functools.cache
def _closed_wait(hours: str) -> float:
    is_open = np.zeros(WEEK_MINUTES, dtype=bool)
    for start, end in parse_hours(hours).intervals:
        is_open[np.arange(start, end) % WEEK_MINUTES] = True
    if is_open.all():
        return 0.0
    two_weeks = np.concatenate([is_open, is_open])
    minutes = np.arange(2 * WEEK_MINUTES)
    opens = np.where(two_weeks, minutes, 2 * WEEK_MINUTES)
    next_open = np.minimum.accumulate(opens[::-1])[::-1][:WEEK_MINUTES]
    k = next_open - np.arange(WEEK_MINUTES)
    return float(np.where(is_open, 0.0, k - 0.5).sum()) / WEEK_MINUTES / 60.0


def erlang_c_wait(agents: int, arrivals: float, handling_hours: float) -> float:
    """M/M/n mean wait in hours: C(n, a) / (n μ − λ), C from the sum of factorials."""
    mu = 1.0 / handling_hours
    a = arrivals / mu
    top = a**agents / math.factorial(agents) * agents / (agents - a)
    bottom = sum(a**k / math.factorial(k) for k in range(agents)) + top
    return (top / bottom) / (agents * mu - arrivals)


def reference_time(journey: Journey) -> dict[str, Any]:
    """``time_per_customer_hours``, ``time_to_complete_hours`` and the queues' waits."""
    parts = [(w, group, build_chain(journey, group)) for w, group in groups(journey)]
    contacts = dict.fromkeys(journey.channels, 0.0)
    for w, _, chain in parts:
        v = chain.visits()
        for i, (_, channel, _, _) in enumerate(chain.states):
            if journey.channels[channel].kind != "outbound":
                contacts[channel] += w * v[i]
    waits = {}
    for cid, ch in journey.channels.items():
        if ch.agents is not None and journey.volume is not None and ch.handling:
            open_hours = 168.0 * (1.0 - closed_fraction(journey, cid))
            arrivals = float(journey.volume) * contacts[cid] / open_hours
            waits[cid] = erlang_c_wait(ch.agents, arrivals, float(ch.handling))
    total = completed = completion = 0.0
    for w, _, chain in parts:
        size = len(chain.states)
        matrix = np.eye(size) - chain.q
        attempt = np.array(
            [
                closed_wait_hours(journey, c)
                + waits.get(c, float(journey.channels[c].response))
                + float(journey.channels[c].handling)
                for _, c, _, _ in chain.states
            ]
        )
        duration = np.array([float(journey.touchpoint(t).duration) for t, _, _, _ in chain.states])
        v = chain.visits()
        h = np.linalg.solve(matrix, chain.completes)
        index = {state: i for i, state in enumerate(chain.states)}
        onward = np.array(
            [
                chain.resolve[i] * sum(p * h[index[target]] for target, p, _ in moves)
                for i, moves in enumerate(chain.success_moves)
            ]
        )
        g = np.linalg.solve(matrix, attempt * h + duration * (chain.completes + onward))
        total += w * float(v @ (attempt + duration * chain.resolve))
        completed += w * float(chain.start @ g)
        completion += w * float(chain.start @ h)
    return {
        "time_per_customer_hours": total,
        "time_to_complete_hours": completed / completion if completion > 0 else None,
        "waits": waits,
    }


def closed_fraction(journey: Journey, channel: str) -> float:
    """Share of the week's minutes the channel is closed."""
    is_open = np.zeros(WEEK_MINUTES, dtype=bool)
    for start, end in journey.channels[channel].opening.intervals:
        is_open[np.arange(start, end) % WEEK_MINUTES] = True
    return 1.0 - float(is_open.mean())
