"""The event log of a simulation: one row per contact or message, as CSV or Parquet.

Columns: ``customer``, ``segment``, ``step`` (the customer's n-th contact or message),
``touchpoint``, ``channel``, ``context`` (full, partial or none: what came along from the
channel before), ``demand`` (value or failure; ``message`` for a message the service
sends on an outbound channel), ``outcome`` (resolved, retry, abandoned, or stuck at
``max_contacts``) and ``cause`` (of a failed contact). Rows are sorted by customer and
step, so process-mining tools can read the customer as the case and the step as the order.
A journey with time keys adds ``elapsed_hours``: the customer's hours since they started,
when the contact (and, after a success, the step's duration) is over.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from journeymap.errors import JourneymapError
from journeymap.files import OutputExistsError
from journeymap.flow.montecarlo import Events
from journeymap.flow.timing import uses_time
from journeymap.markov.chain import CONTEXTS, END, GIVE_UP, NEXT, RETRY, Chain, Floats

COLUMNS = (
    "customer",
    "segment",
    "step",
    "touchpoint",
    "channel",
    "context",
    "demand",
    "outcome",
    "cause",
)
TIMED_COLUMNS = (*COLUMNS, "elapsed_hours")
"""The columns of the log of a journey with time keys (``uses_time``)."""
FORMATS = (".csv", ".parquet")
_OUTCOMES = {NEXT: "resolved", END: "resolved", RETRY: "retry", GIVE_UP: "abandoned"}


class EventLog:
    """Writes a simulation's contacts to ``path`` (``.csv`` or ``.parquet``) as they come.

    Use it as a context manager and pass it as ``simulate(..., events=log)``. The file
    appears whole when the log is closed, and not at all if the simulation fails.
    """

    def __init__(self, path: str | os.PathLike[str], *, force: bool = False) -> None:
        self.path = Path(path)
        self.suffix = self.path.suffix.lower()
        if self.suffix not in FORMATS:
            raise JourneymapError(f"{self.path}: an event log is a .csv or a .parquet file")
        if self.path.exists() and not force:
            raise OutputExistsError(f"{self.path} exists; pass --force to overwrite it")
        self.force = force
        self.rows = 0
        self.columns: tuple[str, ...] | None = None
        """The columns written; known from the first chunk (``None`` before it)."""
        self._writer: Any = None
        self._handle: Any = None
        self._temporary = ""

    def __enter__(self) -> EventLog:
        """Open the temporary file the log is written to."""
        handle, self._temporary = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent or "."
        )
        os.close(handle)
        if self.suffix == ".csv":
            self._handle = open(self._temporary, "w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._handle)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Put the finished file in place, or throw the partial one away."""
        try:
            if self._handle is not None:
                if self.columns is None:  # an empty CSV log still has its header
                    self._writer.writerow(COLUMNS)
                self._handle.close()
            elif self._writer is not None:
                self._writer.close()
            if kind is None:
                if self._writer is None:  # an empty Parquet log still has its columns
                    _parquet_writer(self._temporary).close()
                self._place()
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temporary)

    def __call__(self, segment: str, chain: Chain, chunk: list[Events]) -> None:
        """Write one chunk's contacts, sorted by customer and step."""
        columns = dict(_decode(segment, chain, chunk))
        names = TIMED_COLUMNS if "elapsed_hours" in columns else COLUMNS
        self.rows += len(columns["customer"])
        if self.suffix == ".csv":
            if self.columns is None:
                self._writer.writerow(names)
            self.columns = names
            self._writer.writerows(zip(*(columns[name] for name in names), strict=True))
            return
        import pyarrow as pa

        self.columns = names
        table = pa.table({name: columns[name] for name in names})
        if self._writer is None:
            self._writer = _parquet_writer(self._temporary, table.schema)
        self._writer.write_table(table)

    def _place(self) -> None:
        os.chmod(self._temporary, 0o644)
        if self.force:
            os.replace(self._temporary, self.path)
        else:
            try:
                os.link(self._temporary, self.path)
            except FileExistsError:
                raise OutputExistsError(
                    f"{self.path} exists; pass --force to overwrite it"
                ) from None


def _parquet_writer(path: str, schema: Any = None) -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise JourneymapError(
            "writing Parquet needs pyarrow: pip install 'journeymap[parquet]', or write .csv"
        ) from None
    if schema is None:
        schema = pa.schema(
            [
                (name, pa.int64() if name in ("customer", "step") else pa.string())
                for name in COLUMNS
            ]
        )
    return pq.ParquetWriter(path, schema)


def _decode(segment: str, chain: Chain, chunk: list[Events]) -> Iterator[tuple[str, Any]]:
    """The chunk's contacts as columns, rows sorted by customer and step."""
    timed = uses_time(chain.journey)
    if not chunk:
        yield from ((name, []) for name in (TIMED_COLUMNS if timed else COLUMNS))
        return
    customers = np.concatenate([e.customers for e in chunk])
    steps = np.concatenate([np.full(len(e.customers), e.step) for e in chunk])
    states = np.concatenate([e.states for e in chunk])
    edges = np.concatenate([e.edges for e in chunk])
    stuck = np.concatenate([e.stuck for e in chunk])
    order = np.lexsort((steps, customers))
    customers, steps, states, edges, stuck = (
        a[order] for a in (customers, steps, states, edges, stuck)
    )
    journey = chain.journey
    tps = np.array([tp.id for tp in journey.touchpoints], dtype=object)
    channels = np.array(list(journey.channels), dtype=object)
    causes = np.array([*chain.causes, ""], dtype=object)
    kinds = np.array([_OUTCOMES[k] for k in range(4)], dtype=object)
    outcome = kinds[chain.kind[edges]]
    outcome[stuck] = "stuck"
    yield "customer", customers.tolist()
    yield "segment", [segment] * len(customers)
    yield "step", steps.tolist()
    yield "touchpoint", tps[chain.state_touchpoint[states]].tolist()
    yield "channel", channels[chain.state_channel[states]].tolist()
    yield "context", np.array(CONTEXTS, dtype=object)[chain.state_context[states]].tolist()
    demand = np.where(chain.failure_state[states], "failure", "value")
    yield "demand", np.where(chain.message_state[states], "message", demand).tolist()
    yield "outcome", outcome.tolist()
    yield "cause", causes[chain.cause[edges]].tolist()
    if timed:
        hours = np.concatenate([_hours(e) for e in chunk])[order]
        yield "elapsed_hours", hours.tolist()


def _hours(events: Events) -> Floats:
    """The elapsed hours of one step's contacts (0 where the run tracked no time)."""
    return events.elapsed if events.elapsed is not None else np.zeros(len(events.customers))
