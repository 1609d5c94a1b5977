"""Workshop speed: one what-if change in the live view, and diagrams printed for the wall.

A slider move in ``journeymap serve`` applies the change, analyses the changed journey
and renders the figures' HTML; this times that path in-process on every example, against
a target of 100 ms. Then each example's journey and blueprint are printed on A3 (layout,
rows or sheets, PDF), as ``journeymap render --paper a3`` does, once: its layouts are
cached, so a second run would measure the cache.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import journeymap
from journeymap.flow import analyze
from journeymap.render import blueprint_pages, draw, journey_pages
from journeymap.render.graphviz import join_pdfs
from journeymap.serve import fragments, whatif

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TARGET_MS = 100.0


def _best(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def _recompute(journey: journeymap.Journey, change: list[dict[str, Any]]) -> str:
    """What a slider move does on the server: apply, analyse, write the figures' HTML."""
    changed = whatif.apply(journey, change)
    figures = analyze(changed)
    return fragments.numbers(changed, figures) + fragments.details(changed, figures)


def _printed(journey: journeymap.Journey, kind: str) -> tuple[int, float]:
    """Sheets and seconds to print one diagram on A3, measured once (layouts are cached)."""
    make = journey_pages if kind == "journey" else blueprint_pages
    started = time.perf_counter()
    sheets = make(journey, analyze(journey), paper="a3")
    join_pdfs([draw(sheet, "pdf").data for sheet in sheets])
    return len(sheets), time.perf_counter() - started


def main() -> int:
    paths = [p for p in sorted(EXAMPLES.glob("*.yaml")) if "scenario:" not in p.read_text()]
    print("what-if change (apply, analyse, figures HTML), best of 3:")
    for path in paths:
        journey = journeymap.load(path)
        step = journey.touchpoints[len(journey.touchpoints) // 2]
        change = [{"set": {"path": f"touchpoints.{step.id}.retry", "value": 0.5}}]
        ms = _best(functools.partial(_recompute, journey, change)) * 1000
        flag = "" if ms < TARGET_MS else f"  OVER the {TARGET_MS:.0f} ms target"
        print(f"  {path.name:<32} {len(journey.touchpoints):>3} touchpoints: {ms:6.1f} ms{flag}")
    print("printed on A3 with the heat overlay (all sheets, one PDF), first run:")
    for path in paths:
        journey = journeymap.load(path)
        for kind in ("journey", "blueprint"):
            count, seconds = _printed(journey, kind)
            print(f"  {path.name:<32} {kind:<9} {count} sheet(s): {seconds:5.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
