"""Turn the mapped columns of any log into the contact table, rejecting rows that do not fit.

Every check runs on whole columns at once; only the rejected rows are looked at one by
one, to write their reasons. A row with several problems is rejected once, with all of
them.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping as Columns
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from journeymap.logs.mapping import Mapping
from journeymap.logs.table import SCHEMA, UNITS, Contacts, Rejected
from journeymap.logs.times import naive_utc, parse_times, time_problem


@dataclass(frozen=True)
class Raw:
    """A log's mapped columns as read, by source column name, before any checking.

    ``rows`` numbers each row as ``SCHEMA`` says; ``rejected`` are the rows the reader could
    not even split into columns; ``rows_read`` counts both.
    """

    columns: Columns[str, pa.Array]
    rows: pa.Array
    rejected: tuple[Rejected, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def rows_read(self) -> int:
        """Data rows seen: those with columns and those without."""
        return len(self.rows) + len(self.rejected)


@dataclass(frozen=True)
class _Check:
    """Rows failing one check, and the reason for one of them, given its value."""

    failed: pa.Array
    values: pa.Array
    reason: Callable[[str | None], str]


def normalise(raw: Raw, mapping: Mapping, source: str, fmt: str) -> Contacts:
    """The contacts of ``raw`` under ``mapping``; rows failing a check become ``Rejected``."""
    customer = _text(raw.columns[mapping.customer])
    checks = [_customer_check(customer, mapping)]
    if mapping.unknown_customers:
        checks.append(_unknown_check(customer, mapping))
    time, time_checks = _time(raw, mapping)
    checks += time_checks
    channel, channel_checks = _channel(raw, mapping, len(customer))
    checks += channel_checks
    bad = _any_failed(checks, len(customer))
    kept = pc.invert(bad)
    columns = [
        customer,
        time,
        channel,
        _optional(raw, mapping.topic),
        _optional(raw, mapping.outcome),
    ]
    table = pa.table(
        [*(pc.filter(c, kept) for c in columns), pc.filter(pc.cast(raw.rows, pa.int64()), kept)],
        schema=SCHEMA,
    )
    rejected = sorted((*raw.rejected, *_rejected(checks, bad, raw.rows)), key=lambda r: r.row)
    return Contacts(
        table,
        tuple(rejected),
        source,
        raw.rows_read,
        UNITS[fmt],
        raw.notes,
    )


def _text(values: pa.Array) -> pa.Array:
    """Values as trimmed text; missing ones as empty text.

    Columns stay in their chunks: joined, a column of more than 2 GiB of text would not fit
    Arrow's string type.
    """
    if values.type != pa.string():
        values = pc.cast(values, pa.string())
    return pc.fill_null(pc.utf8_trim_whitespace(values), "")


def _customer_check(customer: pa.Array, mapping: Mapping) -> _Check:
    column = mapping.customer
    return _Check(
        pc.equal(customer, ""),
        customer,
        lambda _: f"no customer id: '{column}' has no value; every contact needs one",
    )


def _unknown_check(customer: pa.Array, mapping: Mapping) -> _Check:
    return _Check(
        pc.is_in(customer, value_set=pa.array(mapping.unknown_customers, pa.string())),
        customer,
        lambda value: (
            f"customer '{value}' is not identified (listed in unknown_customers); "
            "the contact cannot be linked to the customer's others"
        ),
    )


def _time(raw: Raw, mapping: Mapping) -> tuple[pa.Array, list[_Check]]:
    columns = mapping.time_columns
    first = raw.columns[columns[0]]
    if len(columns) == 1 and _is_temporal(first.type):
        times = naive_utc(first)
        return times, [_Check(pc.is_null(times), times, lambda _: _no_time(columns))]
    parts = [_text(raw.columns[column]) for column in columns]
    empty = pc.equal(parts[0], "")
    for part in parts[1:]:
        empty = pc.or_(empty, pc.equal(part, ""))
    text = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, " ")
    times = parse_times(pc.if_else(empty, pa.scalar(None, pa.string()), text), mapping.time_format)
    unparsed = pc.and_(pc.invert(empty), pc.is_null(times))
    time_format = mapping.time_format
    label = "" if len(columns) == 1 else f" ({' + '.join(columns)})"

    def wrong(value: str | None) -> str:
        return time_problem(value or "", time_format, label)

    return times, [_Check(empty, text, lambda _: _no_time(columns)), _Check(unparsed, text, wrong)]


def _no_time(columns: tuple[str, ...]) -> str:
    named = " or ".join(f"'{c}'" for c in columns)
    return f"no time: {named} has no value; every contact needs one"


def _is_temporal(kind: pa.DataType) -> bool:
    return bool(pa.types.is_timestamp(kind) or pa.types.is_date(kind))


def _channel(raw: Raw, mapping: Mapping, size: int) -> tuple[pa.Array, list[_Check]]:
    if mapping.channel is None:
        return pa.repeat(pa.scalar(mapping.channel_value, pa.string()), size), []
    channel = _text(raw.columns[mapping.channel])
    column = mapping.channel
    check = _Check(
        pc.equal(channel, ""),
        channel,
        lambda _: (
            f"no channel: '{column}' has no value; fill it in, or map no channel column "
            "and set channel_value"
        ),
    )
    if mapping.channel_names:
        raw_values = pa.array(list(mapping.channel_names), pa.string())
        names = pa.array(list(mapping.channel_names.values()), pa.string())
        renamed = pc.take(names, pc.index_in(channel, value_set=raw_values))
        channel = pc.coalesce(renamed, channel)
    return channel, [check]


def _optional(raw: Raw, column: str | None) -> pa.Array:
    if column is None:
        return pa.nulls(len(raw.rows), pa.string())
    text = _text(raw.columns[column])
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _any_failed(checks: list[_Check], size: int) -> pa.Array:
    bad = pa.repeat(pa.scalar(False), size)
    for check in checks:
        bad = pc.or_(bad, pc.fill_null(check.failed, False))
    return bad


def _rejected(checks: list[_Check], bad: pa.Array, rows: pa.Array) -> list[Rejected]:
    where = pc.indices_nonzero(bad)
    if len(where) == 0:
        return []
    failed = [pc.fill_null(pc.take(c.failed, where), False).to_pylist() for c in checks]
    values = [pc.take(c.values, where).to_pylist() for c in checks]
    reasons: list[Rejected] = []
    for i, row in enumerate(pc.take(rows, where).to_pylist()):
        said = [c.reason(values[k][i]) for k, c in enumerate(checks) if failed[k][i]]
        reasons.append(Rejected(int(row), "; ".join(said)))
    return reasons
