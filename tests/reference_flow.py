"""An independent reference implementation of the customer-flow model, revisions 1 and 2.

Written from the design contract (``journey-format.md``: "The customer-flow model",
"Revision 2 of the model": messages, segments' ability and persistence, percentages and
the settled readings) and from nothing in ``journeymap.flow``, so that a bug in the
library's chain shows up as a disagreement with this file. Ranges, time and capacity are
out of scope. Each rule quotes the sentence of the contract it implements.

The chain is spelled out plainly for a reviewer: a transient state is an attempt about to
be made, ``(touchpoint, channel, context, kind)``, where ``context`` is how much context
came along on the move into this attempt (``full``, ``partial`` or ``none``) and ``kind``
is ``first`` (an arrival: a visit) or ``retry`` (an attempt after a failure at the same
touchpoint). Means come from a dense solve of ``v (I - Q) = start`` (the expected number of
attempts in each state), the contact distribution from a level-by-level recursion.

Readings the contract leaves open, taken here (a disagreement there may be a reading):

- The mix of a message step's outbound channels is the usual mix computed over the outbound
  channels alone (shares where any outbound channel there gives one, else roles).
- ``failures`` whose weights are all zero name no cause: ``other``, as where none are given
  (revision 1's figures; the contract says 'all zero: the same' for mixes and switches only).
- With segments, the two ratios (``failure_demand_ratio``, ``first_contact_resolution``)
  are those of the blended counts, as revision 1 gave them (see ``reference_figures``; the
  other reading, a mean of the segments' own ratios, is there too: over the segments with
  visits there, shares renormalised).
- ``failure_demand_ratio`` of a segment without contacts is 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from journeymap.model import Journey, Touchpoint

Context = Literal["full", "partial", "none"]
Kind = Literal["first", "retry"]
State = tuple[str, str, Context, Kind]
"""(touchpoint, channel, context carried into this attempt, first attempt or retry)."""
Pair = tuple[str, str]
Move = tuple[State, float, Pair | None]
"""Target state, probability, and the channel pair if the move is a channel-switch gap."""
Vector = npt.NDArray[np.float64]

MIX_WEIGHTS = {"primary": 3.0, "alternative": 1.0, "not-recommended": 0.25, "escalation": 0.0}
"""'otherwise the roles weigh primary 3, alternative 1, not-recommended 0.25, escalation 0'."""
SWITCH_WEIGHTS = {"primary": 3.0, "alternative": 1.0, "not-recommended": 0.25, "escalation": 3.0}
"""'A switch on retry weighs the other channels by role alone: primary 3, alternative 1,
not-recommended 0.25, escalation 3 (all zero: the same)'."""


@dataclass(frozen=True)
class Group:
    """How one customer group behaves: a segment, or everyone where there are no segments."""

    prefers: dict[str, float] = field(default_factory=dict)
    ability: dict[str, float] = field(default_factory=dict)
    persistence: float = 1.0


def groups(journey: Journey) -> list[tuple[float, Group]]:
    """Segments with their normalised shares; one group of everyone where there are none.

    'With segments, each segment runs through the model with its preferences, and every
    figure is the share-weighted mean over segments' (shares normalised).
    """
    if not journey.segments:
        return [(1.0, Group())]
    total = sum(segment.share for segment in journey.segments)
    count = len(journey.segments)
    return [
        (
            segment.share / total if total > 0 else 1.0 / count,
            Group(dict(segment.prefers), dict(segment.ability), segment.persistence),
        )
        for segment in journey.segments
    ]


# --- the contract's choices, one function each ------------------------------------------


def normalised(weights: dict[str, float]) -> dict[str, float]:
    """Weights scaled to sum 1; 'if all are zero, all channels there weigh the same'."""
    total = sum(weights.values())
    if total <= 0:
        return {key: 1.0 / len(weights) for key in weights}
    return {key: value / total for key, value in weights.items()}


def is_outbound(journey: Journey, channel: str) -> bool:
    """'A channel of kind: outbound ... is the service speaking. An attempt on it is a message'.

    'the well-known ids sms, letter and push are outbound' (the loader fills in their kind).
    """
    return journey.channels[channel].kind == "outbound"


