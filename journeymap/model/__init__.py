"""The journey model: pydantic classes for journey format 1, exactly as documented."""

from __future__ import annotations

from journeymap.model.capacity import ServiceLevel, Volume
from journeymap.model.channels import KNOWN_KINDS, Channel, ChannelUse, Handoff
from journeymap.model.checks import DUPLICATE_ID, UNKNOWN_REFERENCE, Problem, problems
from journeymap.model.durations import Duration, format_duration, parse_duration
from journeymap.model.hours import (
    OpeningHours,
    closed_stretches,
    closed_wait_hours,
    open_days,
    open_hours_per_week,
    parse_hours,
)
from journeymap.model.journey import (
    FORMAT_VERSION,
    Defaults,
    InformationItem,
    Journey,
    Segment,
    Stage,
)
from journeymap.model.schema import json_schema
from journeymap.model.touchpoint import Touchpoint, Transition
from journeymap.model.types import (
    CHANNEL_KINDS,
    LOCALES,
    ROLES,
    STANDARD_CAUSES,
    ChannelKind,
    Complexity,
    ContextFlow,
    Demand,
    Locale,
    Role,
    Status,
)

__all__ = [
    "CHANNEL_KINDS",
    "DUPLICATE_ID",
    "FORMAT_VERSION",
    "KNOWN_KINDS",
    "LOCALES",
    "ROLES",
    "STANDARD_CAUSES",
    "UNKNOWN_REFERENCE",
    "Channel",
    "ChannelKind",
    "ChannelUse",
    "Complexity",
    "ContextFlow",
    "Defaults",
    "Demand",
    "Duration",
    "Handoff",
    "InformationItem",
    "Journey",
    "Locale",
    "OpeningHours",
    "Problem",
    "Role",
    "Segment",
    "ServiceLevel",
    "Stage",
    "Status",
    "Touchpoint",
    "Transition",
    "Volume",
    "closed_stretches",
    "closed_wait_hours",
    "format_duration",
    "json_schema",
    "open_days",
    "open_hours_per_week",
    "parse_duration",
    "parse_hours",
    "problems",
]
