"""The customer-flow model's choices, as the format document states them, in one place.

Checks and the flow analysis both ask how an arriving customer picks a channel, where a
retry switches to, and whether context flows between two channels; both take the answer
from here, so a check's "likely switch" is the analysis's switch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from journeymap.model.journey import Journey, Segment
from journeymap.model.touchpoint import Touchpoint
from journeymap.model.types import ContextFlow, Role

MIX_ROLE_WEIGHTS: dict[Role, float] = {
    "primary": 3.0,
    "alternative": 1.0,
    "not-recommended": 0.25,
    "escalation": 0.0,
}
"""'otherwise the roles weigh primary 3, alternative 1, not-recommended 0.25, escalation 0'."""

SWITCH_ROLE_WEIGHTS: dict[Role, float] = {
    "primary": 3.0,
    "alternative": 1.0,
    "not-recommended": 0.25,
    "escalation": 3.0,
}
"""'A switch on retry weighs the other channels by role alone: ... escalation 3'."""


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    """Weights scaled to sum 1; 'if all are zero, all channels there weigh the same'."""
    total = sum(weights.values())
    if total <= 0:
        return {key: 1.0 / len(weights) for key in weights} if weights else {}
    return {key: value / total for key, value in weights.items()}


def mix(touchpoint: Touchpoint, segment: Segment | None = None) -> dict[str, float]:
    """How an arriving customer picks a channel here: channel -> probability.

    'The mix uses the shares where any channel there gives one (a channel without one
    weighs 0); otherwise the roles weigh ... A segment's prefers then multiplies these
    weights; if all are zero, all channels there weigh the same.'
    """
    uses = touchpoint.channels
    if any(use.share is not None for use in uses.values()):
        weights = {cid: use.share or 0.0 for cid, use in uses.items()}
    else:
        weights = {cid: MIX_ROLE_WEIGHTS[use.role] for cid, use in uses.items()}
    if segment is not None:
        weights = {cid: w * segment.prefers.get(cid, 1.0) for cid, w in weights.items()}
    return _normalised(weights)


def is_outbound(journey: Journey, channel: str) -> bool:
    """True for a channel the service speaks in (``kind: outbound``): its attempts are messages."""
    return journey.channels[channel].kind == "outbound"


def outbound_channels(journey: Journey, touchpoint: Touchpoint) -> list[str]:
    """The outbound channels a touchpoint offers: non-empty makes it a message step."""
    return [cid for cid in touchpoint.channels if is_outbound(journey, cid)]


def arrival_mix(
    journey: Journey, touchpoint: Touchpoint, segment: Segment | None = None
) -> dict[str, float]:
    """How an arriving customer meets the step: channel -> probability, every channel listed.

    'A touchpoint that offers an outbound channel is a message step: an arriving customer
    gets a message first. The channel is drawn from the mix of the step's outbound
    channels alone.' Elsewhere the step's ``mix``.
    """
    messages = outbound_channels(journey, touchpoint)
    if not messages:
        return mix(touchpoint, segment)
    only = touchpoint.model_copy(
        update={"channels": {cid: touchpoint.channels[cid] for cid in messages}}
    )
    drawn = mix(only, segment)
    return {cid: drawn.get(cid, 0.0) for cid in touchpoint.channels}


def switch_targets(journey: Journey, touchpoint: Touchpoint, current: str) -> dict[str, float]:
    """Where a retry that switches channel goes from ``current``: channel -> probability.

    'drawn from the other channels, escalation weighing 3; the same one where there is
    no other'. 'A retry after a failed contact never goes to an outbound channel: the
    switch draws from the other channels that are not outbound (none: the same channel).'
    """
    others = _contact_weights(journey, touchpoint, besides=current)
    return _normalised(others) if others else {current: 1.0}


def message_retry_targets(journey: Journey, touchpoint: Touchpoint) -> dict[str, float]:
    """Where a customer turns about a failed message: channel -> probability (may be empty).

    'the channel is drawn from the touchpoint's channels that are not outbound, by switch
    weights (primary 3, alternative 1, not-recommended 0.25, escalation 3)'.
    """
    return _normalised(_contact_weights(journey, touchpoint))


def _contact_weights(
    journey: Journey, touchpoint: Touchpoint, *, besides: str | None = None
) -> dict[str, float]:
    """Switch weights of the step's channels customers contact, ``besides`` left out."""
    return {
        cid: SWITCH_ROLE_WEIGHTS[use.role]
        for cid, use in touchpoint.channels.items()
        if cid != besides and not is_outbound(journey, cid)
    }


def context_flow(journey: Journey, source: str, target: str) -> ContextFlow:
    """How much context goes along from channel ``source`` to ``target``.

    'Context flows from channel A to B when both name the same context store, or a
    handoff A to B says full; partial halves the penalty.' The same channel keeps it all.
    """
    if source == target:
        return "full"
    store = journey.channels[source].context
    if store is not None and store == journey.channels[target].context:
        return "full"
    for handoff in journey.handoffs:
        if handoff.from_ == source and handoff.to == target:
            return handoff.context
    return "none"


