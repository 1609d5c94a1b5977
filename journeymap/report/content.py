"""What a failure-demand report says, as plain data: the JSON format, and what templates show.

Built from the exact analysis, the design checks and the recommendations. Numbers stay
raw (per customer, shares as 0..1); templates format them for the language.
"""

from __future__ import annotations

import datetime
import os
from typing import Any

from journeymap._version import __version__
from journeymap.findings import Finding
from journeymap.flow import Figures
from journeymap.locales import DEFAULT
from journeymap.locales.messages import Catalog
from journeymap.model import Journey
from journeymap.report.practice import RANGES

TOP = 10
"""Rows in each ranked list; the JSON keeps them all."""


def today() -> datetime.date:
    """The report's date: today, or ``SOURCE_DATE_EPOCH`` for reproducible reports."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()


def build(
    journey: Journey,
    figures: Figures,
    findings: list[Finding],
    texts: Catalog,
    recommendations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything a report says about ``journey``, as JSON-ready data."""
    return {
        "journeymap": __version__,
        "locale": texts.code,
        "generated": today().isoformat(),
        "journey": _journey(journey),
        "headline": headline(figures),
        "segments": _segments(journey, figures),
        "practice": _practice(figures, texts),
        "hotspots": _hotspots(journey, figures, texts),
        "breakpoints": _breakpoints(journey, figures, texts),
        "gaps": _gaps(journey, figures),
        "contradictions": _contradictions(journey),
        "findings": [_finding(f, texts) for f in findings],
        "emotion": _emotion(journey),
        "recommendations": recommendations or [],
        "figures": figures.as_dict(),
    }


def headline(figures: Figures) -> dict[str, Any]:
    """The headline figures of one analysis, shares as 0..1 and counts per 1,000 customers.

    First-contact resolution is over all visits; contacts per resolved customer is NI14's
    measure, and cost per completed customer all cost over the customers who finish.
    """
    visits = sum(tp.visits for tp in figures.touchpoints.values())
    firsts = sum(
        tp.visits * (tp.first_contact_resolution or 0.0) for tp in figures.touchpoints.values()
    )
    failure = figures.failure_contacts_per_customer
    return {
        "completion_rate": figures.completion_rate,
        "abandon_rate": figures.abandon_rate,
        "failure_demand_ratio": figures.failure_demand_ratio,
        "contacts_per_customer": figures.contacts_per_customer,
        "cost_per_customer": figures.cost_per_customer,
        "cost_per_completed_customer": (
            figures.cost_per_customer / figures.completion_rate
            if figures.completion_rate > 0
            else None
        ),
        "first_contact_resolution": firsts / visits if visits else None,
        "contacts_per_resolved_customer": (
            figures.contacts_per_customer / figures.completion_rate
            if figures.completion_rate > 0
            else None
        ),
        "value_contacts_per_1000": (figures.contacts_per_customer - failure) * 1000,
        "failure_contacts_per_1000": failure * 1000,
        "failure_cost_per_1000": sum(tp.failure_cost for tp in figures.touchpoints.values()) * 1000,
        "messages_per_1000": (
            figures.messages_per_customer * 1000
            if figures.messages_per_customer is not None
            else None
        ),
        "message_cost_per_1000": sum(ch.cost for ch in figures.channels.values() if ch.messages)
        * 1000,
        "contacts_p50": figures.contacts_p50,
        "contacts_p90": figures.contacts_p90,
        "contacts_p95": figures.contacts_p95,
    }


def _journey(journey: Journey) -> dict[str, Any]:
    return {
        "id": journey.id,
        "title": journey.label,
        "description": journey.description,
        "stages": [{"id": s.id, "title": s.label} for s in journey.stages],
        "touchpoints": len(journey.touchpoints),
        "channels": {cid: channel_label(journey, cid) for cid in journey.channels},
    }


def _segments(journey: Journey, figures: Figures) -> list[dict[str, Any]]:
    return [
        {
            "id": segment.id,
            "title": segment.title or segment.id,
            "share": segment.share,
            "ability": [
                {"channel": channel_label(journey, cid), "factor": factor}
                for cid, factor in segment.ability.items()
            ],
            "persistence": segment.persistence,
            **headline(figures.segments[segment.id]),
        }
        for segment in journey.segments
    ]


