"""Which rules run and how severe they are: ``.journeymap.yaml`` or ``[tool.journeymap]``.

Found, not asked for: the nearest ``.journeymap.yaml`` (or ``.yml``) or ``pyproject.toml``
with a ``[tool.journeymap]`` table, searching upward from the journey file; ``--config``
names one for every file instead.
"""

from __future__ import annotations

import difflib
import functools
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from journeymap.errors import ConfigError, LoadError
from journeymap.findings import Severity
from journeymap.rules.registry import RULES, Rule, RuleSet
from journeymap.source import compose, decode, read_bytes

CONFIG_FILES = (".journeymap.yaml", ".journeymap.yml", "pyproject.toml")
_OFF = {"off", "false", "disable", "disabled", False}
_ON = {"on", "true", "enable", "enabled", True}
_KEYS = ("rules", "strict")


@dataclass(frozen=True)
class Config:
    """Severity overrides (``None``: turned off), rule options, and whether warnings fail."""

    rules: Mapping[str, Severity | None] = field(default_factory=dict)
    strict: bool = False
    path: str | None = None
    options: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def severity(self, rule: Rule) -> Severity | None:
        """The rule's severity under this configuration; ``None`` when it is turned off."""
        return self.rules.get(rule.name, rule.severity)

    def option(self, rule: Rule, key: str) -> float:
        """The value of one of the rule's options: configured, else its default."""
        return self.options.get(rule.name, {}).get(key, rule.options[key])


def read_config(path: str | os.PathLike[str], rules: RuleSet = RULES) -> Config:
    """Read a configuration file; ``ConfigError`` with line and column if it is wrong."""
    name = os.fspath(path)
    try:
        text = decode(read_bytes(name), name)
    except LoadError as error:
        raise ConfigError(error.brief) from None
    if Path(name).name == "pyproject.toml":
        return _from_toml(name, text, rules)
    return _from_yaml(name, text, rules)


def find_config(start: str | os.PathLike[str]) -> Path | None:
    """The nearest configuration file in ``start`` or a folder above it, if any."""
    folder = Path(start).resolve()
    for candidate_dir in (folder, *folder.parents):
        for filename in CONFIG_FILES:
            candidate = candidate_dir / filename
            if candidate.is_file() and (filename != "pyproject.toml" or _has_table(candidate)):
                return candidate
    return None


class ConfigFinder:
    """Finds and reads each journey file's configuration once per folder."""

    def __init__(self, explicit: str | os.PathLike[str] | None = None) -> None:
        self._explicit = read_config(explicit) if explicit is not None else None
        self._by_folder: dict[Path, Config] = {}

    def for_file(self, path: str) -> Config:
        """The configuration that applies to the journey file at ``path``."""
        if self._explicit is not None:
            return self._explicit
        folder = Path(path).parent if path != "<stdin>" else Path.cwd()
        if folder not in self._by_folder:
            found = find_config(folder)
            self._by_folder[folder] = read_config(found) if found else Config()
        return self._by_folder[folder]


def _has_table(pyproject: Path) -> bool:
    try:
        return "journeymap" in tomllib.loads(pyproject.read_text("utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def _from_yaml(name: str, text: str, rules: RuleSet) -> Config:
    try:
        document = compose(text, name)
    except LoadError as error:
        raise ConfigError(error.brief) from None
    data = document.data if document.data is not None else {}
    spots = document.positions

    def fail(path: tuple[str, ...], message: str, *, at_key: bool = False) -> ConfigError:
        mark = spots.key(path) if at_key else spots.value(path)
        return ConfigError(f"{name}:{mark.line}:{mark.column}: {message}")

    return _parse(name, data, rules, fail)


def _from_toml(name: str, text: str, rules: RuleSet) -> Config:
    try:
        data = tomllib.loads(text).get("tool", {}).get("journeymap", {})
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name}: {error}") from None
    lines = text.splitlines()

    def fail(path: tuple[str, ...], message: str, *, at_key: bool = False) -> ConfigError:
        key = path[-1] if path else "journeymap"
        line = next(
            (i + 1 for i, ln in enumerate(lines) if ln.strip().strip("\"'").startswith(key)), 1
        )
        return ConfigError(f"{name}:{line}:1: [tool.journeymap] {message}")

    return _parse(name, data, rules, fail)


def _parse(name: str, data: object, rules: RuleSet, fail: _Fail) -> Config:
    if not isinstance(data, dict):
        raise fail((), "the configuration must be a mapping with 'rules' and 'strict'")
    for key in data:
        if key not in _KEYS:
            raise fail((key,), f"unknown key '{key}'{_close(key, list(_KEYS))}", at_key=True)
    strict = data.get("strict", False)
    if not isinstance(strict, bool):
        raise fail(("strict",), "strict is true or false")
    table = data.get("rules") or {}
    if not isinstance(table, dict):
        raise fail(
            ("rules",),
            "rules maps rule names to off, on, error, warning or info, or to a table of "
            "level and options",
        )
    levels: dict[str, Severity | None] = {}
    options: dict[str, dict[str, float]] = {}
    for key, rule, value in _rules(table, rules, fail):
        level = value
        if isinstance(value, dict):
            level = value.get("level", "on")
            options[rule.name] = _options(rule, value, functools.partial(_fail_in, fail, key))
        levels[rule.name] = _level(rule, level, functools.partial(fail, ("rules", key)))
    return Config(levels, strict, name, options)


def _fail_in(
    fail: _Fail, rule_key: str, key: str, message: str, *, at_key: bool = False
) -> ConfigError:
    return fail(("rules", rule_key, key), message, at_key=at_key)


def _options(rule: Rule, table: dict[str, object], fail: _FailIn) -> dict[str, float]:
    """A rule's table: ``level`` and the numbers the rule takes (``threshold: 5``)."""
    out: dict[str, float] = {}
    for key, value in table.items():
        if key == "level":
            continue
        if key not in rule.options:
            known = ["level", *rule.options]
            message = f"unknown option '{key}' for rule {rule.name}{_close(key, known)}"
            raise fail(key, message, at_key=True)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise fail(key, f"'{value}' for {rule.name}.{key}: use a number, 0 or more")
        out[str(key)] = float(value)
    return out


class _FailIn(Protocol):
    """Builds the error for an option of one rule."""

    def __call__(self, key: str, message: str, *, at_key: bool = False) -> ConfigError: ...


class _Fail(Protocol):
    """Builds the error for a place in the configuration file."""

    def __call__(
        self, path: tuple[str, ...], message: str, *, at_key: bool = False
    ) -> ConfigError: ...


def _rules(table: dict[str, object], rules: RuleSet, fail: _Fail) -> list[tuple[str, Rule, object]]:
    out = []
    for key, value in table.items():
        rule = rules.get(str(key))
        if rule is None:
            message = f"unknown rule '{key}'{_close(str(key), rules.names())}"
            raise fail(("rules", key), message, at_key=True)
        if not rule.configurable:
            raise fail(
                ("rules", key),
                f"'{rule.name}' reports problems that stop a journey from loading; it cannot "
                "be configured",
                at_key=True,
            )
        out.append((str(key), rule, value))
    return out


def _level(rule: Rule, value: object, fail: Callable[[str], ConfigError]) -> Severity | None:
    text = value.lower() if isinstance(value, str) else value
    if text in _OFF:
        return None
    if text in _ON:
        return rule.severity
    if isinstance(text, str) and text in Severity.__members__.values():
        return Severity(text)
    raise fail(f"'{value}' for rule {rule.name}: use off, on, error, warning or info")


def _close(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})"
