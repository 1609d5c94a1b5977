"""Calibrate a journey from a contact log, and show where the log contradicts its assumptions.

Log channels and topics are linked to the journey's channels and touchpoints. From the
annotated contacts (``measures.annotate``, with topics as touchpoints) come, per
touchpoint and channel:

- **share**: the channel among arrivals that chose from the mix, that is, first contacts
  at the step whose customer came from nowhere or from a channel the step does not offer
  (the others mostly keep their channel, as the model's stickiness says);
- **resolve**: an attempt is followed by a retry with ``(1 - resolve) * retry``, so
  ``resolve = 1 - P(repeat follows) / retry`` with the journey's retry rate; attempts right
  after a switch that lost context are left out (the gap penalty lowers them);
- **switch**: the share of repeats made in another channel than the attempt before.

A contact log holds no messages, so at a message step (one offering an outbound channel)
a first contact is about a message the log does not show: it gives no share, and its
context is unknown, so only repeats there estimate resolve, and no switch rate is
estimated (a failed message's contact makes no switch draw).

Each estimate carries its sample size and a 95% Wilson interval; a journey value outside
it is **contradicted** by the log (when it is also at least ``MIN_DIFFERENCE`` away: with
millions of contacts every rounding would be "significant"). The estimates become scenario
``set`` changes, so the calibrated journey is the journey with those changes applied.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis
import pyarrow as pa

from journeymap.errors import JourneymapError, LoadError
from journeymap.loader.scenario import changed_journey
from journeymap.logs.measures import annotate
from journeymap.model import Journey
from journeymap.model.behaviour import (
    context_flow,
    mix,
    outbound_channels,
    resolve_rate,
    retry_rate,
    switch_rate,
)
from journeymap.source import read_document

Z95 = 1.959963984540054
"""The normal quantile of a two-sided 95% interval."""
MIN_DIFFERENCE = 0.02
"""A difference smaller than this does not contradict the journey, however large the sample."""
MIN_SAMPLE = 30
"""Fewer observations than this give no estimate: the interval would say little."""


class LinkError(JourneymapError):
    """The links from log values to the journey name a channel or touchpoint it lacks."""


@dataclass(frozen=True)
class Links:
    """Which log channel is which journey channel, and which log topic which touchpoint.

    Values not listed link to the journey id of the same name, if there is one; contacts
    whose topic links to no touchpoint are left out of the calibration (and counted).
    """

    channels: Mapping[str, str] = field(default_factory=dict)
    touchpoints: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_yaml(cls, path: str) -> Links:
        """Links from a YAML file with ``channels:`` and ``touchpoints:`` mappings."""
        try:
            document = read_document(path)
        except LoadError as error:
            raise LinkError(error.brief) from None
        data = {} if document.data is None else document.data
        if not isinstance(data, dict):
            raise LinkError(
                f"{document.place(())}: a links file is a mapping with 'channels:' "
                "and 'touchpoints:'"
            )
        for key in data:
            if key not in ("channels", "touchpoints"):
                raise LinkError(
                    f"{document.place((key,), key=True)}: unknown key '{key}'; a "
                    "links file has 'channels:' and 'touchpoints:' only"
                )
        parts = {}
        for key in ("channels", "touchpoints"):
            part = data.get(key) or {}
            if not isinstance(part, dict):
                raise LinkError(
                    f"{document.place((key,))}: {key}: a mapping of log values to "
                    "journey ids, e.g. {WEB: web}"
                )
            parts[key] = {str(k): str(v) for k, v in part.items()}
        return cls(parts["channels"], parts["touchpoints"])

    def check(self, journey: Journey) -> None:
        """``LinkError`` naming each link to a channel or touchpoint the journey lacks."""
        wrong = [f"channel {v!r}" for v in self.channels.values() if v not in journey.channels] + [
            f"touchpoint {v!r}"
            for v in self.touchpoints.values()
            if v not in journey.touchpoint_map
        ]
        if wrong:
            raise LinkError(f"the links name what {journey.id} does not have: {', '.join(wrong)}")


@dataclass(frozen=True)
class Estimate:
    """One parameter of one touchpoint (and channel) as the journey says and the log shows."""

    touchpoint: str
    channel: str | None
    parameter: str
    journey: float
    estimate: float
    low: float
    high: float
    sample: int

    @property
    def contradicted(self) -> bool:
        """The journey's value lies outside the log's 95% interval, and by enough to matter."""
        outside = not self.low <= self.journey <= self.high
        return outside and abs(self.journey - self.estimate) >= MIN_DIFFERENCE

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with ``contradicted``."""
        return {
            "touchpoint": self.touchpoint,
            "channel": self.channel,
            "parameter": self.parameter,
            "journey": self.journey,
            "estimate": self.estimate,
            "low": self.low,
            "high": self.high,
            "sample": self.sample,
            "contradicted": self.contradicted,
        }


