"""The fixed point between the customer flow and the queues where customers give up.

Revision 2, *Capacity*: at a queue with ``patience`` (Erlang A) a contact gives up waiting
with P(abandon), which fails the attempt (cause ``waiting``) and so makes more contacts;
the queue's arrival rate λ depends on the flow, and the flow on P(abandon). 'The analysis
solves this fixed point (to 1e-9 in λ) and says how many iterations it took.'

Every edge's probability is affine in its source channel's P(abandon): every edge from a
queue's state scales by 1 − P, and its ``waiting`` failure edges gain P times the retry's
chance and move (or the chance to give up). So the chain is built once, with P = 0 and the
``waiting`` edges in place, and each iteration only rescales and solves again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from journeymap.errors import JourneymapError
from journeymap.markov import chain as chains
from journeymap.markov.chain import Chain, Floats, Ints, sum_by
from journeymap.markov.pattern import Pattern
from journeymap.markov.queues import Queue, erlang_a
from journeymap.model import Journey, Segment
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
    chains: tuple[Chain, ...] = ()
    """Each segment's chain at the fixed point (as ``chains.build_all(abandon=...)``)."""

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
    segments = model.segments_or_everyone(journey)
    built = chains.build_all(journey, structural=True, abandon=dict.fromkeys(names, 0.0))
    lines = [
        _Affine(journey, chain, segment, names)
        for chain, segment in zip(built, segments, strict=True)
    ]
    shares = np.array([s.share if s else 1.0 for s in segments], dtype=float)
    weights = shares / shares.sum()
    channel = np.array([index[cid] for cid in names])

    def flow_rates(rates: Floats) -> Floats:
        """The queues' arrival rates the flow gives with the P(abandon) ``rates`` give."""
        abandon = np.zeros(len(journey.channels))
        for cid, rate in zip(names, rates, strict=True):
            abandon[index[cid]] = _queue(journey, cid, rate=float(rate)).p_abandon
        contacts = np.zeros(len(journey.channels))
        for weight, line in zip(weights, lines, strict=True):
            visits = line.visits(abandon)
            contacts += weight * sum_by(
                line.chain.state_channel, visits * line.contact, len(journey.channels)
            )
        found: Floats = np.array(
            [_rate(journey, cid, float(contacts[index[cid]])) for cid in names]
        )
        return found

    rates = flow_rates(np.zeros(len(names)))
    slope = -np.eye(len(names))
    before: tuple[Floats, Floats] | None = None
    for iteration in range(1, MAX_ITERATIONS + 1):
        found = flow_rates(rates)
        gap = found - rates
        if np.max(np.abs(gap)) <= TOLERANCE:
            queues = {
                cid: _queue(journey, cid, rate=float(r))
                for cid, r in zip(names, found, strict=True)
            }
            final = np.zeros(len(journey.channels))
            final[channel] = [queues[cid].p_abandon for cid in names]
            return GiveUps(queues, iteration, tuple(line.at(final) for line in lines))
        if before is not None:
            slope = _broyden(slope, rates - before[0], gap - before[1])
        before = (rates, gap)
        rates = _step(rates, gap, found, slope)
    raise FixedPointError(
        f"the queues at {', '.join(names)} and the flow found no steady arrival rate in "
        f"{MAX_ITERATIONS} iterations"
    )


def _broyden(slope: Floats, moved: Floats, changed: Floats) -> Floats:
    """Broyden's update of the gap's Jacobian estimate after a step ``moved``."""
    size = float(moved @ moved)
    if size <= 0:
        return slope
    updated: Floats = slope + np.outer(changed - slope @ moved, moved) / size
    return updated


def _step(rates: Floats, gap: Floats, found: Floats, slope: Floats) -> Floats:
    """The next arrival rates: a quasi-Newton step on the gap ``found − rates`` = 0.

    The queues feed each other through the flow (give-ups at one send retries to the
    other), so the step uses the whole estimated Jacobian (Broyden), not one queue at a
    time. A step that is undefined or leaves a rate negative falls back to ``found``
    (plain iteration), which always moves towards the fixed point.
    """
    try:
        guess: Floats = rates - np.linalg.solve(slope, gap)
    except np.linalg.LinAlgError:
        return found
    if not np.all(np.isfinite(guess)) or (guess < 0).any():
        return found
    return guess


