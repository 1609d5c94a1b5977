"""``analyze``: the exact figures of a journey, per segment and blended by share."""

from __future__ import annotations

import numpy as np

from journeymap.flow import phase
from journeymap.flow.figures import Figures, from_tally
from journeymap.flow.guard import ensure_analysable
from journeymap.flow.queueing import GiveUps, give_ups
from journeymap.flow.tally import Tally, from_flows
from journeymap.flow.timing import TimeFigures, time_figures, uses_time
from journeymap.markov import chain as chains
from journeymap.markov import exact
from journeymap.markov.chain import Chain, Floats
from journeymap.markov.exact import Transient
from journeymap.model import Journey, Segment
from journeymap.model import behaviour as model


def analyze(journey: Journey, *, percentiles: bool = True) -> Figures:
    """The exact expected figures of ``journey`` from its absorbing Markov chain.

    'With segments, each segment runs through the model with its preferences, and every
    figure is the share-weighted mean over segments.' ``percentiles`` adds the exact
    p50/p90/p95 of contacts per customer (phase-type distribution). Raises
    ``AnalysisError`` for a journey with errors and ``NoExitError`` for one where
    customers can loop for ever.
    """
    ensure_analysable(journey)
    segments = model.segments_or_everyone(journey)
    weights = _weights(segments)
    parts = []
    solved = []
    ups = give_ups(journey)
    built = list(ups.chains) if ups is not None else chains.build_all(journey)
    for chain, weight in zip(built, weights, strict=True):
        part = exact.transient(chain)
        visits = exact.expected_visits(chain, part)
        parts.append((weight, chain, part, from_flows(chain, exact.flows(chain, visits))))
        solved.append((chain, part, visits))
    timed = uses_time(journey)
    pmfs = (
        phase.contact_pmfs([phase.contact_chain(c, p) for _, c, p, _ in parts])
        if percentiles
        else []
    )
    causes = built[0].causes
    per_segment = {}
    segment_pmfs: list[Floats | None] = list(pmfs) if pmfs else [None] * len(parts)
    whole = time_figures(journey, weights, solved, ups) if timed else None
    if journey.segments:
        for (_, _, _, tally), segment, pmf, one in zip(
            parts, segments, segment_pmfs, solved, strict=True
        ):
            assert segment is not None
            per_segment[segment.id] = from_tally(
                journey,
                causes,
                tally,
                "exact",
                **_percentiles(pmf),
                **_time(journey, [one], ups, whole),
            )
    blended = sum(
        (tally.scaled(w) for w, _, _, tally in parts[1:]), parts[0][3].scaled(parts[0][0])
    )
    mixture = _blend_pmfs([w for w, *_ in parts], pmfs) if pmfs else None
    return from_tally(
        journey,
        causes,
        blended,
        "exact",
        segments=per_segment,
        **_percentiles(mixture),
        **({"time": whole} if whole is not None else {}),
    )


def _time(
    journey: Journey,
    solved: list[tuple[Chain, Transient, Floats]],
    ups: GiveUps | None,
    whole: TimeFigures | None,
) -> dict[str, TimeFigures]:
    """The ``time`` keyword of one segment's figures: its own times, everyone's queues."""
    if whole is None:
        return {}
    return {"time": time_figures(journey, [1.0], solved, ups, whole.queues)}


def _weights(segments: list[Segment | None]) -> list[float]:
    """Segment shares scaled to add up to exactly 1."""
    shares = [segment.share if segment else 1.0 for segment in segments]
    total = sum(shares)
    return [share / total for share in shares]


def _blend_pmfs(weights: list[float], pmfs: list[Floats]) -> Floats:
    length = max(len(pmf) for pmf in pmfs)
    out = np.zeros(length)
    for weight, pmf in zip(weights, pmfs, strict=True):
        out[: len(pmf)] += weight * pmf
    return out


def _percentiles(pmf: Floats | None) -> dict[str, int]:
    if pmf is None:
        return {}
    p50, p90, p95 = phase.percentiles(pmf)
    return {"contacts_p50": p50, "contacts_p90": p90, "contacts_p95": p95}


__all__ = ["Tally", "analyze"]
