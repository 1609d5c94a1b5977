"""HTML pieces of a journey page: headline figures, heat, hotspots, breakpoints, gaps, findings."""

from __future__ import annotations

from html import escape
from pathlib import Path

from journeymap.findings import Finding
from journeymap.flow import Figures
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey
from journeymap.render.style import heat_colour, heat_ink
from journeymap.report.content import channel_label, hotspot_label
from journeymap.serve.folder import Folder

PER = 1000
"""Counts per customer are shown per thousand customers."""
SHOWN = 0.5
"""Rows below this many per 1,000 customers would show as 0 and are left out."""


def numbers(journey: Journey, figures: Figures) -> str:
    """The figures above the blueprint, in the journey's language: headline and heat strip."""
    texts = catalog(journey.locale)
    return headline(figures, texts) + heat(journey, figures, texts)


def details(journey: Journey, figures: Figures) -> str:
    """The figures below the blueprint: hotspots, breakpoints and gaps."""
    texts = catalog(journey.locale)
    return (
        hotspots(journey, figures, texts)
        + breakpoints(journey, figures, texts)
        + gaps(journey, figures, texts)
    )


def _figure(key: str, label: str, value: float, shown: str) -> str:
    return (
        f'<div class="figure" data-key="{key}" data-value="{value!r}">'
        f'<span class="value">{escape(shown)}</span>'
        f'<span class="label">{escape(label)}</span></div>'
    )


def headline(figures: Figures, texts: Catalog) -> str:
    """The headline figures, each with its exact value in ``data-value``."""
    shares = (
        ("failure_demand_ratio", figures.failure_demand_ratio),
        ("completion_rate", figures.completion_rate),
    )
    items = [
        _figure(key, texts.text(f"figure.{key}"), value, texts.percent(value, 1))
        for key, value in shares
    ]
    counts = [
        ("contacts_per_customer", "figure.contacts_per_customer", figures.contacts_per_customer)
    ]
    if figures.messages_per_customer is not None:
        counts.append(
            ("messages_per_customer", "serve.messages-per-customer", figures.messages_per_customer)
        )
    counts.append(("cost_per_customer", "figure.cost_per_customer", figures.cost_per_customer))
    items += [
        _figure(key, texts.text(label), value, texts.number(value, 2))
        for key, label, value in counts
    ]
    return (
        f'<section class="slide" id="headline"><h2>{escape(texts.text("serve.headline"))}</h2>'
        f'<div class="figures">{"".join(items)}</div></section>'
    )


def heat(journey: Journey, figures: Figures, texts: Catalog) -> str:
    """Failure contacts and give-ups per thousand customers at each step, shaded."""
    values = {tp.id: figures.touchpoints[tp.id].failure_contacts for tp in journey.touchpoints}
    highest = max(values.values(), default=0.0)
    cells = []
    for tp in journey.touchpoints:
        value = values[tp.id]
        shade = heat_colour(value, highest)
        ink = heat_ink(shade)
        quits = texts.number(figures.touchpoints[tp.id].abandoned * PER)
        cells.append(
            f'<td data-touchpoint="{escape(tp.id)}" data-value="{value!r}" '
            f'style="background:{shade};color:{ink}">'
            f'<span class="step">{escape(tp.label)}</span>'
            f'<span class="count">{texts.number(value * PER)}</span>'
            f'<span class="quits">'
            f"{escape(texts.text('diagram.gives-up-per-1000', count=quits))}</span></td>"
        )
    return (
        f'<section class="slide" id="heat"><h2>{escape(texts.text("lanes.heat"))}</h2>'
        f'<table class="heat"><tr>{"".join(cells)}</tr></table></section>'
    )


def hotspots(journey: Journey, figures: Figures, texts: Catalog) -> str:
    """Where failure demand arises, largest first, named as the report names them."""
    rows = [
        f"<tr><td>{escape(texts.label('report', s.kind))}</td>"
        f"<td>{escape(hotspot_label(journey, texts, s.kind, s.key))}</td>"
        f'<td class="num">{texts.number(s.failure_contacts * PER)}</td>'
        f'<td class="num">{texts.number(s.failure_cost * PER)}</td></tr>'
        for s in figures.hotspots(top=8)
        if s.failure_contacts * PER >= SHOWN
    ]
    head = _head(texts, "serve.hotspot-kind", "", "report.per-1000", "report.cost-per-1000")
    return _table("hotspots", texts.text("report.hotspots"), head, rows, texts)


def breakpoints(journey: Journey, figures: Figures, texts: Catalog) -> str:
    """The steps where most customers give up, and the main cause there."""
    titles = {tp.id: tp.label for tp in journey.touchpoints}
    rows = [
        f"<tr><td>{escape(titles.get(key, key))}</td>"
        f'<td class="num">{texts.number(abandoned * PER)}</td>'
        f"<td>{escape(texts.label('causes', cause) if cause else '')}</td></tr>"
        for key, abandoned, cause in figures.worst_steps(5)
        if abandoned * PER >= SHOWN
    ]
    head = _head(texts, "report.touchpoint", "report.give-up-per-1000", "serve.main-cause")
    return _table("breakpoints", texts.text("report.breakpoints"), head, rows, texts)


def gaps(journey: Journey, figures: Figures, texts: Catalog) -> str:
    """Channel switches that lost the customer's context."""
    rows = [
        f"<tr><td>{escape(channel_label(journey, g.source))} → "
        f"{escape(channel_label(journey, g.target))}</td>"
        f'<td class="num">{texts.number(g.count * PER)}</td></tr>'
        for g in figures.gaps[:8]
        if g.count * PER >= SHOWN
    ]
    head = _head(texts, "serve.switch", "report.switches-per-1000")
    return _table("gaps", texts.text("report.gaps"), head, rows, texts)


def _head(texts: Catalog, *keys: str) -> str:
    cells = "".join(f"<th>{escape(texts.text(key)) if key else ''}</th>" for key in keys)
    return f"<tr>{cells}</tr>"


def _table(ident: str, title: str, head: str, rows: list[str], texts: Catalog) -> str:
    none = escape(texts.text("report.none-found"))
    body = "".join(rows) or f'<tr><td colspan="4" class="none">{none}</td></tr>'
    return (
        f'<section class="slide" id="{ident}"><h2>{escape(title)}</h2>'
        f"<table>{head}{body}</table></section>"
    )


def findings(folder: Folder, found: tuple[Finding, ...], texts: Catalog) -> str:
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
        f'<section class="slide" id="findings"><h2>{escape(texts.text("serve.errors"))}</h2>'
        f'<ul class="findings">{"".join(items)}</ul></section>'
    )


def blueprint(svg: str, texts: Catalog) -> str:
    """The blueprint section around inline SVG."""
    start = svg.find("<svg")
    inline = svg[start:] if start >= 0 else svg
    return (
        f'<section class="slide" id="blueprint"><h2>{escape(texts.text("report.blueprint"))}</h2>'
        f'<div class="svg">{inline}</div></section>'
    )
