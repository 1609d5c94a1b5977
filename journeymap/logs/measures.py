"""Failure demand in a contact log: repeats, first-contact resolution and channel switches.

A customer's contacts are taken in order of time, ties in time in order of ``row``. With
``same_topic`` the contacts are also split by topic (a missing topic counting as a topic
of its own); the contacts of one customer, or of one customer and topic, are a *matter*.

- a contact is a **repeat** when the matter's contact before it is at most ``window``
  earlier (the same time counts): the customer had to come back, the proxy of failure
  demand (häiriökysyntä);
- a contact is **resolved** when no repeat follows it: the matter's next contact is
  more than ``window`` later, or there is none;
- a **first contact** is one that is not a repeat (value demand, arvokysyntä, as far as
  the log can tell); **first-contact resolution** is the share of them resolved;
- a contact is a **switch** when the customer's contact before it, whatever its topic,
  was in another channel; a **switch after unresolved** when that contact was also at
  most ``window`` earlier (and about the same topic, with ``same_topic``).

The measures are Ibis expressions, so any backend Ibis offers runs them (see
``journeymap.logs.engine``). The engine only counts; shares, percentiles and rankings are
worked out here from those counts, so every engine gives the same figures.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import ibis

from journeymap.errors import JourneymapError

COLUMNS = ("customer", "time", "channel", "topic", "outcome", "row")
"""The columns of a contact table."""
ANNOTATIONS = (
    "seq",
    "prev_channel",
    "since_prev",
    "is_repeat",
    "is_resolved",
    "is_switch",
    "switch_after_unresolved",
)
"""The columns ``annotate`` adds."""
SIGNIFICANT = 12
"""``as_dict`` rounds shares and means to this many significant digits."""
_MICROS = 1_000_000


class LogError(JourneymapError):
    """A log that cannot be measured so: a column missing, a negative window or ``top``."""


def annotate(
    contacts: ibis.Table, window: datetime.timedelta, same_topic: bool = False
) -> ibis.Table:
    """``contacts`` with ``ANNOTATIONS``: each contact's place among the customer's contacts.

    - ``seq``: 1 for the customer's first contact, 2 for the next, and so on;
    - ``prev_channel``: the channel of the customer's contact before, null for the first;
    - ``since_prev``: seconds since the customer's contact before, null for the first;
    - ``is_repeat``, ``is_resolved``, ``is_switch``, ``switch_after_unresolved``: as the
      module says, with matters split by topic when ``same_topic``.
    """
    _check(contacts, window)
    limit = window // datetime.timedelta(microseconds=1)
    order = [contacts.time, contacts.row]
    customer = ibis.window(group_by=contacts.customer, order_by=order)
    keys = [contacts.customer, contacts.topic] if same_topic else [contacts.customer]
    matter = ibis.window(group_by=keys, order_by=order)
    time, channel, topic = contacts.time, contacts.channel, contacts.topic
    since = _micros(time.lag().over(customer), time)
    prev_channel = channel.lag().over(customer)
    is_switch = (prev_channel != channel).fill_null(False)
    near = since <= limit
    if same_topic:
        near = near & topic.identical_to(topic.lag().over(customer))
    return contacts.mutate(
        seq=ibis.row_number().over(customer) + 1,
        prev_channel=prev_channel,
        since_prev=since / _MICROS,
        is_repeat=(_micros(time.lag().over(matter), time) <= limit).fill_null(False),
        is_resolved=(_micros(time, time.lead().over(matter)) > limit).fill_null(True),
        is_switch=is_switch,
        switch_after_unresolved=(is_switch & near).fill_null(False),
    )


def _micros(earlier: ibis.Value, later: ibis.Value) -> ibis.Value:
    """Whole microseconds from ``earlier`` to ``later``, exact on every engine."""
    return later.delta(earlier, unit="microsecond")


def _check(contacts: ibis.Table, window: datetime.timedelta) -> None:
    missing = [name for name in COLUMNS if name not in contacts.columns]
    if missing:
        raise LogError(f"the contact table has no column {', '.join(missing)}")
    if window < datetime.timedelta(0):
        raise LogError(
            f"the repeat window must not be negative: {window.total_seconds():g} seconds"
        )


@dataclass(frozen=True)
class Tally:
    """Contacts counted: all, repeats, first contacts, and first contacts resolved."""

    contacts: int = 0
    repeats: int = 0
    resolved_first_contacts: int = 0

    @property
    def first_contacts(self) -> int:
        """Contacts that are not repeats."""
        return self.contacts - self.repeats

    @property
    def repeat_ratio(self) -> float | None:
        """Repeats per contact: the failure-demand proxy; None with no contacts."""
        return _share(self.repeats, self.contacts)

    @property
    def first_contact_resolution(self) -> float | None:
        """The share of first contacts resolved; None with no first contacts."""
        return _share(self.resolved_first_contacts, self.first_contacts)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.contacts + other.contacts,
            self.repeats + other.repeats,
            self.resolved_first_contacts + other.resolved_first_contacts,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the counts and the two shares, as the properties name them.

        ``contacts``, ``repeats``, ``repeat_ratio``, ``first_contacts``,
        ``resolved_first_contacts``, ``first_contact_resolution``.
        """
        return {
            "contacts": self.contacts,
            "repeats": self.repeats,
            "repeat_ratio": _round(self.repeat_ratio),
            "first_contacts": self.first_contacts,
            "resolved_first_contacts": self.resolved_first_contacts,
            "first_contact_resolution": _round(self.first_contact_resolution),
        }


