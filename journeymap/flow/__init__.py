"""Customer-flow analysis: exact absorbing-chain figures and seeded Monte-Carlo simulation."""

from __future__ import annotations

from journeymap.flow.analysis import analyze
from journeymap.flow.figures import (
    Breakpoint,
    ChannelFigures,
    Figures,
    Gap,
    Hotspot,
    TouchpointFigures,
)
from journeymap.flow.guard import AnalysisError
from journeymap.flow.simulation import simulate
from journeymap.markov.exact import NoExitError

__all__ = [
    "AnalysisError",
    "Breakpoint",
    "ChannelFigures",
    "Figures",
    "Gap",
    "Hotspot",
    "NoExitError",
    "TouchpointFigures",
    "analyze",
    "simulate",
]
