"""Which columns of a contact log hold the customer, the time, the channel and the rest.

A mapping is written in a small YAML file (``Mapping.from_yaml``) or built in code, and
command-line options override it (``Mapping.merged``). Every value is checked where it is
given, so a wrong mapping fails before a single row is read.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from journeymap.errors import JourneymapError, LoadError
from journeymap.model.checks import suggest
from journeymap.source import Document, read_document

FORMATS = ("csv", "parquet", "xes")
SUFFIXES = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".xes": "xes",
}
"""Formats by file suffix; a ``.gz`` after the suffix is read transparently."""
DELIMITERS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
"""Names a delimiter may be given by, besides the character itself."""
_SAMPLE = datetime.datetime(2001, 2, 3, 4, 5, 6, 7)


class MappingError(JourneymapError):
    """A mapping is wrong: an unknown key, a bad value, or a column the log lacks."""


@dataclass(frozen=True)
class Mapping:
    """Where a log keeps each field of a contact, and how to read the file.

    ``time`` is one column, or two (a date and a time of day) joined by a space before
    parsing with ``time_format`` (ISO 8601 when it is not given). Column names are
    XES attribute keys for XES logs: ``concept:name`` for an event's, ``case:concept:name``
    for its trace's.
    """

    customer: str
    time: str | tuple[str, str]
    time_format: str | None = None
    channel: str | None = None
    channel_value: str = "unknown"
    channel_names: dict[str, str] = field(default_factory=dict)
    topic: str | None = None
    outcome: str | None = None
    unknown_customers: tuple[str, ...] = ()
    delimiter: str | None = None
    encoding: str | None = None
    format: str | None = None

    def __post_init__(self) -> None:
        for key in KEYS:
            try:
                value = CHECKS[key](getattr(self, key))
            except ValueError as error:
                raise MappingError(f"mapping: {key}: {error}") from None
            object.__setattr__(self, key, value)

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> Mapping:
        """Read a mapping file; ``MappingError`` at ``file:line:col`` if it is wrong."""
        try:
            document = read_document(path)
        except LoadError as error:
            raise MappingError(error.brief) from None
        return _from_data(document)

    def merged(self, **overrides: object) -> Mapping:
        """A copy with the given options in place of its values (``None``: keep the value)."""
        changes: dict[str, object] = {}
        for key, value in overrides.items():
            option = "--" + key.replace("_", "-")
            if key not in CHECKS:
                raise MappingError(f"unknown mapping option {option}{suggest(key, KEYS)}")
            if value is not None:
                changes[key] = _checked(key, value, f"{option}: ")
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @property
    def time_columns(self) -> tuple[str, ...]:
        """The time column, or the date and time-of-day columns."""
        return (self.time,) if isinstance(self.time, str) else self.time

    def columns(self) -> tuple[tuple[str, str], ...]:
        """Each column the mapping names, after what it holds: ``("customer", "CustomerID")``."""
        times = self.time_columns
        roles = ("time",) if len(times) == 1 else ("time (date)", "time (time of day)")
        named = [("customer", self.customer), *zip(roles, times, strict=True)]
        named += [
            (role, column)
            for role, column in (
                ("channel", self.channel),
                ("topic", self.topic),
                ("outcome", self.outcome),
            )
            if column is not None
        ]
        return tuple(named)

    def check_columns(self, source: str, known: Sequence[str]) -> None:
        """``MappingError`` for the first column named here that is not ``known`` in the log."""
        for role, column in self.columns():
            if column not in known:
                raise MappingError(
                    f"{source}: the {role} column '{column}' is not among the log's columns"
                    f"{suggest(column, known)}"
                )

    def needed(self) -> list[str]:
        """The columns to read, each once."""
        return list(dict.fromkeys(column for _, column in self.columns()))

    def format_for(self, path: str | os.PathLike[str]) -> str:
        """The log's format: ``format`` if given, else from the file's suffix."""
        if self.format is not None:
            return self.format
        suffixes = [s.lower() for s in PurePath(path).suffixes]
        if suffixes and suffixes[-1] == ".gz":
            suffixes.pop()
        found = SUFFIXES.get(suffixes[-1]) if suffixes else None
        if found is None:
            raise MappingError(
                f"{os.fspath(path)}: cannot tell the log's format from its name; name it "
                ".csv, .parquet or .xes, or set format: csv, parquet or xes in the mapping"
            )
        return found


def _from_data(document: Document) -> Mapping:
    at, data = document.place, document.data
    if not isinstance(data, dict):
        raise MappingError(f"{at(())}: a mapping file is a YAML mapping of keys to columns")
    for key in data:
        if key not in CHECKS:
            raise MappingError(f"{at((key,), key=True)}: unknown key '{key}'{suggest(key, KEYS)}")
    for key in ("customer", "time"):
        if key not in data:
            raise MappingError(f"{at(())}: the mapping needs '{key}': the column that holds it")
    values = {key: _checked(key, value, f"{at((key,))}: {key}: ") for key, value in data.items()}
    return Mapping(**values)  # type: ignore[arg-type]


def _checked(key: str, value: object, where: str) -> object:
    """The value of ``key`` as its check normalises it; ``MappingError`` after ``where``."""
    try:
        return CHECKS[key](value)
    except ValueError as error:
        raise MappingError(f"{where}{error}") from None


def _text(value: object) -> str:
    """A scalar as text: YAML reads ``0`` or ``2016`` as numbers where a name is meant."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected text, got {_kind(value)}")
    return str(value)