@dataclass(frozen=True)
class Breakdown:
    """Contacts by one or more columns, the groups with most repeats first.

    Ties go to more contacts, then to the key in order (a missing value last).
    """

    names: tuple[str, ...]
    rows: tuple[tuple[tuple[str | None, ...], Tally], ...]
    others: Tally
    other_groups: int
    total: Tally

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the top groups, the rest summed, and the total.

        - ``rows``: the top groups, each its key columns (``names``) and its ``Tally``;
        - ``others``: the groups left out, summed, with their number as ``groups``;
        - ``total``: every contact.
        """
        return {
            "rows": [dict(zip(self.names, key, strict=True)) | t.as_dict() for key, t in self.rows],
            "others": {"groups": self.other_groups} | self.others.as_dict(),
            "total": self.total.as_dict(),
        }


@dataclass(frozen=True)
class Switch:
    """Contacts made in channel ``to`` right after the customer's contact in ``source``."""

    source: str
    to: str
    count: int
    after_unresolved: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``from``, ``to``, ``count`` and ``after_unresolved``.

        ``after_unresolved`` counts the switches whose contact before was still unresolved:
        at most the window earlier (and about the same topic, with ``same_topic``).
        """
        return {
            "from": self.source,
            "to": self.to,
            "count": self.count,
            "after_unresolved": self.after_unresolved,
        }


@dataclass(frozen=True)
class Spread:
    """Contacts per customer: the mean, the median, the 90th percentile and the most.

    The percentiles are nearest-rank: the smallest count that at least that share of
    customers do not exceed. All None with no customers.
    """

    mean: float | None
    p50: int | None
    p90: int | None
    max: int | None

    def as_dict(self) -> dict[str, Any]:
        """``mean``, ``p50``, ``p90``, ``max``."""
        return {"mean": _round(self.mean), "p50": self.p50, "p90": self.p90, "max": self.max}


@dataclass(frozen=True)
class LogFigures:
    """What a contact log says about failure demand; see the module for the definitions.

    ``total`` counts every contact; ``switches`` are the pairs of channels, most first;
    ``histogram`` says how many customers made how many contacts, as (contacts, customers)
    pairs, fewest contacts first. Every figure is worked out from counts in Python, so
    the figures of two engines are equal, not merely close.
    """

    window: datetime.timedelta
    same_topic: bool
    top: int
    customers: int
    per_customer: Spread
    total: Tally
    switches: tuple[Switch, ...]
    by_channel: Breakdown
    by_topic: Breakdown
    hotspots: Breakdown
    histogram: tuple[tuple[int, int], ...] = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, shares and means rounded to ``SIGNIFICANT`` digits.

        - ``window_seconds``, ``same_topic``, ``top``: how it was measured;
        - ``contacts``, ``customers``; ``contacts_per_customer``: ``Spread.as_dict``;
        - ``repeats`` and ``repeat_ratio`` (repeats per contact, the failure-demand proxy);
          ``first_contacts``, ``resolved_first_contacts`` and ``first_contact_resolution``;
        - ``switches``: contacts in another channel than the one before, and
          ``switches_after_unresolved``; ``switch_matrix``: the ``Switch.as_dict`` of each
          pair of channels, most first;
        - ``by_channel``, ``by_topic`` and ``hotspots`` (by topic and channel): the
          ``Breakdown.as_dict`` of each, at most ``top`` rows.
        """
        return {
            "window_seconds": _round(self.window.total_seconds()),
            "same_topic": self.same_topic,
            "top": self.top,
            "contacts": self.total.contacts,
            "customers": self.customers,
            "contacts_per_customer": self.per_customer.as_dict(),
            **{k: v for k, v in self.total.as_dict().items() if k != "contacts"},
            "switches": sum(s.count for s in self.switches),
            "switches_after_unresolved": sum(s.after_unresolved for s in self.switches),
            "switch_matrix": [s.as_dict() for s in self.switches],
            "by_channel": self.by_channel.as_dict(),
            "by_topic": self.by_topic.as_dict(),
            "hotspots": self.hotspots.as_dict(),
        }


