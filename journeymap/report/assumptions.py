"""What the figures rest on: the tornado's bars and what to research first, named for a reader.

``journeymap.uncertainty.sensitivity.tornado`` ranks the assumptions that move the
failure-demand ratio most (a range end to end, any other value ten points either way);
this module names each one in the report's language ("Apply · web resolve", "Default
resolve (not in the file)") and gives the report the chart's data.
"""

from __future__ import annotations

from typing import Any

from journeymap.locales.messages import Catalog
from journeymap.model import Journey
from journeymap.report.content import channel_label
from journeymap.uncertainty.engine import Engine
from journeymap.uncertainty.sensitivity import Bar, research_first, tornado
from journeymap.uncertainty.slots import Slot

FIGURE = "failure_demand_ratio"
"""The figure the tornado is drawn for: the report's headline."""
BARS = 10
"""Bars in the chart: the assumptions that move the figure most."""
RESEARCH = 3
"""Values named under "Research these first", of each kind."""


def assumptions(journey: Journey, texts: Catalog, engine: Engine) -> dict[str, Any]:
    """The tornado's bars, widest swing first, and what to research first, as JSON-ready data."""
    bars = tornado(journey, FIGURE, top=BARS, engine=engine)
    assumed, unwritten = research_first(bars, RESEARCH)
    return {
        "figure": FIGURE,
        "base": bars[0].base if bars else engine.evaluate().figures[FIGURE],
        "ranges": bool(engine.slots.ranged()),
        "bars": [_bar(journey, texts, bar) for bar in bars],
        "research_first": {
            "assumed": [_slot(journey, texts, slot) for slot in assumed],
            "not_in_file": [_slot(journey, texts, slot) for slot in unwritten],
        },
    }


def slot_label(journey: Journey, texts: Catalog, slot: Slot) -> str:
    """A model value as a reader knows it: "Apply · web resolve", "Older residents · share".

    A value the file leaves out says so: "Default resolve (not in the file)".
    """
    name = slot_name(journey, texts, slot)
    return name if slot.in_file else texts.text("report.uncertainty.not-in-file", label=name)


def slot_name(journey: Journey, texts: Catalog, slot: Slot) -> str:
    """A model value's name alone, whether the file gives it or not."""
    if slot.kind == "default":
        return texts.text(f"report.uncertainty.default.{slot.path[-1]}")
    if slot.kind == "next":
        _, step, _, successor, _ = slot.path
        touchpoint = journey.touchpoints[int(step)]
        target = touchpoint.next[int(successor)].to
        found = journey.touchpoint_map.get(target)
        return f"{touchpoint.label} → {found.label if found else target}"
    values: dict[str, str] = {}
    if slot.touchpoint is not None:
        values["step"] = journey.touchpoint(slot.touchpoint).label
    if slot.channel is not None:
        values["channel"] = channel_label(journey, slot.channel)
    if slot.segment is not None:
        segment = next(s for s in journey.segments if s.id == slot.segment)
        values["segment"] = segment.title or segment.id
    return texts.text(f"report.uncertainty.slot.{slot.kind}", **values)


def _bar(journey: Journey, texts: Catalog, bar: Bar) -> dict[str, Any]:
    return {
        **bar.as_dict(),
        "label": slot_label(journey, texts, bar.slot),
        "kind": bar.slot.kind,
        "ranged": bar.slot.range is not None,
    }


def _slot(journey: Journey, texts: Catalog, slot: Slot) -> dict[str, Any]:
    return {
        "key": slot.key,
        "label": slot_label(journey, texts, slot),
        "name": slot_name(journey, texts, slot),
        "value": slot.value,
        "range": list(slot.range) if slot.range is not None else None,
    }