def outbound_channels(journey: Journey, tp: Touchpoint) -> list[str]:
    """The outbound channels offered at a touchpoint, in the order given."""
    return [cid for cid in tp.channels if is_outbound(journey, cid)]


def contact_channels(journey: Journey, tp: Touchpoint) -> list[str]:
    """The channels offered at a touchpoint that are not outbound."""
    return [cid for cid in tp.channels if not is_outbound(journey, cid)]


def is_message_step(journey: Journey, tp: Touchpoint) -> bool:
    """'A touchpoint that offers an outbound channel is a message step'."""
    return bool(outbound_channels(journey, tp))


def mix(tp: Touchpoint, candidates: list[str], group: Group) -> dict[str, float]:
    """How an arriving customer picks among ``candidates``: channel -> probability.

    'A touchpoint's mix uses the shares where any channel there gives one (shares are
    weights, normalised; a channel without one weighs 0); otherwise the roles weigh ...
    A segment's prefers then multiplies these weights; if all are zero, all channels there
    weigh the same.'
    """
    uses = {cid: tp.channels[cid] for cid in candidates}
    if any(use.share is not None for use in uses.values()):
        weights = {cid: use.share if use.share is not None else 0.0 for cid, use in uses.items()}
    else:
        weights = {cid: MIX_WEIGHTS[use.role] for cid, use in uses.items()}
    weights = {cid: w * group.prefers.get(cid, 1.0) for cid, w in weights.items()}
    return normalised(weights)


def arrival_mix(journey: Journey, tp: Touchpoint, group: Group) -> dict[str, float]:
    """The channel of a fresh arrival at ``tp``.

    Revision 2, rule 3: 'an arriving customer (at start too) gets a message first. The
    channel is drawn from the mix of the step's outbound channels alone ... At every other
    touchpoint the channel is drawn as before.'
    """
    outbound = outbound_channels(journey, tp)
    return mix(tp, outbound if outbound else list(tp.channels), group)


def switch_draw(tp: Touchpoint, candidates: list[str]) -> dict[str, float]:
    """Where a switch lands among ``candidates``, weighed 'by role alone' (not by prefers)."""
    return normalised({cid: SWITCH_WEIGHTS[tp.channels[cid].role] for cid in candidates})


def context_flow(journey: Journey, source: str, target: str) -> Context:
    """How much context goes along from channel ``source`` to ``target`` (they differ).

    'Context flows from channel A to B when both name the same context store, or a handoff
    A to B says full; partial halves the penalty.' Settled: 'A handoff that names no
    context is full.' (The model fills that default in.) Anything else loses it.
    """
    store = journey.channels[source].context
    if store is not None and store == journey.channels[target].context:
        return "full"
    for handoff in journey.handoffs:
        if handoff.from_ == source and handoff.to == target:
            return handoff.context
    return "none"


def context_factor(journey: Journey, context: Context) -> float:
    """What the context carried does to resolve.

    'It succeeds with the channel's resolve there, times gap_penalty when it follows a
    switch that lost context'; 'partial halves the penalty (resolve is multiplied by
    (1 + gap_penalty) / 2)'.
    """
    penalty = journey.defaults.gap_penalty
    return {"full": 1.0, "partial": (1.0 + penalty) / 2.0, "none": penalty}[context]


def resolve(journey: Journey, group: Group, state: State) -> float:
    """The chance the attempt in ``state`` succeeds.

    'A message's resolve defaults to 1 ...; defaults.resolve applies to the other kinds
    only.' 'ability applies to every attempt of the segment on that channel, outbound ones
    included ..., before gap_penalty'; 'the product is capped at 1'. 'A message never
    follows a context loss, so gap_penalty never applies to it.'
    """
    tid, channel, context, _ = state
    given = journey.touchpoint(tid).channels[channel].resolve
    outbound = is_outbound(journey, channel)
    default = 1.0 if outbound else journey.defaults.resolve
    base = default if given is None else given
    able = min(1.0, base * group.ability.get(channel, 1.0))
    assert not (outbound and context != "full"), f"a message after a context loss: {state}"
    return able * context_factor(journey, context)


