"""A touchpoint: one step of the journey, its blueprint lanes, channels and successors."""

from __future__ import annotations

from pydantic import BaseModel, Field

from journeymap.model.channels import ChannelUseInput
from journeymap.model.durations import Duration
from journeymap.model.types import (
    MODEL_CONFIG,
    Chance,
    Complexity,
    Demand,
    Lines,
    Probability,
    Slug,
    Status,
    Text,
    Weight,
)


class Transition(BaseModel):
    """A successor of a touchpoint and the chance a customer goes there next."""

    model_config = MODEL_CONFIG

    to: Slug
    """Id of the next touchpoint."""
    p: Chance | None = None
    """Probability of this successor, 0 to 1 or a percentage ("90%"); may be left out when it
    is the only one."""


class Touchpoint(BaseModel):
    """One step of the journey where the customer meets the service (a kosketuspiste)."""

    model_config = MODEL_CONFIG

    id: Slug
    """Unique id of the touchpoint."""
    stage: Slug
    """Id of the stage (column of the map) this step belongs to."""
    title: Text | None = None
    """Name shown in diagrams and reports; the id when left out."""
    customer: Lines = []
    """Blueprint lane: what the customer does."""
    frontstage: Lines = []
    """Blueprint lane: what the customer sees staff or systems do."""
    backstage: Lines = []
    """Blueprint lane: what happens out of the customer's sight."""
    support: Lines = []
    """Blueprint lane: systems and processes that support the step."""
    evidence: Lines = []
    """Physical evidence: what the customer sees, receives or keeps."""
    emotion: int | None = Field(default=None, ge=-3, le=3)
    """How the customer feels here, from -3 (awful) to 3 (delighted)."""
    pain_points: list[Text] = []
    """What hurts here, in the customer's words."""
    opportunities: list[Text] = []
    """Ideas to make the step better."""
    complexity: Complexity | None = None
    """low | medium | high: how hard the customer's matter is here."""
    owner: Text | None = None
    """Who answers for this step."""
    status: Status | None = None
    """observed | assumed | proposed: how well research backs the step."""
    demand: Demand = "value"
    """value | failure: a failure-demand step exists only because something failed earlier."""
    cause: Slug | None = None
    """For demand: failure, the failure that causes the contact (e.g. no-proactive-update)."""
    info: list[Slug] = []
    """Ids of the information items the customer is given here."""
    channels: dict[Slug, ChannelUseInput] = {}
    """Channels offered here and their roles; shorthand `web: primary`."""
    failures: dict[Slug, Weight] = {}
    """Why attempts fail here: cause -> relative weight."""
    retry: Probability | None = None
    """Overrides defaults.retry at this step; 0 to 1 or a percentage ("70%")."""
    switch: Probability | None = None
    """Overrides defaults.switch at this step; 0 to 1 or a percentage ("30%")."""
    next: list[Transition] = []
    """Successors and their probabilities; empty = the journey ends here, need met."""
    duration: Duration = 0.0
    """The step's own elapsed time after a successful attempt (a decision that takes 14d):
    "30s", "5m", "4h", "2d", "1w", a number of minutes, or a range ["10d", "21d"].
    Default 0. In Python: hours."""

    @property
    def label(self) -> str:
        """The title, or the id where there is none."""
        return self.title or self.id

    @property
    def is_end(self) -> bool:
        """True where the journey ends (no successors)."""
        return not self.next

    def successors(self) -> list[tuple[str, float | None]]:
        """Successor ids with probabilities; a lone successor without ``p`` gets 1."""
        if len(self.next) == 1 and self.next[0].p is None:
            return [(self.next[0].to, 1.0)]
        return [(step.to, step.p) for step in self.next]
