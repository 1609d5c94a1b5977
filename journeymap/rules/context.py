"""What a rule sees: the journey, its graph, and a way to point at places in the file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from journeymap import graph as journey_graph
from journeymap.graph import JourneyGraph
from journeymap.loader import Loaded
from journeymap.model import Journey
from journeymap.rules.config import Config
from journeymap.rules.registry import RULES, RuleSet

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """One problem a rule found: where (a document path) and what, with the fix."""

    path: Path
    message: str
    at_key: bool = False


class Context:
    """The loaded journey a rule checks, with the helpers rules share."""

    def __init__(
        self, loaded: Loaded, config: Config | None = None, rules: RuleSet = RULES
    ) -> None:
        if loaded.journey is None:
            raise ValueError("rules run only on journeys that loaded")
        self.loaded = loaded
        self.journey: Journey = loaded.journey
        self.config = config or Config()
        self.rules = rules

    def option(self, rule: str, key: str) -> float:
        """A rule's option as configured, else its default."""
        found = self.rules.get(rule)
        if found is None:
            raise KeyError(f"no rule {rule}")
        return self.config.option(found, key)

    @cached_property
    def graph(self) -> JourneyGraph:
        """The touchpoint graph without edges of probability 0 (no customer takes them)."""
        return journey_graph.live(journey_graph.build(self.journey))

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each touchpoint in the file's list, for paths."""
        return {tp.id: i for i, tp in enumerate(self.journey.touchpoints)}

    def touchpoint_path(self, touchpoint_id: str, *rest: str | int) -> Path:
        """Document path of a touchpoint (or something inside it)."""
        return ("touchpoints", self.index[touchpoint_id], *rest)
