"""The figures every analysis reports, typed, with the format document's JSON keys.

Every figure is a mean per customer, in the exact analysis and in a simulation alike, so
the two compare key by key. Beside the documented keys, journeymap adds ``failure_cost``
per touchpoint and channel, ``cause_costs``, and (simulation) ``standard_errors``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from journeymap.flow.tally import STUCK, Tally
from journeymap.flow.timing import TimeFigures
from journeymap.model import Journey

Method = Literal["exact", "simulation"]
HotspotKind = Literal["touchpoint", "channel", "cause"]
_TINY = 1e-15
"""Counts below this (rounding noise of the exact solve) are left out of lists."""


@dataclass(frozen=True)
class TouchpointFigures:
    """Per-customer figures of one touchpoint."""

    visits: float
    """Arrivals here (first attempts)."""
    contacts: float
    """All attempts here, retries included, that are contacts (not messages)."""
    failure_contacts: float
    """Retries here, plus first attempts where the touchpoint is failure demand."""
    abandoned: float
    """Customers who give up here."""
    first_contact_resolution: float | None
    """Share of visits whose first attempt succeeds; ``None`` where no one comes."""
    failure_cost: float
    """Cost of the failure contacts here."""
    messages: float = 0.0
    """Messages the service sends here (attempts on outbound channels)."""


@dataclass(frozen=True)
class ChannelFigures:
    """Per-customer figures of one channel."""

    contacts: float
    failure_contacts: float
    cost: float
    """Contacts and messages times the channel's cost."""
    failure_cost: float
    messages: float = 0.0
    """Messages sent in this channel (an outbound one)."""


@dataclass(frozen=True)
class Gap:
    """Switches from one channel to another that lost the customer's context."""

    source: str
    target: str
    count: float


@dataclass(frozen=True)
class Breakpoint:
    """Customers who give up at a touchpoint, in a channel, after a failure of a cause."""

    touchpoint: str
    channel: str
    cause: str
    count: float


@dataclass(frozen=True)
class Hotspot:
    """Where failure demand arises: a touchpoint, channel or cause, and its failure contacts."""

    kind: HotspotKind
    key: str
    failure_contacts: float
    failure_cost: float


@dataclass(frozen=True)
class Figures:
    """What an analysis found, per customer; ``segments`` holds the same per segment."""

    journey: str
    method: Method
    completion_rate: float
    abandon_rate: float
    contacts_per_customer: float
    failure_demand_ratio: float
    cost_per_customer: float
    touchpoints: Mapping[str, TouchpointFigures]
    channels: Mapping[str, ChannelFigures]
    gaps: tuple[Gap, ...]
    breakpoints: tuple[Breakpoint, ...]
    causes: Mapping[str, float]
    cause_costs: Mapping[str, float]
    messages_per_customer: float | None = None
    """Messages per customer; ``None`` for a journey with no outbound channel."""
    contacts_p50: int | None = None
    contacts_p90: int | None = None
    contacts_p95: int | None = None
    customers: int | None = None
    seed: int | None = None
    standard_errors: Mapping[str, float] = field(default_factory=dict)
    segments: Mapping[str, Figures] = field(default_factory=dict)
    time: TimeFigures | None = None
    """Time and capacity figures, for a journey that gives any of their keys."""

    @property
    def failure_contacts_per_customer(self) -> float:
        """All failure contacts per customer."""
        return sum(tp.failure_contacts for tp in self.touchpoints.values())

    def hotspots(self, kind: HotspotKind | None = None, top: int | None = None) -> list[Hotspot]:
        """Where failure demand arises, largest first: touchpoints, channels and causes.

        ``kind`` keeps one of them; ``top`` keeps the first so many.
        """
        spots = [
            Hotspot("touchpoint", key, tp.failure_contacts, tp.failure_cost)
            for key, tp in self.touchpoints.items()
        ]
        spots += [
            Hotspot("channel", key, ch.failure_contacts, ch.failure_cost)
            for key, ch in self.channels.items()
        ]
        spots += [
            Hotspot("cause", key, count, self.cause_costs.get(key, 0.0))
            for key, count in self.causes.items()
        ]
        chosen = [s for s in spots if (kind is None or s.kind == kind) and s.failure_contacts > 0]
        chosen.sort(key=lambda s: (-s.failure_contacts, s.kind, s.key))
        return chosen[:top] if top is not None else chosen

    def worst_steps(self, top: int = 3) -> list[tuple[str, float, str | None]]:
        """The touchpoints where most customers give up: (id, abandoned, main cause)."""
        ranked = sorted(
            ((key, tp.abandoned) for key, tp in self.touchpoints.items() if tp.abandoned > 0),
            key=lambda item: (-item[1], item[0]),
        )
        out = []
        for key, abandoned in ranked[:top]:
            causes: dict[str, float] = {}
            for point in self.breakpoints:
                if point.touchpoint == key:
                    causes[point.cause] = causes.get(point.cause, 0.0) + point.count
            main = max(causes, key=lambda c: (causes[c], c)) if causes else None
            out.append((key, abandoned, main))
        return out

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready data, with the format document's keys."""
        out: dict[str, Any] = {
            "journey": self.journey,
            "method": self.method,
            "completion_rate": self.completion_rate,
            "abandon_rate": self.abandon_rate,
            "contacts_per_customer": self.contacts_per_customer,
            **({"messages_per_customer": self.messages_per_customer} if self.has_messages else {}),
            "failure_demand_ratio": self.failure_demand_ratio,
            "cost_per_customer": self.cost_per_customer,
            **(self.time.headline() if self.time is not None else {}),
            "contacts_p50": self.contacts_p50,
            "contacts_p90": self.contacts_p90,
            "contacts_p95": self.contacts_p95,
        }
        if self.method == "simulation":
            out |= {
                "customers": self.customers,
                "seed": self.seed,
                "standard_errors": dict(self.standard_errors),
            }
        out |= {
            "touchpoints": {k: self._row(v) for k, v in self.touchpoints.items()},
            "channels": {k: self._channel_row(k, v) for k, v in self.channels.items()},
            "gaps": [{"from": g.source, "to": g.target, "count": g.count} for g in self.gaps],
            "breakpoints": [vars(b) for b in self.breakpoints],
            "causes": dict(self.causes),
            "cause_costs": dict(self.cause_costs),
        }
        if self.time is not None:
            out |= self.time.as_dict()
        if self.segments:
            out["segments"] = {k: v.as_dict() for k, v in self.segments.items()}
        return out

    def _channel_row(self, channel: str, figures: ChannelFigures) -> dict[str, Any]:
        """One channel's figures, with its handling and agent hours where time is given."""
        row = self._row(figures)
        return row | self.time.channel_row(channel) if self.time is not None else row

    @property
    def has_messages(self) -> bool:
        """True for a journey with an outbound channel: its figures count messages too."""
        return self.messages_per_customer is not None

    def _row(self, figures: TouchpointFigures | ChannelFigures) -> dict[str, Any]:
        """One touchpoint's or channel's figures, ``messages`` after ``contacts`` if any.

        A journey that sends no message keeps revision 1's keys.
        """
        row = dict(vars(figures))
        messages = row.pop("messages")
        if not self.has_messages:
            return row
        keys = list(row)
        at = keys.index("contacts") + 1
        return (
            {k: row[k] for k in keys[:at]} | {"messages": messages} | {k: row[k] for k in keys[at:]}
        )

    def to_json(self, indent: int | None = 2) -> str:
        """The figures as JSON text."""
        return json.dumps(self.as_dict(), indent=indent, ensure_ascii=False)


