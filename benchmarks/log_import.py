"""How fast a contact log is read: a generated CSV into the contact table, clean and with bad rows.

Writes 10 million generated contacts (``--contacts``) as CSV, then times
``journeymap.logs.readers.read_contacts`` on it, on the same file with a thousand
unparseable times spread through it (each rejected by line), and with a thousand quoted
values holding a line break (read a second time to number the lines). Best of ``--runs``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from journeymap.logs.generate import generate_contacts
from journeymap.logs.mapping import Mapping
from journeymap.logs.readers import read_contacts

BAD = 1_000
MAPPING = Mapping(customer="customer", time="time", channel="channel", topic="topic")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000_000, help="default 10,000,000")
    parser.add_argument("--runs", type=int, default=2, help="best of this many (default 2)")
    args = parser.parse_args(argv)
    table = generate_contacts(args.contacts, max(1, args.contacts // 20), 6, 50, seed=1)
    text = pc.strftime(table["time"], format="%Y-%m-%dT%H:%M:%S")
    clean = pa.table(
        {"customer": table["customer"], "time": text, "channel": table["channel"],
         "topic": table["topic"]}
    )  # fmt: skip
    spoilt_times = text.to_pylist()
    step = max(1, len(spoilt_times) // BAD)
    for i in range(0, len(spoilt_times), step)[:BAD]:
        spoilt_times[i] = "yesterday"
    spoilt = clean.set_column(1, "time", pa.array(spoilt_times))
    topics = clean["topic"].to_pylist()
    for i in range(0, len(topics), step)[:BAD]:
        topics[i] = f"{topics[i]}\nsecond line"
    multiline = clean.set_column(3, "topic", pa.array(topics))
    with tempfile.TemporaryDirectory() as folder:
        for name, data in (
            ("clean", clean),
            (f"{BAD:,} bad times", spoilt),
            (f"{BAD:,} line breaks", multiline),
        ):
            path = Path(folder) / "contacts.csv"
            pacsv.write_csv(data, path)
            size = path.stat().st_size / 2**20
            best = float("inf")
            for _ in range(args.runs):
                started = time.perf_counter()
                contacts = read_contacts(path, MAPPING)
                best = min(best, time.perf_counter() - started)
            print(
                f"{name:<18} {args.contacts:>12,} rows {size:>7.0f} MiB CSV: {best:6.2f} s "
                f"({args.contacts / best / 1e6:.2f} M rows/s), {len(contacts.rejected):,} rejected"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
