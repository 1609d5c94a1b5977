"""Failure-demand reports: hotspots, breakpoints, gaps, recommendations, in HTML, Markdown, JSON.

``report(journey)`` gives the report as data, ``render(data, "html")`` as text;
``compare(before, after)`` sets a redesign beside the current journey; ``recommend``
gives the changes worth making, each with its effect computed.
"""

from __future__ import annotations

from journeymap.report.advice import recommend
from journeymap.report.compare import compare
from journeymap.report.document import FORMATS, blueprint_figure, render, report
from journeymap.report.templating import TemplateError

__all__ = [
    "FORMATS",
    "TemplateError",
    "blueprint_figure",
    "compare",
    "recommend",
    "render",
    "report",
]
