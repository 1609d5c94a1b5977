"""Run the rules over a loaded journey, with its configuration and suppression comments."""

from __future__ import annotations

import os

from journeymap.findings import Finding
from journeymap.loader import Loaded, read
from journeymap.rules import suppress
from journeymap.rules.config import Config, ConfigFinder
from journeymap.rules.context import Context
from journeymap.rules.registry import RULES, RuleSet


def run(loaded: Loaded, config: Config | None = None, rules: RuleSet = RULES) -> list[Finding]:
    """Every finding for one journey: the loader's, then each enabled rule's, sorted.

    Design checks run only when the journey loaded; comments in the file may silence
    configurable rules on their line.
    """
    config = config or Config()
    found = list(loaded.findings)
    if loaded.journey is not None and not loaded.errors:
        context = Context(loaded, config, rules)
        for rule in rules:
            severity = config.severity(rule)
            if rule.check is None or severity is None:
                continue
            found.extend(
                loaded.finding(rule.name, issue.path, issue.message, severity, at_key=issue.at_key)
                for issue in rule.check(context)
            )
    level = rules.get(suppress.SUPPRESSION)
    found = suppress.apply(
        found, loaded.text, loaded.path, config.severity(level) if level else None, rules
    )
    return sorted(found)


def check(
    source: str | os.PathLike[str] | Loaded, *, config: Config | None = None
) -> list[Finding]:
    """Check a journey file (or an already loaded one) as ``journeymap validate`` does.

    Without ``config``, the configuration is found from the file's folder upward.
    """
    loaded = source if isinstance(source, Loaded) else read(source)
    if config is None:
        config = ConfigFinder().for_file(loaded.path)
    return run(loaded, config)
