"""Per-customer counts of a journey, summed from the flows along the chain's edges.

Exact analysis and simulation both end here: each gives the expected (or observed) flow
per customer along every edge, and every figure of the format document is a weighted sum
of those flows. So the two give the same figures, key by key, by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from journeymap.markov.chain import (
    END,
    FIRST,
    GIVE_UP,
    NEXT,
    OTHER,
    RETRY,
    Chain,
    Floats,
    Ints,
    sum_by,
)

STUCK = "max-contacts"
"""Breakpoint cause of a simulated customer stopped at ``max_contacts``."""


@dataclass(frozen=True)
class Tally:
    """Expected counts per customer, indexed by touchpoint, channel and cause.

    ``breakpoints`` has one more cause column than ``causes``: the last is ``STUCK``.
    """

    visits: Floats
    contacts: Floats
    messages: Floats
    failure_contacts: Floats
    failure_cost: Floats
    abandoned: Floats
    first_successes: Floats
    channel_contacts: Floats
    channel_messages: Floats
    channel_failure_contacts: Floats
    channel_failure_cost: Floats
    gaps: Floats
    breakpoints: Floats
    causes: Floats
    cause_cost: Floats
    completed: float
    gave_up: float
    stuck: float

    def scaled(self, factor: float) -> Tally:
        """Every count multiplied by ``factor`` (a segment's share)."""
        return Tally(**{f.name: getattr(self, f.name) * factor for f in fields(self)})

    def __add__(self, other: Tally) -> Tally:
        """Counts added field by field (blending segments)."""
        return Tally(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def from_flows(chain: Chain, flows: Floats, stuck: Floats | None = None) -> Tally:
    """Counts from the flow per customer along each edge (and, simulated, stuck customers).

    ``stuck`` gives, per edge, the customers stopped by ``max_contacts`` right after it:
    their last contact was in the edge's source state, and the move it decided (a retry,
    a switch, the next step) was never made. The exact analysis has none.
    """
    journey = chain.journey
    n_t, n_c, n_k = len(journey.touchpoints), len(journey.channels), len(chain.causes)
    tp, ch = chain.state_touchpoint, chain.state_channel
    src_tp, src_ch = tp[chain.src], ch[chain.src]
    visits_by_state = sum_by(chain.src, flows, chain.states)
    contact = ~chain.message_state
    failure = visits_by_state * chain.failure_state
    failure_cost = failure * chain.state_cost
    first = chain.state_attempt == FIRST
    success = (chain.kind == NEXT) | (chain.kind == END)
    give_up = chain.kind == GIVE_UP
    retry = chain.kind == RETRY
    stuck = stuck if stuck is not None else np.zeros(chain.edges)
    made = flows - stuck

    def by_tp(weights: Floats, where: Ints | None = None) -> Floats:
        return sum_by(tp if where is None else where, weights, n_t)

    breakpoints = np.zeros((n_t, n_c, n_k + 1))
    np.add.at(breakpoints, (src_tp[give_up], src_ch[give_up], chain.cause[give_up]), flows[give_up])
    np.add.at(breakpoints, (src_tp, src_ch, np.full(len(src_tp), n_k)), stuck)
    gaps = np.zeros((n_c, n_c))
    np.add.at(gaps, (chain.switch_from[chain.gap], chain.switch_to[chain.gap]), made[chain.gap])
    causes, cause_cost = _causes(chain, made, visits_by_state, retry)
    return Tally(
        visits=by_tp(visits_by_state * first),
        contacts=by_tp(visits_by_state * contact),
        messages=by_tp(visits_by_state * chain.message_state),
        failure_contacts=by_tp(failure),
        failure_cost=by_tp(failure_cost),
        abandoned=by_tp(flows * give_up + stuck, src_tp),
        first_successes=by_tp(flows * (success & first[chain.src]), src_tp),
        channel_contacts=sum_by(ch, visits_by_state * contact, n_c),
        channel_messages=sum_by(ch, visits_by_state * chain.message_state, n_c),
        channel_failure_contacts=sum_by(ch, failure, n_c),
        channel_failure_cost=sum_by(ch, failure_cost, n_c),
        gaps=gaps,
        breakpoints=breakpoints,
        causes=causes,
        cause_cost=cause_cost,
        completed=float(flows[chain.kind == END].sum()),
        gave_up=float(flows[give_up].sum()),
        stuck=float(stuck.sum()),
    )


def _causes(
    chain: Chain, flows: Floats, visits_by_state: Floats, retry: npt.NDArray[np.bool_]
) -> tuple[Floats, Floats]:
    """Failure contacts (and their cost) by cause.

    'A retry is caused by the failure before it; a first contact at a demand: failure
    touchpoint by that touchpoint's cause. So causes add up to the failure contacts.'
    """
    n_k = len(chain.causes)
    index = {name: i for i, name in enumerate(chain.causes)}
    retry_cost = flows[retry] * chain.state_cost[chain.dst[retry]]
    causes = sum_by(chain.cause[retry], flows[retry], n_k)
    cost = sum_by(chain.cause[retry], retry_cost, n_k)
    own = np.array([index[tp.cause or OTHER] for tp in chain.journey.touchpoints])
    firsts = chain.failure_state & (chain.state_attempt == FIRST)
    states_cause = own[chain.state_touchpoint[firsts]]
    causes += sum_by(states_cause, visits_by_state[firsts], n_k)
    cost += sum_by(states_cause, (visits_by_state * chain.state_cost)[firsts], n_k)
    return causes, cost
