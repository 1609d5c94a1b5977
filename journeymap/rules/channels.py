"""Rules on channels: none offered, context lost on a switch, no guidance, no human, no hours."""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.findings import Severity
from journeymap.rules.context import Context, Issue
from journeymap.rules.registry import RULES

HUMAN_KINDS = ("assisted", "physical")


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

    Where a step offers several channels, mark the one that serves the need best as
    ``primary`` so the service can steer customers to it.

    Fails:
        ```yaml
        channels: {web: {}, chat: {}, phone: {}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: alternative, chat: alternative,
                                                phone: alternative}}
        ```

    Passes:
        ```yaml
        channels: {web: {}, chat: {}, phone: {}}
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary, chat: alternative,
                                                phone: escalation}}
        ```
    """
    for tp in ctx.journey.touchpoints:
        if len(tp.channels) > 1 and all(use.role != "primary" for use in tp.channels.values()):
            yield Issue(
                ctx.touchpoint_path(tp.id, "channels"),
                f"{len(tp.channels)} channels ({', '.join(tp.channels)}) and none is primary, "
                "so customers get no guidance on which suits this need; mark the best one "
                "primary",
                at_key=True,
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

    Channels the customer contacts (every kind but ``outbound``) are considered; a step
    where none is open around the clock leaves customers who come at night or at the
    weekend with nowhere to go.

    Fails:
        ```yaml
        channels: {phone: {hours: "mon-fri 09:00-16:00"}}
        touchpoints:
          - {id: track, stage: wait, channels: {phone: primary}}
        ```

    Passes:
        ```yaml
        channels: {phone: {hours: "mon-fri 09:00-16:00"}, web: {hours: "24/7"}}
        touchpoints:
          - {id: track, stage: wait, channels: {phone: primary, web: alternative}}
        ```
    """
    journey = ctx.journey
    for tp in journey.touchpoints:
        inbound = {
            c: journey.channels[c] for c in tp.channels if journey.channels[c].kind != "outbound"
        }
        if not inbound or any(ch.opening.always_open for ch in inbound.values()):
            continue
        hours = "; ".join(f"{cid} {ch.hours}" for cid, ch in inbound.items())
        yield Issue(
            ctx.touchpoint_path(tp.id, "channels"),
            f"every channel here has limited hours ({hours}), so customers who come at night "
            "or at the weekend find nothing open; add a 24/7 channel or a way to leave a "
            "request",
            at_key=True,
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
