"""Rules on queues and capacity: a queue without handling time, agents or patience to no end.

Revision 2, *Capacity*: 'With volume and a channel's agents (agents on duty whenever it is
open), that channel is a queue ... each takes handling ... With patience (mean time a
customer waits before giving up) ...'. Each key means something only beside the others;
these rules say which one is missing, and whether the agents can serve the demand at all
('With a ≥ n the queue never empties: an error finding that says how many agents the
demand needs at least').
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from journeymap.findings import Severity
from journeymap.markov import chain as chains
from journeymap.markov import exact
from journeymap.markov.chain import Floats
from journeymap.markov.queues import stable_agents
from journeymap.model import Journey, behaviour
from journeymap.model.hours import open_hours_per_week
from journeymap.rules.context import Context, Issue
from journeymap.rules.registry import RULES


@RULES.register(
    "JM601",
    "queue-without-handling",
    Severity.ERROR,
    "A channel with agents gives no handling time",
)
def queue_without_handling(ctx: Context) -> Iterator[Issue]:
    """A queue is worked out from how long each contact keeps an agent busy.

    A channel with ``agents`` is a queue: its contacts wait for one of the agents, each of
    whom serves one contact in ``handling`` on average. Without a handling time (or with
    0) the agents would serve any number of contacts at once, and the queue has no wait to
    work out. Give the mean time one contact takes an agent: talk time and wrap-up.

    Fails:
        ```yaml
        volume: 2000/week
        channels: {web: {}, phone: {agents: 12}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, phone: escalation}}
        ```

    Passes:
        ```yaml
        volume: 2000/week
        channels: {web: {}, phone: {agents: 12, handling: 7m}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, phone: escalation}}
        ```
    """
    for cid, channel in ctx.journey.channels.items():
        if channel.agents is not None and channel.handling <= 0:
            yield Issue(
                ("channels", cid, "agents"),
                f"{_agents(channel.agents)} but no handling time: a queue needs the mean "
                "time one contact keeps an agent busy, or the wait cannot be worked out; "
                "add it, e.g. handling: 6m",
            )


@RULES.register(
    "JM602",
    "agents-without-volume",
    Severity.WARNING,
    "A channel has agents but the journey gives no volume",
)
def agents_without_volume(ctx: Context) -> Iterator[Issue]:
    """Agents make a queue only with a number of customers to serve.

    How long customers wait for ``agents`` depends on how many contacts reach them a
    week, and that comes from the journey's ``volume`` (customers who start it) through
    the flow. Without a volume the agents mean nothing: there is no queue, no workload
    and no FTE to report. Give the volume, or leave the agents out.

    Fails:
        ```yaml
        channels: {web: {}, phone: {agents: 12, handling: 7m}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, phone: escalation}}
        ```

    Passes:
        ```yaml
        volume: 300/day
        channels: {web: {}, phone: {agents: 12, handling: 7m}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, phone: escalation}}
        ```
    """
    if ctx.journey.volume is not None:
        return
    for cid, channel in ctx.journey.channels.items():
        if channel.agents is not None:
            yield Issue(
                ("channels", cid, "agents"),
                f"{_agents(channel.agents)} {'means' if channel.agents == 1 else 'mean'} "
                "nothing without the journey's volume: with "
                "no number of customers there is no queue to staff; add e.g. "
                "'volume: 2000/week' at the top of the file, or remove agents",
            )


@RULES.register(
    "JM603",
    "patience-without-agents",
    Severity.WARNING,
    "A channel gives patience but no agents",
)
def patience_without_agents(ctx: Context) -> Iterator[Issue]:
    """Patience is how long customers wait in a queue, and only a channel with agents has one.

    A channel without ``agents`` is no queue: nobody waits in line there, so nobody gives
    up waiting, and its ``patience`` is ignored. Give the agents on duty, or leave the
    patience out (``response`` is the wait of a channel without a queue).

    Fails:
        ```yaml
        channels: {web: {}, phone: {handling: 7m, patience: 3m}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, phone: escalation}}
        ```

    Passes:
        ```yaml
        volume: 2000/week
        channels: {web: {}, phone: {agents: 12, handling: 7m, patience: 3m}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, phone: escalation}}
        ```
    """
    for cid, channel in ctx.journey.channels.items():
        if channel.patience is not None and channel.agents is None:
            yield Issue(
                ("channels", cid, "patience"),
                "patience applies only to a queue, and without agents nobody waits in line "
                "here, so it is ignored; add the agents on duty (e.g. agents: 10) or remove "
                "patience",
            )


@RULES.register(
    "JM604",
    "overloaded-queue",
    Severity.ERROR,
    "A queue's agents cannot serve the contacts the journey sends it",
)
def overloaded_queue(ctx: Context) -> Iterator[Issue]:
    """A queue without patience must have more agents than its offered load.

    The contacts a channel gets come from the flow: customers who start the journey
    (``volume``) times the channel's contacts per customer, spread over its open hours.
    Each keeps an agent busy for ``handling``, so the channel needs at least as many agents
    as contacts arriving per handling time (the offered load, in Erlang). With fewer, the
    queue never empties and no wait can be worked out. Add agents, open longer, cut the
    handling time or the failure demand that feeds the queue, or give a ``patience`` (then
    customers give up waiting, and the queue is stable at a cost).

    Fails:
        ```yaml
        volume: 5000/week
        channels: {phone: {hours: "mon-fri 08:00-16:00", handling: 10m, agents: 2}}
        touchpoints:
          - {id: ask, stage: wait, channels: {phone: primary}}
        ```

    Passes:
        ```yaml
        volume: 5000/week
        channels: {phone: {hours: "mon-fri 08:00-16:00", handling: 10m, agents: 25}}
        touchpoints:
          - {id: ask, stage: wait, channels: {phone: primary}}
        ```
    """
    journey = ctx.journey
    queues = [
        cid
        for cid, ch in journey.channels.items()
        if ch.agents is not None and ch.handling > 0 and ch.patience is None
    ]
    if journey.volume is None or not queues:
        return
    contacts = _contacts(journey)
    if contacts is None:
        return
    names = list(journey.channels)
    for cid in queues:
        channel = journey.channels[cid]
        assert channel.agents is not None
        hours = open_hours_per_week(channel.opening)
        if hours <= 0:
            continue
        load = float(journey.volume) * contacts[names.index(cid)] / hours * channel.handling
        if load >= channel.agents:
            yield Issue(
                ("channels", cid, "agents"),
                f"the queue never empties: {float(load):.1f} Erlang of contacts arrive "
                f"(contacts per customer × volume over {hours:g} open hours a week × "
                f"handling), and {_agents(channel.agents)} serve them; it needs at least "
                f"{stable_agents(load)} agents, or less failure demand, or a patience",
            )


def _contacts(journey: Journey) -> Floats | None:
    """Contacts per customer in each channel, segments blended.

    ``None`` where customers can loop for ever (the no-exit check says so).
    """
    segments = behaviour.segments_or_everyone(journey)
    shares = np.array([s.share if s else 1.0 for s in segments], dtype=float)
    if shares.sum() <= 0:
        return None
    out = np.zeros(len(journey.channels))
    try:
        built = chains.build_all(journey)
        for share, chain in zip(shares / shares.sum(), built, strict=True):
            visits = exact.expected_visits(chain)
            out += share * chains.sum_by(
                chain.state_channel, visits * ~chain.message_state, len(journey.channels)
            )
    except exact.NoExitError:
        return None
    return out


def _agents(count: int) -> str:
    return "1 agent" if count == 1 else f"{count} agents"
