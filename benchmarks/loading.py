"""How fast journey files load, and how fast hostile ones are refused.

Prints, per input, the best and median wall time of several runs of ``journeymap.read``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import journeymap
from journeymap.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "data" / "broken"


def timed(action: Callable[[], object], runs: int = 7) -> tuple[float, float]:
    """Best and median seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def row(label: str, path: Path, expect_journey: bool) -> None:
    result = journeymap.read(path)
    assert (result.journey is not None) == expect_journey, result.findings[:3]
    best, median = timed(lambda: journeymap.read(path))
    size = path.stat().st_size
    print(f"{label:<44} {size / 1024:>9.1f} KiB {best * 1000:>9.2f} ms {median * 1000:>9.2f} ms")


def bigger_bomb(levels: int) -> str:
    text = "journeymap: 1\nid: bomb\nl0: &l0 [" + ", ".join(['"lol"'] * 9) + "]\n"
    for i in range(1, levels + 1):
        text += f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n"
    return text


def main() -> int:
    print(f"{'input':<44} {'size':>13} {'best':>12} {'median':>12}")
    for path in sorted((ROOT / "examples").glob("*.yaml"), key=lambda p: p.stat().st_size):
        row(f"example {path.name}", path, True)
    with tempfile.TemporaryDirectory() as folder:
        for count in (50, 200, 1000):
            path = Path(folder) / f"generated-{count}.yaml"
            path.write_text(journeymap.dump(generate(count, 6)), encoding="utf-8")
            row(f"generated, {count} touchpoints, 6 channels", path, True)
        bomb = Path(folder) / "bomb-20-levels.yaml"
        bomb.write_text(bigger_bomb(20))
        row("alias bomb, 20 levels (9^20 nodes)", bomb, False)
        huge = Path(folder) / "huge.yaml"
        with open(huge, "wb") as handle:
            handle.truncate(64 * 1024 * 1024)
        row("64 MiB file (over the size limit)", huge, False)
    for name in ("alias-bomb.yaml", "deep-nesting.yaml", "binary.yaml", "unsafe-tag.yaml"):
        row(f"refused: {name}", BROKEN / name, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
