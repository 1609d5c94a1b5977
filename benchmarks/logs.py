"""How fast the log measures run: Ibis on DuckDB against plain pandas, 10 million contacts.

Generates a contact log (a customer per 20 contacts: 500,000; 6 channels, 50 topics) to
a Parquet file, then measures it with a 3-day window twice, each in a process of its own
so each peak memory is its own: the full ``journeymap.logs.measures.measure`` on DuckDB
(connect, read the file, measure), and the same measures written in plain pandas (read,
sort, groupby shift). Prints the times, the peak memory (``ru_maxrss``), the ratio, and
whether the headline figures agree; exits 1 if they do not.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

WINDOW = datetime.timedelta(days=3)
IMPORTS = {"duckdb": ("ibis.backends.duckdb", "journeymap.logs.measures"), "pandas": ("pandas",)}
HEADLINE = (
    "contacts",
    "customers",
    "repeats",
    "repeat_ratio",
    "first_contacts",
    "resolved_first_contacts",
    "first_contact_resolution",
    "switches",
    "switches_after_unresolved",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000_000, help="default 10,000,000")
    parser.add_argument("--same-topic", action="store_true", help="repeats on the same topic")
    parser.add_argument(
        "--run", nargs=2, metavar=("IMPLEMENTATION", "FILE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.run:
        return child(args.run[0], Path(args.run[1]), args.same_topic)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.parquet"
        generate(path, args.contacts)
        results = {name: run(name, path, args.same_topic) for name in ("duckdb", "pandas")}
    return report(results)


def generate(path: Path, contacts: int) -> None:
    import pyarrow.parquet as pq

    from journeymap.logs.generate import generate_contacts

    started = time.perf_counter()
    table = generate_contacts(contacts, max(1, contacts // 20), 6, 50, seed=1)
    made = time.perf_counter()
    pq.write_table(table, path)
    written = time.perf_counter()
    print(
        f"generated {contacts:,} contacts in {made - started:.2f} s, "
        f"wrote {path.stat().st_size / 2**20:.0f} MiB of Parquet in {written - made:.2f} s"
    )


def run(name: str, path: Path, same_topic: bool) -> dict[str, Any]:
    """One implementation in a fresh process: its time, its peak memory, its figures."""
    command = [sys.executable, __file__, "--run", name, str(path)]
    command += ["--same-topic"] if same_topic else []
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result | {"process": time.perf_counter() - started}


def report(results: dict[str, dict[str, Any]]) -> int:
    print(f"{'implementation':<16} {'measure':>10} {'process':>10} {'peak memory':>12}")
    for name, result in results.items():
        print(
            f"{name:<16} {result['seconds']:>8.2f} s {result['process']:>8.2f} s "
            f"{result['peak_mib']:>8.0f} MiB"
        )
    duckdb, pandas = results["duckdb"], results["pandas"]
    print(
        f"pandas / duckdb: {pandas['seconds'] / duckdb['seconds']:.1f}x the time, "
        f"{pandas['peak_mib'] / duckdb['peak_mib']:.1f}x the peak memory"
    )
    for key, value in duckdb["figures"].items():
        print(f"  {key:<28} {json.dumps(value)}")
    differ = [k for k in duckdb["figures"] if duckdb["figures"][k] != pandas["figures"][k]]
    print("headline figures agree" if not differ else f"figures DIFFER: {', '.join(differ)}")
    return 1 if differ else 0


def child(name: str, path: Path, same_topic: bool) -> int:
    """Measure ``path`` with one implementation and print the result as one JSON line.

    The time runs from reading the file to the figures; the process time (taken by the
    parent) adds starting Python and importing the libraries.
    """
    for module in IMPORTS[name]:
        importlib.import_module(module)  # importing is not what is timed
    measure = measure_duckdb if name == "duckdb" else measure_pandas
    started = time.perf_counter()
    figures = measure(path, same_topic)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "figures": figures}))
    return 0


def measure_duckdb(path: Path, same_topic: bool) -> dict[str, Any]:
    from journeymap.logs.engine import connect, load
    from journeymap.logs.measures import measure

    data = measure(load(connect("duckdb"), path), WINDOW, same_topic).as_dict()
    return headline(data, {r["channel"]: r["repeats"] for r in data["by_channel"]["rows"]})


def headline(data: dict[str, Any], by_channel: dict[str, int]) -> dict[str, Any]:
    figures = {key: data[key] for key in HEADLINE}
    figures["contacts_per_customer"] = data["contacts_per_customer"]
    figures["repeats_by_channel"] = dict(sorted(by_channel.items()))
    return figures


def measure_pandas(path: Path, same_topic: bool) -> dict[str, Any]:
    """The same definitions in plain pandas: sort, then shift within groups."""
    pd: Any = importlib.import_module("pandas")  # pandas ships no type information

    df = pd.read_parquet(path).sort_values(["customer", "time", "row"], ignore_index=True)
    window = pd.Timedelta(WINDOW)
    customer = df.groupby("customer", sort=False)
    matter = df.groupby(["customer", "topic"], sort=False, dropna=False) if same_topic else customer
    before = df["time"] - customer["time"].shift()
    prev_channel = customer["channel"].shift()
    df["is_repeat"] = (df["time"] - matter["time"].shift()) <= window
    df["is_resolved"] = ~((matter["time"].shift(-1) - df["time"]) <= window)
    is_switch = prev_channel.notna() & (prev_channel != df["channel"])
    near = before <= window
    if same_topic:
        prev_topic = customer["topic"].shift()
        near &= (prev_topic == df["topic"]) | (prev_topic.isna() & df["topic"].isna())
    counts = customer.size().to_numpy()
    repeats = int(df["is_repeat"].sum())
    first = len(df) - repeats
    resolved = int((~df["is_repeat"] & df["is_resolved"]).sum())
    switches = int(is_switch.sum())
    data = {
        "contacts": len(df),
        "customers": len(counts),
        "repeats": repeats,
        "repeat_ratio": _round(repeats / len(df)),
        "first_contacts": first,
        "resolved_first_contacts": resolved,
        "first_contact_resolution": _round(resolved / first),
        "switches": switches,
        "switches_after_unresolved": int((is_switch & near).sum()),
        "contacts_per_customer": {
            "mean": _round(len(df) / len(counts)),
            "p50": _nearest_rank(counts, 50),
            "p90": _nearest_rank(counts, 90),
            "max": int(counts.max()),
        },
    }
    by_channel = df.groupby("channel")["is_repeat"].sum()
    return headline(data, {str(k): int(v) for k, v in by_channel.items()})


def _nearest_rank(counts: Any, percent: int) -> int:
    ordered = np.sort(counts)
    return int(ordered[-(-len(ordered) * percent // 100) - 1])


def _round(value: float) -> float:
    return float(f"{value:.12g}")


if __name__ == "__main__":
    sys.exit(main())
