"""Channels, a channel's role at a touchpoint, and handoffs of context between channels."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from journeymap.model.durations import Duration, PositiveDuration
from journeymap.model.hours import OpeningHours, parse_hours
from journeymap.model.types import (
    CHANNEL_KINDS,
    MODEL_CONFIG,
    ROLES,
    ChannelKind,
    ContextFlow,
    FreshCopies,
    Probability,
    Role,
    Share,
    Slug,
    Text,
    Weight,
)

KNOWN_KINDS: dict[str, ChannelKind] = {
    "web": "self-service",
    "app": "self-service",
    "mobile-app": "self-service",
    "kiosk": "self-service",
    "chat": "assisted",
    "phone": "assisted",
    "e-mail": "assisted",
    "email": "assisted",
    "video": "assisted",
    "social": "assisted",
    "office": "physical",
    "store": "physical",
    "branch": "physical",
    "chatbot": "automated",
    "voicebot": "automated",
    "ivr": "automated",
    "sms": "outbound",
    "letter": "outbound",
    "push": "outbound",
}
"""Channel ids whose ``kind`` may be left out, and the kind they get."""


def _kind_optional(schema: dict[str, Any]) -> None:
    """In the JSON Schema, ``kind`` may be left out: well-known ids get theirs on loading."""
    schema["required"] = [key for key in schema.get("required", []) if key != "kind"]


class Channel(FreshCopies):
    """A way the customer reaches the service: web, app, chat, phone, e-mail, office, chatbot."""

    model_config = ConfigDict(**MODEL_CONFIG, json_schema_extra=_kind_optional)

    title: Text | None = None
    """Name shown in diagrams and reports; the channel id when left out."""
    kind: ChannelKind
    """self-service | assisted | automated | physical | outbound. May be left out for the
    well-known ids (web, app, chat, phone, e-mail, office, chatbot, sms, ...)."""
    hours: Text = "24/7"
    """When the channel serves: "24/7" or e.g. "mon-fri 08:00-18:00, sat 10:00-14:00"."""
    context: Text | None = None
    """Context store: channels naming the same store know what the others know."""
    cost: Weight = 0.0
    """Cost of one contact in this channel, in any unit."""
    response: Duration = 0.0
    """Mean time from an attempt until the service answers or replies, once the channel is
    open: "30s", "5m", "4h", "2d", "1w", a number of minutes, or a range ["1d", "3d"].
    Closing hours do not stretch it (a reply in 2d comes 48 hours later); at a queue channel
    (with agents) the queue's wait replaces it. Default 0. In Python: hours."""
    handling: Duration = 0.0
    """Mean time one contact takes: an agent's time on assisted and physical channels, the
    customer's own time elsewhere. "7m", "1h", a number of minutes, or a range ["5m", "9m"].
    A queue channel (with agents) needs it. Default 0. In Python: hours."""
    agents: int | None = Field(default=None, ge=1, le=100_000)
    """Agents on duty whenever the channel is open: with the journey's volume this makes
    the channel a queue (Erlang C, or Erlang A with patience). Needs handling."""
    patience: PositiveDuration | None = None
    """Mean time a customer waits in this channel's queue before giving up (exponential):
    "3m", a number of minutes, or a range. Only for a channel with agents; a customer who
    gives up fails with cause waiting. In Python: hours."""

    @field_validator("hours")
    @classmethod
    def _readable_hours(cls, value: str) -> str:
        parse_hours(value)
        return value

    @cached_property
    def opening(self) -> OpeningHours:
        """The opening hours, parsed."""
        return parse_hours(self.hours)


def infer_kinds(channels: object) -> object:
    """Fill in ``kind`` for well-known channel ids that leave it out."""
    if not isinstance(channels, dict):
        return channels
    return {
        cid: {"kind": KNOWN_KINDS[cid], **spec}
        if isinstance(spec, dict) and "kind" not in spec and cid in KNOWN_KINDS
        else spec
        for cid, spec in channels.items()
    }


def _role_shorthand(value: object) -> object:
    """Accept ``web: primary`` for ``web: {role: primary}`` and ``web:`` for ``web: {}``."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"role": value}
    if not isinstance(value, dict):
        raise ValueError(
            f"expected a role ({', '.join(ROLES)}) or a mapping with role, share and resolve"
        )
    return value


class ChannelUse(BaseModel):
    """A channel's part at one touchpoint: its role, its share of arrivals, its resolve rate."""

    model_config = MODEL_CONFIG

    role: Role = "alternative"
    """primary | alternative | escalation | not-recommended."""
    share: Share | None = None
    """Weight of this channel in the mix of arriving customers (normalised over the step), or
    a percentage from "0%" to "100%"."""
    resolve: Probability | None = None
    """Chance an attempt here succeeds, 0 to 1 or a percentage ("90%"); defaults.resolve when
    left out."""


ChannelUseInput = Annotated[
    ChannelUse,
    BeforeValidator(_role_shorthand, json_schema_input_type=Role | ChannelUse | None),
]


class Handoff(BaseModel):
    """Context passed when a customer switches from one channel to another."""

    model_config = MODEL_CONFIG

    from_: Slug = Field(alias="from")
    """Channel the customer leaves."""
    to: Slug
    """Channel the customer switches to."""
    context: ContextFlow = "full"
    """full | partial | none: how much of the customer's context goes along."""


__all__ = [
    "CHANNEL_KINDS",
    "KNOWN_KINDS",
    "Channel",
    "ChannelUse",
    "ChannelUseInput",
    "Handoff",
    "infer_kinds",
]
