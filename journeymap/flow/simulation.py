"""``simulate``: Monte-Carlo figures of a journey, with percentiles and standard errors.

For a journey with time keys each customer's elapsed hours are tracked as well (Revision
2, *Time*): the closed-hours wait of every attempt is drawn, response, handling and
durations are fixed at their means, and queue channels use the exact analysis' fixed
point ('queue channels use the exact P(give up) and wait of the fixed point').
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from journeymap.flow import montecarlo, phase
from journeymap.flow.figures import Figures, from_tally
from journeymap.flow.guard import ensure_analysable
from journeymap.flow.montecarlo import Clock, ClosedWaits, Counts, EventSink
from journeymap.flow.queueing import GiveUps, give_ups
from journeymap.flow.tally import Tally, from_flows
from journeymap.flow.timing import TimeFigures, channel_hours, queue_waits, uses_time
from journeymap.markov import chain as chains
from journeymap.markov import exact
from journeymap.markov.chain import Floats
from journeymap.markov.queues import Queue
from journeymap.model import Journey
from journeymap.model import behaviour as model
from journeymap.model.hours import closed_stretches

DEFAULT_CUSTOMERS = 100_000
TIME_LEVELS = (0.5, 0.9, 0.95)
"""The percentiles of the time to complete a simulation reports."""


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
    each chunk's contacts (segment id, chain, contacts), as an ``EventLog`` does. A
    journey with time keys gets ``time`` figures too, with the percentiles of the time to
    complete; its waits draw from streams of their own, so its contacts stay as drawn.
    """
    if customers < 1:
        raise ValueError("simulate at least one customer")
    ensure_analysable(journey)
    cap = max_contacts if max_contacts is not None else journey.defaults.max_contacts
    segments = model.segments_or_everyone(journey)
    weights = [s.share if s else 1.0 for s in segments]
    weights = [w / sum(weights) for w in weights]
    shares = _apportion(customers, weights)
    ups = give_ups(journey)
    built = chains.build_all(journey, abandon=ups.abandon if ups is not None else None)
    causes = built[0].causes
    timed = uses_time(journey)
    queues = _queues(journey, weights, built, ups) if timed else {}
    clocks = _clocks(journey, built, queues) if timed else [None] * len(built)
    parts = []
    first = 0
    for index, (segment, size, chain) in enumerate(zip(segments, shares, built, strict=True)):
        name = segment.id if segment else ""
        sink: EventSink | None = None
        if events is not None:
            sink = _bind(events, name, chain)
        stream = np.random.SeedSequence([seed, index])
        counts = montecarlo.run(
            chain, size, stream, cap, progress, sink, first, clock=clocks[index]
        )
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
            one = [(1.0, chain, counts)]
            per_segment[segment.id] = from_tally(
                journey,
                causes,
                tally,
                "simulation",
                customers=counts.customers,
                seed=seed,
                standard_errors=_errors(one) | (_time_errors(one) if timed else {}),
                **_percentiles([(1.0, counts)]),
                **(_time(journey, tally, [(1.0, counts)], queues, ups) if timed else {}),
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
        standard_errors=_errors(weighted) | (_time_errors(weighted) if timed else {}),
        segments=per_segment,
        **_percentiles([(w, counts) for w, _, counts in weighted]),
        **(_time(journey, blended, [(w, c) for w, _, c in weighted], queues, ups) if timed else {}),
    )


def _queues(
    journey: Journey, weights: list[float], built: list[chains.Chain], ups: GiveUps | None
) -> dict[str, Queue]:
    """The queues of the exact analysis: Erlang C by the exact contacts, Erlang A its own.

    Erlang A queues come from the fixed point (``ups``): 'queue channels use the exact
    P(give up) and wait of the fixed point'. The queues are the journey's, shared by every
    segment, from the share-weighted exact contacts.
    """
    if journey.volume is None or not any(ch.agents for ch in journey.channels.values()):
        return {}
    contacts = np.zeros(len(journey.channels))
    for weight, chain in zip(weights, built, strict=True):
        visits = exact.expected_visits(chain)
        contact = visits * ~chain.message_state
        contacts += weight * chains.sum_by(chain.state_channel, contact, len(journey.channels))
    return queue_waits(journey, contacts, ups)


def fixed_hours(journey: Journey, queues: Mapping[str, Queue]) -> Floats:
    """Each channel's hours of one attempt beside its closed-hours wait: response + handling.

    At a queue 'W replaces response' and 'every attempt there takes, on average, its
    closed-hours wait + W + (1 − P(abandon)) · handling, whatever its outcome'.
    """
    out = []
    for cid, channel in journey.channels.items():
        queue = queues.get(cid)
        respond = float(channel.response) if queue is None else queue.wait_hours
        served = 1.0 if queue is None else 1.0 - queue.p_abandon
        out.append(respond + served * float(channel.handling))
    return np.array(out, dtype=float)


