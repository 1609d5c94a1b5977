"""The chain's edge probabilities as a function of the slots, and their derivatives.

The chain builder (``journeymap.markov.chain``) gives the edges once, zero-probability ones
kept; this module recomputes each edge's probability from the slot values by the format
document's rules, as a product of small factors:

- success ``S`` of the source state: ``min(1, resolve × ability) × context multiplier``;
- onto a next step: ``S × X × L``, ``X`` the successor's normalised ``p``, ``L`` the
  landing chance (stickiness, else the next step's arrival mix ``A``); at an end: ``S``;
- a retry: ``(1 − S) × C × R × M``, ``C`` the cause's share, ``R`` the retry chance
  (``min(1, retry × persistence)``), ``M`` the move (``(1 − switch) δ + switch × T``);
- giving up: ``(1 − S) × C × (1 − R)``; entry: ``A`` at the start.

``backward`` takes the derivative of figures by each edge probability (from the adjoint
solve) back through these factors to every slot: reverse-mode differentiation written
out, so all slots cost about one pass over the edges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from journeymap.markov.chain import (
    END,
    FIRST,
    GIVE_UP,
    NEXT,
    RETRY,
    WAITING,
    Chain,
    Flags,
    Floats,
    Ints,
    build_all,
)
from journeymap.model import Journey, Segment
from journeymap.model import behaviour as model
from journeymap.uncertainty.slots import Slots

NO_SLOT = -1


def _sum_by(index: Ints, weights: Floats, size: int) -> Floats:
    """Sums of ``weights`` (one column or several) for each value of ``index``."""
    if weights.ndim == 1:
        return np.bincount(index, weights=weights, minlength=size).astype(float)
    out = np.empty((size, weights.shape[1]))
    for j in range(weights.shape[1]):
        out[:, j] = np.bincount(index, weights=weights[:, j], minlength=size)
    return out


def _col(values: Floats, like: Floats) -> Floats:
    """``values`` shaped to multiply ``like`` row by row (one column or several)."""
    return values if like.ndim == 1 else values[:, None]


@dataclass(frozen=True)
class Uses:
    """Every channel use (a channel offered at a step), numbered step by step.

    Holds the per-step and per-use facts that do not depend on the slots.
    """

    tp: Ints
    channel: Ints
    """Global channel index of each use."""
    outbound: Flags
    resolve: Ints
    """Slot of the use's resolve (inherited values have slots of their own too)."""
    retries: Flags
    """False for a message step's outbound use with no channel to turn to: no retry."""
    share: Ints
    """Slot of the use's ``share``, ``NO_SLOT`` where it gives none."""
    considered: Flags
    """Uses an arriving customer may start in (a message step's outbound ones, else all)."""
    role_weight: Floats
    share_mode: Flags
    """Per step: True where any considered channel gives a ``share``."""
    retry: Ints
    switch: Ints
    """Per step: the slots of its retry and switch chances."""
    base: Ints
    """First use of each step, and the number of uses at the end."""


def _uses(journey: Journey, slots: Slots) -> Uses:
    """The uses of ``journey`` and the slots each reads."""
    index = {cid: i for i, cid in enumerate(journey.channels)}
    per_use: list[tuple[int, int, bool, int, bool, int, bool, float]] = []
    per_step: list[tuple[bool, int, int, int]] = []
    for t, tp in enumerate(journey.touchpoints):
        at = f"touchpoints.{tp.id}"
        messages = model.outbound_channels(journey, tp)
        considered = set(messages or tp.channels)
        targets = bool(model.message_retry_targets(journey, tp))
        per_step.append(
            (
                any(tp.channels[c].share is not None for c in considered),
                slots[f"{at}.retry"],
                slots[f"{at}.switch"],
                len(per_use),
            )
        )
        for cid, use in tp.channels.items():
            outbound = model.is_outbound(journey, cid)
            share = slots.get(f"{at}.channels.{cid}.share")
            per_use.append(
                (
                    t,
                    index[cid],
                    outbound,
                    slots[f"{at}.channels.{cid}.resolve"],
                    targets or not outbound,
                    NO_SLOT if share is None else share,
                    cid in considered,
                    model.MIX_ROLE_WEIGHTS[use.role],
                )
            )
    columns = list(zip(*per_use, strict=True))
    steps = list(zip(*per_step, strict=True))
    ints, flags = np.int64, bool
    return Uses(
        tp=np.array(columns[0], dtype=ints),
        channel=np.array(columns[1], dtype=ints),
        outbound=np.array(columns[2], dtype=flags),
        resolve=np.array(columns[3], dtype=ints),
        retries=np.array(columns[4], dtype=flags),
        share=np.array(columns[5], dtype=ints),
        considered=np.array(columns[6], dtype=flags),
        role_weight=np.array(columns[7], dtype=float),
        share_mode=np.array(steps[0], dtype=flags),
        retry=np.array(steps[1], dtype=ints),
        switch=np.array(steps[2], dtype=ints),
        base=np.array([*steps[3], len(per_use)], dtype=ints),
    )