def retry_chance(journey: Journey, group: Group, tp: Touchpoint) -> float:
    """'With retry the customer contacts again'; retry overrides defaults.retry at a step.

    'persistence: multiplies every retry chance for this segment (capped at 1)'.
    """
    retry = journey.defaults.retry if tp.retry is None else tp.retry
    return min(1.0, retry * group.persistence)


def switch_chance(journey: Journey, tp: Touchpoint) -> float:
    """'in another channel with switch'; switch overrides defaults.switch at a step."""
    return journey.defaults.switch if tp.switch is None else tp.switch


def causes_of_failure(tp: Touchpoint) -> dict[str, float]:
    """'Failure: a cause is drawn from failures (none given: other).' Weights normalised.

    Weights that are all zero give no cause either: other (revision 1's reading).
    """
    if sum(tp.failures.values()) <= 0:
        return {"other": 1.0}
    return normalised(dict(tp.failures))


def demand_cause(tp: Touchpoint) -> str:
    """'A demand: failure touchpoint without cause uses other.'"""
    return tp.cause if tp.cause is not None else "other"


def successors(tp: Touchpoint) -> list[tuple[str, float]]:
    """'Success: the next touchpoint is drawn from next; none = resolved.'"""
    out: list[tuple[str, float]] = []
    for target, p in tp.successors():
        if p is None:
            raise ValueError(f"touchpoint '{tp.id}': a next step without p among several")
        out.append((target, p))
    return out


# --- moves out of an attempt ------------------------------------------------------------


def arrive(journey: Journey, group: Group, tid: str, probability: float) -> list[Move]:
    """A fresh arrival at ``tid``, context carried, no switch and no gap.

    Used for the entry ('Entry at start, channel drawn from its mix'), after a successful
    message ('Success at a message moves to the next touchpoint as a fresh arrival: no
    stickiness, the channel drawn from the mix, context carried, no gap counted') and for a
    contact followed by a message ('no switch and no gap either').
    """
    tp = journey.touchpoint(tid)
    if not tp.channels:
        raise ValueError(f"touchpoint '{tid}' offers no channel")
    return [
        ((tid, cid, "full", "first"), probability * p, None)
        for cid, p in arrival_mix(journey, tp, group).items()
        if p > 0
    ]


def enter(
    journey: Journey, tid: str, source: str, target: str, kind: Kind, probability: float
) -> Move:
    """An attempt at ``tid`` in ``target`` by a customer coming from channel ``source``.

    The same channel is no switch (full context); another channel is a switch, and 'A
    switch without full context flow is a channel-switch gap' ('A partial handoff is still
    a channel-switch gap').
    """
    if source == target:
        return ((tid, target, "full", kind), probability, None)
    flow = context_flow(journey, source, target)
    return ((tid, target, flow, kind), probability, None if flow == "full" else (source, target))


def after_success(journey: Journey, group: Group, state: State) -> tuple[float, list[Move]]:
    """Where a successful attempt leads: (chance the journey is resolved, moves onward).

    'Success: the next touchpoint is drawn from next; none = resolved. The customer keeps
    the channel with stickiness when the next touchpoint offers it, else draws from its mix
    (a draw that may land on the same channel again); a change of channel between
    touchpoints is a switch too, and may be a gap.'
    """
    tid, channel, _, _ = state
    tp = journey.touchpoint(tid)
    steps = successors(tp)
    if not steps:
        return 1.0, []
    moves: list[Move] = []
    stickiness = journey.defaults.stickiness
    for target, p in steps:
        after = journey.touchpoint(target)
        if is_outbound(journey, channel) or is_message_step(journey, after):
            # Revision 2, rule 4: 'Moving to or from a message is not a channel switch.'
            moves.extend(arrive(journey, group, target, p))
            continue
        if not after.channels:
            raise ValueError(f"touchpoint '{target}' offers no channel")
        kept = stickiness if channel in after.channels else 0.0
        for cid, drawn in mix(after, list(after.channels), group).items():
            chance = (1.0 - kept) * drawn + (kept if cid == channel else 0.0)
            if chance > 0:
                moves.append(enter(journey, target, channel, cid, "first", p * chance))
    return 0.0, moves


