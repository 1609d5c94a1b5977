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


def switch_targets(touchpoint: Touchpoint, current: str) -> dict[str, float]:
    """Where a retry that switches channel goes from ``current``: channel -> probability.

    'drawn from the other channels, escalation weighing 3; the same one where there is
    no other'.
    """
    others = {
        cid: SWITCH_ROLE_WEIGHTS[use.role]
        for cid, use in touchpoint.channels.items()
        if cid != current
    }
    return _normalised(others) if others else {current: 1.0}


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


def resolve_rate(journey: Journey, touchpoint: Touchpoint, channel: str) -> float:
    """Chance an attempt succeeds: the channel's resolve here, else ``defaults.resolve``."""
    given = touchpoint.channels[channel].resolve
    return journey.defaults.resolve if given is None else given


def retry_rate(journey: Journey, touchpoint: Touchpoint) -> float:
    """Chance a customer tries again after a failed attempt here."""
    return journey.defaults.retry if touchpoint.retry is None else touchpoint.retry


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
            for channel, share in mix(tp, segment).items():
                shares[channel] += share * weight / total
        out[tp.id] = shares
    return out


def retry_switches(journey: Journey, shares: dict[str, dict[str, float]]) -> Iterator[Switch]:
    """Switches on retry, from the channels customers arrive in.

    'in another channel with switch (drawn from the other channels, escalation weighing 3)'.
    """
    for tp in journey.touchpoints:
        rate = switch_rate(journey, tp)
        for source, share in shares[tp.id].items():
            if share <= 0:
                continue
            for target, chance in switch_targets(tp, source).items():
                if target != source:
                    yield Switch(
                        tp.id,
                        None,
                        source,
                        target,
                        rate * chance,
                        context_flow(journey, source, target),
                    )


def forward_switches(journey: Journey, shares: dict[str, dict[str, float]]) -> Iterator[Switch]:
    """Switches between touchpoints.

    'The customer keeps the channel with stickiness when the next touchpoint offers it,
    else draws from its mix (a draw that may land on the same channel again)'.
    """
    sticky = journey.defaults.stickiness
    for tp in journey.touchpoints:
        for j, (succ, p) in enumerate(tp.successors()):
            after = journey.touchpoint_map.get(succ)
            if after is None or not after.channels:
                continue
            chance = p if p is not None else 1 / len(tp.next)
            for source, share in shares[tp.id].items():
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

    Channel pairs come most likely first; this is what the channel-switch-gap check and
    the diagrams mark.
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
