"""Time and capacity figures of the exact analysis: how long customers take, what agents do.

Revision 2, *Time*: an attempt's elapsed time is its closed-hours wait + ``response`` +
``handling``; a successful attempt adds its touchpoint's ``duration``. With the expected
visits ``v`` (the analysis has them) and the completion chance ``h`` from every state (one
more solve on the same matrix), the mean time per customer and to completion are sums
over states. *Capacity*: with ``volume``, a channel with ``agents`` is a queue; Erlang C's
mean wait replaces its ``response``; a queue with ``patience`` is Erlang A, whose give-ups
change the flow itself (``journeymap.flow.queueing`` solves that fixed point).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from journeymap.flow.queueing import GiveUps
from journeymap.markov.chain import END, NEXT, Chain, Floats, sum_by
from journeymap.markov.exact import Transient
from journeymap.markov.queues import Queue, erlang_c
from journeymap.model import Journey
from journeymap.model.hours import closed_wait_hours, open_hours_per_week

AGENT_KINDS = ("assisted", "physical")
"""Channels whose handling is an agent's time: 'an agent's time on assisted and physical
channels; the customer's own time elsewhere'."""


def uses_time(journey: Journey) -> bool:
    """True where the journey gives any key of *Time* or *Capacity* that has an effect.

    A journey with none of them keeps revision 1's figures, byte for byte. The defaults
    ``fte_hours`` and ``service_level`` alone change nothing (scenario changes write every
    default out), so they do not count.
    """
    channels = journey.channels.values()
    return (
        journey.volume is not None
        or any(ch.response or ch.handling or ch.agents or ch.patience for ch in channels)
        or any(tp.duration for tp in journey.touchpoints)
    )


@dataclass(frozen=True)
class Workload:
    """Agent hours a week in one channel, split into value and failure demand."""

    value_hours: float
    failure_hours: float
    total_hours: float
    fte: float


@dataclass(frozen=True)
class TimeFigures:
    """The *Time* and *Capacity* figures of one analysis, per customer unless named."""

    time_per_customer_hours: float
    time_to_complete_hours: float | None
    """Mean over the customers who complete; ``None`` where none does."""
    handling_hours: Mapping[str, float]
    agent_hours: Mapping[str, float]
    """Per assisted and physical channel."""
    workload: Mapping[str, Workload] = field(default_factory=dict)
    """Per week, with ``volume``: per assisted and physical channel."""
    queues: Mapping[str, Queue] = field(default_factory=dict)
    iterations: Mapping[str, int] = field(default_factory=dict)
    """Per queue, the iterations of the fixed point with the flow (1 for Erlang C)."""
    time_to_complete_p50_hours: float | None = None
    """A simulation's percentiles of the time to complete; ``None`` in the exact analysis
    (and where no simulated customer completes)."""
    time_to_complete_p90_hours: float | None = None
    time_to_complete_p95_hours: float | None = None

    def channel_row(self, channel: str) -> dict[str, float]:
        """A channel's keys: ``handling_hours``, and ``agent_hours`` where agents work."""
        row = {"handling_hours": self.handling_hours[channel]}
        if channel in self.agent_hours:
            row["agent_hours"] = self.agent_hours[channel]
        return row

    def headline(self) -> dict[str, Any]:
        """The headline keys: time per customer and to completion (and its percentiles)."""
        out: dict[str, Any] = {
            "time_per_customer_hours": self.time_per_customer_hours,
            "time_to_complete_hours": self.time_to_complete_hours,
        }
        if self.time_to_complete_p50_hours is not None:
            out |= {
                "time_to_complete_p50_hours": self.time_to_complete_p50_hours,
                "time_to_complete_p90_hours": self.time_to_complete_p90_hours,
                "time_to_complete_p95_hours": self.time_to_complete_p95_hours,
            }
        return out

    def as_dict(self) -> dict[str, Any]:
        """The journey-level keys of the contract after the per-channel ones, JSON-ready."""
        out: dict[str, Any] = {}
        if self.workload:
            out["workload"] = {k: vars(w) for k, w in self.workload.items()}
        if self.queues:
            out["queues"] = {
                k: {**q.as_dict(), "iterations": self.iterations.get(k, 1)}
                for k, q in self.queues.items()
            }
        return out


