"""Rules on channels: none offered, context lost on a switch, no guidance, no human, no hours."""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.findings import Severity
from journeymap.model import Journey, Touchpoint, behaviour
from journeymap.model.hours import open_days
from journeymap.rules.context import Context, Issue
from journeymap.rules.registry import RULES

HUMAN_KINDS = ("assisted", "physical")
CHOSEN_TIME_KINDS = ("self-service", "assisted", "automated")
"""Kinds of channel a customer reaches at a time of their own choosing."""


@RULES.register(
    "JM201", "no-channel", Severity.ERROR, "A touchpoint offers no channel to get through it"
)
def no_channel(ctx: Context) -> Iterator[Issue]:
    """Every step is a contact in some channel; a step with none stops every customer.

    Fails:
        ```yaml
        touchpoints:
          - {id: track, stage: wait}
        ```

    Passes:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}}
        ```
    """
    for tp in ctx.journey.touchpoints:
        if not tp.channels:
            yield Issue(
                ctx.touchpoint_path(tp.id, "id"),
                f"'{tp.id}' offers no channel, so no customer gets through it; add one, "
                "e.g. channels: {web: primary}",
            )


@RULES.register(
    "JM203",
    "channel-guidance",
    Severity.WARNING,
    "Several channels are offered and none is primary",
)
def channel_guidance(ctx: Context) -> Iterator[Issue]:
    """Too many channels with no guidance confuse customers and add failure demand.

    Where a step offers several channels as equal alternatives (``alternative``, the role
    a channel gets when it names none), mark the one that serves the need best as
    ``primary`` so the service can steer customers to it. Channels whose place is already
    set are no choice to guide: ``escalation`` (where a failed attempt goes),
    ``not-recommended``, and outbound channels (the service speaking, as an SMS beside the
    phone line that takes questions about a failed one).

    Fails:
        ```yaml
        channels: {web: {}, chat: {}, phone: {}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: alternative, chat: alternative,
                                                phone: alternative}}
        ```

    Passes:
        ```yaml
        channels: {web: {}, chat: {}, phone: {}, sms: {}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, chat: alternative,
                                                phone: escalation}, next: [{to: receive}]}
          - {id: receive, stage: receive, channels: {sms: alternative, phone: escalation}}
        ```
    """
    journey = ctx.journey
    for tp in journey.touchpoints:
        contacts = {
            cid: use for cid, use in tp.channels.items() if not behaviour.is_outbound(journey, cid)
        }
        equals = [cid for cid, use in contacts.items() if use.role == "alternative"]
        if len(equals) > 1 and all(use.role != "primary" for use in contacts.values()):
            yield Issue(
                ctx.touchpoint_path(tp.id, "channels"),
                _guidance_message(journey, tp, equals),
                at_key=True,
            )


def _guidance_message(journey: Journey, tp: Touchpoint, equals: list[str]) -> str:
    listed = f"{len(equals)} channels ({', '.join(equals)})"
    messages = behaviour.outbound_channels(journey, tp)
    if not messages:
        return (
            f"{listed} are equal alternatives and none is primary, so customers get no "
            "guidance on which suits this need; mark the best one primary"
        )
    return (
        f"{listed} take questions about a failed {' or '.join(messages)} message as equal "
        "alternatives and none is primary, so those customers get no guidance on where to "
        "turn; mark the best one primary"
    )


@RULES.register(
    "JM204",
    "automation-only",
    Severity.WARNING,
    "A complex step offers no person to escalate to",
)
def automation_only(ctx: Context) -> Iterator[Issue]:
    """Chatbots and self-service handle simple questions but fail complex ones.

    A ``complexity: high`` step needs an assisted (or in-person) channel the customer can
    escalate to.

    Fails:
        ```yaml
        channels: {web: {}, chatbot: {}}
        touchpoints:
          - {id: track, stage: wait, complexity: high,
             channels: {chatbot: primary, web: alternative}}
        ```

    Passes:
        ```yaml
        channels: {web: {}, chatbot: {}, phone: {}}
        touchpoints:
          - {id: track, stage: wait, complexity: high,
             channels: {chatbot: primary, web: alternative, phone: escalation}}
        ```
    """
    journey = ctx.journey
    for tp in journey.touchpoints:
        kinds = {cid: journey.channels[cid].kind for cid in tp.channels}
        if tp.complexity == "high" and tp.channels and not set(kinds.values()) & set(HUMAN_KINDS):
            offered = ", ".join(f"{cid} ({kind})" for cid, kind in kinds.items())
            yield Issue(
                ctx.touchpoint_path(tp.id, "complexity"),
                f"a high-complexity step served only by {offered}: a customer with a complex "
                "matter cannot reach a person; add an assisted channel as escalation, "
                "e.g. phone: escalation",
            )