def _clocks(
    journey: Journey, built: list[chains.Chain], queues: Mapping[str, Queue]
) -> list[Clock | None]:
    """A clock for each segment's chain: fixed hours per edge, closed-hours waits drawn."""
    attempt = fixed_hours(journey, queues)
    waits = ClosedWaits.of([closed_stretches(ch.opening) for ch in journey.channels.values()])
    return [Clock.of(chain, attempt, waits) for chain in built]


def _time(
    journey: Journey,
    tally: Tally,
    parts: Sequence[tuple[float, Counts]],
    queues: Mapping[str, Queue],
    ups: GiveUps | None,
) -> dict[str, TimeFigures]:
    """The ``time`` keyword of simulated figures: times from the customers' clocks.

    'time_to_complete_hours is the share-weighted E[T · 1{complete}] over the
    share-weighted completion'; hours and workload from the simulated contacts by the
    exact analysis' formulas; the queues are the exact ones.
    """
    total = sum(w * c.time_total / c.customers for w, c in parts)
    completed = sum(w * _completed_time(c) / c.customers for w, c in parts)
    done = sum(w * c.completed / c.customers for w, c in parts)
    p50, p90, p95 = _time_percentiles(parts)
    contacts, failure = tally.channel_contacts, tally.channel_failure_contacts
    handling, agents, workload = channel_hours(journey, contacts, failure, queues)
    return {
        "time": TimeFigures(
            time_per_customer_hours=float(total),
            time_to_complete_hours=float(completed / done) if done > 0 else None,
            handling_hours=handling,
            agent_hours=agents,
            workload=workload,
            queues=dict(queues),
            iterations={
                cid: ups.iterations if ups is not None and cid in ups.queues else 1
                for cid in queues
            },
            time_to_complete_p50_hours=p50,
            time_to_complete_p90_hours=p90,
            time_to_complete_p95_hours=p95,
        )
    }


def _completed_time(counts: Counts) -> float:
    """The elapsed hours of the customers who completed, summed."""
    return float(sum(times.sum() for times in counts.completion_times))


def _time_percentiles(
    parts: Sequence[tuple[float, Counts]], levels: Sequence[float] = TIME_LEVELS
) -> list[float | None]:
    """Smallest time t with P(T ≤ t | complete) ≥ level, for each level.

    Each completer of a segment weighs its share over the segment's customers, so the
    distribution is that of the share-weighted mixture; ``None`` where no one completes.
    """
    times = [np.concatenate([np.zeros(0), *c.completion_times]) for _, c in parts]
    mass = [np.full(len(t), w / c.customers) for t, (w, c) in zip(times, parts, strict=True)]
    every, weight = np.concatenate(times), np.concatenate(mass)
    if not len(every):
        return [None] * len(levels)
    order = np.argsort(every, kind="stable")
    cumulative = np.cumsum(weight[order])
    found = np.searchsorted(cumulative, np.asarray(levels) * cumulative[-1] * (1 - 1e-12))
    return [float(every[order][min(i, len(every) - 1)]) for i in found]


def _time_errors(parts: list[tuple[float, chains.Chain, Counts]]) -> dict[str, float]:
    """Standard errors of the time figures, from each customer's own elapsed hours.

    Time per customer: the share-weighted sum of the segments' variances of the mean. Time
    to complete, a ratio R = A / B of share-weighted means of T · 1{complete} and of
    1{complete}: by the delta method, Var(R) ≈ Σ_s w_s² Var_s(1{complete} (T − R)) / n_s / B².
    """
    per, ratio_spread, done, completed = 0.0, 0.0, 0.0, 0.0
    for weight, _, counts in parts:
        n = counts.customers
        done += weight * counts.completed / n
        completed += weight * _completed_time(counts) / n
    ratio = completed / done if done > 0 else 0.0
    for weight, _, counts in parts:
        n = counts.customers
        mean = counts.time_total / n
        per += weight * weight * max(counts.time_squares / n - mean * mean, 0.0) / n
        times = np.concatenate([np.zeros(0), *counts.completion_times])
        centred = times - ratio
        spread = float(centred @ centred) / n - (float(centred.sum()) / n) ** 2
        ratio_spread += weight * weight * max(spread, 0.0) / n
    out = {"time_per_customer_hours": math.sqrt(per)}
    if done > 0:
        out["time_to_complete_hours"] = math.sqrt(ratio_spread) / done
    return out


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
