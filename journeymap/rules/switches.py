"""The channel-switch-gap check: switches that lose the customer's context, counted exactly.

The counts come from the customer-flow chain, the same the analysis solves, so a check's
"43 in 1,000 customers" is the analysis's gap figure, and a switch no customer makes in
numbers (or one onto a message) is never reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from journeymap.findings import Severity
from journeymap.markov import chain as chains
from journeymap.markov import exact
from journeymap.model import Journey, behaviour
from journeymap.rules.context import Context, Issue
from journeymap.rules.registry import RULES

RULE = "channel-switch-gap"
THRESHOLD = 10.0
"""Switches per 1,000 customers below which a pair of channels is not reported."""


@dataclass(frozen=True)
class Place:
    """Where a switch happens: on retry at a touchpoint (``successor`` None) or moving on."""

    touchpoint: str
    successor: int | None
    source: str
    target: str


def gap_counts(journey: Journey) -> dict[Place, float]:
    """Switches that lose context per customer, by place, blended over segments by share.

    Empty where customers can loop for ever (the no-exit check reports that), and where
    every segment's share is 0 (the segment-shares check reports that).
    """
    segments = behaviour.segments_or_everyone(journey)
    shares = [segment.share if segment else 1.0 for segment in segments]
    counts: dict[Place, float] = {}
    if sum(shares) <= 0:
        return counts
    try:
        built = [(chain, exact.transient(chain)) for chain in chains.build_all(journey)]
    except exact.NoExitError:
        return {}
    for share, (chain, part) in zip(shares, built, strict=True):
        flow = exact.flows(chain, exact.expected_visits(chain, part)) * (share / sum(shares))
        for place, count in _by_place(chain, flow).items():
            counts[place] = counts.get(place, 0.0) + count
    return counts


def _by_place(chain: chains.Chain, flow: chains.Floats) -> dict[Place, float]:
    """The flow along the chain's gap edges, summed by place (grouped with NumPy)."""
    edges = np.flatnonzero(chain.gap & (flow > 0))
    retry = chain.kind[edges] == chains.RETRY
    keys = np.stack(
        [
            chain.state_touchpoint[chain.src[edges]],
            np.where(retry, -1, chain.state_touchpoint[np.maximum(chain.dst[edges], 0)]),
            chain.switch_from[edges],
            chain.switch_to[edges],
        ],
        axis=1,
    )
    groups, which = np.unique(keys, axis=0, return_inverse=True)
    totals = np.bincount(which.ravel(), weights=flow[edges], minlength=len(groups))
    journey = chain.journey
    names = list(journey.channels)
    out: dict[Place, float] = {}
    for (t, after, source, target), total in zip(groups.tolist(), totals.tolist(), strict=True):
        tp = journey.touchpoints[t]
        successor = None
        if after >= 0:
            goes = journey.touchpoints[after].id
            successor = next(j for j, (to, _) in enumerate(tp.successors()) if to == goes)
        out[Place(tp.id, successor, names[source], names[target])] = total
    return out


@RULES.register(
    "JM202",
    RULE,
    Severity.WARNING,
    "Many customers switch channel and lose their context",
    options={"threshold": THRESHOLD},
)
def channel_switch_gap(ctx: Context) -> Iterator[Issue]:
    """A customer who switches channel, and whose context does not follow, tells their story again.

    Switches are counted exactly from the customer-flow model: retries in another channel
    after a failed attempt, a contact about a failed message, and moves on to the next
    step in another channel. Context follows when both channels name the same ``context``
    store, or a handoff between them says ``full``. Moving to or from a message is no
    switch. Each pair of channels is reported once, at the place where most of its
    switches happen, when at least ``threshold`` in 1,000 customers make them (default
    10; set it with ``rules: {channel-switch-gap: {threshold: 5}}``).

    Fails:
        ```yaml
        channels: {web: {}, phone: {}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, phone: escalation}}
        ```

    Passes:
        ```yaml
        channels: {web: {context: crm}, phone: {context: crm}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, phone: escalation}}
        ```
    """
    journey = ctx.journey
    threshold = ctx.option(RULE, "threshold") / 1000.0
    places: dict[frozenset[str], dict[Place, float]] = {}
    for place, count in gap_counts(journey).items():
        places.setdefault(frozenset((place.source, place.target)), {})[place] = count
    ranked = sorted(places.values(), key=lambda found: -sum(found.values()))
    for found in ranked:
        total = sum(found.values())
        if total < threshold or total <= 0:
            continue
        worst = max(found, key=lambda place: (found[place], place.successor is None))
        message = _message(journey, worst, found, total)
        if worst.successor is None:
            path = ctx.touchpoint_path(worst.touchpoint, "channels", worst.target)
            yield Issue(path, message, True)
        else:
            yield Issue(ctx.touchpoint_path(worst.touchpoint, "next", worst.successor), message)


def _message(journey: Journey, worst: Place, found: dict[Place, float], total: float) -> str:
    source, target = worst.source, worst.target
    flow = behaviour.context_flow(journey, source, target)
    why = (
        "the handoff passes only part of it"
        if flow == "partial"
        else "no shared context store, no full handoff"
    )
    ways = " (and back)" if {(p.source, p.target) for p in found} != {(source, target)} else ""
    others = len(found) - 1
    more = f", and at {others} other place{'s' if others > 1 else ''}" if others else ""
    fix = (
        f"Give {source} and {target} one context store, or add a handoff "
        f"{{from: {source}, to: {target}, context: full}}"
    )
    count = _per_thousand(total)
    if behaviour.is_outbound(journey, source):
        return (
            f"{count} in 1,000 customers turn to {target} about a failed {source} message and "
            f"{target} cannot see what it said ({why}); most at '{worst.touchpoint}'{more}. "
            f"{fix}"
        )
    where = (
        f"on retry at '{worst.touchpoint}'"
        if worst.successor is None
        else f"moving on from '{worst.touchpoint}' (next[{worst.successor}])"
    )
    return (
        f"{count} in 1,000 customers switch from {source} to {target}{ways} and lose their "
        f"context ({why}), and tell their story again; most {where}{more}. {fix}"
    )


def _per_thousand(share: float) -> str:
    value = share * 1000
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"
