"""journeymap: customer journeys as code, for service design.

Load and check journey files, analyse how customers flow through them, and draw service
blueprints. The public API is what ``__all__`` names; everything else may change.
"""

from __future__ import annotations

from journeymap._version import __version__
from journeymap.errors import ConfigError, JourneymapError, LoadError, SchemaError
from journeymap.findings import Finding, Severity
from journeymap.flow import AnalysisError, Figures, NoExitError, analyze, simulate
from journeymap.graph import build as build_graph
from journeymap.loader import Loaded, dump, load, loads, read, reads
from journeymap.model import (
    Channel,
    ChannelUse,
    Defaults,
    Handoff,
    InformationItem,
    Journey,
    Segment,
    Stage,
    Touchpoint,
    Transition,
    json_schema,
)
from journeymap.rules import Config, check
from journeymap.uncertainty import Sensitivity, Uncertainty, sensitivity, uncertainty

__all__ = [
    "AnalysisError",
    "Channel",
    "ChannelUse",
    "Config",
    "ConfigError",
    "Defaults",
    "Figures",
    "Finding",
    "Handoff",
    "InformationItem",
    "Journey",
    "JourneymapError",
    "LoadError",
    "Loaded",
    "NoExitError",
    "SchemaError",
    "Segment",
    "Sensitivity",
    "Severity",
    "Stage",
    "Touchpoint",
    "Transition",
    "Uncertainty",
    "__version__",
    "analyze",
    "build_graph",
    "check",
    "dump",
    "json_schema",
    "load",
    "loads",
    "read",
    "reads",
    "sensitivity",
    "simulate",
    "uncertainty",
]
