"""Seeded Monte-Carlo simulation of customers through the chain, vectorised with NumPy.

Customers of a chunk move in lockstep: at each step every customer still in the journey
makes one contact, and its outcome (an edge of the chain) is drawn for all of them at
once from per-state alias tables, with 32 random bits per contact. Edge counts divided by
the customers are the same flows the exact analysis computes, so both end in the same
figures. Chunks bound the memory and serve as batches for standard errors; each chunk
draws from its own stream spawned from the seed, so the same seed and customer count
give the same numbers on any machine.

With a ``Clock`` (a journey with time keys) each customer also carries the hours since
they started: each contact adds its edge's fixed hours and a closed-hours wait drawn from
a second stream spawned from the chunk's own, so the contacts drawn are the same with and
without the clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from journeymap.markov.chain import COMPLETE, END, NEXT, Chain, Floats, Ints
from journeymap.model.hours import WEEK

MAX_CHUNK = 1 << 16
"""Most customers stepped together: arrays stay in the processor's cache."""
BATCHES = 32
"""Chunks a run is split into, at least, for batch-means standard errors."""
MIN_CHUNK = 256
MESSAGE_STEPS = 100
"""Steps a customer may take per contact allowed, where messages do not count as contacts."""
EDGE_BITS = 20
THRESHOLD_BITS = 24
"""A cell packs a 24-bit threshold over two 20-bit edge indexes into 64 bits."""

Progress = Callable[[int], None]
"""Called with the number of customers just finished."""
Words = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Tables:
    """Alias tables of a chain, packed one 64-bit word per cell for one memory access.

    A customer's state is kept as its *code*, ``state << slot_bits``, the first of the
    state's cells; ``code | slot`` is a cell. A cell holds from the top a threshold and
    two edge indexes: the slot's own edge (taken when the random fraction is below the
    threshold) and its alias. ``dst`` gives each edge's target as a code (negative:
    the customer leaves).
    """

    slot_bits: int
    threshold_bits: int
    cells: Words
    dst: Ints
    entry_cumulative: Floats
    contact: Ints | None = None
    """1 where an edge leaves a contact, 0 where it leaves a message; ``None`` where the
    chain has no messages (every step is a contact)."""


def alias_tables(chain: Chain) -> Tables:
    """Walker's alias tables for every state's outgoing edges, built for all states at once."""
    if chain.edges >= 1 << EDGE_BITS:
        raise ValueError(f"the chain has {chain.edges:,} edges, too many to simulate")
    order = np.argsort(chain.src, kind="stable")
    counts = np.bincount(chain.src, minlength=chain.states)
    slot_bits = max(1, int(counts.max(initial=1) - 1).bit_length())
    threshold_bits = min(THRESHOLD_BITS, 32 - slot_bits)
    width = 1 << slot_bits
    rows = np.flatnonzero(counts)
    # slot j of row r holds the j-th edge of state rows[r]; padding slots hold probability 0
    starts = np.concatenate([[0], np.cumsum(counts)])[rows]
    slot = np.arange(len(order)) - np.repeat(starts, counts[rows])
    row = np.repeat(np.arange(len(rows)), counts[rows])
    ids = np.repeat(order[starts][:, None], width, axis=1)
    ids[row, slot] = order
    scaled = np.zeros((len(rows), width))
    scaled[row, slot] = chain.p[order]
    scaled *= width / scaled.sum(axis=1, keepdims=True)
    threshold, alias = square_histogram(scaled)
    quantised = np.minimum(
        np.round(threshold * (1 << threshold_bits)), (1 << threshold_bits) - 1
    ).astype(np.uint64)
    own_edges = ids.astype(np.uint64)
    alias_edges = np.take_along_axis(ids, alias, axis=1).astype(np.uint64)
    cells = np.zeros((chain.states, width), dtype=np.uint64)
    cells[rows] = (
        (quantised << np.uint64(64 - threshold_bits))
        | (own_edges << np.uint64(EDGE_BITS))
        | alias_edges
    )
    dst = np.where(chain.dst >= 0, chain.dst << slot_bits, chain.dst)
    contact = (~chain.message_state[chain.src]).astype(np.int64) if chain.has_messages else None
    return Tables(slot_bits, threshold_bits, cells.ravel(), dst, np.cumsum(chain.entry), contact)


