"""Recommendations: for each top hotspot, the change that addresses it, with its effect computed.

Each candidate is a list of scenario changes (the vocabulary of scenario files), applied to a
copy of the journey that is then analysed again, so a recommendation's "after" figures are
exactly what ``analyze`` gives for the changed journey. Candidates that save nothing are
dropped; the rest are ranked by the failure contacts they remove.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from journeymap.flow import Figures, analyze
from journeymap.flow.guard import AnalysisError
from journeymap.loader.scenario import changed_journey
from journeymap.locales.messages import Catalog, rounded
from journeymap.model import Journey, Touchpoint
from journeymap.model.behaviour import is_outbound, resolve_rate
from journeymap.model.estimate import bounds
from journeymap.report.content import channel_label, headline

TOP = 5
"""Recommendations a report shows."""
GAPS = 3
"""Channel pairs with the most context-losing switches that get a candidate each."""
CAUSES = 3
"""Touchpoint and cause pairs with the most failure contacts that get a candidate each."""
CONTRADICTORY = "contradictory-info"
STATUS_CHASING = "no-proactive-update"
_SAVES = 1e-9
"""Failure contacts per customer a change must remove to count as a saving."""


@dataclass(frozen=True)
class Candidate:
    """A change worth trying: what it is called, why, what it assumes, and its changes."""

    kind: str
    title: str
    why: str
    assumption: str | None
    changes: list[dict[str, Any]]


class Trials:
    """Changed copies of one journey and their exact analyses, each list of changes tried once.

    A report tries some changes twice: a full handoff is a recommendation and prices a gap.
    """

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self._tried: dict[str, tuple[Journey, Figures] | None] = {}

    def analyse(self, changes: list[dict[str, Any]]) -> tuple[Journey, Figures] | None:
        """The changed journey and its analysis (no percentiles), or ``None`` if refused.

        A change is refused where the journey cannot take it (say, it removes the only way
        on) or cannot be analysed with it (say, it sends a queue more than its agents serve).
        """
        key = json.dumps(changes, sort_keys=True)
        if key not in self._tried:
            try:
                changed = changed_journey(self.journey, changes)
                self._tried[key] = (changed, analyze(changed, percentiles=False))
            except (ValueError, AnalysisError):
                self._tried[key] = None
        return self._tried[key]


def recommend(
    journey: Journey,
    figures: Figures,
    texts: Catalog,
    top: int = TOP,
    *,
    trials: Trials | None = None,
) -> list[dict[str, Any]]:
    """The ``top`` changes that remove the most failure demand, each with before and after."""
    trials = trials or Trials(journey)
    tried = []
    for candidate in candidates(journey, figures, texts):
        outcome = trials.analyse(candidate.changes)
        if outcome is None:  # a change the journey refuses is not a candidate
            continue
        changed, after = outcome
        saved = figures.failure_contacts_per_customer - after.failure_contacts_per_customer
        if saved > _SAVES:
            tried.append((saved, candidate, changed))
    tried.sort(key=lambda t: (-t[0], t[1].kind, t[1].title))
    before = headline(figures)
    out = []
    for saved, candidate, changed in tried[:top]:
        headline_after = headline(analyze(changed))  # again, with the percentiles shown
        saved_cost = (before["cost_per_customer"] - headline_after["cost_per_customer"]) * 1000
        out.append(
            {
                "kind": candidate.kind,
                "title": candidate.title,
                "why": candidate.why,
                "assumption": candidate.assumption,
                "changes": candidate.changes,
                "before": before,
                "after": headline_after,
                "saved_contacts_per_1000": saved * 1000,
                "saved_cost_per_1000": saved_cost,
                "cost_note": cost_note(before, headline_after, saved_cost, texts),
            }
        )
    return out


def cost_note(
    before: dict[str, Any], after: dict[str, Any], saved_cost_per_1000: float, texts: Catalog
) -> str | None:
    """Why a change's saved cost shows negative, or ``None`` where it does not.

    A change that gets more customers through has them use later steps, so cost per
    customer can rise while cost per completed customer falls: the note says whether it does.
    """
    if rounded(saved_cost_per_1000) >= 0:  # shown as a saving, or as 0
        return None
    old, new = before["cost_per_completed_customer"], after["cost_per_completed_customer"]
    if old is None or new is None:
        return None
    values = {
        "before": texts.number(old, 2),
        "after": texts.number(new, 2),
        "completion_before": texts.percent(before["completion_rate"]),
        "completion_after": texts.percent(after["completion_rate"]),
    }
    if rounded(new, 2) < rounded(old, 2):
        return texts.text("advice.cost.more-complete", **values)
    return texts.text("advice.cost.rises", **values)


def candidates(journey: Journey, figures: Figures, texts: Catalog) -> Iterator[Candidate]:
    """Every change journeymap knows for this journey's hotspots, before it is tried."""
    yield from _gaps(journey, figures, texts)
    yield from _single_sources(journey, texts)
    yield from _notices(journey, figures, texts)
    yield from _primaries(journey, texts)
    yield from _causes(journey, figures, texts)


