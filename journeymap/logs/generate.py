"""Generate a large, realistic-looking contact log from a seed: for benchmarks and tests.

Customers come back a skewed number of times: one contact each, the rest shared out by a
gamma-distributed propensity (a negative binomial, near enough), so most customers make
a few contacts and a few make many. Their contacts come in *matters*: a matter has one
topic and starts in a channel chosen from a skewed mix; the contacts after its first are
repeats, hours to days apart, and a repeat moves to another channel about one time in
three. Matters start anywhere in a year, so a customer's matters may overlap. A few
contacts have no topic, a few no outcome. The log is in time order, ``row`` numbering it
from 1; the same seed gives the same table. Vectorised: ten million rows take seconds.
"""

from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from journeymap.logs.table import SCHEMA

START = datetime.datetime(2024, 1, 1)
"""The earliest time a matter may start."""
SPAN = 365 * 24 * 3600
"""Matters start within this many seconds of ``START``."""
SKEW = 0.6
"""The gamma shape of the customers' propensity to come back: smaller is more skewed."""
NEW_MATTER = 0.45
"""The chance that a customer's next contact starts a new matter rather than repeats."""
REPEAT_GAP = 36 * 3600
"""The mean time, in seconds, from a contact to the repeat that follows it."""
SWITCH = 0.35
"""The chance that a repeat is made in another channel than the contact before it."""
NO_TOPIC = 0.02
"""The share of contacts with no topic."""
NO_OUTCOME = 0.05
"""The share of contacts with no outcome."""
OUTCOMES = ("resolved", "unresolved", "transferred")
"""Last contact of a matter; a contact a repeat follows; one followed in another channel."""
_CHANNELS = ("phone", "web", "chat", "e-mail", "app", "office", "chatbot", "sms")


def generate_contacts(
    contacts: int, customers: int, channels: int, topics: int, seed: int
) -> pa.Table:
    """A log of ``contacts`` contacts by ``customers`` customers (fewer if contacts are fewer).

    Every customer has at least one contact; ``channels`` and ``topics`` name how many
    distinct values those columns draw from.
    """
    if contacts < 0 or min(customers, channels, topics) < 1:
        raise ValueError("a log needs no fewer than 0 contacts and 1 customer, channel and topic")
    rng = np.random.default_rng(seed)
    per_customer = _counts(rng, contacts, min(customers, contacts))
    owner = np.repeat(np.arange(per_customer.size), per_customer)
    new = rng.random(contacts, dtype=np.float32) < NEW_MATTER
    new[np.cumsum(per_customer) - per_customer] = True
    starts = np.flatnonzero(new)
    matter = np.repeat(np.arange(starts.size), np.diff(starts, append=contacts))
    seconds = _times(rng, new, matter, starts.size)
    channel = _channels(rng, new, matter, starts.size, channels)
    topic = _skewed(rng, topics, starts.size)[matter]
    outcome = _outcomes(new, channel)
    return _table(rng, seconds, owner, channel, topic, outcome, _time_order(seconds))


def _time_order(seconds: np.ndarray) -> np.ndarray:
    """The stable order of ``seconds``: one sort of time and position packed in an integer."""
    shift = max(seconds.size - 1, 0).bit_length()
    if int(seconds.max(initial=0)).bit_length() + shift > 62:
        return np.argsort(seconds, kind="stable")
    packed = np.sort((seconds << shift) | np.arange(seconds.size))
    return packed & ((1 << shift) - 1)


def _counts(rng: np.random.Generator, contacts: int, customers: int) -> np.ndarray:
    """Contacts per customer: one each, the rest spread by a gamma-distributed propensity."""
    if customers == 0:
        return np.zeros(0, dtype=np.int64)
    propensity = rng.gamma(SKEW, size=customers)
    extra = rng.multinomial(contacts - customers, propensity / propensity.sum())
    return (extra + 1).astype(np.int64)


def _within(values: np.ndarray, new: np.ndarray) -> np.ndarray:
    """The running sum of ``values`` (none negative) within each matter, from its first contact."""
    total = np.cumsum(values)
    return total - np.maximum.accumulate(np.where(new, total - values, 0))


