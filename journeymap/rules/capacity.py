"""Rules on queues and capacity: a queue without handling time, agents or patience to no end.

Revision 2, *Capacity*: 'With volume and a channel's agents (agents on duty whenever it is
open), that channel is a queue ... each takes handling ... With patience (mean time a
customer waits before giving up) ...'. Each key means something only beside the others;
these rules say which one is missing. (Whether the agents can serve the demand at all
needs the flow analysis, so it is not checked here.)
"""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.findings import Severity
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


def _agents(count: int) -> str:
    return "1 agent" if count == 1 else f"{count} agents"
