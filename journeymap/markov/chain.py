"""The customer-flow model as a Markov chain: states, and the edges between them.

A state is a customer about to make a contact: at a touchpoint, in a channel, with the
context that came along (full, partial or none) and whether this is a first attempt or
a retry. Every edge is one outcome of that contact, kept fine-grained (its cause, the
channel switch it makes) so that every figure of the format document is a sum over
edge flows. Both the exact analysis and the simulation use exactly these edges.

Each probability below quotes the sentence of docs/journey-format.md it implements.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from journeymap.model import Journey, Segment, Touchpoint
from journeymap.model import behaviour as model

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]

COMPLETE = -1
"""Edge target: the journey ended, the customer's need met."""
ABANDON = -2
"""Edge target: the customer gave up (a breakpoint)."""

NEXT, END, RETRY, GIVE_UP = 0, 1, 2, 3
"""Edge kinds: success onto a next touchpoint, success at an end, failure and retry,
failure and abandon."""

CONTEXTS = ("full", "partial", "none")
FIRST, RETRIED = 0, 1
OTHER = "other"
"""'a cause is drawn from failures (none given: other)'."""
WAITING = "waiting"
"""'A contact that gives up waiting fails with cause waiting'."""


def context_multiplier(context: int, gap_penalty: float) -> float:
    """Resolve multiplier of the attempt right after a switch.

    'resolve is multiplied by gap_penalty on the attempt right after a switch that lost
    context'; 'partial halves the penalty (resolve is multiplied by (1 + gap_penalty) / 2)'.
    """
    return (1.0, (1.0 + gap_penalty) / 2.0, gap_penalty)[context]


@dataclass(frozen=True)
class Chain:
    """The chain of one segment: states (by touchpoint, channel, context, attempt) and edges.

    States of touchpoint ``t`` are numbered ``base[t] + (local_channel * 3 + context) * 2 +
    attempt``. Edge arrays are aligned: ``src``, ``dst`` (a state, ``COMPLETE`` or
    ``ABANDON``), ``p``, ``kind``, ``cause`` (-1 where none), ``switch_from`` and
    ``switch_to`` (global channel indexes, -1 where the channel does not change), ``gap``
    (a switch without full context flow).
    """

    journey: Journey
    segment: Segment | None
    causes: tuple[str, ...]
    state_touchpoint: Ints
    state_channel: Ints
    state_context: Ints
    state_attempt: Ints
    entry: Floats
    src: Ints
    dst: Ints
    p: Floats
    kind: Ints
    cause: Ints
    switch_from: Ints
    switch_to: Ints
    gap: Flags

    @property
    def states(self) -> int:
        """Number of states."""
        return len(self.state_touchpoint)

    @property
    def edges(self) -> int:
        """Number of edges."""
        return len(self.src)

    @cached_property
    def message_state(self) -> Flags:
        """States whose attempt is a message: 'An attempt on it [outbound] is a message'."""
        outbound = np.array([ch.kind == "outbound" for ch in self.journey.channels.values()])
        flags: Flags = outbound[self.state_channel]
        return flags

    @cached_property
    def has_messages(self) -> bool:
        """True where the journey has an outbound channel at any touchpoint."""
        return bool(self.message_state.any())

    @cached_property
    def failure_state(self) -> Flags:
        """States whose contact is failure demand.

        'Failure demand is every retry contact plus every contact at a demand: failure
        touchpoint.' A message 'is never failure demand'.
        """
        failure_tp = np.array([tp.demand == "failure" for tp in self.journey.touchpoints])
        flags: Flags = (self.state_attempt == RETRIED) | failure_tp[self.state_touchpoint]
        return flags & ~self.message_state

    @cached_property
    def state_cost(self) -> Floats:
        """Cost of one contact in each state: its channel's ``cost``."""
        costs = np.array([ch.cost for ch in self.journey.channels.values()], dtype=float)
        return costs[self.state_channel]


def sum_by(index: Ints, weights: Floats, size: int) -> Floats:
    """Sum of ``weights`` for each value of ``index`` (0 to ``size`` - 1)."""
    total: Floats = np.bincount(index, weights=weights, minlength=size).astype(np.float64)
    return total


