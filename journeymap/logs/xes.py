"""Read an XES event log (plain or gzip) as contacts: each ``<event>`` one row.

The file is streamed: each trace is let go once read, so a log larger than memory reads in
the memory of its longest trace. An event's attributes are its columns by key
(``concept:name``, ``time:timestamp``, ``org:resource``); its trace's are there too, as
``case:<key>`` (``case:concept:name`` is the case id). Nested attributes are not read.

XML may declare entities that expand without bound; a log that declares a DOCTYPE or
entities is refused before parsing (by ``defusedxml`` too, when it is installed).
"""

from __future__ import annotations

import importlib
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from journeymap.logs.files import is_gzip, open_binary
from journeymap.logs.mapping import Mapping
from journeymap.logs.normalise import Raw
from journeymap.logs.table import UnreadableLog

ATTRIBUTES = frozenset({"string", "date", "int", "float", "boolean", "id"})
"""XES attribute elements whose ``value`` is read."""
CASE = "case:"
BATCH = 100_000
"""Events read between moves of their values to Arrow."""
PROLOG = 64 * 1024
"""Most bytes before the root element: comments and the XML declaration fit with room."""
_ENTITIES = (
    "declares a DOCTYPE or entities, which journeymap does not read (entities can expand "
    "without bound); remove the declaration"
)


@dataclass
class _Reading:
    """What has been read so far: the wanted values, each event's ordinal, every key seen.

    Values gather in lists and move to Arrow arrays every ``BATCH`` events, which hold
    them in a fraction of the memory.
    """

    wanted: list[str]
    values: dict[str, list[str | None]] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    chunks: dict[str, list[pa.Array]] = field(default_factory=dict)
    row_chunks: list[pa.Array] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    events: int = 0

    def add(self, ordinal: int, event: dict[str, str], trace: dict[str, str]) -> None:
        self.rows.append(ordinal)
        for key in self.wanted:
            self.values.setdefault(key, []).append(event[key] if key in event else trace.get(key))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Move the gathered values to Arrow arrays."""
        self.row_chunks.append(pa.array(self.rows, pa.int64()))
        for key in self.wanted:
            column = pa.array(self.values.get(key, []), pa.string())
            self.chunks.setdefault(key, []).append(column)
        self.rows, self.values = [], {}

    def raw(self) -> Raw:
        """What was read, once it is all read."""
        self.flush()
        columns = {key: pa.chunked_array(self.chunks[key], pa.string()) for key in self.wanted}
        return Raw(columns, pa.chunked_array(self.row_chunks, pa.int64()))


def read_xes(source: str, mapping: Mapping) -> Raw:
    """The mapped attributes of every event, with its ordinal in the file."""
    compressed = is_gzip(source)
    with open_binary(source, compressed) as handle:
        _check_prolog(source, handle.read(PROLOG))
    reading = _Reading(mapping.needed())
    with open_binary(source, compressed) as handle:
        _parse(source, handle, reading)
    if reading.events:
        mapping.check_columns(source, sorted(reading.seen))
    return reading.raw()


def _check_prolog(source: str, head: bytes) -> None:
    """Refuse what is not UTF-8 XML, and any DOCTYPE, before the root element."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableLog(f"{source}: is UTF-16 XML; save the log as UTF-8")
    text = head.removeprefix(b"\xef\xbb\xbf")
    at = 0
    while True:
        at = len(text) - len(text[at:].lstrip())
        rest = text[at:]
        if rest.startswith(b"<?"):
            at = _past(source, text, at, b"?>")
        elif rest.startswith(b"<!--"):
            at = _past(source, text, at, b"-->")
        elif rest.startswith(b"<!"):
            raise UnreadableLog(f"{source}: {_ENTITIES}")
        elif rest.startswith(b"<"):
            return
        else:
            raise UnreadableLog(f"{source}: is not XML, so not an XES log")


def _past(source: str, text: bytes, at: int, end: bytes) -> int:
    found = text.find(end, at)
    if found < 0:
        raise UnreadableLog(f"{source}: has over {PROLOG:,} bytes before its first element")
    return found + len(end)


def _parse(source: str, handle: io.BufferedIOBase, reading: _Reading) -> None:
    try:
        _walk(_iterparse()(handle, events=("start", "end")), reading, source)
    except ET.ParseError as error:
        line, column = error.position
        said = re.sub(r": line \d+, column \d+$", "", str(error))
        where = f"{source}:{line}:{column + 1}"
        raise UnreadableLog(f"{where}: is not well-formed XML: {said}") from None
    except ValueError as error:  # defusedxml's refusals
        raise UnreadableLog(f"{source}: {_ENTITIES} ({error})") from None


def _iterparse() -> Callable[..., Iterator[tuple[str, Any]]]:
    try:
        safe = importlib.import_module("defusedxml.ElementTree")
    except ImportError:
        return ET.iterparse
    iterparse: Callable[..., Iterator[tuple[str, Any]]] = safe.iterparse
    return iterparse


def _walk(parsed: Iterator[tuple[str, Any]], reading: _Reading, source: str) -> None:
    """Collect each event's wanted attributes, and its trace's once the trace is read."""
    stack: list[str] = []
    trace: dict[str, str] = {}
    pending: list[tuple[int, dict[str, str]]] = []
    root: Any = None
    for kind, element in parsed:
        tag = element.tag.rpartition("}")[2]
        if kind == "end":
            stack.pop()
            if tag == "trace" or (tag == "event" and "trace" not in stack):
                for ordinal, event in pending:
                    reading.add(ordinal, event, trace)
                pending, trace = [], {}
                root.clear()
            continue
        if root is None:
            root = _root(element, tag, source)
        parent = stack[-1] if stack else ""
        stack.append(tag)
        if tag == "event":
            reading.events += 1
            pending.append((reading.events, {}))
        elif tag == "trace":
            trace = {}
        elif tag in ATTRIBUTES and parent in ("event", "trace"):
            _attribute(element, parent, reading, pending[-1][1] if parent == "event" else trace)


def _root(element: Any, tag: str, source: str) -> Any:
    if tag != "log":
        raise UnreadableLog(f"{source}: is XML but not an XES log (its root is <{tag}>, not <log>)")
    return element


def _attribute(element: Any, parent: str, reading: _Reading, into: dict[str, str]) -> None:
    key = element.get("key")
    if key is None:
        return
    name = key if parent == "event" else CASE + key
    reading.seen.add(name)
    if name in reading.wanted:
        into[name] = element.get("value")
