"""Rules on the journey's flow: probabilities, ways out, and steps no one reaches."""

from __future__ import annotations

from collections.abc import Iterator

from journeymap import graph as jg
from journeymap.findings import Severity
from journeymap.model import Touchpoint, behaviour
from journeymap.model.estimate import Estimate
from journeymap.rules.context import Context, Issue, Path
from journeymap.rules.registry import RULES

TOLERANCE = 1e-6
"""How far from 1 a sum of probabilities may be (rounding in decimal fractions)."""


@RULES.register(
    "JM101", "probabilities", Severity.ERROR, "A touchpoint's next probabilities do not add up to 1"
)
def probabilities(ctx: Context) -> Iterator[Issue]:
    """Where customers go after a step must be a probability distribution.

    Each ``p`` is between 0 and 1; with several successors each needs a ``p``, and they
    add up to 1. A lone successor may leave ``p`` out; if it gives one, it is 1. Where a
    ``p`` is a range (``[0.6, 0.8]``), both its ends are between 0 and 1 and the midpoints
    are normalised to add up to 1, so only a list whose ``p`` are all 0 is refused.

    Fails:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary},
             next: [{to: receive, p: 0.8}, {to: ask, p: 0.1}]}
          - {id: ask, stage: wait, channels: {web: primary}, next: [{to: receive}]}
          - {id: receive, stage: receive, channels: {web: primary}}
        ```

    Passes:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary},
             next: [{to: receive, p: 0.9}, {to: ask, p: 0.1}]}
          - {id: ask, stage: wait, channels: {web: primary}, next: [{to: receive}]}
          - {id: receive, stage: receive, channels: {web: primary}}
        ```
    """
    for i, tp in enumerate(ctx.journey.touchpoints):
        base = ("touchpoints", i, "next")
        for j, step in enumerate(tp.next):
            if step.p is not None:
                yield from _chance_issues((*base, j, "p"), step.p)
        missing = [step.to for step in tp.next if step.p is None]
        if len(tp.next) > 1 and missing:
            yield Issue(
                base,
                f"{len(tp.next)} successors, so each needs a p; missing for {', '.join(missing)}",
                at_key=True,
            )
        elif tp.next and not missing:
            yield from _sum_issues(base, tp)


def _chance_issues(path: Path, p: float) -> Iterator[Issue]:
    """A ``p`` outside 0 to 1; for a range, each end outside it, or its ends the wrong way."""
    if not isinstance(p, Estimate):
        if not 0 <= p <= 1:
            yield Issue(path, f"p {p:g} is not a probability; use 0 to 1")
        return
    for index, (end, value) in enumerate((("low", p.low), ("high", p.high))):
        if not 0 <= value <= 1:
            yield Issue((*path, index), f"p's {end} end {value:g} is not a probability; use 0 to 1")
    if p.low > p.high:
        yield Issue(
            path,
            f"range [{p.low:g}, {p.high:g}]: the low end is above the high end; "
            f"write [{p.high:g}, {p.low:g}]",
        )


def _sum_issues(base: Path, tp: Touchpoint) -> Iterator[Issue]:
    """Chances that do not add up to 1; with a range among them, midpoints that are all 0.

    'Ranges in a next list ...: the midpoints are normalised to sum 1', which needs a sum
    above 0.
    """
    chances = [0.0 if step.p is None else step.p for step in tp.next]
    total = sum(chances)
    if any(isinstance(p, Estimate) for p in chances):
        if total <= 0:
            yield Issue(
                base,
                "every p here is 0 (a range counts by its midpoint), so no customer goes on; "
                "give a successor a chance above 0",
                at_key=True,
            )
    elif abs(total - 1) > TOLERANCE:
        yield Issue(
            base,
            f"p values add up to {total:.6g}, not 1, so {abs(1 - total):.0%} of customers "
            f"{'vanish' if total < 1 else 'are counted twice'} here; make them add up to 1",
            at_key=True,
        )