def channel_index(journey: Journey) -> dict[str, int]:
    """Global index of each channel, in the order of the journey's ``channels``."""
    return {cid: i for i, cid in enumerate(journey.channels)}


def cause_names(journey: Journey, *, waiting: bool = False) -> tuple[str, ...]:
    """Every cause a journey can produce, in first-use order, ``other`` included.

    ``waiting`` adds the cause of giving up in a queue (last, where no step names it).
    """
    seen: dict[str, None] = {}
    for tp in journey.touchpoints:
        seen.update(dict.fromkeys(tp.failures))
        if tp.cause is not None:
            seen[tp.cause] = None
    seen[OTHER] = None
    if waiting:
        seen[WAITING] = None
    return tuple(seen)


def build(journey: Journey, segment: Segment | None = None) -> Chain:
    """Compile a journey (and a segment's preferences) into its chain."""
    return _Builder(journey).chain(segment)


def build_all(
    journey: Journey, *, structural: bool = False, abandon: Mapping[str, float] | None = None
) -> list[Chain]:
    """The chain of each segment (one for everyone where there are none).

    Segments differ in how customers pick channels ('prefers ... multiplies those
    channels' mix weights'), and in how well they manage (``ability``, ``persistence``);
    the failure edges of segments that manage alike are built once. ``structural`` keeps
    the edges whose probability is 0 (a successor with ``p: 0``, a resolve of 1), so that
    the uncertainty analysis can change their probabilities on the same edges.

    ``abandon`` gives, per queue channel with ``patience``, the chance a contact there gives
    up waiting (Erlang A): 'the attempt's resolve is multiplied by (1 − P(abandon)) after
    ability and gap_penalty, and the waiting share of its failures is P(abandon) over all
    its failures'. A channel named there has a ``waiting`` failure edge even at 0.
    """
    builder = _Builder(journey, structural=structural, abandon=abandon)
    return [builder.chain(segment) for segment in model.segments_or_everyone(journey)]


def retry_moves(journey: Journey, segment: Segment | None) -> list[tuple[Floats, Floats]]:
    """Per touchpoint, where a retry goes from each of its channels and each one's chance.

    The same ``(moves, retry)`` the builder uses, by the step's local channel order: the
    queue fixed point needs them for the edges of customers who gave up waiting.
    """
    builder = _Builder(journey)
    builder.segment = segment
    return [builder._retry_moves(tp) for tp in builder.tps]


def _manner(segment: Segment | None) -> tuple[object, ...]:
    """What of a segment changes its attempts' outcomes: ability and persistence."""
    if segment is None:
        return ()
    return (tuple(sorted(segment.ability.items())), segment.persistence)


