"""Compose YAML parser events into plain data with a mark for every key and value.

PyYAML's own composer recurses (a deeply nested file overflows the stack) and its
constructor expands aliases blindly (an "alias bomb" of a few hundred bytes expands to
billions of nodes). This composer works from the parser's event stream with an explicit
stack, counts what aliases would add before adding it, and refuses tags that construct
objects: nothing in a journey file is ever executed.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events

from journeymap.errors import LoadError
from journeymap.findings import Finding, Severity
from journeymap.source.positions import Entry, Mark, Path, PositionMap, Spot
from journeymap.source.scalars import CORE_TAGS, resolve_plain, resolve_tagged
from journeymap.source.syntax import describe
from journeymap.source.text import decode, read_bytes

SYNTAX = "yaml-syntax"
MAX_DEPTH = 64
"""Deepest nesting accepted; a journey needs about eight levels."""
MAX_ALIAS_NODES = 100_000
"""Most nodes aliases may add to a document before it counts as an alias bomb."""

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE = "<<"

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Document:
    """A composed YAML document: its data, where each part stands, and non-fatal problems."""

    name: str
    data: object
    positions: PositionMap
    findings: tuple[Finding, ...] = ()

    def place(self, path: Path, *, key: bool = False) -> str:
        """``name:line:col`` of the value (or the key) at ``path``, for error messages."""
        mark = self.positions.key(path) if key else self.positions.value(path)
        return f"{self.name}:{mark.line}:{mark.column}"


@dataclass(slots=True)
class _Node:
    """A finished node kept for later (an anchor or a merge source): value, path, log slice."""

    value: object
    path: Path
    start: int
    end: int
    size: int


@dataclass(slots=True)
class _Frame:
    """An open mapping or sequence, and the key its next child goes under."""

    path: Path
    value: dict[str, object] | list[object]
    is_map: bool
    anchor: str | None
    start: int
    in_list: bool
    size: int = 1
    key: str | None = None
    key_spot: Spot | None = None
    merging: bool = False
    discard: bool = False
    merges: list[_Node] = field(default_factory=list)


class _Fatal(Exception):
    """Stop composing: the finding says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def read_document(path: str | os.PathLike[str]) -> Document:
    """A small YAML file (a mapping, links, a configuration) read safely, with positions.

    ``LoadError`` if it cannot be read or is not YAML; its ``brief`` says where.
    """
    name = os.fspath(path)
    return compose(decode(read_bytes(name), name), name)


