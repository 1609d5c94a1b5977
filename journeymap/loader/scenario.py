"""Scenario files: what-if variants of a journey, written as changes to a base file.

A scenario names its base (a journey file or another scenario) and lists changes. The
changes are applied in order to a copy of the base's data, and the result is checked like
any journey, so every journey check applies to it. Problems point at the change that caused
them; see docs/scenario-format.md for the format.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from journeymap.errors import LoadError
from journeymap.findings import Finding, Severity
from journeymap.loader.changes import SCENARIO, Data, Source, Trace, apply_changes, copy_data
from journeymap.loader.messages import _shown as shown
from journeymap.loader.reader import Loaded, build, validate
from journeymap.model.checks import Problem, suggest
from journeymap.model.journey import Journey
from journeymap.model.types import slugify
from journeymap.source import Document, Key, Path, PositionMap, compose, decode, read_bytes
from journeymap.source.positions import Entry, Spot

SCENARIO_VERSION = 1
MAX_CHAIN = 16
"""Most scenario files in one chain down to a journey: more is surely a mistake."""
KEYS = ("scenario", "extends", "title", "description", "changes")
"""Every key a scenario file may have."""


class _Refused(Exception):
    """The base cannot be had at all (unreadable, a cycle, too deep)."""


# -- reading ---------------------------------------------------------------------------


def read_scenario(
    document: Document,
    text: str,
    base_dir: str | os.PathLike[str] | None,
    max_bytes: int,
) -> Loaded:
    """A composed scenario document, applied to its base and checked; problems as findings."""
    chain = ((os.path.realpath(document.name), document.name),)
    return _Reader(max_bytes).scenario(document, text, os.fspath(base_dir or ""), chain)[0]


def declares_scenario(data: object) -> bool:
    """Tell whether composed data is a scenario (a mapping with a ``scenario`` key)."""
    return isinstance(data, dict) and "scenario" in data


@dataclass(frozen=True)
class _Reader:
    """Reads a scenario and, recursively, its bases, within one size limit."""

    max_bytes: int

    def scenario(
        self, document: Document, text: str, base_dir: str, chain: tuple[tuple[str, str], ...]
    ) -> tuple[Loaded, Data | None]:
        """The scenario as read, and its changed data (``None`` when it has errors)."""
        shell = Loaded(document.name, None, document.findings, document.positions, text)
        spec: Data = document.data if isinstance(document.data, dict) else {}
        problems, fatal = _shape(spec)
        if fatal:
            return _failed(shell, problems), None
        name = os.path.normpath(os.path.join(base_dir, spec["extends"]))
        try:
            base, base_data = self.base(name, chain)
        except _Refused as refused:
            problems.append(Problem(SCENARIO, ("extends",), str(refused)))
            return _failed(shell, problems), None
        if base_data is None:
            problems.append(Problem(SCENARIO, ("extends",), _broken_base(spec["extends"])))
            return _failed(shell, problems, base), None
        listed = spec.get("changes")
        changes: list[Any] = listed if isinstance(listed, list) else []
        start = _renamed(base_data, spec, document.name, base.path)
        data = copy_data(start)
        trace = Trace()
        problems += apply_changes(data, changes, trace)
        if problems or shell.errors:
            return _failed(shell, problems, base), None
        return _checked(shell, data, trace, _Replay(start, changes), base)

    def base(self, name: str, chain: tuple[tuple[str, str], ...]) -> tuple[Loaded, Data | None]:
        """The base file as read, and its data (changed, for a scenario) if it loaded."""
        real = os.path.realpath(name)
        if any(real == seen for seen, _ in chain):
            route = " → ".join([*(shown for _, shown in chain), name])
            raise _Refused(
                f"the files extend each other in a cycle ({route}); "
                "one of them must extend a journey file"
            )
        if len(chain) > MAX_CHAIN:
            raise _Refused(f"scenarios extend each other more than {MAX_CHAIN} deep")
        try:
            raw = read_bytes(name, self.max_bytes)
        except LoadError as error:
            raise _Refused(f"base '{name}': {error.findings[0].message}") from None
        try:
            text = decode(raw, name, self.max_bytes)
            document = compose(text, name)
        except LoadError as error:
            return Loaded(name, None, error.findings), None
        if declares_scenario(document.data):
            return self.scenario(document, text, os.path.dirname(name), (*chain, (real, name)))
        loaded = validate(document, text)
        data = document.data if loaded.journey is not None else None
        return loaded, data if isinstance(data, dict) else None


def _shape(spec: Data) -> tuple[list[Problem], bool]:
    """Problems with the scenario file's own keys, and whether they stop all else."""
    version = spec.get("scenario")
    if type(version) is not int or version != SCENARIO_VERSION:
        newer = type(version) is int and version > SCENARIO_VERSION
        hint = "upgrade journeymap to read it" if newer else f"write 'scenario: {SCENARIO_VERSION}'"
        message = (
            f"scenario format version {shown(version)} is not one this release reads "
            f"({SCENARIO_VERSION}); {hint}"
        )
        return [Problem(SCENARIO, ("scenario",), message)], True
    problems = [
        Problem(SCENARIO, (key,), f"unknown key '{key}'{suggest(key, KEYS)}", at_key=True)
        for key in spec
        if key not in KEYS
    ]
    for key in ("title", "description"):
        if key in spec and not (isinstance(spec[key], str) and spec[key]):
            problems.append(Problem(SCENARIO, (key,), f"expected text, found {shown(spec[key])}"))
    changes = spec.get("changes")
    if changes is not None and not isinstance(changes, list):
        message = f"expected a list of changes, found {shown(changes)}"
        problems.append(Problem(SCENARIO, ("changes",), message))
    extends = spec.get("extends")
    if "extends" not in spec:
        message = (
            "missing required key 'extends': the journey or scenario file this one changes, "
            "as a path relative to this file"
        )
        return [*problems, Problem(SCENARIO, (), message)], True
    if not isinstance(extends, str) or not extends.strip():
        message = f"expected the path of a journey or scenario file, found {shown(extends)}"
        return [*problems, Problem(SCENARIO, ("extends",), message)], True
    return problems, False


def _broken_base(extends: str) -> str:
    return f"the base '{extends}' does not load; its errors are reported at its own lines"


def _renamed(base_data: Data, spec: Data, name: str, base_name: str) -> Data:
    """A copy of the base's data with the scenario's id and title."""
    data: Data = copy_data(base_data)
    data["id"] = scenario_id(str(data.get("id")), name, base_name)
    if isinstance(spec.get("title"), str):
        data["title"] = spec["title"]
    return data


def scenario_id(base_id: str, name: str, base_name: str) -> str:
    """``<base id>--<scenario name>``; the name loses the base file's name and a dot in front.

    So ``parcel-delivery.chat-handoff.yaml`` on ``parcel-delivery.yaml`` gives
    ``parcel-delivery--chat-handoff``; text with no file name gives ``--scenario``.
    """
    stem = "scenario" if name.startswith("<") else PurePath(name).stem
    stem = stem.removeprefix(f"{PurePath(base_name).stem}.")
    return f"{base_id}--{slugify(stem, 'scenario')}"[:64].rstrip("-_")


# -- checking the changed journey ------------------------------------------------------


@dataclass(frozen=True)
class _Replay:
    """What it takes to apply the changes again one at a time, to find who broke what."""

    start: Data
    """The base's data, renamed, before any change."""
    changes: list[Any]


def _checked(
    shell: Loaded, data: Data, trace: Trace, replay: _Replay, base: Loaded
) -> tuple[Loaded, Data | None]:
    """The changed data built into a journey; its problems point at the changes."""
    extends = shell.positions.key(("extends",))
    entries, labels = _Mapper(trace, shell.positions).run(data, (extends.line, extends.column))
    positions = PositionMap(entries, labels)
    journey, found = build(data)
    if not found:
        return Loaded(shell.path, journey, shell.findings, positions, shell.text, base), data
    mapped = Loaded(shell.path, None, (), positions, shell.text)
    blamed = _blame(replay, [p for p in found if not _covered(entries, p.path)])
    findings = [
        _blamed(shell, mapped, problem, blamed[problem])
        if problem in blamed
        else mapped.finding(problem.rule, problem.path, problem.message, at_key=problem.at_key)
        for problem in found
    ]
    return Loaded(
        shell.path, None, tuple(sorted(findings)), shell.positions, shell.text, base
    ), None


def _covered(entries: Mapping[Path, object], path: Path) -> bool:
    """Tell whether a change touched ``path`` or a part of the journey around it."""
    return any(path[:end] in entries for end in range(len(path), 0, -1))


def _blame(replay: _Replay, problems: list[Problem]) -> dict[Problem, Path]:
    """For problems no change touched directly: the change after which each appeared.

    Where none can be found (a problem that comes and goes), the ``changes`` key takes it.
    """
    blamed: dict[Problem, Path] = {}
    if not problems:
        return blamed
    data = copy_data(replay.start)
    for index, item in enumerate(replay.changes):
        apply_changes(data, [item], Trace(), first=index)
        found = set(build(data)[1])
        for problem in problems:
            if problem in found and problem not in blamed:
                blamed[problem] = ("changes", index)
    return {problem: blamed.get(problem, ("changes",)) for problem in problems}


def _blamed(shell: Loaded, mapped: Loaded, problem: Problem, where: Path) -> Finding:
    mark = shell.positions.key(where) if where == ("changes",) else shell.positions.value(where)
    text = f"{mapped.positions.dotted(problem.path) or 'top level'}: {problem.message}"
    return Finding(shell.path, mark.line, mark.column, problem.rule, Severity.ERROR, text)


def _failed(shell: Loaded, problems: list[Problem], base: Loaded | None = None) -> Loaded:
    findings = [
        shell.finding(problem.rule, problem.path, problem.message, at_key=problem.at_key)
        for problem in problems
    ]
    inherited = base.findings if base is not None else ()
    every = tuple(sorted([*shell.findings, *findings, *inherited]))
    return Loaded(shell.path, None, every, shell.positions, shell.text, base)


def _entry(positions: PositionMap, *path: Key) -> Entry:
    key, value = positions.key(path), positions.value(path)
    return (key.line, key.column), (value.line, value.column)


class _Mapper:
    """Marks and labels for the changed journey's paths, taken from the scenario file.

    A part a change put in place gets the change's mark (a value copied from the file keeps
    the marks of its own keys); the root, and so all the base left alone, gets ``extends``.
    """

    def __init__(self, trace: Trace, positions: PositionMap) -> None:
        self.trace = trace
        self.positions = positions
        self.entries: dict[Path, Entry] = {}
        self.labels: dict[Path, str] = {}

    def run(self, data: Data, root: Spot) -> tuple[dict[Path, Entry], dict[Path, str]]:
        """Walk the changed data from its root."""
        self.visit(data, (), None)
        self.entries[()] = (root, root)
        return self.entries, self.labels

    def visit(self, node: object, path: Path, copied: Path | None) -> None:
        """Record ``node`` at ``path``; ``copied`` is its path in the file, if it came from one."""
        source = self.trace.nodes.get(id(node))
        if source is not None:
            self.mark(path, source)
            copied = source.value
        for key, child in _children(node):
            slot = self.trace.slots.get((id(node), key))
            child_copied = None if copied is None else (*copied, key)
            if slot is not None:
                self.mark((*path, key), slot)
                child_copied = slot.value
            elif child_copied is not None and child_copied in self.positions:
                self.entries[(*path, key)] = _entry(self.positions, *child_copied)
            if isinstance(node, list) and isinstance(child, dict) and "id" in child:
                self.labels[(*path, key)] = str(child["id"])
            self.visit(child, (*path, key), child_copied)

    def mark(self, path: Path, source: Source) -> None:
        """Give ``path`` the marks of ``source``."""
        value = self.positions.value(source.value)
        key = self.positions.value(source.key) if source.key else self.positions.key(source.value)
        self.entries[path] = (key.line, key.column), (value.line, value.column)


def _children(node: object) -> Iterator[tuple[Key, object]]:
    if isinstance(node, dict):
        yield from node.items()
    elif isinstance(node, list):
        yield from enumerate(node)


# -- changes in code -------------------------------------------------------------------


def changed_journey(journey: Journey, changes: Sequence[Mapping[str, Any]]) -> Journey:
    """``journey`` with scenario changes applied; ``ValueError`` listing what went wrong.

    ``changes`` are written as in a scenario file's ``changes`` list. Every key of the
    journey's model exists here, defaults included, so ``set`` can reach any of them.
    """
    data: Data = journey.model_dump(mode="json", by_alias=True)
    problems = apply_changes(data, [dict(change) for change in changes], Trace())
    if not problems:
        changed, problems = build(data)
        if changed is not None:
            return changed
    readable = PositionMap().dotted
    raise ValueError("; ".join(f"{readable(p.path)}: {p.message}" for p in problems))