def after_failure(journey: Journey, group: Group, state: State) -> tuple[float, list[Move]]:
    """Where a failed attempt leads: (chance of a retry, retry moves given a retry).

    The rest (1 - chance) abandons there: 'Otherwise they abandon there: a breakpoint'.
    """
    tid, channel, _, _ = state
    tp = journey.touchpoint(tid)
    retry = retry_chance(journey, group, tp)
    contacts = contact_channels(journey, tp)
    if is_outbound(journey, channel):
        # Revision 2, rule 5: 'With retry, the customer contacts the service about it at the
        # same touchpoint: the channel is drawn from the touchpoint's channels that are not
        # outbound, by switch weights ...; this contact is a retry ..., and context flows
        # from the outbound channel to that channel by the usual rules ... Without retry,
        # or when the touchpoint has no channel that is not outbound, the customer
        # abandons there.' Settled: 'A failed message's contact has no switch draw'.
        if not contacts:
            return 0.0, []
        return retry, [
            enter(journey, tid, channel, cid, "retry", p)
            for cid, p in switch_draw(tp, contacts).items()
            if p > 0
        ]
    # 'With retry the customer contacts again at the same touchpoint, in another channel
    # with switch (drawn from the other channels, escalation weighing 3; the same one where
    # there is no other), else the same one.' Revision 2, rule 6: 'A retry after a failed
    # contact never goes to an outbound channel: the switch draws from the other channels
    # that are not outbound (none: the same channel).'
    others = [cid for cid in contacts if cid != channel]
    if not others:
        return retry, [enter(journey, tid, channel, channel, "retry", 1.0)]
    switch = switch_chance(journey, tp)
    moves = [enter(journey, tid, channel, channel, "retry", 1.0 - switch)]
    moves += [
        enter(journey, tid, channel, cid, "retry", switch * p)
        for cid, p in switch_draw(tp, others).items()
    ]
    return retry, [move for move in moves if move[1] > 0]


# --- the absorbing chain ----------------------------------------------------------------


@dataclass
class Chain:
    """The absorbing chain of one group: reachable states, Q, and each state's outcomes."""

    states: list[State]
    start: Vector
    q: npt.NDArray[np.float64]
    resolve: Vector
    completes: Vector
    """Per state: chance the attempt succeeds at a touchpoint with no next (resolved)."""
    retry: Vector
    """Per state: chance a failure is followed by a retry."""
    success_moves: list[list[Move]]
    retry_moves: list[list[Move]]

    def visits(self) -> Vector:
        """Expected attempts in each state per customer: v = start (I - Q)^-1."""
        size = len(self.states)
        matrix = np.eye(size) - self.q
        try:
            v = np.linalg.solve(matrix.T, self.start)
        except np.linalg.LinAlgError as error:
            raise ValueError("a customer can loop for ever: I - Q is singular") from error
        if not np.all(np.isfinite(v)):
            raise ValueError("a customer can loop for ever")
        return np.asarray(v, dtype=np.float64)


def build_chain(journey: Journey, group: Group) -> Chain:
    """Every state reachable from the entry, with its moves, and the matrix Q."""
    entry = arrive(journey, group, journey.entry, 1.0)
    states: list[State] = []
    index: dict[State, int] = {}
    pending = [move[0] for move in entry]
    while pending:
        state = pending.pop()
        if state in index:
            continue
        index[state] = len(states)
        states.append(state)
        for move in (
            after_success(journey, group, state)[1] + after_failure(journey, group, state)[1]
        ):
            pending.append(move[0])
    size = len(states)
    start = np.zeros(size)
    for target, p, _ in entry:
        start[index[target]] += p
    q = np.zeros((size, size))
    resolves, completes, retries = np.zeros(size), np.zeros(size), np.zeros(size)
    success_moves: list[list[Move]] = []
    retry_moves: list[list[Move]] = []
    for i, state in enumerate(states):
        r = resolve(journey, group, state)
        done, onward = after_success(journey, group, state)
        retry, again = after_failure(journey, group, state)
        resolves[i], completes[i], retries[i] = r, r * done, retry
        for target, p, _ in onward:
            q[i, index[target]] += r * p
        for target, p, _ in again:
            q[i, index[target]] += (1.0 - r) * retry * p
        success_moves.append(onward)
        retry_moves.append(again)
    return Chain(states, start, q, resolves, completes, retries, success_moves, retry_moves)


