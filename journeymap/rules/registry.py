"""Rules carry their own metadata; a registry holds them and refuses duplicates.

A rule is a function from a checking context to issues, wrapped with a stable code
(``JM202``), a self-explaining name (``channel-switch-gap``), a default severity, a
one-line summary, and a docstring that explains it with a failing and a passing example.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from journeymap.findings import Severity

if TYPE_CHECKING:
    from journeymap.rules.context import Context, Issue

Check = Callable[["Context"], Iterable["Issue"]]
_CODE = re.compile(r"JM\d{3}")
_NAME = re.compile(r"[a-z]+(-[a-z]+)*")


@dataclass(frozen=True)
class Rule:
    """A check with its metadata; ``check`` is ``None`` for problems the loader reports."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Check | None = field(default=None, compare=False)
    configurable: bool = True
    options: Mapping[str, float] = field(default_factory=dict, compare=False)
    """Numbers a configuration may set for this rule, with their defaults."""

    @cached_property
    def sections(self) -> dict[str, str]:
        """The docstring split at its ``Fails:`` and ``Passes:`` headings (and the text before)."""
        parts = re.split(r"^(Fails|Passes):\s*$", self.doc, flags=re.MULTILINE)
        out = {"about": parts[0].strip()}
        for heading, body in zip(parts[1::2], parts[2::2], strict=True):
            out[heading.lower()] = inspect.cleandoc(body)
        return out

    @property
    def example_fails(self) -> str:
        """The YAML of the docstring's failing example."""
        return _yaml_block(self.sections.get("fails", ""))

    @property
    def example_passes(self) -> str:
        """The YAML of the docstring's passing example."""
        return _yaml_block(self.sections.get("passes", ""))


def _yaml_block(section: str) -> str:
    match = re.search(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    return match.group(1) if match else ""


class DuplicateRuleError(ValueError):
    """A rule's code or name is taken already."""


class RuleSet:
    """Rules by name, in registration order; codes and names must be unique and well formed."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._codes: dict[str, Rule] = {}

    def add(self, rule: Rule) -> Rule:
        """Register ``rule``; ``DuplicateRuleError`` if its code or name is taken."""
        if not _CODE.fullmatch(rule.code) or not _NAME.fullmatch(rule.name):
            raise ValueError(f"rule {rule.code} {rule.name}: code JMnnn and kebab-case name")
        for key, table in ((rule.name, self._rules), (rule.code, self._codes)):
            if key in table:
                raise DuplicateRuleError(f"rule {key} is registered already")
        if not rule.summary or "Fails:" not in rule.doc or "Passes:" not in rule.doc:
            raise ValueError(f"rule {rule.name} needs a summary and Fails:/Passes: examples")
        self._rules[rule.name] = rule
        self._codes[rule.code] = rule
        return rule

    def register(
        self,
        code: str,
        name: str,
        severity: Severity,
        summary: str,
        options: Mapping[str, float] | None = None,
    ) -> Callable[[Check], Check]:
        """Decorator registering a check function as a rule; its docstring is the rule's doc."""

        def wrap(check: Check) -> Check:
            doc = inspect.getdoc(check) or ""
            self.add(Rule(code, name, severity, summary, doc, check, options=options or {}))
            return check

        return wrap

    def __iter__(self) -> Iterator[Rule]:
        """Rules in order of their codes."""
        return iter(sorted(self._rules.values(), key=lambda rule: rule.code))

    def __len__(self) -> int:
        """Number of rules."""
        return len(self._rules)

    def __contains__(self, name: object) -> bool:
        """Tell whether a rule has this name."""
        return name in self._rules

    def get(self, key: str) -> Rule | None:
        """The rule with this name or code, if any."""
        return self._rules.get(key) or self._codes.get(key)

    def names(self) -> list[str]:
        """Every rule name, in code order."""
        return [rule.name for rule in self]


RULES = RuleSet()
"""The registry of every rule journeymap has."""