def square_histogram(scaled: Floats) -> tuple[Floats, Ints]:
    """Alias thresholds and alias slots for each row of ``scaled`` (each row sums to its width).

    Marsaglia's square histogram, for all rows in lockstep: the smallest unfinished slot is
    topped up from the largest, which becomes its alias, until every slot is finished.
    """
    values = scaled.copy()
    rows, width = values.shape
    threshold = np.ones_like(values)
    alias = np.tile(np.arange(width), (rows, 1))
    finished = np.zeros_like(values, dtype=bool)
    index = np.arange(rows)
    for _ in range(width - 1):
        low = np.argmin(np.where(finished, np.inf, values), axis=1)
        high = np.argmax(np.where(finished, -np.inf, values), axis=1)
        small = values[index, low]
        moving = (small < 1.0) & (low != high)
        threshold[index[moving], low[moving]] = small[moving]
        alias[index[moving], low[moving]] = high[moving]
        values[index[moving], high[moving]] -= 1.0 - small[moving]
        finished[index, low] = True
    return threshold, alias


@dataclass(frozen=True)
class ClosedWaits:
    """Draws the closed-hours wait of attempts at channels that close part of the week.

    Revision 2, *Time*: 'The moment of each attempt is spread uniformly over the week. An
    attempt at a closed channel waits until it opens.' Each channel's closed stretches are
    laid end to end from the start of its week: a moment uniform over the week lands in a
    stretch of L hours with chance L / 168, and its wait to the stretch's end is then
    uniform in [0, L], exactly as at the stretch's true place in the week. Stretches are
    whole minutes (as opening hours are), so a table by minute of that week finds the
    stretch's end in one look-up: ``ends`` holds, per row and minute, the minute its
    stretch ends (0 where the channel is open); ``rows`` gives each channel's row as an
    offset into ``ends``, channels that never close sharing a row of zeros.
    """

    ends: Floats
    rows: Ints

    @classmethod
    def of(cls, stretches: Sequence[Sequence[float]]) -> ClosedWaits:
        """The waits of channels closed in ``stretches[c]``: hours, as ``closed_stretches``."""
        table = [np.zeros(WEEK)]
        rows = []
        for lengths in stretches:
            rows.append(len(table) * WEEK if len(lengths) else 0)
            if len(lengths):
                table.append(_closed_row(lengths))
        return cls(np.concatenate(table), np.array(rows, dtype=np.int64))

    @property
    def never(self) -> bool:
        """True where no channel ever closes: every wait is 0."""
        return len(self.ends) == WEEK

    def wait(self, channels: Ints, moments: Floats) -> Floats:
        """The wait in hours of an attempt at each channel at each moment (0 to 168 hours)."""
        minutes = np.minimum(np.asarray(moments, dtype=float) * 60.0, np.nextafter(WEEK, 0))
        out = np.empty(len(minutes))
        self._wait(self.rows[channels], minutes, out, np.empty(len(minutes), dtype=np.int64))
        return out

    def draw(self, rng: np.random.Generator, channels: Ints) -> Floats:
        """The wait in hours of an attempt at each channel, its moment uniform over the week."""
        n = len(channels)
        out = np.empty(n)
        self.draw_into(rng, self.rows[channels], out, np.empty(n), np.empty(n, dtype=np.int64))
        return out

    def draw_into(
        self, rng: np.random.Generator, rows: Ints, out: Floats, minutes: Floats, index: Ints
    ) -> None:
        """Put the wait in hours of an attempt at each row's channel in ``out``, as ``draw``.

        ``minutes`` and ``index``, as long as ``rows``, are scratch space: the simulation
        steps reuse them rather than allocate arrays at every step.
        """
        rng.random(out=minutes)
        minutes *= WEEK
        self._wait(rows, minutes, out, index)

    def _wait(self, rows: Ints, minutes: Floats, out: Floats, index: Ints) -> None:
        """The wait in hours, into ``out``, at each row at each minute of the week."""
        np.copyto(index, minutes, casting="unsafe")  # the whole minute: moments are >= 0
        index += rows
        np.take(self.ends, index, out=out)
        out -= minutes
        np.maximum(out, 0.0, out=out)
        out *= 1.0 / 60.0


