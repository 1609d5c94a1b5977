"""How long a blueprint takes to draw, from 20 to 200 touchpoints: DOT text, then dot to SVG."""

from __future__ import annotations

import sys
import time

from journeymap.render import blueprint_dot, draw, journey_dot
from journeymap.synthetic import generate

SIZES = (20, 50, 100, 200)


def main() -> int:
    print(
        f"{'touchpoints':>11} {'blueprint DOT':>14} {'dot -> SVG':>11} {'SVG size':>10} "
        f"{'journey DOT -> SVG':>19}"
    )
    for size in SIZES:
        journey = generate(size, 6, seed=1)
        started = time.perf_counter()
        dot = blueprint_dot(journey)
        made = time.perf_counter()
        svg = draw(dot, "svg").data
        drawn = time.perf_counter()
        draw(journey_dot(journey), "svg")
        graph = time.perf_counter()
        print(
            f"{size:>11} {(made - started) * 1000:>11.0f} ms {drawn - made:>9.2f} s "
            f"{len(svg) / 1024:>7.0f} KiB {graph - drawn:>17.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
