"""The fixed point between the customer flow and the queues where customers give up.

Revision 2, *Capacity*: at a queue with ``patience`` (Erlang A) a contact gives up waiting
with P(abandon), which fails the attempt (cause ``waiting``) and so makes more contacts;
the queue's arrival rate λ depends on the flow, and the flow on P(abandon). 'The analysis
solves this fixed point (to 1e-9 in λ) and says how many iterations it took.'

Every edge's probability is affine in its source channel's P(abandon) (success edges
scale by 1 − P; failure edges move weight to ``waiting``), so the chain is built twice,
at P = 0 and at P = 1, and each iteration only mixes the two and solves again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from journeymap.errors import JourneymapError
from journeymap.markov import chain as chains
from journeymap.markov import exact
from journeymap.markov.chain import Chain, Floats, sum_by
from journeymap.markov.queues import Queue, erlang_a
from journeymap.model import Journey
from journeymap.model import behaviour as model
from journeymap.model.hours import open_hours_per_week

TOLERANCE = 1e-9
"""Largest change in any queue's λ (contacts per open hour) between the last iterations."""
MAX_ITERATIONS = 500


class FixedPointError(JourneymapError):
    """The flow and the queues found no common λ within ``MAX_ITERATIONS``."""


@dataclass(frozen=True)
class GiveUps:
    """The fixed point: each patient queue, its P(abandon), and the iterations it took."""

    queues: Mapping[str, Queue]
    iterations: int

    @property
    def abandon(self) -> dict[str, float]:
        """P(abandon) per queue channel, for ``chains.build_all(abandon=...)``."""
        return {cid: queue.p_abandon for cid, queue in self.queues.items()}


def patient_queues(journey: Journey) -> list[str]:
    """The channels that are queues where customers may give up.

    Each has agents, handling and patience, in a journey with a volume.
    """
    if journey.volume is None:
        return []
    return [
        cid
        for cid, ch in journey.channels.items()
        if ch.agents is not None and ch.handling and ch.patience is not None
    ]


def give_ups(journey: Journey) -> GiveUps | None:
    """Solve the fixed point; ``None`` for a journey with no patient queue."""
    names = patient_queues(journey)
    if not names:
        return None
    index = {cid: i for i, cid in enumerate(journey.channels)}
    none = dict.fromkeys(names, 0.0)
    low = chains.build_all(journey, structural=True, abandon=none)
    high = chains.build_all(journey, structural=True, abandon=dict.fromkeys(names, 1.0))
    segments = model.segments_or_everyone(journey)
    shares = np.array([s.share if s else 1.0 for s in segments], dtype=float)
    weights = shares / shares.sum()
    rates = np.zeros(len(names))
    abandon = np.zeros(len(journey.channels))
    for iteration in range(1, MAX_ITERATIONS + 1):
        contacts = np.zeros(len(journey.channels))
        for weight, at_zero, at_one in zip(weights, low, high, strict=True):
            mixed = _mixed(at_zero, at_one, abandon)
            visits = exact.expected_visits(mixed)
            contacts += weight * sum_by(
                mixed.state_channel, visits * ~mixed.message_state, len(journey.channels)
            )
        queues = {cid: _queue(journey, cid, float(contacts[index[cid]])) for cid in names}
        found = np.array([queues[cid].arrival_rate for cid in names])
        if np.max(np.abs(found - rates)) <= TOLERANCE:
            return GiveUps(queues, iteration)
        rates = found
        for cid in names:
            abandon[index[cid]] = queues[cid].p_abandon
    raise FixedPointError(
        f"the queues at {', '.join(names)} and the flow found no steady arrival rate in "
        f"{MAX_ITERATIONS} iterations"
    )


def _mixed(at_zero: Chain, at_one: Chain, abandon: Floats) -> Chain:
    """The chain with each edge's probability at its source channel's P(abandon)."""
    weight = abandon[at_zero.state_channel[at_zero.src]]
    p = (1.0 - weight) * at_zero.p + weight * at_one.p
    keep = p > 0
    columns = ("src", "dst", "kind", "cause", "switch_from", "switch_to", "gap")
    return dataclasses.replace(
        at_zero, p=p[keep], **{name: getattr(at_zero, name)[keep] for name in columns}
    )


def _queue(journey: Journey, channel: str, contacts: float) -> Queue:
    """The Erlang A queue of ``channel`` with ``contacts`` per customer."""
    ch = journey.channels[channel]
    assert journey.volume is not None
    assert ch.agents is not None
    assert ch.patience is not None
    hours = open_hours_per_week(ch.opening)
    rate = float(journey.volume) * contacts / hours if hours > 0 else 0.0
    return erlang_a(ch.agents, rate, 1.0 / float(ch.handling), float(ch.patience))
