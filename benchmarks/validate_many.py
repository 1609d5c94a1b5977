"""Validate 1,000 generated journey files in one call, and run yamllint on the same files.

yamllint checks YAML style only; journeymap loads every file into the model and runs
all design checks, so it should still not be slower. Prints both times and the ratio.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import journeymap
from journeymap.synthetic import generate

FILES = int(os.environ.get("JOURNEYMAP_BENCH_FILES", "1000"))
TOUCHPOINTS, CHANNELS = 50, 6


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr[-500:]}")
    return elapsed


def main() -> int:
    bin_dir = Path(sys.executable).parent
    yamllint = shutil.which("yamllint", path=str(bin_dir)) or shutil.which("yamllint")
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(FILES):
            text = journeymap.dump(generate(TOUCHPOINTS, CHANNELS, seed))
            Path(folder, f"journey-{seed:04d}.yaml").write_text(text, encoding="utf-8")
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 2**20
        print(
            f"{FILES} journeys of {TOUCHPOINTS} touchpoints and {CHANNELS} channels, "
            f"{size:.1f} MiB in all"
        )
        command = [str(bin_dir / "journeymap"), "validate", "-q", "-f", "json", folder]
        ours = timed(command)
        print(
            f"journeymap validate (load, schema, {len(journeymap.rules.RULES)} rules): "
            f"{ours:6.2f} s  ({ours / FILES * 1000:.1f} ms a file)"
        )
        jobs = timed([*command, "--jobs", "0"])
        print(
            f"journeymap validate --jobs 0 ({os.cpu_count()} cores):       "
            f"{jobs:6.2f} s  ({jobs / FILES * 1000:.1f} ms a file)"
        )
        if yamllint is None:
            print("yamllint not installed: ./run bench installs it")
            return 0
        theirs = timed([yamllint, "-f", "parsable", folder])
        print(
            f"yamllint (YAML style only):                {theirs:6.2f} s  "
            f"({theirs / FILES * 1000:.1f} ms a file)"
        )
        print(
            f"journeymap / yamllint time: {ours / theirs:.2f} (one process), "
            f"{jobs / theirs:.2f} (--jobs 0)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
