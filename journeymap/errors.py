"""One exception tree: every error journeymap raises on purpose is a ``JourneymapError``."""

from __future__ import annotations

from collections.abc import Sequence

from journeymap.findings import Finding


class JourneymapError(Exception):
    """Root of every error journeymap raises on purpose."""


class LoadError(JourneymapError):
    """A journey file could not be read as YAML (unreadable, binary, broken syntax).

    The findings say where and why; ``str()`` gives them one per line.
    """

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings: tuple[Finding, ...] = tuple(sorted(findings))
        super().__init__("\n".join(str(f) for f in self.findings))

    @property
    def brief(self) -> str:
        """The first finding as ``path:line:col: message``, for one-line errors of side files."""
        first = self.findings[0]
        return f"{first.path}:{first.line}:{first.column}: {first.message}"


class SchemaError(LoadError):
    """A journey file was valid YAML but not a valid journey (schema, references, ids)."""


class ConfigError(JourneymapError):
    """A configuration file or option is wrong: unknown rule, bad severity, unreadable file."""
