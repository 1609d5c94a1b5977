"""Parse a column of time texts at once, and say why a text is not a time.

Without a format, texts must be ISO 8601: a date, or a date and time (``T`` or a space
between) with an optional fraction and zone offset. Arrow's cast reads these exactly, but
stops at the first bad value; so a column that does not cast whole is split in halves until
the bad values stand alone (few bad values cost little more than none). Fractions finer
than a microsecond are cut to the microsecond.

With a format, Arrow's ``strptime`` reads millions of values a second but lets an
impossible field roll over: 31 February becomes 3 March. A rolled-over value lands on day
1 to 3 (or second 0 or 1), so only those values have their fields checked against the
calendar, by a pattern made from the format. What Arrow cannot read, what rolled over, and
what the pattern cannot check, Python's ``strptime`` reads again, once per distinct value,
and its answer stands.
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

US = pa.timestamp("us")
UTC = pa.timestamp("us", "UTC")
_NO_TEXT = pa.scalar(None, pa.string())
_DATE = r"\d{4}-\d{2}-\d{2}"
_CLOCK = r"[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
_OFFSET = r"(?:Z|[+-]\d{2}(?::?\d{2})?)"
NAIVE_ISO = f"^{_DATE}(?:{_CLOCK})?$"
"""An ISO 8601 date or date-time without zone offset, as Arrow's cast reads it."""
ZONED_ISO = f"^{_DATE}{_CLOCK}{_OFFSET}$"
"""An ISO 8601 date-time with a zone offset (``Z``, ``+01``, ``+0100``, ``+01:00``)."""
_ISO_SHAPE = re.compile(f"{_DATE}(?:{_CLOCK}{_OFFSET}?)?")
_ISO_EXAMPLES = "2016-01-12, 2016-01-12 08:30:00 or 2016-01-12T08:30:00+01:00"
_MONTHS = pa.array(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
)
_DAYS = pa.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], pa.int64())
_FIELDS = {
    "d": r"(?P<day>\d{1,2})",
    "e": r"\s*(?P<day>\d{1,2})",
    "m": r"(?P<month>\d{1,2})",
    "b": r"(?P<name>[A-Za-z]+)",
    "B": r"(?P<name>[A-Za-z]+)",
    "h": r"(?P<name>[A-Za-z]+)",
    "Y": r"(?P<year>\d{4})",
    "y": r"(?P<century>\d{2})",
    "S": r"(?P<second>\d{1,2})",
    "H": r"\d{1,2}",
    "I": r"\d{1,2}",
    "M": r"\d{1,2}",
    "j": r"\d{1,3}",
    "a": r"[A-Za-z]+",
    "A": r"[A-Za-z]+",
    "p": r"[A-Za-z.]+",
    "z": r"(?:Z|[+-]\d{2}:?\d{2})",
    "%": "%",
}
"""Strptime directives as patterns; the date fields and seconds are captured for checking."""


def parse_times(text: pa.Array, time_format: str | None) -> pa.Array:
    """Timestamps (``us``, naive, UTC where an offset was given) of ``text``; null if none."""
    if time_format is None:
        return _iso(text)
    return _formatted(text, time_format)


def naive_utc(times: pa.Array) -> pa.Array:
    """Timestamps or dates as naive ``timestamp[us]``; zoned ones as their UTC time."""
    kind = times.type
    if pa.types.is_date(kind):
        return pc.cast(times, US)
    if kind.tz is not None:
        times = pc.cast(pc.cast(times, pa.int64()), pa.timestamp(kind.unit))
    return pc.cast(times, US, safe=False)


def time_problem(value: str, time_format: str | None, label: str = "") -> str:
    """Why ``value`` is not a time (in the given format), and what to do about it.

    ``label`` follows the value: `` (date + hour)`` names the columns it was joined from.
    """
    said = f"time '{value}'{label}"
    if time_format is None:
        if _ISO_SHAPE.fullmatch(value):
            return f"{said} is not a real date and time; correct it"
        return (
            f"{said} is not an ISO 8601 date or date-time ({_ISO_EXAMPLES}); "
            "give its format with --time-format"
        )
    try:
        datetime.datetime.strptime(value, time_format)
    except ValueError as error:
        if str(error).startswith("time data"):
            return f"{said} does not match --time-format {time_format}"
        return f"{said} does not match --time-format {time_format}: {error}"
    return f"{said} could not be read with --time-format {time_format}"


def _iso(text: pa.Array) -> pa.Array:
    """ISO 8601 texts as naive UTC timestamps: cast whole if they all cast, else sorted out."""
    kinds = (US, UTC)
    first = pc.drop_null(text[: 1 + pc.index(pc.is_valid(text), True).as_py()])
    if len(first) and re.fullmatch(ZONED_ISO, first[0].as_py()):
        kinds = (UTC, US)
    try:
        return naive_utc(pc.cast(text, kinds[0]))
    except pa.ArrowInvalid:
        pass
    micro = pc.replace_substring_regex(text, pattern=r"(\.\d{6})\d+", replacement=r"\1")
    times = pa.nulls(len(text), US)
    for pattern, kind in ((NAIVE_ISO, US), (ZONED_ISO, UTC)):
        shaped = pc.match_substring_regex(micro, pattern)
        if pc.any(shaped).as_py():
            iso = pc.if_else(shaped, micro, _NO_TEXT)
            times = pc.coalesce(times, naive_utc(_cast_valid(_real_dates(iso), kind)))
    return times


