"""Rules on failure demand: its causes must be named, and named so reports can label them."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from journeymap.findings import Severity
from journeymap.model import STANDARD_CAUSES
from journeymap.rules.context import Context, Issue
from journeymap.rules.registry import RULES


@RULES.register(
    "JM401",
    "failure-demand-cause",
    Severity.WARNING,
    "A failure-demand touchpoint does not name its cause",
)
def failure_demand_cause(ctx: Context) -> Iterator[Issue]:
    """A failure-demand contact exists because something failed earlier: say what.

    The cause is what a redesign fixes; reports count first contacts at this step under it.

    Fails:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, demand: failure, channels: {web: primary}}
        ```

    Passes:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, demand: failure, cause: no-proactive-update,
             channels: {web: primary}}
        ```
    """
    for tp in ctx.journey.touchpoints:
        if tp.demand == "failure" and tp.cause is None:
            yield Issue(
                ctx.touchpoint_path(tp.id, "demand"),
                f"'{tp.id}' is failure demand but names no cause; add cause: with what failed "
                f"earlier (e.g. {', '.join(STANDARD_CAUSES[:3])})",
            )


@RULES.register(
    "JM402",
    "unknown-cause",
    Severity.INFO,
    "A failure cause is not one of the standard causes",
)
def unknown_cause(ctx: Context) -> Iterator[Issue]:
    """Standard causes get report labels in English and Finnish; others are shown as written.

    Custom causes are allowed; this points out the ones that look like a misspelt
    standard cause.

    Fails:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary},
             failures: {unclear-instruction: 1}}
        ```

    Passes:
        ```yaml
        touchpoints:
          - {id: track, stage: wait, channels: {web: primary},
             failures: {unclear-instructions: 1}}
        ```
    """
    for tp in ctx.journey.touchpoints:
        if tp.cause is not None and tp.cause not in STANDARD_CAUSES:
            yield Issue(ctx.touchpoint_path(tp.id, "cause"), _message(tp.cause))
        for cause in tp.failures:
            if cause not in STANDARD_CAUSES:
                yield Issue(ctx.touchpoint_path(tp.id, "failures", cause), _message(cause), True)


def _message(cause: str) -> str:
    close = difflib.get_close_matches(cause, STANDARD_CAUSES, n=1, cutoff=0.75)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"'{cause}' is not a standard cause, so reports show it as written{hint}"
