"""Which guesses decide the answer: sensitivity of every figure, and uncertainty from ranges.

``sensitivity`` ranks every probability the model reads by its effect on a headline
figure; ``uncertainty`` draws the ranges a journey gives and reports 90% intervals and
each range's share of the variance; ``paired`` compares two journeys draw by draw.
"""

from journeymap.uncertainty.draws import Interval, Paired, Uncertainty, paired, uncertainty
from journeymap.uncertainty.engine import FIGURES, Engine
from journeymap.uncertainty.sensitivity import (
    Bar,
    Influence,
    Sensitivity,
    research_first,
    sensitivity,
    tornado,
)
from journeymap.uncertainty.slots import Slot

__all__ = [
    "FIGURES",
    "Bar",
    "Engine",
    "Influence",
    "Interval",
    "Paired",
    "Sensitivity",
    "Slot",
    "Uncertainty",
    "paired",
    "research_first",
    "sensitivity",
    "tornado",
    "uncertainty",
]