def from_tally(
    journey: Journey, causes: tuple[str, ...], tally: Tally, method: Method, **extra: Any
) -> Figures:
    """Figures of a journey from its counts per customer."""
    channel_ids = list(journey.channels)
    costs = np.array([ch.cost for ch in journey.channels.values()])
    contacts = float(tally.contacts.sum())
    failure = float(tally.failure_contacts.sum())
    sends = any(ch.kind == "outbound" for ch in journey.channels.values())
    touchpoints = {
        tp.id: TouchpointFigures(
            visits=float(tally.visits[i]),
            contacts=float(tally.contacts[i]),
            failure_contacts=float(tally.failure_contacts[i]),
            abandoned=float(tally.abandoned[i]),
            first_contact_resolution=(
                float(tally.first_successes[i] / tally.visits[i]) if tally.visits[i] > 0 else None
            ),
            failure_cost=float(tally.failure_cost[i]),
            messages=float(tally.messages[i]),
        )
        for i, tp in enumerate(journey.touchpoints)
    }
    channels = {
        cid: ChannelFigures(
            contacts=float(tally.channel_contacts[i]),
            failure_contacts=float(tally.channel_failure_contacts[i]),
            cost=float((tally.channel_contacts[i] + tally.channel_messages[i]) * costs[i]),
            failure_cost=float(tally.channel_failure_cost[i]),
            messages=float(tally.channel_messages[i]),
        )
        for i, cid in enumerate(channel_ids)
    }
    return Figures(
        journey=journey.id,
        method=method,
        completion_rate=tally.completed,
        abandon_rate=tally.gave_up + tally.stuck,
        contacts_per_customer=contacts,
        messages_per_customer=float(tally.messages.sum()) if sends else None,
        failure_demand_ratio=failure / contacts if contacts > 0 else 0.0,
        cost_per_customer=float((tally.channel_contacts + tally.channel_messages) @ costs),
        touchpoints=touchpoints,
        channels=channels,
        gaps=_gaps(tally, channel_ids),
        breakpoints=_breakpoints(tally, journey, channel_ids, (*causes, STUCK)),
        causes={name: float(n) for name, n in zip(causes, tally.causes, strict=True) if n > _TINY},
        cause_costs={
            name: float(c)
            for name, c, n in zip(causes, tally.cause_cost, tally.causes, strict=True)
            if n > _TINY
        },
        **extra,
    )


def _gaps(tally: Tally, channel_ids: list[str]) -> tuple[Gap, ...]:
    rows, cols = np.nonzero(tally.gaps > _TINY)
    gaps = [
        Gap(channel_ids[a], channel_ids[b], float(tally.gaps[a, b]))
        for a, b in zip(rows, cols, strict=True)
    ]
    return tuple(sorted(gaps, key=lambda g: (-g.count, g.source, g.target)))


def _breakpoints(
    tally: Tally, journey: Journey, channel_ids: list[str], causes: tuple[str, ...]
) -> tuple[Breakpoint, ...]:
    found = np.argwhere(tally.breakpoints > _TINY)
    points = [
        Breakpoint(
            journey.touchpoints[t].id, channel_ids[c], causes[k], float(tally.breakpoints[t, c, k])
        )
        for t, c, k in found
    ]
    return tuple(sorted(points, key=lambda b: (-b.count, b.touchpoint, b.channel, b.cause)))