# --- figures ------------------------------------------------------------------------------


def _add(table: dict[Any, float], key: Any, value: float) -> None:
    table[key] = table.get(key, 0.0) + value


def group_figures(journey: Journey, group: Group) -> dict[str, Any]:
    """Every figure for one group, a mean per customer, with the library's JSON keys."""
    chain = build_chain(journey, group)
    v = chain.visits()
    tps = {
        tp.id: dict.fromkeys(
            ("visits", "contacts", "messages", "failure_contacts", "abandoned", "_first_ok"), 0.0
        )
        for tp in journey.touchpoints
    }
    channels = {
        cid: dict.fromkeys(("contacts", "messages", "failure_contacts"), 0.0)
        for cid in journey.channels
    }
    gaps: dict[Pair, float] = {}
    breakpoints: dict[tuple[str, str, str], float] = {}
    causes: dict[str, float] = {}
    completion = 0.0
    for i, state in enumerate(chain.states):
        tid, channel, _, kind = state
        tp = journey.touchpoint(tid)
        attempts = float(v[i])
        r, retry = float(chain.resolve[i]), float(chain.retry[i])
        message = is_outbound(journey, channel)
        # 'A touchpoint's visits are arrivals there (first attempts)'; settled: 'A first
        # attempt that is a message counts in visits and in first_contact_resolution'.
        if kind == "first":
            tps[tid]["visits"] += attempts
            tps[tid]["_first_ok"] += attempts * r
        # 'An attempt on it is a message, not a contact' ... 'counted in messages, never in
        # contacts; it is never failure demand.'
        if message:
            tps[tid]["messages"] += attempts
            channels[channel]["messages"] += attempts
        else:
            tps[tid]["contacts"] += attempts
            channels[channel]["contacts"] += attempts
            # 'Failure demand is every retry contact plus every contact at a demand:
            # failure touchpoint.' 'a first contact at a demand: failure touchpoint [is
            # caused] by that touchpoint's cause.'
            if kind == "retry" or tp.demand == "failure":
                tps[tid]["failure_contacts"] += attempts
                channels[channel]["failure_contacts"] += attempts
            if kind == "first" and tp.demand == "failure":
                _add(causes, demand_cause(tp), attempts)
        completion += attempts * float(chain.completes[i])
        failed = attempts * (1.0 - r)
        for cause, share in causes_of_failure(tp).items():
            # 'a retry is caused by the failure before it'
            if failed * share * retry > 0:
                _add(causes, cause, failed * share * retry)
            # 'Otherwise they abandon there: a breakpoint, counted by touchpoint, channel
            # and cause.'
            if failed * share * (1.0 - retry) > 0:
                _add(breakpoints, (tid, channel, cause), failed * share * (1.0 - retry))
        tps[tid]["abandoned"] += failed * (1.0 - retry)
        for _, p, gap in chain.success_moves[i]:
            if gap is not None:
                _add(gaps, gap, attempts * r * p)
        for _, p, gap in chain.retry_moves[i]:
            if gap is not None:
                _add(gaps, gap, failed * retry * p)
    contacts = sum(t["contacts"] for t in tps.values())
    failure = sum(t["failure_contacts"] for t in tps.values())
    cost = {
        cid: (c["contacts"] + c["messages"]) * journey.channels[cid].cost
        for cid, c in channels.items()
    }
    return {
        "completion_rate": completion,
        "abandon_rate": sum(t["abandoned"] for t in tps.values()),
        "contacts_per_customer": contacts,
        "messages_per_customer": sum(t["messages"] for t in tps.values()),
        "failure_demand_ratio": failure / contacts if contacts > 0 else 0.0,
        # 'a channel's cost is its contacts times its cost'; 'cost_per_customer includes
        # messages' ('A message costs the channel's cost').
        "cost_per_customer": sum(cost.values()),
        "touchpoints": {
            tid: {
                "visits": t["visits"],
                "contacts": t["contacts"],
                "messages": t["messages"],
                "failure_contacts": t["failure_contacts"],
                "abandoned": t["abandoned"],
                "_first_ok": t["_first_ok"],
                # 'the share of visits whose first attempt succeeds'
                "first_contact_resolution": t["_first_ok"] / t["visits"]
                if t["visits"] > 0
                else None,
            }
            for tid, t in tps.items()
        },
        "channels": {cid: {**c, "cost": cost[cid]} for cid, c in channels.items()},
        "gaps": gaps,
        "breakpoints": breakpoints,
        "causes": causes,
    }


