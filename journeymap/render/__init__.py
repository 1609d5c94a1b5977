"""Diagrams: service blueprints and journey diagrams as DOT, SVG, PNG, PDF and Mermaid.

Functions return text (or bytes for PNG and PDF) and write nothing; ``journeymap render``
writes files. Graphviz's ``dot`` draws SVG, PNG and PDF; DOT and Mermaid need nothing.
"""

from __future__ import annotations

from journeymap.flow import Figures
from journeymap.model import Journey
from journeymap.render.blueprint import blueprint_dot, blueprint_pages
from journeymap.render.graphviz import FORMATS as GRAPHVIZ_FORMATS
from journeymap.render.graphviz import RenderError, available, draw
from journeymap.render.journeygraph import journey_dot, journey_pages
from journeymap.render.mermaid import flowchart as mermaid_flowchart
from journeymap.render.mermaid import journey_diagram as mermaid_journey
from journeymap.render.paper import PAPERS


def blueprint_svg(
    journey: Journey,
    figures: Figures | None = None,
    *,
    paper: str | None = None,
    portrait: bool = False,
    locale: str | None = None,
) -> str:
    """The service blueprint as SVG text (needs Graphviz), in ``locale``."""
    dot = blueprint_dot(journey, figures, paper=paper, portrait=portrait, locale=locale)
    return draw(dot, "svg").data.decode("utf-8")


def journey_svg(
    journey: Journey,
    figures: Figures | None = None,
    *,
    paper: str | None = None,
    portrait: bool = False,
    locale: str | None = None,
) -> str:
    """The journey diagram as SVG text (needs Graphviz), in ``locale``."""
    dot = journey_dot(journey, figures, paper=paper, portrait=portrait, locale=locale)
    return draw(dot, "svg").data.decode("utf-8")


def _notebook_svg(journey: Journey) -> str | None:
    """The journey diagram for Jupyter, or ``None`` (plain text) where Graphviz cannot run."""
    if not available():
        return None
    try:
        return journey_svg(journey)
    except RenderError:
        return None


Journey.svg_renderer = _notebook_svg

__all__ = [
    "GRAPHVIZ_FORMATS",
    "PAPERS",
    "RenderError",
    "available",
    "blueprint_dot",
    "blueprint_pages",
    "blueprint_svg",
    "draw",
    "journey_dot",
    "journey_pages",
    "journey_svg",
    "mermaid_flowchart",
    "mermaid_journey",
]
