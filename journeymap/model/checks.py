"""Checks the schema alone cannot express: duplicate ids and references that name nothing.

Each problem carries the document path it concerns; the loader turns paths into line and
column, and a journey built in code raises them as one ``ValueError``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymap.model.journey import Journey

Path = tuple[str | int, ...]
UNKNOWN_REFERENCE = "unknown-reference"
DUPLICATE_ID = "duplicate-id"


@dataclass(frozen=True)
class Problem:
    """A broken reference or duplicate id at a document path (``at_key``: point at the key)."""

    rule: str
    path: Path
    message: str
    at_key: bool = False


def problems(journey: Journey) -> list[Problem]:
    """Every duplicate id and unknown reference in the journey, in document order."""
    found: list[Problem] = []
    for section in ("stages", "segments", "touchpoints"):
        found.extend(_duplicates(journey, section))
    found.extend(_duplicate_handoffs(journey))
    found.extend(_references(journey))
    return found


def raise_problems(journey: Journey) -> None:
    """Raise ``ValueError`` listing the problems, for journeys built in code."""
    found = problems(journey)
    if found:
        lines = [f"{dotted(journey, p.path)}: {p.message}" for p in found]
        raise ValueError("; ".join(lines))


def suggest(name: str, known: Iterable[str]) -> str:
    """The ``(known: a, b); did you mean 'x'?`` tail of an unknown-name message."""
    choices = list(known)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    tail = f" (known: {', '.join(choices)})" if choices else ""
    return tail + (f"; did you mean '{close[0]}'?" if close else "")


def dotted(journey: Journey, path: Path) -> str:
    """Readable path with touchpoint, stage and segment ids in place of list indexes."""
    text = ""
    for depth, key in enumerate(path):
        if isinstance(key, int):
            items = getattr(journey, str(path[depth - 1]), []) if depth == 1 else []
            ident = getattr(items[key], "id", key) if key < len(items) else key
            text += f"[{ident}]"
        else:
            text += f".{key}" if text else key
    return text


def _duplicates(journey: Journey, section: str) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    noun = section.rstrip("s")
    for index, item in enumerate(getattr(journey, section)):
        if item.id in seen:
            yield Problem(
                DUPLICATE_ID,
                (section, index, "id"),
                f"duplicate {noun} id '{item.id}' (also item {seen[item.id] + 1} of {section}); "
                "ids must be unique, so rename one",
            )
        else:
            seen[item.id] = index


def _duplicate_handoffs(journey: Journey) -> Iterator[Problem]:
    seen: set[tuple[str, str]] = set()
    for index, handoff in enumerate(journey.handoffs):
        pair = (handoff.from_, handoff.to)
        if pair in seen:
            yield Problem(
                DUPLICATE_ID,
                ("handoffs", index),
                f"a second handoff from '{pair[0]}' to '{pair[1]}'; keep one per channel pair",
            )
        seen.add(pair)


def _references(journey: Journey) -> Iterator[Problem]:
    channels = list(journey.channels)
    stages = [stage.id for stage in journey.stages]
    touchpoints = [tp.id for tp in journey.touchpoints]
    information = list(journey.information)
    if journey.start is not None:
        yield from _unknown("touchpoint", journey.start, touchpoints, ("start",))
    for i, handoff in enumerate(journey.handoffs):
        yield from _unknown("channel", handoff.from_, channels, ("handoffs", i, "from"))
        yield from _unknown("channel", handoff.to, channels, ("handoffs", i, "to"))
    for i, segment in enumerate(journey.segments):
        for key in ("prefers", "ability"):
            for cid in getattr(segment, key):
                at: Path = ("segments", i, key, cid)
                yield from _unknown("channel", cid, channels, at, True)
    for item_id, item in journey.information.items():
        for cid in item.sources:
            path = ("information", item_id, "sources", cid)
            yield from _unknown("channel", cid, channels, path, True)
    for i, tp in enumerate(journey.touchpoints):
        base: Path = ("touchpoints", i)
        yield from _unknown("stage", tp.stage, stages, (*base, "stage"))
        for cid in tp.channels:
            yield from _unknown("channel", cid, channels, (*base, "channels", cid), True)
        for j, item_id in enumerate(tp.info):
            yield from _unknown("information item", item_id, information, (*base, "info", j))
        for j, step in enumerate(tp.next):
            yield from _unknown("touchpoint", step.to, touchpoints, (*base, "next", j, "to"))


def _unknown(
    noun: str, name: str, known: list[str], path: Path, at_key: bool = False
) -> Iterator[Problem]:
    if name not in known:
        yield Problem(
            UNKNOWN_REFERENCE, path, f"unknown {noun} '{name}'{suggest(name, known)}", at_key
        )