@RULES.register(
    "JM104", "segment-shares", Severity.ERROR, "The segments' shares do not add up to 1"
)
def segment_shares(ctx: Context) -> Iterator[Issue]:
    """Segments split all customers between them, so their shares add up to 1.

    Where a share is a range (``[0.3, 0.5]``), the midpoints are normalised to add up to 1,
    so only shares that are all 0 are refused.

    Fails:
        ```yaml
        segments:
          - {id: digital, share: 0.6}
          - {id: assisted, share: 0.3}
        ```

    Passes:
        ```yaml
        segments:
          - {id: digital, share: 0.6}
          - {id: assisted, share: 0.4}
        ```
    """
    segments = ctx.journey.segments
    total = sum(segment.share for segment in segments)
    if any(isinstance(segment.share, Estimate) for segment in segments):
        if total <= 0:
            yield Issue(
                ("segments",),
                "every share is 0 (a range counts by its midpoint), so the segments hold no "
                "customers; give a segment a share above 0",
                at_key=True,
            )
    elif segments and abs(total - 1) > TOLERANCE:
        shares = ", ".join(f"{s.id} {s.share:g}" for s in segments)
        yield Issue(
            ("segments",),
            f"shares add up to {total:.6g} ({shares}), not 1; segments split all customers, "
            "so make their shares add up to 1",
            at_key=True,
        )


@RULES.register(
    "JM102", "no-exit", Severity.ERROR, "Customers can be caught in a loop or retry for ever"
)
def no_exit(ctx: Context) -> Iterator[Issue]:
    """From every step a customer must be able to reach an end of the journey.

    A loop of ``next`` steps with no way out, or a step where customers retry for ever
    (``retry: 1`` where no channel ever resolves), keeps customers in the journey
    endlessly; the exact analysis refuses such a journey.

    Fails:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}, next: [{to: ask}]}
          - {id: ask, stage: wait, channels: {web: primary}, next: [{to: track}]}
        ```

    Passes:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}, next: [{to: ask}]}
          - {id: ask, stage: wait, channels: {web: primary},
             next: [{to: track, p: 0.3}, {to: done, p: 0.7}]}
          - {id: done, stage: receive, channels: {web: primary}}
        ```
    """
    graph = ctx.graph
    trapped = jg.without_exit(graph)
    for node in trapped:
        loop = [other for other in jg.reachable(graph, node) if other != node]
        via = f" (its successors lead only to {', '.join(loop)})" if loop else ""
        yield Issue(
            ctx.touchpoint_path(node, "next"),
            f"no journey end can be reached from '{node}'{via}; customers would go round for "
            "ever, so give the loop a way forward",
            at_key=True,
        )
    yield from _endless_retries(ctx, set(trapped))


def _endless_retries(ctx: Context, trapped: set[str]) -> Iterator[Issue]:
    journey = ctx.journey
    for tp in journey.touchpoints:
        if tp.id in trapped or not tp.channels or behaviour.retry_rate(journey, tp) < 1:
            continue
        stuck = [c for c in tp.channels if behaviour.resolve_rate(journey, tp, c) == 0]
        never_leave = len(stuck) == len(tp.channels) or behaviour.switch_rate(journey, tp) == 0
        if stuck and never_leave:
            yield Issue(
                ctx.touchpoint_path(tp.id, "retry"),
                f"retry is 1 and {', '.join(stuck)} never resolves here (resolve 0), so "
                "customers there retry for ever; let them give up (retry below 1) or succeed",
            )


@RULES.register(
    "JM103",
    "unreachable-touchpoint",
    Severity.WARNING,
    "No customer reaches this touchpoint from the start",
)
def unreachable_touchpoint(ctx: Context) -> Iterator[Issue]:
    """Every touchpoint should be on some customer's way from the start.

    A step no ``next`` leads to (or only with ``p: 0``) never sees a customer: link it
    from the step before it, or remove it.

    Fails:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}}
          - {id: receive, stage: receive, channels: {web: primary}}
        ```

    Passes:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary}, next: [{to: receive}]}
          - {id: receive, stage: receive, channels: {web: primary}}
        ```
    """
    start = ctx.journey.entry
    for node in jg.unreachable(ctx.graph):
        yield Issue(
            ctx.touchpoint_path(node, "id"),
            f"no customer reaches '{node}' from the start '{start}': no step's next leads "
            "here (or only with p 0); link it from the step before it, or remove it",
        )