def _column(value: object) -> str:
    text = _text(value)
    if not text.strip():
        raise ValueError("a column name cannot be empty")
    return text


def _optional_column(value: object) -> str | None:
    return None if value is None else _column(value)


def _time(value: object) -> str | tuple[str, str]:
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise ValueError(
                f"give one column, or a list of two (a date and a time of day), not {len(value)}"
            )
        return _column(value[0]), _column(value[1])
    return _column(value)


def _time_format(value: object) -> str | None:
    if value is None:
        return None
    text = _text(value)
    if "%" not in text:
        raise ValueError(f"'{text}' has no % directive; write it as for strptime, e.g. %d/%m/%Y")
    try:
        datetime.datetime.strptime(_SAMPLE.strftime(text), text)
    except ValueError as error:
        if "directive" in str(error) or "stray %" in str(error):
            raise ValueError(f"'{text}' is not a strptime format: {error}") from None
    return text


def _channel_value(value: object) -> str:
    text = _text(value)
    if not text.strip():
        raise ValueError("the channel name cannot be empty")
    return text


def _channel_names(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping of log values to channel names, got {_kind(value)}")
    return {_text(k): _channel_value(v) for k, v in value.items()}


def _unknown_customers(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items: Iterable[object] = value if isinstance(value, list | tuple) else [value]
    return tuple(_text(item) for item in items)


def _delimiter(value: object) -> str | None:
    if value is None:
        return None
    text = _text(value)
    text = DELIMITERS.get(text.lower(), text)
    if len(text) != 1 or text in '\r\n"':
        raise ValueError(
            f"'{text}' is not a delimiter: give one character, or tab, comma, semicolon, pipe"
        )
    return text


def _encoding(value: object) -> str | None:
    if value is None:
        return None
    text = _text(value)
    try:
        codecs.lookup(text)
    except LookupError:
        raise ValueError(f"unknown encoding '{text}'; e.g. utf-8, cp1252, latin-1") from None
    return text


def _format(value: object) -> str | None:
    if value is None:
        return None
    text = _text(value).lower()
    if text not in FORMATS:
        raise ValueError(f"unknown format '{text}'{suggest(text, FORMATS)}")
    return text


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), "a value")


CHECKS: dict[str, Callable[[object], object]] = {
    "customer": _column,
    "time": _time,
    "time_format": _time_format,
    "channel": _optional_column,
    "channel_value": _channel_value,
    "channel_names": _channel_names,
    "topic": _optional_column,
    "outcome": _optional_column,
    "unknown_customers": _unknown_customers,
    "delimiter": _delimiter,
    "encoding": _encoding,
    "format": _format,
}
"""Each mapping key and the check that normalises its value (``ValueError`` if wrong)."""
KEYS = tuple(CHECKS)