@dataclass(frozen=True)
class SegmentTime:
    """One segment's sums: E[T], E[T · 1{complete}], and contacts per state."""

    total: float
    completed_time: float
    contacts: Floats
    failure: Floats


def attempt_hours(journey: Journey, queues: Mapping[str, Queue] | None = None) -> Floats:
    """Each channel's mean time of one attempt: closed-hours wait + response + handling.

    At a queue, its mean wait W replaces ``response``, and a contact that gives up takes
    no handling: 'closed-hours wait + W + (1 − P(abandon)) · handling'.
    """
    out = []
    for cid, channel in journey.channels.items():
        queue = (queues or {}).get(cid)
        respond = float(channel.response) if queue is None else queue.wait_hours
        served = 1.0 if queue is None else 1.0 - queue.p_abandon
        out.append(closed_wait_hours(channel.opening) + respond + served * float(channel.handling))
    return np.array(out, dtype=float)


def segment_time(chain: Chain, part: Transient, visits: Floats, attempt: Floats) -> SegmentTime:
    """E[T] and E[T · 1{complete}] of one segment's chain.

    'E[T · 1{complete}] = Σ_i v_i · h_i · a_i + Σ_i v_i · d_i · (P(resolved at i) + Σ_j
    Q^succ_ij · h_j)', ``h`` the completion chance from each state: ``(I − Q) h = r``, ``r``
    the chance to end the journey from each state.
    """
    journey = chain.journey
    durations = np.array([float(tp.duration) for tp in journey.touchpoints])
    a = attempt[chain.state_channel]
    d = durations[chain.state_touchpoint]
    success = (chain.kind == NEXT) | (chain.kind == END)
    succeeds = sum_by(chain.src[success], chain.p[success], chain.states)
    ends = sum_by(chain.src[chain.kind == END], chain.p[chain.kind == END], chain.states)
    n = len(part.index)
    system = (sp.identity(n, format="csr") - part.q).tocsc()
    inner = np.atleast_1d(spsolve(system, ends[part.index])) if n else np.zeros(0)
    h = np.zeros(chain.states)
    h[part.index] = inner
    onward = chain.kind == NEXT
    after = sum_by(chain.src[onward], chain.p[onward] * h[chain.dst[onward]], chain.states)
    total = float(visits @ (a + d * succeeds))
    completed = float(visits @ (h * a) + visits @ (d * (ends + after)))
    contact = ~chain.message_state
    return SegmentTime(
        total,
        completed,
        sum_by(chain.state_channel, visits * contact, len(journey.channels)),
        sum_by(chain.state_channel, visits * chain.failure_state, len(journey.channels)),
    )


def queue_waits(journey: Journey, contacts: Floats, ups: GiveUps | None = None) -> dict[str, Queue]:
    """The queue of every channel with ``agents`` (with ``volume``), from its contacts.

    'contacts arrive at λ per open hour (weekly contacts over weekly open hours), each
    takes handling (μ = 1 / handling)'. A queue with ``patience`` is Erlang A, solved with
    the flow (``ups``); one without, Erlang C. Raises ``OverloadError`` for an Erlang C
    queue that never empties.
    """
    if journey.volume is None:
        return {}
    queues = dict(ups.queues) if ups is not None else {}
    for i, (cid, channel) in enumerate(journey.channels.items()):
        if channel.agents is None or not channel.handling or cid in queues:
            continue
        hours = open_hours_per_week(channel.opening)
        rate = float(journey.volume) * float(contacts[i]) / hours if hours > 0 else 0.0
        queues[cid] = erlang_c(channel.agents, rate, 1.0 / float(channel.handling))
    return queues


