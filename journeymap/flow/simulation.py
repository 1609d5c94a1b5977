"""``simulate``: Monte-Carlo figures of a journey, with percentiles and standard errors."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from journeymap.flow import montecarlo, phase
from journeymap.flow.figures import Figures, from_tally
from journeymap.flow.guard import ensure_analysable
from journeymap.flow.montecarlo import Counts, EventSink
from journeymap.flow.tally import Tally, from_flows
from journeymap.markov import chain as chains
from journeymap.model import Journey
from journeymap.model import behaviour as model

DEFAULT_CUSTOMERS = 100_000


def simulate(
    journey: Journey,
    customers: int = DEFAULT_CUSTOMERS,
    seed: int = 0,
    *,
    max_contacts: int | None = None,
    progress: Callable[[int], None] | None = None,
    events: Callable[[str, chains.Chain, list[montecarlo.Events]], None] | None = None,
) -> Figures:
    """Simulated figures of ``journey`` for ``customers`` customers drawn with ``seed``.

    Customers are split between segments by share (largest remainder), and figures are
    the share-weighted means, as in the exact analysis. ``max_contacts`` overrides
    ``defaults.max_contacts``: 'a customer who reaches this many contacts is counted as
    stuck and gives up'. ``progress`` hears of finished customers; ``events`` receives
    each chunk's contacts (segment id, chain, contacts), as an ``EventLog`` does.
    """
    if customers < 1:
        raise ValueError("simulate at least one customer")
    ensure_analysable(journey)
    cap = max_contacts if max_contacts is not None else journey.defaults.max_contacts
    segments = model.segments_or_everyone(journey)
    weights = [s.share if s else 1.0 for s in segments]
    weights = [w / sum(weights) for w in weights]
    shares = _apportion(customers, weights)
    causes = chains.cause_names(journey)
    parts = []
    built = chains.build_all(journey)
    first = 0
    for index, (segment, size, chain) in enumerate(zip(segments, shares, built, strict=True)):
        name = segment.id if segment else ""
        sink: EventSink | None = None
        if events is not None:
            sink = _bind(events, name, chain)
        stream = np.random.SeedSequence([seed, index])
        counts = montecarlo.run(chain, size, stream, cap, progress, sink, first)
        first += size
        counts.completed = int(counts.edge_hits[chain.kind == chains.END].sum())
        parts.append((chain, counts))
    per_segment = {}
    tallies = []
    for segment, (chain, counts) in zip(segments, parts, strict=True):
        tally = from_flows(
            chain, counts.edge_hits / counts.customers, counts.stuck / counts.customers
        )
        tallies.append(tally)
        if segment is not None:
            per_segment[segment.id] = from_tally(
                journey,
                causes,
                tally,
                "simulation",
                customers=counts.customers,
                seed=seed,
                standard_errors=_errors([(1.0, chain, counts)]),
                **_percentiles([(1.0, counts)]),
            )
    blended = _blend(weights, tallies)
    weighted = [(w, chain, counts) for w, (chain, counts) in zip(weights, parts, strict=True)]
    return from_tally(
        journey,
        causes,
        blended,
        "simulation",
        customers=customers,
        seed=seed,
        standard_errors=_errors(weighted),
        segments=per_segment,
        **_percentiles([(w, counts) for w, _, counts in weighted]),
    )


def _bind(
    events: Callable[[str, chains.Chain, list[montecarlo.Events]], None],
    name: str,
    chain: chains.Chain,
) -> EventSink:
    return lambda chunk: events(name, chain, chunk)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Whole customers per segment by largest remainder; every segment gets at least one."""
    exact = [total * w for w in weights]
    sizes = [math.floor(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: sizes[i] - exact[i])[: total - sum(sizes)]:
        sizes[i] += 1
    for i, size in enumerate(sizes):
        if size == 0:
            sizes[i] = 1
            sizes[max(range(len(sizes)), key=sizes.__getitem__)] -= 1
    return sizes


def _blend(weights: list[float], tallies: list[Tally]) -> Tally:
    blended = tallies[0].scaled(weights[0])
    for weight, tally in zip(weights[1:], tallies[1:], strict=True):
        blended = blended + tally.scaled(weight)
    return blended


def _percentiles(parts: list[tuple[float, Counts]]) -> dict[str, int]:
    length = max(len(c.contacts_histogram) for _, c in parts)
    pmf = np.zeros(length)
    for weight, counts in parts:
        pmf[: len(counts.contacts_histogram)] += (
            weight * counts.contacts_histogram / counts.customers
        )
    p50, p90, p95 = phase.percentiles(pmf)
    return {"contacts_p50": p50, "contacts_p90": p90, "contacts_p95": p95}


def _errors(parts: list[tuple[float, chains.Chain, Counts]]) -> dict[str, float]:
    """Standard errors of the headline means: the share-weighted sum of segment variances."""
    total: dict[str, float] = {}
    for weight, chain, counts in parts:
        for key, variance in _variances(chain, counts).items():
            total[key] = total.get(key, 0.0) + weight * weight * variance
    return {key: math.sqrt(max(value, 0.0)) for key, value in total.items()}


def _variances(chain: chains.Chain, counts: Counts) -> dict[str, float]:
    """Variance of each headline mean over this segment's customers.

    Completion and contacts come from each customer's own outcome (binomial; the
    histogram of contacts); failure contacts, cost and the failure-demand ratio from
    batch means over the run's chunks.
    """
    n = counts.customers
    done = counts.completed / n
    histogram = counts.contacts_histogram
    steps = np.arange(len(histogram))
    mean = float(histogram @ steps) / n
    out = {
        "completion_rate": done * (1 - done) / n,
        "abandon_rate": done * (1 - done) / n,
        "contacts_per_customer": max(float(histogram @ steps**2) / n - mean**2, 0.0) / n,
    }
    batches = np.array(counts.batches)
    if len(batches) < 2:
        return out
    sizes = np.array(montecarlo.chunk_sizes(n), dtype=float)
    failure, cost, contacts = batches.T
    correction = len(batches) / (len(batches) - 1)
    for key, totals in (("failure_contacts_per_customer", failure), ("cost_per_customer", cost)):
        per_customer = totals.sum() / n
        out[key] = correction * float(((totals - sizes * per_customer) ** 2).sum()) / n**2
    if contacts.sum() > 0:
        ratio = failure.sum() / contacts.sum()
        spread = ((failure - ratio * contacts) ** 2).sum()
        out["failure_demand_ratio"] = correction * float(spread) / float(contacts.sum()) ** 2
    return out