@dataclass(frozen=True)
class Calibration:
    """The estimates, the changes that write them into the journey, and what was left out."""

    estimates: tuple[Estimate, ...]
    changes: tuple[dict[str, Any], ...]
    contacts: int
    unlinked: int

    def journey(self, journey: Journey) -> Journey:
        """The calibrated copy of ``journey``."""
        return changed_journey(journey, self.changes)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "contacts": self.contacts,
            "unlinked_contacts": self.unlinked,
            "estimates": [e.as_dict() for e in self.estimates],
            "changes": list(self.changes),
        }


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = Z95 * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def calibrate(
    journey: Journey,
    contacts: ibis.Table,
    links: Links | None = None,
    *,
    window: datetime.timedelta,
) -> Calibration:
    """Estimate shares, resolve and switch rates from ``contacts`` for ``journey``."""
    links = links or Links()
    links.check(journey)
    counts = _counts(contacts, window)
    return _estimate(journey, links, counts)


_KEYS = ("topic", "channel", "near", "is_repeat", "is_resolved", "is_switch")


def _counts(contacts: ibis.Table, window: datetime.timedelta) -> list[dict[str, Any]]:
    """Contacts counted by topic, channel, the channel just before, and what they were.

    The one pass over the log; everything else works on this small table.
    """
    marked = annotate(contacts, window, same_topic=True)
    near = ibis.ifelse(marked.since_prev <= window.total_seconds(), marked.prev_channel, None)
    grouped = marked.mutate(near=near).group_by(list(_KEYS)).aggregate(n=ibis._.count())
    table: pa.Table = grouped.to_pyarrow()
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


@dataclass
class _Tally:
    """Counts for one touchpoint, gathered from the grouped log."""

    arrivals: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    attempts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    followed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    repeats: int = 0
    switched: int = 0


def _estimate(journey: Journey, links: Links, counts: Iterable[dict[str, Any]]) -> Calibration:
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    total = unlinked = 0
    for row in counts:
        n = int(row["n"])
        total += n
        tid = links.touchpoints.get(row["topic"], row["topic"])
        channel = links.channels.get(row["channel"], row["channel"])
        near = row["near"] and links.channels.get(row["near"], row["near"])
        if tid not in journey.touchpoint_map or channel not in journey.channels:
            unlinked += n
            continue
        offered = journey.touchpoint(tid).channels
        tally = tallies[tid]
        if not row["is_repeat"] and outbound_channels(journey, journey.touchpoint(tid)):
            continue  # about a message the log does not show
        if row["is_repeat"]:
            tally.repeats += n
            tally.switched += n if row["is_switch"] else 0
        elif near is None or near not in offered:
            tally.arrivals[channel] += n
        lossy = (
            near is not None
            and near in journey.channels
            and (context_flow(journey, near, channel) != "full")
        )
        if not lossy and channel in offered:
            tally.attempts[channel] += n
            tally.followed[channel] += 0 if row["is_resolved"] else n
    estimates: list[Estimate] = []
    for touchpoint in journey.touchpoints:
        if touchpoint.id in tallies:
            estimates += _for_touchpoint(journey, touchpoint.id, tallies[touchpoint.id])
    return Calibration(tuple(estimates), tuple(_changes(estimates)), total, unlinked)


def _for_touchpoint(journey: Journey, tid: str, tally: _Tally) -> list[Estimate]:
    touchpoint = journey.touchpoint(tid)
    out: list[Estimate] = []
    arrivals = sum(tally.arrivals[c] for c in touchpoint.channels)
    speaks = bool(outbound_channels(journey, touchpoint))
    if arrivals >= MIN_SAMPLE and len(touchpoint.channels) > 1 and not speaks:
        designed = mix(touchpoint)
        for channel in touchpoint.channels:
            k = tally.arrivals[channel]
            low, high = wilson(k, arrivals)
            out.append(
                Estimate(
                    tid,
                    channel,
                    "share",
                    designed.get(channel, 0.0),
                    k / arrivals,
                    low,
                    high,
                    arrivals,
                )
            )
    retry = retry_rate(journey, touchpoint)
    for channel in touchpoint.channels:
        n = tally.attempts[channel]
        if n < MIN_SAMPLE or retry <= 0:
            continue
        followed = tally.followed[channel]
        # P(repeat) = (1 - resolve) * retry, so the interval of P maps onto resolve.
        low, high = wilson(followed, n)
        estimate = min(1.0, max(0.0, 1 - followed / n / retry))
        out.append(
            Estimate(
                tid,
                channel,
                "resolve",
                resolve_rate(journey, touchpoint, channel),
                estimate,
                max(0.0, 1 - high / retry),
                min(1.0, 1 - low / retry),
                n,
            )
        )
    if tally.repeats >= MIN_SAMPLE and len(touchpoint.channels) > 1 and not speaks:
        low, high = wilson(tally.switched, tally.repeats)
        out.append(
            Estimate(
                tid,
                None,
                "switch",
                switch_rate(journey, touchpoint),
                tally.switched / tally.repeats,
                low,
                high,
                tally.repeats,
            )
        )
    return out


def _changes(estimates: Iterable[Estimate]) -> list[dict[str, Any]]:
    """Scenario ``set`` changes writing every estimate into the journey, rounded to 4 places."""
    out: list[dict[str, Any]] = []
    for e in estimates:
        where = f"touchpoints.{e.touchpoint}"
        path = (
            f"{where}.switch"
            if e.channel is None
            else f"{where}.channels.{e.channel}.{e.parameter}"
        )
        out.append({"set": {"path": path, "value": round(e.estimate, 4)}})
    return out