class _Builder:
    """Builds the edges touchpoint by touchpoint, vectorised over its states."""

    def __init__(
        self,
        journey: Journey,
        *,
        structural: bool = False,
        abandon: Mapping[str, float] | None = None,
    ) -> None:
        self.journey = journey
        self.structural = structural
        self.abandon = dict(abandon or {})
        self.segment: Segment | None = None
        self.channels = channel_index(journey)
        self.outbound = np.array([ch.kind == "outbound" for ch in journey.channels.values()])
        self.causes = cause_names(journey, waiting=bool(self.abandon))
        self.cause_index = {name: i for i, name in enumerate(self.causes)}
        self.tps = list(journey.touchpoints)
        self.position = {tp.id: i for i, tp in enumerate(self.tps)}
        sizes = [6 * len(tp.channels) for tp in self.tps]
        self.base = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.pieces: list[tuple[Any, ...]] = []
        self._failures_by_manner: dict[tuple[object, ...], list[tuple[Any, ...]]] = {}
        self._attempts: dict[tuple[object, ...], tuple[Ints, Ints, Floats]] = {}

    def local(self, tp: Touchpoint) -> Ints:
        """Global channel index of each channel offered at ``tp``, in its order."""
        return np.array([self.channels[c] for c in tp.channels], dtype=np.int64)

    def attempts(self, t: int) -> tuple[Ints, Ints, Floats]:
        """The states of touchpoint ``t``, their channels and chances, for this segment."""
        key = (_manner(self.segment), t)
        if key not in self._attempts:
            self._attempts[key] = self._attempt(t)
        return self._attempts[key]

    def _attempt(self, t: int) -> tuple[Ints, Ints, Floats]:
        """The states of touchpoint ``t``, each state's local channel, and its chance to succeed.

        'An attempt is one contact. It succeeds with the channel's resolve there, times
        gap_penalty when it follows a switch that lost context.' The segment's ``ability``
        applies 'before gap_penalty'; 'A message never follows a context loss'.
        """
        journey, tp = self.journey, self.tps[t]
        multipliers = np.array(
            [context_multiplier(g, journey.defaults.gap_penalty) for g in range(3)]
        )
        n = len(tp.channels)
        channel_of = np.repeat(np.arange(n), 6)
        context_of = np.tile(np.repeat(np.arange(3), 2), n)
        resolve = np.array([model.resolve_rate(journey, tp, c, self.segment) for c in tp.channels])
        success = resolve[channel_of] * multipliers[context_of] if n else np.zeros(0)
        if self.abandon:
            stay = np.array([1.0 - self.abandon.get(c, 0.0) for c in tp.channels])
            success = success * stay[channel_of] if n else success
        return self.base[t] + np.arange(6 * n), channel_of, success

    def failure_pieces(self) -> list[tuple[Any, ...]]:
        """The failure edges of every touchpoint, for segments that manage as this one."""
        key = _manner(self.segment)
        if key not in self._failures_by_manner:
            self.pieces = []
            for t, tp in enumerate(self.tps):
                states, channel_of, success = self.attempts(t)
                if len(states):
                    self._failures(t, tp, states, channel_of, 1.0 - success)
            self._failures_by_manner[key] = self.pieces
        return self._failures_by_manner[key]

    def chain(self, segment: Segment | None) -> Chain:
        """Every state and edge of the chain for ``segment``."""
        self.segment = segment
        failures = self.failure_pieces()
        self.pieces = []
        for t, tp in enumerate(self.tps):
            states, channel_of, success = self.attempts(t)
            if len(states):
                self._successes(t, tp, states, channel_of, success)
        pieces = self.pieces + failures
        src, dst, p, kind, cause, s_from, s_to, gap = (_column(pieces, i) for i in range(8))
        keep = np.asarray(p, dtype=float) > 0
        if self.structural:
            keep = np.ones(len(keep), dtype=bool)
        return Chain(
            self.journey,
            segment,
            self.causes,
            *self._states,
            self._entry(),
            src[keep].astype(np.int64),
            dst[keep].astype(np.int64),
            p[keep].astype(np.float64),
            kind[keep].astype(np.int64),
            cause[keep].astype(np.int64),
            s_from[keep].astype(np.int64),
            s_to[keep].astype(np.int64),
            gap[keep].astype(bool),
        )

    @functools.cached_property
    def _states(self) -> tuple[Ints, Ints, Ints, Ints]:
        tps, chs, ctxs, atts = [], [], [], []
        for t, tp in enumerate(self.tps):
            n = len(tp.channels)
            grid = np.indices((n, 3, 2)).reshape(3, -1)
            tps.append(np.full(6 * n, t))
            chs.append(self.local(tp)[grid[0]] if n else np.zeros(0, dtype=np.int64))
            ctxs.append(grid[1])
            atts.append(grid[2])
        return tuple(np.concatenate(a).astype(np.int64) for a in (tps, chs, ctxs, atts))  # type: ignore[return-value]

    def _entry(self) -> Floats:
        """'Entry at start, channel drawn from its mix.' Context full, first attempt.

        At a message step the customer gets the message first (at start too).
        """
        entry = np.zeros(int(self.base[-1]))
        t = self.position[self.journey.entry]
        tp = self.tps[t]
        for c, share in enumerate(model.arrival_mix(self.journey, tp, self.segment).values()):
            entry[self.base[t] + (c * 3 + 0) * 2 + FIRST] = share
        return entry

    def _successes(
        self, t: int, tp: Touchpoint, states: Ints, channel_of: Ints, success: Floats
    ) -> None:
        """Edges of successful attempts.

        'Success: the next touchpoint is drawn from next; none = resolved.'
        """
        successors = _normalised_successors(tp, keep_zero=self.structural)
        if not successors:
            self._add(states, np.full(len(states), COMPLETE), success, END)
            return
        here = self.local(tp)
        for target, chance in successors:
            t2 = self.position[target]
            after = self.tps[t2]
            if not after.channels:
                continue
            there = self.local(after)
            landing, context, moves = self._landing(tp, after, here, there)  # each (n, n2)
            rows, cols = _grid(len(states), len(there))
            c_from = channel_of[rows]
            dst = self.base[t2] + (cols * 3 + context[c_from, cols]) * 2 + FIRST
            p = success[rows] * chance * landing[c_from, cols]
            to = np.where(moves[c_from, cols], there[cols], here[c_from])
            self._add(states[rows], dst, p, NEXT, here[c_from], to, context[c_from, cols])

    def _landing(
        self, tp: Touchpoint, after: Touchpoint, here: Ints, there: Ints
    ) -> tuple[Floats, Ints, Flags]:
        """Where customers land at the next touchpoint from each channel here.

        Returns the channel chances, the context that comes along, and which of these
        moves count as channel switches.

        'The customer keeps the channel with stickiness when the next touchpoint offers
        it, else draws from its mix (a draw that may land on the same channel again).'
        'Moving to or from a message is not a channel switch': after a message, and onto a
        message step, the customer arrives fresh (no stickiness, context carried).
        """
        draw = np.array(list(model.arrival_mix(self.journey, after, self.segment).values()))
        sticky = self.journey.defaults.stickiness
        fresh = bool(self.outbound[there].any())
        rows = []
        for cid, channel in zip(tp.channels, here, strict=True):
            if cid in after.channels and not fresh and not self.outbound[channel]:
                row = (1.0 - sticky) * draw
                row[list(after.channels).index(cid)] += sticky
            else:
                row = draw.copy()
            rows.append(row)
        context = self._context(here, there)
        moves = np.ones(context.shape, dtype=bool)
        if fresh:
            context, moves = np.zeros_like(context), ~moves
        elif self.outbound[here].any():
            message = self.outbound[here]
            context = np.where(message[:, None], 0, context)
            moves = np.repeat(~message[:, None], len(there), axis=1)
        return np.array(rows), context, moves

    def _context(self, here: Ints, there: Ints) -> Ints:
        """Context carried from each channel here to each channel there (0 full .. 2 none)."""
        return self.flow[np.ix_(here, there)]

    @functools.cached_property
    def flow(self) -> Ints:
        """Context flow between every pair of channels (0 full, 1 partial, 2 none).

        'Context flows from channel A to B when both name the same context store, or a
        handoff A to B says full'; the same channel keeps it.
        """
        names = list(self.channels)
        return np.array(
            [
                [CONTEXTS.index(model.context_flow(self.journey, a, b)) for b in names]
                for a in names
            ],
            dtype=np.int64,
        )

    def _failures(
        self, t: int, tp: Touchpoint, states: Ints, channel_of: Ints, failure: Floats
    ) -> None:
        """Edges of failed attempts: a retry, or giving up.

        'Failure: a cause is drawn from failures (none given: other). With retry the
        customer contacts again at the same touchpoint, in another channel with switch
        (drawn from the other channels, escalation weighing 3; the same one where there is
        no other), else the same one. Otherwise they abandon there: a breakpoint.' After a
        failed message the retry is a contact in a channel that is not outbound, and with
        none there the customer abandons. At a queue with ``patience`` the give-ups are
        failures of cause ``waiting``; the other causes share the rest by their weights.
        """
        here = self.local(tp)
        moves, retry = self._retry_moves(tp)  # shapes (n, n) and (n,)
        context = self._context(here, here)
        names, chances = zip(*_normalised_causes(tp), strict=True)
        waits = np.array([self.abandon.get(c, 0.0) for c in tp.channels])[channel_of]
        queued = any(c in self.abandon for c in tp.channels)
        if queued and WAITING not in names:
            names, chances = (*names, WAITING), (*chances, 0.0)
        causes = np.array([self.cause_index[name] for name in names])
        failed = np.outer(failure - waits, chances)  # states x causes
        if queued:
            failed[:, names.index(WAITING)] += waits
        n = len(here)
        cells, cols = _grid(failed.size, n)  # (state, cause) pairs x retry channels
        rows = cells // len(causes)
        c_from = channel_of[rows]
        dst = self.base[t] + (cols * 3 + context[c_from, cols]) * 2 + RETRIED
        p = failed.ravel()[cells] * retry[c_from] * moves[c_from, cols]
        self._add(
            states[rows],
            dst,
            p,
            RETRY,
            here[c_from],
            here[cols],
            context[c_from, cols],
            np.tile(causes, len(states))[cells],
        )
        staying = np.repeat(1.0 - retry[channel_of], len(causes))
        self._add(
            np.repeat(states, len(causes)),
            np.full(failed.size, ABANDON),
            failed.ravel() * staying,
            GIVE_UP,
            cause=np.tile(causes, len(states)),
        )

    def _retry_moves(self, tp: Touchpoint) -> tuple[Floats, Floats]:
        """Channel of the retry from each channel, and each channel's chance of a retry.

        After a failed contact: the same channel with 1 - switch, else a draw. After a
        failed message: 'the channel is drawn from the touchpoint's channels that are not
        outbound, by switch weights'; 'when the touchpoint has no channel that is not
        outbound, the customer abandons there'. ``persistence`` scales every retry chance.
        """
        journey = self.journey
        ids = list(tp.channels)
        rate = model.retry_rate(journey, tp, self.segment)
        switch = model.switch_rate(journey, tp)
        moves = np.zeros((len(ids), len(ids)))
        retry = np.full(len(ids), rate)
        for i, cid in enumerate(ids):
            if model.is_outbound(journey, cid):
                targets = model.message_retry_targets(journey, tp)
                retry[i] = rate if targets else 0.0
                for target, chance in targets.items():
                    moves[i, ids.index(target)] += chance
                continue
            moves[i, i] += 1.0 - switch
            for target, chance in model.switch_targets(journey, tp, cid).items():
                moves[i, ids.index(target)] += switch * chance
        return moves, retry

    def _add(
        self,
        src: Ints,
        dst: Ints,
        p: Floats,
        kind: int,
        switch_from: Ints | None = None,
        switch_to: Ints | None = None,
        context: Ints | None = None,
        cause: Ints | int = -1,
    ) -> None:
        size = len(src)
        s_from: Ints | int
        s_to: Ints | int
        gap: Flags | bool
        if switch_from is None or switch_to is None or context is None:
            s_from = s_to = -1
            gap = False
        else:
            moved = switch_from != switch_to
            s_from = np.where(moved, switch_from, -1)
            s_to = np.where(moved, switch_to, -1)
            gap = moved & (context > 0)
        self.pieces.append((src, dst, p, kind, cause, s_from, s_to, gap, size))