def measure(
    contacts: ibis.Table, window: datetime.timedelta, same_topic: bool = False, *, top: int = 20
) -> LogFigures:
    """The failure-demand figures of ``contacts``, breakdowns cut at ``top`` rows.

    Two queries run on the contacts' backend: the annotated contacts counted by topic,
    channel and the channel switched from, and the customers counted by their number of
    contacts. Everything else is summed from those two small tables.
    """
    if top < 0:
        raise LogError(f"top must be 0 or more, not {top}")
    cells = _cells(annotate(contacts, window, same_topic))
    histogram = _histogram(contacts)
    return LogFigures(
        window=window,
        same_topic=same_topic,
        top=top,
        customers=sum(customers for _, customers in histogram),
        per_customer=spread(histogram),
        total=sum((tally for *_, tally in cells), Tally()),
        switches=_switches(cells),
        by_channel=_breakdown(("channel",), _by(cells, lambda t, c: (c,)), top),
        by_topic=_breakdown(("topic",), _by(cells, lambda t, c: (t,)), top),
        hotspots=_breakdown(("topic", "channel"), _by(cells, lambda t, c: (t, c)), top),
        histogram=histogram,
    )


_Cell = tuple[str | None, str, str | None, int, Tally]
"""Topic, channel, channel switched from (or None), switches after unresolved, tally."""


def _cells(marked: ibis.Table) -> list[_Cell]:
    """The annotated contacts counted by topic, channel and the channel switched from."""
    source = ibis.ifelse(marked.is_switch, marked.prev_channel, ibis.null("string"))
    first_resolved = ~marked.is_repeat & marked.is_resolved
    counted = (
        marked.mutate(source=source, first_resolved=first_resolved)
        .group_by(["topic", "channel", "source"])
        .aggregate(
            contacts=ibis._.count(),
            repeats=ibis._.is_repeat.cast("int64").sum(),
            first_resolved=ibis._.first_resolved.cast("int64").sum(),
            after_unresolved=ibis._.switch_after_unresolved.cast("int64").sum(),
        )
    )
    return [
        (
            row["topic"],
            row["channel"],
            row["source"],
            int(row["after_unresolved"]),
            Tally(int(row["contacts"]), int(row["repeats"]), int(row["first_resolved"])),
        )
        for row in counted.to_pyarrow().to_pylist()
    ]


def _histogram(contacts: ibis.Table) -> tuple[tuple[int, int], ...]:
    """How many customers made 1, 2, 3, … contacts, as (contacts, customers), fewest first."""
    per_customer = contacts.group_by("customer").aggregate(n=ibis._.count())
    counted = per_customer.group_by("n").aggregate(customers=ibis._.count())
    rows = counted.to_pyarrow().to_pylist()
    return tuple(sorted((int(row["n"]), int(row["customers"])) for row in rows))


def spread(histogram: Sequence[tuple[int, int]]) -> Spread:
    """Mean, nearest-rank median and 90th percentile, and most, of (count, customers) pairs."""
    customers = sum(n for _, n in histogram)
    if customers == 0:
        return Spread(None, None, None, None)
    contacts = sum(count * n for count, n in histogram)
    return Spread(
        contacts / customers,
        nearest_rank(histogram, Fraction(1, 2)),
        nearest_rank(histogram, Fraction(9, 10)),
        max(count for count, _ in histogram),
    )


def nearest_rank(histogram: Sequence[tuple[int, int]], q: Fraction) -> int | None:
    """The smallest count that at least a share ``q`` of customers do not exceed."""
    customers = sum(n for _, n in histogram)
    running = 0
    for count, n in sorted(histogram):
        running += n
        if running >= q * customers:
            return count
    return None


def _switches(cells: Iterable[_Cell]) -> tuple[Switch, ...]:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for _topic, channel, source, after, tally in cells:
        if source is not None:
            counts[source, channel][0] += tally.contacts
            counts[source, channel][1] += after
    switches = [Switch(a, b, count, after) for (a, b), (count, after) in counts.items()]
    return tuple(sorted(switches, key=lambda s: (-s.count, -s.after_unresolved, s.source, s.to)))


def _by(
    cells: Iterable[_Cell], key: Callable[[str | None, str], tuple[str | None, ...]]
) -> dict[tuple[str | None, ...], Tally]:
    """The cells' tallies summed by ``key(topic, channel)``."""
    tallies: dict[tuple[str | None, ...], Tally] = defaultdict(Tally)
    for topic, channel, _source, _after, tally in cells:
        group = key(topic, channel)
        tallies[group] = tallies[group] + tally
    return tallies


def _breakdown(
    names: tuple[str, ...], tallies: Mapping[tuple[str | None, ...], Tally], top: int
) -> Breakdown:
    ranked = sorted(tallies.items(), key=lambda item: _rank(*item))
    shown, rest = ranked[:top], ranked[top:]
    return Breakdown(
        names=names,
        rows=tuple(shown),
        others=sum((t for _, t in rest), Tally()),
        other_groups=len(rest),
        total=sum((t for _, t in ranked), Tally()),
    )


def _rank(key: tuple[str | None, ...], tally: Tally) -> tuple[Any, ...]:
    """Most repeats first, then most contacts, then the key in order with missing values last."""
    return (-tally.repeats, -tally.contacts, *((v is None, v or "") for v in key))


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _round(value: float | None) -> float | None:
    """``value`` to ``SIGNIFICANT`` significant digits: the same on every engine."""
    return None if value is None else float(f"{value:.{SIGNIFICANT}g}")
