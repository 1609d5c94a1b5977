"""Run every benchmark in this folder and print its figures: ``./run bench [name ...]``."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in ("run.py", "__init__.py"))
    chosen = [p for p in scripts if not names or p.stem in names]
    for script in chosen:
        print(f"\n== benchmarks/{script.name}", flush=True)
        sys.argv = [str(script)]
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as stop:
            if stop.code:
                return int(stop.code) if isinstance(stop.code, int) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