def _column(pieces: list[tuple[Any, ...]], i: int) -> npt.NDArray[np.generic]:
    """Column ``i`` of the edge pieces, scalars repeated to each piece's size."""
    if not pieces:
        return np.zeros(0)
    values = [piece[i] for piece in pieces]
    sizes = [piece[-1] for piece in pieces]
    if all(np.ndim(value) == 0 for value in values):
        return np.repeat(np.array(values), sizes)
    return np.concatenate(
        [
            value if np.ndim(value) else np.full(size, value)
            for value, size in zip(values, sizes, strict=True)
        ]
    )


@functools.lru_cache(maxsize=256)
def _grid(rows: int, cols: int) -> tuple[Ints, Ints]:
    """Row and column index of every cell of a ``rows`` by ``cols`` grid, row by row."""
    return np.repeat(np.arange(rows), cols), np.tile(np.arange(cols), rows)


def _normalised_successors(tp: Touchpoint, *, keep_zero: bool = False) -> list[tuple[str, float]]:
    """Successors with probabilities scaled to add up to exactly 1 (within the rule's 1e-6).

    ``keep_zero`` keeps the successors whose ``p`` is 0.
    """
    steps = [(target, p if p is not None else 0.0) for target, p in tp.successors()]
    total = sum(p for _, p in steps)
    if total <= 0:
        return []
    return [(target, p / total) for target, p in steps if p > 0 or keep_zero]


def _normalised_causes(tp: Touchpoint) -> list[tuple[str, float]]:
    """'a cause is drawn from failures (none given: other)'; weights scaled to add to 1."""
    total = sum(tp.failures.values())
    if total <= 0:
        return [(OTHER, 1.0)]
    return [(name, weight / total) for name, weight in tp.failures.items() if weight > 0]