def _blend(parts: list[tuple[float, Any]]) -> Any:
    """The share-weighted mean of the same figure from every group."""
    first = parts[0][1]
    if isinstance(first, dict):
        keys = list(dict.fromkeys(key for _, part in parts for key in part))
        return {key: _blend([(w, part.get(key, 0.0)) for w, part in parts]) for key in keys}
    defined = [(w, value) for w, value in parts if value is not None]
    total = sum(w for w, _ in defined)
    if not defined or total <= 0:
        return None
    return sum(w * float(value) for w, value in defined) / total


def reference_figures(
    journey: Journey, *, ratios: Literal["of-blend", "mean-of-segments"] = "of-blend"
) -> dict[str, Any]:
    """The exact figures per customer, with the library's JSON keys.

    With segments, 'every figure is the share-weighted mean over segments'. The two ratios
    read that two ways: ``of-blend`` (default; revision 1's figures, which revision 2 keeps:
    'a journey with no outbound channel and none of the new keys gives exactly the figures
    it gave before') applies their definitions, 'failure contacts over all contacts' and
    'the share of visits whose first attempt succeeds', to the blended counts;
    ``mean-of-segments`` takes the share-weighted mean of each segment's own ratio.
    ``gaps`` and ``breakpoints`` are lists of dicts as in the library's JSON, largest count
    first.
    """
    parts = [(w, group_figures(journey, group)) for w, group in groups(journey)]
    blended: dict[str, Any] = _blend(parts)
    if ratios == "of-blend":
        contacts = blended["contacts_per_customer"]
        failure = sum(t["failure_contacts"] for t in blended["touchpoints"].values())
        blended["failure_demand_ratio"] = failure / contacts if contacts > 0 else 0.0
        for figures in blended["touchpoints"].values():
            visits = figures["visits"]
            figures["first_contact_resolution"] = (
                figures["_first_ok"] / visits if visits > 0 else None
            )
    for figures in blended["touchpoints"].values():
        del figures["_first_ok"]
    gaps: dict[Pair, float] = blended["gaps"]
    breakpoints: dict[tuple[str, str, str], float] = blended["breakpoints"]
    blended["gaps"] = [
        {"from": a, "to": b, "count": count}
        for (a, b), count in sorted(gaps.items(), key=lambda item: -item[1])
    ]
    blended["breakpoints"] = [
        {"touchpoint": t, "channel": c, "cause": cause, "count": count}
        for (t, c, cause), count in sorted(breakpoints.items(), key=lambda item: -item[1])
    ]
    return blended


# --- the distribution of contacts -----------------------------------------------------


def _counted(journey: Journey, chain: Chain, what: Literal["contacts", "messages"]) -> Vector:
    """Per state: 1 where its attempt counts as ``what``, else 0."""
    return np.array(
        [
            float(is_outbound(journey, channel) == (what == "messages"))
            for _, channel, _, _ in chain.states
        ]
    )


