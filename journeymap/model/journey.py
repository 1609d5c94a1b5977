"""The journey: stages, channels, touchpoints and everything around them (format 1)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import ClassVar, Literal, Self

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from journeymap.model.capacity import ServiceLevelText, WeeklyVolume
from journeymap.model.channels import Channel, Handoff, infer_kinds
from journeymap.model.checks import raise_problems
from journeymap.model.touchpoint import Touchpoint
from journeymap.model.types import (
    MODEL_CONFIG,
    Factor,
    FreshCopies,
    Locale,
    Probability,
    Slug,
    Text,
    Weight,
)

FORMAT_VERSION = 1
DEFER_CHECKS = "journeymap.defer_checks"
"""Validation context key: the loader runs the reference checks itself, with positions."""


class Defaults(BaseModel):
    """Model parameters used wherever a touchpoint or channel gives none.

    Each chance is a number from 0 to 1 or a percentage: ``"90%"`` is 0.9.
    """

    model_config = MODEL_CONFIG

    retry: Probability = 0.7
    """After a failed attempt, chance the customer tries again; 0 to 1 or "70%"."""
    switch: Probability = 0.3
    """Chance that a retry happens in another channel; 0 to 1 or "30%"."""
    stickiness: Probability = 0.8
    """Chance to keep the same channel into the next touchpoint when it is offered there;
    0 to 1 or "80%"."""
    resolve: Probability = 0.9
    """Chance an attempt succeeds, where a channel gives none; 0 to 1 or "90%"."""
    gap_penalty: Probability = 0.8
    """Resolve is multiplied by this on the attempt right after a switch that lost context;
    0 to 1 or "80%"."""
    max_contacts: int = Field(default=50, ge=1, le=100_000)
    """A simulated customer who reaches this many contacts is counted as stuck and gives up."""
    fte_hours: float = Field(default=37.5, gt=0.0, le=168.0)
    """Working hours of one full-time agent a week: workload in agent hours over this is
    FTE. Default 37.5."""
    service_level: ServiceLevelText | None = None
    """The target queues are staffed for: the share of contacts answered within a wait, as
    in "80% in 60s"."""


class Stage(BaseModel):
    """A column of the map: a phase of the journey such as Buy, Wait, Receive."""

    model_config = MODEL_CONFIG

    id: Slug
    """Unique id of the stage."""
    title: Text | None = None
    """Name shown in diagrams and reports; the id when left out."""

    @property
    def label(self) -> str:
        """The title, or the id where there is none."""
        return self.title or self.id


class Segment(BaseModel):
    """A customer group with its own channel preferences."""

    model_config = MODEL_CONFIG

    id: Slug
    """Unique id of the segment."""
    title: Text | None = None
    """Name shown in reports; the id when left out."""
    share: Probability
    """Share of all customers in this segment, 0 to 1 or a percentage ("20%"); the shares of
    all segments add up to 1."""
    prefers: dict[Slug, Weight] = {}
    """Channel -> factor multiplying that channel's mix weight (not its switch weight)."""
    ability: dict[Slug, Factor] = {}
    """Channel -> factor multiplying resolve there for this segment (capped at 1), messages
    included: how well the group manages in that channel. A percentage works too: "60%"."""
    persistence: Factor = 1.0
    """Factor multiplying every retry chance for this segment (capped at 1); "80%" is 0.8."""


class InformationItem(BaseModel):
    """A fact the customer is told, and where each channel takes it from."""

    model_config = MODEL_CONFIG

    title: Text | None = None
    """Name shown in reports; the id when left out."""
    sources: dict[Slug, Text] = {}
    """Channel -> the source that channel serves the fact from."""

    def channels_by_source(self) -> dict[str, list[str]]:
        """Each source and the channels that serve the fact from it, in the order given.

        More than one source means the channels can contradict each other.
        """
        grouped: dict[str, list[str]] = {}
        for channel, source in self.sources.items():
            grouped.setdefault(source, []).append(channel)
        return grouped


class Journey(FreshCopies):
    """A customer journey in journey format 1 (see docs/journey-format.md)."""

    model_config = MODEL_CONFIG

    journeymap: Literal[1]
    """Format version; this release reads 1."""
    id: Slug
    """Unique id of the journey: lowercase letters, digits, '-' and '_'."""
    title: Text | None = None
    """Name of the journey shown in diagrams and reports."""
    description: Text | None = None
    """What the journey covers, in a few sentences."""
    locale: Locale = "en"
    """Language of reports: en or fi."""
    start: Slug | None = None
    """Entry touchpoint; the first touchpoint when left out."""
    defaults: Defaults = Defaults()
    """Model defaults."""
    volume: WeeklyVolume | None = None
    """Customers who start the journey: "2000/week", "300/day", "9000/month" (a month is
    365.25/12 days) or a number per week. Workload, FTE and queues need it. In Python:
    customers per week."""
    stages: list[Stage] = Field(min_length=1)
    """Ordered columns of the map, at least one."""
    channels: dict[Slug, Channel] = Field(min_length=1)
    """Channels by id, at least one."""
    handoffs: list[Handoff] = Field(default_factory=list)
    """Context passed on a switch beyond shared context stores."""
    segments: list[Segment] = Field(default_factory=list)
    """Customer groups with their own channel preferences."""
    information: dict[Slug, InformationItem] = Field(default_factory=dict)
    """Facts the customer is told, by id, with their source per channel."""
    touchpoints: list[Touchpoint] = Field(min_length=1)
    """The steps of the journey, at least one."""

    @field_validator("channels", mode="before")
    @classmethod
    def _infer_kinds(cls, value: object) -> object:
        return infer_kinds(value)

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> Self:
        if not (info.context or {}).get(DEFER_CHECKS):
            raise_problems(self)
        return self

    svg_renderer: ClassVar[Callable[[Journey], str | None] | None] = None
    """Draws a journey as SVG for notebooks; set by ``journeymap.render``, which the model
    may not import."""

    def _repr_svg_(self) -> str | None:
        """The journey diagram, for Jupyter; ``None`` (plain text) where Graphviz is missing."""
        renderer = type(self).svg_renderer
        return renderer(self) if renderer is not None else None

    @property
    def label(self) -> str:
        """The title, or the id where there is none."""
        return self.title or self.id

    @property
    def entry(self) -> str:
        """Id of the touchpoint where customers enter: ``start``, else the first."""
        return self.start or self.touchpoints[0].id

    @cached_property
    def touchpoint_map(self) -> dict[str, Touchpoint]:
        """Touchpoints by id, in journey order."""
        return {tp.id: tp for tp in self.touchpoints}

    @cached_property
    def stage_map(self) -> dict[str, Stage]:
        """Stages by id, in map order."""
        return {stage.id: stage for stage in self.stages}

    def touchpoint(self, touchpoint_id: str) -> Touchpoint:
        """The touchpoint with this id; ``KeyError`` naming the known ids when there is none."""
        try:
            return self.touchpoint_map[touchpoint_id]
        except KeyError:
            known = ", ".join(self.touchpoint_map)
            raise KeyError(f"no touchpoint '{touchpoint_id}' (known: {known})") from None