def time_figures(
    journey: Journey,
    weights: Sequence[float],
    parts: Sequence[tuple[Chain, Transient, Floats]],
    ups: GiveUps | None = None,
    queues: Mapping[str, Queue] | None = None,
) -> TimeFigures:
    """The *Time* and *Capacity* figures of a journey from each segment's solved chain.

    ``parts`` holds each segment's chain, transient part and expected visits; ``weights``
    the segments' shares scaled to 1; ``ups`` the fixed point of the queues where
    customers give up (the chains are built with it). The queues come first (their waits
    need only the contacts), then the times with their waits in place of ``response``.
    ``queues`` gives them instead: one segment's figures use the queues all customers make.
    """
    channels = len(journey.channels)
    contacts: Floats = np.sum(
        [
            w * sum_by(c.state_channel, v * ~c.message_state, channels)
            for w, (c, _, v) in zip(weights, parts, strict=True)
        ],
        axis=0,
    )
    failure: Floats = np.sum(
        [
            w * sum_by(c.state_channel, v * c.failure_state, channels)
            for w, (c, _, v) in zip(weights, parts, strict=True)
        ],
        axis=0,
    )
    if queues is None:
        queues = queue_waits(journey, contacts, ups)
    attempt = attempt_hours(journey, queues)
    timed = [segment_time(c, p, v, attempt) for c, p, v in parts]
    total = sum(w * s.total for w, s in zip(weights, timed, strict=True))
    completed = sum(w * s.completed_time for w, s in zip(weights, timed, strict=True))
    done = sum(w * float(c.p[c.kind == END] @ v[c.src[c.kind == END]])
               for w, (c, _, v) in zip(weights, parts, strict=True))  # fmt: skip
    handling, agents, workload = channel_hours(journey, contacts, failure, queues)
    return TimeFigures(
        time_per_customer_hours=float(total),
        time_to_complete_hours=float(completed / done) if done > 0 else None,
        handling_hours=handling,
        agent_hours=agents,
        workload=workload,
        queues=queues,
        iterations={
            cid: ups.iterations if ups is not None and cid in ups.queues else 1 for cid in queues
        },
    )


def channel_hours(
    journey: Journey, contacts: Floats, failure: Floats, queues: Mapping[str, Queue]
) -> tuple[dict[str, float], dict[str, float], dict[str, Workload]]:
    """Handling and agent hours per channel, and the weekly workload, from its contacts.

    The formulas of ``time_figures`` ('handling_hours (contacts × handling)', a contact
    that gives up waiting in a queue taking none; agent hours on assisted and physical
    channels; the workload with ``volume``) for contacts and failure contacts per customer
    counted elsewhere: a simulation's.
    """
    served = {cid: 1.0 - queue.p_abandon for cid, queue in queues.items()}
    handling = {
        cid: float(contacts[i]) * float(ch.handling) * served.get(cid, 1.0)
        for i, (cid, ch) in enumerate(journey.channels.items())
    }
    agents = {cid: handling[cid] for cid, ch in journey.channels.items() if ch.kind in AGENT_KINDS}
    return handling, agents, _workload(journey, contacts, failure, served)


def _workload(
    journey: Journey, contacts: Floats, failure: Floats, served: Mapping[str, float]
) -> dict[str, Workload]:
    """Agent hours a week per assisted and physical channel, with ``volume``.

    'workload.<channel> in agent hours per week, split into value and failure demand, and
    fte = agent hours / defaults.fte_hours'.
    """
    if journey.volume is None:
        return {}
    volume, fte = float(journey.volume), float(journey.defaults.fte_hours)
    out = {}
    for i, (cid, channel) in enumerate(journey.channels.items()):
        if channel.kind not in AGENT_KINDS:
            continue
        hours = float(channel.handling) * volume * served.get(cid, 1.0)
        failing = float(failure[i]) * hours
        value = (float(contacts[i]) - float(failure[i])) * hours
        out[cid] = Workload(value, failing, value + failing, (value + failing) / fte)
    return out
