"""A whole failure-demand report: analyse, recommend, chart, and fill a template.

``report(journey)`` gives the report's data; ``render(data, fmt)`` gives HTML, Markdown or
JSON text. Nothing here writes files: ``journeymap report`` does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any, Literal

from journeymap.findings import Finding
from journeymap.flow import Figures, analyze
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey
from journeymap.render import RenderError, available, blueprint_svg, style
from journeymap.report import charts
from journeymap.report.advice import Trials, gap_cost, recommend
from journeymap.report.assumptions import assumptions
from journeymap.report.certainty import ADVICE_DRAWS, SEED, how_sure, report_uncertainty
from journeymap.report.content import TOP, build
from journeymap.report.elapsed import elapsed
from journeymap.report.spans import percent_span
from journeymap.report.templating import fill
from journeymap.report.time_capacity import recommendation_time, time_section
from journeymap.uncertainty.draws import Uncertainty
from journeymap.uncertainty.draws import uncertainty as draw
from journeymap.uncertainty.engine import Engine

Format = Literal["html", "md", "json"]
FORMATS: tuple[Format, ...] = ("html", "md", "json")
TEMPLATES = {"html": "report.html.j2", "md": "report.md.j2"}


def report(
    journey: Journey,
    findings: Sequence[Finding] = (),
    *,
    locale: str | None = None,
    figures: Figures | None = None,
) -> dict[str, Any]:
    """Everything the report says about ``journey`` as JSON-ready data, in ``locale``.

    ``findings`` are the design checks' findings to list; ``figures`` an exact analysis
    already made (one is made otherwise). Where the journey gives ranges, ``uncertainty``
    holds the headline's intervals and each recommendation ``how_sure`` it is.
    """
    texts = catalog(locale or journey.locale)
    figures = figures or analyze(journey)
    trials = Trials(journey)
    engine = Engine(journey)
    recommendations = recommend(journey, figures, texts, trials=trials)
    uncertainty = report_uncertainty(journey, texts, engine)
    if uncertainty is not None:
        before = draw(journey, draws=ADVICE_DRAWS, seed=SEED, engine=engine)
        recommendations = [_how_sure(rec, trials, engine, before) for rec in recommendations]
    section = time_section(journey, figures, trials)
    if section is not None:
        recommendations = [_time_saved(rec, journey, figures, trials) for rec in recommendations]
    data = build(journey, figures, list(findings), texts, recommendations)
    for gap in data["gaps"][:TOP]:
        gap["cost_per_1000"] = gap_cost(figures, gap["from"], gap["to"], trials) * 1000
    data["assumptions"] = assumptions(journey, texts, engine)
    if uncertainty is not None:
        data["uncertainty"] = uncertainty
    if section is not None:
        data["time"] = section
    return data


def _time_saved(
    recommendation: dict[str, Any], journey: Journey, figures: Figures, trials: Trials
) -> dict[str, Any]:
    """The recommendation with the agent hours it frees and what it does to the queues."""
    outcome = trials.analyse(recommendation["changes"])
    assert outcome is not None  # recommend() keeps only changes the journey takes
    return {**recommendation, "time": recommendation_time(journey, figures, outcome[1])}


def _how_sure(
    recommendation: dict[str, Any], trials: Trials, engine: Engine, before: Uncertainty | None
) -> dict[str, Any]:
    """The recommendation with the share of draws in which its change does better."""
    outcome = trials.analyse(recommendation["changes"])
    assert outcome is not None  # recommend() keeps only changes the journey takes
    sure = how_sure(trials.journey, outcome[0], draws=ADVICE_DRAWS, engine=engine, before=before)
    return {**recommendation, "how_sure": sure}


def render(
    data: dict[str, Any],
    fmt: Format = "html",
    *,
    template_dir: str | os.PathLike[str] | None = None,
    blueprint: str | None = None,
) -> str:
    """The report as text: HTML (one self-contained file), Markdown or JSON.

    ``blueprint`` is the blueprint's SVG for the HTML report (see ``blueprint_figure``).
    """
    if fmt == "json":
        return json_text(data)
    texts = catalog(data["locale"])
    charts_ = _charts(data, texts, blueprint)
    return fill(TEMPLATES[fmt], texts, template_dir, report=data, charts=charts_)


def json_text(data: dict[str, Any]) -> str:
    """Report data as the JSON format writes it: indented, UTF-8 text kept as it is."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def blueprint_figure(journey: Journey, figures: Figures, locale: str | None = None) -> str | None:
    """The blueprint with the heat overlay as inline SVG, or ``None`` where ``dot`` is missing."""
    if not available():
        return None
    try:
        svg = blueprint_svg(journey, figures, locale=locale)
    except RenderError:
        return None
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else None


def _charts(data: dict[str, Any], texts: Catalog, blueprint: str | None) -> dict[str, Any]:
    points = [
        charts.Point(e["label"], e["stage"], e["emotion"], e["failure"]) for e in data["emotion"]
    ]
    rows = [
        (spot["label"], spot["failure_per_1000"], texts.number(spot["failure_per_1000"]))
        for spot in data["hotspots"]["touchpoint"][:TOP]
    ]
    return {
        "emotion": charts.emotion_curve(points, texts),
        "hotspots": charts.bars(rows, texts.text("report.hotspots-by-touchpoint")),
        "tornado": _tornado(data, texts),
        "blueprint": blueprint,
        **(_time_charts(data["time"], texts) if "time" in data else {}),
    }


def _time_charts(section: dict[str, Any], texts: Catalog) -> dict[str, str]:
    """The "Time and capacity" charts: agent time by channel, and the spread of times.

    The spread needs a simulation's percentiles; '' where the figures have none.
    """
    per = section["per"]
    rows = [
        charts.Split(
            row["label"],
            row["value_hours"],
            row["failure_hours"],
            texts.text(
                f"report.time.hours-{per}",
                hours=texts.number(row["total_hours"], 1),
                fte=texts.number(row["fte"], 1) if row["fte"] is not None else "",
            ),
            texts.percent(row["failure_hours"] / row["total_hours"], 0),
        )
        for row in section["workload"]
    ]
    legend = (texts.text("report.value-demand"), texts.text("report.failure-demand"))
    spread = ""
    if section["percentiles"] is not None:
        spread = charts.bars(
            [
                (texts.text(f"report.time.spread-{p}"), hours, elapsed(texts, hours))
                for p, hours in section["percentiles"].items()
            ],
            texts.text("report.time.spread"),
            style.GAP_INK,
        )
    return {
        "workload": charts.split_bars(rows, texts.text("report.time.workload"), legend),
        "time_spread": spread,
    }


def _tornado(data: dict[str, Any], texts: Catalog) -> str:
    """The tornado chart of the assumptions that move the ratio most; '' where none does."""
    found = data.get("assumptions")
    if not found or not found["bars"]:
        return ""
    swings = [
        charts.Swing(
            bar["label"],
            texts.text(
                f"report.uncertainty.span-{'range' if bar['ranged'] else 'step'}",
                span=percent_span(texts, bar["low_value"], bar["high_value"]),
            ),
            bar["figure_at_low"],
            bar["figure_at_high"],
            texts.percent(bar["figure_at_low"]),
            texts.percent(bar["figure_at_high"]),
            bar["ranged"],
        )
        for bar in found["bars"]
    ]
    base = texts.text("report.uncertainty.base", value=texts.percent(found["base"]))
    return charts.tornado(swings, found["base"], base, texts)
