"""Rules on information items: one fact served from different sources in different channels."""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.findings import Severity
from journeymap.rules.context import Context, Issue
from journeymap.rules.registry import RULES


@RULES.register(
    "JM301",
    "contradictory-sources",
    Severity.WARNING,
    "One fact is served from different sources in different channels",
)
def contradictory_sources(ctx: Context) -> Iterator[Issue]:
    """Customers who ask in two channels and get two answers lose trust and ask again.

    When an information item's ``sources`` name more than one source, the channels can
    contradict each other: serve the fact from one source everywhere.

    Fails:
        ```yaml
        channels: {web: {}, phone: {}}
        information:
          delivery-time:
            sources: {web: carrier-api, phone: agent-script}
        touchpoints:
          - {id: track, stage: wait, info: [delivery-time],
             channels: {web: primary, phone: escalation}}
        ```

    Passes:
        ```yaml
        channels: {web: {}, phone: {}}
        information:
          delivery-time:
            sources: {web: carrier-api, phone: carrier-api}
        touchpoints:
          - {id: track, stage: wait, info: [delivery-time],
             channels: {web: primary, phone: escalation}}
        ```
    """
    for item_id, item in ctx.journey.information.items():
        by_source = item.channels_by_source()
        if len(by_source) > 1:
            listed = "; ".join(f"{src} ({', '.join(chs)})" for src, chs in by_source.items())
            yield Issue(
                ("information", item_id, "sources"),
                f"'{item.title or item_id}' comes from {len(by_source)} different sources: "
                f"{listed}; customers who ask in two channels may get two answers, so serve "
                "it from one source everywhere",
                at_key=True,
            )


@RULES.register(
    "JM302",
    "missing-source",
    Severity.INFO,
    "A channel gives a fact with no source named for it",
)
def missing_source(ctx: Context) -> Iterator[Issue]:
    """Where a step gives an information item, each of its channels should say its source.

    Only items that name sources at all are checked.

    Fails:
        ```yaml
        channels: {web: {}, phone: {}}
        information:
          delivery-time: {sources: {web: carrier-api}}
        touchpoints:
          - {id: track, stage: wait, info: [delivery-time],
             channels: {web: primary, phone: escalation}}
        ```

    Passes:
        ```yaml
        channels: {web: {}, phone: {}}
        information:
          delivery-time: {sources: {web: carrier-api, phone: carrier-api}}
        touchpoints:
          - {id: track, stage: wait, info: [delivery-time],
             channels: {web: primary, phone: escalation}}
        ```
    """
    information = ctx.journey.information
    for tp in ctx.journey.touchpoints:
        for j, item_id in enumerate(tp.info):
            sources = information[item_id].sources
            missing = [c for c in tp.channels if c not in sources]
            if sources and missing:
                yield Issue(
                    ctx.touchpoint_path(tp.id, "info", j),
                    f"'{item_id}' is given here in {', '.join(missing)}, but its sources name "
                    f"nothing for {'it' if len(missing) == 1 else 'them'}; say where "
                    f"{'that channel takes' if len(missing) == 1 else 'these channels take'} it "
                    "from",
                )