@dataclass(frozen=True)
class SegmentEdges:
    """One segment's chain with every edge's factor indexes, ready for any slot values."""

    chain: Chain
    segment: Segment | None
    share: int
    """Slot of the segment's share, ``NO_SLOT`` without segments."""
    ability: Ints
    """Per global channel, the slot of this segment's ability there (``NO_SLOT``: 1)."""
    persistence: int
    use: Ints
    """Use of each state."""
    context: Ints
    entry: Ints
    """Entry states (start step, each channel, context carried, first attempt)."""
    edge_use: Ints
    edge_tp: Ints
    next_edges: Ints
    pair: Ints
    """Per next edge: its (step, successor step) pair."""
    landing_use: Ints
    sticky: Flags
    same: Flags
    """Per next edge: the customer keeps the channel (the landing's δ)."""
    retry_edges: Ints
    move_target: Floats
    """Per retry edge: the switch (or a failed message's turn) draw's chance of its channel."""
    move_same: Flags
    retry_message: Flags
    retry_cause: Floats
    give_up_edges: Ints
    give_up_cause: Floats
    end_edges: Ints
    keep: Floats
    """Per state: 1 − P(abandon) of its channel (1 but at a queue where customers give up)."""
    retry_wait: Floats
    give_up_wait: Floats
    """Per retry and give-up edge: P(abandon) of its channel where its cause is waiting."""


