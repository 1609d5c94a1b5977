"""How long a whole failure-demand report takes: each example, then synthetic journeys.

A report is the exact analysis, every recommendation tried by analysing a changed copy, the
gap costs, the blueprint drawn by dot, and the template filled; best of three runs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import journeymap
from journeymap.flow import analyze
from journeymap.model import Journey
from journeymap.report.document import blueprint_figure, render, report
from journeymap.synthetic import generate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SIZES = (20, 50, 100)


def _best(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def _row(name: str, journey: Journey) -> None:
    figures = analyze(journey)
    data = report(journey, figures=figures)
    analysis = _best(lambda: analyze(journey))
    content = _best(lambda: report(journey, figures=figures))
    svg = _best(lambda: blueprint_figure(journey, figures))
    whole = _best(
        lambda: render(
            report(journey), "html", blueprint=blueprint_figure(journey, analyze(journey))
        )
    )
    print(
        f"{name:<28} {len(journey.touchpoints):>5} {analysis * 1000:>9.0f} ms "
        f"{content * 1000:>11.0f} ms {len(data['recommendations']):>4} {svg:>9.2f} s "
        f"{whole:>9.2f} s"
    )


def main() -> int:
    print(
        f"{'journey':<28} {'steps':>5} {'analysis':>12} {'+ advice':>14} {'recs':>4} "
        f"{'blueprint':>11} {'HTML total':>11}"
    )
    for path in sorted(EXAMPLES.glob("*.yaml")):
        journey = journeymap.load(path)
        _row(path.stem, journey)
    for size in SIZES:
        _row(f"synthetic-{size}", generate(size, 6, seed=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