def _gaps(journey: Journey, figures: Figures, texts: Catalog) -> Iterator[Candidate]:
    """A full handoff for each of the worst gaps, or a shared context store where one exists."""
    for gap in sorted(figures.gaps, key=lambda g: (-g.count, g.source, g.target))[:GAPS]:
        a, b = gap.source, gap.target
        names = {"from": channel_label(journey, a), "to": channel_label(journey, b)}
        # a contact about a failed message: the channel should see what the message said
        key = "advice.message" if is_outbound(journey, a) else "advice.handoff"
        why = texts.text(f"{key}.why", count=texts.number(gap.count * 1000), **names)
        yield Candidate(
            "handoff",
            texts.text(f"{key}.title", **names),
            why,
            None,
            [handoff(journey, a, b)],
        )
        store = journey.channels[a].context
        if store and not journey.channels[b].context and key == "advice.handoff":
            yield Candidate(
                "context-store",
                texts.text("advice.store.title", **names),
                why,
                None,
                [{"set": {"path": f"channels.{b}.context", "value": store}}],
            )


def handoff(journey: Journey, source: str, target: str) -> dict[str, Any]:
    """The change that passes the full context from ``source`` to ``target`` on a switch."""
    if any(h.from_ == source and h.to == target for h in journey.handoffs):
        return {"set": {"path": f"handoffs.{source}>{target}.context", "value": "full"}}
    return {"add-handoff": {"from": source, "to": target, "context": "full"}}


def gap_cost(figures: Figures, source: str, target: str, trials: Trials) -> float:
    """What the gap from ``source`` to ``target`` costs per customer.

    That is the saving of a full handoff there, found by analysing the journey with one.
    """
    outcome = trials.analyse([handoff(trials.journey, source, target)])
    if outcome is None:
        raise ValueError(f"{trials.journey.id} refuses a handoff from {source} to {target}")
    return figures.cost_per_customer - outcome[1].cost_per_customer


def _single_sources(journey: Journey, texts: Catalog) -> Iterator[Candidate]:
    """One source for each information item served from several, and its failures gone."""
    for item_id, item in journey.information.items():
        by_source = item.channels_by_source()
        if len(by_source) < 2:
            continue
        source = max(by_source, key=lambda s: len(by_source[s]))  # the most used; first on a tie
        changes: list[dict[str, Any]] = [
            {"set": {"path": f"information.{item_id}.sources.{channel}", "value": source}}
            for channel, old in item.sources.items()
            if old != source
        ]
        for touchpoint in journey.touchpoints:
            if item_id in touchpoint.info:
                changes += _without_cause(journey, touchpoint, CONTRADICTORY)
        yield Candidate(
            "single-source",
            texts.text("advice.single-source.title", item=item.title or item_id),
            texts.text("advice.single-source.why", count=len(by_source)),
            texts.text("advice.single-source.assumption"),
            changes,
        )