def resolve_rate(
    journey: Journey, touchpoint: Touchpoint, channel: str, segment: Segment | None = None
) -> float:
    """Chance an attempt succeeds, before any context loss.

    The channel's resolve here, else ``defaults.resolve``: 'A message's resolve defaults to
    1; defaults.resolve applies to the other kinds only.' A segment's ``ability``
    'multiplies resolve in those channels for this segment (capped at 1)'.
    """
    given = touchpoint.channels[channel].resolve
    if given is None:
        given = 1.0 if is_outbound(journey, channel) else journey.defaults.resolve
    if segment is None or channel not in segment.ability:
        return given
    return min(1.0, given * segment.ability[channel])


def retry_rate(journey: Journey, touchpoint: Touchpoint, segment: Segment | None = None) -> float:
    """Chance a customer tries again after a failed attempt here.

    A segment's ``persistence`` 'multiplies every retry chance for this segment (capped
    at 1)'.
    """
    given = journey.defaults.retry if touchpoint.retry is None else touchpoint.retry
    if segment is None or segment.persistence == 1.0:
        return given
    return min(1.0, given * segment.persistence)


def switch_rate(journey: Journey, touchpoint: Touchpoint) -> float:
    """Chance a retry here happens in another channel."""
    return journey.defaults.switch if touchpoint.switch is None else touchpoint.switch


def segments_or_everyone(journey: Journey) -> list[Segment | None]:
    """The journey's segments, or ``[None]`` (everyone alike) where it defines none."""
    return list(journey.segments) or [None]


@dataclass(frozen=True)
class Switch:
    """A move from one channel to another that customers make somewhere in the journey.

    ``successor`` is the index of the ``next`` step for a move between touchpoints, and
    ``None`` for a retry in another channel. ``likelihood`` is the share of the customers
    concerned who make it: of those who fail in ``source`` (retry), or of those who finish
    the touchpoint (forward).
    """

    touchpoint: str
    successor: int | None
    source: str
    target: str
    likelihood: float
    context: ContextFlow


def arrivals(journey: Journey) -> dict[str, dict[str, float]]:
    """Each channel's share of the customers arriving at each touchpoint, over all segments."""
    segments = segments_or_everyone(journey)
    weights = [segment.share if segment else 1.0 for segment in segments]
    total = sum(weights) or 1.0
    out: dict[str, dict[str, float]] = {}
    for tp in journey.touchpoints:
        shares = dict.fromkeys(tp.channels, 0.0)
        for segment, weight in zip(segments, weights, strict=True):
            for channel, share in arrival_mix(journey, tp, segment).items():
                shares[channel] += share * weight / total
        out[tp.id] = shares
    return out


def forward_switches(journey: Journey, shares: dict[str, dict[str, float]]) -> Iterator[Switch]:
    """Switches between touchpoints.

    'The customer keeps the channel with stickiness when the next touchpoint offers it,
    else draws from its mix (a draw that may land on the same channel again)'. 'Moving to
    or from a message is not a channel switch.' Successor chances are scaled to add up to
    1, as the analysis scales them (the midpoints of ranges need not add up).
    """
    sticky = journey.defaults.stickiness
    for tp in journey.touchpoints:
        total = sum(p for _, p in tp.successors() if p is not None)
        for j, (succ, p) in enumerate(tp.successors()):
            after = journey.touchpoint_map.get(succ)
            if after is None or not after.channels or outbound_channels(journey, after):
                continue
            chance = p / total if p is not None and total > 0 else 1 / len(tp.next)
            for source, share in shares[tp.id].items():
                if is_outbound(journey, source):
                    continue
                kept = sticky if source in after.channels else 0.0
                for target, draw in shares[succ].items():
                    if target != source:
                        yield Switch(
                            tp.id,
                            j,
                            source,
                            target,
                            chance * share * (1 - kept) * draw,
                            context_flow(journey, source, target),
                        )


LIKELY = 0.05
"""A switch is likely when at least this share of the customers concerned make it."""


def likely_gaps(journey: Journey) -> dict[tuple[str, int], list[tuple[str, str]]]:
    """Per ``next`` step (touchpoint id, index), the likely switches that lose context.

    Channel pairs come most likely first; this is what the diagrams mark.
    """
    found: dict[tuple[str, int], list[Switch]] = {}
    for switch in forward_switches(journey, arrivals(journey)):
        if switch.likelihood >= LIKELY and switch.context != "full":
            assert switch.successor is not None
            found.setdefault((switch.touchpoint, switch.successor), []).append(switch)
    out: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for key, switches in found.items():
        pairs = [(s.source, s.target) for s in sorted(switches, key=lambda s: -s.likelihood)]
        out[key] = list(dict.fromkeys(pairs))
    return out