def _distribution_levels(journey: Journey) -> Iterable[float]:
    """P(contacts = 0), P(contacts = 1), ... per customer, blended over groups, for ever.

    With p_n(s) the chance that a customer about to attempt in state s makes n more
    contacts, a the chance of leaving the chain straight after the attempt (resolved or
    abandoned), C the contact states and M the message states (counting 0):
    p_n[C] = [n = 1] a[C] + Q[C, :] p_(n-1) and p_n[M] = [n = 0] a[M] + Q[M, :] p_n, so
    p_n[M] = (I - Q[M, M])^-1 ([n = 0] a[M] + Q[M, C] p_n[C]).
    """
    setups = []
    for weight, group in groups(journey):
        chain = build_chain(journey, group)
        contact = _counted(journey, chain, "contacts").astype(bool)
        message = ~contact
        leave = 1.0 - chain.q.sum(axis=1)
        inner = np.eye(int(message.sum())) - chain.q[np.ix_(message, message)]
        setups.append((weight, chain, contact, message, leave, inner))
    previous: list[Vector] = [np.zeros(len(s[1].states)) for s in setups]
    level = 0
    while True:
        total = 0.0
        for k, (weight, chain, contact, message, leave, inner) in enumerate(setups):
            p = np.zeros(len(chain.states))
            p[contact] = (level == 1) * leave[contact] + chain.q[contact] @ previous[k]
            if message.any():
                rhs = (level == 0) * leave[message] + chain.q[np.ix_(message, contact)] @ p[contact]
                p[message] = np.linalg.solve(inner, rhs)
            previous[k] = p
            total += weight * float(chain.start @ p)
        yield total
        level += 1


def contact_distribution(journey: Journey, n_max: int) -> list[float]:
    """The exact P(number of contacts = n) per customer for n = 0 .. n_max (messages are
    not contacts), blended over segments by share."""
    out: list[float] = []
    for probability in _distribution_levels(journey):
        out.append(probability)
        if len(out) > n_max:
            return out
    raise AssertionError("unreachable")


def contact_percentiles(
    journey: Journey, levels: Iterable[float] = (0.5, 0.9, 0.95), limit: int = 100_000
) -> dict[float, tuple[int, float]]:
    """Nearest-rank percentiles of contacts: level -> (the smallest n with P(N <= n) >=
    level, that cumulative probability at n - 1 and n as the margin min(|cdf - level|))."""
    wanted = sorted(levels)
    found: dict[float, tuple[int, float]] = {}
    cdf_before, cdf = 0.0, 0.0
    for n, probability in enumerate(_distribution_levels(journey)):
        cdf_before, cdf = cdf, cdf + probability
        for level in wanted:
            if level not in found and cdf >= level:
                found[level] = (n, min(abs(cdf - level), abs(cdf_before - level)))
        if len(found) == len(wanted) or n >= limit:
            break
    return found


def count_moments(
    journey: Journey, what: Literal["contacts", "messages"] = "contacts"
) -> tuple[float, float]:
    """The exact mean and variance of contacts (or messages) per customer.

    With c the count of a state's attempt and R_s the total from state s on:
    E[R] = m = (I - Q)^-1 c and E[R^2] = (I - Q)^-1 (c^2 + 2 c (Q m)), since
    R_s = c_s + R_next. Over groups the mixture: E[N^2] - E[N]^2 of the blend.
    """
    mean, square = 0.0, 0.0
    for weight, group in groups(journey):
        chain = build_chain(journey, group)
        c = _counted(journey, chain, what)
        matrix = np.eye(len(chain.states)) - chain.q
        m = np.linalg.solve(matrix, c)
        m2 = np.linalg.solve(matrix, c * c + 2.0 * c * (chain.q @ m))
        mean += weight * float(chain.start @ m)
        square += weight * float(chain.start @ m2)
    return mean, max(0.0, square - mean * mean)


def contacts_variance(journey: Journey) -> float:
    """The exact variance of the number of contacts per customer."""
    return count_moments(journey, "contacts")[1]


def messages_variance(journey: Journey) -> float:
    """The exact variance of the number of messages per customer."""
    return count_moments(journey, "messages")[1]


def standard_error(variance: float, customers: int) -> float:
    """The standard error of a mean over ``customers`` independent customers."""
    return math.sqrt(variance / customers)
