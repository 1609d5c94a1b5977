"""The exact distribution of contacts per customer: a discrete phase-type distribution.

The number of contacts until a customer leaves the chain is phase-type with initial
vector ``alpha`` and transient matrix ``Q``: ``P(T = n) = alpha Q^(n-1) exits``. Its
percentiles are found by stepping the distribution over states forward one contact at a
time until enough of it has left.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from journeymap.flow.chain import Chain, Floats
from journeymap.flow.exact import Transient

PERCENTILES = (0.5, 0.9, 0.95)
MAX_STEPS = 1_000_000
"""A bound on the steps taken (a customer expecting a million contacts is not a journey)."""


def contact_pmfs(
    parts: Sequence[tuple[float, Chain, Transient]], upto: float = max(PERCENTILES)
) -> list[Floats]:
    """Each part's ``P(T = n)`` for n = 0, 1, 2, and so on.

    Stepped until every part has ``upto`` of its customers out, so the share-weighted
    blend has too.
    """
    states = [chain.entry[part.index].copy() for _, chain, part in parts]
    forward = [part.q.T.tocsr() for _, _, part in parts]
    pmfs: list[list[float]] = [[0.0] for _ in parts]
    done = [0.0 for _ in parts]
    step = 0
    while min(done) < upto and step < MAX_STEPS:
        step += 1
        for i, (_, _, part) in enumerate(parts):
            left = float(states[i] @ part.exits)
            pmfs[i].append(left)
            done[i] += left
            states[i] = forward[i] @ states[i]
    return [np.array(pmf) for pmf in pmfs]


def percentiles(pmf: Floats, levels: Sequence[float] = PERCENTILES) -> list[int]:
    """Smallest n with ``P(T <= n) >= level``, for each level."""
    cumulative = np.cumsum(pmf)
    return [int(np.searchsorted(cumulative, level - 1e-12)) for level in levels]
