"""HTML pieces of a journey page: headline figures, heat, hotspots, breakpoints, gaps, findings."""

from __future__ import annotations

from html import escape
from pathlib import Path

from journeymap.findings import Finding
from journeymap.flow import Figures
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey
from journeymap.render.style import HEAT, INK, heat_colour
from journeymap.report.content import channel_label, hotspot_label
from journeymap.serve.folder import Folder

PER = 1000
"""Counts per customer are shown per thousand customers."""
SHOWN = 0.5
"""Rows below this many per 1,000 customers would show as 0 and are left out."""


def numbers(journey: Journey, figures: Figures) -> str:
    """The figures above the blueprint: headline and heat strip."""
    return headline(figures) + heat(journey, figures)


def details(journey: Journey, figures: Figures) -> str:
    """The figures below the blueprint: hotspots, breakpoints and gaps."""
    texts = catalog(journey.locale)
    return (
        hotspots(journey, figures, texts)
        + breakpoints(journey, figures, texts)
        + gaps(journey, figures)
    )


def _figure(key: str, label: str, value: float, shown: str) -> str:
    return (
        f'<div class="figure" data-key="{key}" data-value="{value!r}">'
        f'<span class="value">{escape(shown)}</span>'
        f'<span class="label">{escape(label)}</span></div>'
    )


def headline(figures: Figures) -> str:
    """The headline figures, each with its exact value in ``data-value``."""
    items = [
        _figure(
            "failure_demand_ratio",
            "failure demand",
            figures.failure_demand_ratio,
            f"{figures.failure_demand_ratio:.1%}",
        ),
        _figure(
            "completion_rate", "complete", figures.completion_rate, f"{figures.completion_rate:.1%}"
        ),
        _figure(
            "contacts_per_customer",
            "contacts per customer",
            figures.contacts_per_customer,
            f"{figures.contacts_per_customer:.2f}",
        ),
    ]
    if figures.messages_per_customer is not None:
        items.append(
            _figure(
                "messages_per_customer",
                "messages per customer",
                figures.messages_per_customer,
                f"{figures.messages_per_customer:.2f}",
            )
        )
    items.append(
        _figure(
            "cost_per_customer",
            "cost per customer",
            figures.cost_per_customer,
            f"{figures.cost_per_customer:.2f}",
        )
    )
    return (
        '<section class="slide" id="headline"><h2>Headline figures</h2>'
        f'<div class="figures">{"".join(items)}</div></section>'
    )


def heat(journey: Journey, figures: Figures) -> str:
    """Failure contacts and give-ups per thousand customers at each step, shaded."""
    values = {tp.id: figures.touchpoints[tp.id].failure_contacts for tp in journey.touchpoints}
    highest = max(values.values(), default=0.0)
    cells = []
    for tp in journey.touchpoints:
        value = values[tp.id]
        shade = heat_colour(value, highest)
        ink = "white" if shade in HEAT[3:] else INK
        quits = figures.touchpoints[tp.id].abandoned * PER
        cells.append(
            f'<td data-touchpoint="{escape(tp.id)}" data-value="{value!r}" '
            f'style="background:{shade};color:{ink}">'
            f'<span class="step">{escape(tp.label)}</span>'
            f'<span class="count">{value * PER:,.0f}</span>'
            f'<span class="quits">gives up {quits:,.0f}</span></td>'
        )
    return (
        '<section class="slide" id="heat"><h2>Failure demand per 1,000 customers</h2>'
        f'<table class="heat"><tr>{"".join(cells)}</tr></table></section>'
    )


def hotspots(journey: Journey, figures: Figures, texts: Catalog) -> str:
    """Where failure demand arises, largest first, named as the report names them."""
    rows = [
        f"<tr><td>{escape(s.kind)}</td>"
        f"<td>{escape(hotspot_label(journey, texts, s.kind, s.key))}</td>"
        f'<td class="num">{s.failure_contacts * PER:,.0f}</td>'
        f'<td class="num">{s.failure_cost * PER:,.0f}</td></tr>'
        for s in figures.hotspots(top=8)
        if s.failure_contacts * PER >= SHOWN
    ]
    head = "<tr><th>where</th><th></th><th>failure contacts</th><th>their cost</th></tr>"
    return _table("hotspots", "Hotspots (per 1,000 customers)", head, rows)


def breakpoints(journey: Journey, figures: Figures, texts: Catalog) -> str:
    """The steps where most customers give up, and the main cause there."""
    titles = {tp.id: tp.label for tp in journey.touchpoints}
    rows = [
        f"<tr><td>{escape(titles.get(key, key))}</td>"
        f'<td class="num">{abandoned * PER:,.0f}</td>'
        f"<td>{escape(texts.label('causes', cause) if cause else '')}</td></tr>"
        for key, abandoned, cause in figures.worst_steps(5)
        if abandoned * PER >= SHOWN
    ]
    head = "<tr><th>step</th><th>give up</th><th>main cause</th></tr>"
    return _table("breakpoints", "Breakpoints (per 1,000 customers)", head, rows)


def gaps(journey: Journey, figures: Figures) -> str:
    """Channel switches that lost the customer's context."""
    rows = [
        f"<tr><td>{escape(channel_label(journey, g.source))} → "
        f"{escape(channel_label(journey, g.target))}</td>"
        f'<td class="num">{g.count * PER:,.0f}</td></tr>'
        for g in figures.gaps[:8]
        if g.count * PER >= SHOWN
    ]
    head = "<tr><th>switch</th><th>context lost</th></tr>"
    return _table("gaps", "Gaps (per 1,000 customers)", head, rows)


def _table(ident: str, title: str, head: str, rows: list[str]) -> str:
    body = "".join(rows) or '<tr><td colspan="4" class="none">none</td></tr>'
    return (
        f'<section class="slide" id="{ident}"><h2>{escape(title)}</h2>'
        f"<table>{head}{body}</table></section>"
    )


def findings(folder: Folder, found: tuple[Finding, ...]) -> str:
    """The findings that stop the picture, each with its file, line and column."""
    items = []
    for finding in found:
        path = Path(finding.path)
        shown = folder.name(path) if path.is_absolute() and folder.inside(path) else path.name
        items.append(
            f'<li class="finding" data-line="{finding.line}" data-column="{finding.column}">'
            f'<span class="where">{escape(shown)}:{finding.line}:{finding.column}</span> '
            f'<span class="rule">{escape(finding.rule)}</span> '
            f'<span class="message">{escape(finding.message)}</span></li>'
        )
    return (
        '<section class="slide" id="findings"><h2>This file has errors</h2>'
        f'<ul class="findings">{"".join(items)}</ul></section>'
    )


def blueprint(svg: str) -> str:
    """The blueprint section around inline SVG."""
    start = svg.find("<svg")
    inline = svg[start:] if start >= 0 else svg
    return (
        '<section class="slide" id="blueprint"><h2>Service blueprint</h2>'
        f'<div class="svg">{inline}</div></section>'
    )
