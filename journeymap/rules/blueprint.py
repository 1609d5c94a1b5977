"""Rules on the map as a whole: unused parts, empty blueprint lanes, order, unaddressed pain."""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.findings import Severity
from journeymap.model import Journey, behaviour
from journeymap.rules.context import Context, Issue
from journeymap.rules.registry import RULES

LANES = ("customer", "frontstage", "backstage")


@RULES.register(
    "JM501", "unused", Severity.WARNING, "A channel, stage, information item or handoff is unused"
)
def unused(ctx: Context) -> Iterator[Issue]:
    """Parts nothing uses are usually left over from an earlier version of the journey.

    A channel no touchpoint offers, a stage with no touchpoint, an information item no
    touchpoint gives, a handoff between channels no customer can switch between. Moving to
    or from a message is no switch, so a handoff into an outbound channel never applies,
    and one out of it only where a step offers both (a contact about a failed message).

    Fails:
        ```yaml
        channels: {web: {}, fax: {kind: outbound}}
        ```

    Passes:
        ```yaml
        channels: {web: {}}
        ```
    """
    journey = ctx.journey
    offered = {cid for tp in journey.touchpoints for cid in tp.channels}
    for cid in journey.channels:
        if cid not in offered:
            yield Issue(
                ("channels", cid),
                f"no touchpoint offers channel '{cid}'; offer it somewhere or remove it",
                at_key=True,
            )
    staged = {tp.stage for tp in journey.touchpoints}
    for i, stage in enumerate(journey.stages):
        if stage.id not in staged:
            yield Issue(
                ("stages", i), f"stage '{stage.id}' has no touchpoints; add one or remove the stage"
            )
    given = {item for tp in journey.touchpoints for item in tp.info}
    for item_id in journey.information:
        if item_id not in given:
            yield Issue(
                ("information", item_id),
                f"no touchpoint gives '{item_id}' (info: "
                f"[{item_id}]); give it somewhere or remove it",
                at_key=True,
            )
    pairs = _possible_switches(journey)
    for i, handoff in enumerate(journey.handoffs):
        if handoff.from_ != handoff.to and (handoff.from_, handoff.to) not in pairs:
            yield Issue(("handoffs", i), _unused_handoff(journey, handoff.from_, handoff.to))


def _possible_switches(journey: Journey) -> set[tuple[str, str]]:
    """Channel pairs context can flow between, never into a message.

    Within a step: a retry in another channel, or a contact about a failed message; from
    a step to the next: a move on, unless the next step is a message step.
    """
    pairs: set[tuple[str, str]] = set()
    for tp in journey.touchpoints:
        contacts = [c for c in tp.channels if not behaviour.is_outbound(journey, c)]
        pairs |= {(a, b) for a in tp.channels for b in contacts}
        for step in tp.next:
            after = journey.touchpoint_map.get(step.to)
            if after is not None and not behaviour.outbound_channels(journey, after):
                pairs |= {(a, b) for a in contacts for b in after.channels}
    return pairs


def _unused_handoff(journey: Journey, source: str, target: str) -> str:
    start = f"the handoff from {source} to {target} never applies: "
    if behaviour.is_outbound(journey, target):
        return (
            start + f"{target} is outbound, and a customer never switches into a message "
            "(the service speaks, with what it knows); remove it"
        )
    if behaviour.is_outbound(journey, source):
        return (
            start + f"no step offers both, so no customer turns from a failed {source} "
            f"message to {target}"
        )
    return start + "no step offers both, and no step leads from one to the other"


@RULES.register(
    "JM502", "missing-lanes", Severity.INFO, "A touchpoint's service blueprint is incomplete"
)
def missing_lanes(ctx: Context) -> Iterator[Issue]:
    """A blueprint shows what the customer does, what they see, and what happens out of sight.

    A touchpoint without ``customer``, ``frontstage`` or ``backstage`` text leaves a hole
    in the blueprint on the workshop wall.

    Fails:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}, customer: Checks the parcel}
        ```

    Passes:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}, customer: Checks the parcel,
             frontstage: Tracking page, backstage: Carrier pushes scan events}
        ```
    """
    for tp in ctx.journey.touchpoints:
        missing = [lane for lane in LANES if not getattr(tp, lane)]
        if missing:
            yield Issue(
                ctx.touchpoint_path(tp.id, "id"),
                f"blueprint lane{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"empty at '{tp.id}'; say what the customer does, what they see, and what "
                "happens out of their sight",
            )


@RULES.register(
    "JM503", "stage-order", Severity.INFO, "Touchpoints are not listed in the order of stages"
)
def stage_order(ctx: Context) -> Iterator[Issue]:
    """The blueprint's columns follow the stages; touchpoints listed out of order read badly.

    Fails:
        ```yaml
        touchpoints:
          - {id: receive, stage: receive, channels: {web: primary}}
          - {id: track, stage: wait, channels: {web: primary}, next: [{to: receive}]}
        start: track
        ```

    Passes:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}, next: [{to: receive}]}
          - {id: receive, stage: receive, channels: {web: primary}}
        ```
    """
    order = {stage.id: i for i, stage in enumerate(ctx.journey.stages)}
    latest: tuple[int, str] = (-1, "")
    for tp in ctx.journey.touchpoints:
        rank = order[tp.stage]
        if rank < latest[0]:
            yield Issue(
                ctx.touchpoint_path(tp.id, "stage"),
                f"'{tp.id}' belongs to stage '{tp.stage}' but is listed after steps of the "
                f"later stage '{latest[1]}'; list touchpoints in stage order",
            )
        else:
            latest = (rank, tp.stage)


@RULES.register(
    "JM504",
    "unaddressed-pain",
    Severity.INFO,
    "A painful step lists no opportunity to make it better",
)
def unaddressed_pain(ctx: Context) -> Iterator[Issue]:
    """Where customers feel bad (emotion -2 or -3), the map should carry an idea to fix it.

    Fails:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}, emotion: -2}
        ```

    Passes:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}, emotion: -2,
             opportunities: [Proactive delay notice]}
        ```
    """
    for tp in ctx.journey.touchpoints:
        if tp.emotion is not None and tp.emotion <= -2 and not tp.opportunities:
            yield Issue(
                ctx.touchpoint_path(tp.id, "emotion"),
                f"customers feel bad at '{tp.id}' (emotion {tp.emotion}) and no opportunity "
                "is listed; note at least one idea under opportunities",
            )