def _practice(figures: Figures, texts: Catalog) -> dict[str, Any]:
    ratio = figures.failure_demand_ratio
    return {
        "failure_demand_ratio": ratio,
        "ranges": [
            {
                "key": r.key,
                "setting": texts.text(f"practice.{r.key}"),
                "low": r.low,
                "high": r.high,
                "source": r.source,
                "position": "below"
                if ratio < r.low
                else ("above" if r.high is not None and ratio > r.high else "within"),
            }
            for r in RANGES
        ],
    }


def channel_label(journey: Journey, cid: str) -> str:
    """A channel as reports name it: its title, else its id."""
    return journey.channels[cid].title or cid


def hotspot_label(journey: Journey, texts: Catalog, kind: str, key: str) -> str:
    """A hotspot as reports name it: the touchpoint's or channel's title, or the cause's label."""
    if kind == "cause":
        return texts.label("causes", key)
    if kind == "channel":
        return channel_label(journey, key) if key in journey.channels else key
    touchpoint = journey.touchpoint_map.get(key)
    return touchpoint.label if touchpoint else key


def _hotspots(journey: Journey, figures: Figures, texts: Catalog) -> dict[str, Any]:
    total = figures.failure_contacts_per_customer or 1.0
    out: dict[str, Any] = {}
    for kind in ("touchpoint", "channel", "cause"):
        out[kind] = [
            {
                "key": spot.key,
                "label": hotspot_label(journey, texts, kind, spot.key),
                "failure_per_1000": spot.failure_contacts * 1000,
                "cost_per_1000": spot.failure_cost * 1000,
                "share": spot.failure_contacts / total,
            }
            for spot in figures.hotspots(kind=kind)
        ]
    return out


def _breakpoints(journey: Journey, figures: Figures, texts: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "touchpoint": b.touchpoint,
            "touchpoint_label": journey.touchpoint(b.touchpoint).label,
            "channel": b.channel,
            "channel_label": channel_label(journey, b.channel),
            "cause": b.cause,
            "cause_label": texts.label("causes", b.cause),
            "per_1000": b.count * 1000,
        }
        for b in figures.breakpoints
    ]


def _gaps(journey: Journey, figures: Figures) -> list[dict[str, Any]]:
    return [
        {
            "from": g.source,
            "to": g.target,
            "from_label": channel_label(journey, g.source),
            "to_label": channel_label(journey, g.target),
            "per_1000": g.count * 1000,
        }
        for g in figures.gaps
    ]


def _contradictions(journey: Journey) -> list[dict[str, Any]]:
    """Information items served from more than one source, and where customers get them."""
    out = []
    for item_id, item in journey.information.items():
        by_source = item.channels_by_source()
        if len(by_source) > 1:
            out.append(
                {
                    "item": item_id,
                    "title": item.title or item_id,
                    "sources": [
                        {"source": s, "channels": [channel_label(journey, c) for c in cs]}
                        for s, cs in by_source.items()
                    ],
                    "touchpoints": [tp.id for tp in journey.touchpoints if item_id in tp.info],
                }
            )
    return out


def _finding(finding: Finding, texts: Catalog) -> dict[str, Any]:
    """A design check's finding, with its rule's summary in the report's language.

    The checks' detailed messages are English: an English report shows them, another
    language the rule's translated summary and the place in the file.
    """
    where, _, rest = finding.message.partition(": ")
    place = where if rest and " " not in where else ""
    summary = texts.label("rules", finding.rule)
    if texts.code == DEFAULT:
        shown = finding.message
    else:
        shown = f"{summary} ({place})" if place else summary
    return {**finding.as_dict(), "summary": summary, "where": place, "text": shown}


def _emotion(journey: Journey) -> list[dict[str, Any]]:
    order = {stage.id: i for i, stage in enumerate(journey.stages)}
    return [
        {
            "touchpoint": tp.id,
            "label": tp.label,
            "stage": journey.stage_map[tp.stage].label,
            "emotion": tp.emotion,
            "failure": tp.demand == "failure",
        }
        for tp in sorted(journey.touchpoints, key=lambda tp: order[tp.stage])
    ]