def _notices(journey: Journey, figures: Figures, texts: Catalog) -> Iterator[Candidate]:
    """A proactive notice in place of each status-chasing step: the step is no longer needed."""
    for touchpoint in journey.touchpoints:
        if touchpoint.demand != "failure" or touchpoint.cause != STATUS_CHASING:
            continue
        if touchpoint.id == journey.entry:
            continue
        contacts = figures.touchpoints[touchpoint.id].contacts
        yield Candidate(
            "notice",
            texts.text("advice.notice.title", touchpoint=touchpoint.label),
            texts.text("advice.notice.why", count=texts.number(contacts * 1000)),
            texts.text("advice.notice.assumption"),
            [{"remove-touchpoint": touchpoint.id}],
        )


def _primaries(journey: Journey, texts: Catalog) -> Iterator[Candidate]:
    """A primary channel where several are offered, none is primary and no shares guide.

    Only channels customers contact count: a message is the service speaking.
    """
    for touchpoint in journey.touchpoints:
        uses = {
            cid: use for cid, use in touchpoint.channels.items() if not is_outbound(journey, cid)
        }
        if len(uses) < 2 or any(u.role == "primary" or u.share is not None for u in uses.values()):
            continue
        best = max(uses, key=lambda cid: (resolve_rate(journey, touchpoint, cid), cid))
        yield Candidate(
            "primary",
            texts.text(
                "advice.primary.title",
                channel=channel_label(journey, best),
                touchpoint=touchpoint.label,
            ),
            texts.text("advice.primary.why"),
            None,
            [
                {
                    "set": {
                        "path": f"touchpoints.{touchpoint.id}.channels.{best}.role",
                        "value": "primary",
                    }
                }
            ],
        )


def _causes(journey: Journey, figures: Figures, texts: Catalog) -> Iterator[Candidate]:
    """The causes behind the most retries at a step, each taken away there."""
    estimates: list[tuple[float, str, str]] = []
    for touchpoint in journey.touchpoints:
        weights = touchpoint.failures
        total = sum(weights.values())
        numbers = figures.touchpoints[touchpoint.id]
        retries = numbers.contacts + numbers.messages - numbers.visits  # attempts after the first
        if total <= 0 or retries <= 0:
            continue
        for cause, weight in weights.items():
            if cause != CONTRADICTORY and weight > 0:
                estimates.append((retries * weight / total, touchpoint.id, cause))
    estimates.sort(key=lambda e: (-e[0], e[1], e[2]))
    for count, tp_id, cause in estimates[:CAUSES]:
        touchpoint = journey.touchpoint(tp_id)
        yield Candidate(
            "cause",
            texts.text(
                "advice.cause.title",
                cause=texts.label("causes", cause),
                touchpoint=touchpoint.label,
            ),
            texts.text("advice.cause.why", count=texts.number(count * 1000)),
            texts.text("advice.cause.assumption"),
            _without_cause(journey, touchpoint, cause),
        )


def _without_cause(journey: Journey, touchpoint: Touchpoint, cause: str) -> list[dict[str, Any]]:
    """Changes that take ``cause`` away at a step: its share of failures turns into successes.

    An attempt fails with ``1 - r``; the cause accounts for its weight's share of those
    failures, so without it the resolve rate is ``r + (1 - r) * share`` in every channel.
    A range's ends move alike, so the change stays a range drawn with the journey's.
    """
    weights = touchpoint.failures
    total = sum(weights.values())
    if weights.get(cause, 0) <= 0 or total <= 0:
        return []
    share = weights[cause] / total
    where = f"touchpoints.{touchpoint.id}"
    changes: list[dict[str, Any]] = [
        {
            "set": {
                "path": f"{where}.channels.{cid}.resolve",
                "value": _without_share(resolve_rate(journey, touchpoint, cid), share),
            }
        }
        for cid in touchpoint.channels
    ]
    changes.append({"set": {"path": f"{where}.failures.{cause}", "value": 0}})
    return changes


def _without_share(resolve: float, share: float) -> float | list[float]:
    """``resolve + (1 - resolve) * share``: for a range, its low and high end each."""
    ends = bounds(resolve)
    if ends is None:
        return round(resolve + (1 - resolve) * share, 6)
    return [round(end + (1 - end) * share, 6) for end in ends]