def compose(text: str, name: str) -> Document:
    """Compose ``text`` (one YAML document) into data and marks; ``LoadError`` if refused.

    The cyclic garbage collector is paused meanwhile: composing allocates many small
    containers and no cycles, and the collector's passes over them cost a fifth of the time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Composer(name).run(text)
    finally:
        if collecting:
            gc.enable()


def _spot(mark: Any) -> Spot:
    return (mark.line + 1, mark.column + 1)


class _Composer:
    """Builds plain data from events with an explicit stack; one instance per document."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.log: list[tuple[Path, Entry]] = []
        self.labels: dict[Path, str] = {}
        self.anchors: dict[str, _Node] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.top: _Frame | None = None
        self.alias_nodes = 0
        self.findings: list[Finding] = []
        self.root: object = None
        self.documents = 0

    def run(self, text: str) -> Document:
        """Compose the whole text, turning every refusal into a ``LoadError``."""
        handlers: dict[type, Callable[[Any], None]] = {
            events.ScalarEvent: self._scalar,
            events.MappingStartEvent: self._open,
            events.SequenceStartEvent: self._open,
            events.MappingEndEvent: self._close,
            events.SequenceEndEvent: self._close,
            events.AliasEvent: self._alias,
            events.DocumentStartEvent: self._document,
        }
        try:
            for event in _events(text, self.name):
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
        except _Fatal as fatal:
            raise LoadError([*self.findings, fatal.finding]) from None
        return Document(self.name, self.root, self._positions(), tuple(self.findings))

    def _positions(self) -> PositionMap:
        entries: dict[Path, Entry] = {}
        for path, entry in self.log:
            entries.setdefault(path, entry)
        return PositionMap(entries, self.labels)

    def _fatal(self, spot: Spot, message: str) -> _Fatal:
        return _Fatal(Finding(self.name, *spot, SYNTAX, Severity.ERROR, message))

    # -- events ---------------------------------------------------------------------------

    def _document(self, event: events.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self._fatal(
                _spot(event.start_mark),
                "a second YAML document ('---'); a journey file holds exactly one journey",
            )

    def _scalar(self, event: events.ScalarEvent) -> None:
        top = self.top
        if top is not None and top.is_map and top.key is None:
            merge = event.value == _MERGE and event.implicit[0] and event.tag is None
            self._key(event.value, _spot(event.start_mark), merge=merge)
            return
        tag = event.tag
        value: object
        if tag is None:
            value = resolve_plain(event.value) if event.implicit[0] else event.value
        else:
            value = self._tagged(event, tag)
        path, start = self._record(top, _spot(event.start_mark))
        self._attach(top, value, path, start, event.anchor)

    def _tagged(self, event: events.ScalarEvent, tag: str) -> object:
        if tag == "!":
            return event.value
        if tag not in CORE_TAGS:
            raise self._fatal(_spot(event.start_mark), _tag_message(tag))
        try:
            return resolve_tagged(event.value, tag)
        except ValueError as error:
            raise self._fatal(_spot(event.start_mark), str(error)) from None

    def _key(self, text: str, spot: Spot, *, merge: bool) -> None:
        top = self.top
        assert top is not None
        assert isinstance(top.value, dict)
        top.key, top.key_spot, top.merging, top.discard = text, spot, merge, False
        if not merge and text in top.value:
            first = self._first_key_spot((*top.path, text))
            where = f" (first at line {first[0]})" if first else ""
            self.findings.append(
                Finding(
                    self.name,
                    *spot,
                    SYNTAX,
                    Severity.ERROR,
                    f"{_dotted(top.path, self.labels)}: duplicate key '{text}'{where}; "
                    "keys in a mapping must be unique, so remove or rename one",
                )
            )
            top.discard = True

    def _first_key_spot(self, path: Path) -> Spot | None:
        for logged, (key_spot, _) in self.log:
            if logged == path:
                return key_spot
        return None

    def _open(self, event: events.MappingStartEvent | events.SequenceStartEvent) -> None:
        spot = _spot(event.start_mark)
        is_map = type(event) is events.MappingStartEvent
        top = self.top
        if top is not None and top.is_map and top.key is None:
            raise self._fatal(spot, "a mapping key must be plain text, not a list or mapping")
        if event.tag not in (None, "!", _MAP_TAG if is_map else _SEQ_TAG):
            raise self._fatal(spot, _tag_message(event.tag or ""))
        if len(self.stack) >= MAX_DEPTH:
            raise self._fatal(
                spot, f"nested more than {MAX_DEPTH} levels deep; a journey needs far fewer"
            )
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        path, start = self._record(top, spot)
        value: dict[str, object] | list[object] = {} if is_map else []
        in_list = bool(path) and isinstance(path[-1], int)
        frame = _Frame(path, value, is_map, event.anchor, start, in_list)
        self.stack.append(frame)
        self.top = frame

    def _close(self, _event: events.CollectionEndEvent) -> None:
        frame = self.stack.pop()
        self.top = self.stack[-1] if self.stack else None
        if frame.merges:
            self._merge(frame)
        self._attach(self.top, frame.value, frame.path, frame.start, frame.anchor, frame.size)

    def _alias(self, event: events.AliasEvent) -> None:
        spot = _spot(event.start_mark)
        name = event.anchor or ""
        if name in self.open_anchors:
            raise self._fatal(spot, f"alias '*{name}' refers to a node that contains it")
        source = self.anchors.get(name)
        if source is None:
            raise self._fatal(spot, f"unknown alias '*{name}'; define '&{name}' before using it")
        self.alias_nodes += source.size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise self._fatal(
                spot,
                f"alias '*{name}' would expand the document past {MAX_ALIAS_NODES:,} nodes "
                "(an alias bomb); refused, use fewer or smaller aliases",
            )
        top = self.top
        if top is not None and top.is_map and top.key is None:
            if not isinstance(source.value, str):
                raise self._fatal(spot, "a mapping key must be plain text, not a list or mapping")
            self._key(source.value, spot, merge=False)
            return
        path, start = self._record(top, spot)
        self._copy_marks(source, source.path, path)
        if source.path in self.labels:
            self.labels[path] = self.labels[source.path]
        self._attach(top, source.value, path, start, None, source.size)

    # -- placing nodes --------------------------------------------------------------------

    def _record(self, top: _Frame | None, spot: Spot) -> tuple[Path, int]:
        """Log the marks of the node starting at ``spot``; return its path and log index."""
        if top is None:
            path: Path = ()
            key_spot = None
        elif top.is_map:
            path = (*top.path, _MERGE if top.merging else top.key or "")
            key_spot = top.key_spot
        else:
            assert isinstance(top.value, list)
            path = (*top.path, len(top.value))
            key_spot = None
        self.log.append((path, (key_spot, spot)))
        return path, len(self.log) - 1

    def _attach(
        self,
        top: _Frame | None,
        value: object,
        path: Path,
        start: int,
        anchor: str | None,
        size: int = 1,
    ) -> None:
        """Put a finished node into its parent (or make it the root)."""
        node = None
        if anchor is not None or (top is not None and top.merging):
            node = _Node(value, path, start, len(self.log), size)
            if anchor is not None:
                self.open_anchors.discard(anchor)
                self.anchors[anchor] = node
        if top is None:
            self.root = value
            return
        top.size += size
        if not top.is_map:
            top.value.append(value)  # type: ignore[union-attr]
            return
        if top.merging and node is not None:
            top.merges.append(node)
        elif not top.discard and top.key is not None:
            top.value[top.key] = value  # type: ignore[call-overload]
            if top.key == "id" and top.in_list and isinstance(value, str | int):
                self.labels[top.path] = str(value)
        top.key = None
        top.merging = False

    def _copy_marks(
        self, source: _Node, old: Path, new: Path, keys: set[str] | None = None
    ) -> None:
        """Copy the marks of ``source``'s subtree from prefix ``old`` to prefix ``new``."""
        cut = len(old)
        for path, entry in self.log[source.start + 1 : source.end]:
            if path[:cut] != old or len(path) == cut:
                continue
            if keys is None or path[cut] in keys:
                moved = (*new, *path[cut:])
                self.log.append((moved, entry))
                if path in self.labels:
                    self.labels[moved] = self.labels[path]

    def _merge(self, frame: _Frame) -> None:
        """Apply ``<<`` merge keys: keys given in the mapping itself win, then earlier sources."""
        target = frame.value
        assert isinstance(target, dict)
        for node in frame.merges:
            for source, prefix in _merge_sources(node):
                if not isinstance(source, dict):
                    spot = self.log[node.start][1][1]
                    raise self._fatal(spot, "'<<' merges a mapping or a list of mappings")
                added = {key for key in source if key not in target}
                for key in added:
                    target[key] = source[key]
                self._copy_marks(node, prefix, frame.path, added)


def _merge_sources(node: _Node) -> Iterator[tuple[object, Path]]:
    if isinstance(node.value, list):
        for index, item in enumerate(node.value):
            yield item, (*node.path, index)
    else:
        yield node.value, node.path


def _events(text: str, name: str) -> Iterator[events.Event]:
    """Parser events, with syntax errors turned into findings."""
    loader = _Parser(text)
    try:
        while (event := loader.get_event()) is not None:
            yield event
    except yaml.MarkedYAMLError as error:
        raise _Fatal(_syntax_finding(error, text, name)) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        message = (
            f"control character U+{int(error.character):04X} is not allowed in YAML text; "
            "remove it (was the file saved by a word processor?)"
        )
        raise _Fatal(Finding(name, line, column, SYNTAX, Severity.ERROR, message)) from None
    finally:
        loader.dispose()


def _syntax_finding(error: yaml.MarkedYAMLError, text: str, name: str) -> Finding:
    mark = error.problem_mark or error.context_mark
    where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
    offset = _offset(text, where)
    message = describe(error.problem or "", error.context or "", text[offset : offset + 1])
    opened = error.context_mark
    if opened is not None and "flow" in (error.context or "") and opened.line + 1 != where.line:
        message += f"; it opened at line {opened.line + 1}, column {opened.column + 1}"
    return Finding(name, where.line, where.column, SYNTAX, Severity.ERROR, message)


def _offset(text: str, mark: Mark) -> int:
    """Character offset of a 1-based mark in ``text``."""
    start = 0
    for _ in range(mark.line - 1):
        start = text.find("\n", start) + 1
    return start + mark.column - 1


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return (
        f"tag '{shown}' is not allowed: journey files hold plain data (text, numbers, lists, "
        "mappings) and nothing in them is executed; remove the tag"
    )


def _dotted(path: Path, labels: dict[Path, str]) -> str:
    return PositionMap(labels=labels).dotted(path) or "top level"