def _closed_row(lengths: Sequence[float]) -> Floats:
    """One channel's row of ``ClosedWaits.ends``: its stretches laid end to end."""
    minutes = np.round(np.asarray(lengths, dtype=float) * 60.0)
    if not np.allclose(minutes, np.asarray(lengths, dtype=float) * 60.0, rtol=0, atol=1e-6):
        raise ValueError(f"closed stretches {tuple(lengths)} are not whole minutes")
    ends = np.cumsum(minutes).astype(np.int64)
    if len(ends) and ends[-1] > WEEK:
        raise ValueError(f"closed stretches {tuple(lengths)} are longer than a week")
    row = np.zeros(WEEK)
    row[: ends[-1]] = np.repeat(ends, minutes.astype(np.int64)).astype(float)
    return row


@dataclass(frozen=True)
class Clock:
    """What each contact adds to a customer's elapsed hours.

    'An attempt's elapsed time is its closed-hours wait + response + handling; a successful
    attempt adds the touchpoint's duration.' ``edge_hours`` is, per edge of the chain, its
    state's channel's fixed hours (response, or a queue's wait, and handling) plus the
    touchpoint's duration where the edge is a success; ``waits`` draws the closed-hours
    wait, at each state's channel's row ``state_row``.
    """

    edge_hours: Floats
    state_row: Ints
    waits: ClosedWaits

    @classmethod
    def of(cls, chain: Chain, attempt: Floats, waits: ClosedWaits) -> Clock:
        """The clock of ``chain``, with each channel's fixed ``attempt`` hours."""
        durations = np.array([float(tp.duration) for tp in chain.journey.touchpoints])
        success = (chain.kind == NEXT) | (chain.kind == END)
        hours = attempt[chain.state_channel[chain.src]]
        hours = hours + np.where(success, durations[chain.state_touchpoint[chain.src]], 0.0)
        return cls(hours, waits.rows[chain.state_channel], waits)


@dataclass
class Counts:
    """What the simulated customers of one segment did, summed."""

    customers: int
    edge_hits: Floats
    stuck: Floats
    contacts_histogram: npt.NDArray[np.int64]
    completed: int = 0
    batches: list[Floats] = field(default_factory=list)
    """Each chunk's failure contacts, cost and contacts, for batch-means standard errors."""
    time_total: float = 0.0
    """With a clock: the customers' elapsed hours, summed (each counted when they leave)."""
    time_squares: float = 0.0
    """With a clock: the squares of the customers' elapsed hours, summed."""
    completion_times: list[Floats] = field(default_factory=list)
    """With a clock: the elapsed hours of every customer who completes, chunk by chunk."""


@dataclass(frozen=True)
class Events:
    """The contacts of one step of a chunk, for the event log: customer, state, edge."""

    customers: Ints
    step: int
    states: Ints
    edges: Ints
    stuck: npt.NDArray[np.bool_]
    elapsed: Floats | None = None
    """With a clock: each customer's elapsed hours when this contact (and, after a success,
    the step's duration) is over."""


EventSink = Callable[[list[Events]], None]
"""Receives each chunk's contacts, step by step, when the chunk is done."""


def chunk_sizes(customers: int) -> list[int]:
    """How a run of ``customers`` is split: at least ``BATCHES`` chunks where it can be."""
    size = min(MAX_CHUNK, max(MIN_CHUNK, math.ceil(customers / BATCHES)))
    return [min(size, customers - start) for start in range(0, customers, size)]


def run(
    chain: Chain,
    customers: int,
    seed: np.random.SeedSequence,
    max_contacts: int,
    progress: Progress | None = None,
    events: EventSink | None = None,
    first_customer: int = 0,
    clock: Clock | None = None,
) -> Counts:
    """Simulate ``customers`` customers through ``chain``, numbered from ``first_customer``.

    With a ``clock`` every customer's elapsed hours are tracked too; its waits draw from a
    stream spawned from each chunk's, so the contacts are those drawn without it.
    """
    tables = alias_tables(chain)
    counts = Counts(
        customers,
        np.zeros(chain.edges),
        np.zeros(chain.edges),
        np.zeros(max_contacts + 1, dtype=np.int64),
    )
    per_edge = np.stack(
        [
            chain.failure_state[chain.src].astype(float),
            chain.state_cost[chain.src],
            (~chain.message_state[chain.src]).astype(float),
        ],
        axis=1,
    )
    sizes = chunk_sizes(customers)
    offsets = first_customer + np.cumsum([0, *sizes[:-1]])
    for offset, size, stream in zip(offsets, sizes, seed.spawn(len(sizes)), strict=True):
        before = counts.edge_hits.copy()
        stepper = _Stepper(tables, int(size), np.random.Generator(np.random.PCG64(stream)))
        if clock is not None:
            stepper.track(clock, np.random.Generator(np.random.PCG64(stream.spawn(1)[0])))
        if tables.contact is None:
            stepper.run(int(offset), max_contacts, counts, events)
        else:
            stepper.run_with_messages(int(offset), max_contacts, counts, events)
        counts.batches.append((counts.edge_hits - before) @ per_edge)
        if progress is not None:
            progress(int(size))
    return counts


class _Stepper:
    """Steps one chunk of customers in lockstep, with buffers allocated once."""

    def __init__(self, tables: Tables, size: int, rng: np.random.Generator) -> None:
        self.tables = tables
        self.rng = rng
        self.codes = (
            np.searchsorted(
                tables.entry_cumulative,
                rng.random(size) * tables.entry_cumulative[-1],
                side="right",
            ).astype(np.int64)
            << tables.slot_bits
        )
        self.bits = np.empty(size, dtype=np.uint64)
        self.work = np.empty(size, dtype=np.uint64)
        self.cell = np.empty(size, dtype=np.int64)
        self.word = np.empty(size, dtype=np.uint64)
        self.own = np.empty(size, dtype=bool)
        self.target = np.empty(size, dtype=np.int64)
        self.alive = np.empty(size, dtype=bool)
        self.next_codes = np.empty(size, dtype=np.int64)
        self.clock: Clock | None = None
        self.clock_rng = rng
        self.finished: list[Floats] = []
        """With a clock: the elapsed hours of the customers who completed, step by step."""
        self.elapsed, self.next_elapsed = np.zeros(0), np.zeros(0)
        self.hours, self.minutes = np.zeros(0), np.zeros(0)
        self.states = self.rows = self.index = np.zeros(0, dtype=np.int64)

    def track(self, clock: Clock, rng: np.random.Generator) -> None:
        """Track every customer's elapsed hours with ``clock``, its waits drawn from ``rng``."""
        size = len(self.codes)
        self.clock, self.clock_rng = clock, rng
        self.elapsed, self.next_elapsed = np.zeros(size), np.zeros(size)
        self.hours, self.minutes = np.empty(size), np.empty(size)
        self.states = np.empty(size, dtype=np.int64)
        self.rows = np.empty(size, dtype=np.int64)
        self.index = np.empty(size, dtype=np.int64)

    def tick(self, codes: Ints, edges: Ints, elapsed: Floats) -> None:
        """Add each customer's contact to their ``elapsed`` hours: its fixed hours and wait."""
        clock, n = self.clock, len(edges)
        assert clock is not None
        hours = self.hours[:n]
        np.take(clock.edge_hours, edges, out=hours)
        elapsed += hours
        if not clock.waits.never:
            states, rows = self.states[:n], self.rows[:n]
            np.right_shift(codes, self.tables.slot_bits, out=states)
            np.take(clock.state_row, states, out=rows)
            clock.waits.draw_into(self.clock_rng, rows, hours, self.minutes[:n], self.index[:n])
            elapsed += hours

    def leave(
        self, elapsed: Floats, leaving: npt.NDArray[np.bool_], target: Ints, counts: Counts
    ) -> None:
        """Count the elapsed hours of the customers ``leaving``; keep those who completed."""
        gone = elapsed[leaving]
        counts.time_total += float(gone.sum())
        counts.time_squares += float(gone @ gone)
        self.finished.append(elapsed[leaving & (target == COMPLETE)])

    def close(self, counts: Counts) -> None:
        """Hand the chunk's completion times to ``counts``."""
        if self.clock is not None:
            counts.completion_times.append(np.concatenate([np.zeros(0), *self.finished]))

    def draw(self, n: int) -> Words:
        """The edge of each of the first ``n`` customers' contacts (as uint64 indexes)."""
        tables = self.tables
        raw = self.rng.bit_generator.random_raw((n + 1) // 2).view(np.uint32)[:n]
        bits, work, word = self.bits[:n], self.work[:n], self.word[:n]
        cell, own = self.cell[:n], self.own[:n]
        np.copyto(bits, raw, casting="unsafe")
        np.right_shift(bits, np.uint64(32 - tables.slot_bits), out=work)
        np.bitwise_or(self.codes[:n], work.view(np.int64), out=cell)
        np.take(tables.cells, cell, out=word)
        # the fraction bits, lifted to the top of the word; ones below stand in for the edges
        np.left_shift(bits, np.uint64(32 + tables.slot_bits), out=work)
        np.bitwise_or(work, np.uint64((1 << (64 - tables.threshold_bits)) - 1), out=work)
        np.less(work, word, out=own)
        # the slot's own edge sits EDGE_BITS above its alias: shift by that where own
        np.multiply(own, np.uint64(EDGE_BITS), out=work, casting="unsafe")
        np.right_shift(word, work, out=word)
        np.bitwise_and(word, np.uint64((1 << EDGE_BITS) - 1), out=word)
        return word

    def run(self, offset: int, max_contacts: int, counts: Counts, events: EventSink | None) -> None:
        """Step every customer of the chunk until each has left or reached the cap."""
        n = len(self.codes)
        ids = np.arange(offset, offset + n) if events is not None else None
        log: list[Events] = []
        hits = counts.edge_hits
        small = len(hits) // 8
        for step in range(1, max_contacts + 1):
            edges = self.draw(n).view(np.int64)
            if n > small:
                hits += np.bincount(edges, minlength=len(hits))
            else:
                np.add.at(hits, edges, 1.0)
            target, alive = self.target[:n], self.alive[:n]
            np.take(self.tables.dst, edges, out=target)
            np.greater_equal(target, 0, out=alive)
            staying = int(np.count_nonzero(alive))
            last = step == max_contacts
            elapsed = self.elapsed[:n]
            if self.clock is not None:
                self.tick(self.codes[:n], edges, elapsed)
                self.leave(elapsed, np.ones(n, dtype=bool) if last else ~alive, target, counts)
            if ids is not None:
                stuck = alive.copy() if last else np.zeros(n, dtype=bool)
                codes = self.codes[:n] >> self.tables.slot_bits
                hours = elapsed.copy() if self.clock is not None else None
                log.append(Events(ids, step, codes, edges.copy(), stuck, hours))
            counts.contacts_histogram[step] += n - staying
            if last:
                counts.contacts_histogram[step] += staying
                np.add.at(counts.stuck, edges[alive], 1.0)
                break
            if staying < n:
                np.compress(alive, target, out=self.next_codes[:staying])
                self.codes, self.next_codes = self.next_codes, self.codes
                if self.clock is not None:
                    np.compress(alive, elapsed, out=self.next_elapsed[:staying])
                    self.elapsed, self.next_elapsed = self.next_elapsed, self.elapsed
                if ids is not None:
                    ids = ids[alive]
            else:
                self.codes[:n] = target
            n = staying
            if n == 0:
                break
        self.close(counts)
        if events is not None:
            events(log)

    def run_with_messages(
        self, offset: int, max_contacts: int, counts: Counts, events: EventSink | None
    ) -> None:
        """Step the chunk where some steps are messages: contacts are counted per customer.

        'max_contacts counts contacts only'; a customer still going after
        ``MESSAGE_STEPS`` steps per contact allowed is stopped as stuck too.
        """
        assert self.tables.contact is not None
        n = len(self.codes)
        ids = np.arange(offset, offset + n)
        made = np.zeros(n, dtype=np.int64)
        log: list[Events] = []
        hits = counts.edge_hits
        limit = MESSAGE_STEPS * max_contacts
        for step in range(1, limit + 1):
            edges = self.draw(n).view(np.int64)
            np.add.at(hits, edges, 1.0)
            made += self.tables.contact[edges]
            target = self.tables.dst[edges]
            alive = target >= 0
            stuck = alive & ((made >= max_contacts) | (step == limit))
            going = alive & ~stuck
            elapsed = self.elapsed
            if self.clock is not None:
                self.tick(self.codes[:n], edges, elapsed)
                self.leave(elapsed, ~going, target, counts)
            if events is not None:
                codes = self.codes[:n] >> self.tables.slot_bits
                hours = elapsed.copy() if self.clock is not None else None
                log.append(Events(ids, step, codes, edges.copy(), stuck, hours))
            np.add.at(counts.stuck, edges[stuck], 1.0)
            np.add.at(counts.contacts_histogram, np.minimum(made[~going], max_contacts), 1)
            n = int(np.count_nonzero(going))
            self.codes = target[going]
            ids, made = ids[going], made[going]
            if self.clock is not None:
                self.elapsed = elapsed[going]
            if n == 0:
                break
        self.close(counts)
        if events is not None:
            events(log)