class EdgeModel:
    """A journey's edges and slots: probabilities from slot values, derivatives back."""

    def __init__(
        self,
        journey: Journey,
        slots: Slots | None = None,
        abandon: Mapping[str, float] | None = None,
    ) -> None:
        self.journey = journey
        self.abandon = dict(abandon or {})
        self.slots = slots or Slots(journey)
        self.uses = _uses(journey, self.slots)
        self._pairs: dict[tuple[int, int], int] = {}
        self.entries = self._next_entries()
        self.defaults = {
            name: self.slots[f"defaults.{name}"] for name in ("stickiness", "gap_penalty")
        }
        segments = model.segments_or_everyone(journey)
        chains = build_all(journey, structural=True, abandon=self.abandon or None)
        self.parts = [
            self._segment(chain, segment) for chain, segment in zip(chains, segments, strict=True)
        ]

    # -- structure -----------------------------------------------------------------------

    def _next_entries(self) -> tuple[Ints, Ints, Ints]:
        """Per successor entry of every step: its step, slot (``NO_SLOT``: 1) and pair."""
        position = {tp.id: i for i, tp in enumerate(self.journey.touchpoints)}
        tps, slot_of, pairs = [], [], []
        for t, tp in enumerate(self.journey.touchpoints):
            for target, _ in tp.successors():
                slot = self.slots.get(f"touchpoints.{tp.id}.next.{target}.p")
                tps.append(t)
                slot_of.append(NO_SLOT if slot is None else slot)
                key = (t, position[target]) if target in position else (t, -1)
                pairs.append(self._pairs.setdefault(key, len(self._pairs)))
        return (
            np.array(tps, dtype=np.int64),
            np.array(slot_of, dtype=np.int64),
            np.array(pairs, dtype=np.int64),
        )

    def _segment(self, chain: Chain, segment: Segment | None) -> SegmentEdges:
        uses, journey = self.uses, self.journey
        starts = np.zeros(len(journey.touchpoints) + 1, dtype=np.int64)
        np.cumsum([6 * len(tp.channels) for tp in journey.touchpoints], out=starts[1:])
        state_use = (
            uses.base[chain.state_touchpoint]
            + (np.arange(chain.states) - starts[chain.state_touchpoint]) // 6
        )
        at = f"segments.{segment.id}" if segment is not None else ""
        ability = np.array(
            [
                self.slots[f"{at}.ability.{cid}"] if segment is not None else NO_SLOT
                for cid in journey.channels
            ],
            dtype=np.int64,
        )
        start = journey.touchpoints.index(journey.touchpoint(journey.entry))
        entry = np.flatnonzero(
            (chain.state_touchpoint == start)
            & (chain.state_context == 0)
            & (chain.state_attempt == FIRST)
        )
        edge_use = state_use[chain.src]
        edge_tp = chain.state_touchpoint[chain.src]
        next_edges = np.flatnonzero(chain.kind == NEXT)
        to_use = state_use[chain.dst[next_edges]]
        to_tp = chain.state_touchpoint[chain.dst[next_edges]]
        pairs = np.full((len(journey.touchpoints), len(journey.touchpoints) + 1), -1)
        for (a, b), q in self._pairs.items():
            pairs[a, b] = q
        pair = pairs[edge_tp[next_edges], to_tp]
        from_channel = chain.state_channel[chain.src[next_edges]]
        to_channel = chain.state_channel[chain.dst[next_edges]]
        sticky = self._sticky(edge_tp[next_edges], to_tp, from_channel)
        retry_edges = np.flatnonzero(chain.kind == RETRY)
        give_up_edges = np.flatnonzero(chain.kind == GIVE_UP)
        move_target, causes = self._retry_constants(chain, retry_edges, give_up_edges)
        waits = np.array([self.abandon.get(cid, 0.0) for cid in journey.channels])
        return SegmentEdges(
            chain=chain,
            segment=segment,
            share=self.slots[f"{at}.share"] if segment is not None else NO_SLOT,
            ability=ability,
            persistence=self.slots[f"{at}.persistence"] if segment is not None else NO_SLOT,
            use=state_use,
            context=chain.state_context,
            entry=entry,
            edge_use=edge_use,
            edge_tp=edge_tp,
            next_edges=next_edges,
            pair=pair,
            landing_use=to_use,
            sticky=sticky,
            same=from_channel == to_channel,
            retry_edges=retry_edges,
            move_target=move_target,
            move_same=chain.state_channel[chain.src[retry_edges]]
            == chain.state_channel[chain.dst[retry_edges]],
            retry_message=uses.outbound[edge_use[retry_edges]],
            retry_cause=causes[: len(retry_edges)],
            give_up_edges=give_up_edges,
            give_up_cause=causes[len(retry_edges) :],
            end_edges=np.flatnonzero(chain.kind == END),
            keep=1.0 - waits[chain.state_channel],
            retry_wait=_waiting(chain, retry_edges, waits),
            give_up_wait=_waiting(chain, give_up_edges, waits),
        )

    def _sticky(self, from_tp: Ints, to_tp: Ints, from_channel: Ints) -> Flags:
        """Next edges where stickiness applies.

        A contact channel the next step offers, and no message on either side.
        """
        journey = self.journey
        names = list(journey.channels)
        fresh = np.array([bool(model.outbound_channels(journey, tp)) for tp in journey.touchpoints])
        outbound = np.array([model.is_outbound(journey, c) for c in names])
        offered = np.zeros((len(journey.touchpoints), len(names)), dtype=bool)
        for t, tp in enumerate(journey.touchpoints):
            offered[t, [names.index(c) for c in tp.channels]] = True
        flags: Flags = offered[to_tp, from_channel] & ~fresh[to_tp] & ~outbound[from_channel]
        return flags

    def _retry_constants(
        self, chain: Chain, retry_edges: Ints, give_up_edges: Ints
    ) -> tuple[Floats, Floats]:
        """Per retry edge its draw's chance of the channel; per failure edge its cause's share.

        Both are weights of roles and causes, never slots.
        """
        journey, names = self.journey, list(self.journey.channels)
        steps = len(journey.touchpoints)
        targets = np.zeros((steps, len(names), len(names)))
        causes = np.zeros((steps, len(chain.causes)))
        for t, tp in enumerate(journey.touchpoints):
            for cid in tp.channels:
                drawn = (
                    model.message_retry_targets(journey, tp)
                    if model.is_outbound(journey, cid)
                    else model.switch_targets(journey, tp, cid)
                )
                for target, chance in drawn.items():
                    targets[t, names.index(cid), names.index(target)] = chance
            total = sum(tp.failures.values())
            for name, weight in tp.failures.items():
                if total > 0 and weight > 0:
                    causes[t, chain.causes.index(name)] = weight / total
            if total <= 0:
                causes[t, chain.causes.index("other")] = 1.0
        tp_of, ch_of = chain.state_touchpoint, chain.state_channel
        src, dst = chain.src[retry_edges], chain.dst[retry_edges]
        move = targets[tp_of[src], ch_of[src], ch_of[dst]]
        failed = np.concatenate([retry_edges, give_up_edges])
        share = causes[tp_of[chain.src[failed]], chain.cause[failed]]
        return move, share

    # -- forward -------------------------------------------------------------------------

    def weights(self, theta: Floats) -> Floats:
        """Each segment's weight: shares scaled to add up to 1."""
        shares = np.array([theta[part.share] if part.share >= 0 else 1.0 for part in self.parts])
        weights: Floats = shares / shares.sum()
        return weights

    def successor_chances(self, theta: Floats) -> tuple[Floats, Floats, Floats]:
        """Per successor entry its normalised chance ``X``, per step the total, per pair ``X``."""
        tps, slot_of, pairs = self.entries
        raw = np.where(slot_of >= 0, theta[np.maximum(slot_of, 0)], 1.0)
        total = np.bincount(tps, weights=raw, minlength=len(self.journey.touchpoints))
        chance: Floats = raw / np.where(total[tps] > 0, total[tps], 1.0)
        by_pair = np.bincount(pairs, weights=chance, minlength=len(self._pairs)).astype(float)
        return chance, total.astype(float), by_pair

    def arrival(self, theta: Floats, part: SegmentEdges) -> tuple[Floats, Floats, Floats]:
        """Arrival mix ``A`` per use for this segment, with the weights and their totals."""
        uses = self.uses
        given = np.where(uses.share >= 0, theta[np.maximum(uses.share, 0)], 0.0)
        raw = np.where(uses.share_mode[uses.tp], given, uses.role_weight)
        prefers = self._prefers(part.segment)
        weight = raw * prefers * uses.considered
        total = np.bincount(uses.tp, weights=weight, minlength=len(uses.base) - 1)
        count = np.bincount(uses.tp, weights=uses.considered, minlength=len(uses.base) - 1)
        spread = np.where(total[uses.tp] > 0, weight / np.where(total > 0, total, 1.0)[uses.tp], 0)
        even = np.where(total[uses.tp] > 0, 0.0, uses.considered / np.maximum(count, 1)[uses.tp])
        arrival: Floats = (spread + even).astype(float)
        return arrival, prefers, total.astype(float)

    def _prefers(self, segment: Segment | None) -> Floats:
        names = list(self.journey.channels)
        if segment is None:
            return np.ones(len(self.uses.tp))
        factors = np.array([segment.prefers.get(c, 1.0) for c in names])
        prefers: Floats = factors[self.uses.channel]
        return prefers

    def probabilities(self, theta: Floats, part: SegmentEdges) -> tuple[Floats, Floats]:
        """Every edge's probability, and the entry chances, for slot values ``theta``."""
        f = self._factors(theta, part)
        chain = part.chain
        p = np.zeros(chain.edges)
        s_src = (f.success * part.keep)[chain.src]
        p[part.end_edges] = s_src[part.end_edges]
        n = part.next_edges
        p[n] = s_src[n] * f.pair_chance[part.pair] * f.landing
        r, g = part.retry_edges, part.give_up_edges
        failed_r, failed_g = _failed(f, part)
        p[r] = failed_r * f.retry[part.edge_use[r]] * f.move
        p[g] = failed_g * (1.0 - f.retry[part.edge_use[g]])
        alpha = np.zeros(chain.states)
        alpha[part.entry] = f.arrival[part.use[part.entry]]
        return p, alpha

    def _factors(self, theta: Floats, part: SegmentEdges) -> _Factors:
        uses = self.uses
        resolve = theta[uses.resolve]
        ability = _read(theta, part.ability)[uses.channel]
        reach = resolve * ability
        gap = theta[self.defaults["gap_penalty"]]
        multiplier = np.array([1.0, (1.0 + gap) / 2.0, gap])
        capped = np.minimum(reach, 1.0)
        success = capped[part.use] * multiplier[part.context]
        persistence = theta[part.persistence] if part.persistence >= 0 else 1.0
        tries = theta[uses.retry][uses.tp] * persistence
        retry = np.minimum(tries, 1.0) * uses.retries
        switch = theta[uses.switch]
        r = part.retry_edges
        switching = switch[part.edge_tp[r]]
        move = np.where(
            part.retry_message,
            part.move_target,
            (1.0 - switching) * part.move_same + switching * part.move_target,
        )
        chance, total, pair_chance = self.successor_chances(theta)
        arrival, prefers, weight_total = self.arrival(theta, part)
        sticky = theta[self.defaults["stickiness"]]
        drawn = arrival[part.landing_use]
        landing = np.where(part.sticky, (1.0 - sticky) * drawn + sticky * part.same, drawn)
        return _Factors(
            resolve, ability, reach, multiplier, success, persistence, tries, retry, switch,
            move, chance, total, pair_chance, arrival, prefers, weight_total, landing, sticky,
        )  # fmt: skip

    # -- backward ------------------------------------------------------------------------

    def backward(
        self, theta: Floats, part: SegmentEdges, d_edges: Floats, d_entry: Floats
    ) -> Floats:
        """Derivative of figures by every slot, for this segment.

        From the figures' derivatives by its edge probabilities (``d_edges``, edges ×
        figures) and entry chances (states × figures).
        """
        f = self._factors(theta, part)
        uses, chain = self.uses, part.chain
        grad = np.zeros((len(self.slots), d_edges.shape[1]))
        s_src = (f.success * part.keep)[chain.src]
        failed_r, failed_g = _failed(f, part)
        d_success = np.zeros((chain.states, d_edges.shape[1]))
        e, n, r, g = part.end_edges, part.next_edges, part.retry_edges, part.give_up_edges
        retry_r, retry_g = f.retry[part.edge_use[r]], f.retry[part.edge_use[g]]
        chance_n = f.pair_chance[part.pair]
        d_success += _sum_by(chain.src[e], d_edges[e], chain.states)
        d_success += _sum_by(
            chain.src[n], d_edges[n] * _col(chance_n * f.landing, d_edges), chain.states
        )
        d_success -= _sum_by(
            chain.src[r],
            d_edges[r] * _col(part.retry_cause * retry_r * f.move, d_edges),
            chain.states,
        )
        d_success -= _sum_by(
            chain.src[g],
            d_edges[g] * _col(part.give_up_cause * (1.0 - retry_g), d_edges),
            chain.states,
        )
        d_success *= _col(part.keep, d_success)  # the give-ups scale success and failure
        # success = min(1, resolve × ability) × multiplier[context]
        live = (f.reach <= 1.0).astype(float)
        d_capped = _sum_by(
            part.use, d_success * _col(f.multiplier[part.context], d_success), len(uses.tp)
        )
        d_reach = d_capped * _col(live, d_capped)
        _scatter(grad, uses.resolve, d_reach * _col(f.ability, d_reach))
        _scatter(grad, part.ability[uses.channel], d_reach * _col(f.resolve, d_reach))
        slope = np.array([0.0, 0.5, 1.0])[part.context]
        capped = np.minimum(f.reach, 1.0)[part.use]
        grad[self.defaults["gap_penalty"]] += (d_success * _col(capped * slope, d_success)).sum(
            axis=0
        )
        # retry chance R = min(1, retry × persistence), per use
        d_retry = _sum_by(
            part.edge_use[r],
            d_edges[r] * _col(failed_r * f.move, d_edges),
            len(uses.tp),
        )
        d_retry -= _sum_by(part.edge_use[g], d_edges[g] * _col(failed_g, d_edges), len(uses.tp))
        d_tries = d_retry * _col((uses.retries & (f.tries <= 1.0)).astype(float), d_retry)
        steps = len(self.journey.touchpoints)
        d_step_retry = _sum_by(uses.tp, d_tries, steps) * f.persistence
        _scatter(grad, uses.retry, d_step_retry)
        if part.persistence >= 0:
            grad[part.persistence] += (d_tries * _col(theta[uses.retry][uses.tp], d_tries)).sum(
                axis=0
            )
        # move M = (1 − switch) δ + switch T after a failed contact
        turn = np.where(part.retry_message, 0.0, part.move_target - part.move_same)
        d_switch = _sum_by(
            part.edge_tp[r],
            d_edges[r] * _col(failed_r * retry_r * turn, d_edges),
            steps,
        )
        _scatter(grad, uses.switch, d_switch)
        # next edges: S × X × L, L = (1 − st) A + st δ where sticky, else A
        d_pairs = _sum_by(
            part.pair, d_edges[n] * _col(s_src[n] * f.landing, d_edges), len(self._pairs)
        )
        k = d_edges[n] * _col(s_src[n] * chance_n, d_edges)
        drawn = f.arrival[part.landing_use]
        grad[self.defaults["stickiness"]] += (k * _col(part.sticky * (part.same - drawn), k)).sum(
            axis=0
        )
        d_arrival = _sum_by(
            part.landing_use, k * _col(np.where(part.sticky, 1.0 - f.sticky, 1.0), k), len(uses.tp)
        )
        d_arrival += _sum_by(part.use[part.entry], d_entry[part.entry], len(uses.tp))
        self._successor_backward(grad, f, d_pairs)
        self._arrival_backward(grad, f, d_arrival)
        return grad

    def _successor_backward(self, grad: Floats, f: _Factors, d_pairs: Floats) -> None:
        """``X_j = p_j / Σ p``: dX_j/dp_i = (δ_ij − X_j) / Σ p."""
        tps, slot_of, pairs = self.entries
        d_chance = d_pairs[pairs]
        steps = len(self.journey.touchpoints)
        mean = _sum_by(tps, d_chance * _col(f.chance, d_chance), steps)
        total = np.where(f.total > 0, f.total, 1.0)
        d_raw = (d_chance - mean[tps]) / _col(total[tps], d_chance)
        _scatter(grad, slot_of, d_raw)

    def _arrival_backward(self, grad: Floats, f: _Factors, d_arrival: Floats) -> None:
        """``A_c = w_c / Σ w`` with ``w_c = share_c × prefers_c`` at steps with shares."""
        uses = self.uses
        steps = len(uses.base) - 1
        mean = _sum_by(uses.tp, d_arrival * _col(f.arrival, d_arrival), steps)
        total = f.weight_total[uses.tp]
        active = uses.share_mode[uses.tp] & (total > 0) & uses.considered & (uses.share >= 0)
        scale = np.where(active, f.prefers / np.where(total > 0, total, 1.0), 0.0)
        _scatter(grad, uses.share, (d_arrival - mean[uses.tp]) * _col(scale, d_arrival))


