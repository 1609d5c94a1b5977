"""Staffing a queue: the agents a service level needs, now and after a recommended change.

Revision 2, *Capacity*: 'Reports: load, utilisation, wait, P(abandon) and the agents needed
for a service level (``defaults.service_level: "80% in 60s"``) per queue, and for each
recommendation the agent hours it frees'. A version of the journey is the journey with a
list of scenario changes, analysed by the report's ``Trials``; its queue gives λ and μ.

- Erlang C (no ``patience``): the flow does not depend on the agents (their wait only
  replaces ``response``), so λ is the same for any number of them and ``agents_needed``
  at that λ is the answer.
- Erlang A (``patience``): customers who give up waiting fail and may call again, so λ
  falls as agents are added. The answer is the least n whose own fixed point meets the
  level: from ``agents_needed`` at today's λ, n steps down while n − 1 still meets it, or
  up until n does (the level grows with n, and λ falls with it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from journeymap.errors import JourneymapError
from journeymap.flow import Figures, analyze
from journeymap.flow.guard import AnalysisError
from journeymap.flow.timing import Workload
from journeymap.loader.scenario import changed_journey
from journeymap.locales.messages import Catalog
from journeymap.markov.queues import OverloadError, Queue, agents_needed, erlang_c, service_level
from journeymap.model import Journey
from journeymap.model.capacity import ServiceLevel
from journeymap.model.hours import open_hours_per_week
from journeymap.report.advice import Trials, recommend
from journeymap.report.content import channel_label

STABLE_TRIES = 20
"""Doublings of the agents at Erlang C queues before ``stable_version`` gives up."""
OVERLOADED = "overloaded-queue"


class StaffingError(JourneymapError):
    """A channel that cannot be staffed as asked: what the journey lacks, and what to add."""


def check_queue(journey: Journey, channel: str) -> None:
    """Refuse a channel that is no queue, saying what to add: ``StaffingError``.

    A queue is a channel with ``agents`` and ``handling`` in a journey with ``volume``.
    """
    queues = [cid for cid, ch in journey.channels.items() if ch.agents is not None]
    offer = f"; the channels with agents are {', '.join(queues)}" if queues else ""
    if channel not in journey.channels:
        raise StaffingError(
            f"the journey has no channel '{channel}': its channels are "
            f"{', '.join(journey.channels)}{offer}"
        )
    found = journey.channels[channel]
    if found.agents is None:
        raise StaffingError(
            f"channel '{channel}' has no agents, so it is no queue to staff: give the agents "
            f"on duty whenever it is open and the time one contact takes, e.g. "
            f"'{channel}: {{agents: 10, handling: 6m}}' under channels{offer}"
        )
    if not found.handling:
        raise StaffingError(
            f"channel '{channel}' gives no handling time: a queue needs the mean time one "
            f"contact keeps an agent busy, e.g. '{channel}: {{agents: {found.agents}, "
            "handling: 6m}' under channels"
        )
    if journey.volume is None:
        raise StaffingError(
            "the journey gives no volume, so no contacts arrive at the queue: add the "
            "customers who start it, e.g. 'volume: 2000/week' at the top of the file"
        )
    if open_hours_per_week(found.opening) <= 0:
        raise StaffingError(f"channel '{channel}' is never open: give its hours")


def with_agents(channel: str, agents: int) -> dict[str, Any]:
    """The scenario change that puts ``agents`` on duty at ``channel``."""
    return {"set": {"path": f"channels.{channel}.agents", "value": agents}}


def stable_version(journey: Journey) -> tuple[Journey, Figures]:
    """The journey and its analysis, with enough agents at Erlang C queues that never empty.

    An Erlang C queue does not change the flow, so its arrival rate is the same with any
    number of agents: where the agents on duty cannot keep up, the version is analysed
    with twice as many at every Erlang C queue (again, until they can). Their wait at the
    agents on duty is worked out apart (``Staffing.queue`` is ``None`` where they never
    empty it). Any other error stops it.
    """
    for _ in range(STABLE_TRIES):
        try:
            return journey, analyze(journey)
        except AnalysisError as error:
            if any(finding.rule != OVERLOADED for finding in error.findings):
                raise
        except OverloadError:
            pass
        journey = changed_journey(journey, _doubled(journey))
    return journey, analyze(journey)


def _doubled(journey: Journey) -> list[dict[str, Any]]:
    """The changes that double the agents at every Erlang C queue (one without patience)."""
    return [
        with_agents(cid, 2 * channel.agents)
        for cid, channel in journey.channels.items()
        if channel.agents is not None and channel.patience is None and channel.handling
    ]


@dataclass(frozen=True)
class Staffing:
    """One queue in one version of the journey, with the agents on duty and the ones needed.

    ``queue`` is the queue with the agents on duty (``None`` where they never empty it);
    ``arrival_rate``, ``service_rate`` and ``offered_load`` hold all the same.
    """

    channel: str
    on_duty: int
    arrival_rate: float
    """λ: contacts per open hour."""
    service_rate: float
    offered_load: float
    queue: Queue | None
    iterations: int
    agents_needed: int | None
    """The fewest agents that meet the service level; ``None`` without one."""
    answered_in_time: float | None
    """The share answered within the service level's wait, with the agents on duty."""
    workload: Workload | None

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON keys: the contract's queue keys, and the staffing's own."""
        queue = self.queue
        return {
            "channel": self.channel,
            "agents": self.on_duty,
            "arrival_rate_per_hour": self.arrival_rate,
            "service_rate_per_hour": self.service_rate,
            "offered_load": self.offered_load,
            "utilisation": queue.utilisation if queue else None,
            "p_wait": queue.p_wait if queue else None,
            "wait_hours": queue.wait_hours if queue else None,
            "p_abandon": queue.p_abandon if queue else None,
            "patience_hours": queue.patience_hours if queue else None,
            "iterations": self.iterations,
            "agents_needed": self.agents_needed,
            "answered_in_time": self.answered_in_time,
            "agent_hours_per_week": self.workload.total_hours if self.workload else None,
            "failure_hours_per_week": self.workload.failure_hours if self.workload else None,
            "fte": self.workload.fte if self.workload else None,
        }


def staffing(
    trials: Trials,
    figures: Figures,
    channel: str,
    level: ServiceLevel | None,
    *,
    on_duty: int | None = None,
    changes: Sequence[dict[str, Any]] = (),
) -> Staffing:
    """The queue at ``channel`` in the version ``changes`` make, whose analysis is ``figures``.

    ``on_duty`` is the agents the file gives (default: the version's own); an Erlang C
    queue is worked out at them from the version's λ, an Erlang A queue is the version's.
    """
    assert figures.time is not None
    found = figures.time.queues[channel]
    agents = found.agents if on_duty is None else on_duty
    queue: Queue | None = found
    if found.agents != agents:
        queue = _erlang_c(agents, found)
    needed = None if level is None else _needed(trials, list(changes), channel, found, level)
    return Staffing(
        channel=channel,
        on_duty=agents,
        arrival_rate=found.arrival_rate,
        service_rate=found.service_rate,
        offered_load=found.offered_load,
        queue=queue,
        iterations=figures.time.iterations.get(channel, 1),
        agents_needed=needed,
        answered_in_time=(
            service_level(queue, level.within_hours) if queue and level is not None else None
        ),
        workload=figures.time.workload.get(channel),
    )


def _erlang_c(agents: int, found: Queue) -> Queue | None:
    """The Erlang C queue ``found`` with ``agents`` on duty; ``None`` where it never empties."""
    try:
        return erlang_c(agents, found.arrival_rate, found.service_rate)
    except OverloadError:
        return None


def _needed(
    trials: Trials, changes: list[dict[str, Any]], channel: str, found: Queue, level: ServiceLevel
) -> int:
    """The fewest agents whose queue answers ``level.share`` within ``level.within_hours``.

    See the module's docstring: Erlang C at the version's λ; Erlang A by stepping n, each
    n with its own fixed point.
    """
    share, within = level.share, level.within_hours
    start = agents_needed(
        found.arrival_rate, found.service_rate, share, within, found.patience_hours
    )
    if found.patience_hours is None or start == 0:
        return start

    def meets(agents: int) -> bool:
        queue = (
            found if agents == found.agents else _version_queue(trials, changes, channel, agents)
        )
        return service_level(queue, within) >= share

    agents = start
    if meets(agents):
        while agents > 1 and meets(agents - 1):
            agents -= 1
        return agents
    agents += 1
    while not meets(agents):
        agents += 1
    return agents


def _version_queue(
    trials: Trials, changes: list[dict[str, Any]], channel: str, agents: int
) -> Queue:
    """The queue at ``channel`` of the version with ``agents`` on duty there, analysed."""
    outcome = trials.analyse([*changes, with_agents(channel, agents)])
    if outcome is None or outcome[1].time is None or channel not in outcome[1].time.queues:
        raise StaffingError(f"the journey cannot be analysed with {agents} agents at '{channel}'")
    return outcome[1].time.queues[channel]


@dataclass(frozen=True)
class Step:
    """One row of a staffing plan: today's journey, or one recommended change made."""

    title: str | None
    """The change's title; ``None`` for the journey as it is."""
    changes: list[dict[str, Any]]
    staffing: Staffing
    freed_hours: float | None
    """Agent hours a week at the queue the change frees against today (``None`` today)."""

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON: the change, its scenario changes, the queue and the hours freed."""
        return {
            "change": self.title,
            "changes": self.changes,
            **self.staffing.as_dict(),
            "freed_agent_hours_per_week": self.freed_hours,
        }

    def freed_fte(self, fte_hours: float) -> float | None:
        """The agent hours freed as FTE of ``fte_hours`` a week."""
        return None if self.freed_hours is None else self.freed_hours / fte_hours


@dataclass(frozen=True)
class Plan:
    """The agents a queue needs today and after each recommended change."""

    journey: Journey
    channel: str
    label: str
    level: ServiceLevel | None
    open_hours: float
    """The channel's open hours a week: the hours its agents are on duty."""
    steps: list[Step]

    def staffed_hours(self, step: Step) -> float | None:
        """The agents a step needs times the open hours: the hours a week on the rota."""
        needed = step.staffing.agents_needed
        return None if needed is None else needed * self.open_hours

    def as_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data."""
        level = self.level
        return {
            "journey": self.journey.id,
            "channel": self.channel,
            "channel_label": self.label,
            "hours": self.journey.channels[self.channel].hours,
            "open_hours_per_week": self.open_hours,
            "service_level": None
            if level is None
            else {"text": level.text, "share": level.share, "within_hours": level.within_hours},
            "fte_hours": self.journey.defaults.fte_hours,
            "steps": [
                {
                    **step.as_dict(),
                    "freed_fte": step.freed_fte(self.journey.defaults.fte_hours),
                    "staffed_hours_per_week": self.staffed_hours(step),
                }
                for step in self.steps
            ],
        }


def plan(
    journey: Journey, channel: str, level: ServiceLevel | None, texts: Catalog, top: int = 5
) -> Plan:
    """The agents ``channel`` needs for ``level`` today and after each recommended change.

    The changes are the report's recommendations (``recommend``), in its order; each row
    keeps today's agents on duty for its wait and P(abandon). ``StaffingError`` where the
    channel is no queue.
    """
    check_queue(journey, channel)
    on_duty = journey.channels[channel].agents
    assert on_duty is not None
    version, figures = stable_version(journey)
    trials = Trials(version)
    today = staffing(trials, figures, channel, level, on_duty=on_duty)
    steps = [Step(None, [], today, None)]
    for rec in recommend(version, figures, texts, top, trials=trials):
        outcome = trials.analyse(rec["changes"])
        assert outcome is not None  # recommend() keeps only changes the journey takes
        after = staffing(
            trials, outcome[1], channel, level, on_duty=on_duty, changes=rec["changes"]
        )
        steps.append(Step(rec["title"], rec["changes"], after, _freed(today, after)))
    label = channel_label(journey, channel)
    return Plan(
        journey,
        channel,
        label,
        level,
        open_hours_per_week(journey.channels[channel].opening),
        steps,
    )


def _freed(today: Staffing, after: Staffing) -> float | None:
    """Agent hours a week the change frees at the queue: today's workload less the version's."""
    if today.workload is None or after.workload is None:
        return None
    return today.workload.total_hours - after.workload.total_hours