def _times(
    rng: np.random.Generator, new: np.ndarray, matter: np.ndarray, matters: int
) -> np.ndarray:
    """Seconds from ``START``: the matter's start, then exponential gaps between repeats."""
    gaps = rng.standard_exponential(new.size, dtype=np.float32) * np.float32(REPEAT_GAP)
    gaps[new] = 0
    starts = rng.integers(0, SPAN, matters)
    times: np.ndarray = starts[matter] + _within(gaps.astype(np.int64), new)
    return times


def _channels(
    rng: np.random.Generator, new: np.ndarray, matter: np.ndarray, matters: int, channels: int
) -> np.ndarray:
    """A skewed first channel per matter; a repeat moves to another channel now and then."""
    moves = np.zeros(new.size, dtype=np.int64)
    if channels > 1:
        switch = ~new & (rng.random(new.size, dtype=np.float32) < SWITCH)
        moves[switch] = rng.integers(1, channels, int(switch.sum()))
    first = _skewed(rng, channels, matters)
    channel: np.ndarray = (first[matter] + _within(moves, new)) % channels
    return channel


def _skewed(rng: np.random.Generator, values: int, size: int) -> np.ndarray:
    """``size`` draws from ``range(values)``, the i-th value about ``1 / (i + 1)`` as likely."""
    weights = 1.0 / np.arange(1, values + 1)
    return rng.choice(values, size=size, p=weights / weights.sum())


def _outcomes(new: np.ndarray, channel: np.ndarray) -> np.ndarray:
    """Indices into ``OUTCOMES``: resolved if last of its matter, else how the next went."""
    last = np.append(new[1:], True)
    moved = np.append(channel[1:] != channel[:-1], False)
    return np.where(last, 0, np.where(moved, 2, 1))


def _table(
    rng: np.random.Generator,
    seconds: np.ndarray,
    owner: np.ndarray,
    channel: np.ndarray,
    topic: np.ndarray,
    outcome: np.ndarray,
    order: np.ndarray,
) -> pa.Table:
    """The columns in time order; the string columns are built side by side in threads."""
    size = seconds.size
    ids = rng.permutation(int(owner.max(initial=-1)) + 1)
    no_topic = rng.random(size, dtype=np.float32) < NO_TOPIC
    no_outcome = rng.random(size, dtype=np.float32) < NO_OUTCOME
    start = int((START - datetime.datetime(1970, 1, 1)).total_seconds())
    topics = [f"topic-{i + 1}" for i in range(int(topic.max(initial=0)) + 1)]
    channels = [
        _CHANNELS[i] if i < len(_CHANNELS) else f"channel-{i + 1}"
        for i in range(int(channel.max(initial=0)) + 1)
    ]
    with ThreadPoolExecutor(2) as pool:
        strings = [
            pool.submit(_customers, ids[owner[order]], ids.size),
            pool.submit(_strings, channel[order], channels),
            pool.submit(_strings, topic[order], topics, no_topic),
            pool.submit(_strings, outcome[order], list(OUTCOMES), no_outcome),
        ]
        customer, channel_, topic_, outcome_ = (future.result() for future in strings)
    time = pa.array((seconds[order] + start) * 1_000_000).view(pa.timestamp("us"))
    row = pa.array(np.arange(1, size + 1, dtype=np.int64))
    return pa.Table.from_arrays([customer, time, channel_, topic_, outcome_, row], schema=SCHEMA)


def _customers(indices: np.ndarray, count: int) -> pa.Array:
    """Customer ids ``C0``, ``C1``, … of one width, written straight into a string buffer."""
    width = len(str(max(count - 1, 0)))
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (np.arange(count, dtype=np.int64)[:, None] // powers) % 10 + ord("0")
    names = np.hstack([np.full((count, 1), ord("C")), digits]).astype(np.uint8)
    data = names[indices]
    offsets = np.arange(0, (indices.size + 1) * (width + 1), width + 1, dtype=np.int32)
    return pa.StringArray.from_buffers(indices.size, pa.py_buffer(offsets), pa.py_buffer(data))


def _strings(indices: np.ndarray, names: list[str], missing: np.ndarray | None = None) -> pa.Array:
    """Strings looked up by index, null where ``missing``: built as a dictionary, then decoded."""
    keys = pa.array(indices.astype(np.int32), mask=missing)
    return pa.DictionaryArray.from_arrays(keys, pa.array(names, pa.string())).dictionary_decode()
