"""Seeded Monte-Carlo simulation of customers through the chain, vectorised with NumPy.

Customers of a chunk move in lockstep: at each step every customer still in the journey
makes one contact, and its outcome (an edge of the chain) is drawn for all of them at
once from per-state alias tables, with 32 random bits per contact. Edge counts divided by
the customers are the same flows the exact analysis computes, so both end in the same
figures. Chunks bound the memory and serve as batches for standard errors; each chunk
draws from its own stream spawned from the seed, so the same seed and customer count
give the same numbers on any machine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from journeymap.markov.chain import Chain, Floats, Ints

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


@dataclass(frozen=True)
class Events:
    """The contacts of one step of a chunk, for the event log: customer, state, edge."""

    customers: Ints
    step: int
    states: Ints
    edges: Ints
    stuck: npt.NDArray[np.bool_]


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
) -> Counts:
    """Simulate ``customers`` customers through ``chain``, numbered from ``first_customer``."""
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
            if ids is not None:
                stuck = alive.copy() if last else np.zeros(n, dtype=bool)
                codes = self.codes[:n] >> self.tables.slot_bits
                log.append(Events(ids, step, codes, edges.copy(), stuck))
            counts.contacts_histogram[step] += n - staying
            if last:
                counts.contacts_histogram[step] += staying
                np.add.at(counts.stuck, edges[alive], 1.0)
                break
            if staying < n:
                np.compress(alive, target, out=self.next_codes[:staying])
                self.codes, self.next_codes = self.next_codes, self.codes
                if ids is not None:
                    ids = ids[alive]
            else:
                self.codes[:n] = target
            n = staying
            if n == 0:
                break
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
            if events is not None:
                codes = self.codes[:n] >> self.tables.slot_bits
                log.append(Events(ids, step, codes, edges.copy(), stuck))
            np.add.at(counts.stuck, edges[stuck], 1.0)
            going = alive & ~stuck
            np.add.at(counts.contacts_histogram, np.minimum(made[~going], max_contacts), 1)
            n = int(np.count_nonzero(going))
            self.codes = target[going]
            ids, made = ids[going], made[going]
            if n == 0:
                break
        if events is not None:
            events(log)