class _Affine:
    """One segment's chain with each edge's probability as ``p0 · (1 − P) + P · extra``."""

    def __init__(
        self, journey: Journey, chain: Chain, segment: Segment | None, names: list[str]
    ) -> None:
        self.chain = chain
        self.contact = ~chain.message_state
        self.entry = np.flatnonzero(chain.entry > 0)
        self.pattern: Pattern | None = None
        queued = np.zeros(len(journey.channels), dtype=bool)
        queued[[list(journey.channels).index(cid) for cid in names]] = True
        src_channel = chain.state_channel[chain.src]
        self.source = np.where(queued[src_channel], src_channel, -1)
        self.extra = np.zeros(chain.edges)
        waiting = chain.causes.index(chains.WAITING)
        moves = chains.retry_moves(journey, segment)
        widest = max(len(tp.channels) for tp in journey.touchpoints)
        move = np.zeros((len(moves), widest, widest))
        retry = np.zeros((len(moves), widest))
        for t, (matrix, chances) in enumerate(moves):
            move[t, : len(chances), : len(chances)] = matrix
            retry[t, : len(chances)] = chances
        local = _local_channels(journey, chain)
        ours = (chain.cause == waiting) & (self.source >= 0)
        tp, here = chain.state_touchpoint[chain.src], local[chain.src]
        again = np.flatnonzero(ours & (chain.kind == chains.RETRY))
        there = local[chain.dst[again]]
        self.extra[again] = retry[tp[again], here[again]] * move[tp[again], here[again], there]
        stop = np.flatnonzero(ours & (chain.kind == chains.GIVE_UP))
        self.extra[stop] = 1.0 - retry[tp[stop], here[stop]]

    def p(self, abandon: Floats) -> Floats:
        """Every edge's probability at P(abandon) ``abandon`` per global channel."""
        give_up = np.where(self.source >= 0, abandon[np.maximum(self.source, 0)], 0.0)
        p: Floats = self.chain.p * (1.0 - give_up) + give_up * self.extra
        return p

    def visits(self, abandon: Floats) -> Floats:
        """Expected visits per state at ``abandon``, on the chain's fixed sparsity pattern."""
        if self.pattern is None:
            self.pattern = Pattern(self.chain, self.p(abandon), self.entry)
        return self.pattern.solve(self.p(abandon), self.chain.entry).visits

    def at(self, abandon: Floats) -> Chain:
        """The chain at P(abandon) ``abandon`` per global channel, zero edges left out."""
        chain = self.chain
        p = self.p(abandon)
        keep = p > 0
        columns = ("src", "dst", "kind", "cause", "switch_from", "switch_to", "gap")
        return dataclasses.replace(
            chain, p=p[keep], **{name: getattr(chain, name)[keep] for name in columns}
        )


def _local_channels(journey: Journey, chain: Chain) -> Ints:
    """Each state's channel by its position among its touchpoint's channels."""
    starts = np.zeros(len(journey.touchpoints) + 1, dtype=np.int64)
    np.cumsum([6 * len(tp.channels) for tp in journey.touchpoints], out=starts[1:])
    local: Ints = (np.arange(chain.states) - starts[chain.state_touchpoint]) // 6
    return local


def _rate(journey: Journey, channel: str, contacts: float) -> float:
    """Contacts per open hour at ``channel``: weekly contacts over weekly open hours."""
    assert journey.volume is not None
    hours = open_hours_per_week(journey.channels[channel].opening)
    return float(journey.volume) * contacts / hours if hours > 0 else 0.0


def _queue(journey: Journey, channel: str, *, rate: float) -> Queue:
    """The Erlang A queue of ``channel`` with ``rate`` contacts per open hour."""
    ch = journey.channels[channel]
    assert ch.agents is not None
    assert ch.patience is not None
    return erlang_a(ch.agents, rate, 1.0 / float(ch.handling), float(ch.patience))