def _real_dates(iso: pa.Array) -> pa.Array:
    """ISO 8601 texts, null where the date does not exist (2016-02-30, 2016-13-01)."""
    year, month, day = (
        pc.cast(pc.utf8_slice_codeunits(iso, start, start + size), pa.int64())
        for start, size in ((0, 4), (5, 2), (8, 2))
    )
    real = pc.and_(
        _within(month, 1, 12),
        pc.and_(pc.greater_equal(day, 1), pc.less_equal(day, _days_in(year, month))),
    )
    return pc.if_else(pc.fill_null(real, False), iso, _NO_TEXT)


def _within(values: pa.Array, low: int, high: int) -> pa.Array:
    return pc.and_(pc.greater_equal(values, low), pc.less_equal(values, high))


def _cast_valid(text: pa.Array, kind: pa.DataType) -> pa.Array:
    """``text`` cast to ``kind``, null where a value does not cast: halves until it does.

    With impossible dates taken out first, only impossible times of day are left to find
    this way (``24:00``, ``08:60``), and they are rare.
    """
    pieces: list[pa.Array] = []
    _cast_into(pieces, text, kind)
    return pa.chunked_array(pieces, kind)


def _cast_into(pieces: list[pa.Array], text: pa.Array, kind: pa.DataType) -> None:
    try:
        cast = pc.cast(text, kind)
    except pa.ArrowInvalid:
        if len(text) == 1:
            pieces.append(pa.nulls(1, kind))
            return
        half = len(text) // 2
        _cast_into(pieces, text[:half], kind)
        _cast_into(pieces, text[half:], kind)
        return
    pieces.extend(cast.chunks if isinstance(cast, pa.ChunkedArray) else [cast])


def _formatted(text: pa.Array, time_format: str) -> pa.Array:
    parsed = pc.strptime(text, format=time_format, unit="us", error_is_null=True)
    zoned = parsed.type.tz is not None
    parsed = naive_utc(parsed)
    doubtful = pc.or_(
        pc.and_(pc.is_valid(text), pc.is_null(parsed)),
        _rolled_over(text, parsed, time_format, zoned=zoned),
    )
    if not pc.any(doubtful).as_py():
        return parsed
    return pc.if_else(doubtful, _by_python(text, doubtful, time_format), parsed)


def _rolled_over(text: pa.Array, parsed: pa.Array, time_format: str, *, zoned: bool) -> pa.Array:
    """True where Arrow may have rolled an impossible field over into the next month or minute."""
    size = len(text)
    if not re.search(r"%[deST]", time_format):
        return pa.repeat(pa.scalar(False), size)
    suspect = pc.is_valid(parsed)
    if not zoned:
        low = pc.or_(pc.less_equal(pc.day(parsed), 3), pc.less_equal(pc.second(parsed), 1))
        suspect = pc.and_(suspect, pc.fill_null(low, False))
    pattern = _pattern(time_format)
    where = pc.indices_nonzero(suspect)
    if pattern is None or len(where) == 0:
        return pc.fill_null(suspect, False)
    wrong = _impossible(pc.extract_regex(pc.take(text, where), pattern=pattern))
    mask = np.zeros(size, dtype=bool)
    mask[where.to_numpy()[wrong.to_numpy(zero_copy_only=False)]] = True
    return pa.array(mask)


def _pattern(time_format: str) -> str | None:
    """A regular expression for texts in ``time_format``; ``None`` if it cannot be made."""
    parts = []
    for literal, directive in re.findall(r"([^%]*)(%.|$)", time_format):
        parts.append(r"\s*" if literal.isspace() else re.escape(literal))
        if directive:
            piece = _FIELDS.get(directive[1])
            if piece is None or (piece.startswith("(?P") and piece in parts):
                return None
            parts.append(piece)
    return r"^\s*" + "".join(parts) + r"\s*$"


def _impossible(fields: pa.Array) -> pa.Array:
    """True where the captured fields are not a real date and time (or did not match)."""
    names = {fields.type.field(i).name for i in range(fields.type.num_fields)}

    def number(name: str, default: int) -> pa.Array:
        if name not in names:
            return pa.scalar(default, pa.int64())
        return pc.cast(pc.struct_field(fields, name), pa.int64())

    year = number("year", 1900)
    if "century" in names:
        two = number("century", 0)
        year = pc.add(two, pc.if_else(pc.less(two, 69), 2000, 1900))
    month = number("month", 1)
    if "name" in names:
        short = pc.utf8_slice_codeunits(pc.utf8_lower(pc.struct_field(fields, "name")), 0, 3)
        month = pc.add(pc.index_in(short, value_set=_MONTHS), 1)
    wrong = pc.or_(
        pc.greater(number("day", 1), _days_in(year, month)),
        pc.greater_equal(number("second", 0), 60),
    )
    return pc.fill_null(pc.or_kleene(pc.is_null(fields), wrong), True)


def _days_in(year: pa.Array, month: pa.Array) -> pa.Array:
    leap = pc.and_(
        pc.equal(pc.bit_wise_and(year, 3), 0),
        pc.or_(pc.not_equal(pc.remainder(year, 100), 0), pc.equal(pc.remainder(year, 400), 0)),
    )
    valid = _within(month, 1, 12)
    days = pc.take(_DAYS, pc.if_else(valid, pc.subtract(month, 1), pa.scalar(None, pa.int64())))
    return pc.add(days, pc.cast(pc.and_(leap, pc.equal(month, 2)), pa.int64()))


def _by_python(text: pa.Array, doubtful: pa.Array, time_format: str) -> pa.Array:
    """Python's reading of the doubtful texts, aligned with ``text`` (null elsewhere)."""
    distinct = pc.unique(pc.filter(text, doubtful))
    times = [_strptime(value, time_format) for value in distinct.to_pylist()]
    return pc.take(pa.array(times, US), pc.index_in(text, value_set=distinct))


def _strptime(value: str, time_format: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.strptime(value, time_format)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment
