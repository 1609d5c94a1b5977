"""Read a journey file into a model, collecting every problem as a finding with its place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from pydantic import ValidationError

from journeymap.errors import LoadError, SchemaError
from journeymap.findings import Finding, Severity
from journeymap.loader.messages import SCHEMA, schema_problem
from journeymap.model.checks import Problem, problems
from journeymap.model.journey import DEFER_CHECKS, FORMAT_VERSION, Journey
from journeymap.source import (
    MAX_BYTES,
    SYNTAX,
    UNREADABLE,
    Document,
    PositionMap,
    compose,
    decode,
    read_bytes,
)

_LOAD_RULES = (UNREADABLE, SYNTAX)


@dataclass(frozen=True)
class Loaded:
    """A journey file as read: the journey, when it could be built, and every finding.

    ``positions`` maps document paths to lines and columns, for checks that run later;
    ``base`` is, for a scenario file, its base as read (a journey or another scenario).
    """

    path: str
    journey: Journey | None
    findings: tuple[Finding, ...] = ()
    positions: PositionMap = field(default_factory=PositionMap)
    text: str = ""
    base: Loaded | None = None

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity error."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def finding(
        self,
        rule: str,
        problem_path: tuple[str | int, ...],
        message: str,
        severity: Severity = Severity.ERROR,
        *,
        at_key: bool = False,
    ) -> Finding:
        """A finding at a document path of this file, its message prefixed with the path."""
        mark = self.positions.key(problem_path) if at_key else self.positions.value(problem_path)
        where = self.positions.dotted(problem_path)
        text = f"{where}: {message}" if where else message
        return Finding(self.path, mark.line, mark.column, rule, severity, text)

    def raise_for_errors(self) -> Journey:
        """The journey, or ``LoadError``/``SchemaError`` carrying the error findings."""
        if self.journey is not None and not self.errors:
            return self.journey
        if any(f.rule in _LOAD_RULES for f in self.errors):
            raise LoadError(self.errors)
        raise SchemaError(self.errors)


def read(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read a journey or scenario file; never raises for a bad file, the findings say why."""
    name = os.fspath(path)
    try:
        data = read_bytes(name, max_bytes)
    except LoadError as error:
        return Loaded(name, None, error.findings)
    return reads(data, name, max_bytes=max_bytes, base_dir=os.path.dirname(name))


def reads(
    text: str | bytes,
    name: str = "<string>",
    *,
    max_bytes: int = MAX_BYTES,
    base_dir: str | os.PathLike[str] | None = None,
) -> Loaded:
    """Read a journey or scenario from text or bytes; ``name`` is the path shown in findings.

    A scenario's ``extends`` is resolved against ``base_dir``, the current folder by default.
    """
    try:
        source = decode(text, name, max_bytes) if isinstance(text, bytes) else text
        document = compose(source, name)
    except LoadError as error:
        return Loaded(name, None, error.findings, text=text if isinstance(text, str) else "")
    if isinstance(document.data, dict) and "scenario" in document.data:
        from journeymap.loader.scenario import read_scenario  # it builds on this module

        return read_scenario(document, source, base_dir, max_bytes)
    return validate(document, source)


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Journey:
    """Load a journey file; ``LoadError`` or ``SchemaError`` (with findings) if it is broken."""
    return read(path, max_bytes=max_bytes).raise_for_errors()


def loads(
    text: str | bytes, name: str = "<string>", *, base_dir: str | os.PathLike[str] | None = None
) -> Journey:
    """Load a journey from text; ``LoadError`` or ``SchemaError`` (with findings) if broken."""
    return reads(text, name, base_dir=base_dir).raise_for_errors()


def validate(document: Document, text: str) -> Loaded:
    """A composed journey document checked against the format, its problems as findings."""
    shell = Loaded(document.name, None, document.findings, document.positions, text)
    journey, found = build(document.data)
    return _with(shell, None if document.findings else journey, found)


def build(data: object) -> tuple[Journey | None, list[Problem]]:
    """The journey the data describes, or ``None``, and every problem in it with its path."""
    early = _shape(data)
    if early is not None:
        return None, [early]
    try:
        journey = Journey.model_validate(data, context={DEFER_CHECKS: True})
    except ValidationError as error:
        return None, [schema_problem(detail) for detail in error.errors(include_url=False)]
    found = problems(journey)
    return None if found else journey, found


def _shape(data: object) -> Problem | None:
    """The problem that makes the rest of validation pointless: empty, not a map, new version."""
    if data is None:
        return Problem(
            SCHEMA,
            (),
            "the file is empty; a journey needs at least 'journeymap: 1', "
            "stages, channels and touchpoints (run 'journeymap init' for a starter)",
        )
    if not isinstance(data, dict):
        return Problem(
            SCHEMA,
            (),
            f"the top level must be a mapping of keys (journeymap, id, stages, ...), "
            f"not {'a list' if isinstance(data, list) else 'a single value'}",
        )
    version = data.get("journeymap")
    if "journeymap" not in data:
        return Problem(
            SCHEMA,
            (),
            f"missing 'journeymap: {FORMAT_VERSION}' (the format version); "
            "add it as the first line",
        )
    if type(version) is not int or version != FORMAT_VERSION:
        newer = type(version) is int and version > FORMAT_VERSION
        hint = "upgrade journeymap to read it" if newer else f"write 'journeymap: {FORMAT_VERSION}'"
        return Problem(
            SCHEMA,
            ("journeymap",),
            f"format version {version!r} is not one this release reads ({FORMAT_VERSION}); {hint}",
        )
    return None


def _with(shell: Loaded, journey: Journey | None, found: list[Problem]) -> Loaded:
    findings = [
        shell.finding(problem.rule, problem.path, problem.message, at_key=problem.at_key)
        for problem in found
    ]
    return Loaded(
        shell.path,
        journey,
        tuple(sorted([*shell.findings, *findings])),
        shell.positions,
        shell.text,
    )
