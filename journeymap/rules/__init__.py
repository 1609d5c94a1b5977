"""Design checks: a registry of rules, their configuration, and the engine that runs them."""

from __future__ import annotations

from journeymap.rules import (
    blueprint,
    capacity,
    channels,
    demand,
    flow,
    information,
    loading,
    suppress,
    switches,
)
from journeymap.rules.config import Config, ConfigFinder, find_config, read_config
from journeymap.rules.context import Context, Issue
from journeymap.rules.engine import check, run
from journeymap.rules.registry import RULES, DuplicateRuleError, Rule, RuleSet

__all__ = [
    "RULES",
    "Config",
    "ConfigFinder",
    "Context",
    "DuplicateRuleError",
    "Issue",
    "Rule",
    "RuleSet",
    "blueprint",
    "capacity",
    "channels",
    "check",
    "demand",
    "find_config",
    "flow",
    "information",
    "loading",
    "read_config",
    "run",
    "suppress",
    "switches",
]