@dataclass(frozen=True)
class _Factors:
    """The factors of one evaluation, shared by the forward and backward passes."""

    resolve: Floats
    ability: Floats
    reach: Floats
    multiplier: Floats
    success: Floats
    persistence: float
    tries: Floats
    retry: Floats
    switch: Floats
    move: Floats
    chance: Floats
    total: Floats
    pair_chance: Floats
    arrival: Floats
    prefers: Floats
    weight_total: Floats
    landing: Floats
    sticky: float


def _failed(f: _Factors, part: SegmentEdges) -> tuple[Floats, Floats]:
    """Per retry and give-up edge, the chance the attempt fails with the edge's cause.

    ``(1 − P)(1 − S) · C``, and at a queue where customers give up, ``P`` more for the cause
    ``waiting`` ('the waiting share of its failures is P(abandon) over all its failures').
    """
    src = part.chain.src
    other = part.keep * (1.0 - f.success)
    retry = other[src[part.retry_edges]] * part.retry_cause + part.retry_wait
    give_up = other[src[part.give_up_edges]] * part.give_up_cause + part.give_up_wait
    return retry, give_up


def _waiting(chain: Chain, edges: Ints, waits: Floats) -> Floats:
    """Per edge, P(abandon) of its source's channel where its cause is ``waiting``, else 0."""
    if WAITING not in chain.causes:
        return np.zeros(len(edges))
    cause = chain.causes.index(WAITING)
    found: Floats = np.where(
        chain.cause[edges] == cause, waits[chain.state_channel[chain.src[edges]]], 0.0
    )
    return found


def _read(theta: Floats, slots: Ints) -> Floats:
    """Slot values, 1 where there is no slot."""
    values: Floats = np.where(slots >= 0, theta[np.maximum(slots, 0)], 1.0)
    return values


def _scatter(grad: Floats, slots: Ints, values: Floats) -> None:
    """Add ``values`` to the rows of ``grad`` of ``slots``, skipping ``NO_SLOT``."""
    keep = slots >= 0
    np.add.at(grad, slots[keep], values[keep])
