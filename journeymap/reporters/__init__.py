"""Reporters for ``journeymap validate``: one run's findings, rendered in a chosen format.

Reporters are a registry of functions from a :class:`Run` to text; the caller prints or
writes the text. ``auto`` picks GitHub workflow commands inside GitHub Actions, as yamllint does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from journeymap.findings import Finding
from journeymap.reporters import github, json_format, junit, sarif, text
from journeymap.rules.registry import RuleSet


@dataclass(frozen=True)
class Run:
    """One validate run: every finding, the files checked, and the rules that ran."""

    findings: tuple[Finding, ...]
    """Every finding, sorted by file and position."""
    files: tuple[str, ...]
    """The paths checked, as given."""
    rules: RuleSet
    """The rules that ran."""

    @property
    def paths(self) -> tuple[str, ...]:
        """Every file checked, then any other file a finding names, each once, in order."""
        return tuple(dict.fromkeys([*self.files, *(finding.path for finding in self.findings)]))


Reporter = Callable[[Run], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json_format.report,
    "sarif": sarif.report,
    "github": github.report,
    "junit": junit.report,
}
"""Every output format by name."""

FORMATS = (*REPORTERS, "auto")
"""The names ``--format`` accepts: every reporter, and ``auto``."""


def pick(name: str, environ: Mapping[str, str]) -> str:
    """Resolve ``auto`` to ``github`` inside GitHub Actions and to ``text`` elsewhere."""
    if name != "auto":
        return name
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(name: str, run: Run, environ: Mapping[str, str] | None = None) -> str:
    """Render ``run`` in the format ``name``; ``environ`` (os.environ by default) decides ``auto``.

    An unknown name is a ``ValueError`` naming the formats there are.
    """
    chosen = pick(name, os.environ if environ is None else environ)
    if chosen not in REPORTERS:
        raise ValueError(f"unknown output format {name!r}; choose one of {', '.join(FORMATS)}")
    return REPORTERS[chosen](run)


__all__ = ["FORMATS", "REPORTERS", "Reporter", "Run", "pick", "render"]