@RULES.register(
    "JM205",
    "availability-gap",
    Severity.WARNING,
    "Every channel of a step has limited hours",
)
def availability_gap(ctx: Context) -> Iterator[Issue]:
    """Many channels raise the expectation of 24/7 service; a step where all close fails it.

    Only steps customers come to at a time of their own choosing are checked: where some
    of them arrive in a self-service, assisted or automated channel. A step they attend in
    person (they arrive only in ``physical`` channels: a booked visit, a walk-in in opening
    hours) is not, nor a message step (the service picks the moment, and its other channels
    serve only those whose message failed). Such a step fails when none of its channels
    (outbound ones aside) is open around the clock: customers who come at night or at the
    weekend have nowhere to go. The finding names the days on which none of the channels
    customers reach when they choose opens at all, where those are not just the weekend:
    a line closed on Sundays, or a chat open only on Tuesdays and Thursdays, leaves whole
    days with nowhere to turn.

    Fails:
        ```yaml
        channels: {phone: {hours: "mon-fri 09:00-16:00"}}
        touchpoints:
          - {id: track, stage: wait, channels: {phone: primary}}
        ```

    Passes:
        ```yaml
        channels: {phone: {hours: "mon-fri 09:00-16:00"}, web: {hours: "24/7"},
                   office: {hours: "mon-fri 09:00-16:00"}}
        touchpoints:
          - {id: track, stage: wait, channels: {phone: primary, web: alternative},
             next: [{to: receive}]}
          - {id: receive, stage: receive, channels: {office: primary, phone: escalation}}
        ```
    """
    journey = ctx.journey
    for tp in journey.touchpoints:
        if not _chosen_time(journey, tp):
            continue
        contacts = [c for c in tp.channels if not behaviour.is_outbound(journey, c)]
        if any(journey.channels[c].opening.always_open for c in contacts):
            continue
        remote = [c for c in contacts if journey.channels[c].kind in CHOSEN_TIME_KINDS]
        hours = "; ".join(f"{cid} {journey.channels[cid].hours}" for cid in remote)
        yield Issue(
            ctx.touchpoint_path(tp.id, "channels"),
            f"every channel customers reach here when they choose has limited hours ({hours}), "
            f"so customers who come {_when_closed(journey, remote)} find nothing open; add a "
            "24/7 channel or a way to leave a request",
            at_key=True,
        )


_WEEKEND = frozenset({5, 6})
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _when_closed(journey: Journey, channels: list[str]) -> str:
    """When customers find none of ``channels`` open: at night, and on which whole days.

    Only the weekend is "at night or at the weekend"; other days closed all day are named.
    """
    opened = frozenset().union(*(open_days(journey.channels[cid].opening) for cid in channels))
    closed = [day for day in range(7) if day not in opened]
    if not closed:
        return "at night"
    if set(closed) == _WEEKEND:
        return "at night or at the weekend"
    names = [_DAY_NAMES[day] for day in closed]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"at night or at any time on {listed}"


def _chosen_time(journey: Journey, tp: Touchpoint) -> bool:
    """True where some customers arrive in a channel they reach when they choose."""
    return any(
        share > 0 and journey.channels[cid].kind in CHOSEN_TIME_KINDS
        for segment in behaviour.segments_or_everyone(journey)
        for cid, share in behaviour.arrival_mix(journey, tp, segment).items()
    )


@RULES.register(
    "JM206", "self-handoff", Severity.WARNING, "A handoff goes from a channel to itself"
)
def self_handoff(ctx: Context) -> Iterator[Issue]:
    """A channel always keeps its own context, so a handoff to itself says nothing.

    Often a typo for a handoff to another channel.

    Fails:
        ```yaml
        channels: {web: {}, chat: {}}
        handoffs: [{from: chat, to: chat}]
        ```

    Passes:
        ```yaml
        channels: {web: {}, chat: {}}
        handoffs: [{from: chat, to: web}]
        ```
    """
    for i, handoff in enumerate(ctx.journey.handoffs):
        if handoff.from_ == handoff.to:
            yield Issue(
                ("handoffs", i),
                f"a handoff from '{handoff.to}' to itself does nothing, since a channel "
                "keeps its own context; did you mean another channel?",
            )
